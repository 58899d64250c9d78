//! `iris cds evaluate`, `iris triage`, `iris meds check`: stateless JSON in, JSON out. Exit 0
//! when evaluated (high scores and alerts are not errors), 2 with a message on stderr when the
//! input is invalid or physiologically impossible; no sign-in and nothing written anywhere.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn run(dir: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_iris"));
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("IRIS_")) {
        c.env_remove(k);
    }
    // A data dir that must stay absent: a stateless command touches no files.
    c.env("IRIS_DATA_DIR", dir.join("data"))
        .env("IRIS_CONFIG", dir.join("missing-config.toml"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        !dir.join("data").exists(),
        "a stateless command created the data dir"
    );
    o
}

fn json(o: &Output) -> Value {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

fn refused(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(o.stdout.is_empty(), "nothing on stdout when refused");
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// NEWS2 (RCP 2017 chart 1): RR 22 → 2, SpO2 95 scale 1 → 1, air → 0, SBP 105 → 1,
/// HR 112 → 2, alert → 0, 38.4 °C → 1: 7, "high". qSOFA (Sepsis-3): RR ≥ 22 → 1, SBP ≤ 100
/// no, alert → 0: 1, "low".
#[test]
fn evaluate_prints_every_score_with_the_same_shape() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(
        dir.path(),
        &["cds", "evaluate"],
        r#"{"age_years": 67, "sex": "female", "respiratory_rate": 22, "spo2": 95,
            "on_oxygen": false, "systolic_bp": 105, "diastolic_bp": 70, "heart_rate": 112,
            "consciousness": "A", "temperature_c": 38.4, "weight_kg": 70, "height_cm": 165,
            "creatinine_mg_dl": 1.0}"#,
    );
    let v = json(&o);
    for key in [
        "news2",
        "qsofa",
        "sirs",
        "mews",
        "morse",
        "shock_index",
        "lace",
        "egfr",
        "bmi",
    ] {
        let s = &v[key];
        for field in ["score", "risk", "parts", "missing", "notes"] {
            assert!(s.get(field).is_some(), "{key}.{field} in {s}");
        }
    }
    assert_eq!(v["news2"]["score"], 7);
    assert_eq!(v["news2"]["risk"], "high");
    assert_eq!(v["news2"]["parts"]["heart_rate"], 2);
    assert_eq!(v["qsofa"]["score"], 1);
    // CKD-EPI 2021, female, 67 y, creatinine 1.0 mg/dL → 61.7, reported as 62 (G2).
    assert_eq!(v["egfr"]["score"], 62);
    assert_eq!(v["egfr"]["risk"], "G2");
    // 70 / 1.65² = 25.7 kg/m², overweight (WHO).
    assert_eq!(v["bmi"]["score"], 25.7);
    // Not given: never assumed normal.
    assert_eq!(v["morse"]["score"], Value::Null);
    assert_eq!(v["lace"]["score"], Value::Null);
}

#[test]
fn a_missing_vital_leaves_the_score_empty_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&run(
        dir.path(),
        &["cds", "evaluate"],
        r#"{"respiratory_rate": 18, "heart_rate": 80}"#,
    ));
    assert_eq!(v["news2"]["score"], Value::Null);
    let missing: Vec<&str> = v["news2"]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    for m in [
        "spo2",
        "on_oxygen",
        "systolic_bp",
        "consciousness",
        "temperature_c",
    ] {
        assert!(missing.contains(&m), "{m} in {missing:?}");
    }
}

#[test]
fn impossible_values_bad_json_and_unknown_fields_exit_2_without_echoing_input() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused(&run(
        dir.path(),
        &["cds", "evaluate"],
        r#"{"systolic_bp": 400, "heart_rate": 80}"#,
    ));
    assert!(err.contains("systolic_bp"), "{err}");
    let err = refused(&run(
        dir.path(),
        &["cds", "evaluate"],
        r#"{"systolic_bp": "#,
    ));
    assert!(
        err.contains("truncated") || err.contains("not valid"),
        "{err}"
    );
    let err = refused(&run(
        dir.path(),
        &["cds", "evaluate"],
        r#"{"heart_rate": "Jane Doe"}"#,
    ));
    assert!(
        !err.contains("Jane"),
        "input values are never echoed: {err}"
    );
    refused(&run(
        dir.path(),
        &["cds", "evaluate"],
        r#"{"heartrate": 80}"#,
    ));
    refused(&run(
        dir.path(),
        &["triage"],
        r#"{"age_years": 40, "spo2": 140}"#,
    ));
    refused(&run(dir.path(), &["meds", "check"], r#"{"allergies": []}"#));
}

/// ESI v4 (Gilboy et al., AHRQ 2012): SpO2 < 90 % proposes a life-saving intervention
/// (decision point A, ESI 1); an adult with two resources and a heart rate of 110 (> 100,
/// danger zone for > 8 years) is up-triaged to ESI 2 at decision point D.
#[test]
fn triage_returns_the_level_the_decision_point_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&run(
        dir.path(),
        &["triage"],
        r#"{"age_years": 70, "spo2": 86, "heart_rate": 100, "chief_complaint": "short of breath"}"#,
    ));
    assert_eq!(
        (v["esi"].as_u64(), v["decision_point"].as_str()),
        (Some(1), Some("A"))
    );
    assert!(!v["reasons"].as_array().unwrap().is_empty());
    let v = json(&run(
        dir.path(),
        &["triage"],
        r#"{"age_years": 35, "heart_rate": 110, "respiratory_rate": 16, "spo2": 98,
            "life_saving_intervention": false, "high_risk": false,
            "confused_lethargic_disoriented": false, "severe_pain_distress": false,
            "expected_resources": 2}"#,
    ));
    assert_eq!(
        (v["esi"].as_u64(), v["decision_point"].as_str()),
        (Some(2), Some("D"))
    );
    let v = json(&run(
        dir.path(),
        &["triage"],
        r#"{"age_years": 25, "heart_rate": 80, "life_saving_intervention": false,
            "high_risk": false, "confused_lethargic_disoriented": false,
            "severe_pain_distress": false, "expected_resources": 0}"#,
    ));
    assert_eq!(
        (v["esi"].as_u64(), v["decision_point"].as_str()),
        (Some(5), Some("C"))
    );
}

#[test]
fn meds_check_reports_the_issue_example() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&run(
        dir.path(),
        &["meds", "check"],
        r#"{"medications": ["simvastatin", "Biaxin"], "allergies": ["penicillin"], "egfr": 40}"#,
    ));
    let alerts = v["alerts"].as_array().unwrap();
    let ddi = &alerts[0];
    assert_eq!(ddi["kind"], "drug-drug");
    assert_eq!(ddi["severity"], "contraindicated");
    let drugs: Vec<&str> = ddi["drugs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(
        drugs.contains(&"simvastatin") && drugs.contains(&"Biaxin"),
        "{drugs:?}"
    );
    for a in alerts {
        for field in ["kind", "severity", "drugs", "message", "source"] {
            assert!(a.get(field).is_some(), "{field} in {a}");
        }
    }
    let v = json(&run(
        dir.path(),
        &["meds", "check"],
        r#"{"medications": ["lisinopril 10 mg", "amlodipine", "Zqxwv"]}"#,
    ));
    let kinds: Vec<&str> = v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["unknown-drug"], "only the unknown drug is reported");
}
