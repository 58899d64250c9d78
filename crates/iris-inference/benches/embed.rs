//! `cargo bench -p iris-inference --bench embed`: MiniLM sentence embeddings on the CPU —
//! load time, sentences per second at batch 32 and batch 1 (the 256 sentences of
//! tools/reference/bench_sentences.txt, best of 3), peak resident memory. The reference on the
//! same weights and sentences: `tools/reference/embed_reference.py bench`.

use std::path::PathBuf;
use std::time::Instant;

use candle_core::Device;
use iris_inference::{Embedder, bench};

fn main() {
    let models = std::env::var_os("IRIS_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/iris/models"));
    let sentences = bench::bench_sentences();
    let t = Instant::now();
    let model = Embedder::load(&models, "minilm", &Device::Cpu).expect("minilm installed");
    let load = t.elapsed().as_secs_f64();
    model.embed(&sentences[..32]).unwrap(); // warm-up
    for batch in [32usize, 1] {
        let n = if batch > 1 { sentences.len() } else { 64 };
        let mut best = f64::MAX;
        for _ in 0..3 {
            let t = Instant::now();
            for chunk in sentences[..n].chunks(batch) {
                model.embed(chunk).unwrap();
            }
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!(
            "iris minilm batch {batch}: {:.1} sentences/s ({n} sentences, best of 3)",
            n as f64 / best
        );
    }
    println!(
        "iris minilm load {load:.2} s (sha256 of the files included), peak RSS {} MiB",
        bench::peak_rss_mib().unwrap_or(0)
    );
}
