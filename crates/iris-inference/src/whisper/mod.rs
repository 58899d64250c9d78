//! Whisper speech-to-text on candle, read from a CTranslate2 (faster-whisper) model folder.
//!
//! - Weights: `model.bin` through [`crate::ct2`]. The fused projections are split:
//!   self-attention QKV `[3d, d]` into query, key and value, cross-attention KV `[2d, d]` into
//!   key and value. The key slice of a fused bias is checked to be zero and dropped (Whisper's
//!   key projection has no bias); a non-zero slice would be kept as a bias. The output
//!   projection is tied to the token embedding (an alias in the file). Attention's 1/√d_head
//!   is folded into the query projection (exact: d_head = 64).
//! - Encoder (`model.rs`): candle f32 tensors (float16 widened at load) and gemm; two GELU
//!   convolutions, Whisper's sinusoidal positions (computed here and checked against the table
//!   the file carries, whose f16 values are the ones used, as CTranslate2 does), pre-norm
//!   layers; on the CPU, attention in blocks of query rows with our own softmax and GELU
//!   (`cpu.rs`).
//! - Decoder: our own, with a self-attention key/value cache and the cross-attention
//!   keys/values computed once per 30-second window. On the CPU it is plain Rust, one token at
//!   a time, with the weights kept float16 when the CPU converts float16 in hardware
//!   (`cpu.rs`); on other devices it runs on candle ops.
//! - Decoding: greedy (beam 1, temperature 0), with the token suppression, timestamp rules
//!   (CTranslate2's `ApplyTimestampRules`) and no-speech probability of CTranslate2, and the
//!   windowing/seek logic of faster-whisper's `generate_segments` (previous text as prompt,
//!   segments cut at timestamp pairs, seek to the last timestamp); segments reach the caller
//!   as their closing timestamp pair is decoded. Windows whose audio is digitally silent
//!   (loudest 25 ms below −54 dBFS) are skipped without running the model; a window whose
//!   no-speech probability is above 0.6 yields nothing when its average log-probability is
//!   below −1 (faster-whisper's rule) or its text is repetitive (zlib compression ratio above
//!   2.4, where faster-whisper would fall back to sampling). There is no temperature
//!   fallback: results are deterministic. Segments without a letter or digit are dropped.
//!
//! Errors never contain transcript text or audio.

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use tokenizers::Tokenizer;

use crate::audio;
use crate::ct2::Ct2Model;
use crate::error::{InferenceError, Result};
use crate::models;

pub(crate) mod cpu;
mod model;

use model::corrupt;
pub use model::sinusoids;

/// The manifest name of the model this module loads.
pub const MODEL: &str = "whisper-tiny";

/// Seconds per timestamp token.
const TIME_PRECISION: f64 = 0.02;
/// Seconds per mel frame.
const TIME_PER_FRAME: f64 = audio::HOP_LENGTH as f64 / audio::SAMPLE_RATE as f64;
/// Mel frames per encoder position (the second convolution has stride 2).
pub(crate) const INPUT_STRIDE: usize = 2;
/// The decoder's context (text positions).
pub(crate) const MAX_LENGTH: usize = 448;
/// faster-whisper's defaults.
const NO_SPEECH_THRESHOLD: f32 = 0.6;
const LOG_PROB_THRESHOLD: f32 = -1.0;
const COMPRESSION_RATIO_THRESHOLD: f32 = 2.4;
const MAX_INITIAL_TIMESTAMP: f64 = 1.0;
/// A window whose loudest 25 ms frame is below this RMS (≈ −54 dBFS) is silence: skipped.
const SILENCE_RMS: f32 = 0.002;

/// One stretch of transcript with its time span in the audio.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Seconds from the start of the audio.
    pub start: f64,
    pub end: f64,
    /// The text, trimmed.
    pub text: String,
    /// Token ids of the segment, timestamp tokens included.
    pub tokens: Vec<u32>,
    /// Probability of "no speech" for the 30-second window the segment came from.
    pub no_speech_prob: f32,
}

/// The transcript of a whole recording.
#[derive(Debug, Clone, PartialEq)]
pub struct Transcript {
    /// The segments' texts joined by spaces; empty for silence.
    pub text: String,
    pub segments: Vec<Segment>,
    /// Length of the audio given.
    pub audio_seconds: f64,
}

// ---------------------------------------------------------------------------------------------
// The model

/// Token ids of the special tokens the decoding uses.
#[derive(Debug, Clone)]
struct Special {
    eot: u32,
    sot: u32,
    sot_prev: u32,
    no_timestamps: u32,
    no_speech: u32,
    timestamp_begin: u32,
    /// Last timestamp id (`<|30.00|>`).
    timestamp_end: u32,
    /// `<|startoftranscript|>` (+ language and task for multilingual models).
    sot_sequence: Vec<u32>,
}

/// Whisper: weights on `device`, tokenizer, decoding state.
pub struct Whisper {
    device: Device,
    net: model::Network,
    tokenizer: Tokenizer,
    rules: Rules,
}

/// What greedy decoding needs besides the network: special ids and suppressed tokens.
#[derive(Debug, Clone)]
struct Rules {
    special: Special,
    /// Never emitted (faster-whisper's `suppress_tokens=[-1]`).
    suppress: Vec<u32>,
    /// Not emitted as the first token (blank, end of text).
    suppress_begin: Vec<u32>,
}

impl std::fmt::Debug for Whisper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Whisper")
            .field("device", &self.device)
            .field("d_model", &self.net.d)
            .field("heads", &self.net.heads)
            .field("vocab", &self.net.vocab)
            .field(
                "decoder",
                &match self.net.decoder {
                    model::Decoder::Cpu { .. } => "plain CPU",
                    model::Decoder::Candle(_) => "candle",
                },
            )
            .finish_non_exhaustive()
    }
}

/// Result of one greedy decoding.
#[derive(Debug)]
struct Generated {
    tokens: Vec<u32>,
    sum_logprob: f32,
    no_speech_prob: f32,
}

fn read_required(dir: &Path, file: &str) -> Result<Vec<u8>> {
    std::fs::read(dir.join(file)).map_err(|e| InferenceError::NotInstalled {
        model: MODEL.to_string(),
        detail: format!(
            "{file} cannot be read in {}: {} (run `cargo xtask fetch-models`)",
            dir.display(),
            e.kind()
        ),
    })
}

fn id_list(config: &serde_json::Value, key: &str) -> Result<Vec<u32>> {
    let v = config
        .get(key)
        .and_then(|v| v.as_array())
        .ok_or_else(|| corrupt(format!("config.json has no `{key}` list")))?;
    v.iter()
        .map(|x| {
            x.as_u64()
                .and_then(|x| u32::try_from(x).ok())
                .ok_or_else(|| corrupt(format!("config.json `{key}` holds a non-id")))
        })
        .collect()
}

impl Whisper {
    /// Loads `whisper-tiny` from the models dir after checking its files against the manifest
    /// (size and sha256): a missing model is `NotInstalled`, a modified one `Corrupt`.
    pub fn load(models_dir: &Path, device: &Device) -> Result<Self> {
        let dir = models::verified(models_dir, MODEL)?;
        Self::load_dir(&dir.dir, device)
    }

    /// Loads a CTranslate2 Whisper folder (`model.bin`, `config.json`, `tokenizer.json`)
    /// without the manifest check.
    pub fn load_dir(dir: &Path, device: &Device) -> Result<Self> {
        Self::load_dir_with(dir, device, true)
    }

    /// Like [`load_dir`](Self::load_dir), with the decoder on candle ops even on the CPU (the
    /// code path GPUs take), for comparing the two decoders.
    #[doc(hidden)]
    pub fn load_dir_candle_decoder(dir: &Path, device: &Device) -> Result<Self> {
        Self::load_dir_with(dir, device, false)
    }

    fn load_dir_with(dir: &Path, device: &Device, plain_cpu_decoder: bool) -> Result<Self> {
        let config: serde_json::Value = serde_json::from_slice(&read_required(dir, "config.json")?)
            .map_err(|_| corrupt("config.json is not valid JSON"))?;
        let suppress_ids = id_list(&config, "suppress_ids")?;
        let suppress_begin = id_list(&config, "suppress_ids_begin")?;
        let tokenizer = Tokenizer::from_bytes(read_required(dir, "tokenizer.json")?)
            .map_err(|_| corrupt("tokenizer.json cannot be parsed"))?;
        let net = {
            let m = Ct2Model::parse(read_required(dir, "model.bin")?, MODEL)?;
            if m.spec != "WhisperSpec" {
                return Err(corrupt(format!(
                    "model.bin holds a `{}` model, not WhisperSpec",
                    m.spec
                )));
            }
            model::build(&m, device, plain_cpu_decoder)?
        };
        let special = Self::special(&tokenizer, net.vocab)?;
        // faster-whisper's suppress_tokens=[-1]: the config's non-speech ids plus the task
        // and special tokens.
        let mut suppress = suppress_ids;
        for name in [
            "<|transcribe|>",
            "<|translate|>",
            "<|startoftranscript|>",
            "<|startofprev|>",
            "<|startoflm|>",
        ] {
            if let Some(id) = tokenizer.token_to_id(name) {
                suppress.push(id);
            }
        }
        suppress.push(special.no_speech);
        suppress.sort_unstable();
        suppress.dedup();
        if suppress
            .iter()
            .chain(&suppress_begin)
            .any(|&i| i as usize >= net.vocab)
        {
            return Err(corrupt("config.json suppresses ids outside the vocabulary"));
        }
        Ok(Whisper {
            device: device.clone(),
            net,
            tokenizer,
            rules: Rules {
                special,
                suppress,
                suppress_begin,
            },
        })
    }

    fn special(tok: &Tokenizer, vocab: usize) -> Result<Special> {
        let id = |name: &str| {
            tok.token_to_id(name)
                .ok_or_else(|| corrupt(format!("tokenizer.json has no `{name}` token")))
        };
        let eot = id("<|endoftext|>")?;
        let sot = id("<|startoftranscript|>")?;
        let no_timestamps = id("<|notimestamps|>")?;
        let no_speech = id("<|nospeech|>").or_else(|_| id("<|nocaptions|>"))?;
        let multilingual = vocab >= 51865;
        let mut sot_sequence = vec![sot];
        if multilingual {
            sot_sequence.push(id("<|en|>")?);
            sot_sequence.push(id("<|transcribe|>")?);
        }
        let timestamp_begin = no_timestamps + 1;
        let timestamp_end = vocab as u32 - 1;
        if timestamp_end < timestamp_begin + 1500 {
            return Err(corrupt(
                "the vocabulary has no room for the timestamp tokens",
            ));
        }
        Ok(Special {
            eot,
            sot,
            sot_prev: id("<|startofprev|>")?,
            no_timestamps,
            no_speech,
            timestamp_begin,
            timestamp_end,
            sot_sequence,
        })
    }

    /// The ids greedy decoding never emits (faster-whisper's `suppress_tokens=[-1]`).
    pub fn suppressed_tokens(&self) -> &[u32] {
        &self.rules.suppress
    }

    /// The tokenizer (ids → text).
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// Text of `tokens`, special and timestamp tokens dropped.
    pub fn decode_text(&self, tokens: &[u32]) -> Result<String> {
        text_of(&self.tokenizer, self.rules.special.eot, tokens)
    }

    // -----------------------------------------------------------------------------------------
    // Decoding

    /// Token ids of greedy decoding of one 30 s window given its mel (`[80, 3000]` or
    /// `[1, 80, 3000]`), without timestamps (prompt `<|startoftranscript|>`
    /// `<|notimestamps|>`), as faster-whisper with `without_timestamps=True`, beam 1,
    /// temperature 0 (for comparison with the reference).
    pub fn decode_tokens(&mut self, mel: &Tensor) -> Result<Vec<u32>> {
        let mel = match mel.rank() {
            3 => mel.squeeze(0)?,
            _ => mel.clone(),
        };
        if mel.dims() != [audio::N_MELS, audio::N_FRAMES] {
            return Err(InferenceError::InvalidInput(format!(
                "mel must be [80, 3000], got {:?}",
                mel.dims()
            )));
        }
        let mel = mel.to_dtype(DType::F32)?.to_device(&self.device)?;
        let enc = self.net.encoder.forward(&mel)?;
        let mut prompt = self.rules.special.sot_sequence.clone();
        prompt.push(self.rules.special.no_timestamps);
        Ok(generate(
            &mut self.net,
            &self.rules,
            &enc,
            &prompt,
            false,
            &mut |_, _| Ok(()),
        )?
        .tokens)
    }

    /// Transcribes a WAV file (any rate and channel count; see [`audio`]).
    pub fn transcribe_file(
        &mut self,
        path: &Path,
        on_segment: &mut dyn FnMut(&Segment),
    ) -> Result<Transcript> {
        let pcm = audio::read_wav_16k(path)?;
        self.transcribe(&pcm, on_segment)
    }

    /// Transcribes 16 kHz mono audio in 30-second windows. `on_segment` gets each segment as
    /// soon as it is decoded: when its closing timestamp pair is generated, or (for the last
    /// segment of a window, and for every segment of a window that may turn out to be no
    /// speech) when the window is done; once per segment, in order. Silence gives an empty
    /// transcript.
    pub fn transcribe(
        &mut self,
        pcm_16k_mono: &[f32],
        on_segment: &mut dyn FnMut(&Segment),
    ) -> Result<Transcript> {
        if pcm_16k_mono.iter().any(|x| !x.is_finite()) {
            return Err(InferenceError::InvalidInput(
                "the audio contains NaN or infinite samples".into(),
            ));
        }
        let audio_seconds = pcm_16k_mono.len() as f64 / audio::SAMPLE_RATE as f64;
        if audio_seconds > audio::MAX_SECONDS {
            return Err(InferenceError::InvalidInput(format!(
                "the audio is longer than {} hours; split it first",
                audio::MAX_SECONDS / 3600.0
            )));
        }
        let mel = audio::log_mel(pcm_16k_mono);
        let frames = audio::n_frames(pcm_16k_mono.len());
        let content_frames = frames - 1;
        let Whisper {
            device,
            net,
            tokenizer,
            rules,
        } = self;
        let s = &rules.special;
        let mut seek = 0usize;
        let mut all_tokens: Vec<u32> = Vec::new();
        let mut segments: Vec<Segment> = Vec::new();
        while seek < content_frames {
            let time_offset = seek as f64 * TIME_PER_FRAME;
            let segment_size = audio::N_FRAMES.min(content_frames - seek);
            let segment_duration = segment_size as f64 * TIME_PER_FRAME;

            let a = seek * audio::HOP_LENGTH;
            let b = ((seek + segment_size) * audio::HOP_LENGTH).min(pcm_16k_mono.len());
            if is_silent(&pcm_16k_mono[a..b]) {
                seek += segment_size;
                continue;
            }

            let window = audio::mel_window(&mel, frames, seek, segment_size);
            let window = Tensor::from_vec(window, (audio::N_MELS, audio::N_FRAMES), &*device)?;
            let enc = net.encoder.forward(&window)?;
            let mut prompt = Vec::new();
            if !all_tokens.is_empty() {
                prompt.push(s.sot_prev);
                let keep = MAX_LENGTH / 2 - 1;
                prompt.extend_from_slice(&all_tokens[all_tokens.len().saturating_sub(keep)..]);
            }
            prompt.extend_from_slice(&s.sot_sequence);

            // Segments closed by a timestamp pair while the window is decoded are final unless
            // the window may be dropped as no speech (decided at the end, and only when the
            // no-speech probability is high): those go to the caller at once.
            let mut streamed: Vec<Option<Segment>> = Vec::new();
            let g = {
                let mut last_slice = 0usize;
                let mut on_token = |tokens: &[u32], no_speech_prob: f32| -> Result<()> {
                    let n = tokens.len();
                    let pair = n >= 2
                        && tokens[n - 1] >= s.timestamp_begin
                        && tokens[n - 2] >= s.timestamp_begin;
                    if no_speech_prob > NO_SPEECH_THRESHOLD || !pair {
                        return Ok(());
                    }
                    let piece = &tokens[last_slice..n - 1];
                    last_slice = n - 1;
                    let tb = s.timestamp_begin;
                    let start = time_offset + piece[0].saturating_sub(tb) as f64 * TIME_PRECISION;
                    let end =
                        time_offset + tokens[n - 2].saturating_sub(tb) as f64 * TIME_PRECISION;
                    let seg =
                        make_segment(tokenizer, s, piece.to_vec(), start, end, no_speech_prob)?;
                    if let Some(seg) = &seg {
                        on_segment(seg);
                    }
                    streamed.push(seg);
                    Ok(())
                };
                generate(net, rules, &enc, &prompt, true, &mut on_token)?
            };
            let avg_logprob = g.sum_logprob / (g.tokens.len() as f32 + 1.0);
            if g.no_speech_prob > NO_SPEECH_THRESHOLD {
                // faster-whisper skips a window that is probably silence unless its text is
                // confident; a confident but repetitive text (". . . ." on hiss) is what its
                // temperature fallback would replace, and then skip: skipped here directly.
                let repetitive = compression_ratio(text_of(tokenizer, s.eot, &g.tokens)?.trim())
                    > COMPRESSION_RATIO_THRESHOLD;
                if avg_logprob <= LOG_PROB_THRESHOLD || repetitive {
                    seek += segment_size;
                    continue;
                }
            }
            let (pieces, next_seek) = split_by_timestamps(
                &g.tokens,
                s,
                time_offset,
                segment_size,
                segment_duration,
                seek,
            );
            // A window must move the seek forward (a pair of <|0.00|> timestamps would not).
            seek = if next_seek > seek {
                next_seek
            } else {
                seek + segment_size
            };
            let n_streamed = streamed.len();
            let mut streamed = streamed.into_iter();
            for (i, (start, end, tokens)) in pieces.into_iter().enumerate() {
                let seg = if i < n_streamed {
                    streamed.next().flatten()
                } else {
                    let seg = make_segment(tokenizer, s, tokens, start, end, g.no_speech_prob)?;
                    if let Some(seg) = &seg {
                        on_segment(seg);
                    }
                    seg
                };
                if let Some(seg) = seg {
                    all_tokens.extend_from_slice(&seg.tokens);
                    segments.push(seg);
                }
            }
        }
        let text = segments
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Transcript {
            text,
            segments,
            audio_seconds,
        })
    }
}

/// Text of `tokens`, special and timestamp tokens (ids from `eot` on) dropped.
fn text_of(tokenizer: &Tokenizer, eot: u32, tokens: &[u32]) -> Result<String> {
    let text: Vec<u32> = tokens.iter().copied().filter(|&t| t < eot).collect();
    tokenizer
        .decode(&text, false)
        .map_err(|_| InferenceError::Candle("token ids could not be decoded".into()))
}

/// The segment for a window's `tokens` between `start` and `end`, or `None` for one that is
/// empty (as faster-whisper drops) or has no letter or digit ("...", "-": never speech in a
/// dictation).
fn make_segment(
    tokenizer: &Tokenizer,
    s: &Special,
    tokens: Vec<u32>,
    start: f64,
    end: f64,
    no_speech_prob: f32,
) -> Result<Option<Segment>> {
    let text = text_of(tokenizer, s.eot, &tokens)?;
    if start == end || !text.chars().any(char::is_alphanumeric) {
        return Ok(None);
    }
    Ok(Some(Segment {
        start,
        end,
        text: text.trim().to_string(),
        tokens,
        no_speech_prob,
    }))
}

/// Greedy decoding of one window whose encoder output is `enc`, after `prompt`, with
/// CTranslate2's logit processing: suppressed tokens, blank/EOT suppressed first, timestamp
/// rules when `timestamps`; at most min(224, 448 − prompt) tokens. `on_token` sees the tokens
/// so far (and the no-speech probability) after each one.
fn generate(
    net: &mut model::Network,
    rules: &Rules,
    enc: &Tensor,
    prompt: &[u32],
    timestamps: bool,
    on_token: &mut dyn FnMut(&[u32], f32) -> Result<()>,
) -> Result<Generated> {
    let s = &rules.special;
    net.decoder.reset(enc, &net.cross_kv, net.heads)?;
    let sot_index = prompt
        .iter()
        .position(|&t| t == s.sot)
        .ok_or_else(|| InferenceError::InvalidInput("prompt without SOT".into()))?;
    let p = prompt.len();
    let mut rows = net.decoder.forward(prompt, &[sot_index, p - 1])?;
    let mut logits = rows.pop().unwrap_or_default();
    // The no-speech probability: softmax of the raw logits at the SOT position.
    let no_speech_prob = softmax_at(&rows.pop().unwrap_or_default(), s.no_speech as usize);
    // CTranslate2: at most min(448/2, 448 − start_step) new tokens.
    let max_new = (MAX_LENGTH / 2).min(MAX_LENGTH - (p - 1));
    let max_initial = s.timestamp_begin + (MAX_INITIAL_TIMESTAMP / TIME_PRECISION).round() as u32;
    let mut tokens: Vec<u32> = Vec::new();
    let mut sum_logprob = 0f32;
    for step in 0..max_new {
        for &t in &rules.suppress {
            logits[t as usize] = f32::NEG_INFINITY;
        }
        if step == 0 {
            for &t in &rules.suppress_begin {
                logits[t as usize] = f32::NEG_INFINITY;
            }
        }
        if timestamps {
            apply_timestamp_rules(&mut logits, &tokens, s, max_initial);
        }
        let (best, logprob) = argmax_logprob(&logits);
        sum_logprob += logprob;
        if best == s.eot {
            break;
        }
        tokens.push(best);
        on_token(&tokens, no_speech_prob)?;
        if step + 1 == max_new {
            break;
        }
        logits = net
            .decoder
            .forward(&[best], &[0])?
            .pop()
            .unwrap_or_default();
    }
    Ok(Generated {
        tokens,
        sum_logprob,
        no_speech_prob,
    })
}

/// zlib compression ratio of a text, as faster-whisper computes it (bytes / compressed bytes):
/// high for repetitive text.
fn compression_ratio(text: &str) -> f32 {
    if text.is_empty() {
        return 0.0;
    }
    let z = miniz_oxide::deflate::compress_to_vec_zlib(text.as_bytes(), 6);
    text.len() as f32 / z.len().max(1) as f32
}

/// Whether a stretch of audio is digitally silent: its loudest 25 ms frame is below
/// [`SILENCE_RMS`].
fn is_silent(pcm: &[f32]) -> bool {
    pcm.chunks(400).all(|c| {
        let e = c.iter().map(|x| x * x).sum::<f32>() / c.len() as f32;
        e.sqrt() < SILENCE_RMS
    })
}

fn softmax_at(logits: &[f32], i: usize) -> f32 {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    (cpu::exp(logits[i] - max) as f64 / sum_exp(logits, max)) as f32
}

/// log-sum-exp of `v` (−∞ for an empty or all −∞ slice).
fn logsumexp(v: &[f32]) -> f32 {
    let max = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if max == f32::NEG_INFINITY {
        return max;
    }
    max + sum_exp(v, max).ln() as f32
}

/// Σ e^(v − max), accumulated in f64.
fn sum_exp(v: &[f32], max: f32) -> f64 {
    let mut acc = [0f64; 4];
    let (chunks, tail) = v.as_chunks::<4>();
    for c in chunks {
        for i in 0..4 {
            acc[i] += cpu::exp(c[i] - max) as f64;
        }
    }
    acc.iter().sum::<f64>() + tail.iter().map(|&l| cpu::exp(l - max) as f64).sum::<f64>()
}

/// The first maximal logit and its log-probability.
fn argmax_logprob(logits: &[f32]) -> (u32, f32) {
    let mut best = 0usize;
    for (i, &l) in logits.iter().enumerate() {
        if l > logits[best] {
            best = i;
        }
    }
    (best as u32, logits[best] - logsumexp(logits))
}

/// CTranslate2's `ApplyTimestampRules` for greedy decoding: `seq` holds the tokens generated
/// so far in this window.
fn apply_timestamp_rules(logits: &mut [f32], seq: &[u32], s: &Special, max_initial: u32) {
    let tb = s.timestamp_begin as usize;
    let te = s.timestamp_end as usize;
    let disable = |lo: usize, hi: usize, logits: &mut [f32]| {
        for l in &mut logits[lo..hi] {
            *l = f32::NEG_INFINITY;
        }
    };
    logits[s.no_timestamps as usize] = f32::NEG_INFINITY;
    let mut check = false;
    if seq.is_empty() {
        disable(0, tb, logits);
        disable(max_initial as usize + 1, te + 1, logits);
    } else {
        let last = *seq.last().unwrap_or(&0) as usize;
        if last >= tb {
            let penultimate = if seq.len() > 1 {
                seq[seq.len() - 2] as usize
            } else {
                last
            };
            if penultimate >= tb {
                disable(tb, te + 1, logits);
            } else {
                disable(0, s.eot as usize, logits);
                check = true;
            }
        } else {
            check = true;
        }
        if let Some(&t) = seq.iter().rev().find(|&&t| t as usize >= tb) {
            disable(tb, t as usize, logits);
        }
    }
    if check {
        let norm = logsumexp(logits);
        let max_text = logits[..tb]
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max)
            - norm;
        let ts = logsumexp(&logits[tb..=te]) - norm;
        if ts > max_text {
            disable(0, tb, logits);
        }
    }
}

/// faster-whisper's `_split_segments_by_timestamps`: the `(start, end, tokens)` pieces of a
/// window and the next seek position (in mel frames).
fn split_by_timestamps(
    tokens: &[u32],
    s: &Special,
    time_offset: f64,
    segment_size: usize,
    segment_duration: f64,
    seek: usize,
) -> (Vec<(f64, f64, Vec<u32>)>, usize) {
    let tb = s.timestamp_begin;
    let is_ts = |t: u32| t >= tb;
    let n = tokens.len();
    let single_timestamp_ending = n >= 2 && !is_ts(tokens[n - 2]) && is_ts(tokens[n - 1]);
    let consecutive: Vec<usize> = (1..n)
        .filter(|&i| is_ts(tokens[i]) && is_ts(tokens[i - 1]))
        .collect();
    let mut out = Vec::new();
    let mut seek = seek;
    if !consecutive.is_empty() {
        let mut slices = consecutive;
        if single_timestamp_ending {
            slices.push(n);
        }
        let mut last_slice = 0;
        for &cur in &slices {
            let piece = &tokens[last_slice..cur];
            let start = time_offset + (piece[0] - tb) as f64 * TIME_PRECISION;
            let end = time_offset + (piece[piece.len() - 1] - tb) as f64 * TIME_PRECISION;
            out.push((start, end, piece.to_vec()));
            last_slice = cur;
        }
        if single_timestamp_ending {
            seek += segment_size;
        } else {
            let last_ts = (tokens[last_slice - 1] - tb) as usize;
            seek += last_ts * INPUT_STRIDE;
        }
    } else {
        let mut duration = segment_duration;
        if let Some(&last) = tokens.iter().rev().find(|&&t| is_ts(t))
            && last != tb
        {
            duration = (last - tb) as f64 * TIME_PRECISION;
        }
        out.push((time_offset, time_offset + duration, tokens.to_vec()));
        seek += segment_size;
    }
    (out, seek)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn special() -> Special {
        Special {
            eot: 50256,
            sot: 50257,
            sot_prev: 50360,
            no_timestamps: 50362,
            no_speech: 50361,
            timestamp_begin: 50363,
            timestamp_end: 51863,
            sot_sequence: vec![50257],
        }
    }

    #[test]
    fn segments_are_cut_at_timestamp_pairs() {
        let s = special();
        let t = |x: u32| 50363 + x;
        // <0.00> a b <1.00><1.00> c <2.00>  (single timestamp ending)
        let toks = vec![t(0), 10, 11, t(50), t(50), 12, t(100)];
        let (pieces, seek) = split_by_timestamps(&toks, &s, 30.0, 3000, 30.0, 3000);
        assert_eq!(pieces.len(), 2);
        assert_eq!((pieces[0].0, pieces[0].1), (30.0, 31.0));
        assert_eq!((pieces[1].0, pieces[1].1), (31.0, 32.0));
        assert_eq!(seek, 6000);
        // Unfinished last segment: seek to the last complete timestamp.
        let toks = vec![t(0), 10, t(50), t(50), 12];
        let (pieces, seek) = split_by_timestamps(&toks, &s, 0.0, 3000, 30.0, 0);
        assert_eq!(pieces.len(), 1);
        assert_eq!(seek, 100);
    }

    #[test]
    fn timestamp_rules_force_a_timestamp_first_and_pairs_after() {
        let s = special();
        let mut l = vec![0f32; 51864];
        l[100] = 10.0;
        apply_timestamp_rules(&mut l, &[], &s, 50363 + 50);
        let (best, _) = argmax_logprob(&l);
        assert!((50363..=50413).contains(&best));
        // After a single timestamp following text: only timestamps or EOT.
        let mut l = vec![0f32; 51864];
        l[100] = 10.0;
        l[50256] = 20.0;
        apply_timestamp_rules(&mut l, &[50363, 100, 50380], &s, 50413);
        assert_eq!(l[100], f32::NEG_INFINITY);
        assert_eq!(l[50370], f32::NEG_INFINITY); // smaller than the last timestamp
        assert!(l[50256].is_finite());
    }

    #[test]
    fn compression_ratio_flags_repetition() {
        assert!(compression_ratio(&". ".repeat(30)) > 2.4);
        assert!(
            compression_ratio("The patient reports chest pain radiating to the left arm.") < 2.0
        );
        assert_eq!(compression_ratio(""), 0.0);
    }

    #[test]
    fn sinusoids_start_with_sin_zero_and_cos_one() {
        let s = sinusoids(3, 8);
        assert_eq!(&s[0..8], &[0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]);
        assert!((s[8] - 1f32.sin()).abs() < 1e-7);
    }
}
