//! Builds the Leptos UI to wasm and runs wasm-bindgen (the library, at exactly the version in
//! Cargo.lock) into ui/dist, the folder tauri.conf.json embeds.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::{cargo, step, target_dir};

pub fn build(root: &Path) -> Result<()> {
    check_bindgen_versions(&std::fs::read_to_string(root.join("Cargo.lock"))?)?;
    step("building the UI (wasm32, release)");
    cargo(&[
        "build",
        "-p",
        "iris-ui",
        "--target",
        "wasm32-unknown-unknown",
        "--release",
    ])?;
    let wasm = target_dir().join("wasm32-unknown-unknown/release/iris_ui.wasm");
    let dist = root.join("ui/dist");
    // Rebuild dist from scratch so no stale file is ever embedded.
    let staging = root.join("ui/dist.partial");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .out_name("iris_ui")
        .web(true)?
        .typescript(false)
        // Let init() locate the .wasm next to the glue (import.meta.url) with no arguments.
        .omit_default_module_path(false)
        .generate(&staging)
        .with_context(|| format!("wasm-bindgen failed on {}", wasm.display()))?;
    for entry in std::fs::read_dir(root.join("ui/static"))? {
        let entry = entry?;
        std::fs::copy(entry.path(), staging.join(entry.file_name()))?;
    }
    sync_dir(&staging, &dist)?;
    std::fs::remove_dir_all(&staging)?;
    let size = std::fs::metadata(dist.join("iris_ui_bg.wasm"))?.len();
    eprintln!(
        "xtask: ui/dist ready (wasm {:.1} KiB)",
        size as f64 / 1024.0
    );
    Ok(())
}

/// Makes `dist` hold exactly the files of `staging`, rewriting only those whose bytes changed,
/// so an unchanged UI leaves ui/dist untouched and does not force the desktop crate (which
/// embeds it) to rebuild.
fn sync_dir(staging: &Path, dist: &Path) -> Result<()> {
    std::fs::create_dir_all(dist)?;
    let mut keep = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(staging)? {
        let entry = entry?;
        let name = entry.file_name();
        let new = std::fs::read(entry.path())?;
        let target = dist.join(&name);
        if std::fs::read(&target).ok().as_deref() != Some(new.as_slice()) {
            std::fs::write(&target, &new)?;
        }
        keep.insert(name);
    }
    for entry in std::fs::read_dir(dist)? {
        let entry = entry?;
        if !keep.contains(&entry.file_name()) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// The wasm-bindgen CLI must be the exact version of the `wasm-bindgen` crate the UI links, or the
/// generated glue does not match the module. Both are pinned with `=` in the root manifest; this
/// checks that Cargo.lock agrees, so a bump of one without the other fails loudly here.
pub fn check_bindgen_versions(lock: &str) -> Result<String> {
    let lock: toml::Table = toml::from_str(lock).context("Cargo.lock is not valid TOML")?;
    let packages = lock
        .get("package")
        .and_then(|p| p.as_array())
        .context("Cargo.lock has no packages")?;
    let versions = |name: &str| -> Vec<String> {
        packages
            .iter()
            .filter(|p| p.get("name").and_then(|n| n.as_str()) == Some(name))
            .filter_map(|p| p.get("version").and_then(|v| v.as_str()).map(String::from))
            .collect()
    };
    let lib = versions("wasm-bindgen");
    let cli = versions("wasm-bindgen-cli-support");
    match (lib.as_slice(), cli.as_slice()) {
        ([l], [c]) if l == c => Ok(l.clone()),
        _ => bail!(
            "Cargo.lock must hold exactly one wasm-bindgen and the same wasm-bindgen-cli-support version; found {lib:?} and {cli:?}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock(lib: &str, cli: &str) -> String {
        format!(
            "version = 4\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"{lib}\"\n[[package]]\nname = \"wasm-bindgen-cli-support\"\nversion = \"{cli}\"\n"
        )
    }

    #[test]
    fn versions_must_match_exactly() {
        assert_eq!(
            check_bindgen_versions(&lock("0.2.130", "0.2.130")).unwrap(),
            "0.2.130"
        );
        assert!(check_bindgen_versions(&lock("0.2.130", "0.2.129")).is_err());
    }

    #[test]
    fn the_real_lock_file_agrees() {
        let root = crate::workspace_root();
        check_bindgen_versions(&std::fs::read_to_string(root.join("Cargo.lock")).unwrap()).unwrap();
    }
}
