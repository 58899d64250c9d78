//! FHIR import through AppCore, as the CLI and the desktop run it: a Synthea-style population
//! imports with nothing quarantined and the vault's counts equal the input's; a second import
//! adds nothing; bad input of every kind is reported and leaves the vault consistent; export →
//! import round-trips every normalized field.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use iris_core::AppCore;
use iris_types::ImportRequest;

const NOW: i64 = 1_795_000_000_000;

async fn admin(dir: &Path) -> AppCore {
    common::signed_in_admin(dir).await
}

/// Writes `n` Synthea-style transaction bundles, one file per patient; returns the input's
/// resource counts by type and the number of vault observation rows they make (one per
/// Observation: a blood-pressure panel is one record with its components).
fn population(dir: &Path, n: usize) -> (BTreeMap<String, u64>, u64) {
    std::fs::create_dir_all(dir).unwrap();
    let mut counts = BTreeMap::new();
    let mut observation_rows = 0;
    for (i, bundle) in iris_fhir::synthetic::population(n, 7, NOW).enumerate() {
        iris_fhir::synthetic::add_counts(&mut counts, &iris_fhir::synthetic::count(&bundle));
        for e in bundle["entry"].as_array().unwrap() {
            let r = &e["resource"];
            if r["resourceType"] == "Observation" {
                observation_rows += 1;
            }
        }
        let f = std::fs::File::create(dir.join(format!("patient-{i:03}.json"))).unwrap();
        iris_fhir::synthetic::write_bundle(f, &bundle).unwrap();
    }
    (counts, observation_rows)
}

/// Imports `paths`; checks that progress streamed in order, from the file count to the last
/// file, and agrees with the report.
async fn import(core: &AppCore, paths: &[&Path]) -> iris_types::ImportReportDto {
    let seen = std::sync::Mutex::new(Vec::<iris_types::ImportProgressDto>::new());
    let r = core
        .import_fhir(
            ImportRequest {
                paths: paths.iter().map(|p| p.display().to_string()).collect(),
                atomic: false,
            },
            |p| seen.lock().unwrap().push(p),
        )
        .await
        .unwrap();
    let seen = seen.into_inner().unwrap();
    let (first, last) = (seen.first().unwrap(), seen.last().unwrap());
    assert_eq!((first.files_done, first.resources_read), (0, 0));
    assert!(first.files_total > 0);
    assert_eq!(last.files_done, last.files_total, "{seen:?}");
    assert_eq!(
        (last.resources_read, last.quarantined),
        (r.resources_read, r.quarantined)
    );
    assert!(
        seen.windows(2)
            .all(|w| w[0].files_done <= w[1].files_done
                && w[0].resources_read <= w[1].resources_read)
    );
    r
}

#[tokio::test]
async fn a_synthetic_population_imports_whole_and_a_second_import_adds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let core = admin(&tmp.path().join("a")).await;
    let folder = tmp.path().join("synthea");
    let (input, observation_rows) = population(&folder, 12);
    let r = import(&core, &[&folder]).await;
    assert_eq!(r.quarantined, 0, "{:?}", r.quarantine_report);
    let total: u64 = input.values().sum();
    assert_eq!((r.resources_read, r.resources_imported), (total, total));
    assert_eq!(
        r.by_type, input,
        "every type imported, counted as in the input"
    );
    assert_eq!(r.patients, input["Patient"]);

    let v = core.actor().await.unwrap().0;
    let c = v.import_counts().await.unwrap();
    assert_eq!(c.patients as u64, input["Patient"]);
    assert_eq!(c.encounters as u64, input["Encounter"]);
    assert_eq!(c.observations as u64, observation_rows);
    assert_eq!(c.conditions as u64, input["Condition"]);
    assert_eq!(
        c.procedures as u64,
        input.get("Procedure").copied().unwrap_or(0)
    );
    assert_eq!(
        c.immunizations as u64,
        input.get("Immunization").copied().unwrap_or(0)
    );
    assert_eq!(c.quarantined, 0);

    let again = import(&core, &[&folder]).await;
    assert_eq!((again.quarantined, again.resources_imported), (0, total));
    assert_eq!(v.import_counts().await.unwrap(), c, "nothing duplicated");
    // One audit entry per committed batch, and the chain is intact.
    let log = core
        .audit_list(iris_types::AuditListRequest {
            patient: None,
            user: Some("admin".into()),
        })
        .await
        .unwrap();
    let batches = log.iter().filter(|e| e.action == "import.batch").count();
    assert!((2..=2 * 12 + 2).contains(&batches), "{batches} batches");
    assert!(core.audit_verify(None).await.unwrap().intact);
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const PATIENT: &str = r#"{"resourceType":"Patient","id":"p1","identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},"system":"urn:mrn","value":"BAD-1"}],"name":[{"family":"Quarantina","given":["Ada"]}],"gender":"female","birthDate":"1970-01-02"}"#;

fn hr(id: &str, subject: &str, loinc: &str) -> String {
    format!(
        r#"{{"resourceType":"Observation","id":"{id}","status":"final","category":[{{"coding":[{{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}}]}}],"code":{{"coding":[{{"system":"http://loinc.org","code":"{loinc}","display":"Heart rate"}}]}},"subject":{{"reference":"{subject}"}},"effectiveDateTime":"2026-01-02T10:00:00Z","valueQuantity":{{"value":72,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}}}"#
    )
}

/// Malformed JSON, a wrong resourceType, a reference to a missing patient, a different
/// resource under a taken id, a truncated file, an R4-invalid entry and what references it:
/// each is quarantined with where and why, its valid neighbours are imported, and what R4
/// accepts but Iris cannot structure (a LOINC code with a wrong check digit) is kept whole
/// with a warning. `atomic` makes a transaction all or nothing again.
#[tokio::test]
async fn bad_input_is_reported_and_the_rest_is_imported() {
    let tmp = tempfile::tempdir().unwrap();
    let core = admin(&tmp.path().join("v")).await;
    let d = tmp.path().join("bad");
    // A collection: the patient, a good heart rate, another resource under its id, one with a
    // missing patient, one with a wrong resourceType, an identical copy of the good one.
    let collection = format!(
        r#"{{"resourceType":"Bundle","type":"collection","entry":[
            {{"fullUrl":"urn:uuid:11111111-1111-4111-8111-111111111111","resource":{PATIENT}}},
            {{"resource":{}}},
            {{"resource":{}}},
            {{"resource":{}}},
            {{"resource":{{"resourceType":"Patinet","id":"x"}}}},
            {{"resource":{}}}
        ]}}"#,
        hr("o1", "Patient/p1", "8867-4"),
        hr("o1", "Patient/p1", "9279-1"),
        hr("o2", "Patient/nobody", "8867-4"),
        hr("o1", "Patient/p1", "8867-4"),
    );
    write(&d, "a-collection.json", &collection);
    write(
        &d,
        "b-malformed.json",
        r#"{"resourceType":"Bundle","type":"collection","entry":[{"resource": {"resourceType": "Observation", "id": 5 5}}]}"#,
    );
    write(
        &d,
        "c-truncated.ndjson",
        &format!(
            "{}\n{}",
            hr("o3", "Patient/p1", "8867-4"),
            &hr("o4", "Patient/p1", "8867-4")[..60]
        ),
    );
    // A transaction: an entry R4 refuses (a status outside its required value set), one
    // that references it, one with a LOINC check digit Iris refuses (R4 does not check it),
    // and a good one.
    let bogus = hr("t1", "Patient/p1", "8867-4").replace("\"final\"", "\"bogus\"");
    let follows = hr("t2", "Patient/p1", "8867-4").replace(
        "\"effectiveDateTime\"",
        "\"derivedFrom\":[{\"reference\":\"urn:uuid:22222222-2222-4222-8222-222222222222\"}],\"effectiveDateTime\"",
    );
    let transaction = format!(
        r#"{{"resourceType":"Bundle","type":"transaction","entry":[
            {{"fullUrl":"urn:uuid:22222222-2222-4222-8222-222222222222","request":{{"method":"POST","url":"Observation"}},"resource":{bogus}}},
            {{"request":{{"method":"POST","url":"Observation"}},"resource":{follows}}},
            {{"request":{{"method":"POST","url":"Observation"}},"resource":{}}},
            {{"request":{{"method":"POST","url":"Observation"}},"resource":{}}}
        ]}}"#,
        hr("t3", "Patient/p1", "8867-5"),
        hr("t4", "Patient/p1", "8867-4"),
    );
    write(&d, "d-transaction.json", &transaction);

    let r = import(&core, &[&d]).await;
    let reasons: Vec<String> = r
        .quarantine_report
        .iter()
        .map(|q| format!("{} {}: {}", q.file, q.path, q.reason))
        .collect();
    let has = |file: &str, path: &str, needle: &str| {
        assert!(
            r.quarantine_report.iter().any(|q| q.file == file
                && q.path.contains(path)
                && q.reason.to_lowercase().contains(needle)),
            "{file} {path}: {needle} not in {reasons:#?}"
        );
    };
    has("a-collection.json", "entry[2]", "same identity");
    has(
        "a-collection.json",
        "entry[3]",
        "neither in this import nor in the vault",
    );
    has("a-collection.json", "entry[4]", "unknown-resource-type");
    has("b-malformed.json", "", "malformed");
    has("c-truncated.ndjson", "", "");
    has(
        "d-transaction.json",
        "entry[0].resource.status",
        "code-not-in-value-set",
    );
    has(
        "d-transaction.json",
        "entry[1]",
        "references a quarantined resource",
    );
    assert_eq!(r.quarantined, 7, "{reasons:#?}");
    // The LOINC code Iris cannot chart: kept whole, with the reason.
    assert!(
        r.warning_report
            .iter()
            .any(|w| w.file == "d-transaction.json"
                && w.path.contains("entry[2]")
                && w.reason.starts_with("imported, not structured")
                && w.reason.contains("LOINC")),
        "{:#?}",
        r.warning_report
    );
    assert_eq!(r.kept_whole.get("Observation"), Some(&1));
    // No value of the input is quoted in a reason.
    assert!(
        reasons
            .iter()
            .chain(r.warning_report.iter().map(|w| &w.reason))
            .all(|q| !q.contains("Quarantina") && !q.contains("BAD-1") && !q.contains("bogus"))
    );
    let v = core.actor().await.unwrap().0;
    let c = v.import_counts().await.unwrap();
    assert_eq!(
        (c.patients, c.observations, c.raw),
        (1, 3, 1),
        "the patient; o1 (once), o3 and t4; t3 kept whole"
    );
    assert_eq!(c.quarantined as u64, r.quarantined);
    // The patient had resources quarantined: not whole.
    assert_eq!((r.patients, r.patients_whole), (1, 0));

    // Atomic: the same transaction is not applied at all.
    let core2 = admin(&tmp.path().join("v2")).await;
    write(&tmp.path().join("p"), "p.json", PATIENT);
    import(&core2, &[&tmp.path().join("p")]).await;
    let r = core2
        .import_fhir(
            ImportRequest {
                paths: vec![d.join("d-transaction.json").display().to_string()],
                atomic: true,
            },
            |_| {},
        )
        .await
        .unwrap();
    assert_eq!(r.quarantined, 4, "{:#?}", r.quarantine_report);
    assert!(
        r.quarantine_report
            .iter()
            .all(|q| q.reason.starts_with("transaction bundle not applied"))
    );
    let c = core2
        .actor()
        .await
        .unwrap()
        .0
        .import_counts()
        .await
        .unwrap();
    assert_eq!((c.patients, c.observations, c.raw), (1, 0, 0));
    assert!(core.audit_verify(None).await.unwrap().intact);
}

/// Import → export → import into another vault: every normalized field survives.
#[tokio::test]
async fn export_then_import_preserves_every_normalized_field() {
    let tmp = tempfile::tempdir().unwrap();
    let first = admin(&tmp.path().join("one")).await;
    let folder = tmp.path().join("synthea");
    population(&folder, 3);
    import(&first, &[&folder]).await;
    let second = admin(&tmp.path().join("two")).await;
    let exports = tmp.path().join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    let list = first.list_patients().await.unwrap();
    assert_eq!(list.len(), 3);
    for p in &list {
        let bundle = first.export_patient(&p.id).await.unwrap();
        std::fs::write(
            exports.join(format!("{}.json", p.id)),
            serde_json::to_vec(&bundle).unwrap(),
        )
        .unwrap();
    }
    let r = import(&second, &[&exports]).await;
    assert_eq!(r.quarantined, 0, "{:?}", r.quarantine_report);
    let (v1, a1) = first.actor().await.unwrap();
    let (v2, a2) = second.actor().await.unwrap();
    for p in &list {
        let x1 = v1.export_patient(&a1, &p.id, NOW).await.unwrap();
        let id2 = v2
            .patient_by_source(&a2, &format!("Patient/{}", p.id), NOW)
            .await
            .unwrap()
            .expect("the exported patient is in the second vault");
        let x2 = v2.export_patient(&a2, &id2, NOW).await.unwrap();
        assert_eq!(x1.patient, x2.patient);
        let mut i1 = x1.identifiers.clone();
        let mut i2 = x2.identifiers.clone();
        i1.sort();
        i2.sort();
        assert_eq!(i1, i2);
        let key = |r: &iris_vault::StoredRecord| format!("{:?}", r.record);
        let mut r1: Vec<String> = x1.records.iter().map(key).collect();
        let mut r2: Vec<String> = x2.records.iter().map(key).collect();
        r1.sort();
        r2.sort();
        assert_eq!(r1.len(), r2.len());
        assert_eq!(r1, r2);
    }
}

/// Gold features after an import, at the diabetes threshold (ADA: HbA1c ≥ 6.5 %): a patient at
/// 6.4 % has no flag, one at 6.5 % has it with the value and date it came from. Importing more
/// data for one patient recomputes that patient only.
#[tokio::test]
async fn gold_features_are_computed_for_the_imported_patients() {
    let tmp = tempfile::tempdir().unwrap();
    let core = admin(&tmp.path().join("v")).await;
    let d = tmp.path().join("in");
    let a1c = |id: &str, patient: &str, value: f64, day: &str| {
        format!(
            r#"{{"resourceType":"Observation","id":"{id}","status":"final","category":[{{"coding":[{{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}}]}}],"code":{{"coding":[{{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c/Hemoglobin.total in Blood"}}]}},"subject":{{"reference":"Patient/{patient}"}},"effectiveDateTime":"{day}T09:00:00Z","valueQuantity":{{"value":{value},"unit":"%","system":"http://unitsofmeasure.org","code":"%"}}}}"#
        )
    };
    let patient = |id: &str, mrn: &str| {
        format!(
            r#"{{"resourceType":"Patient","id":"{id}","identifier":[{{"system":"urn:mrn","value":"{mrn}"}}],"name":[{{"family":"Gold{id}","given":["Fea"]}}],"gender":"male","birthDate":"1960-01-01"}}"#
        )
    };
    write(
        &d,
        "Patient.ndjson",
        &format!("{}\n{}\n", patient("g1", "G-1"), patient("g2", "G-2")),
    );
    write(
        &d,
        "Observation.ndjson",
        &format!(
            "{}\n{}\n",
            a1c("a1", "g1", 6.4, "2026-06-01"),
            a1c("a2", "g2", 6.5, "2026-06-01")
        ),
    );
    let r = import(&core, &[&d]).await;
    assert_eq!(r.quarantined, 0, "{:?}", r.quarantine_report);
    let (v, a) = core.actor().await.unwrap();
    let features = |pid: String| {
        let v = v.clone();
        let a = a.clone();
        async move {
            let body = v.features(&a, &pid, NOW).await.unwrap().expect("computed");
            serde_json::from_slice::<serde_json::Value>(&body).unwrap()
        }
    };
    let g1 = v
        .patient_by_source(&a, "Patient/g1", NOW)
        .await
        .unwrap()
        .unwrap();
    let g2 = v
        .patient_by_source(&a, "Patient/g2", NOW)
        .await
        .unwrap()
        .unwrap();
    let f1 = features(g1.clone()).await;
    assert_eq!(
        f1["flags"].as_array().unwrap().len(),
        0,
        "6.4 % is below the threshold"
    );
    assert_eq!(f1["lab_trends"][0]["code"], "4548-4");
    let f2 = features(g2.clone()).await;
    assert_eq!(f2["flags"][0]["kind"], "diabetes");
    assert_eq!(f2["flags"][0]["evidence"][0]["value"], 6.5);

    // A new result for g1 only: g1 is recomputed (now flagged), g2 untouched.
    write(
        &tmp.path().join("more"),
        "Observation.ndjson",
        &format!("{}\n", a1c("a3", "g1", 7.1, "2026-09-01")),
    );
    let before = v.features(&a, &g2, NOW).await.unwrap();
    import(&core, &[&tmp.path().join("more")]).await;
    let f1 = features(g1).await;
    assert_eq!(f1["flags"][0]["kind"], "diabetes");
    assert_eq!(v.features(&a, &g2, NOW).await.unwrap(), before);
    let log = core
        .audit_list(iris_types::AuditListRequest {
            patient: None,
            user: Some("admin".into()),
        })
        .await
        .unwrap();
    let recomputed: Vec<i64> = log
        .iter()
        .filter(|e| e.action == "features.recompute")
        .map(|e| e.count)
        .collect();
    assert_eq!(
        recomputed,
        [2, 1],
        "both patients, then only the one that changed"
    );
}
