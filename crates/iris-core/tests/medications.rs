//! Medication entry and ED triage through AppCore, as the desktop calls them: the safety check
//! runs against the chart (active medications, allergies, eGFR), a major or contraindicated
//! alert blocks saving until it is overridden with a reason, and the override is kept
//! (encrypted, with the medication) and audited (codes only). Triage recomputes the ESI level
//! and needs a reason to change it.

mod common;

use iris_core::AppCore;
use iris_types::{
    AddMedicationRequest, AuditListRequest, ErrorCode, MedicationCheckRequest, PatientInput,
    SaveTriageRequest, TriageRequest,
};

async fn physician(dir: &std::path::Path) -> (AppCore, String) {
    let core = common::signed_in_admin(dir).await;
    common::signed_in_physician(&core, "dr.rx").await;
    let p = core
        .create_patient(PatientInput {
            family: "Medina".into(),
            given: vec!["Rosa".into()],
            birth_date: "1950-02-03".into(),
            sex: "female".into(),
            mrn: "RX-1".into(),
            ..PatientInput::default()
        })
        .await
        .unwrap();
    (core, p.id)
}

fn med(patient_id: &str, name: &str, reason: Option<&str>) -> AddMedicationRequest {
    AddMedicationRequest {
        patient_id: patient_id.into(),
        name: name.into(),
        dose_value: Some(20.0),
        dose_unit: Some("mg".into()),
        route: "oral".into(),
        frequency: "once daily".into(),
        override_reason: reason.map(String::from),
    }
}

/// The audit details of the patient's entries, read as the administrator.
async fn audit_details(core: &AppCore, pid: &str) -> Vec<String> {
    common::sign_in_admin(core).await;
    core.audit_list(AuditListRequest {
        patient: Some(pid.into()),
        user: None,
    })
    .await
    .unwrap()
    .into_iter()
    .filter_map(|e| e.detail)
    .collect()
}

#[tokio::test]
async fn a_contraindicated_prescription_needs_an_audited_override_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let (core, pid) = physician(tmp.path()).await;
    // Zocor (simvastatin) alone raises nothing.
    let first = core
        .add_medication(med(&pid, "Zocor 20 mg tablet", None))
        .await
        .unwrap();
    assert!(first.alerts.is_empty(), "{:?}", first.alerts);
    assert_eq!(first.ingredients, ["simvastatin"]);

    // Biaxin (clarithromycin, a strong CYP3A4 inhibitor) with simvastatin: contraindicated
    // (ONC high-priority list: statins and CYP3A4 inhibitors).
    let check = core
        .medication_check(MedicationCheckRequest {
            patient_id: pid.clone(),
            name: "Biaxin".into(),
        })
        .await
        .unwrap();
    assert!(check.needs_override);
    assert_eq!(check.alerts[0].severity, "contraindicated");
    assert!(check.alerts[0].drugs.contains(&"Biaxin".to_string()));

    let refused = core
        .add_medication(med(&pid, "Biaxin", None))
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Conflict);
    let short = core
        .add_medication(med(&pid, "Biaxin", Some("ok")))
        .await
        .unwrap_err();
    assert_eq!(
        short.code,
        ErrorCode::Conflict,
        "a reason is 5 characters or more"
    );
    let chart = core.open_chart(&pid).await.unwrap();
    assert_eq!(chart.medications.len(), 1, "nothing saved when refused");

    core.add_medication(med(
        &pid,
        "Biaxin",
        Some("Simvastatin held during the 7-day course"),
    ))
    .await
    .unwrap();
    let chart = core.open_chart(&pid).await.unwrap();
    assert_eq!(chart.medications.len(), 2);
    let details = audit_details(&core, &pid).await;
    assert!(
        details
            .iter()
            .any(|d| d == "kinds=medication override=drug-drug:contraindicated"),
        "{details:?}"
    );
    assert!(
        details.iter().all(|d| !d.contains("Simvastatin held")),
        "the reason is not in the audit log"
    );
}

#[tokio::test]
async fn an_unknown_name_is_an_alert_and_a_blank_one_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (core, pid) = physician(tmp.path()).await;
    let unknown = core
        .medication_check(MedicationCheckRequest {
            patient_id: pid.clone(),
            name: "Zqxwvtab".into(),
        })
        .await
        .unwrap();
    assert_eq!(unknown.alerts[0].kind, "unknown-drug");
    assert!(
        unknown.needs_override,
        "every check was skipped: not silent"
    );
    assert!(unknown.ingredients.is_empty());
    let empty = core
        .medication_check(MedicationCheckRequest {
            patient_id: pid.clone(),
            name: "  ".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(empty.code, ErrorCode::Validation);
}

/// ESI v4: SpO2 86 % proposes a life-saving intervention (ESI 1, decision point A). The
/// clinician may assign another level only with a reason; the note records both.
#[tokio::test]
async fn triage_is_recomputed_and_an_override_needs_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let (core, pid) = physician(tmp.path()).await;
    let triage = TriageRequest {
        age_years: Some(76.0),
        spo2: Some(86.0),
        heart_rate: Some(104.0),
        respiratory_rate: Some(26.0),
        temperature_c: Some(38.2),
        consciousness: Some("A".into()),
        chief_complaint: Some("Shortness of breath".into()),
        ..TriageRequest::default()
    };
    let req = |esi: u8, reason: Option<&str>| SaveTriageRequest {
        patient_id: pid.clone(),
        triage: triage.clone(),
        esi,
        override_reason: reason.map(String::from),
    };
    let e = core.save_triage(req(2, None)).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(core.open_chart(&pid).await.unwrap().observations.len(), 0);

    let saved = core
        .save_triage(req(2, Some("On home oxygen, SpO2 86 % is her baseline")))
        .await
        .unwrap();
    assert_eq!((saved.esi, saved.computed_esi), (2, 1));
    let chart = core.open_chart(&pid).await.unwrap();
    assert_eq!(chart.encounters[0].class, "EMER");
    assert_eq!(chart.encounters[0].status, "in-progress");
    assert_eq!(chart.encounters[0].reason, "Shortness of breath");
    let note = &chart.notes[0];
    assert_eq!(
        (note.kind.as_str(), note.title.as_str()),
        ("triage", "ED triage: ESI 2")
    );
    assert!(
        note.text.contains("engine: ESI 1, decision point A"),
        "{}",
        note.text
    );
    assert!(
        note.text.contains("Reason: On home oxygen"),
        "{}",
        note.text
    );
    assert_eq!(
        chart.observations.len(),
        5,
        "HR, RR, SpO2, temperature, ACVPU"
    );
    let details = audit_details(&core, &pid).await;
    assert!(
        details
            .iter()
            .any(|d| d.ends_with("triage_esi=2 computed=1 override")),
        "{details:?}"
    );
}
