//! Charts through AppCore: the demo cohort as the importer stores it, and closed code lists
//! refused where text from the wire becomes a record.

mod common;

use std::time::Instant;

use iris_config::config::{Config, Sources};
use iris_core::AppCore;
use iris_types::{
    AddMedicationRequest, ApiError, ErrorCode, LoginRequest, PatientInput, SaveNoteRequest,
    SearchPatientsRequest, StartEncounterRequest, UpdatePatientRequest,
};

fn fields(e: ApiError) -> Vec<(String, String)> {
    assert_eq!(e.code, ErrorCode::Validation, "{e:?}");
    e.fields.into_iter().map(|f| (f.field, f.rule)).collect()
}

fn patient() -> PatientInput {
    PatientInput {
        family: "Quispe".into(),
        given: vec!["Rosa".into()],
        birth_date: "1961-07-14".into(),
        sex: "female".into(),
        mrn: "MRN-77".into(),
        ..PatientInput::default()
    }
}

/// The demo cohort is made by the synthetic generator and imported through the FHIR importer:
/// every patient has a multi-year record, two signed notes on past check-ups, and the cohort
/// shows every allergy state; patient 7 is unwell today (NEWS2 high).
#[tokio::test]
async fn demo_patients_are_imported_whole_with_signed_notes() {
    let tmp = tempfile::tempdir().unwrap();
    let config = Config::resolve(&Sources::isolated(tmp.path())).unwrap();
    let core = AppCore::open(config, Instant::now()).unwrap();
    let unlock = iris_core::Unlock::Passphrase(iris_config::demo::DEMO_PASSPHRASE.into());
    assert!(core.seed_demo(&unlock).await.unwrap());
    assert!(
        !core.seed_demo(&unlock).await.unwrap(),
        "an existing vault is left alone"
    );
    let (user, password, _) = iris_config::demo::DEMO_ACCOUNTS[1];
    core.login(LoginRequest {
        user: user.into(),
        password: password.into(),
    })
    .await
    .unwrap();
    let mut states = std::collections::BTreeSet::new();
    for i in 0..12 {
        let id = iris_fhir::synthetic::identity(iris_core::demo::DEMO_SEED, i).0;
        let found = core
            .search_patients(SearchPatientsRequest {
                query: id.mrn.clone(),
            })
            .await
            .unwrap();
        assert_eq!(found.len(), 1, "patient {i} by MRN");
        assert!(found[0].name.starts_with(&id.family));
        let chart = core.open_chart(&found[0].id).await.unwrap();
        assert!(chart.observations.len() > 20, "patient {i}");
        assert_eq!(chart.notes.len(), 2, "patient {i}");
        assert!(chart.notes.iter().all(|n| n.signed_at.is_some()));
        assert!(
            chart
                .latest_vitals
                .iter()
                .any(|v| v.code == iris_record::codes::loinc::SYSTOLIC_BP),
            "blood pressure from the panel's components"
        );
        states.insert(format!("{:?}", chart.allergy_status));
        let ew = chart.early_warning.expect("every set has what NEWS2 reads");
        if i == 7 {
            assert_eq!(ew.news2.score, Some(11.0));
            assert_eq!(ew.news2.risk.as_deref(), Some("high"));
        } else {
            assert!(ew.news2.score.is_some(), "patient {i}: {:?}", ew.news2);
        }
    }
    assert_eq!(
        states.len(),
        3,
        "demo data shows every allergy state: {states:?}"
    );
}

/// Closed lists arrive as text from the wire and are refused with the rule `code`, together
/// with every other bad field of the form (the record's own rules).
#[tokio::test]
async fn codes_outside_their_closed_list_are_refused_by_field() {
    let tmp = tempfile::tempdir().unwrap();
    let core = common::signed_in_admin(tmp.path()).await;
    common::signed_in_physician(&core, "dr.codes").await;
    let e = core
        .create_patient(PatientInput {
            sex: "F".into(),
            pregnancy: Some("yes".into()),
            mrn: "MRN 42".into(),
            ..patient()
        })
        .await
        .unwrap_err();
    assert_eq!(
        fields(e),
        [
            ("sex".to_string(), "code".to_string()),
            ("pregnancy".into(), "code".into()),
            ("mrn".into(), "mrn_format".into()),
        ]
    );
    let p = core.create_patient(patient()).await.unwrap();
    assert_eq!(p.patient.sex, "female");
    let e = core
        .update_patient(UpdatePatientRequest {
            id: p.id.clone(),
            patient: PatientInput {
                sex: "woman".into(),
                ..patient()
            },
        })
        .await
        .unwrap_err();
    assert_eq!(fields(e), [("sex".to_string(), "code".to_string())]);
    let e = core
        .start_encounter(StartEncounterRequest {
            patient_id: p.id.clone(),
            class: "XYZ".into(),
            reason: "x".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(fields(e), [("class".to_string(), "code".to_string())]);
    let started = core
        .start_encounter(StartEncounterRequest {
            patient_id: p.id.clone(),
            class: "EMER".into(),
            reason: "Chest pain".into(),
        })
        .await
        .unwrap();
    let e = core
        .save_note(SaveNoteRequest {
            id: started.note_id.clone(),
            kind: "letter".into(),
            title: "Emergency visit".into(),
            text: String::new(),
            soap: None,
        })
        .await
        .unwrap_err();
    assert_eq!(fields(e), [("kind".to_string(), "code".to_string())]);
    let e = core
        .add_medication(AddMedicationRequest {
            patient_id: p.id.clone(),
            name: "metformin".into(),
            dose_value: Some(500.0),
            dose_unit: Some("mg".into()),
            route: "by mouth".into(),
            frequency: "twice daily".into(),
            override_reason: None,
        })
        .await
        .unwrap_err();
    assert_eq!(fields(e), [("route".to_string(), "code".to_string())]);
}
