//! Local AI for the faces: the inference runtime built from configuration (device,
//! models dir, idle unloading, memory budget), its status for `about`, and the stateless
//! commands of the CLI. Inputs and outputs here can hold patient data: they are returned to
//! the caller who asked, never logged.

use std::time::Duration;

use iris_inference::{DeviceChoice, InferenceError, ModelStatus, Runtime, RuntimeConfig};
use iris_types::{
    ApiError, BenchFigureDto, EmbedDto, ErrorCode, GenerateRequestDto, GeneratedDto,
    InferenceBenchDto, InferenceDto, ModelBenchDto, ModelStatusDto, SegmentDto, TranscriptDto,
};

use iris_config::Config;

pub use iris_inference::Cancel;

/// The embedding model used when none is named.
pub const DEFAULT_EMBEDDING_MODEL: &str = "minilm";
/// The speech-to-text model used when none is named.
pub const DEFAULT_SPEECH_MODEL: &str = "whisper-tiny";

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

impl Ai {
    /// The transcript of a WAV file (any rate and channel count), `on_segment` called with
    /// each segment as it is decoded.
    pub fn transcribe(
        &self,
        model: Option<&str>,
        file: &std::path::Path,
        on_segment: &mut dyn FnMut(&SegmentDto),
    ) -> Result<TranscriptDto, ApiError> {
        let model = model.unwrap_or(DEFAULT_SPEECH_MODEL);
        let pcm = iris_inference::audio::read_wav_16k(file).map_err(inference_error)?;
        let t = self
            .runtime
            .transcribe(model, pcm, &mut |s| on_segment(&segment_dto(s)))
            .map_err(inference_error)?;
        Ok(TranscriptDto {
            model: model.to_string(),
            text: t.text,
            segments: t.segments.iter().map(segment_dto).collect(),
            audio_seconds: t.audio_seconds,
        })
    }

    /// Generated text, `on_text` called with each piece as it is produced (greedy, so the
    /// same prompt gives the same text).
    pub fn generate(
        &self,
        req: GenerateRequestDto,
        cancel: &Cancel,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<GeneratedDto, ApiError> {
        if req.max_tokens == 0 || req.max_tokens > 8192 {
            return Err(ApiError::new(
                ErrorCode::Validation,
                "max tokens must be 1 to 8192",
            ));
        }
        let request = iris_inference::llm::GenerateRequest {
            prompt: req.prompt,
            raw: req.raw,
            max_tokens: req.max_tokens,
            stop: req.stop,
            sampling: iris_inference::llm::Sampling::Greedy,
        };
        let g = self
            .runtime
            .generate(&req.model, request, cancel, on_text)
            .map_err(inference_error)?;
        let rate = |n: usize, s: f64| if s > 0.0 { n as f64 / s } else { 0.0 };
        Ok(GeneratedDto {
            model: req.model,
            prompt_tokens_per_second: rate(g.prompt_tokens, g.prompt_seconds),
            tokens_per_second: rate(g.tokens.len().saturating_sub(1), g.decode_seconds),
            text: g.text,
            prompt_tokens: g.prompt_tokens,
            tokens: g.tokens.len(),
            stop_reason: match g.stop_reason {
                iris_inference::llm::StopReason::MaxTokens => "max_tokens",
                iris_inference::llm::StopReason::EndOfSequence => "end_of_sequence",
                iris_inference::llm::StopReason::StopSequence => "stop_sequence",
                iris_inference::llm::StopReason::Cancelled => "cancelled",
            }
            .to_string(),
        })
    }
}

impl Ai {
    /// Speed and memory of `models` (all benchmarked models when empty) on the configured
    /// device, best of `runs` after a warm-up; `progress` hears each model's name as it
    /// starts. Inputs are built-in synthetic text and speech.
    pub fn bench(
        &self,
        models: &[String],
        runs: usize,
        progress: &mut dyn FnMut(&str),
    ) -> Result<InferenceBenchDto, ApiError> {
        if !(1..=100).contains(&runs) {
            return Err(ApiError::new(
                ErrorCode::Validation,
                "runs must be 1 to 100",
            ));
        }
        if let Some(m) = models
            .iter()
            .find(|m| !iris_inference::bench::MODELS.contains(&m.as_str()))
        {
            return Err(ApiError::new(
                ErrorCode::Validation,
                format!(
                    "no benchmark for model `{m}` (benchmarked: {})",
                    iris_inference::bench::MODELS.join(", ")
                ),
            ));
        }
        let chosen = self.runtime.device().map_err(inference_error)?;
        let all: Vec<String> = iris_inference::bench::MODELS
            .iter()
            .map(|m| m.to_string())
            .collect();
        let models = if models.is_empty() { &all[..] } else { models };
        let r = iris_inference::bench::run(
            &self.runtime.config().models_dir,
            &chosen.device,
            &chosen.name,
            models,
            runs,
            progress,
        )
        .map_err(inference_error)?;
        Ok(InferenceBenchDto {
            device: r.device,
            threads: r.threads,
            runs: r.runs,
            models: r
                .models
                .into_iter()
                .map(|m| ModelBenchDto {
                    model: m.model,
                    status: m.status,
                    message: m.message,
                    load_seconds: m.load_seconds,
                    peak_rss_mib: m.peak_rss_mib,
                    figures: m
                        .figures
                        .into_iter()
                        .map(|f| BenchFigureDto {
                            name: f.name,
                            value: f.value,
                            unit: f.unit,
                        })
                        .collect(),
                })
                .collect(),
        })
    }
}

fn segment_dto(s: &iris_inference::whisper::Segment) -> SegmentDto {
    SegmentDto {
        start: s.start,
        end: s.end,
        text: s.text.clone(),
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
