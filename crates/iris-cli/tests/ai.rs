//! Local AI commands of the CLI: stateless (no sign-in, no data dir, nothing stored), output
//! exactly as documented, clear errors and exit codes when a model is missing or the
//! configuration is wrong. Needs the real weights (`cargo xtask fetch-models`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn models_dir() -> PathBuf {
    let dir = std::env::var_os("IRIS_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/iris/models"));
    assert!(
        dir.join("minilm/model.safetensors").is_file(),
        "weights are not in {} — run `cargo xtask fetch-models` (or set IRIS_MODELS_DIR)",
        dir.display()
    );
    dir
}

fn run(dir: &Path, models: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_iris"));
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("IRIS_")) {
        c.env_remove(k);
    }
    c.env("IRIS_DATA_DIR", dir.join("data"))
        // No user configuration file but what the test writes (none).
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("IRIS_MODELS_DIR", models)
        .envs(env.iter().copied())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let o = c.output().unwrap();
    assert!(
        !dir.join("data").exists(),
        "a stateless command created the data dir"
    );
    o
}

#[test]
fn embed_prints_exactly_model_dim_and_one_unit_vector_per_text() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(
        tmp.path(),
        &models_dir(),
        &[],
        &[
            "embed",
            "chest pain radiating to the left arm",
            "substernal chest pressure",
            "ankle sprain after a fall",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stderr.is_empty(), "nothing on stderr");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["dim", "model", "vectors"]);
    assert_eq!(v["model"], "minilm");
    assert_eq!(v["dim"], 384);
    let vectors: Vec<Vec<f64>> = serde_json::from_value(v["vectors"].clone()).unwrap();
    assert_eq!(vectors.len(), 3);
    for x in &vectors {
        assert_eq!(x.len(), 384);
        let norm: f64 = x.iter().map(|a| a * a).sum::<f64>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4);
    }
    let cos = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    assert!(cos(&vectors[0], &vectors[1]) > cos(&vectors[0], &vectors[2]));
    // --json changes nothing: the output is always JSON.
    let again = run(tmp.path(), &models_dir(), &[], &["--json", "embed", "x"]);
    assert_eq!(again.status.code(), Some(0));
    serde_json::from_slice::<Value>(&again.stdout).unwrap();
}

#[test]
fn a_missing_model_or_a_bad_device_setting_is_a_clear_error_and_nothing_else_breaks() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("no-models");
    let o = run(tmp.path(), &empty, &[], &["embed", "fever"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("not installed") && err.contains("fetch-models"),
        "{err}"
    );
    assert!(!err.contains("fever"), "the input is never echoed");

    // Decision support works without any model.
    let mut c = Command::new(env!("CARGO_BIN_EXE_iris"));
    c.env("IRIS_MODELS_DIR", &empty)
        .args(["cds", "evaluate"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut child = c.spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), b"{\"heart_rate\": 80}").unwrap();
    assert_eq!(child.wait_with_output().unwrap().status.code(), Some(0));

    let o = run(
        tmp.path(),
        &models_dir(),
        &[("IRIS_INFERENCE_DEVICE", "tpu")],
        &["embed", "x"],
    );
    assert_eq!(o.status.code(), Some(2), "invalid configuration");
    assert!(String::from_utf8_lossy(&o.stderr).contains("auto, cpu, cuda, metal"));
    if !cfg!(feature = "cuda") {
        let o = run(
            tmp.path(),
            &models_dir(),
            &[("IRIS_INFERENCE_DEVICE", "cuda")],
            &["embed", "x"],
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("CUDA is not in this build"),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn transcribe_prints_the_bare_transcript_and_json_segments() {
    let tmp = tempfile::tempdir().unwrap();
    let wav = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../iris-inference/tests/fixtures/whisper/clinical.wav"
    );
    let o = run(tmp.path(), &models_dir(), &[], &["transcribe", wav]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        text.trim_end().to_lowercase(),
        "the patient reports chest pain radiating to the left arm for two hours."
    );
    assert_eq!(text.lines().count(), 1, "nothing but the transcript");
    let o = run(
        tmp.path(),
        &models_dir(),
        &[],
        &["--json", "transcribe", wav],
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["model"], "whisper-tiny");
    let segments = v["segments"].as_array().unwrap();
    assert!(!segments.is_empty());
    assert!(segments[0]["start"].as_f64().unwrap() >= 0.0);
    // Not a WAV file: a clear error, exit 2 (invalid input).
    let bad = tmp.path().join("notes.wav");
    std::fs::write(&bad, b"ID3\x03\x00 not a wav").unwrap();
    let o = run(
        tmp.path(),
        &models_dir(),
        &[],
        &["transcribe", bad.to_str().unwrap()],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn generate_streams_greedy_text_with_and_without_the_chat_template() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "generate",
        "--model",
        "gemma3",
        "--raw",
        "--max-tokens",
        "12",
        "The most common symptoms of a heart attack are",
    ];
    let a = run(tmp.path(), &models_dir(), &[], &args);
    assert_eq!(
        a.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&a.stderr)
    );
    let text = String::from_utf8(a.stdout).unwrap();
    assert!(text.to_lowercase().contains("chest pain"), "{text}");
    // Greedy: the same prompt gives the same text.
    let b = run(tmp.path(), &models_dir(), &[], &args);
    assert_eq!(String::from_utf8(b.stdout).unwrap(), text);

    let o = run(
        tmp.path(),
        &models_dir(),
        &[],
        &[
            "--json",
            "generate",
            "--model",
            "smollm2",
            "--max-tokens",
            "8",
            "Name one symptom of influenza.",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["model"], "smollm2");
    assert!(v["tokens"].as_u64().unwrap() <= 8);
    assert!(
        v["prompt_tokens"].as_u64().unwrap() > 5,
        "chat template applied"
    );
    assert!(!v["text"].as_str().unwrap().is_empty());

    let o = run(
        tmp.path(),
        &models_dir(),
        &[],
        &["generate", "--model", "minilm", "hello"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("minilm"));
}

#[test]
fn bench_inference_measures_the_installed_models_and_reports_missing_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(
        tmp.path(),
        &models_dir(),
        &[],
        &[
            "--json",
            "bench",
            "inference",
            "--runs",
            "1",
            "--model",
            "whisper-tiny",
            "--model",
            "minilm",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["device"], "cpu");
    assert_eq!(v["runs"], 1);
    let models = v["models"].as_array().unwrap();
    // In the fixed order, whatever order they were asked in.
    let names: Vec<&str> = models
        .iter()
        .map(|m| m["model"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["minilm", "whisper-tiny"]);
    let figure = |m: &Value, name: &str| -> f64 {
        m["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {m}"))["value"]
            .as_f64()
            .unwrap()
    };
    for m in models {
        assert_eq!(m["status"], "ok", "{m}");
        assert!(m["load_seconds"].as_f64().unwrap() > 0.0);
        assert!(m["peak_rss_mib"].as_u64().unwrap() > 50, "{m}");
    }
    assert!(figure(&models[0], "sentences_per_second_batch_32") > 1.0);
    assert!(figure(&models[0], "sentences_per_second_batch_1") > 1.0);
    let audio = figure(&models[1], "audio_seconds");
    assert!((25.0..35.0).contains(&audio), "{audio}");
    let rtf = figure(&models[1], "real_time_factor");
    assert!(rtf > 0.0 && rtf < 5.0, "{rtf}");
    // The synthesized speech is transcribed, not skipped as silence.
    assert!(figure(&models[1], "words") > 40.0);

    // No models: each reported as not installed, nothing measured, exit 1.
    let empty = tmp.path().join("no-models");
    std::fs::create_dir_all(&empty).unwrap();
    let o = run(
        tmp.path(),
        &empty,
        &[],
        &["bench", "inference", "--runs", "1"],
    );
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8(o.stdout).unwrap();
    for m in ["minilm", "whisper-tiny", "smollm2", "gemma3"] {
        assert!(text.contains(&format!("{m} — not_installed")), "{text}");
    }
    // An unknown model is a usage error.
    let o = run(
        tmp.path(),
        &models_dir(),
        &[],
        &["bench", "inference", "--model", "gpt-4"],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
