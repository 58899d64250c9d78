//! Text generation with quantized GGUF models: the llama family (SmolLM2-135M-Instruct) and
//! Gemma 3 (gemma-3-270m), on candle.
//!
//! - Weights are read from the GGUF file (checked against the manifest first by
//!   [`TextModel::load`]); Q4_1/Q5_0/Q5_1 matrices are re-quantized to Q8_0 on the CPU
//!   (candle's kernels for those are scalar; see [`LoadOptions::requantize`]).
//! - Tokenizers: SmolLM2's is built from the GGUF metadata (byte-level BPE, as llama.cpp);
//!   Gemma's is the tokenizer.json of its model folder.
//! - Prompts go through the family's chat template ([`ChatTemplate`]) unless `raw`; user
//!   text inside a template cannot produce special tokens.
//! - Streaming: `on_text` receives whole characters only, and never text that might be the
//!   start of a stop sequence. Cancellation is checked before every model step.
//!
//! Errors and logs never carry prompt or generated text.

mod chat;
mod gemma3;
mod gguf;
mod layers;
mod llama;
mod stream;
mod tokenizer;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use candle_core::Device;
use candle_transformers::generation::{LogitsProcessor, Sampling as CandleSampling};

pub use chat::ChatTemplate;
pub use stream::Detokenizer;
pub use tokenizer::TextTokenizer;

use crate::error::{InferenceError, Result};
use chat::Segment;
use gguf::GgufFile;
use stream::StopStream;

/// Longest context offered by default, whatever the model was trained for (Gemma 3 270M: 32k):
/// bounds the KV cache (≈ 0.3–0.4 GB at 8k for both shipped models).
pub const DEFAULT_MAX_CONTEXT: usize = 8192;

/// Prompt tokens run through the model at once (the cancel flag is checked between chunks).
const PROMPT_CHUNK: usize = 256;

/// How the next token is chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sampling {
    /// The most likely token (deterministic).
    Greedy,
    /// Sampling at `temperature` from the smallest set of tokens whose probability reaches
    /// `top_p` (1.0: all tokens), with a seeded generator (same seed, same text).
    Temperature {
        temperature: f64,
        top_p: f64,
        seed: u64,
    },
}

/// One generation.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateRequest {
    pub prompt: String,
    /// No chat template: the prompt is tokenized as given (special tokens written in it are
    /// honoured, `<bos>` is added where the model wants one).
    pub raw: bool,
    pub max_tokens: usize,
    /// Texts that end the generation; they are not part of the returned text.
    pub stop: Vec<String>,
    pub sampling: Sampling,
}

/// Why a generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    MaxTokens,
    EndOfSequence,
    StopSequence,
    Cancelled,
}

/// What a generation produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// The generated text (without a stop sequence that ended it).
    pub text: String,
    /// Generated token ids (an end-of-sequence token is not included).
    pub tokens: Vec<u32>,
    pub prompt_tokens: usize,
    pub stop_reason: StopReason,
    /// Time to run the prompt and get the first token's logits.
    pub prompt_seconds: f64,
    /// Time for the tokens after that.
    pub decode_seconds: f64,
}

/// Options of [`TextModel::load_files_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    /// Re-quantize Q4_1/Q5_0/Q5_1 tensors to Q8_0 when running on the CPU (default on:
    /// 3–7× faster; the output can differ from llama.cpp's on near-ties).
    pub requantize: bool,
    /// Upper bound of [`TextModel::context_length`].
    pub max_context: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            requantize: true,
            max_context: DEFAULT_MAX_CONTEXT,
        }
    }
}

#[derive(Debug)]
enum Net {
    Llama(Box<llama::Llama>),
    Gemma3(Box<gemma3::Gemma3>),
}

impl Net {
    fn reset(&mut self, capacity: usize) {
        match self {
            Net::Llama(m) => m.reset(capacity),
            Net::Gemma3(m) => m.reset(capacity),
        }
    }

    fn forward(&mut self, ids: &[u32], pos: usize) -> candle_core::Result<candle_core::Tensor> {
        match self {
            Net::Llama(m) => m.forward(ids, pos),
            Net::Gemma3(m) => m.forward(ids, pos),
        }
    }
}

/// A loaded text-generation model with its tokenizer.
#[derive(Debug)]
pub struct TextModel {
    name: String,
    net: Net,
    tokenizer: TextTokenizer,
    template: ChatTemplate,
    context_length: usize,
}

impl TextModel {
    /// The manifest's model `name` (`smollm2`, `gemma3`) from the models dir, every file
    /// checked (size and sha256) first.
    pub fn load(models_dir: &Path, name: &str, device: &Device) -> Result<Self> {
        let manifest = iris_models::Manifest::builtin();
        let spec = manifest
            .get(name)
            .map_err(|_| InferenceError::UnknownModel(name.to_string()))?;
        if spec.task != "text-generation" {
            return Err(InferenceError::UnknownModel(format!(
                "{name} (a {} model, not text generation)",
                spec.task
            )));
        }
        let dir = crate::models::verified(models_dir, name)?;
        let gguf = spec
            .files
            .iter()
            .find(|f| f.path.ends_with(".gguf"))
            .ok_or_else(|| InferenceError::UnknownModel(format!("{name} (no GGUF file)")))?;
        let tok = spec
            .files
            .iter()
            .find(|f| f.path.ends_with("tokenizer.json"));
        let tok_path = tok.map(|t| dir.file(&t.path));
        Self::load_files(name, &dir.file(&gguf.path), tok_path.as_deref(), device)
    }

    /// A model from its files, without the manifest check (tests, tools). `name` names the
    /// model in errors; the architecture comes from the file (`llama`, `gemma3`).
    pub fn load_files(
        name: &str,
        gguf: &Path,
        tokenizer_json: Option<&Path>,
        device: &Device,
    ) -> Result<Self> {
        Self::load_files_with(name, gguf, tokenizer_json, device, &LoadOptions::default())
    }

    /// [`TextModel::load_files`] with options.
    pub fn load_files_with(
        name: &str,
        gguf: &Path,
        tokenizer_json: Option<&Path>,
        device: &Device,
        options: &LoadOptions,
    ) -> Result<Self> {
        let mut file = GgufFile::open(gguf, name, device, options.requantize)?;
        let arch = file.str("general.architecture")?.to_string();
        if !matches!(arch.as_str(), "llama" | "gemma3") {
            return Err(InferenceError::UnknownModel(format!(
                "{name} (architecture `{arch}` is not supported: llama, gemma3)"
            )));
        }
        let eos = gguf::meta_u64(file.md(), "tokenizer.ggml.eos_token_id")
            .ok()
            .map(|v| v as u32);
        // The tokenizer.json (33 MB for Gemma) loads on another thread while the weights do.
        let (net, tokenizer) = std::thread::scope(|s| {
            let tok_thread = tokenizer_json
                .map(|p| s.spawn(move || TextTokenizer::from_json_file(p, eos, name)));
            if let Err(e) = file.requantize_all() {
                return (Err(e), Err(InferenceError::WorkerGone));
            }
            let net = match arch.as_str() {
                "llama" => llama::Llama::load(&mut file, device).map(|m| Net::Llama(Box::new(m))),
                "gemma3" => {
                    gemma3::Gemma3::load(&mut file, device).map(|m| Net::Gemma3(Box::new(m)))
                }
                _ => Err(InferenceError::UnknownModel(format!("{name} ({arch})"))),
            };
            let tokenizer = match tok_thread {
                Some(h) => h.join().unwrap_or(Err(InferenceError::WorkerGone)),
                None => TextTokenizer::from_gguf(&file.content, name),
            };
            (net, tokenizer)
        });
        let net = net?;
        let tokenizer = tokenizer?;
        let (trained, template) = match &net {
            Net::Llama(m) => (m.context_length, ChatTemplate::ChatMl),
            Net::Gemma3(m) => (m.context_length, ChatTemplate::Gemma),
        };
        Ok(Self {
            name: name.to_string(),
            net,
            tokenizer,
            template,
            context_length: trained.min(options.max_context).max(1),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Tokens a request may use in all (prompt + generated).
    pub fn context_length(&self) -> usize {
        self.context_length
    }

    pub fn template(&self) -> ChatTemplate {
        self.template
    }

    pub fn tokenizer(&self) -> &TextTokenizer {
        &self.tokenizer
    }

    /// Token ids of `text` (special tokens written in it honoured); `add_special` adds the
    /// model's start tokens (`<bos>` for Gemma, none for SmolLM2).
    pub fn tokenize(&self, text: &str, add_special: bool) -> Result<Vec<u32>> {
        self.tokenizer.encode(text, add_special)
    }

    /// The prompt's token ids as [`TextModel::generate`] runs them.
    pub fn prompt_tokens(&self, prompt: &str, raw: bool) -> Result<Vec<u32>> {
        if raw {
            return self.tokenizer.encode(prompt, true);
        }
        let mut ids = self.tokenizer.prefix().to_vec();
        for seg in self.template.segments(prompt) {
            match seg {
                Segment::Special(t) => ids.push(self.tokenizer.token_id(t).ok_or_else(|| {
                    InferenceError::corrupt(&self.name, format!("the vocabulary has no {t}"))
                })?),
                Segment::Text(t) => ids.extend(self.tokenizer.encode_text(&t)?),
            }
        }
        Ok(ids)
    }

    /// The next-token logits after running `ids` from an empty cache (diagnostics and tests:
    /// comparing with another implementation along the same token path).
    pub fn next_token_logits(&mut self, ids: &[u32]) -> Result<Vec<f32>> {
        if ids.is_empty() || ids.len() > self.context_length {
            return Err(InferenceError::InvalidInput(format!(
                "expected 1 to {} token ids",
                self.context_length
            )));
        }
        self.net.reset(ids.len());
        let mut logits = None;
        for (i, chunk) in ids.chunks(PROMPT_CHUNK).enumerate() {
            logits = Some(self.net.forward(chunk, i * PROMPT_CHUNK)?);
        }
        match logits {
            Some(l) => Ok(l.to_vec1::<f32>()?),
            None => Err(InferenceError::Candle("no logits".into())),
        }
    }

    /// Generates text for `req`, passing text pieces to `on_text` as they are produced.
    /// Returns with [`StopReason::Cancelled`] before the next model step once `cancel` is set.
    pub fn generate(
        &mut self,
        req: &GenerateRequest,
        cancel: &AtomicBool,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Generated> {
        let prompt = self.prompt_tokens(&req.prompt, req.raw)?;
        let n_prompt = prompt.len();
        if n_prompt == 0 {
            return Err(InferenceError::InvalidInput("the prompt is empty".into()));
        }
        if n_prompt + req.max_tokens > self.context_length {
            return Err(InferenceError::InvalidInput(format!(
                "the prompt is {n_prompt} tokens; with max_tokens {} that exceeds the context of {} tokens for `{}` (shorten the prompt or ask for fewer tokens)",
                req.max_tokens, self.context_length, self.name
            )));
        }
        let mut sampler = match req.sampling {
            Sampling::Temperature {
                temperature,
                top_p,
                seed,
            } if temperature > 1e-7 => {
                if top_p.is_nan() || top_p <= 0.0 || !temperature.is_finite() {
                    return Err(InferenceError::InvalidInput(
                        "top_p must be above 0 and the temperature finite".into(),
                    ));
                }
                let sampling = if top_p >= 1.0 {
                    CandleSampling::All { temperature }
                } else {
                    CandleSampling::TopP {
                        p: top_p,
                        temperature,
                    }
                };
                Some(LogitsProcessor::from_sampling(seed, sampling))
            }
            _ => None,
        };

        let mut out = Generated {
            text: String::new(),
            tokens: Vec::new(),
            prompt_tokens: n_prompt,
            stop_reason: StopReason::MaxTokens,
            prompt_seconds: 0.0,
            decode_seconds: 0.0,
        };
        if req.max_tokens == 0 {
            return Ok(out);
        }
        // The cache is reset for every request (nothing of an earlier prompt is reused).
        self.net.reset(n_prompt + req.max_tokens);

        let t0 = Instant::now();
        let mut logits = None;
        for (i, chunk) in prompt.chunks(PROMPT_CHUNK).enumerate() {
            if cancel.load(Ordering::Relaxed) {
                out.stop_reason = StopReason::Cancelled;
                out.prompt_seconds = t0.elapsed().as_secs_f64();
                return Ok(out);
            }
            logits = Some(self.net.forward(chunk, i * PROMPT_CHUNK)?);
        }
        let mut logits = logits.ok_or_else(|| InferenceError::Candle("no logits".into()))?;
        out.prompt_seconds = t0.elapsed().as_secs_f64();

        let t1 = Instant::now();
        let eog = self.tokenizer.end_of_generation().to_vec();
        let mut detok = Detokenizer::default();
        let mut stops = StopStream::new(&req.stop);
        let mut pos = n_prompt;
        let mut stopped_by_text = false;
        loop {
            let next = match &mut sampler {
                Some(s) => s.sample(&logits)?,
                None => layers::argmax(&logits.to_vec1::<f32>()?),
            };
            if eog.contains(&next) {
                out.stop_reason = StopReason::EndOfSequence;
                break;
            }
            out.tokens.push(next);
            if let Some(piece) = detok.push(&self.tokenizer, next)?
                && stops.push(&piece, on_text)
            {
                out.stop_reason = StopReason::StopSequence;
                stopped_by_text = true;
                break;
            }
            if out.tokens.len() >= req.max_tokens {
                out.stop_reason = StopReason::MaxTokens;
                break;
            }
            if cancel.load(Ordering::Relaxed) {
                out.stop_reason = StopReason::Cancelled;
                break;
            }
            logits = self.net.forward(&[next], pos)?;
            pos += 1;
        }
        if !stopped_by_text {
            if let Some(piece) = detok.flush(&self.tokenizer)?
                && stops.push(&piece, on_text)
            {
                out.stop_reason = StopReason::StopSequence;
                stopped_by_text = true;
            }
            if !stopped_by_text {
                stops.finish(on_text);
            }
        }
        out.text = stops.into_text();
        out.decode_seconds = t1.elapsed().as_secs_f64();
        Ok(out)
    }
}
