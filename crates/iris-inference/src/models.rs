//! Finding a model's files in the models dir and checking them against the manifest
//! (models/models.toml) before anything is loaded: a missing file is "not installed", a file
//! of the wrong size or hash is refused as corrupt.

use std::path::{Path, PathBuf};

use iris_models::{Manifest, ModelError};

use crate::error::{InferenceError, Result};

/// A model whose files were found and checked.
#[derive(Debug, Clone)]
pub struct ModelDir {
    pub name: String,
    pub dir: PathBuf,
    /// Task from the manifest (`embedding`, `speech-to-text`, `text-generation`).
    pub task: String,
}

impl ModelDir {
    pub fn file(&self, path: &str) -> PathBuf {
        self.dir.join(path)
    }
}

/// The model `name` of the built-in manifest, with every file checked (size and sha256).
pub fn verified(models_dir: &Path, name: &str) -> Result<ModelDir> {
    let manifest = Manifest::builtin();
    let spec = manifest
        .get(name)
        .map_err(|_| InferenceError::UnknownModel(name.to_string()))?;
    spec.verify(models_dir).map_err(from_model_error)?;
    Ok(ModelDir {
        name: spec.name.clone(),
        dir: spec.dir(models_dir),
        task: spec.task.clone(),
    })
}

/// The names of the manifest's models, in order.
pub fn names() -> Vec<String> {
    Manifest::builtin()
        .models
        .iter()
        .map(|m| m.name.clone())
        .collect()
}

/// Whether every file of `name` is present with the right size (cheap; no hashing).
pub fn installed(models_dir: &Path, name: &str) -> bool {
    let manifest = Manifest::builtin();
    let Ok(spec) = manifest.get(name) else {
        return false;
    };
    spec.files.iter().all(|f| {
        std::fs::metadata(spec.dir(models_dir).join(&f.path)).is_ok_and(|m| m.len() == f.size)
    })
}

pub(crate) fn from_model_error(e: ModelError) -> InferenceError {
    match e {
        ModelError::NotInstalled { model, file } => InferenceError::NotInstalled {
            model,
            detail: format!("{file} is missing (run `cargo xtask fetch-models`)"),
        },
        ModelError::UnknownModel(m) => InferenceError::UnknownModel(m),
        ModelError::WrongSize {
            model,
            file,
            expected,
            actual,
        } => InferenceError::Corrupt {
            model,
            detail: format!(
                "{file} is {actual} bytes, expected {expected} (truncated or wrong file); refused"
            ),
        },
        ModelError::HashMismatch { model, file, .. } => InferenceError::Corrupt {
            model,
            detail: format!("{file} does not match its sha256 in models.toml; refused"),
        },
        ModelError::Io {
            model,
            file,
            source,
        } => InferenceError::NotInstalled {
            model,
            detail: format!("{file} cannot be read: {source}"),
        },
        ModelError::Manifest(m) => InferenceError::UnknownModel(m),
    }
}
