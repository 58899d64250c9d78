//! Local AI for the faces: the inference runtime built from configuration (device,
//! models dir, idle unloading, memory budget), its status for `about`, and the stateless
//! commands of the CLI. Inputs and outputs here can hold patient data: they are returned to
//! the caller who asked, never logged.

use std::time::Duration;

use iris_inference::{DeviceChoice, InferenceError, ModelStatus, Runtime, RuntimeConfig};
use iris_types::{ApiError, EmbedDto, ErrorCode, InferenceDto, ModelStatusDto};

use crate::config::Config;

/// The embedding model used when none is named.
pub const DEFAULT_EMBEDDING_MODEL: &str = "minilm";

/// The process's inference runtime (cheap to clone; models load on first use).
#[derive(Debug, Clone)]
pub struct Ai {
    runtime: Runtime,
    configured: String,
}

impl Ai {
    pub fn from_config(c: &Config) -> Ai {
        let configured = c.inference_device().to_string();
        Ai {
            runtime: Runtime::new(RuntimeConfig {
                models_dir: c.models_dir().to_path_buf(),
                device: configured.parse().unwrap_or(DeviceChoice::Auto),
                idle_unload: Duration::from_secs(u64::from(c.model_idle_minutes()) * 60),
                memory_budget: c.model_memory_mb() * 1024 * 1024,
            }),
            configured,
        }
    }

    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// Device and model states (for `about`). Choosing the device does not load a model.
    pub fn status(&self) -> InferenceDto {
        let (device, reason) = match self.runtime.device() {
            Ok(c) => (c.name, c.reason),
            Err(e) => ("none".to_string(), e.to_string()),
        };
        InferenceDto {
            configured: self.configured.clone(),
            device,
            reason,
            models: self.runtime.status().into_iter().map(model_dto).collect(),
        }
    }

    /// Unit-length sentence vectors, one per text.
    pub fn embed(&self, model: Option<&str>, texts: Vec<String>) -> Result<EmbedDto, ApiError> {
        let model = model.unwrap_or(DEFAULT_EMBEDDING_MODEL);
        if texts.is_empty() {
            return Err(ApiError::new(
                ErrorCode::Validation,
                "give at least one text to embed",
            ));
        }
        let vectors = self.runtime.embed(model, texts).map_err(inference_error)?;
        Ok(EmbedDto {
            model: model.to_string(),
            dim: vectors.first().map_or(0, Vec::len),
            vectors,
        })
    }
}

fn model_dto(s: ModelStatus) -> ModelStatusDto {
    ModelStatusDto {
        name: s.name,
        task: s.task,
        installed: s.installed,
        loaded: s.loaded,
        device: s.device,
        memory_mib: s.memory_bytes.div_ceil(1024 * 1024),
        load_ms: s.load_seconds.map(|x| (x * 1000.0).round() as u64),
        requests: s.requests,
        last_error: s.last_error,
    }
}

/// Inference errors at the boundary. Their messages name models, files and limits only.
pub fn inference_error(e: InferenceError) -> ApiError {
    let code = match &e {
        InferenceError::NotInstalled { .. } | InferenceError::UnknownModel(_) => {
            ErrorCode::NotFound
        }
        InferenceError::Corrupt { .. } => ErrorCode::Integrity,
        InferenceError::InvalidInput(_) => ErrorCode::Validation,
        InferenceError::Device(_) => ErrorCode::Config,
        InferenceError::Cancelled => ErrorCode::Conflict,
        InferenceError::WorkerGone | InferenceError::Candle(_) => ErrorCode::Internal,
    };
    ApiError::new(code, e.to_string())
}

/// Inference devices compiled into this build, in order of preference (ends in `cpu`).
pub fn compiled_devices() -> Vec<String> {
    let mut v: Vec<String> = iris_inference::device::compiled_backends()
        .into_iter()
        .filter(|b| *b != "cpu")
        .map(String::from)
        .collect();
    v.push("cpu".into());
    v
}
