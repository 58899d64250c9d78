//! Reads and normalizes a synthetic population in memory and prints the throughput:
//! `cargo run --release -p iris-fhir --example throughput -- [N_PATIENTS]`.

use std::ops::ControlFlow;
use std::time::Instant;

use iris_fhir::synthetic::{bundle_string, ndjson, population};
use iris_fhir::{Item, read_bundle, read_ndjson};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let now = 1_767_225_600_000;
    let mut nd = Vec::new();
    ndjson(n, 1, now, &mut nd).expect("in memory");
    let bundles: Vec<String> = population(n, 1, now).map(|b| bundle_string(&b)).collect();
    let bundle_bytes: usize = bundles.iter().map(String::len).sum();

    let (mut resources, mut issues) = (0u64, 0u64);
    let t = Instant::now();
    read_ndjson(&nd[..], |item| {
        if let Item::Resource(e) = item {
            resources += 1;
            issues += u64::from(e.normalize().is_err());
        }
        ControlFlow::Continue(())
    })
    .expect("valid");
    let s = t.elapsed().as_secs_f64();
    println!(
        "NDJSON: {resources} resources, {} MB, {:.2} s: {:.0} resources/s, {:.1} MB/s ({issues} with issues)",
        nd.len() / 1_000_000,
        s,
        resources as f64 / s,
        nd.len() as f64 / 1e6 / s
    );

    let t = Instant::now();
    let mut read_only = 0u64;
    for b in &bundles {
        read_bundle(b.as_bytes(), |_| {
            read_only += 1;
            ControlFlow::Continue(())
        })
        .expect("valid");
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "Bundles, read only: {read_only} items, {} MB, {:.2} s: {:.1} MB/s",
        bundle_bytes / 1_000_000,
        s,
        bundle_bytes as f64 / 1e6 / s
    );
}
