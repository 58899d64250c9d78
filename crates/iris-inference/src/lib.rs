//! The local inference runtime every AI feature of Iris uses, on candle: nothing leaves the
//! workstation.
//!
//! - [`device`]: CUDA → Metal → CPU, or what configuration says; GPU back ends only in builds
//!   with the `cuda` / `metal` features. CPU code uses candle's runtime-dispatched kernels: no
//!   `target-cpu` beyond the x86-64 baseline is needed.
//! - [`models`]: model files found in the models dir and checked against models/models.toml
//!   (size and sha256) before loading; a missing model is a clear "not installed" error.
//! - [`embed`]: BERT-family sentence embeddings (mean pooling, L2 normalization, batches padded
//!   to their longest input).
//! - [`ct2`], [`audio`], [`whisper`]: speech-to-text with Whisper read from a CTranslate2 model
//!   file.
//! - [`llm`]: text generation with quantized GGUF models (llama family, Gemma 3).
//! - [`runtime`]: one worker thread per model, requests over channels, lazy loading, unloading
//!   when idle or under memory pressure, status for `about`.
//! - [`bench`]: speed and memory of each installed model (`iris bench inference`).
//!
//! Errors never carry the text, audio or prompt they were given.

pub mod audio;
pub mod bench;
mod bert;
pub mod ct2;
pub mod device;
pub mod embed;
pub mod error;
pub mod llm;
pub mod models;
pub mod runtime;
pub mod whisper;

pub use device::{Chosen, DeviceChoice};
pub use embed::Embedder;
pub use error::{InferenceError, Result};
pub use runtime::{Cancel, ModelStatus, Runtime, RuntimeConfig};
