//! Whisper speech-to-text against CTranslate2/faster-whisper on the same weights and audio
//! (fixtures from tools/reference/whisper_reference.py), the CTranslate2 reader on synthetic
//! files, audio input, silence, long recordings, and refusal of corrupt model files.
//! Needs the real weights: `cargo xtask fetch-models` (or IRIS_MODELS_DIR).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use candle_core::{Device, Tensor};
use iris_inference::audio;
use iris_inference::ct2::{self, Ct2Model, DType};
use iris_inference::whisper::{Segment, Whisper};

const CLINICAL: &str = "The patient reports chest pain radiating to the left arm for two hours.";

fn models_dir() -> PathBuf {
    let dir = std::env::var_os("IRIS_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/iris/models"));
    assert!(
        dir.join("whisper-tiny/model.bin").is_file(),
        "Whisper weights are not in {}/whisper-tiny — run `cargo xtask fetch-models` (or set \
         IRIS_MODELS_DIR)",
        dir.display()
    );
    dir
}

/// One model shared by the tests (loaded once, used by one test at a time).
fn whisper() -> MutexGuard<'static, Whisper> {
    static MODEL: OnceLock<Mutex<Whisper>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            Mutex::new(Whisper::load(&models_dir(), &Device::Cpu).expect("whisper-tiny loads"))
        })
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/whisper")
        .join(name)
}

fn read_fixture(name: &str) -> Vec<f32> {
    let w = audio::decode_wav(&std::fs::read(fixture(name)).unwrap()).unwrap();
    assert_eq!((w.sample_rate, w.channels), (16_000, 1), "{name}");
    w.samples
}

fn reference() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(fixture("reference.json")).unwrap()).unwrap()
}

fn words(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'')
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Word error rate: word-level edit distance over the reference length.
fn wer(reference: &str, hypothesis: &str) -> f64 {
    let r = words(reference);
    let h = words(hypothesis);
    let mut prev: Vec<usize> = (0..=h.len()).collect();
    for i in 1..=r.len() {
        let mut cur = vec![i; h.len() + 1];
        for j in 1..=h.len() {
            let sub = prev[j - 1] + usize::from(r[i - 1] != h[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        prev = cur;
    }
    prev[h.len()] as f64 / r.len().max(1) as f64
}

/// ~45 s: the recipe of `long_audio()` in tools/reference/whisper_reference.py.
fn long_audio() -> Vec<f32> {
    let c = read_fixture("clinical.wav");
    let v = read_fixture("vitals.wav");
    let p = read_fixture("plan.wav");
    let gap = vec![0f32; 6 * 16_000];
    [&c[..], &gap, &v, &gap, &p, &gap, &c, &gap, &v].concat()
}

/// Deterministic Gaussian-ish noise of standard deviation `sd`.
fn noise(n: usize, sd: f32) -> Vec<f32> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut uniform = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f32 / (1u64 << 53) as f32
    };
    (0..n)
        .map(|_| {
            // Sum of 12 uniforms − 6: mean 0, variance 1.
            let s: f32 = (0..12).map(|_| uniform()).sum::<f32>() - 6.0;
            s * sd
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// CTranslate2 reader on synthetic files

fn f32_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn synthetic() -> Vec<u8> {
    let w = f32_bytes(&[0.5, -1.5, 2.0, 4.0, -8.0, 16.0]);
    let h: Vec<u8> = [0x3c00u16, 0xbc00, 0x4000, 0x0000]
        .iter()
        .flat_map(|x| x.to_le_bytes())
        .collect();
    let i8s = [1u8, 0xff, 3];
    let i16s: Vec<u8> = [-300i16, 300]
        .iter()
        .flat_map(|x| x.to_le_bytes())
        .collect();
    let heads = 6i16.to_le_bytes();
    let flag = [1u8];
    ct2::write(
        "WhisperSpec",
        3,
        &[
            ("encoder/conv1/weight", &[2, 1, 3], DType::F32, &w),
            ("decoder/embeddings/weight", &[2, 2], DType::F16, &h),
            ("decoder/codes", &[3], DType::I8, &i8s),
            ("decoder/wide", &[2], DType::I16, &i16s),
            ("decoder/num_heads", &[], DType::I16, &heads),
            ("decoder/pre_norm", &[], DType::I8, &flag),
        ],
        &[("decoder/projection/weight", "decoder/embeddings/weight")],
    )
}

#[test]
fn ct2_reader_round_trips_a_synthetic_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.bin");
    std::fs::write(&path, synthetic()).unwrap();
    let m = Ct2Model::read_file(&path, "synthetic").unwrap();
    assert_eq!(
        (m.version, m.spec.as_str(), m.revision),
        (6, "WhisperSpec", 3)
    );
    assert_eq!(
        m.names(),
        &[
            "encoder/conv1/weight",
            "decoder/embeddings/weight",
            "decoder/codes",
            "decoder/wide",
            "decoder/num_heads",
            "decoder/pre_norm"
        ]
    );
    let w = m.get("encoder/conv1/weight").unwrap();
    assert_eq!((w.shape, w.dtype), (&[2usize, 1, 3][..], DType::F32));
    assert_eq!(w.to_f32_vec(), vec![0.5, -1.5, 2.0, 4.0, -8.0, 16.0]);
    let t = w.to_tensor(&Device::Cpu).unwrap();
    assert_eq!(t.dims(), &[2, 1, 3]);
    let e = m.get("decoder/embeddings/weight").unwrap();
    assert_eq!(e.dtype, DType::F16);
    assert_eq!(e.to_f32_vec(), vec![1.0, -1.0, 2.0, 0.0]);
    // The alias resolves to the same data.
    let p = m.get("decoder/projection/weight").unwrap();
    assert_eq!(p.to_f32_vec(), e.to_f32_vec());
    assert_eq!(
        m.resolve("decoder/projection/weight"),
        Some("decoder/embeddings/weight")
    );
    assert_eq!(m.get("decoder/codes").unwrap().to_i64_vec(), vec![1, -1, 3]);
    assert_eq!(m.get("decoder/wide").unwrap().to_i64_vec(), vec![-300, 300]);
    assert_eq!(m.scalar_i64("decoder/num_heads"), Some(6));
    assert_eq!(m.scalar_i64("decoder/pre_norm"), Some(1));
    assert_eq!(m.scalar_f32("decoder/num_heads"), Some(6.0));
    assert_eq!(m.scalar_i64("decoder/codes"), None, "not a scalar");
    assert!(m.get("decoder/missing").is_none());
    assert_eq!(
        m.require("decoder/missing", "synthetic")
            .unwrap_err()
            .code(),
        "CORRUPT"
    );
}

fn assert_corrupt(bytes: Vec<u8>, what: &str) -> String {
    match Ct2Model::parse(bytes, "synthetic") {
        Ok(_) => panic!("{what}: accepted"),
        Err(e) => {
            assert_eq!(e.code(), "CORRUPT", "{what}: {e}");
            e.to_string()
        }
    }
}

#[test]
fn ct2_reader_refuses_truncated_corrupt_and_absurd_files_without_panicking() {
    let good = synthetic();
    // Every truncation, also through a file on disk.
    for n in 0..good.len() {
        assert_corrupt(good[..n].to_vec(), &format!("truncated to {n}"));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.bin");
    std::fs::write(&path, &good[..good.len() / 2]).unwrap();
    let e = Ct2Model::read_file(&path, "synthetic").unwrap_err();
    assert_eq!(e.code(), "CORRUPT");
    assert!(e.to_string().contains("truncated"), "{e}");

    // Wrong magic/version: a WAV file, version 5, version 0xFFFFFFFF.
    let msg = assert_corrupt(b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec(), "riff");
    assert!(msg.contains("version"), "{msg}");
    for v in [5u32, 7, u32::MAX] {
        let mut b = good.clone();
        b[..4].copy_from_slice(&v.to_le_bytes());
        assert_corrupt(b, &format!("version {v}"));
    }

    // Offsets in the synthetic file: version(4) + spec(2 + 12) + revision(4) = 22: count.
    let count_at = 4 + 2 + "WhisperSpec\0".len() + 4;
    for c in [u32::MAX, 1_000_001, 7] {
        let mut b = good.clone();
        b[count_at..count_at + 4].copy_from_slice(&c.to_le_bytes());
        assert_corrupt(b, &format!("count {c}"));
    }
    // First variable: name (2 + 21), rank, dims.
    let rank_at = count_at + 4 + 2 + "encoder/conv1/weight\0".len();
    let mut b = good.clone();
    b[rank_at] = 200;
    assert!(assert_corrupt(b, "rank 200").contains("rank"));
    // Absurd dimensions: the product overflows or does not match the byte count.
    for d in [u32::MAX, 1 << 30, 3] {
        let mut b = good.clone();
        b[rank_at + 1..rank_at + 5].copy_from_slice(&d.to_le_bytes());
        assert_corrupt(b, &format!("dim {d}"));
    }
    // Unknown dtype.
    let dtype_at = rank_at + 1 + 3 * 4;
    let mut b = good.clone();
    b[dtype_at] = 9;
    assert!(assert_corrupt(b, "dtype").contains("dtype"));
    // Absurd byte count.
    let mut b = good.clone();
    b[dtype_at + 1..dtype_at + 5].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_corrupt(b, "byte count");
    // Name length past the end.
    let mut b = good.clone();
    b[count_at + 4..count_at + 6].copy_from_slice(&u16::MAX.to_le_bytes());
    assert_corrupt(b, "name length");
    // Trailing garbage, a dangling alias.
    let mut b = good.clone();
    b.extend_from_slice(b"junk");
    assert!(assert_corrupt(b, "trailing").contains("unexpected bytes"));
    let dangling = ct2::write("WhisperSpec", 3, &[], &[("a", "b")]);
    assert!(assert_corrupt(dangling, "dangling alias").contains("alias"));
    let cycle = ct2::write("WhisperSpec", 3, &[], &[("a", "b"), ("b", "a")]);
    assert_corrupt(cycle, "alias cycle");
    // Random bytes never panic.
    let mut x: u32 = 12345;
    for n in [0usize, 1, 10, 100, 1000] {
        let junk: Vec<u8> = (0..n)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect();
        assert!(Ct2Model::parse(junk, "synthetic").is_err());
    }
}

#[test]
fn the_shipped_model_file_parses_with_the_expected_layout() {
    let m =
        Ct2Model::read_file(&models_dir().join("whisper-tiny/model.bin"), "whisper-tiny").unwrap();
    assert_eq!(
        (m.version, m.spec.as_str(), m.revision),
        (6, "WhisperSpec", 3)
    );
    assert_eq!(
        m.get("decoder/embeddings/weight").unwrap().shape,
        &[51864, 384]
    );
    assert_eq!(
        m.resolve("decoder/projection/weight"),
        Some("decoder/embeddings/weight")
    );
    assert_eq!(
        m.get("encoder/layer_0/self_attention/linear_0/weight")
            .unwrap()
            .shape,
        &[1152, 384]
    );
    assert_eq!(m.scalar_i64("decoder/num_heads"), Some(6));
    // The key slice of every fused bias is zero (dropping it is exact).
    for i in 0..4 {
        for (p, range) in [
            (
                format!("encoder/layer_{i}/self_attention/linear_0/bias"),
                384..768,
            ),
            (
                format!("decoder/layer_{i}/self_attention/linear_0/bias"),
                384..768,
            ),
            (format!("decoder/layer_{i}/attention/linear_1/bias"), 0..384),
        ] {
            let b = m.get(&p).unwrap().to_f32_vec();
            assert!(b[range].iter().all(|&x| x == 0.0), "{p}");
        }
    }
    // The stored encoder positions are Whisper's sinusoids (to f16 precision).
    let stored = m
        .get("encoder/position_encodings/encodings")
        .unwrap()
        .to_f32_vec();
    let sin = iris_inference::whisper::sinusoids(1500, 384);
    let diff = stored
        .iter()
        .zip(&sin)
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    assert!(diff < 1e-3, "{diff}");
}

// ---------------------------------------------------------------------------------------------
// Front end and tokens against faster-whisper / CTranslate2

#[test]
fn log_mel_matches_faster_whisper_feature_extractor() {
    let r = reference();
    for (name, clip) in r["clips"].as_object().unwrap() {
        let pcm = read_fixture(name);
        assert_eq!(pcm.len() as u64, clip["samples"].as_u64().unwrap());
        let mel = audio::log_mel(&pcm);
        let frames = audio::n_frames(pcm.len());
        let m = &clip["mel"];
        let shape: Vec<usize> = serde_json::from_value(m["shape"].clone()).unwrap();
        assert_eq!(shape, vec![80, frames], "{name}");
        assert_eq!(mel.len(), 80 * frames);
        let max = mel.iter().copied().fold(f32::MIN, f32::max);
        let min = mel.iter().copied().fold(f32::MAX, f32::min);
        assert!(
            (max - m["max"].as_f64().unwrap() as f32).abs() < 1e-5,
            "{name} max"
        );
        assert!(
            (min - m["min"].as_f64().unwrap() as f32).abs() < 1e-5,
            "{name} min"
        );
        let sum: f64 = mel.iter().map(|&x| x as f64).sum();
        let want_sum = m["sum"].as_f64().unwrap();
        assert!(
            (sum - want_sum).abs() < 1e-5 * (80 * frames) as f64,
            "{name}: sum {sum} vs {want_sum}"
        );
        let picks: Vec<usize> = serde_json::from_value(m["frames"].clone()).unwrap();
        let values: Vec<Vec<f32>> = serde_json::from_value(m["values"].clone()).unwrap();
        let mut worst = 0f32;
        for (f, want) in picks.iter().zip(&values) {
            for (bin, w) in want.iter().enumerate() {
                worst = worst.max((mel[bin * frames + f] - w).abs());
            }
        }
        assert!(worst < 1e-5, "{name}: max |Δ| {worst}");
    }
}

fn window_tensor(pcm: &[f32]) -> Tensor {
    let mel = audio::log_mel(pcm);
    let frames = audio::n_frames(pcm.len());
    // As faster-whisper: the content frames (all but the last), zero-padded to 3000.
    let w = audio::mel_window(&mel, frames, 0, frames - 1);
    Tensor::from_vec(w, (80, 3000), &Device::Cpu).unwrap()
}

#[test]
fn greedy_tokens_equal_ctranslate2() {
    let r = reference();
    let mut model = whisper();
    for (name, clip) in r["clips"].as_object().unwrap() {
        let want: Vec<u32> = serde_json::from_value(clip["tokens"].clone()).unwrap();
        let got = model
            .decode_tokens(&window_tensor(&read_fixture(name)))
            .unwrap();
        assert_eq!(
            got,
            want,
            "{name}: ours {:?} vs CTranslate2 {:?}",
            model.decode_text(&got).unwrap(),
            clip["text"]
        );
    }
    // Same input as [1, 80, 3000].
    let t = window_tensor(&read_fixture("clinical.wav"))
        .unsqueeze(0)
        .unwrap();
    let want: Vec<u32> =
        serde_json::from_value(r["clips"]["clinical.wav"]["tokens"].clone()).unwrap();
    assert_eq!(model.decode_tokens(&t).unwrap(), want);
    // A wrong shape is refused.
    let bad = Tensor::zeros((80, 100), candle_core::DType::F32, &Device::Cpu).unwrap();
    assert_eq!(
        model.decode_tokens(&bad).unwrap_err().code(),
        "INVALID_INPUT"
    );
}

#[test]
fn the_candle_decoder_used_on_gpus_gives_the_same_tokens() {
    // The decoder on candle ops (what CUDA/Metal run) against the same references, on the CPU.
    let dir = models_dir().join("whisper-tiny");
    let mut model = Whisper::load_dir_candle_decoder(&dir, &Device::Cpu).unwrap();
    assert!(format!("{model:?}").contains("candle"));
    let r = reference();
    for name in ["clinical.wav", "vitals.wav"] {
        let want: Vec<u32> = serde_json::from_value(r["clips"][name]["tokens"].clone()).unwrap();
        let got = model
            .decode_tokens(&window_tensor(&read_fixture(name)))
            .unwrap();
        assert_eq!(got, want, "{name}");
    }
    let t = model
        .transcribe_file(&fixture("clinical.wav"), &mut |_| {})
        .unwrap();
    assert!(wer(CLINICAL, &t.text) <= 0.2, "{:?}", t.text);
}

#[test]
fn suppressed_tokens_equal_faster_whisper() {
    let want: Vec<u32> = serde_json::from_value(reference()["suppress_tokens"].clone()).unwrap();
    assert_eq!(whisper().suppressed_tokens(), &want[..]);
}

// ---------------------------------------------------------------------------------------------
// Transcription

#[test]
fn clinical_sentence_is_transcribed_with_low_word_error_rate() {
    let mut model = whisper();
    let mut seen = Vec::new();
    let t = model
        .transcribe_file(&fixture("clinical.wav"), &mut |s: &Segment| {
            seen.push(s.clone())
        })
        .unwrap();
    let rate = wer(CLINICAL, &t.text);
    assert!(rate <= 0.2, "WER {rate}: {:?}", t.text);
    assert!(!t.segments.is_empty());
    assert_eq!(seen, t.segments);
    assert!((t.audio_seconds - 65_162.0 / 16_000.0).abs() < 1e-9);
    let s = &t.segments[0];
    assert!(s.start >= 0.0 && s.end > s.start && s.end <= t.audio_seconds + 0.5);
    assert!(s.no_speech_prob < 0.5, "{}", s.no_speech_prob);
    assert!(wer("", "") == 0.0 && wer("a b", "a c") == 0.5);
}

#[test]
fn silence_and_low_noise_give_an_empty_transcript() {
    let mut model = whisper();
    let mut calls = 0;
    let mut cb = |_: &Segment| calls += 1;
    let cases: Vec<(&str, Vec<f32>)> = vec![
        ("empty", Vec::new()),
        ("one sample", vec![0.0]),
        ("10 s of zeros", vec![0.0; 160_000]),
        ("noise at -60 dBFS", noise(160_000, 0.001)),
        // Just above the silence gate: tiny.en says ". . . ." here, with a high no-speech
        // probability; that must not come out.
        ("noise at -52 dBFS", noise(128_000, 0.0025)),
        ("noise at -46 dBFS", noise(128_000, 0.005)),
        ("noise at -40 dBFS", noise(80_000, 0.01)),
        ("noise at -30 dBFS", noise(80_000, 0.03)),
        (
            "50 Hz hum",
            (0..128_000)
                .map(|i| 0.05 * (2.0 * std::f32::consts::PI * 50.0 * i as f32 / 16_000.0).sin())
                .collect(),
        ),
    ];
    for (what, pcm) in &cases {
        let t = model.transcribe(pcm, &mut cb).unwrap();
        assert_eq!(t.text, "", "{what}");
        assert!(t.segments.is_empty(), "{what}");
    }
    assert_eq!(calls, 0);
    // NaN is refused, not transcribed.
    let e = model.transcribe(&[0.0, f32::NAN], &mut |_| {}).unwrap_err();
    assert_eq!(e.code(), "INVALID_INPUT");
}

#[test]
fn a_44k_stereo_wav_gives_the_same_text_as_the_16k_mono_one() {
    let stereo =
        audio::decode_wav(&std::fs::read(fixture("allergy_44k_stereo.wav")).unwrap()).unwrap();
    assert_eq!((stereo.sample_rate, stereo.channels), (44_100, 2));
    let mut model = whisper();
    let mono = model
        .transcribe_file(&fixture("allergy.wav"), &mut |_| {})
        .unwrap();
    let resampled = model
        .transcribe_file(&fixture("allergy_44k_stereo.wav"), &mut |_| {})
        .unwrap();
    assert!(!mono.text.is_empty());
    assert_eq!(resampled.text, mono.text);
    assert!((resampled.audio_seconds - mono.audio_seconds).abs() < 0.01);
}

#[test]
fn mp3_garbage_and_compressed_wav_are_invalid_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut model = whisper();
    let mut mp3 = b"ID3\x04\x00\x00\x00\x00\x00\x21".to_vec();
    mp3.extend(std::iter::repeat_n(0xAAu8, 2000));
    let mut frame_sync = vec![0xFF, 0xFB, 0x90, 0x64];
    frame_sync.extend(std::iter::repeat_n(0u8, 1000));
    // A WAV header with format tag 2 (MS ADPCM).
    let mut adpcm = audio::encode_wav_i16(&[0.0; 100], 16_000, 1);
    adpcm[20..22].copy_from_slice(&2u16.to_le_bytes());
    // A WAV with a fmt chunk but no data chunk.
    let no_data = audio::encode_wav_i16(&[], 16_000, 1)[..36].to_vec();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("id3.mp3", mp3),
        ("sync.mp3", frame_sync),
        (
            "garbage.wav",
            (0..5000u32).map(|i| (i * 7 % 251) as u8).collect(),
        ),
        ("empty.wav", Vec::new()),
        ("adpcm.wav", adpcm),
        ("nodata.wav", no_data),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let e = model.transcribe_file(&path, &mut |_| {}).unwrap_err();
        assert_eq!(e.code(), "INVALID_INPUT", "{name}: {e}");
    }
    let e = model
        .transcribe_file(&dir.path().join("missing.wav"), &mut |_| {})
        .unwrap_err();
    assert_eq!(e.code(), "INVALID_INPUT");
}

#[test]
fn other_wav_sample_formats_decode_to_the_same_samples() {
    let pcm = read_fixture("allergy.wav");
    let n = 4000;
    let src = &pcm[8000..8000 + n];
    let wav = |tag: u16, bits: u16, channels: u16, body: Vec<u8>| -> Vec<u8> {
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&(36 + body.len() as u32 + 12).to_le_bytes());
        out.extend_from_slice(b"WAVE");
        // An unrelated chunk first (odd size, padded) to check chunk walking.
        out.extend_from_slice(b"LIST\x03\x00\x00\x00abc\x00");
        out.extend_from_slice(b"fmt \x10\x00\x00\x00");
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&channels.to_le_bytes());
        out.extend_from_slice(&16_000u32.to_le_bytes());
        let block = channels * bits / 8;
        out.extend_from_slice(&(16_000 * block as u32).to_le_bytes());
        out.extend_from_slice(&block.to_le_bytes());
        out.extend_from_slice(&bits.to_le_bytes());
        out.extend_from_slice(b"data");
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend(body);
        out
    };
    let i24: Vec<u8> = src
        .iter()
        .flat_map(|&x| {
            let v = (x * 8_388_608.0) as i32;
            v.to_le_bytes()[..3].to_vec()
        })
        .collect();
    let i32s: Vec<u8> = src
        .iter()
        .flat_map(|&x| ((x as f64 * 2_147_483_648.0) as i32).to_le_bytes())
        .collect();
    let f32s: Vec<u8> = src.iter().flat_map(|&x| x.to_le_bytes()).collect();
    // Stereo float: left = x, right = −x/2 → mean x/4.
    let f32_stereo: Vec<u8> = src
        .iter()
        .flat_map(|&x| [x.to_le_bytes(), (-x / 2.0).to_le_bytes()].concat())
        .collect();
    for (what, bytes, scale) in [
        ("pcm24", wav(1, 24, 1, i24), 1.0),
        ("pcm32", wav(1, 32, 1, i32s), 1.0),
        ("float32", wav(3, 32, 1, f32s), 1.0),
        ("float32 stereo", wav(3, 32, 2, f32_stereo), 0.25),
    ] {
        let w = audio::decode_wav(&bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(w.samples.len(), n, "{what}");
        for (a, b) in w.samples.iter().zip(src) {
            assert!((a - b * scale).abs() < 1e-6, "{what}");
        }
    }
}

#[test]
fn long_audio_gives_increasing_segments_over_several_windows_streamed_in_order() {
    let pcm = long_audio();
    let seconds = pcm.len() as f64 / 16_000.0;
    assert!(seconds > 40.0, "{seconds}");
    let mut model = whisper();
    let mut streamed: Vec<(Segment, std::time::Instant)> = Vec::new();
    let t = model
        .transcribe(&pcm, &mut |s: &Segment| {
            streamed.push((s.clone(), std::time::Instant::now()))
        })
        .unwrap();
    let done = std::time::Instant::now();
    let (streamed, at): (Vec<Segment>, Vec<std::time::Instant>) = streamed.into_iter().unzip();
    assert_eq!(streamed, t.segments, "one callback per segment, in order");
    // Segments come while their window is decoded, not all when it ends: the first two
    // segments of the first window are a whole sentence of decoding apart.
    assert!(t.segments[1].start < 30.0);
    assert!(
        at[1].duration_since(at[0]) > std::time::Duration::from_millis(5),
        "the first segment was only delivered with the next one"
    );
    assert!(done.duration_since(at[0]) > std::time::Duration::from_millis(50));
    assert!(t.segments.len() >= 4, "{:?}", t.segments);
    for w in t.segments.windows(2) {
        assert!(
            w[1].start > w[0].start,
            "{} then {}",
            w[0].start,
            w[1].start
        );
        assert!(w[1].start >= w[0].end - 1e-9);
    }
    for s in &t.segments {
        assert!(s.end >= s.start && s.end <= seconds + 1.0, "{s:?}");
    }
    let last = t.segments.last().unwrap();
    assert!(
        last.start > 30.0,
        "the second window was transcribed: {last:?}"
    );
    // The clinical sentence appears twice, at its two places in the recording.
    let clinical: Vec<&Segment> = t
        .segments
        .iter()
        .filter(|s| wer(CLINICAL, &s.text) <= 0.2)
        .collect();
    assert_eq!(clinical.len(), 2, "{:?}", t.segments);
    assert!(clinical[0].start < 1.0);
    assert!((clinical[1].start - 30.5).abs() < 1.5, "{:?}", clinical[1]);

    // Against faster-whisper (beam 1, temperature 0, timestamps): same segments.
    let r = reference();
    let want = r["long"]["segments"].as_array().unwrap();
    assert_eq!(t.segments.len(), want.len(), "{:?}", t.segments);
    for (got, w) in t.segments.iter().zip(want) {
        let tokens: Vec<u32> = serde_json::from_value(w["tokens"].clone()).unwrap();
        assert_eq!(got.tokens, tokens, "{:?} vs {}", got.text, w["text"]);
        assert_eq!(got.text, w["text"].as_str().unwrap());
        assert!((got.start - w["start"].as_f64().unwrap()).abs() < 1e-6);
        assert!((got.end - w["end"].as_f64().unwrap()).abs() < 1e-6);
    }
}

// ---------------------------------------------------------------------------------------------
// Refusal of missing, truncated and modified model files

fn copy_model(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in [
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    ] {
        std::fs::copy(models_dir().join("whisper-tiny").join(f), to.join(f)).unwrap();
    }
}

#[test]
fn a_truncated_model_file_is_refused_as_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    copy_model(dir.path());
    let bin = dir.path().join("model.bin");
    let len = std::fs::metadata(&bin).unwrap().len();
    for keep in [len / 2, len - 1, 10] {
        let f = std::fs::OpenOptions::new().write(true).open(&bin).unwrap();
        f.set_len(keep).unwrap();
        drop(f);
        let e = Whisper::load_dir(dir.path(), &Device::Cpu).unwrap_err();
        assert_eq!(e.code(), "CORRUPT", "{keep}: {e}");
    }
    // A folder without the files is "not installed", with the fix in the message.
    let empty = tempfile::tempdir().unwrap();
    let e = Whisper::load_dir(empty.path(), &Device::Cpu).unwrap_err();
    assert_eq!(e.code(), "NOT_INSTALLED");
    assert!(e.to_string().contains("cargo xtask fetch-models"), "{e}");
    let e = Whisper::load(empty.path(), &Device::Cpu).unwrap_err();
    assert_eq!(e.code(), "NOT_INSTALLED");
}

#[test]
fn a_model_file_with_a_modified_byte_fails_the_hash_check() {
    let models = tempfile::tempdir().unwrap();
    let dir = models.path().join("whisper-tiny");
    copy_model(&dir);
    let bin = dir.join("model.bin");
    let mut bytes = std::fs::read(&bin).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&bin, bytes).unwrap();
    let e = Whisper::load(models.path(), &Device::Cpu).unwrap_err();
    assert_eq!(e.code(), "CORRUPT", "{e}");
    assert!(e.to_string().contains("sha256"), "{e}");
}
