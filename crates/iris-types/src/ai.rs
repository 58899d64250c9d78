//! Local AI: model status for `about`, and the stateless CLI commands (`iris embed`,
//! `iris transcribe`, `iris generate`). Texts and transcripts here are what the user asked for;
//! they are never logged.

use serde::{Deserialize, Serialize};

/// One model of models/models.toml as this process sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelStatusDto {
    /// `minilm`, `whisper-tiny`, `smollm2`, `gemma3`.
    pub name: String,
    /// `embedding`, `speech-to-text`, `text-generation`.
    pub task: String,
    /// Its files are in the models dir with their manifest sizes.
    pub installed: bool,
    pub loaded: bool,
    /// Where it runs when loaded (`cpu`, `cuda:0`, `metal:0`).
    pub device: Option<String>,
    /// Estimated memory of the loaded weights, MiB (0 when not loaded).
    pub memory_mib: u64,
    /// How long its last load took, milliseconds.
    pub load_ms: Option<u64>,
    /// Requests served by this process.
    pub requests: u64,
    /// Why its last load failed (`NOT_INSTALLED: …`, `CORRUPT: …`).
    pub last_error: Option<String>,
}

/// The inference runtime of this process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct InferenceDto {
    /// The configured choice: `auto`, `cpu`, `cuda`, `metal`.
    pub configured: String,
    /// The device models run on (`cpu`, `cuda:0`, …), or the reason none could be used.
    pub device: String,
    /// Why that device.
    pub reason: String,
    pub models: Vec<ModelStatusDto>,
}

/// `iris embed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbedDto {
    pub model: String,
    pub dim: usize,
    pub vectors: Vec<Vec<f32>>,
}

/// One stretch of a transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentDto {
    /// Seconds from the start of the audio.
    pub start: f64,
    pub end: f64,
    pub text: String,
}

/// `iris transcribe --json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptDto {
    pub model: String,
    pub text: String,
    pub segments: Vec<SegmentDto>,
    pub audio_seconds: f64,
}

/// `iris generate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenerateRequestDto {
    pub model: String,
    pub prompt: String,
    /// No chat template: the prompt goes to the model as written.
    #[serde(default)]
    pub raw: bool,
    pub max_tokens: usize,
    #[serde(default)]
    pub stop: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneratedDto {
    pub model: String,
    pub text: String,
    pub prompt_tokens: usize,
    pub tokens: usize,
    /// `max_tokens`, `end_of_sequence`, `stop_sequence`, `cancelled`.
    pub stop_reason: String,
    pub prompt_tokens_per_second: f64,
    pub tokens_per_second: f64,
}

/// One figure of `iris bench inference`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchFigureDto {
    /// `sentences_per_second_batch_32`, `real_time_factor`, `decode_tokens_per_second`, …
    pub name: String,
    pub value: f64,
    pub unit: String,
}

/// One model's benchmark: its figures, or why it was not measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelBenchDto {
    pub model: String,
    /// `ok`, `not_installed`, or the lower-case error code of what went wrong.
    pub status: String,
    pub message: Option<String>,
    /// Load time, file checks (sha256) included.
    pub load_seconds: Option<f64>,
    /// Peak resident memory of the process while this model was loaded and ran, MiB.
    pub peak_rss_mib: Option<u64>,
    pub figures: Vec<BenchFigureDto>,
}

/// `iris bench inference`: speed and memory of the installed models on this workstation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InferenceBenchDto {
    /// Where the models ran (`cpu`, `cuda:0`, …).
    pub device: String,
    /// CPU threads used.
    pub threads: usize,
    /// Timed runs per figure (the best is reported), after one warm-up.
    pub runs: usize,
    pub models: Vec<ModelBenchDto>,
}
