//! `iris bench inference`: the speed and memory of each installed model on this workstation,
//! with fixed inputs built into the binary (the same ones the `cargo bench` targets and the
//! reference scripts in tools/reference use, so the figures compare):
//!
//! - `minilm`: sentences per second at batch 32 (256 sentences) and batch 1 (64 sentences);
//! - `whisper-tiny`: real-time factor on ~30 s of synthesized clinical speech;
//! - `smollm2`, `gemma3`: prompt and decode tokens per second (a ~130-token prompt, 64 greedy
//!   tokens);
//!
//! each after a warm-up, best of `runs`, with the load time (file checks included) and the
//! peak resident memory while that model was loaded and ran (Linux: the process's peak is
//! reset before each model). The inputs are synthetic text and speech, never patient data.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use candle_core::Device;
use serde::Serialize;

use crate::error::{InferenceError, Result};
use crate::llm::{GenerateRequest, Sampling, TextModel};
use crate::whisper::Whisper;
use crate::{Embedder, audio, models};

/// The models benchmarked, in order.
pub const MODELS: [&str; 4] = ["minilm", "whisper-tiny", "smollm2", "gemma3"];

const SENTENCES: &str = include_str!("../../../tools/reference/bench_sentences.txt");
const PROMPT: &str = include_str!("../tests/fixtures/llm/bench_prompt.txt");
const CLIPS: [&[u8]; 4] = [
    include_bytes!("../tests/fixtures/whisper/clinical.wav"),
    include_bytes!("../tests/fixtures/whisper/vitals.wav"),
    include_bytes!("../tests/fixtures/whisper/plan.wav"),
    include_bytes!("../tests/fixtures/whisper/allergy.wav"),
];
/// Greedy tokens decoded after the prompt (as `llm_reference.py bench`).
pub const DECODE_TOKENS: usize = 64;

/// One figure.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Figure {
    /// `sentences_per_second_batch_32`, `real_time_factor`, `decode_tokens_per_second`, …
    pub name: String,
    pub value: f64,
    pub unit: String,
}

/// One model's result: its figures, or why it was not measured.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ModelBench {
    pub model: String,
    /// `ok`, `not_installed`, or the error code of what went wrong.
    pub status: String,
    /// The error, without any input (inputs here are synthetic anyway).
    pub message: Option<String>,
    pub load_seconds: Option<f64>,
    /// Peak resident memory of the process while this model was loaded and ran (MiB).
    pub peak_rss_mib: Option<u64>,
    pub figures: Vec<Figure>,
}

/// What `iris bench inference` reports.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BenchReport {
    pub device: String,
    pub threads: usize,
    pub runs: usize,
    pub models: Vec<ModelBench>,
}

/// The ~30 s of speech: the four fixture sentences twice, 0.3 s of silence after each (the
/// recipe of `bench_audio()` in tools/reference/whisper_reference.py).
pub fn bench_audio() -> Result<Vec<f32>> {
    let mut clips = Vec::new();
    for c in CLIPS {
        let wav = audio::decode_wav(c)?;
        clips.push(audio::resample(&wav.samples, wav.sample_rate, 16_000));
    }
    let gap = vec![0f32; 4_800];
    let mut out = Vec::new();
    for _ in 0..2 {
        for c in &clips {
            out.extend_from_slice(c);
            out.extend_from_slice(&gap);
        }
    }
    Ok(out)
}

/// The prompt of tests/fixtures/llm/bench_prompt.txt (as `llm_reference.py bench` sends it).
pub fn bench_prompt() -> &'static str {
    PROMPT.trim()
}

/// The timed generation (the bench prompt, raw, greedy, [`DECODE_TOKENS`] decode steps after
/// the token that comes with the prompt) and a short warm-up on the same prompt.
pub fn bench_requests() -> (GenerateRequest, GenerateRequest) {
    let req = GenerateRequest {
        prompt: bench_prompt().to_string(),
        raw: true,
        max_tokens: DECODE_TOKENS + 1,
        stop: vec![],
        sampling: Sampling::Greedy,
    };
    let warm = GenerateRequest {
        max_tokens: 4,
        ..req.clone()
    };
    (req, warm)
}

/// The sentences of tools/reference/bench_sentences.txt.
pub fn bench_sentences() -> Vec<&'static str> {
    SENTENCES.lines().filter(|l| !l.trim().is_empty()).collect()
}

/// Runs the benchmark of each of `models` (names of [`MODELS`]) on `device`, `runs` times
/// each after a warm-up. A model that is not installed or fails is reported as such; the
/// others still run. `progress` hears each model's name before it starts.
pub fn run(
    models_dir: &Path,
    device: &Device,
    device_name: &str,
    models: &[String],
    runs: usize,
    progress: &mut dyn FnMut(&str),
) -> Result<BenchReport> {
    let runs = runs.max(1);
    for m in models {
        if !MODELS.contains(&m.as_str()) {
            return Err(InferenceError::UnknownModel(format!(
                "{m} (benchmarked: {})",
                MODELS.join(", ")
            )));
        }
    }
    let mut out = Vec::new();
    for name in MODELS.iter().filter(|m| models.iter().any(|x| x == *m)) {
        progress(name);
        let mut bench = ModelBench {
            model: name.to_string(),
            status: "ok".into(),
            message: None,
            load_seconds: None,
            peak_rss_mib: None,
            figures: Vec::new(),
        };
        if !models::installed(models_dir, name) {
            bench.status = "not_installed".into();
            bench.message = Some(format!("{name} is not installed in the models dir"));
            out.push(bench);
            continue;
        }
        reset_peak_rss();
        let result = match *name {
            "minilm" => embed(models_dir, device, runs, &mut bench),
            "whisper-tiny" => whisper(models_dir, device, runs, &mut bench),
            _ => generate(models_dir, name, device, runs, &mut bench),
        };
        bench.peak_rss_mib = peak_rss_mib();
        if let Err(e) = result {
            bench.status = e.code().to_ascii_lowercase();
            bench.message = Some(e.to_string());
        }
        out.push(bench);
    }
    Ok(BenchReport {
        device: device_name.to_string(),
        threads: candle_core::utils::get_num_threads(),
        runs,
        models: out,
    })
}

fn figure(b: &mut ModelBench, name: &str, value: f64, unit: &str) {
    b.figures.push(Figure {
        name: name.into(),
        value,
        unit: unit.into(),
    });
}

/// The shortest of `runs` timings of `f` (seconds).
fn best_of(runs: usize, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    let mut best = f64::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        best = best.min(t.elapsed().as_secs_f64());
    }
    Ok(best)
}

fn embed(dir: &Path, device: &Device, runs: usize, b: &mut ModelBench) -> Result<()> {
    let t = Instant::now();
    let model = Embedder::load(dir, "minilm", device)?;
    b.load_seconds = Some(t.elapsed().as_secs_f64());
    let sentences = bench_sentences();
    model.embed(&sentences[..32.min(sentences.len())])?; // warm-up
    for (batch, n) in [(32usize, sentences.len()), (1, 64.min(sentences.len()))] {
        let s = best_of(runs, || {
            for chunk in sentences[..n].chunks(batch) {
                model.embed(chunk)?;
            }
            Ok(())
        })?;
        figure(
            b,
            &format!("sentences_per_second_batch_{batch}"),
            n as f64 / s,
            "sentences/s",
        );
    }
    Ok(())
}

fn whisper(dir: &Path, device: &Device, runs: usize, b: &mut ModelBench) -> Result<()> {
    let pcm = bench_audio()?;
    let seconds = pcm.len() as f64 / 16_000.0;
    let t = Instant::now();
    let mut model = Whisper::load(dir, device)?;
    b.load_seconds = Some(t.elapsed().as_secs_f64());
    let mut words = 0;
    model.transcribe(&pcm, &mut |_| {})?; // warm-up
    let s = best_of(runs, || {
        words = model
            .transcribe(&pcm, &mut |_| {})?
            .text
            .split_whitespace()
            .count();
        Ok(())
    })?;
    figure(b, "audio_seconds", seconds, "s");
    figure(b, "transcribe_seconds", s, "s");
    figure(b, "real_time_factor", s / seconds, "×");
    figure(b, "words", words as f64, "words");
    Ok(())
}

fn generate(
    dir: &Path,
    name: &str,
    device: &Device,
    runs: usize,
    b: &mut ModelBench,
) -> Result<()> {
    let t = Instant::now();
    let mut model = TextModel::load(dir, name, device)?;
    b.load_seconds = Some(t.elapsed().as_secs_f64());
    let (req, warm) = bench_requests();
    let never = AtomicBool::new(false);
    model.generate(&warm, &never, &mut |_| {})?;
    let (mut prompt_best, mut decode_best, mut prompt_tokens) = (0f64, 0f64, 0);
    for _ in 0..runs {
        let g = model.generate(&req, &never, &mut |_| {})?;
        let steps = g.tokens.len().saturating_sub(1);
        prompt_tokens = g.prompt_tokens;
        if g.prompt_seconds > 0.0 {
            prompt_best = prompt_best.max(g.prompt_tokens as f64 / g.prompt_seconds);
        }
        if g.decode_seconds > 0.0 {
            decode_best = decode_best.max(steps as f64 / g.decode_seconds);
        }
    }
    figure(b, "prompt_tokens", prompt_tokens as f64, "tokens");
    figure(b, "prompt_tokens_per_second", prompt_best, "tokens/s");
    figure(b, "decode_tokens_per_second", decode_best, "tokens/s");
    Ok(())
}

/// Resets the process's peak resident memory (Linux; elsewhere nothing happens).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's peak resident memory in MiB (Linux: VmHWM), `None` where unknown.
pub fn peak_rss_mib() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map(|kib| kib / 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_inputs_are_the_reference_scripts_inputs() {
        let s = bench_sentences();
        assert_eq!(s.len(), 256);
        let pcm = bench_audio().unwrap();
        let seconds = pcm.len() as f64 / 16_000.0;
        assert!((25.0..35.0).contains(&seconds), "{seconds}");
        assert!(PROMPT.trim().len() > 200);
    }

    #[test]
    fn unknown_models_are_refused_and_missing_ones_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let e = run(&dir, &Device::Cpu, "cpu", &["gpt".into()], 1, &mut |_| {}).unwrap_err();
        assert_eq!(e.code(), "UNKNOWN_MODEL");
        let r = run(
            &dir,
            &Device::Cpu,
            "cpu",
            &["gemma3".into(), "minilm".into()],
            1,
            &mut |_| {},
        )
        .unwrap();
        // In the fixed order, each not installed, nothing measured.
        let names: Vec<&str> = r.models.iter().map(|m| m.model.as_str()).collect();
        assert_eq!(names, ["minilm", "gemma3"]);
        assert!(r.models.iter().all(|m| m.status == "not_installed"));
        assert!(r.models.iter().all(|m| m.figures.is_empty()));
    }

    #[test]
    fn peak_memory_is_known_on_linux() {
        if cfg!(target_os = "linux") {
            reset_peak_rss();
            assert!(peak_rss_mib().is_some_and(|m| m > 0));
        }
    }
}
