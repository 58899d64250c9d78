//! MiniLM sentence embeddings against sentence-transformers on the same weights
//! (fixtures from tools/reference/embed_reference.py), clinical sanity, and refusal of
//! corrupt model files. Needs the real weights: `cargo xtask fetch-models`.

use std::path::PathBuf;

use candle_core::Device;
use iris_inference::embed::{Embedder, cosine};

fn models_dir() -> PathBuf {
    let dir = std::env::var_os("IRIS_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/iris/models"));
    assert!(
        dir.join("minilm/model.safetensors").is_file(),
        "MiniLM weights are not in {} — run `cargo xtask fetch-models` (or set IRIS_MODELS_DIR)",
        dir.display()
    );
    dir
}

fn minilm() -> Embedder {
    Embedder::load(&models_dir(), "minilm", &Device::Cpu).expect("minilm loads")
}

#[derive(serde::Deserialize)]
struct Reference {
    dim: usize,
    items: Vec<Item>,
}

#[derive(serde::Deserialize)]
struct Item {
    text: String,
    token_ids: Vec<u32>,
    vector: Vec<f32>,
}

fn reference() -> Reference {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/embed/minilm_reference.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// sentence-transformers 6.2.0 (BERT → mean pooling → normalize, 128-token truncation) on
/// the same files: every component equal to 1e-4, in one padded batch (lengths 3 to 128
/// tokens, so padding and the attention mask matter) and one text at a time.
#[test]
fn embeddings_equal_sentence_transformers_to_1e_4() {
    let model = minilm();
    let r = reference();
    assert_eq!(model.dim(), r.dim);
    let texts: Vec<&str> = r.items.iter().map(|i| i.text.as_str()).collect();
    let batch = model.embed(&texts).unwrap();
    for (i, (item, v)) in r.items.iter().zip(&batch).enumerate() {
        let worst = item
            .vector
            .iter()
            .zip(v)
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        assert!(worst <= 1e-4, "item {i}: max abs difference {worst}");
        let single = &model.embed(&[item.text.as_str()]).unwrap()[0];
        let worst = item
            .vector
            .iter()
            .zip(single)
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        assert!(worst <= 1e-4, "item {i} alone: max abs difference {worst}");
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "unit length");
    }
    // The tokenizer agrees too, including the truncation of the long text to 128 tokens.
    assert!(r.items.iter().any(|i| i.token_ids.len() == 128));
}

/// Similar complaints are closer than unrelated ones.
#[test]
fn cardiac_chest_pain_is_closer_to_chest_pressure_than_to_an_ankle_sprain() {
    let model = minilm();
    let v = model
        .embed(&[
            "chest pain radiating to the left arm",
            "substernal chest pressure",
            "ankle sprain after a fall",
        ])
        .unwrap();
    let pair = cosine(&v[0], &v[1]);
    assert!(
        pair > cosine(&v[0], &v[2]),
        "{pair} vs {}",
        cosine(&v[0], &v[2])
    );
    assert!(
        pair > cosine(&v[1], &v[2]),
        "{pair} vs {}",
        cosine(&v[1], &v[2])
    );
}

#[test]
fn an_empty_batch_gives_no_vectors_and_order_is_kept() {
    let model = minilm();
    assert!(model.embed(&[]).unwrap().is_empty());
    let a = model.embed(&["fever", "cough"]).unwrap();
    let b = model.embed(&["cough", "fever"]).unwrap();
    assert!(cosine(&a[0], &b[1]) > 0.99999);
    assert!(cosine(&a[1], &b[0]) > 0.99999);
}

/// A models dir whose MiniLM weights differ by one byte, or are cut short, is refused before
/// anything is loaded; a missing one is "not installed".
#[test]
fn corrupt_truncated_or_missing_weights_are_refused() {
    let src = models_dir().join("minilm");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("minilm");
    std::fs::create_dir_all(dir.join("1_Pooling")).unwrap();
    for f in [
        "config.json",
        "tokenizer.json",
        "model.safetensors",
        "1_Pooling/config.json",
    ] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    let weights = dir.join("model.safetensors");
    let mut bytes = std::fs::read(&weights).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0x01;
    std::fs::write(&weights, &bytes).unwrap();
    let e = Embedder::load(tmp.path(), "minilm", &Device::Cpu).unwrap_err();
    assert_eq!(e.code(), "CORRUPT", "{e}");
    assert!(e.to_string().contains("sha256"), "{e}");

    bytes[n / 2] ^= 0x01;
    std::fs::write(&weights, &bytes[..n - 1000]).unwrap();
    let e = Embedder::load(tmp.path(), "minilm", &Device::Cpu).unwrap_err();
    assert_eq!(e.code(), "CORRUPT", "{e}");
    assert!(e.to_string().contains("truncated"), "{e}");
    // Loading the folder directly (no manifest) still refuses the truncated file.
    let e = Embedder::load_dir(&dir, "minilm", &Device::Cpu).unwrap_err();
    assert_eq!(e.code(), "CORRUPT", "{e}");

    std::fs::remove_file(&weights).unwrap();
    let e = Embedder::load(tmp.path(), "minilm", &Device::Cpu).unwrap_err();
    assert_eq!(e.code(), "NOT_INSTALLED", "{e}");
    assert!(e.to_string().contains("fetch-models"), "{e}");
}

/// Any BERT folder loads the same way (here MiniLM itself, through the folder API).
#[test]
fn a_bert_folder_loads_without_the_manifest() {
    let model = Embedder::load_dir(&models_dir().join("minilm"), "my-bert", &Device::Cpu).unwrap();
    assert_eq!(model.name(), "my-bert");
    assert_eq!(model.max_tokens(), 128);
    assert_eq!(model.embed(&["dyspnoea"]).unwrap()[0].len(), 384);
}

/// The unpadded CPU encoder gives candle's BERT's vectors (the padded, masked encoder that
/// GPUs run), for a mixed-length batch (gemm path) and each text alone (small-row path).
#[test]
fn the_cpu_encoder_equals_candles_bert() {
    let dir = models_dir().join("minilm");
    let fast = Embedder::load_dir(&dir, "minilm", &Device::Cpu).unwrap();
    let candle = Embedder::load_dir_candle(&dir, "minilm", &Device::Cpu).unwrap();
    let r = reference();
    let texts: Vec<&str> = r.items.iter().map(|i| i.text.as_str()).collect();
    let worst = |a: &[Vec<f32>], b: &[Vec<f32>]| {
        a.iter()
            .flatten()
            .zip(b.iter().flatten())
            .map(|(x, y)| (x - y).abs())
            .fold(0f32, f32::max)
    };
    let (a, b) = (fast.embed(&texts).unwrap(), candle.embed(&texts).unwrap());
    assert_eq!(a.len(), texts.len());
    assert!(worst(&a, &b) < 2e-5, "batch: {}", worst(&a, &b));
    for t in &texts[..4] {
        let (a, b) = (fast.embed(&[t]).unwrap(), candle.embed(&[t]).unwrap());
        assert!(worst(&a, &b) < 2e-5, "alone: {}", worst(&a, &b));
    }
}
