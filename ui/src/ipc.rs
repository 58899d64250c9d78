//! Typed calls into the backend over Tauri's IPC.

use iris_types::{ApiError, Args, Command, ErrorCode};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `window.__TAURI__.core.invoke` (present because tauri.conf.json sets `withGlobalTauri`).
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
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
