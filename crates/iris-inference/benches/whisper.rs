//! `cargo bench -p iris-inference --bench whisper`: Whisper tiny.en on the CPU — load time
//! (sha256 of the files included), real-time factor on ~30 s of speech (the fixture sentences
//! twice, 0.3 s apart; or the 16 kHz WAV in IRIS_BENCH_WAV), best of 3 after a warm-up, and
//! peak resident memory (VmHWM). The reference on the same weights and audio:
//! `tools/reference/whisper_reference.py bench` (faster-whisper, float32, 2 threads, beam 1).

use std::path::{Path, PathBuf};
use std::time::Instant;

use candle_core::{Device, Tensor};
use iris_inference::audio;
use iris_inference::whisper::Whisper;

fn vm_hwm_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
        / 1024
}

fn read(path: &Path) -> Vec<f32> {
    audio::read_wav_16k(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// ~30 s of speech: the recipe of `bench_audio()` in tools/reference/whisper_reference.py.
fn bench_audio() -> Vec<f32> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/whisper");
    let clips: Vec<Vec<f32>> = ["clinical.wav", "vitals.wav", "plan.wav", "allergy.wav"]
        .iter()
        .map(|n| read(&dir.join(n)))
        .collect();
    let gap = vec![0f32; (0.3 * 16_000.0) as usize];
    let mut out = Vec::new();
    for _ in 0..2 {
        for c in &clips {
            out.extend_from_slice(c);
            out.extend_from_slice(&gap);
        }
    }
    out
}

fn main() {
    let models = std::env::var_os("IRIS_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/iris/models"));
    let pcm = match std::env::var_os("IRIS_BENCH_WAV") {
        Some(p) => read(Path::new(&p)),
        None => bench_audio(),
    };
    let seconds = pcm.len() as f64 / 16_000.0;
    let runs: usize = std::env::var("IRIS_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);

    let t = Instant::now();
    let mut model = Whisper::load(&models, &Device::Cpu).expect("whisper-tiny installed");
    let load = t.elapsed().as_secs_f64();
    let rss_loaded = vm_hwm_mib();

    let mut times = Vec::new();
    let mut text = String::new();
    for i in 0..=runs {
        let t = Instant::now();
        let tr = model.transcribe(&pcm, &mut |_| {}).unwrap();
        let dt = t.elapsed().as_secs_f64();
        if i > 0 {
            times.push(dt); // run 0 is the warm-up
        }
        text = tr.text;
    }
    // Where the time goes: one window's encoder (+1 token, on a silent mel) and greedy
    // decoding without timestamps of the first 30 s.
    let mel = audio::log_mel(&pcm);
    let frames = audio::n_frames(pcm.len());
    let window = |start: usize| {
        Tensor::from_vec(
            audio::mel_window(&mel, frames, start, 3000),
            (80, 3000),
            &Device::Cpu,
        )
        .unwrap()
    };
    let zeros = Tensor::zeros((80, 3000), candle_core::DType::F32, &Device::Cpu).unwrap();
    let (mut enc_best, mut tok_best, mut n_tok) = (f64::MAX, f64::MAX, 0);
    for _ in 0..runs {
        let t = Instant::now();
        model.decode_tokens(&zeros).unwrap();
        let enc = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let toks = model.decode_tokens(&window(0)).unwrap();
        let all = t.elapsed().as_secs_f64();
        n_tok = toks.len();
        enc_best = enc_best.min(enc);
        tok_best = tok_best.min((all - enc).max(0.0) / n_tok.max(1) as f64);
    }
    println!(
        "iris whisper-tiny: encoder {:.0} ms per 30 s window, decoding {:.1} ms per token ({n_tok} \
         tokens, best of {runs})",
        enc_best * 1000.0,
        tok_best * 1000.0
    );
    let rtfs: Vec<String> = times
        .iter()
        .map(|t| format!("{:.4}", t / seconds))
        .collect();
    let best = times.iter().copied().fold(f64::MAX, f64::min);
    println!(
        "iris whisper-tiny: {seconds:.2} s of audio, transcribe {:?} s, RTF {} (best {:.4}), \
         {} words",
        times
            .iter()
            .map(|t| (t * 1000.0).round() / 1000.0)
            .collect::<Vec<_>>(),
        rtfs.join(" "),
        best / seconds,
        text.split_whitespace().count()
    );
    println!(
        "iris whisper-tiny load {load:.2} s (sha256 of the files included), peak RSS after load \
         {rss_loaded} MiB, peak RSS {} MiB, threads {}",
        vm_hwm_mib(),
        candle_core::utils::get_num_threads()
    );
}
