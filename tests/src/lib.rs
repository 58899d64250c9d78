//! Harness for driving the real Iris window: a private X server (Xvfb), tauri-driver in front of
//! WebKitWebDriver, and a small W3C WebDriver client. Used by the end-to-end suite
//! (`src-tauri/tests/e2e.rs`) and by `cargo xtask` for screenshots and start-up benchmarks.

pub mod display;
pub mod webdriver;
