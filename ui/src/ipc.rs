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
