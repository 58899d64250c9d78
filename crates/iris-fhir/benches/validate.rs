//! Validation speed (`cargo bench -p iris-fhir --bench validate [-- PATIENTS]`): resources of
//! the synthetic population, parsed once, validated with `iris_fhir::spec::validate` on one
//! thread; with `IRIS_BENCH_FHIR_DIR` naming a folder of Bundle files (a Synthea `fhir/`
//! output), its first 20 files too. Prints one line per figure; the figures go to
//! BENCHMARKS.md with this command.
//!
//! A plain harness rather than criterion, like the other benches of the workspace: each figure
//! is a direct rate over many resources, and criterion's dependency tree would double the
//! bench build on a 2-core machine.

use std::hint::black_box;
use std::time::Instant;

use iris_fhir::spec::validate;
use iris_fhir::synthetic::population;
use serde_json::Value;

/// 2026-01-01T00:00:00Z.
const NOW: i64 = 1_767_225_600_000;

fn rate(label: &str, resources: &[Value], rounds: usize) {
    // Warm up (the table loads on first use).
    let mut issues = 0usize;
    for r in resources {
        issues += validate(r).len();
    }
    let t = Instant::now();
    for _ in 0..rounds {
        for r in resources {
            black_box(validate(black_box(r)));
        }
    }
    let s = t.elapsed().as_secs_f64();
    let n = (resources.len() * rounds) as f64;
    println!(
        "validate {label}: {} resources x {rounds}: {:.0} resources/s, {:.2} µs each ({issues} issues)",
        resources.len(),
        n / s,
        s / n * 1e6
    );
}

fn main() {
    let patients: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100);
    let t = Instant::now();
    let _ = validate(&serde_json::json!({"resourceType": "Basic"}));
    println!(
        "table load (first call): {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let mut all = Vec::new();
    for bundle in population(patients, 1, NOW) {
        if let Value::Array(entries) = &bundle["entry"] {
            all.extend(entries.iter().map(|e| e["resource"].clone()));
        }
    }
    let observations: Vec<Value> = all
        .iter()
        .filter(|r| r["resourceType"] == "Observation")
        .cloned()
        .collect();
    rate("all generated resources", &all, 5);
    rate("Observations", &observations, 5);
    if let Some(dir) = std::env::var_os("IRIS_BENCH_FHIR_DIR") {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("IRIS_BENCH_FHIR_DIR is readable")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        let mut real = Vec::new();
        for f in files.iter().take(20) {
            let text = std::fs::read_to_string(f).expect("readable");
            let Ok(bundle) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            if let Value::Array(entries) = &bundle["entry"] {
                real.extend(entries.iter().map(|e| e["resource"].clone()));
            }
        }
        let real_obs: Vec<Value> = real
            .iter()
            .filter(|r| r["resourceType"] == "Observation")
            .cloned()
            .collect();
        rate("IRIS_BENCH_FHIR_DIR resources", &real, 3);
        rate("IRIS_BENCH_FHIR_DIR Observations", &real_obs, 3);
    }
    let text: Vec<String> = observations.iter().map(Value::to_string).collect();
    let t = Instant::now();
    for s in &text {
        let v: Value = serde_json::from_str(s).expect("valid JSON");
        black_box(validate(&v));
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "parse + validate Observations: {:.0} resources/s, {:.2} µs each",
        text.len() as f64 / s,
        s / text.len() as f64 * 1e6
    );
}
