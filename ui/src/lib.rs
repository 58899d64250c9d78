//! The Iris user interface (Leptos 0.8, client-side rendered, compiled to wasm32).
//!
//! It talks to the backend only through [`ipc::call`], with the DTOs of `iris-types`; it holds
//! no domain logic. `cargo xtask build-ui` compiles it and runs wasm-bindgen into `ui/dist`,
//! which the desktop shell embeds.

mod app;
mod components;
mod ipc;
mod pages;
mod session;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
