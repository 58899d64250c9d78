//! The Iris desktop shell: a Tauri 2 window over `AppCore`.
//!
//! Commands are one line each: take the request DTO, call the core, return its result. There is
//! no logic here to test separately; `tests/ipc.rs` drives every command through Tauri's mock
//! runtime and `tests/e2e` drives the real window.

use iris_core::AppCore;
use iris_types::{AboutDto, AboutRequest, ApiError};
use tauri::{Builder, Runtime, State};

/// The core, or why it could not start. A configuration error must reach the person at the
/// screen (often hospital IT), so the window still opens and every command returns the error.
#[derive(Debug)]
pub struct Core(Result<AppCore, ApiError>);

impl Core {
    pub fn new(core: Result<AppCore, ApiError>) -> Self {
        Core(core)
    }

    fn get(&self) -> Result<&AppCore, ApiError> {
        self.0.as_ref().map_err(Clone::clone)
    }
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn about(core: State<'_, Core>, req: AboutRequest) -> Result<AboutDto, ApiError> {
    core.get()?.about(req)
}

/// Registers every command. Shared by `main` and the tests so both run the same app.
pub fn builder<R: Runtime>(b: Builder<R>) -> Builder<R> {
    b.invoke_handler(tauri::generate_handler![about])
}

/// The Tauri context (config, assets, ACL) compiled from tauri.conf.json and ../ui/dist.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}
