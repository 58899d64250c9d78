//! Errors of the inference runtime. Messages name models, files and limits, never the text,
//! audio or prompts they were given (those can hold patient data).

/// What went wrong, as a code the callers branch on; the message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum InferenceError {
    /// The model's files are not in the models dir (the rest of Iris keeps working).
    #[error("model `{model}` is not installed: {detail}")]
    NotInstalled { model: String, detail: String },
    /// A file is there but is not the file the manifest names (hash or size mismatch), or it
    /// could not be parsed as its format (truncated, corrupt).
    #[error("model `{model}` is corrupt: {detail}")]
    Corrupt { model: String, detail: String },
    /// The model name is not in the manifest, or the model cannot do what was asked.
    #[error("unknown model `{0}`")]
    UnknownModel(String),
    /// The input cannot be used (unsupported audio format, empty batch, prompt too long …).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The requested device is not available in this build or on this machine.
    #[error("device unavailable: {0}")]
    Device(String),
    /// The request was cancelled by its caller.
    #[error("cancelled")]
    Cancelled,
    /// The model's worker stopped (a bug, or the process is shutting down).
    #[error("the model worker stopped")]
    WorkerGone,
    /// An error inside candle (shapes, kernels). Its text describes tensors, not inputs.
    #[error("inference failed: {0}")]
    Candle(String),
}

impl From<candle_core::Error> for InferenceError {
    fn from(e: candle_core::Error) -> Self {
        InferenceError::Candle(e.to_string())
    }
}

impl InferenceError {
    /// A stable code for the boundary (`NOT_INSTALLED`, `CORRUPT`, …).
    pub fn code(&self) -> &'static str {
        match self {
            InferenceError::NotInstalled { .. } => "NOT_INSTALLED",
            InferenceError::Corrupt { .. } => "CORRUPT",
            InferenceError::UnknownModel(_) => "UNKNOWN_MODEL",
            InferenceError::InvalidInput(_) => "INVALID_INPUT",
            InferenceError::Device(_) => "DEVICE",
            InferenceError::Cancelled => "CANCELLED",
            InferenceError::WorkerGone => "WORKER_GONE",
            InferenceError::Candle(_) => "INFERENCE",
        }
    }

    pub(crate) fn corrupt(model: &str, detail: impl Into<String>) -> Self {
        InferenceError::Corrupt {
            model: model.to_string(),
            detail: detail.into(),
        }
    }
}

pub type Result<T, E = InferenceError> = std::result::Result<T, E>;
