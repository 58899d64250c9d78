// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::time::Instant;

use clap::Parser;
use iris_config::args::ConfigArgs;

/// Iris clinician workstation.
#[derive(Debug, Parser)]
#[command(name = "iris-desktop", version = iris_core::VERSION)]
struct Args {
    #[command(flatten)]
    config: ConfigArgs,

    /// Passed by WebKitWebDriver when it launches the app for automation; nothing to do here.
    #[arg(long, hide = true)]
    automation: bool,

    /// On a fresh data dir, seed synthetic demo patients and demo accounts (unless the policy
    /// sets `demo_data = false`). `cargo xtask run` passes it with its own demo data dir.
    #[arg(long)]
    demo: bool,
}

fn main() {
    let started = Instant::now();
    let args = Args::parse();
    let key = iris_desktop::key_source_for(args.demo);
    let (core, _log) = iris_core::start(&args.config, "iris-desktop", true, started, key.clone());
    if let Err(e) = &core {
        eprintln!("iris-desktop: {e}");
    }
    let core = iris_desktop::Core::new(core);
    let unlock = iris_core::unlock_of(&key);
    if args.demo {
        iris_desktop::seed_demo(&core, &unlock);
    }
    iris_desktop::open_vault_at_start(&core, &unlock);
    iris_desktop::builder(tauri::Builder::default())
        .manage(core)
        .run(iris_desktop::context())
        .expect("the Tauri event loop failed to start");
}
