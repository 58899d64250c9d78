//! Helpers shared by the integration tests.
#![allow(dead_code)]

use iris_meds::{Alert, AlertKind, CheckInput, Severity, check};

pub fn meds(m: &[&str]) -> Vec<Alert> {
    check(&CheckInput {
        medications: m,
        allergies: &[],
        egfr: None,
    })
}

pub fn of_kind(alerts: &[Alert], kind: AlertKind) -> Vec<Alert> {
    alerts.iter().filter(|a| a.kind == kind).cloned().collect()
}

/// Most severe drug-drug alert for the medication list.
pub fn worst_ddi(m: &[&str]) -> Option<Severity> {
    meds(m)
        .iter()
        .filter(|a| a.kind == AlertKind::DrugDrug)
        .map(|a| a.severity)
        .max()
}

/// Asserts that a and b (in both orders) raise a drug-drug alert at least `min` severe.
pub fn assert_pair(a: &str, b: &str, min: Severity) {
    for m in [[a, b], [b, a]] {
        let w = worst_ddi(&m);
        assert!(
            w.is_some_and(|s| s >= min),
            "{m:?}: expected drug-drug >= {min}, got {w:?}: {:#?}",
            meds(&m)
        );
    }
}

/// Asserts the exact most severe drug-drug severity (both orders).
pub fn assert_pair_exact(a: &str, b: &str, sev: Severity) {
    for m in [[a, b], [b, a]] {
        let w = worst_ddi(&m);
        assert_eq!(w, Some(sev), "{m:?}: {:#?}", meds(&m));
    }
}

pub fn allergy_alerts(m: &[&str], allergies: &[&str]) -> Vec<Alert> {
    check(&CheckInput {
        medications: m,
        allergies,
        egfr: None,
    })
    .into_iter()
    .filter(|a| a.kind == AlertKind::DrugAllergy)
    .collect()
}

pub fn renal_alerts(m: &[&str], egfr: f64) -> Vec<Alert> {
    check(&CheckInput {
        medications: m,
        allergies: &[],
        egfr: Some(egfr),
    })
    .into_iter()
    .filter(|a| a.kind == AlertKind::RenalDose)
    .collect()
}
