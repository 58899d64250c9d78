//! `cargo bench -p iris-inference --bench llm [-- smollm2|gemma3] [--runs N]`: GGUF text
//! generation on the CPU — load time (with and without the sha256 check of the files),
//! prompt tokens/s and decode tokens/s (greedy; the prompt of
//! tests/fixtures/llm/bench_prompt.txt, raw, ≈100 tokens; 64 new tokens), peak resident
//! memory (VmHWM). Without a model argument each model runs in its own process, so each
//! peak RSS is the model's own. The reference on the same files and prompt:
//! `tools/reference/llm_reference.py bench` (llama.cpp, n_threads=2).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use candle_core::Device;
use iris_inference::bench;
use iris_inference::llm::{StopReason, TextModel};

fn files(name: &str) -> (&'static str, Option<&'static str>) {
    match name {
        "smollm2" => ("SmolLM2-135M-Instruct.Q4_1.gguf", None),
        "gemma3" => ("gemma-3-270m-q4_k_m.gguf", Some("tokenizer.json")),
        other => panic!("unknown model {other}"),
    }
}

fn run(models: &Path, name: &str, runs: usize) {
    let t = Instant::now();
    let verified = TextModel::load(models, name, &Device::Cpu)
        .unwrap_or_else(|e| panic!("{name}: {e} (run `cargo xtask fetch-models`)"));
    let load_verified = t.elapsed().as_secs_f64();
    let peak_after_load = bench::peak_rss_mib().unwrap_or(0);
    drop(verified);

    let (gguf, tok) = files(name);
    let dir = models.join(name);
    let tok_path = tok.map(|t| dir.join(t));
    let t = Instant::now();
    let mut model =
        TextModel::load_files(name, &dir.join(gguf), tok_path.as_deref(), &Device::Cpu).unwrap();
    let load = t.elapsed().as_secs_f64();

    // The timed request and a warm-up (first-use allocations, repacking of weights).
    let (req, warm) = bench::bench_requests();
    let never = AtomicBool::new(false);
    model.generate(&warm, &never, &mut |_| {}).unwrap();
    for i in 0..runs {
        let g = model.generate(&req, &never, &mut |_| {}).unwrap();
        // The first token comes with the prompt's logits; each later one is a decode step.
        let steps = g.tokens.len().saturating_sub(1);
        if g.stop_reason != StopReason::MaxTokens {
            println!(
                "iris {name}: ended early ({:?}) after {steps} steps",
                g.stop_reason
            );
        }
        println!(
            "iris {name}: run {}: prompt {} tokens {:.1} tok/s, decode {steps} tokens {:.1} tok/s",
            i + 1,
            g.prompt_tokens,
            g.prompt_tokens as f64 / g.prompt_seconds,
            steps as f64 / g.decode_seconds,
        );
    }
    println!(
        "iris {name}: load {load:.2} s ({load_verified:.2} s with the sha256 check), peak RSS {} MiB ({peak_after_load} MiB after loading)",
        bench::peak_rss_mib().unwrap_or(0)
    );
}

fn main() {
    let models = std::env::var_os("IRIS_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/iris/models"));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let model = args
        .iter()
        .find(|a| *a == "smollm2" || *a == "gemma3")
        .cloned();
    match model {
        Some(m) => run(&models, &m, runs),
        None => {
            // One process per model: each peak RSS is the model's own.
            let exe = std::env::current_exe().unwrap();
            for m in ["smollm2", "gemma3"] {
                let status = std::process::Command::new(&exe)
                    .args([m, "--runs", &runs.to_string()])
                    .status()
                    .unwrap();
                assert!(status.success(), "{m} bench failed");
            }
        }
    }
}
