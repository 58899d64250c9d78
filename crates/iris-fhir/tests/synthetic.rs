//! The generator: deterministic, clinically coherent, and valid by our own rules.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use iris_fhir::codes::snomed_valid;
use iris_fhir::synthetic::{self, Counts, bundle_string, count, population};
use iris_fhir::{Item, Normalized, normalize, read_bundle, read_ndjson};
use iris_record::ObsValue;

/// 2026-01-01T00:00:00Z.
const NOW: i64 = 1_767_225_600_000;

#[test]
fn same_seed_same_json_other_seed_other_json() {
    let a: Vec<String> = population(5, 42, NOW).map(|b| bundle_string(&b)).collect();
    let b: Vec<String> = population(5, 42, NOW).map(|b| bundle_string(&b)).collect();
    let c: Vec<String> = population(5, 43, NOW).map(|b| bundle_string(&b)).collect();
    assert_eq!(a, b);
    assert_ne!(a, c);
    // Patient i does not depend on how many patients come before or after it.
    let d: Vec<String> = population(3, 42, NOW).map(|b| bundle_string(&b)).collect();
    assert_eq!(a[..3], d[..]);
}

#[test]
fn every_snomed_code_written_is_valid() {
    for c in synthetic::SNOMED_CODES {
        assert!(snomed_valid(c), "{c}");
    }
    for (_, c, _) in normalize::ROUTES {
        assert!(snomed_valid(c), "route {c}");
    }
}

#[test]
fn every_generated_resource_normalizes_without_issues() {
    let mut types = Counts::new();
    for b in population(60, 7, NOW) {
        for e in b["entry"].as_array().unwrap() {
            let r = &e["resource"];
            let rt = r["resourceType"].as_str().unwrap();
            *types.entry(rt.to_string()).or_default() += 1;
            match normalize(&r.to_string()) {
                Err(issues) => panic!("{rt} did not normalize: {issues:?}\n{r:#}"),
                Ok(n) => assert!(n.warnings().is_empty(), "{rt}: {:?}", n.warnings()),
            }
        }
    }
    // Every kind the generator promises is there.
    for t in [
        "Patient",
        "Organization",
        "Practitioner",
        "Encounter",
        "Observation",
        "Condition",
        "MedicationRequest",
        "AllergyIntolerance",
        "Procedure",
        "Immunization",
    ] {
        assert!(types.get(t).copied().unwrap_or(0) > 0, "no {t}");
    }
}

/// (has diabetes, has hypertension, HbA1c values, systolic values) per patient.
fn profile(bundle: &serde_json::Value) -> (bool, bool, Vec<f64>, Vec<f64>) {
    let (mut dm, mut htn, mut a1c, mut sys) = (false, false, Vec::new(), Vec::new());
    for e in bundle["entry"].as_array().unwrap() {
        match normalize(&e["resource"].to_string()).unwrap() {
            Normalized::Condition(c) => {
                dm |= c.record.code == "44054006" || c.record.code.starts_with("E11");
                htn |= c.record.code == "38341003" || c.record.code == "I10";
            }
            Normalized::Observation(o) => {
                // A blood-pressure panel is one record; its systolic value is a component.
                for m in o.record.measurements() {
                    if let ObsValue::Quantity { value, .. } = m.value {
                        match m.code {
                            "4548-4" => a1c.push(*value),
                            "8480-6" => sys.push(*value),
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
    }
    (dm, htn, a1c, sys)
}

#[test]
fn clinically_coherent() {
    let (mut diabetics, mut hypertensives, mut others) = (0, 0, 0);
    for b in population(80, 11, NOW) {
        let (dm, htn, a1c, sys) = profile(&b);
        assert!(!a1c.is_empty(), "every patient has an HbA1c");
        if dm {
            diabetics += 1;
            assert!(a1c.iter().all(|v| *v >= 6.5), "diabetic HbA1c {a1c:?}");
        } else {
            others += 1;
            assert!(a1c.iter().all(|v| *v < 6.5), "non-diabetic HbA1c {a1c:?}");
        }
        if htn {
            hypertensives += 1;
            assert!(
                sys.iter().all(|v| *v >= 140.0),
                "hypertensive systolic {sys:?}"
            );
        } else {
            assert!(
                sys.iter().all(|v| *v < 140.0),
                "normotensive systolic {sys:?}"
            );
        }
    }
    assert!(diabetics > 5 && hypertensives > 5 && others > 5);
}

#[test]
fn every_time_is_before_now_and_names_are_synthetic() {
    for b in population(30, 3, NOW) {
        for e in b["entry"].as_array().unwrap() {
            match normalize(&e["resource"].to_string()).unwrap() {
                Normalized::Patient(p) => {
                    // Synthea's style: a name followed by three digits.
                    let synthetic = |n: &str| {
                        n.len() > 3
                            && n[n.len() - 3..].bytes().all(|b| b.is_ascii_digit())
                            && n[..n.len() - 3].bytes().all(|b| b.is_ascii_alphabetic())
                    };
                    assert!(synthetic(&p.record.family), "{}", p.record.family);
                    assert!(p.record.given.iter().all(|g| synthetic(g)));
                    assert!(
                        p.identifiers
                            .iter()
                            .any(|(s, v)| s.ends_with("us-ssn") && v.starts_with("999-"))
                    );
                    assert!(p.mrn().is_some_and(|m| m.starts_with("SYN")));
                }
                Normalized::Encounter(x) => {
                    // Finished visits end before now; today's emergency visit is in progress.
                    assert!(x.record.start < NOW);
                    assert!(x.record.end.is_none_or(|e| e <= NOW && x.record.start < e));
                }
                Normalized::Observation(o) => assert!(o.record.effective_at <= NOW),
                _ => {}
            }
        }
    }
}

#[test]
fn reader_counts_match_generator_counts() {
    let mut expected = Counts::new();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for b in population(10, 5, NOW) {
        synthetic::add_counts(&mut expected, &count(&b));
        let text = bundle_string(&b);
        let summary = read_bundle(text.as_bytes(), |item| {
            if let Item::Resource(e) = item {
                assert!(e.full_url.as_deref().unwrap().starts_with("urn:uuid:"));
                assert_eq!(e.request.as_ref().unwrap().method, "POST");
                *seen.entry(e.resource_type.clone()).or_default() += 1;
            }
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(summary.by_type, count(&b));
        assert_eq!(summary.invalid, 0);
    }
    assert_eq!(seen, expected);

    let mut nd = Vec::new();
    let counts = synthetic::ndjson(10, 5, NOW, &mut nd).unwrap();
    assert_eq!(counts, expected);
    let summary = read_ndjson(&nd[..], |_| ControlFlow::Continue(())).unwrap();
    assert_eq!(summary.by_type, expected);
    assert_eq!(summary.invalid, 0);
}
