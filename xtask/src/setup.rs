//! Installs what a fresh Debian/Ubuntu machine lacks: system packages (apt), the wasm target,
//! and tauri-driver. Each is checked first, so a second run installs nothing.

use std::process::Command;

use anyhow::{Result, bail};

use crate::{run_checked, step};

/// Debian packages: WebKitGTK and GTK for the Tauri window; Xvfb, WebKitWebDriver and
/// ImageMagick for headless tests and screenshots; mold for fast links; fonts for rendering;
/// pip and npm to fetch model packages; venv for the FHIR generators' and validator's Python
/// environments (`fhirgen`); gnome-keyring, dbus and libsecret-tools for tests
/// against a real Secret Service keyring.
pub const APT_PACKAGES: &[&str] = &[
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "librsvg2-dev",
    "libsoup-3.0-dev",
    "xvfb",
    "webkit2gtk-driver",
    "xauth",
    "imagemagick",
    "mold",
    "fonts-dejavu-core",
    "python3-pip",
    "python3-venv",
    "nodejs",
    "gnome-keyring",
    "dbus-daemon",
    "libsecret-tools",
];

/// tauri-driver's stable line (3.x is alpha); see shared/VERIFIED.md.
pub const TAURI_DRIVER_VERSION: &str = "2.1.0";

pub fn ensure_all() -> Result<()> {
    ensure_apt_packages()?;
    ensure_wasm_target()?;
    ensure_rust_components()?;
    ensure_tauri_driver()?;
    Ok(())
}

fn missing_packages() -> Vec<&'static str> {
    // NodeSource's nodejs ships npm itself and conflicts with Debian's npm package, so ask for
    // Debian's only when no npm command exists.
    let npm = Command::new("npm").arg("--version").output().is_ok();
    APT_PACKAGES
        .iter()
        .copied()
        .chain((!npm).then_some("npm"))
        .filter(|p| {
            let out = Command::new("dpkg-query").args(["-W", "-f=${Status}", p]).output();
            !matches!(out, Ok(o) if String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        })
        .collect()
}

fn ensure_apt_packages() -> Result<()> {
    if Command::new("dpkg-query")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "xtask: not a Debian-family system; install the equivalents of: {}",
            APT_PACKAGES.join(" ")
        );
        return Ok(());
    }
    let missing = missing_packages();
    if missing.is_empty() {
        return Ok(());
    }
    step(&format!(
        "installing system packages: {}",
        missing.join(" ")
    ));
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let apt = |args: &[&str]| -> Result<()> {
        let mut all: Vec<&str> = sudo.to_vec();
        all.extend_from_slice(args);
        run_checked(
            Command::new(all[0])
                .args(&all[1..])
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )
    };
    apt(&["apt-get", "update", "-qq"])?;
    let mut install = vec!["apt-get", "install", "-y", "-qq", "--no-install-recommends"];
    install.extend(&missing);
    apt(&install)?;
    let still = missing_packages();
    if !still.is_empty() {
        bail!(
            "apt-get finished but these packages are still missing: {}",
            still.join(" ")
        );
    }
    Ok(())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .unwrap_or(false)
}

fn ensure_wasm_target() -> Result<()> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    match out {
        Ok(o)
            if String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l == "wasm32-unknown-unknown") =>
        {
            Ok(())
        }
        Ok(_) => {
            step("adding the wasm32-unknown-unknown target");
            run_checked(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
        }
        Err(_) => {
            eprintln!(
                "xtask: rustup not found; make sure the wasm32-unknown-unknown target is installed"
            );
            Ok(())
        }
    }
}

/// The test command checks formatting and lints; minimal rustup profiles lack rustfmt and
/// clippy.
fn ensure_rust_components() -> Result<()> {
    for (subcommand, component) in [("fmt", "rustfmt"), ("clippy", "clippy")] {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let ok = Command::new(cargo)
            .args([subcommand, "--version"])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok {
            step(&format!("adding the {component} component"));
            run_checked(Command::new("rustup").args(["component", "add", component]))?;
        }
    }
    Ok(())
}

/// Whether `cargo install` has tauri-driver at the pinned version (it has no `--version` flag,
/// so ask cargo, which records what it installed).
fn tauri_driver_installed() -> bool {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .args(["install", "--list"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim_end_matches(':') == format!("tauri-driver v{TAURI_DRIVER_VERSION}"))
        })
        .unwrap_or(false)
}

fn ensure_tauri_driver() -> Result<()> {
    if tauri_driver_installed() {
        return Ok(());
    }
    step(&format!("installing tauri-driver {TAURI_DRIVER_VERSION}"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Its own target dir: this build must not evict or lock the workspace's.
    let tmp = std::env::temp_dir().join("iris-tauri-driver-build");
    run_checked(
        Command::new(cargo)
            .args([
                "install",
                "tauri-driver",
                "--locked",
                "--version",
                TAURI_DRIVER_VERSION,
            ])
            .env("CARGO_TARGET_DIR", &tmp),
    )?;
    if !tauri_driver_installed() {
        bail!(
            "cargo install reported success but tauri-driver {TAURI_DRIVER_VERSION} is not listed"
        );
    }
    Ok(())
}
