//! Bulk import batches: one transaction and one audit entry each, sources deduplicated by keyed
//! hash (a second import of the same data adds nothing), identifiers sealed and findable by
//! token, quarantined input sealed; and erasure that leaves none of a patient's ciphertexts in
//! any file (database, WAL, free pages).

use iris_record::{
    AllergyIntolerance, Condition, Criticality, Immunization, ObsValue, Observation, PatientRecord,
    Procedure, Record,
};
use iris_record::{
    ClinicalStatus, ImmunizationStatus, ObsCategory, ObservationStatus, ProcedureStatus, Sex,
};
use iris_vault::import::{
    ImportBatch, ImportPatient, ImportRaw, ImportRecord, PatientRef, Quarantined,
};
use iris_vault::{AuditFilter, InitArgs, Role, Unlock, Vault, VaultError};

const T0: i64 = 1_795_000_000_000;

fn patient(i: u32) -> ImportPatient {
    ImportPatient {
        source: format!("Patient/p{i}"),
        record: PatientRecord {
            family: format!("Importova{i}"),
            given: vec![format!("Ida{i}")],
            birth_date: "1961-03-04".into(),
            sex: Sex::Female,
            mrn: format!("IMP-{i:04}"),
            address: None,
            phone: Some(format!("555-201-{i:04}")),
            email: None,
            pregnancy: None,
        },
        identifiers: vec![
            ("http://hospital.example/mrn".into(), format!("IMP-{i:04}")),
            (
                "http://hl7.org/fhir/sid/us-ssn".into(),
                format!("999-55-{i:04}"),
            ),
        ],
    }
}

fn batch(i: u32) -> ImportBatch {
    let hr = |n: i64| ImportRecord {
        patient: PatientRef::New(0),
        source: format!("Observation/p{i}-hr{n}"),
        record: Record::Observation(Observation {
            code: "8867-4".into(),
            display: "Heart rate".into(),
            status: ObservationStatus::Final,
            category: vec![ObsCategory::VitalSigns],
            value: Some(ObsValue::Quantity {
                value: 60.0 + n as f64,
                unit: "/min".into(),
            }),
            data_absent: None,
            components: vec![],
            reference_low: None,
            reference_high: None,
            effective_at: T0 - n * 86_400_000,
            interpretation: None,
        }),
    };
    let mut records: Vec<ImportRecord> = (0..10).map(hr).collect();
    records.push(ImportRecord {
        patient: PatientRef::New(0),
        source: format!("Condition/p{i}-dm"),
        record: Record::Condition(Condition {
            system: iris_record::codes::ICD10CM.into(),
            code: "E11.9".into(),
            display: "Type 2 diabetes mellitus without complications".into(),
            onset: Some("2015-06-01".into()),
            clinical_status: ClinicalStatus::Active,
        }),
    });
    records.push(ImportRecord {
        patient: PatientRef::New(0),
        source: format!("Procedure/p{i}-colo"),
        record: Record::Procedure(Procedure {
            system: iris_record::codes::SNOMED.into(),
            code: "73761001".into(),
            display: "Colonoscopy".into(),
            performed_at: T0 - 400 * 86_400_000,
            status: ProcedureStatus::Completed,
        }),
    });
    records.push(ImportRecord {
        patient: PatientRef::New(0),
        source: format!("Immunization/p{i}-flu"),
        record: Record::Immunization(Immunization {
            code: "140".into(),
            display: "Influenza, seasonal, injectable, preservative free".into(),
            date: "2025-10-01".into(),
            status: ImmunizationStatus::Completed,
        }),
    });
    ImportBatch {
        patients: vec![patient(i)],
        records,
        raw: vec![
            ImportRaw {
                patient: Some(PatientRef::New(0)),
                resource_type: "CarePlan".into(),
                source: format!("CarePlan/p{i}"),
                json: format!(r#"{{"resourceType":"CarePlan","id":"p{i}","status":"active"}}"#)
                    .into_bytes(),
            },
            ImportRaw {
                patient: None,
                resource_type: "Organization".into(),
                source: "Organization/general-hospital".into(),
                json: br#"{"resourceType":"Organization","id":"general-hospital","name":"General Hospital"}"#
                    .to_vec(),
            },
        ],
        quarantined: vec![Quarantined {
            file: "bundle.json".into(),
            path: "$.entry[7].resource.code".into(),
            reason: "Observation.code: no LOINC coding".into(),
            json: br#"{"resourceType":"Observation","id":"bad"}"#.to_vec(),
        }],
        no_known_allergies: vec![],
    }
}

async fn vault(dir: &std::path::Path) -> (Vault, iris_vault::Actor) {
    let (v, _) = Vault::init(
        dir,
        InitArgs {
            admin: "admin",
            admin_password: "admin password 1",
            unlock: Unlock::Passphrase("import test passphrase".into()),
            now: T0,
        },
    )
    .await
    .unwrap();
    let admin = v.login("admin", "admin password 1", T0).await.unwrap();
    (v, admin)
}

#[tokio::test]
async fn a_batch_commits_once_and_a_second_import_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (v, admin) = vault(dir.path()).await;
    let first = v.import_batch(&admin, "imp-1", batch(1), T0).await.unwrap();
    assert_eq!(
        (
            first.patients_new,
            first.records_new,
            first.raw_new,
            first.quarantined
        ),
        (1, 13, 2, 1)
    );
    let counts = v.import_counts().await.unwrap();
    assert_eq!(
        (
            counts.patients,
            counts.observations,
            counts.conditions,
            counts.procedures,
            counts.immunizations,
            counts.raw
        ),
        (1, 10, 1, 1, 1, 2)
    );
    // The same data again: nothing new but the quarantine record of this run.
    let again = v
        .import_batch(&admin, "imp-2", batch(1), T0 + 1)
        .await
        .unwrap();
    assert_eq!(
        (again.patients_new, again.records_new, again.raw_new),
        (0, 0, 0)
    );
    assert_eq!(again.already_present, 1 + 13 + 2);
    assert_eq!(again.patient_ids, first.patient_ids, "the same patient");
    let counts = v.import_counts().await.unwrap();
    assert_eq!(
        (counts.patients, counts.observations, counts.raw),
        (1, 10, 2)
    );

    // Found by source and by any identifier; nothing in clear.
    let pid = first.patient_ids[0].clone();
    assert_eq!(
        v.patient_by_source(&admin, "Patient/p1", T0).await.unwrap(),
        Some(pid.clone())
    );
    assert_eq!(
        v.patient_by_identifier(
            &admin,
            "http://hl7.org/fhir/sid/us-ssn",
            " 999-55-0001 ",
            T0
        )
        .await
        .unwrap(),
        Some(pid.clone())
    );
    assert_eq!(
        v.patient_by_identifier(&admin, "http://hl7.org/fhir/sid/us-ssn", "999-55-0002", T0)
            .await
            .unwrap(),
        None
    );
    // One audit entry per batch, with counts and no PHI.
    let log = v
        .audit_list(&admin, &AuditFilter::User("admin".into()), T0 + 2)
        .await
        .unwrap();
    let batches: Vec<_> = log.iter().filter(|e| e.action == "import.batch").collect();
    assert_eq!(batches.len(), 2);
    assert!(batches.iter().any(|e| e.detail.as_deref()
        == Some("import=imp-1 patients=1 records=13 raw=2 quarantined=1 present=0")));
    // The imported chart opens with the new kinds.
    let chart = v
        .open_chart(&admin_reader(&v).await, &pid, T0 + 3)
        .await
        .unwrap();
    assert_eq!(chart.records.len(), 13);
}

/// Charts are read by clinicians; administrators import.
async fn admin_reader(v: &Vault) -> iris_vault::Actor {
    let admin = v.login("admin", "admin password 1", T0).await.unwrap();
    v.add_user(&admin, "dr.read", Role::Physician, "initial password 1", T0)
        .await
        .unwrap();
    v.change_password("dr.read", "initial password 1", "chosen password 1", T0)
        .await
        .unwrap()
}

#[tokio::test]
async fn only_administrators_import() {
    let dir = tempfile::tempdir().unwrap();
    let (v, _admin) = vault(dir.path()).await;
    let doc = admin_reader(&v).await;
    assert!(matches!(
        v.import_batch(&doc, "imp", batch(1), T0).await,
        Err(VaultError::Forbidden { .. })
    ));
}

fn files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Erasure on request: the patient's rows are deleted, and their ciphertexts (not just the
/// rows) are gone from the database file, its WAL and free pages.
#[tokio::test]
async fn erasure_leaves_no_ciphertext_of_the_patient_in_any_file() {
    let dir = tempfile::tempdir().unwrap();
    let (v, admin) = vault(dir.path()).await;
    let one = v.import_batch(&admin, "imp-1", batch(1), T0).await.unwrap();
    v.import_batch(&admin, "imp-2", batch(2), T0).await.unwrap();
    let pid = one.patient_ids[0].clone();
    // Every sealed value of the patient, as stored.
    let mut blobs: Vec<Vec<u8>> = Vec::new();
    for (sql, n) in [
        (
            "SELECT name, birth_date, mrn, phone FROM patients WHERE id = ?",
            4,
        ),
        ("SELECT body FROM records WHERE patient_id = ?", 1),
        (
            "SELECT value FROM patient_identifiers WHERE patient_id = ?",
            1,
        ),
        ("SELECT body FROM fhir_resources WHERE patient_id = ?", 1),
    ] {
        let rows = sqlx::query(sql)
            .bind(&pid)
            .fetch_all(v.pool())
            .await
            .unwrap();
        for r in rows {
            for i in 0..n {
                use sqlx::Row;
                blobs.push(r.get::<Vec<u8>, _>(i));
            }
        }
    }
    assert!(blobs.len() > 4 + 13 + 2, "{}", blobs.len());
    let present = |blobs: &[Vec<u8>]| -> usize {
        let contents: Vec<Vec<u8>> = files(dir.path())
            .iter()
            .map(|f| std::fs::read(f).unwrap())
            .collect();
        blobs
            .iter()
            .filter(|b| {
                contents
                    .iter()
                    .any(|c| c.windows(b.len()).any(|w| w == b.as_slice()))
            })
            .count()
    };
    assert!(
        present(&blobs) > 0,
        "the scan finds stored ciphertexts before erasure"
    );
    v.erase_patient(&admin, &pid, "Erasure request under GDPR art. 17", T0 + 10)
        .await
        .unwrap();
    assert_eq!(
        present(&blobs),
        0,
        "a ciphertext of the erased patient is still in a file"
    );
    let counts = v.import_counts().await.unwrap();
    assert_eq!(
        (counts.patients, counts.observations),
        (1, 10),
        "the other patient stays"
    );
    assert_eq!(
        v.patient_by_source(&admin, "Patient/p1", T0).await.unwrap(),
        None
    );
    // The erasure's audit entry stays, with no PHI.
    let log = v
        .audit_list(&admin, &AuditFilter::Patient(pid.clone()), T0 + 11)
        .await
        .unwrap();
    assert!(log.iter().any(|e| e.action == "patient.erase"));
}

/// Rows are written many per statement: a source repeated inside one batch (the same patient
/// twice, a shared Organization in every bundle) is stored once, every new patient gets its
/// search index and identifiers, and a patient already present keeps its id.
#[tokio::test]
async fn repeated_sources_in_one_batch_are_stored_once_and_new_patients_are_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let (v, admin) = vault(dir.path()).await;
    let first = v.import_batch(&admin, "imp-1", batch(1), T0).await.unwrap();
    let mut b = batch(2);
    let mut third = batch(3);
    // Patient 1 again (present), patient 2 twice, patient 3 once.
    b.patients = vec![patient(1), patient(2), patient(2), patient(3)];
    for r in third.records.iter_mut() {
        r.patient = PatientRef::New(3);
    }
    b.records.extend(third.records);
    b.raw.extend(third.raw.into_iter().map(|mut r| {
        if r.patient.is_some() {
            r.patient = Some(PatientRef::New(3));
        }
        r
    }));
    b.quarantined.clear();
    let out = v.import_batch(&admin, "imp-2", b, T0 + 1).await.unwrap();
    assert_eq!(out.patients_new, 2, "patients 2 and 3");
    assert_eq!(
        out.patient_ids[0], first.patient_ids[0],
        "patient 1 kept its id"
    );
    assert_eq!(
        out.patient_ids[1], out.patient_ids[2],
        "patient 2 stored once"
    );
    assert_ne!(out.patient_ids[1], out.patient_ids[3]);
    // Two CarePlans (one each) and the shared Organization already present from batch 1.
    assert_eq!(out.raw_new, 2);
    assert_eq!(out.records_new, 26);
    let counts = v.import_counts().await.unwrap();
    assert_eq!(
        (counts.patients, counts.raw, counts.observations),
        (3, 4, 30)
    );

    let reader = admin_reader(&v).await;
    for (i, id) in [(2, &out.patient_ids[1]), (3, &out.patient_ids[3])] {
        let found = v
            .search_patients(&reader, &format!("importova{i} ida{i}"), 10, T0 + 2)
            .await
            .unwrap();
        assert_eq!(
            found.iter().map(|(pid, _)| pid).collect::<Vec<_>>(),
            vec![id]
        );
        assert_eq!(found[0].1.mrn, format!("IMP-{i:04}"));
        assert_eq!(
            v.patient_by_identifier(
                &admin,
                "http://hl7.org/fhir/sid/us-ssn",
                &format!("999-55-{i:04}"),
                T0 + 3
            )
            .await
            .unwrap()
            .as_ref(),
            Some(id)
        );
    }
}

/// "No known allergy" from a source sets the chart's allergy state, but never over allergies
/// the chart lists (as `record_no_known_allergies` refuses then).
#[tokio::test]
async fn no_known_allergies_import_as_the_allergy_state_unless_allergies_are_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let (v, admin) = vault(tmp.path()).await;
    let mut a = batch(1);
    a.no_known_allergies.push(PatientRef::New(0));
    let out = v.import_batch(&admin, "imp-1", a, T0).await.unwrap();
    let mut b = batch(2);
    b.records.push(ImportRecord {
        patient: PatientRef::New(0),
        source: "AllergyIntolerance/p2-pen".into(),
        record: Record::Allergy(AllergyIntolerance {
            system: iris_record::codes::RXNORM.into(),
            code: "7980".into(),
            display: "Penicillin G".into(),
            reaction: None,
            criticality: Criticality::High,
            recorded: "2020-01-01".into(),
        }),
    });
    b.no_known_allergies.push(PatientRef::New(0));
    let out2 = v.import_batch(&admin, "imp-2", b, T0).await.unwrap();
    v.add_user(&admin, "dr.nka", Role::Physician, "initial password 1", T0)
        .await
        .unwrap();
    let doc = v
        .change_password("dr.nka", "initial password 1", "chosen password 1", T0)
        .await
        .unwrap();
    let chart = v.open_chart(&doc, &out.patient_ids[0], T0).await.unwrap();
    assert!(matches!(
        chart.allergy_state,
        iris_vault::AllergyState::NoKnownAllergies { .. }
    ));
    let chart = v.open_chart(&doc, &out2.patient_ids[0], T0).await.unwrap();
    assert_eq!(chart.allergy_state, iris_vault::AllergyState::Recorded);
}
