//! Charts: records by role, unit normalization on input, batches that are all-or-nothing,
//! "no known allergies" vs "not recorded", signed-note immutability, addenda, entered-in-error.

use iris_record::{
    AllergyIntolerance, Condition, Encounter, MedicationStatement, NoteContent, ObsValue,
    Observation, PatientRecord, Record, Soap,
};
use iris_record::{
    ClinicalStatus, Criticality, EncounterClass, EncounterStatus, MedicationStatus, NoteKind,
    ObsCategory, ObservationStatus, Route, Sex,
};
use iris_vault::{Actor, AllergyState, InitArgs, Role, Unlock, Vault, VaultError};

const T0: i64 = 1_795_000_000_000;

struct Fx {
    _dir: tempfile::TempDir,
    v: Vault,
    doc: Actor,
    nurse: Actor,
    analyst: Actor,
    pid: String,
}

async fn fixture() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let (v, _) = Vault::init(
        dir.path(),
        InitArgs {
            admin: "admin",
            admin_password: "admin password 1",
            unlock: Unlock::Passphrase("chart test passphrase".into()),
            now: T0,
        },
    )
    .await
    .unwrap();
    let admin = v.login("admin", "admin password 1", T0).await.unwrap();
    let mut actors = Vec::new();
    for (name, role) in [
        ("dr.grey", Role::Physician),
        ("n.joy", Role::Nurse),
        ("a.lytic", Role::Analyst),
    ] {
        v.add_user(&admin, name, role, "initial password 1", T0)
            .await
            .unwrap();
        actors.push(
            v.change_password(name, "initial password 1", "chosen password 1", T0)
                .await
                .unwrap(),
        );
    }
    let [doc, nurse, analyst] = <[Actor; 3]>::try_from(actors).unwrap();
    let pid = v
        .create_patient(
            &doc,
            &PatientRecord {
                family: "Chartwell".into(),
                given: vec!["Rosa".into()],
                birth_date: "1958-07-30".into(),
                sex: Sex::Female,
                mrn: "CH-1".into(),
                address: None,
                phone: None,
                email: None,
                pregnancy: None,
            },
            T0,
        )
        .await
        .unwrap();
    Fx {
        _dir: dir,
        v,
        doc,
        nurse,
        analyst,
        pid,
    }
}

fn vital(code: &str, value: f64, unit: &str, at: i64) -> Record {
    Record::Observation(Observation {
        code: code.into(),
        display: String::new(),
        status: ObservationStatus::Final,
        category: vec![ObsCategory::VitalSigns],
        value: Some(ObsValue::Quantity {
            value,
            unit: unit.into(),
        }),
        data_absent: None,
        components: vec![],
        reference_low: None,
        reference_high: None,
        effective_at: at,
        interpretation: None,
    })
}

fn lab_glucose(mmol: f64, at: i64) -> Record {
    Record::Observation(Observation {
        code: "2345-7".into(),
        display: "Glucose [Mass/volume] in Serum or Plasma".into(),
        status: ObservationStatus::Final,
        category: vec![ObsCategory::Laboratory],
        value: Some(ObsValue::Quantity {
            value: mmol,
            unit: "mmol/L".into(),
        }),
        data_absent: None,
        components: vec![],
        reference_low: Some(3.9),
        reference_high: Some(5.6),
        effective_at: at,
        interpretation: None,
    })
}

fn note(text: &str) -> NoteContent {
    NoteContent {
        kind: NoteKind::Progress,
        title: "Follow-up".into(),
        text: text.into(),
        soap: None,
    }
}

#[tokio::test]
async fn nurses_record_vitals_and_medications_but_not_diagnoses_and_analysts_nothing() {
    let fx = fixture().await;
    let v = &fx.v;
    v.add_record(&fx.nurse, &fx.pid, vital("8867-4", 88.0, "/min", T0), T0)
        .await
        .unwrap();
    let med = Record::Medication(MedicationStatement {
        code: "860975".into(),
        display: "metformin 500 MG Oral Tablet".into(),
        dose_value: Some(500.0),
        dose_unit: Some("mg".into()),
        route: Route::Oral,
        frequency: "twice daily".into(),
        status: MedicationStatus::Active,
        start: Some("2020-01-01".into()),
        end: None,
        safety_override: None,
    });
    v.add_record(&fx.nurse, &fx.pid, med, T0).await.unwrap();
    let dx = Record::Condition(Condition {
        system: iris_record::codes::ICD10CM.into(),
        code: "E11.9".into(),
        display: "Type 2 diabetes mellitus without complications".into(),
        onset: Some("2015-06-01".into()),
        clinical_status: ClinicalStatus::Active,
    });
    assert!(matches!(
        v.add_record(&fx.nurse, &fx.pid, dx.clone(), T0).await,
        Err(VaultError::Forbidden { role: "nurse", .. })
    ));
    assert!(matches!(
        v.add_record(&fx.nurse, &fx.pid, lab_glucose(5.0, T0), T0)
            .await,
        Err(VaultError::Forbidden { .. })
    ));
    v.add_record(&fx.doc, &fx.pid, dx, T0).await.unwrap();
    assert!(matches!(
        v.open_chart(&fx.analyst, &fx.pid, T0).await,
        Err(VaultError::Forbidden { .. })
    ));
    let chart = v.open_chart(&fx.nurse, &fx.pid, T0).await.unwrap();
    assert_eq!(chart.records.len(), 3);
    // Nurses draft notes but cannot sign them.
    let n = v
        .create_note(&fx.nurse, &fx.pid, None, &note("Patient comfortable."), T0)
        .await
        .unwrap();
    assert!(matches!(
        v.sign_note(&fx.nurse, &n, T0).await,
        Err(VaultError::Forbidden { role: "nurse", .. })
    ));
}

#[tokio::test]
async fn units_are_converted_on_input_and_a_bad_batch_writes_nothing() {
    let fx = fixture().await;
    let v = &fx.v;
    let ids = v
        .add_records(
            &fx.doc,
            &fx.pid,
            vec![
                lab_glucose(7.0, T0 - 1000),
                vital("8310-5", 101.3, "[degF]", T0),
                vital("29463-7", 154.0, "[lb_av]", T0),
            ],
            T0,
        )
        .await
        .unwrap();
    assert_eq!(ids.len(), 3);
    let chart = v.open_chart(&fx.doc, &fx.pid, T0).await.unwrap();
    let units: Vec<(String, String)> = chart
        .observations()
        .map(|o| match &o.value {
            Some(ObsValue::Quantity { value, unit }) => {
                (o.code.clone(), format!("{value:.1} {unit}"))
            }
            other => (o.code.clone(), format!("{other:?}")),
        })
        .collect();
    assert!(
        units.contains(&("2345-7".into(), "126.1 mg/dL".into())),
        "{units:?}"
    );
    assert!(
        units.contains(&("8310-5".into(), "38.5 Cel".into())),
        "{units:?}"
    );
    assert!(
        units.contains(&("29463-7".into(), "69.9 kg".into())),
        "{units:?}"
    );
    let glucose = chart.observations().find(|o| o.code == "2345-7").unwrap();
    assert_eq!(glucose.interpretation.map(|i| i.as_str()), Some("H"));
    // One impossible value (a heart rate of 900) rejects the whole batch, naming the item.
    let before = v
        .open_chart(&fx.doc, &fx.pid, T0)
        .await
        .unwrap()
        .records
        .len();
    let e = v
        .add_records(
            &fx.doc,
            &fx.pid,
            vec![
                vital("8867-4", 70.0, "/min", T0),
                vital("8867-4", 900.0, "/min", T0),
            ],
            T0,
        )
        .await
        .unwrap_err();
    let VaultError::Invalid(f) = e else {
        panic!("{e:?}")
    };
    assert_eq!(
        (f[0].field.as_str(), f[0].rule.as_str()),
        ("1.value", "impossible")
    );
    assert_eq!(
        v.open_chart(&fx.doc, &fx.pid, T0)
            .await
            .unwrap()
            .records
            .len(),
        before
    );
}

#[tokio::test]
async fn no_known_allergies_is_distinct_from_not_recorded() {
    let fx = fixture().await;
    let v = &fx.v;
    assert_eq!(
        v.open_chart(&fx.doc, &fx.pid, T0)
            .await
            .unwrap()
            .allergy_state,
        AllergyState::NotRecorded
    );
    v.record_no_known_allergies(&fx.doc, &fx.pid, T0)
        .await
        .unwrap();
    assert_eq!(
        v.open_chart(&fx.doc, &fx.pid, T0)
            .await
            .unwrap()
            .allergy_state,
        AllergyState::NoKnownAllergies {
            recorded_at: T0,
            recorded_by: "dr.grey".into()
        }
    );
    // A real allergy supersedes it; NKA cannot then be recorded over a listed allergy.
    let allergy = Record::Allergy(AllergyIntolerance {
        system: iris_record::codes::SNOMED.into(),
        code: "764146007".into(),
        display: "Penicillin".into(),
        reaction: Some("Hives".into()),
        criticality: Criticality::High,
        recorded: "2026-11-01".into(),
    });
    let aid = v.add_record(&fx.doc, &fx.pid, allergy, T0).await.unwrap();
    assert_eq!(
        v.open_chart(&fx.doc, &fx.pid, T0)
            .await
            .unwrap()
            .allergy_state,
        AllergyState::Recorded
    );
    assert!(matches!(
        v.record_no_known_allergies(&fx.doc, &fx.pid, T0).await,
        Err(VaultError::Conflict(_))
    ));
    // Entered in error: hidden from the chart, kept in the database.
    v.record_entered_in_error(&fx.doc, &aid, "wrong patient selected", T0)
        .await
        .unwrap();
    let chart = v.open_chart(&fx.doc, &fx.pid, T0).await.unwrap();
    assert_eq!(chart.allergy_state, AllergyState::NotRecorded);
    assert!(chart.records.is_empty());
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM records WHERE entered_in_error = 1")
        .fetch_one(v.pool())
        .await
        .unwrap();
    assert_eq!(kept, 1);
    assert!(matches!(
        v.record_entered_in_error(&fx.doc, &aid, "x", T0).await,
        Err(VaultError::Invalid(_))
    ));
}

#[tokio::test]
async fn a_signed_note_is_locked_and_changes_only_by_addenda_or_entered_in_error() {
    let fx = fixture().await;
    let v = &fx.v;
    let enc = v
        .add_record(
            &fx.doc,
            &fx.pid,
            Record::Encounter(Encounter {
                class: EncounterClass::Ambulatory,
                status: EncounterStatus::Finished,
                start: T0 - 3_600_000,
                end: Some(T0 - 1_800_000),
                reason: "Diabetes follow-up".into(),
            }),
            T0,
        )
        .await
        .unwrap();
    let id = v
        .create_note(
            &fx.doc,
            &fx.pid,
            Some(&enc),
            &note("HbA1c 7.1%, continue metformin."),
            T0,
        )
        .await
        .unwrap();
    v.update_note(
        &fx.doc,
        &id,
        &note("HbA1c 7.1%, continue metformin 500 mg BID."),
        T0,
    )
    .await
    .unwrap();
    assert!(matches!(
        v.add_addendum(&fx.doc, &id, "too early", T0).await,
        Err(VaultError::Conflict(_))
    ));
    v.sign_note(&fx.doc, &id, T0 + 1).await.unwrap();
    assert!(matches!(
        v.update_note(&fx.doc, &id, &note("rewritten after signing"), T0 + 2)
            .await,
        Err(VaultError::Conflict(_))
    ));
    assert!(matches!(
        v.sign_note(&fx.doc, &id, T0 + 2).await,
        Err(VaultError::Conflict(_))
    ));
    v.add_addendum(&fx.doc, &id, "Lab confirmed next day.", T0 + 3)
        .await
        .unwrap();
    let n = v.get_note(&fx.doc, &id, T0 + 4).await.unwrap();
    assert_eq!(n.signed_at, Some(T0 + 1));
    assert_eq!(n.signed_by.as_deref(), Some("dr.grey"));
    assert_eq!(n.content.text, "HbA1c 7.1%, continue metformin 500 mg BID.");
    assert_eq!(n.addenda.len(), 1);
    assert_eq!(n.encounter_id.as_deref(), Some(enc.as_str()));

    // Bypassing the API: rolling the body back to the draft's ciphertext (same row, valid
    // AES-GCM) is caught by the content hash check on read.
    let id2 = v
        .create_note(&fx.doc, &fx.pid, None, &note("first draft"), T0)
        .await
        .unwrap();
    let draft: Vec<u8> = sqlx::query_scalar("SELECT body FROM notes WHERE id = ?")
        .bind(&id2)
        .fetch_one(v.pool())
        .await
        .unwrap();
    v.update_note(&fx.doc, &id2, &note("final text"), T0)
        .await
        .unwrap();
    v.sign_note(&fx.doc, &id2, T0).await.unwrap();
    sqlx::query("UPDATE notes SET body = ? WHERE id = ?")
        .bind(&draft)
        .bind(&id2)
        .execute(v.pool())
        .await
        .unwrap();
    assert!(matches!(
        v.get_note(&fx.doc, &id2, T0).await,
        Err(VaultError::Integrity)
    ));
    // ... even if the attacker also recomputes the stored hash column (they cannot: it is
    // keyed) or copies the hash of another note: the signed audit entry disagrees.
    let other_hash: Vec<u8> = sqlx::query_scalar("SELECT content_hash FROM notes WHERE id = ?")
        .bind(&id)
        .fetch_one(v.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE notes SET content_hash = ? WHERE id = ?")
        .bind(&other_hash)
        .bind(&id2)
        .execute(v.pool())
        .await
        .unwrap();
    assert!(matches!(
        v.get_note(&fx.doc, &id2, T0).await,
        Err(VaultError::Integrity)
    ));

    // Entered in error: needs a reason, hidden from the chart, still readable by id.
    assert!(matches!(
        v.note_entered_in_error(&fx.doc, &id, "", T0).await,
        Err(VaultError::Invalid(_))
    ));
    v.note_entered_in_error(&fx.doc, &id, "documented on the wrong patient", T0)
        .await
        .unwrap();
    let chart_notes = sqlx::query_scalar::<_, i64>(
        "SELECT count(*) FROM notes WHERE entered_in_error = 0 AND patient_id = ?",
    )
    .bind(&fx.pid)
    .fetch_one(v.pool())
    .await
    .unwrap();
    assert_eq!(chart_notes, 1);
    assert!(v.get_note(&fx.doc, &id, T0).await.unwrap().entered_in_error);
    let log = v
        .audit_list(
            &v.login("admin", "admin password 1", T0).await.unwrap(),
            &iris_vault::AuditFilter::Patient(fx.pid.clone()),
            T0,
        )
        .await
        .unwrap();
    for action in [
        "note.create",
        "note.update",
        "note.sign",
        "note.addendum",
        "note.entered_in_error",
        "note.read",
    ] {
        assert!(log.iter().any(|e| e.action == action), "{action}");
    }
}

#[tokio::test]
async fn a_chart_with_two_thousand_observations_opens_in_time_order() {
    let fx = fixture().await;
    let v = &fx.v;
    let batch: Vec<Record> = (0..2000)
        .map(|i| vital("8867-4", 60.0 + (i % 40) as f64, "/min", T0 - i * 60_000))
        .collect();
    v.add_records(&fx.nurse, &fx.pid, batch, T0).await.unwrap();
    let chart = v.open_chart(&fx.doc, &fx.pid, T0).await.unwrap();
    assert_eq!(chart.records.len(), 2000);
    let times: Vec<i64> = chart.observations().map(|o| o.effective_at).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    // One audit entry for the whole batch and one for the chart opening.
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT action, count FROM audit WHERE action IN ('record.add', 'chart.open') ORDER BY seq",
    )
    .fetch_all(v.pool())
    .await
    .unwrap();
    assert_eq!(
        counts,
        vec![("record.add".into(), 2000), ("chart.open".into(), 2001)]
    );
}

#[tokio::test]
async fn an_admin_erases_a_patient_with_a_reason_and_the_audit_trail_remains() {
    let fx = fixture().await;
    let v = &fx.v;
    v.add_records(
        &fx.doc,
        &fx.pid,
        vec![vital("8867-4", 70.0, "/min", T0), lab_glucose(5.0, T0)],
        T0,
    )
    .await
    .unwrap();
    let n = v
        .create_note(&fx.doc, &fx.pid, None, &note("note"), T0)
        .await
        .unwrap();
    v.sign_note(&fx.doc, &n, T0).await.unwrap();
    v.add_addendum(&fx.doc, &n, "more", T0).await.unwrap();
    let admin = v.login("admin", "admin password 1", T0).await.unwrap();
    assert!(matches!(
        v.erase_patient(&fx.doc, &fx.pid, "duplicate registration", T0)
            .await,
        Err(VaultError::Forbidden { .. })
    ));
    assert!(matches!(
        v.erase_patient(&admin, &fx.pid, "dup", T0).await,
        Err(VaultError::Invalid(_))
    ));
    let count = v
        .erase_patient(&admin, &fx.pid, "duplicate registration", T0)
        .await
        .unwrap();
    assert!(count >= 5, "{count}");
    assert!(matches!(
        v.open_chart(&fx.doc, &fx.pid, T0).await,
        Err(VaultError::NotFound { .. })
    ));
    for table in [
        "patients",
        "records",
        "notes",
        "note_addenda",
        "patient_index",
    ] {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
                .fetch_one(v.pool())
                .await
                .unwrap();
        assert_eq!(n, 0, "{table}");
    }
    let log = v
        .audit_list(
            &admin,
            &iris_vault::AuditFilter::Patient(fx.pid.clone()),
            T0,
        )
        .await
        .unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "patient.erase" && e.count == count)
    );
    assert!(log.iter().any(|e| e.action == "note.sign"));
    assert!(matches!(
        v.verify_chain(None).await.unwrap(),
        iris_vault::Verdict::Intact { .. }
    ));
}

/// Start an encounter → the draft SOAP note is edited → a nurse may draft but not sign →
/// a blank note cannot be signed → the physician signs, which locks the note and finishes the
/// encounter.
#[tokio::test]
async fn an_encounter_starts_with_a_draft_and_finishes_when_its_note_is_signed() {
    let fx = fixture().await;
    let v = &fx.v;
    let blank = NoteContent {
        kind: NoteKind::Progress,
        title: "Emergency visit".into(),
        text: String::new(),
        soap: Some(Soap::default()),
    };
    let (eid, nid) = v
        .start_encounter(
            &fx.nurse,
            &fx.pid,
            EncounterClass::Emergency,
            " Chest pain ",
            &blank,
            T0,
        )
        .await
        .unwrap();
    assert!(matches!(
        v.start_encounter(
            &fx.analyst,
            &fx.pid,
            EncounterClass::Emergency,
            "x",
            &blank,
            T0
        )
        .await,
        Err(VaultError::Forbidden { .. })
    ));
    assert!(matches!(
        v.sign_note(&fx.doc, &nid, T0 + 1).await,
        Err(VaultError::Invalid(f)) if f[0].rule == "required_to_sign"
    ));
    let written = NoteContent {
        soap: Some(Soap {
            subjective: "Pressure-like chest pain for 2 h.".into(),
            objective: "Diaphoretic. BP 150/95.".into(),
            assessment: "Possible ACS.".into(),
            plan: "ECG, troponin, aspirin 324 mg.".into(),
        }),
        ..blank.clone()
    };
    v.update_note(&fx.nurse, &nid, &written, T0 + 1)
        .await
        .unwrap();
    assert!(matches!(
        v.sign_note(&fx.nurse, &nid, T0 + 2).await,
        Err(VaultError::Forbidden { .. })
    ));
    let chart = v.open_chart(&fx.doc, &fx.pid, T0 + 2).await.unwrap();
    let enc = |c: &iris_vault::Chart| {
        c.records
            .iter()
            .find_map(|r| match &r.record {
                Record::Encounter(e) if r.id == eid => Some(e.clone()),
                _ => None,
            })
            .unwrap()
    };
    let e = enc(&chart);
    assert_eq!(
        (e.status.as_str(), e.reason.as_str(), e.end),
        ("in-progress", "Chest pain", None)
    );
    assert_eq!(chart.notes[0].encounter_id.as_deref(), Some(eid.as_str()));
    assert_eq!(chart.notes[0].content, written);

    v.sign_note(&fx.doc, &nid, T0 + 600_000).await.unwrap();
    let chart = v.open_chart(&fx.doc, &fx.pid, T0 + 600_001).await.unwrap();
    let e = enc(&chart);
    assert_eq!((e.status.as_str(), e.end), ("finished", Some(T0 + 600_000)));
    let n = &chart.notes[0];
    assert_eq!(
        (n.signed_by.as_deref(), n.signed_at),
        (Some("dr.grey"), Some(T0 + 600_000))
    );
    assert!(matches!(
        v.update_note(&fx.doc, &nid, &blank, T0 + 600_002).await,
        Err(VaultError::Conflict(_))
    ));
}

/// A glucometer reading (LOINC 2339-0) is a bedside measurement nurses record, in mmol/L or
/// mg/dL; a laboratory glucose (2345-7) stays with the physicians.
#[tokio::test]
async fn nurses_record_bedside_glucose_but_not_laboratory_results() {
    let fx = fixture().await;
    let bedside = |code: &str| {
        Record::Observation(Observation {
            code: code.into(),
            display: String::new(),
            status: ObservationStatus::Final,
            category: vec![ObsCategory::Laboratory],
            value: Some(ObsValue::Quantity {
                value: 5.5,
                unit: "mmol/L".into(),
            }),
            data_absent: None,
            components: vec![],
            reference_low: None,
            reference_high: None,
            effective_at: T0,
            interpretation: None,
        })
    };
    fx.v.add_record(&fx.nurse, &fx.pid, bedside("2339-0"), T0)
        .await
        .unwrap();
    assert!(matches!(
        fx.v.add_record(&fx.nurse, &fx.pid, bedside("2345-7"), T0)
            .await,
        Err(VaultError::Forbidden { .. })
    ));
    let chart = fx.v.open_chart(&fx.doc, &fx.pid, T0).await.unwrap();
    let o = chart.observations().next().unwrap();
    // 5.5 mmol/L × 18.016 (mg/dL per mmol/L of glucose) = 99.088 mg/dL.
    match &o.value {
        Some(ObsValue::Quantity { value, unit }) => {
            assert!((value - 99.088).abs() < 1e-9, "{value}");
            assert_eq!(unit, "mg/dL");
        }
        other => panic!("{other:?}"),
    }
}
