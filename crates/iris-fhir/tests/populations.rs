//! Every resource of the generated populations under `/var/cache/iris/fhirgen` (Synthea and
//! carebundle, see the README of that directory's generators): the clinical types Iris charts
//! must all be structured. Skipped, with a note, where the populations are absent.
//!
//! The counts of what could not be structured and of the warnings are printed per type
//! (`cargo test -p iris-fhir --test populations -- --nocapture`).

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use iris_fhir::{Item, Normalized, read_path};
use iris_record::Record;

const ROOT: &str = "/var/cache/iris/fhirgen";
/// 2027-01-01T00:00:00Z: after everything generated (Synthea ran with `-r 20261207`).
const NOW: i64 = 1_798_761_600_000;

/// The types Iris charts: every one of their resources must be structured, except for the
/// reasons below.
const CHARTED: &[&str] = &[
    "Patient",
    "Observation",
    "Condition",
    "Encounter",
    "MedicationRequest",
    "AllergyIntolerance",
    "Procedure",
    "Immunization",
];

/// (type, path with the indexes removed, reason): what may stay unstructured, and why.
const ALLOWED: &[(&str, &str, &str)] = &[
    // Synthea writes made-up codes under the LOINC system for its opioid-use-disorder survey
    // (`99999-1` … `99999-11`) and its surgery observations (`X9999-1`, `X9999-2`): they are
    // no LOINC codes (they fail the check digit or the format), and an Iris observation is
    // keyed by a real one. Kept whole by the importer.
    (
        "Observation",
        ".code.coding[].code",
        "invalid LOINC code (format or check digit)",
    ),
];

fn files() -> Option<Vec<PathBuf>> {
    let synthea = Path::new(ROOT).join("synthea-100-20261207/fhir");
    let carebundle = Path::new(ROOT).join("carebundle-0.5.0-seed7");
    if !synthea.is_dir() || !carebundle.is_dir() {
        return None;
    }
    let list = |dir: &Path, ext: &str| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        v.sort();
        v
    };
    let mut files = list(&synthea, "json");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&carebundle)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        files.extend(list(&d, "json"));
        files.extend(list(&d, "ndjson"));
    }
    Some(files)
}

/// A path without its Bundle prefix and indexes: `$.entry[7].resource.code.coding[0].code` →
/// `.code.coding[].code`.
fn shape(path: &str) -> String {
    let rest = path.split_once(".resource").map_or(path, |(_, r)| r);
    let rest = rest.strip_prefix('$').unwrap_or(rest);
    rest.chars().filter(|c| !c.is_ascii_digit()).collect()
}

#[derive(Default)]
struct Tally {
    /// type → (structured, not structured)
    types: BTreeMap<String, (u64, u64)>,
    /// (type, path, reason) → count, for the resources not structured
    errors: BTreeMap<(String, String, String), u64>,
    /// (type, path, reason) → count
    warnings: BTreeMap<(String, String, String), u64>,
    /// (type, field, rule) → count: what the vault's record check would refuse
    refused: BTreeMap<(String, String, String), u64>,
}

fn tally_file(path: &Path, t: &mut Tally) {
    let mut on = |item: Item| {
        let Item::Resource(e) = item else {
            return ControlFlow::Continue(());
        };
        let rt = e.resource_type.clone();
        let counts = t.types.entry(rt.clone()).or_default();
        match e.normalize() {
            Ok(n) => {
                counts.0 += 1;
                for w in n.warnings() {
                    let key = (rt.clone(), shape(&w.path), w.reason.clone());
                    *t.warnings.entry(key).or_default() += 1;
                }
                let record = match n {
                    Normalized::Observation(x) => Some(Record::Observation(x.record)),
                    Normalized::Condition(x) => Some(Record::Condition(x.record)),
                    Normalized::Medication(x) => Some(Record::Medication(x.record)),
                    Normalized::Allergy(x) => Some(Record::Allergy(x.record)),
                    Normalized::Encounter(x) => Some(Record::Encounter(x.record)),
                    Normalized::Procedure(x) => Some(Record::Procedure(x.record)),
                    Normalized::Immunization(x) => Some(Record::Immunization(x.record)),
                    Normalized::Patient(_) | Normalized::Other { .. } => None,
                };
                if let Some(mut r) = record
                    && let Err(errs) = r.check(NOW)
                {
                    for f in errs {
                        let key = (rt.clone(), f.field, f.rule);
                        *t.refused.entry(key).or_default() += 1;
                    }
                }
            }
            Err(issues) => {
                counts.1 += 1;
                let mut seen: Vec<(String, String)> = issues
                    .into_iter()
                    .map(|i| (shape(&i.path), i.reason))
                    .collect();
                seen.sort();
                seen.dedup();
                for (p, r) in seen {
                    *t.errors.entry((rt.clone(), p, r)).or_default() += 1;
                }
            }
        }
        ControlFlow::Continue(())
    };
    read_path(path, &mut on).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn merge<K: Ord + Clone>(into: &mut BTreeMap<K, u64>, from: &BTreeMap<K, u64>) {
    for (k, v) in from {
        *into.entry(k.clone()).or_default() += v;
    }
}

#[test]
fn every_generated_resource_iris_charts_is_structured() {
    let Some(files) = files() else {
        println!("note: no generated populations under {ROOT}: skipped");
        return;
    };
    // Files are shared out to a few threads (the Synthea bundles are 379 MB together).
    let next = AtomicUsize::new(0);
    let total = Mutex::new(Tally::default());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut t = Tally::default();
                while let Some(f) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    tally_file(f, &mut t);
                }
                let mut total = total.lock().unwrap();
                for (k, (a, b)) in &t.types {
                    let e = total.types.entry(k.clone()).or_default();
                    (e.0, e.1) = (e.0 + a, e.1 + b);
                }
                merge(&mut total.errors, &t.errors);
                merge(&mut total.warnings, &t.warnings);
                merge(&mut total.refused, &t.refused);
            });
        }
    });
    let t = total.into_inner().unwrap();
    println!("{} files", files.len());
    println!("type: structured / not structured");
    for (rt, (ok, err)) in &t.types {
        let mark = if CHARTED.contains(&rt.as_str()) {
            "*"
        } else {
            " "
        };
        println!("{mark} {rt}: {ok} / {err}");
    }
    println!("not structured (type, path, reason: resources):");
    for ((rt, p, r), n) in &t.errors {
        println!("  {rt} {p}: {r}: {n}");
    }
    println!("warnings (type, path, reason: count):");
    for ((rt, p, r), n) in &t.warnings {
        println!("  {rt} {p}: {r}: {n}");
    }
    println!("structured, but refused by the record check at {NOW} (type, field, rule: count):");
    for ((rt, f, r), n) in &t.refused {
        println!("  {rt} {f}: {r}: {n}");
    }

    for rt in CHARTED {
        assert!(
            t.types.get(*rt).is_some_and(|c| c.0 > 0),
            "no {rt} was structured"
        );
    }
    let unexpected: Vec<_> = t
        .errors
        .iter()
        .filter(|((rt, p, r), _)| {
            CHARTED.contains(&rt.as_str())
                && !ALLOWED
                    .iter()
                    .any(|(at, ap, ar)| at == rt && ap == p && ar == r)
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "resources Iris charts that were not structured: {unexpected:?}"
    );
}
