//! Typed calls into the backend over Tauri's IPC.

use iris_types::{ApiError, Args, Command, ErrorCode, STREAM_ARG, StreamCommand};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `window.__TAURI__.core.invoke` (present because tauri.conf.json sets `withGlobalTauri`).
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    /// `window.__TAURI__.core.Channel`: the webview end of a typed Tauri channel. Passed as a
    /// command argument it serializes to its id; the backend's sends arrive at `onmessage`,
    /// in the order sent.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = Channel)]
    type TauriChannel;

    #[wasm_bindgen(constructor, js_namespace = ["window", "__TAURI__", "core"], js_class = "Channel", catch)]
    fn new_channel() -> Result<TauriChannel, JsValue>;

    #[wasm_bindgen(method, setter, js_class = "Channel", js_name = onmessage)]
    fn set_onmessage(this: &TauriChannel, f: &js_sys::Function);
}

/// Calls command `C` with `req` and decodes either its response or its `ApiError`.
///
/// Rejections that are not an `ApiError` come from the transport itself (unknown command,
/// undecodable arguments, ACL refusal, or no Tauri bridge at all) and are mapped to one by
/// [`ApiError::from_transport`], which drops their text.
pub async fn call<C: Command>(req: &C::Req) -> Result<C::Res, ApiError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = Args { req }
        .serialize(&serializer)
        .map_err(|_| ApiError::new(ErrorCode::BadRequest, "The request could not be encoded."))?;
    match tauri_invoke(C::NAME, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|_| {
            ApiError::new(
                ErrorCode::Transport,
                "The backend's answer could not be read.",
            )
        }),
        Err(rejection) => Err(rejection_to_error(rejection)),
    }
}

/// Calls stream command `C`: every item the backend sends before its reply is decoded and
/// handed to `on_item` in order; then the reply (or `ApiError`) is returned as by [`call`].
/// Items that cannot be decoded are skipped (the reply still says how it ended).
pub async fn stream<C: StreamCommand>(
    req: &C::Req,
    mut on_item: impl FnMut(C::Item) + 'static,
) -> Result<C::Res, ApiError> {
    let transport = |_| ApiError::new(ErrorCode::Transport, "The app's bridge is not available.");
    let channel = TauriChannel::new_channel().map_err(transport)?;
    let handler = Closure::<dyn FnMut(JsValue)>::new(move |v: JsValue| {
        if let Ok(item) = serde_wasm_bindgen::from_value::<C::Item>(v) {
            on_item(item);
        }
    });
    channel.set_onmessage(handler.as_ref().unchecked_ref());
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = Args { req }
        .serialize(&serializer)
        .map_err(|_| ApiError::new(ErrorCode::BadRequest, "The request could not be encoded."))?;
    js_sys::Reflect::set(&args, &JsValue::from_str(STREAM_ARG), &channel).map_err(transport)?;
    let reply = tauri_invoke(C::NAME, args).await;
    // Items sent before the reply travel on another path than the reply: let those already
    // queued run first. A later one must not call into the handler once it is dropped.
    next_tick().await;
    // A do-nothing handler made without `new Function` (the CSP allows no eval); it captures
    // nothing, so handing it to JS costs nothing to speak of.
    let ignore = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {}).into_js_value();
    channel.set_onmessage(ignore.unchecked_ref());
    drop(handler);
    match reply {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|_| {
            ApiError::new(
                ErrorCode::Transport,
                "The backend's answer could not be read.",
            )
        }),
        Err(rejection) => Err(rejection_to_error(rejection)),
    }
}

/// Resolves after the tasks already queued on the event loop have run (`setTimeout(0)`).
async fn next_tick() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        let scheduled = web_sys::window().is_some_and(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                .is_ok()
        });
        if !scheduled {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

fn rejection_to_error(rejection: JsValue) -> ApiError {
    if let Ok(api) = serde_wasm_bindgen::from_value::<ApiError>(rejection.clone()) {
        return api;
    }
    let text = rejection
        .as_string()
        .or_else(|| {
            rejection
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_default();
    ApiError::from_transport(&text)
}

/// The sequencing rule for requests that supersede each other (a check re-run on every edit,
/// a live transcript): each request takes a ticket, and only the reply to the newest ticket may
/// change what the page shows. A late reply to an older request is dropped, so it can never
/// overwrite a newer one, whatever order the backend answers in.
#[derive(Debug, Clone, Copy)]
pub struct Latest(leptos::prelude::StoredValue<u64>);

/// One request's place in a [`Latest`] sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(u64);

impl Latest {
    pub fn new() -> Latest {
        Latest(leptos::prelude::StoredValue::new(0))
    }

    /// A ticket for a new request; every earlier ticket stops being current.
    pub fn ticket(&self) -> Ticket {
        use leptos::prelude::{GetValue, UpdateValue};
        self.0.update_value(|n| *n += 1);
        Ticket(self.0.get_value())
    }

    /// Whether `t` is still the newest request (its reply may be shown).
    pub fn is_current(&self, t: Ticket) -> bool {
        use leptos::prelude::GetValue;
        self.0.get_value() == t.0
    }

    /// Makes every outstanding ticket stale (a form was submitted or cleared).
    pub fn invalidate(&self) {
        let _ = self.ticket();
    }
}

impl Default for Latest {
    fn default() -> Latest {
        Latest::new()
    }
}
