//! `cargo bench -p iris-inference --bench whisper`: Whisper tiny.en on the CPU — load time
//! (sha256 of the files included), real-time factor on ~30 s of speech (the fixture sentences
//! twice, 0.3 s apart; or the 16 kHz WAV in IRIS_BENCH_WAV), best of 3 after a warm-up, and
//! peak resident memory (VmHWM). The reference on the same weights and audio:
//! `tools/reference/whisper_reference.py bench` (faster-whisper, float32, 2 threads, beam 1).

use std::path::{Path, PathBuf};
use std::time::Instant;

use candle_core::{Device, Tensor};
use iris_inference::whisper::Whisper;
use iris_inference::{audio, bench};

fn read(path: &Path) -> Vec<f32> {
    audio::read_wav_16k(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn main() {
    let models = std::env::var_os("IRIS_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/iris/models"));
    let pcm = match std::env::var_os("IRIS_BENCH_WAV") {
        Some(p) => read(Path::new(&p)),
        None => bench::bench_audio().unwrap(),
    };
    let seconds = pcm.len() as f64 / 16_000.0;
    let runs: usize = std::env::var("IRIS_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);

    let t = Instant::now();
    let mut model = Whisper::load(&models, &Device::Cpu).expect("whisper-tiny installed");
    let load = t.elapsed().as_secs_f64();
    let rss_loaded = bench::peak_rss_mib().unwrap_or(0);

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
        bench::peak_rss_mib().unwrap_or(0),
        candle_core::utils::get_num_threads()
    );
}
