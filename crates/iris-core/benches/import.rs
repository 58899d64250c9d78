//! `cargo bench -p iris-core --bench import`: FHIR import into the encrypted vault, through
//! AppCore as the CLI runs it (read, validate, normalize, resolve references, seal, batch,
//! audit, gold features).
//!
//! 1. Throughput: a Synthea-style population of at least 100,000 resources as one transaction
//!    bundle per patient. Target ≥ 20,000 resources/s on the 2-core build machine.
//! 2. Peak memory: one NDJSON file of at least `IRIS_BENCH_NDJSON_MB` MiB (default 1024), peak
//!    resident set (VmHWM) of the process after importing it; the file streams, so the peak
//!    should not grow with the file.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

#[path = "../tests/common/mod.rs"]
mod common;

use iris_core::AppCore;
use iris_types::ImportRequest;

const NOW: i64 = 1_795_000_000_000;

fn vm(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

async fn core(dir: &Path) -> AppCore {
    common::signed_in_admin(dir).await
}

fn main() {
    let root = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("import-bench");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    // 1. Throughput.
    let folder = root.join("synthea");
    std::fs::create_dir_all(&folder).unwrap();
    let mut resources = 0u64;
    let mut patients = 0usize;
    for (i, b) in iris_fhir::synthetic::population(100_000, 3, NOW).enumerate() {
        resources += b["entry"].as_array().map_or(0, |e| e.len() as u64);
        let f = std::fs::File::create(folder.join(format!("patient-{i:05}.json"))).unwrap();
        iris_fhir::synthetic::write_bundle(BufWriter::new(f), &b).unwrap();
        patients = i + 1;
        if resources >= 100_000 {
            break;
        }
    }
    let r = rt.block_on(async {
        let core = core(&root.join("vault-1")).await;
        let t = Instant::now();
        let r = core
            .import_fhir(
                ImportRequest {
                    paths: vec![folder.display().to_string()],
                    atomic: false,
                },
                |_| {},
            )
            .await
            .unwrap();
        (r, t.elapsed())
    });
    let (report, took) = r;
    assert_eq!(
        report.quarantined,
        0,
        "{:?}",
        report.quarantine_report.first()
    );
    println!(
        "import_throughput: {} resources ({patients} patients, {} files) in {:.2} s = {:.0} resources/s (quarantined {}; read {})",
        report.resources_imported,
        patients,
        took.as_secs_f64(),
        report.resources_imported as f64 / took.as_secs_f64(),
        report.quarantined,
        report.resources_read
    );

    // 2. Peak memory on a large NDJSON file.
    let mb: u64 = std::env::var("IRIS_BENCH_NDJSON_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let file = root.join("big.ndjson");
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(&file).unwrap());
    let mut seed = 100;
    let mut lines = 0u64;
    while std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0) < mb << 20 {
        let mut buf = Vec::new();
        let c = iris_fhir::synthetic::ndjson(200, seed, NOW, &mut buf).unwrap();
        lines += c.values().sum::<u64>();
        w.write_all(&buf).unwrap();
        w.flush().unwrap();
        seed += 1;
    }
    drop(w);
    let size = std::fs::metadata(&file).unwrap().len();
    let before = vm("VmHWM:");
    let (report, took) = rt.block_on(async {
        let core = core(&root.join("vault-2")).await;
        let t = Instant::now();
        let r = core
            .import_fhir(
                ImportRequest {
                    paths: vec![file.display().to_string()],
                    atomic: false,
                },
                |_| {},
            )
            .await
            .unwrap();
        (r, t.elapsed())
    });
    println!(
        "import_ndjson: {:.0} MiB, {lines} resources, imported {} quarantined {} in {:.1} s = {:.0} resources/s; peak RSS {} MiB (before this part {} MiB)",
        size as f64 / 1048576.0,
        report.resources_imported,
        report.quarantined,
        took.as_secs_f64(),
        report.resources_imported as f64 / took.as_secs_f64(),
        vm("VmHWM:") / 1024,
        before / 1024
    );
    let _ = std::fs::remove_dir_all(&root);
}
