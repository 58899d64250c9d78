//! Harness for driving the real Iris window: a private X server (Xvfb), tauri-driver in front of
//! WebKitWebDriver, and a small W3C WebDriver client. Used by the end-to-end suite
//! (`src-tauri/tests/e2e.rs`) and by `cargo xtask` for screenshots and start-up benchmarks.
//!
//! `fhir`: the FHIR populations `cargo xtask test` generates with third-party generators
//! (their manifest, which xtask writes with the same types) and an independent FHIR R4
//! validator for tests.

pub mod display;
pub mod fhir;
pub mod webdriver;

use std::process::Child;
use std::time::{Duration, Instant};

/// Stops a helper process the way it expects to be stopped: SIGTERM first, so Xvfb removes its
/// lock file and tauri-driver stops the WebKitWebDriver it started; SIGKILL if it lingers.
pub(crate) fn terminate(child: &mut Child) {
    if let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32) {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}
