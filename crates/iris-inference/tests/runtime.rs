//! The execution model: one worker per model, lazy loading, idle unloading, status, and clear
//! errors for models that are missing or asked to do the wrong task. Needs the real MiniLM
//! weights (`cargo xtask fetch-models`).

use std::path::PathBuf;
use std::time::Duration;

use iris_inference::{DeviceChoice, Runtime, RuntimeConfig};

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

fn runtime(models_dir: PathBuf, idle: Duration) -> Runtime {
    Runtime::new(RuntimeConfig {
        models_dir,
        device: DeviceChoice::Cpu,
        idle_unload: idle,
        memory_budget: 4 << 30,
    })
}

fn status(rt: &Runtime, name: &str) -> iris_inference::ModelStatus {
    rt.status().into_iter().find(|s| s.name == name).unwrap()
}

#[test]
fn models_load_on_first_use_serve_many_callers_and_unload_when_idle() {
    let rt = runtime(models_dir(), Duration::from_millis(1500));
    let names: Vec<String> = rt.status().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["minilm", "whisper-tiny", "smollm2", "gemma3"]);
    let before = status(&rt, "minilm");
    assert!(before.installed && !before.loaded && before.device.is_none());

    // Four callers at once: one worker owns the model and serves them in turn.
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let rt = rt.clone();
            std::thread::spawn(move || rt.embed("minilm", vec![format!("fever day {i}")]))
        })
        .collect();
    for h in handles {
        let v = h.join().unwrap().unwrap();
        assert_eq!(v[0].len(), 384);
    }
    let s = status(&rt, "minilm");
    assert!(s.loaded, "{s:?}");
    assert_eq!(s.device.as_deref(), Some("cpu"));
    assert!(s.memory_bytes > 80 << 20, "{s:?}");
    assert_eq!(s.requests, 4);
    assert!(s.load_seconds.is_some());

    // Unused past the idle period: unloaded; the next request loads it again.
    std::thread::sleep(Duration::from_millis(3000));
    let s = status(&rt, "minilm");
    assert!(!s.loaded && s.memory_bytes == 0, "{s:?}");
    rt.embed("minilm", vec!["cough".into()]).unwrap();
    assert!(status(&rt, "minilm").loaded);
    rt.unload("minilm");
    std::thread::sleep(Duration::from_millis(200));
    assert!(!status(&rt, "minilm").loaded);
}

#[test]
fn a_missing_model_is_not_installed_and_the_wrong_task_is_refused() {
    let empty = tempfile::tempdir().unwrap();
    let rt = runtime(empty.path().to_path_buf(), Duration::from_secs(60));
    assert!(!status(&rt, "minilm").installed);
    let e = rt.embed("minilm", vec!["x".into()]).unwrap_err();
    assert_eq!(e.code(), "NOT_INSTALLED", "{e}");
    assert!(e.to_string().contains("fetch-models"), "{e}");
    let s = status(&rt, "minilm");
    assert!(!s.loaded);
    assert!(s.last_error.unwrap().starts_with("NOT_INSTALLED"));

    let rt = runtime(models_dir(), Duration::from_secs(60));
    let e = rt.embed("smollm2", vec!["x".into()]).unwrap_err();
    assert_eq!(e.code(), "UNKNOWN_MODEL", "{e}");
    let e = rt.embed("no-such-model", vec!["x".into()]).unwrap_err();
    assert_eq!(e.code(), "UNKNOWN_MODEL", "{e}");
    assert_eq!(rt.device().unwrap().name, "cpu");
}

/// A generation cancelled from its own stream stops within a token and the worker serves the
/// next request at once.
#[test]
fn a_cancelled_generation_frees_its_worker() {
    use iris_inference::Cancel;
    use iris_inference::llm::{GenerateRequest, Sampling, StopReason};
    let rt = runtime(models_dir(), Duration::from_secs(60));
    let request = |max_tokens| GenerateRequest {
        prompt: "Write a long discharge summary for a patient with pneumonia.".into(),
        raw: false,
        max_tokens,
        stop: vec![],
        sampling: Sampling::Greedy,
    };
    let cancel = Cancel::new();
    let mut pieces = 0;
    let g = rt
        .generate("smollm2", request(200), &cancel, &mut |_| {
            pieces += 1;
            if pieces == 3 {
                cancel.cancel();
            }
        })
        .unwrap();
    assert_eq!(g.stop_reason, StopReason::Cancelled);
    assert!(
        g.tokens.len() <= 5,
        "{} tokens after cancelling",
        g.tokens.len()
    );
    let started = std::time::Instant::now();
    let next = rt
        .generate("smollm2", request(4), &Cancel::new(), &mut |_| {})
        .unwrap();
    assert_eq!(next.stop_reason, StopReason::MaxTokens);
    assert!(started.elapsed() < Duration::from_secs(30));
    let s = status(&rt, "smollm2");
    assert!(s.loaded && s.requests == 2, "{s:?}");
}

/// Under a memory budget that holds one model, loading another unloads the least recently
/// used one first.
#[test]
fn a_model_that_does_not_fit_the_budget_unloads_the_least_recently_used() {
    let rt = Runtime::new(RuntimeConfig {
        models_dir: models_dir(),
        device: DeviceChoice::Cpu,
        idle_unload: Duration::from_secs(60),
        memory_budget: 200 << 20,
    });
    rt.embed("minilm", vec!["fever".into()]).unwrap();
    assert!(status(&rt, "minilm").loaded);
    let cancel = iris_inference::Cancel::new();
    let req = iris_inference::llm::GenerateRequest {
        prompt: "Hello".into(),
        raw: false,
        max_tokens: 2,
        stop: vec![],
        sampling: iris_inference::llm::Sampling::Greedy,
    };
    rt.generate("smollm2", req, &cancel, &mut |_| {}).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(!status(&rt, "minilm").loaded, "minilm made room");
    assert!(status(&rt, "smollm2").loaded);
}
