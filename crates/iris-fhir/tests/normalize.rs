//! Normalization and validation, resource by resource.

use iris_fhir::codes::{ICD10CM, RXNORM, SNOMED};
use iris_fhir::{Deceased, Issue, Normalized, ObservationExtra, Reference, Sourced, normalize};
use iris_record::{
    Interpretation, MedicationStatement, ObsCategory, ObsValue, Observation, ObservationStatus,
    Quantity,
};
use serde_json::{Value, json};

const PID: &str = "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f";

fn subject() -> Value {
    json!({ "reference": format!("urn:uuid:{PID}") })
}

fn ok(v: Value) -> Normalized {
    match normalize(&v.to_string()) {
        Ok(n) => n,
        Err(i) => panic!("unexpected issues {i:?} for {v:#}"),
    }
}

/// The issues of an invalid resource; no reason or path may quote a value we planted.
fn issues(v: Value) -> Vec<(String, String)> {
    let text = v.to_string();
    let issues: Vec<Issue> = normalize(&text).expect_err("expected issues");
    for i in &issues {
        for secret in [
            "SECRET",
            "Jane",
            "8480-5",
            "E11.9X99999",
            "44054007",
            "140 mmHg",
        ] {
            assert!(!i.reason.contains(secret), "{i:?}");
            assert!(!i.path.contains(secret), "{i:?}");
        }
    }
    issues.into_iter().map(|i| (i.path, i.reason)).collect()
}

fn has(issues: &[(String, String)], path: &str, reason: &str) -> bool {
    issues.iter().any(|(p, r)| p == path && r.contains(reason))
}

fn set(mut v: Value, path: &[&str], x: Value) -> Value {
    let mut cur = &mut v;
    for k in path {
        cur = match k.parse::<usize>() {
            Ok(i) if cur.is_array() => &mut cur[i],
            _ => &mut cur[*k],
        };
    }
    *cur = x;
    v
}

fn remove(mut v: Value, key: &str) -> Value {
    v.as_object_mut().unwrap().remove(key);
    v
}

// ------------------------------------------------------------------------------- Patient

fn patient() -> Value {
    json!({
        "resourceType": "Patient", "id": "p1",
        "identifier": [
            { "system": "https://github.com/synthetichealth/synthea", "value": "abc" },
            { "type": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR" }] },
              "system": "http://hospital.example", "value": "MRN-42" },
            { "type": { "coding": [{ "code": "SS" }] }, "system": "http://hl7.org/fhir/sid/us-ssn", "value": "999-12-3456" },
            { "type": { "coding": [{ "code": "DL" }] }, "system": "urn:oid:2.16.840.1.113883.4.3.25", "value": "S99912345" },
            { "type": { "coding": [{ "code": "PPN" }] }, "value": "X1234X" },
            { "system": "http://insurer.example", "value": "INS-1" }
        ],
        "name": [
            { "use": "maiden", "family": "Old", "given": ["Jane"] },
            { "use": "official", "family": " Synthetic ", "given": ["Jane", "Q"], "prefix": ["Ms."] }
        ],
        "telecom": [{ "system": "email", "value": "j@example.org" }, { "system": "phone", "value": "555-0100" }],
        "gender": "female",
        "birthDate": "1961-07-04",
        "deceasedDateTime": "2020-01-02T03:04:05+01:00",
        "address": [{ "use": "work", "city": "Work" },
                    { "use": "home", "line": ["1 Main St", " "], "city": "Town", "state": "MA", "postalCode": "01000", "country": "US" }],
        "maritalStatus": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", "code": "M" }] }
    })
}

#[test]
fn patient_fields() {
    let Normalized::Patient(p) = ok(patient()) else {
        panic!()
    };
    assert_eq!(p.source_id.as_deref(), Some("p1"));
    assert_eq!(p.record.family, "Synthetic");
    assert_eq!(p.record.given, ["Jane", "Q"]);
    assert_eq!(p.record.birth_date, "1961-07-04");
    assert_eq!(p.record.sex.as_str(), "female");
    assert_eq!(p.mrn(), Some("MRN-42"));
    assert_eq!(p.identifiers.len(), 6);
    assert!(p.identifiers.contains(&("".into(), "X1234X".into())));
    assert!(p.identifiers.contains(&(
        "http://hl7.org/fhir/sid/us-ssn".into(),
        "999-12-3456".into()
    )));
    let a = p.record.address.unwrap();
    assert_eq!(
        (a.lines, a.city.as_str(), a.postal_code.as_str()),
        (vec!["1 Main St".to_string()], "Town", "01000")
    );
    assert_eq!(p.record.phone.as_deref(), Some("555-0100"));
    assert_eq!(p.record.email.as_deref(), Some("j@example.org"));
    assert_eq!(p.deceased, Some(Deceased::At(1_577_930_645_000)));
    assert_eq!(p.marital_status.as_deref(), Some("M"));
}

#[test]
fn patient_defaults_and_fallbacks() {
    let v = json!({ "resourceType": "Patient", "identifier": [{ "value": "first" }, { "value": "second" }],
                    "name": [{ "family": "F" }], "birthDate": "2000-02-29", "deceasedBoolean": false });
    let Normalized::Patient(p) = ok(v) else {
        panic!()
    };
    assert_eq!((p.mrn(), p.record.sex.as_str()), (Some("first"), "unknown"));
    assert_eq!(p.deceased, Some(Deceased::Flag(false)));
    assert_eq!(
        (p.record.address, p.record.phone, p.source_id),
        (None, None, None)
    );
    let v = json!({ "resourceType": "Patient", "name": [{ "family": "F" }], "birthDate": "2000-01-01", "deceasedDateTime": "2019" });
    let Normalized::Patient(p) = ok(v) else {
        panic!()
    };
    assert_eq!((p.mrn(), p.deceased), (None, Some(Deceased::Flag(true))));
}

#[test]
fn patient_requirements() {
    // A Patient is structured whenever R4 accepts it and it has a full birth date
    // (patient.html: name 0..*, birthDate 0..1); Iris cannot place a patient without one.
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            remove(patient(), "birthDate"),
            "Patient.birthDate",
            "birth date is not a full date",
        ),
        (
            set(patient(), &["birthDate"], json!("1961")),
            "Patient.birthDate",
            "birth date is not a full date",
        ),
        (
            set(patient(), &["birthDate"], json!("1961-07")),
            "Patient.birthDate",
            "birth date is not a full date",
        ),
        (
            set(patient(), &["birthDate"], json!("1961-02-30")),
            "Patient.birthDate",
            "not a valid FHIR date",
        ),
        (
            set(patient(), &["birthDate"], json!(19610704)),
            "Patient.birthDate",
            "must be a string",
        ),
        (
            set(patient(), &["gender"], json!("SECRET")),
            "Patient.gender",
            "not one of",
        ),
        (
            set(patient(), &["name"], json!("Jane")),
            "Patient.name",
            "must be an array",
        ),
        (
            set(patient(), &["deceasedDateTime"], json!("2020-01-02T03:04")),
            "Patient.deceasedDateTime",
            "not a valid",
        ),
        (
            set(patient(), &["id"], json!("SECRET value")),
            "Patient.id",
            "not a valid FHIR id",
        ),
    ];
    for (v, path, reason) in cases {
        let i = issues(v);
        assert!(has(&i, path, reason), "{path}: {i:?}");
    }
}

/// HumanName.family is 0..1 and Patient.name 0..* (patient.html, datatypes.html#HumanName):
/// the family name falls back to the name's text, then the given names, then a placeholder,
/// each with a warning.
#[test]
fn patient_names_without_a_family() {
    let cases: Vec<(Value, &str, Vec<&str>, &str, &str)> = vec![
        (
            json!([{ "use": "official", "text": "Jane Q Synthetic", "given": ["Jane"] }]),
            "Jane Q Synthetic",
            vec![],
            "Patient.name[0]",
            "the name's text is used",
        ),
        (
            json!([{ "use": "maiden", "family": "Old" }, { "given": ["Mononym"] }]),
            "Mononym",
            vec![],
            "Patient.name[1]",
            "the given names are used",
        ),
        (
            json!([{ "given": ["Jane", "Q"] }]),
            "Jane Q",
            vec![],
            "Patient.name[0]",
            "the given names are used",
        ),
        (
            json!([{ "use": "official" }]),
            iris_fhir::NO_NAME,
            vec![],
            "Patient.name",
            "a placeholder is used",
        ),
        (
            json!([]),
            iris_fhir::NO_NAME,
            vec![],
            "Patient.name",
            "a placeholder is used",
        ),
        (
            json!([{ "family": "F", "given": ["A", "B", "C", "D", "E", "F"] }]),
            "F",
            vec!["A", "B", "C", "D", "E"],
            "Patient.name",
            "the first five are kept",
        ),
    ];
    for (names, family, given, path, warning) in cases {
        let Normalized::Patient(p) = ok(set(patient(), &["name"], names.clone())) else {
            panic!()
        };
        assert_eq!(
            (p.record.family.as_str(), &p.record.given),
            (family, &given.iter().map(|g| g.to_string()).collect()),
            "{names}"
        );
        assert_eq!(p.warnings.len(), 1, "{names}: {:?}", p.warnings);
        assert_eq!(p.warnings[0].path, path, "{names}");
        assert!(
            p.warnings[0].reason.contains(warning),
            "{names}: {:?}",
            p.warnings
        );
    }
    let Normalized::Patient(p) = ok(remove(patient(), "name")) else {
        panic!()
    };
    assert_eq!(p.record.family, iris_fhir::NO_NAME);
    let Normalized::Patient(p) = ok(patient()) else {
        panic!()
    };
    assert!(p.warnings.is_empty());
}

// ----------------------------------------------------------------------------- Encounter

fn encounter() -> Value {
    json!({
        "resourceType": "Encounter", "id": "e1", "status": "finished",
        "class": { "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB" },
        "type": [{ "coding": [{ "system": SNOMED, "code": "185349003", "display": "Encounter for check up" }] }],
        "subject": subject(),
        "period": { "start": "2024-03-10T08:00:00-05:00", "end": "2024-03-10T08:30:00-05:00" },
        "reasonCode": [{ "coding": [{ "system": SNOMED, "code": "10509002", "display": "Acute bronchitis" }] }]
    })
}

#[test]
fn encounter_fields_and_mappings() {
    let Normalized::Encounter(e) = ok(encounter()) else {
        panic!()
    };
    assert_eq!(
        (e.record.class.as_str(), e.record.status.as_str()),
        ("AMB", "finished")
    );
    assert_eq!(
        (e.record.start, e.record.end),
        (1_710_075_600_000, Some(1_710_077_400_000))
    );
    assert_eq!(e.record.reason, "Acute bronchitis");
    assert_eq!(e.subject, Reference::Uuid(PID.into()));
    for (class, want) in [
        ("EMER", "EMER"),
        ("IMP", "IMP"),
        ("ACUTE", "IMP"),
        ("HH", "HH"),
        ("VR", "AMB"),
        ("emergency", "EMER"),
    ] {
        let Normalized::Encounter(e) = ok(set(encounter(), &["class", "code"], json!(class)))
        else {
            panic!()
        };
        assert_eq!(e.record.class.as_str(), want);
    }
    for (status, want) in [
        ("arrived", "in-progress"),
        ("triaged", "in-progress"),
        ("onleave", "in-progress"),
        ("planned", "planned"),
        ("cancelled", "cancelled"),
    ] {
        let Normalized::Encounter(e) = ok(set(encounter(), &["status"], json!(status))) else {
            panic!()
        };
        assert_eq!(e.record.status.as_str(), want);
    }
    // A partial end (valid R4) is dropped with a warning.
    let Normalized::Encounter(e) = ok(set(encounter(), &["period", "end"], json!("2024-03")))
    else {
        panic!()
    };
    assert_eq!(e.record.end, None);
    assert_eq!(e.warnings[0].path, "Encounter.period.end");
    // An end only (valid R4: period.start 0..1): placed at its end.
    let Normalized::Encounter(e) = ok(set(
        encounter(),
        &["period"],
        json!({ "end": "2024-03-10T08:30:00-05:00" }),
    )) else {
        panic!()
    };
    assert_eq!(
        (e.record.start, e.record.end),
        (1_710_077_400_000, Some(1_710_077_400_000))
    );
    assert_eq!(
        e.warnings[0].reason,
        "period without a start: its end is used"
    );
    // No reasonCode: the type's text.
    let Normalized::Encounter(e) = ok(remove(encounter(), "reasonCode")) else {
        panic!()
    };
    assert_eq!(e.record.reason, "Encounter for check up");
}

#[test]
fn encounter_requirements() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (remove(encounter(), "class"), "Encounter.class", "missing"),
        (
            set(encounter(), &["class", "code"], json!("XYZ")),
            "Encounter.class.code",
            "encounter class Iris does not chart",
        ),
        (
            set(encounter(), &["status"], json!("entered-in-error")),
            "Encounter.status",
            "entered in error",
        ),
        (
            set(encounter(), &["status"], json!("unknown")),
            "Encounter.status",
            "not a supported status",
        ),
        (remove(encounter(), "status"), "Encounter.status", "missing"),
        (
            remove(encounter(), "period"),
            "Encounter.period.start",
            "missing",
        ),
        (
            set(
                encounter(),
                &["period", "start"],
                json!("2024-03-10T08:00:00"),
            ),
            "Encounter.period.start",
            "no timezone",
        ),
        (
            remove(encounter(), "subject"),
            "Encounter.subject",
            "missing",
        ),
        (
            set(encounter(), &["subject"], json!({ "reference": "Group/1" })),
            "Encounter.subject.reference",
            "another resource type",
        ),
        (
            set(encounter(), &["subject"], json!({ "display": "SECRET" })),
            "Encounter.subject.reference",
            "missing",
        ),
        (
            set(encounter(), &["subject"], json!({ "reference": "#p" })),
            "Encounter.subject.reference",
            "cannot",
        ),
    ];
    for (v, path, reason) in cases {
        let i = issues(v);
        assert!(
            i.iter().any(|(p, r)| p == path
                && (r.contains(reason) || reason == "cannot" && r.contains("resolved"))),
            "{path}: {i:?}"
        );
    }
}

// --------------------------------------------------------------------------- Observation

fn observation() -> Value {
    json!({
        "resourceType": "Observation", "id": "o1", "status": "final",
        "identifier": [{ "system": "urn:lab", "value": "ACC-1" }],
        "category": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory" }] }],
        "code": { "coding": [{ "system": "http://loinc.org", "code": "4548-4", "display": "Hemoglobin A1c" }] },
        "subject": subject(),
        "encounter": { "reference": "Encounter/e1" },
        "effectiveDateTime": "2024-03-10T08:00:00-05:00",
        "valueQuantity": { "value": 7.2, "unit": "percent", "system": "http://unitsofmeasure.org", "code": "%" },
        "referenceRange": [{ "low": { "value": 4.0, "code": "%" }, "high": { "value": 5.6, "unit": "%" } }],
        "interpretation": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "code": "H" }] }]
    })
}

fn one_obs(v: Value) -> Sourced<Observation, ObservationExtra> {
    match ok(v) {
        Normalized::Observation(o) => o,
        other => panic!("{other:?}"),
    }
}

/// The observation without its value, range and interpretation.
fn bare() -> Value {
    remove(
        remove(remove(observation(), "valueQuantity"), "referenceRange"),
        "interpretation",
    )
}

/// (path, reason)
type Warning<'a> = (&'a str, &'a str);

fn warnings_of(o: &Sourced<Observation, ObservationExtra>) -> Vec<Warning<'_>> {
    o.warnings
        .iter()
        .map(|w| (w.path.as_str(), w.reason.as_str()))
        .collect()
}

#[test]
fn observation_fields() {
    let o = one_obs(observation());
    assert_eq!(
        (
            o.record.code.as_str(),
            o.record.display.as_str(),
            o.record.category[0].as_str()
        ),
        ("4548-4", "Hemoglobin A1c", "laboratory")
    );
    assert_eq!(
        o.record.value,
        Some(ObsValue::Quantity {
            value: 7.2,
            unit: "%".into()
        })
    );
    assert_eq!(
        (o.record.reference_low, o.record.reference_high),
        (Some(4.0), Some(5.6))
    );
    assert_eq!(o.record.effective_at, 1_710_075_600_000);
    assert_eq!(o.record.interpretation.map(|i| i.as_str()), Some("H"));
    assert_eq!(o.record.status, ObservationStatus::Final);
    assert_eq!(
        o.encounter,
        Some(Reference::Relative {
            resource_type: "Encounter".into(),
            id: "e1".into()
        })
    );
    assert_eq!(
        o.identifiers,
        [("urn:lab".to_string(), "ACC-1".to_string())]
    );
    assert_eq!(o.extra, ObservationExtra::default());
    assert!(o.warnings.is_empty());
    // The unit when there is no code; UCUM unity when there is neither.
    for (q, unit) in [
        (json!({ "value": 7, "unit": "%" }), "%"),
        (json!({ "value": 7 }), "1"),
    ] {
        let o = one_obs(set(observation(), &["valueQuantity"], q));
        assert_eq!(
            o.record.value,
            Some(ObsValue::Quantity {
                value: 7.0,
                unit: unit.into()
            })
        );
    }
}

/// effective[x] (observation.html: dateTime | Period | Timing | instant, 0..1): a dateTime,
/// a Period's start (else its end, a warning), an instant; none of them → `issued` (a
/// warning); neither → not structured.
#[test]
fn observation_times() {
    for (t, ms) in [
        ("2024-03-10T13:00:00Z", 1_710_075_600_000),
        ("2024-03-10T08:00:00-05:00", 1_710_075_600_000),
        ("2024-03-10T18:30:00+05:30", 1_710_075_600_000),
        ("2024-03-10T13:00:00.250+00:00", 1_710_075_600_250),
        ("2024-03-10", 1_710_028_800_000),
        ("2024-03-11T00:30:00+14:00", 1_710_066_600_000),
    ] {
        assert_eq!(
            one_obs(set(observation(), &["effectiveDateTime"], json!(t)))
                .record
                .effective_at,
            ms,
            "{t}"
        );
    }
    let no_time = remove(observation(), "effectiveDateTime");
    let issued = "2024-03-10T14:00:00Z";
    let cases: Vec<(Value, i64, Vec<Warning>)> = vec![
        (
            set(
                no_time.clone(),
                &["effectivePeriod"],
                json!({ "start": "2024-03-10T09:00:00+01:00", "end": "2024-03-10T11:00:00+01:00" }),
            ),
            1_710_057_600_000,
            vec![],
        ),
        (
            set(
                no_time.clone(),
                &["effectivePeriod"],
                json!({ "end": "2024-03-10T09:00:00+01:00" }),
            ),
            1_710_057_600_000,
            vec![(
                "Observation.effectivePeriod",
                "period without a start: its end is used",
            )],
        ),
        (
            set(
                no_time.clone(),
                &["effectiveInstant"],
                json!("2024-03-10T13:00:00.250Z"),
            ),
            1_710_075_600_250,
            vec![],
        ),
        (
            set(no_time.clone(), &["issued"], json!(issued)),
            1_710_079_200_000,
            vec![(
                "Observation.effective[x]",
                "no effective time: the issued time is used",
            )],
        ),
        (
            set(
                set(no_time.clone(), &["issued"], json!(issued)),
                &["effectiveTiming"],
                json!({ "repeat": { "frequency": 1, "period": 1, "periodUnit": "d" } }),
            ),
            1_710_079_200_000,
            vec![(
                "Observation.effective[x]",
                "no effective time: the issued time is used",
            )],
        ),
    ];
    for (v, ms, warnings) in cases {
        let o = one_obs(v.clone());
        assert_eq!(o.record.effective_at, ms, "{v}");
        assert_eq!(warnings_of(&o), warnings, "{v}");
    }
    let i = issues(no_time);
    assert!(has(
        &i,
        "Observation.effective[x]",
        "missing (and no issued time)"
    ));
}

/// value[x] 0..1 (observation.html), every one of its eleven types, on the observation and on
/// a component (component.value[x] has the same choices).
#[test]
fn every_value_kind() {
    let q = |v: f64, u: &str| Quantity {
        value: v,
        unit: u.into(),
    };
    let cases: Vec<(&str, Value, ObsValue)> = vec![
        (
            "valueQuantity",
            json!({ "value": 5.5, "unit": "mmol/L", "system": "http://unitsofmeasure.org", "code": "mmol/L" }),
            ObsValue::Quantity {
                value: 5.5,
                unit: "mmol/L".into(),
            },
        ),
        (
            "valueCodeableConcept",
            json!({ "coding": [{ "system": SNOMED, "code": "260385009", "display": "Negative" }], "text": "negative" }),
            ObsValue::Coded {
                system: SNOMED.into(),
                code: "260385009".into(),
                display: "negative".into(),
            },
        ),
        (
            "valueCodeableConcept",
            json!({ "coding": [{ "system": "http://loinc.org", "code": "LA6576-8", "display": "Positive" }] }),
            ObsValue::Coded {
                system: "http://loinc.org".into(),
                code: "LA6576-8".into(),
                display: "Positive".into(),
            },
        ),
        (
            "valueCodeableConcept",
            json!({ "text": "cloudy" }),
            ObsValue::Coded {
                system: String::new(),
                code: String::new(),
                display: "cloudy".into(),
            },
        ),
        (
            "valueString",
            json!(" clear "),
            ObsValue::Text {
                text: "clear".into(),
            },
        ),
        (
            "valueBoolean",
            json!(false),
            ObsValue::Boolean { value: false },
        ),
        ("valueInteger", json!(3), ObsValue::Integer { value: 3 }),
        (
            "valueRange",
            json!({ "low": { "value": 1, "unit": "mg" }, "high": { "value": 2, "code": "mg" } }),
            ObsValue::Range {
                low: Some(q(1.0, "mg")),
                high: Some(q(2.0, "mg")),
            },
        ),
        (
            "valueRange",
            json!({ "high": { "value": 2 } }),
            ObsValue::Range {
                low: None,
                high: Some(q(2.0, "1")),
            },
        ),
        (
            "valueRatio",
            json!({ "numerator": { "value": 1 }, "denominator": { "value": 128, "code": "1" } }),
            ObsValue::Ratio {
                numerator: Some(q(1.0, "1")),
                denominator: Some(q(128.0, "1")),
            },
        ),
        (
            "valueSampledData",
            json!({ "origin": { "value": 0, "code": "mV" }, "period": 10, "factor": 1.2,
                    "lowerLimit": -5, "upperLimit": 5, "dimensions": 2, "data": "1 2 E 3" }),
            ObsValue::SampledData {
                origin: q(0.0, "mV"),
                period_ms: 10.0,
                factor: Some(1.2),
                lower_limit: Some(-5.0),
                upper_limit: Some(5.0),
                dimensions: 2,
                data: "1 2 E 3".into(),
            },
        ),
        (
            "valueTime",
            json!("07:30:00"),
            ObsValue::Time {
                time: "07:30:00".into(),
            },
        ),
        (
            "valueDateTime",
            json!("2024-03-10T08:00:00-05:00"),
            ObsValue::DateTime {
                at: 1_710_075_600_000,
            },
        ),
        (
            "valuePeriod",
            json!({ "start": "2024-03-10T13:00:00Z" }),
            ObsValue::Period {
                start: Some(1_710_075_600_000),
                end: None,
            },
        ),
    ];
    for (key, json_value, want) in cases {
        let o = one_obs(set(bare(), &[key], json_value.clone()));
        assert_eq!(o.record.value.as_ref(), Some(&want), "{key} {json_value}");
        assert!(o.warnings.is_empty(), "{key}: {:?}", o.warnings);
        let comp = json!([{ "code": { "coding": [{ "system": "http://loinc.org", "code": "2339-0" }] }, key: json_value }]);
        let o = one_obs(set(bare(), &["component"], comp));
        assert_eq!(o.record.value, None);
        assert_eq!(
            o.record.components[0].value.as_ref(),
            Some(&want),
            "component {key}"
        );
    }
}

/// Components (observation.html "component 0..*", obs-7), with or without a top-level value;
/// a component without a value (with or without dataAbsentReason) is kept.
#[test]
fn blood_pressure_panel_is_one_record() {
    let v = json!({
        "resourceType": "Observation", "id": "bp", "status": "final",
        "category": [{ "coding": [{ "code": "vital-signs" }] }],
        "code": { "coding": [{ "system": "http://loinc.org", "code": "85354-9", "display": "Blood pressure panel" }] },
        "subject": subject(),
        "effectiveDateTime": "2024-03-10T08:00:00-05:00",
        "component": [
            { "code": { "coding": [{ "system": "http://loinc.org", "code": "8480-6", "display": "Systolic blood pressure" }] },
              "valueQuantity": { "value": 152, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]" },
              "interpretation": [{ "coding": [{ "code": "HU" }] }] },
            { "code": { "coding": [{ "system": "http://loinc.org", "code": "8462-4", "display": "Diastolic blood pressure" }] },
              "valueQuantity": { "value": 95, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]" },
              "referenceRange": [{ "high": { "value": 80, "code": "mm[Hg]" } }] },
            { "code": { "coding": [{ "system": "http://loinc.org", "code": "8478-0" }] },
              "dataAbsentReason": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code": "not-performed" }] } },
            { "code": { "coding": [{ "system": "http://loinc.org", "code": "8478-0" }] } }
        ]
    });
    let o = one_obs(v.clone());
    let r = &o.record;
    assert_eq!((r.code.as_str(), r.value.as_ref()), ("85354-9", None));
    assert_eq!(r.display, "Blood pressure panel");
    assert_eq!(r.category, [ObsCategory::VitalSigns]);
    assert_eq!(r.components.len(), 4);
    let c = &r.components;
    assert_eq!(
        (
            c[0].code.as_str(),
            c[0].display.as_str(),
            c[0].interpretation
        ),
        (
            "8480-6",
            "Systolic blood pressure",
            Some(Interpretation::CriticalHigh)
        )
    );
    assert_eq!(
        c[0].value,
        Some(ObsValue::Quantity {
            value: 152.0,
            unit: "mm[Hg]".into()
        })
    );
    assert_eq!(
        (r.number_of("8462-4"), c[1].reference_high),
        (Some(95.0), Some(80.0))
    );
    assert_eq!(
        (c[2].value.as_ref(), c[2].data_absent.as_deref()),
        (None, Some("not-performed"))
    );
    assert_eq!(
        (c[3].value.as_ref(), c[3].data_absent.as_deref()),
        (None, None)
    );
    assert_eq!(r.measurements().count(), 2);
    assert!(o.warnings.is_empty());
    assert_eq!(o.source_id.as_deref(), Some("bp"));
    // With a top-level value too (a score and its items).
    let mut v = v;
    v["valueInteger"] = json!(9);
    assert_eq!(
        one_obs(v).record.value,
        Some(ObsValue::Integer { value: 9 })
    );
}

/// Observations with no value, no component and no dataAbsentReason are valid R4 (obs-6 only
/// forbids a reason beside a value); Synthea writes thousands. A `hasMember` panel groups
/// other Observations (obs.html "hasMember 0..*").
#[test]
fn observations_without_a_value() {
    let o = one_obs(bare());
    assert_eq!(
        (o.record.value.as_ref(), o.record.data_absent.as_deref()),
        (None, None)
    );
    assert!(o.record.components.is_empty() && o.warnings.is_empty());
    let cases: Vec<(Value, &str, Vec<Warning>)> = vec![
        (
            json!({ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason", "code": "asked-declined" }] }),
            "asked-declined",
            vec![],
        ),
        (
            json!({ "coding": [{ "code": "not-performed" }] }),
            "not-performed",
            vec![],
        ),
        (
            json!({ "text": "SECRET" }),
            "unknown",
            vec![(
                "Observation.dataAbsentReason",
                "dataAbsentReason not coded in data-absent-reason: unknown",
            )],
        ),
    ];
    for (reason, code, warnings) in cases {
        let o = one_obs(set(bare(), &["dataAbsentReason"], reason.clone()));
        assert_eq!(o.record.data_absent.as_deref(), Some(code), "{reason}");
        assert_eq!(warnings_of(&o), warnings);
    }
    let o = one_obs(set(
        bare(),
        &["hasMember"],
        json!([{ "reference": "Observation/x" }, { "reference": "urn:uuid:0b6b6d4e-4cc2-4d3a-a4a5-0c1d2e3f4a5b" }, { "display": "no reference" }]),
    ));
    assert_eq!(o.record.value, None);
    assert_eq!(
        o.extra.has_member,
        [
            Reference::Relative {
                resource_type: "Observation".into(),
                id: "x".into()
            },
            Reference::Uuid("0b6b6d4e-4cc2-4d3a-a4a5-0c1d2e3f4a5b".into())
        ]
    );
    // obs-6: dataAbsentReason only without a value (an R4 error: not structured).
    let i = issues(set(
        observation(),
        &["dataAbsentReason"],
        json!({ "coding": [{ "code": "unknown" }] }),
    ));
    assert!(has(&i, "Observation.dataAbsentReason", "obs-6"));
}

/// Observation.category 0..* (preferred binding to observation-category, 9 codes): each
/// coding of that system (or without a system) is kept, in order, once; other systems are
/// ignored; none → empty, or vital-signs for a vital-sign LOINC code.
#[test]
fn observation_categories() {
    for c in ObsCategory::ALL {
        let v = set(
            observation(),
            &["category"],
            json!([{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": c.as_str() }] }]),
        );
        assert_eq!(one_obs(v).record.category, [*c]);
    }
    let cat = |system: &str, code: &str| json!({ "system": system, "code": code });
    let cases: Vec<(Value, &str, Vec<ObsCategory>)> = vec![
        (
            json!([
                { "coding": [cat("http://example.org/local", "lab"), cat(iris_fhir::codes::OBSERVATION_CATEGORY, "laboratory")] },
                { "coding": [{ "code": "imaging" }] },
                { "coding": [cat(iris_fhir::codes::OBSERVATION_CATEGORY, "laboratory")] },
                { "text": "ignored" }
            ]),
            "4548-4",
            vec![ObsCategory::Laboratory, ObsCategory::Imaging],
        ),
        (
            json!([{ "coding": [cat("http://example.org/local", "vital-signs")] }]),
            "4548-4",
            vec![],
        ),
        (json!([]), "4548-4", vec![]),
        (json!([]), "8867-4", vec![ObsCategory::VitalSigns]),
        (
            json!([{ "coding": [cat(iris_fhir::codes::OBSERVATION_CATEGORY, "exam")] }]),
            "8867-4",
            vec![ObsCategory::Exam],
        ),
    ];
    for (cats, code, want) in cases {
        let v = set(
            set(bare(), &["category"], cats.clone()),
            &["code"],
            json!({ "coding": [{ "system": "http://loinc.org", "code": code }] }),
        );
        let o = one_obs(v);
        assert_eq!(o.record.category, want, "{cats}");
        assert!(o.warnings.is_empty(), "other systems are no loss");
    }
}

/// Observation.status 1..1, required binding to observation-status (8 codes):
/// entered-in-error is not charted.
#[test]
fn observation_status() {
    for s in ObservationStatus::ALL {
        let o = one_obs(set(observation(), &["status"], json!(s.as_str())));
        assert_eq!(o.record.status, *s);
    }
    let i = issues(set(observation(), &["status"], json!("entered-in-error")));
    assert!(has(&i, "Observation.status", "entered in error"));
    let i = issues(set(observation(), &["status"], json!("SECRET")));
    assert!(has(&i, "Observation.status", "not a supported status"));
}

/// What is dropped or defaulted is a warning with a fixed reason, never an error.
#[test]
fn observation_warnings() {
    let cases: Vec<(Value, Vec<Warning>)> = vec![
        // A range in another unit than the value.
        (
            set(
                observation(),
                &["referenceRange", "0", "high", "unit"],
                json!("mmol/mol"),
            ),
            vec![(
                "Observation.referenceRange[0]",
                "reference range in another unit than the value: dropped",
            )],
        ),
        // Text only.
        (
            set(
                observation(),
                &["referenceRange"],
                json!([{ "text": "SECRET" }]),
            ),
            vec![(
                "Observation.referenceRange[0]",
                "reference range without a low or high value: dropped",
            )],
        ),
        // Several ranges (by age, sex …): the first.
        (
            set(
                observation(),
                &["referenceRange"],
                json!([{ "low": { "value": 4.0, "code": "%" } }, { "low": { "value": 3 } }]),
            ),
            vec![(
                "Observation.referenceRange",
                "more than one reference range: only the first is kept",
            )],
        ),
        // An interpretation Iris does not chart (POS) beside one it does (H).
        (
            set(
                observation(),
                &["interpretation"],
                json!([{ "coding": [{ "code": "POS" }] }, { "coding": [{ "code": "H" }] }]),
            ),
            vec![(
                "Observation.interpretation[0]",
                "interpretation code Iris does not chart: dropped",
            )],
        ),
        (
            set(observation(), &["valueQuantity", "comparator"], json!("<")),
            vec![(
                "Observation.valueQuantity.comparator",
                "quantity with a comparator: kept as text, not as a number",
            )],
        ),
    ];
    for (v, warnings) in cases {
        let o = one_obs(v.clone());
        assert_eq!(warnings_of(&o), warnings, "{v}");
        for w in &o.warnings {
            assert!(!w.reason.contains("SECRET") && !w.reason.contains("7.2"));
        }
    }
    let o = one_obs(set(
        observation(),
        &["referenceRange", "0", "high", "unit"],
        json!("mmol/mol"),
    ));
    assert_eq!(
        (o.record.reference_low, o.record.reference_high),
        (None, None)
    );
    let o = one_obs(set(
        observation(),
        &["interpretation"],
        json!([{ "coding": [{ "code": "POS" }] }, { "coding": [{ "code": "H" }] }]),
    ));
    assert_eq!(o.record.interpretation, Some(Interpretation::High));
    let o = one_obs(set(
        observation(),
        &["valueQuantity", "comparator"],
        json!("<"),
    ));
    assert_eq!(
        o.record.value,
        Some(ObsValue::Text {
            text: "<7.2 percent".into()
        })
    );
    // Entry paths are rooted like issues'.
    let text = json!({ "resourceType": "Bundle", "type": "collection", "entry": [
        { "resource": set(observation(), &["interpretation"], json!([{ "coding": [{ "code": "POS" }] }])) }
    ]})
    .to_string();
    let mut seen = Vec::new();
    iris_fhir::read_bundle(text.as_bytes(), |item| {
        if let iris_fhir::Item::Resource(e) = item {
            seen.extend(e.normalize().unwrap().warnings().to_vec());
        }
        std::ops::ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(seen[0].path, "$.entry[0].resource.interpretation[0]");
}

#[test]
fn observation_code_and_value_failures() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            set(
                observation(),
                &["code", "coding", "0", "code"],
                json!("8480-5"),
            ),
            "Observation.code.coding[0].code",
            "check digit",
        ),
        (
            set(
                observation(),
                &["code"],
                json!({ "coding": [{ "system": SNOMED, "code": "44054006" }], "text": "SECRET" }),
            ),
            "Observation.code",
            "no LOINC coding",
        ),
        (remove(observation(), "code"), "Observation.code", "missing"),
        (
            set(
                observation(),
                &["valueQuantity", "value"],
                json!("140 mmHg"),
            ),
            "Observation.valueQuantity.value",
            "must be a number",
        ),
        (
            set(observation(), &["valueQuantity"], json!({ "unit": "%" })),
            "Observation.valueQuantity.value",
            "missing",
        ),
        (
            set(observation(), &["valueString"], json!("SECRET")),
            "Observation.value[x]",
            "more than one value[x]",
        ),
        (
            set(observation(), &["effectiveDateTime"], json!("2024-03")),
            "Observation.effectiveDateTime",
            "partial date",
        ),
        (
            set(observation(), &["effectiveDateTime"], json!("10/03/2024")),
            "Observation.effectiveDateTime",
            "not a valid",
        ),
        (
            remove(observation(), "subject"),
            "Observation.subject",
            "missing",
        ),
        (
            set(
                observation(),
                &["referenceRange", "0", "low", "value"],
                json!("4"),
            ),
            "Observation.referenceRange[0].low.value",
            "must be a number",
        ),
        (
            set(
                observation(),
                &["code", "coding"],
                json!({ "system": "http://loinc.org" }),
            ),
            "Observation.code.coding",
            "must be an array",
        ),
        (
            set(
                observation(),
                &["encounter"],
                json!({ "reference": "Patient/1" }),
            ),
            "Observation.encounter.reference",
            "another resource type",
        ),
        (
            set(
                bare(),
                &["valueCodeableConcept"],
                json!({ "coding": [{ "system": SNOMED }] }),
            ),
            "Observation.valueCodeableConcept",
            "no text, display or code",
        ),
        (
            set(bare(), &["valueSampledData"], json!({ "period": 1 })),
            "Observation.valueSampledData.origin",
            "missing",
        ),
        (
            set(
                bare(),
                &["valueSampledData"],
                json!({ "origin": { "value": 0 }, "period": 1, "dimensions": 0 }),
            ),
            "Observation.valueSampledData.dimensions",
            "positive",
        ),
        (
            set(bare(), &["valueDateTime"], json!("2024")),
            "Observation.valueDateTime",
            "partial date",
        ),
        (
            set(
                bare(),
                &["component"],
                json!([{ "code": { "text": "SECRET" }, "valueInteger": 1 }]),
            ),
            "Observation.component[0].code",
            "no LOINC coding",
        ),
    ];
    for (v, path, reason) in cases {
        let i = issues(v);
        assert!(has(&i, path, reason), "{path}: {i:?}");
    }
}

#[test]
fn unknown_or_broken_resources() {
    assert_eq!(normalize("[1]").unwrap_err()[0].path, "$");
    assert_eq!(
        normalize("{\"id\":\"x\"}").unwrap_err()[0],
        Issue {
            path: "$.resourceType".into(),
            reason: "missing".into()
        }
    );
    assert_eq!(
        normalize("{\"resourceType\":\"Patient\",\"name\":[],\"name\":[]}").unwrap_err()[0].path,
        "Patient"
    );
    let n =
        ok(json!({ "resourceType": "DiagnosticReport", "subject": { "reference": "Patient/9" } }));
    assert_eq!(
        n,
        Normalized::Other {
            resource_type: "DiagnosticReport".into(),
            patient: Some(Reference::Relative {
                resource_type: "Patient".into(),
                id: "9".into()
            })
        }
    );
    assert_eq!(
        ok(json!({ "resourceType": "Organization" })),
        Normalized::Other {
            resource_type: "Organization".into(),
            patient: None
        }
    );
}

// ----------------------------------------------------------------------------- Condition

fn condition() -> Value {
    json!({
        "resourceType": "Condition", "id": "c1",
        "clinicalStatus": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active" }] },
        "code": { "coding": [
            { "system": "http://example.org/local", "code": "DM2" },
            { "system": ICD10CM, "code": "E11.9", "display": "Type 2 diabetes mellitus without complications" },
            { "system": SNOMED, "code": "44054006", "display": "Diabetes mellitus type 2" }
        ] },
        "subject": subject(),
        "onsetDateTime": "2015-06-01T23:00:00-05:00"
    })
}

#[test]
fn condition_fields() {
    let Normalized::Condition(c) = ok(condition()) else {
        panic!()
    };
    assert_eq!(
        (c.record.system.as_str(), c.record.code.as_str()),
        (ICD10CM, "E11.9")
    );
    assert_eq!(
        c.record.display,
        "Type 2 diabetes mellitus without complications"
    );
    assert_eq!(
        (
            c.record.onset.as_deref(),
            c.record.clinical_status.as_str(),
            c.extra.abatement
        ),
        (Some("2015-06-01"), "active", None)
    );
    // SNOMED first.
    let v = set(
        condition(),
        &["code"],
        json!({ "coding": [{ "system": SNOMED, "code": "38341003" }], "text": "Hypertension" }),
    );
    let Normalized::Condition(c) = ok(v) else {
        panic!()
    };
    assert_eq!(
        (
            c.record.system.as_str(),
            c.record.code.as_str(),
            c.record.display.as_str()
        ),
        (SNOMED, "38341003", "Hypertension")
    );
    // No clinical status: resolved when abated, else active.
    let v = set(
        remove(condition(), "clinicalStatus"),
        &["abatementDateTime"],
        json!("2016-01-01"),
    );
    let Normalized::Condition(c) = ok(v) else {
        panic!()
    };
    assert_eq!(
        (
            c.record.clinical_status.as_str(),
            c.extra.abatement.as_deref()
        ),
        ("resolved", Some("2016-01-01"))
    );
    let Normalized::Condition(c) = ok(remove(condition(), "clinicalStatus")) else {
        panic!()
    };
    assert_eq!(c.record.clinical_status.as_str(), "active");
    // A partial onset is dropped.
    let Normalized::Condition(c) = ok(set(condition(), &["onsetDateTime"], json!("2015"))) else {
        panic!()
    };
    assert_eq!(c.record.onset, None);
    assert_eq!(
        (c.warnings[0].path.as_str(), c.warnings[0].reason.as_str()),
        (
            "Condition.onsetDateTime",
            "partial date (year or year-month): dropped"
        )
    );
}

#[test]
fn condition_failures() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            set(
                condition(),
                &["code", "coding", "1", "code"],
                json!("E11.9X99999"),
            ),
            "Condition.code.coding[1].code",
            "invalid ICD-10-CM code format",
        ),
        (
            set(
                condition(),
                &["code"],
                json!({ "coding": [{ "system": ICD10CM, "code": "e11.9" }] }),
            ),
            "Condition.code.coding[0].code",
            "ICD-10-CM",
        ),
        (
            set(
                condition(),
                &["code"],
                json!({ "coding": [{ "system": SNOMED, "code": "44054007" }] }),
            ),
            "Condition.code.coding[0].code",
            "Verhoeff",
        ),
        (
            set(condition(), &["code"], json!({ "text": "SECRET" })),
            "Condition.code",
            "no ICD-10-CM or SNOMED CT coding",
        ),
        (remove(condition(), "code"), "Condition.code", "missing"),
        (
            set(
                condition(),
                &["verificationStatus"],
                json!({ "coding": [{ "code": "refuted" }] }),
            ),
            "Condition.verificationStatus",
            "refuted",
        ),
        (
            set(
                condition(),
                &["verificationStatus"],
                json!({ "coding": [{ "code": "entered-in-error" }] }),
            ),
            "Condition.verificationStatus",
            "entered in error",
        ),
        (
            set(
                condition(),
                &["clinicalStatus"],
                json!({ "coding": [{ "code": "SECRET" }] }),
            ),
            "Condition.clinicalStatus",
            "not a condition-clinical",
        ),
        (
            set(condition(), &["onsetDateTime"], json!("2015-13-01")),
            "Condition.onsetDateTime",
            "not a valid",
        ),
        (
            remove(condition(), "subject"),
            "Condition.subject",
            "missing",
        ),
    ];
    for (v, path, reason) in cases {
        let i = issues(v);
        assert!(has(&i, path, reason), "{path}: {i:?}");
    }
}

// ---------------------------------------------------------------------------- Medication

fn med_request() -> Value {
    json!({
        "resourceType": "MedicationRequest", "id": "m1", "status": "active", "intent": "order",
        "medicationCodeableConcept": { "coding": [{ "system": RXNORM, "code": "860975", "display": "metformin 500 MG" }] },
        "subject": subject(),
        "encounter": { "reference": "urn:uuid:0b6b6d4e-4cc2-4d3a-a4a5-0c1d2e3f4a5b" },
        "authoredOn": "2024-01-05T22:00:00-08:00",
        "dosageInstruction": [{
            "timing": { "repeat": { "frequency": 2, "period": 1, "periodUnit": "d", "boundsPeriod": { "end": "2024-06-30" } } },
            "route": { "coding": [{ "system": SNOMED, "code": "26643006", "display": "Oral route" }] },
            "doseAndRate": [{ "doseQuantity": { "value": 500, "unit": "milligram", "system": "http://unitsofmeasure.org", "code": "mg" } }]
        }]
    })
}

fn med(v: Value) -> Sourced<MedicationStatement> {
    match ok(v) {
        Normalized::Medication(m) => m,
        other => panic!("{other:?}"),
    }
}

#[test]
fn medication_request_fields() {
    let m = med(med_request());
    assert_eq!(
        (m.record.code.as_str(), m.record.display.as_str()),
        ("860975", "metformin 500 MG")
    );
    assert_eq!(
        (m.record.dose_value, m.record.dose_unit.as_deref()),
        (Some(500.0), Some("mg"))
    );
    assert_eq!(
        (
            m.record.route.as_str(),
            m.record.frequency.as_str(),
            m.record.status.as_str()
        ),
        ("oral", "twice daily", "active")
    );
    assert_eq!(
        (m.record.start.as_deref(), m.record.end.as_deref()),
        (Some("2024-01-05"), Some("2024-06-30"))
    );
    assert_eq!(
        m.encounter,
        Some(Reference::Uuid(
            "0b6b6d4e-4cc2-4d3a-a4a5-0c1d2e3f4a5b".into()
        ))
    );
}

#[test]
fn medication_status_mapping() {
    for (from, to) in [
        ("active", "active"),
        ("completed", "completed"),
        ("stopped", "stopped"),
        ("cancelled", "stopped"),
        ("on-hold", "on-hold"),
        ("draft", "intended"),
        ("unknown", "unknown"),
    ] {
        assert_eq!(
            med(set(med_request(), &["status"], json!(from)))
                .record
                .status
                .as_str(),
            to,
            "{from}"
        );
    }
    let i = issues(set(med_request(), &["status"], json!("entered-in-error")));
    assert!(has(&i, "MedicationRequest.status", "entered in error"));
    let i = issues(set(med_request(), &["status"], json!("not-taken")));
    assert!(has(
        &i,
        "MedicationRequest.status",
        "not a supported status"
    ));
}

#[test]
fn medication_route_mapping() {
    let route = |r: Value| {
        med(set(med_request(), &["dosageInstruction", "0", "route"], r))
            .record
            .route
            .as_str()
    };
    for (code, want) in [
        ("26643006", "oral"),
        ("37839007", "sublingual"),
        ("47625008", "intravenous"),
        ("78421000", "intramuscular"),
        ("34206005", "subcutaneous"),
        ("447694001", "inhalation"),
        ("6064005", "topical"),
        ("45890007", "transdermal"),
        ("37161004", "rectal"),
        ("46713006", "nasal"),
        ("54485002", "ophthalmic"),
        ("10547007", "otic"),
    ] {
        assert_eq!(
            route(json!({ "coding": [{ "system": SNOMED, "code": code }] })),
            want,
            "{code}"
        );
    }
    for (text, want) in [
        ("by mouth", "oral"),
        ("PO", "oral"),
        ("IV push", "intravenous"),
        ("Inhalation", "inhalation"),
        ("SC", "subcutaneous"),
        ("Eye drops, left eye", "ophthalmic"),
        ("intrathecal", "other"),
    ] {
        assert_eq!(route(json!({ "text": text })), want, "{text}");
    }
    assert_eq!(
        route(
            json!({ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration", "code": "SL" }] })
        ),
        "sublingual"
    );
    let mut v = med_request();
    v["dosageInstruction"][0]
        .as_object_mut()
        .unwrap()
        .remove("route");
    assert_eq!(med(v).record.route.as_str(), "other");
}

#[test]
fn medication_dose_and_frequency() {
    let di = |path: &[&str], x: Value| {
        let mut full = vec!["dosageInstruction", "0"];
        full.extend_from_slice(path);
        med(set(med_request(), &full, x))
    };
    let m = di(&["doseAndRate", "0", "doseQuantity"], json!({ "value": 1 }));
    assert_eq!(
        (m.record.dose_value, m.record.dose_unit.as_deref()),
        (Some(1.0), Some("1"))
    );
    let m = di(
        &["doseAndRate", "0", "doseQuantity"],
        json!({ "value": 2, "unit": "tablet" }),
    );
    assert_eq!(m.record.dose_unit.as_deref(), Some("tablet"));
    assert_eq!(
        di(
            &["timing", "repeat"],
            json!({ "frequency": 1, "period": 8, "periodUnit": "h" })
        )
        .record
        .frequency,
        "every 8 hours"
    );
    assert_eq!(
        di(
            &["timing", "repeat"],
            json!({ "frequency": 3, "period": 1, "periodUnit": "d" })
        )
        .record
        .frequency,
        "three times daily"
    );
    assert_eq!(
        di(
            &["timing", "code"],
            json!({ "coding": [{ "code": "BID" }] })
        )
        .record
        .frequency,
        "BID"
    );
    assert_eq!(
        di(&["timing", "code"], json!({ "text": "at bedtime" }))
            .record
            .frequency,
        "at bedtime"
    );
    let mut v = med_request();
    v["dosageInstruction"][0] = json!({ "asNeededBoolean": true });
    let m = med(v);
    assert_eq!(
        (
            m.record.frequency.as_str(),
            m.record.dose_value,
            m.record.route.as_str()
        ),
        ("as needed", None, "other")
    );
    let i = issues(set(
        med_request(),
        &[
            "dosageInstruction",
            "0",
            "doseAndRate",
            "0",
            "doseQuantity",
            "value",
        ],
        json!("SECRET"),
    ));
    assert!(has(
        &i,
        "MedicationRequest.dosageInstruction[0].doseAndRate[0].doseQuantity.value",
        "must be a number"
    ));
}

#[test]
fn medication_concepts() {
    // Text only.
    let m = med(set(
        med_request(),
        &["medicationCodeableConcept"],
        json!({ "text": "Grandma's tonic" }),
    ));
    assert_eq!(
        (m.record.code.as_str(), m.record.display.as_str()),
        ("", "Grandma's tonic")
    );
    assert!(m.warnings.is_empty(), "nothing was dropped");
    // Another code system only: no RxNorm code, its display kept.
    let m = med(set(
        med_request(),
        &["medicationCodeableConcept"],
        json!({ "coding": [{ "system": "http://hl7.org/fhir/sid/ndc", "code": "0000", "display": "Thing" }] }),
    ));
    assert_eq!(
        (m.record.code.as_str(), m.record.display.as_str()),
        ("", "Thing")
    );
    assert_eq!(m.warnings.len(), 1, "the NDC code was dropped");
    // A contained Medication.
    let mut v = remove(med_request(), "medicationCodeableConcept");
    v["medicationReference"] = json!({ "reference": "#med" });
    v["contained"] = json!([{ "resourceType": "Medication", "id": "med", "code": { "coding": [{ "system": RXNORM, "code": "314076", "display": "lisinopril 10 MG" }] } }]);
    assert_eq!(med(v).record.code, "314076");
    // A Medication resource of its own, named by the reference's display: by name only.
    let v = set(
        remove(med_request(), "medicationCodeableConcept"),
        &["medicationReference"],
        json!({ "reference": "Medication/1", "display": "lisinopril 10 MG" }),
    );
    let m = med(v);
    assert_eq!(
        (m.record.code.as_str(), m.record.display.as_str()),
        ("", "lisinopril 10 MG")
    );
    assert_eq!(
        m.warnings[0].reason,
        "medication without an RxNorm code: recorded by name only"
    );
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            set(
                med_request(),
                &["medicationCodeableConcept", "coding", "0", "code"],
                json!("SECRET1"),
            ),
            "MedicationRequest.medicationCodeableConcept.coding[0].code",
            "RxNorm",
        ),
        (
            set(
                remove(med_request(), "medicationCodeableConcept"),
                &["medicationReference"],
                json!({ "reference": "Medication/1" }),
            ),
            "MedicationRequest.medicationReference",
            "contained",
        ),
        (
            remove(med_request(), "medicationCodeableConcept"),
            "MedicationRequest.medication[x]",
            "missing",
        ),
        (
            set(
                med_request(),
                &["medicationCodeableConcept"],
                json!({ "coding": [{ "system": "urn:x", "code": "1" }] }),
            ),
            "MedicationRequest.medicationCodeableConcept",
            "neither",
        ),
        (
            set(med_request(), &["authoredOn"], json!("2024-01-05T22:00:00")),
            "MedicationRequest.authoredOn",
            "no timezone",
        ),
    ];
    for (v, path, reason) in cases {
        let i = issues(v);
        assert!(has(&i, path, reason), "{path}: {i:?}");
    }
}

#[test]
fn medication_statement() {
    let v = json!({
        "resourceType": "MedicationStatement", "id": "s1", "status": "not-taken",
        "medicationCodeableConcept": { "coding": [{ "system": RXNORM, "code": "1191", "display": "aspirin" }] },
        "subject": subject(), "context": { "reference": "Encounter/e9" },
        "effectivePeriod": { "start": "2023-01-01", "end": "2023-02-01T10:00:00Z" },
        "dosage": [{ "route": { "text": "oral" }, "timing": { "code": { "text": "daily" } },
                     "doseAndRate": [{ "doseQuantity": { "value": 81, "code": "mg" } }] }]
    });
    let m = med(v);
    assert_eq!(
        (
            m.record.status.as_str(),
            m.record.route.as_str(),
            m.record.frequency.as_str()
        ),
        ("not-taken", "oral", "daily")
    );
    assert_eq!(
        (m.record.start.as_deref(), m.record.end.as_deref()),
        (Some("2023-01-01"), Some("2023-02-01"))
    );
    assert_eq!(
        m.encounter,
        Some(Reference::Relative {
            resource_type: "Encounter".into(),
            id: "e9".into()
        })
    );
}

// ------------------------------------------------------------------------------ Allergies

fn allergy() -> Value {
    json!({
        "resourceType": "AllergyIntolerance", "id": "a1",
        "clinicalStatus": { "coding": [{ "code": "active" }] },
        "verificationStatus": { "coding": [{ "code": "confirmed" }] },
        "criticality": "high",
        "code": { "coding": [{ "system": RXNORM, "code": "7980", "display": "Penicillin G" }] },
        "patient": subject(),
        "recordedDate": "2020-05-01T23:30:00-04:00",
        "reaction": [{ "manifestation": [{ "text": "Hives" }, { "coding": [{ "system": SNOMED, "code": "39579001", "display": "Anaphylaxis" }] }] }]
    })
}

#[test]
fn allergy_fields_and_failures() {
    let Normalized::Allergy(a) = ok(allergy()) else {
        panic!()
    };
    assert_eq!(
        (
            a.record.system.as_str(),
            a.record.code.as_str(),
            a.record.display.as_str()
        ),
        (RXNORM, "7980", "Penicillin G")
    );
    assert_eq!(
        (a.record.criticality.as_str(), a.record.reaction.as_deref()),
        ("high", Some("Hives; Anaphylaxis"))
    );
    assert_eq!(
        (a.recorded(), a.extra.clinical_status.as_deref()),
        (Some("2020-05-01"), Some("active"))
    );
    let Normalized::Allergy(a) = ok(remove(remove(allergy(), "criticality"), "reaction")) else {
        panic!()
    };
    assert_eq!(
        (a.record.criticality.as_str(), a.record.reaction),
        ("unable-to-assess", None)
    );
    let v = set(
        allergy(),
        &["code"],
        json!({ "coding": [{ "system": SNOMED, "code": "91935009", "display": "Allergy to peanuts" }] }),
    );
    let Normalized::Allergy(a) = ok(v) else {
        panic!()
    };
    assert_eq!(a.record.system, SNOMED);
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            set(allergy(), &["criticality"], json!("severe")),
            "AllergyIntolerance.criticality",
            "not one of",
        ),
        (
            set(allergy(), &["code"], json!({ "text": "SECRET" })),
            "AllergyIntolerance.code",
            "no RxNorm or SNOMED CT coding",
        ),
        (
            remove(allergy(), "patient"),
            "AllergyIntolerance.patient",
            "missing",
        ),
        (
            set(
                allergy(),
                &["verificationStatus", "coding", "0", "code"],
                json!("entered-in-error"),
            ),
            "AllergyIntolerance.verificationStatus",
            "entered in error",
        ),
    ];
    for (v, path, reason) in cases {
        let i = issues(v);
        assert!(has(&i, path, reason), "{path}: {i:?}");
    }
}

// ------------------------------------------------------------- Procedures, immunizations

#[test]
fn procedure_and_immunization() {
    let p = json!({
        "resourceType": "Procedure", "id": "pr", "status": "completed",
        "code": { "coding": [{ "system": "http://www.ama-assn.org/go/cpt", "code": "99213", "display": "Office visit" }] },
        "subject": subject(), "performedPeriod": { "start": "2024-03-10T08:00:00-05:00", "end": "2024-03-10T09:00:00-05:00" }
    });
    let Normalized::Procedure(x) = ok(p.clone()) else {
        panic!()
    };
    assert_eq!(
        (
            x.record.code.as_str(),
            x.record.performed_at,
            x.record.status.as_str()
        ),
        ("99213", 1_710_075_600_000, "completed")
    );
    let i = issues(set(
        remove(p.clone(), "status"),
        &["code", "coding", "0", "code"],
        json!("9921"),
    ));
    assert!(
        has(&i, "Procedure.status", "missing") && has(&i, "Procedure.code.coding[0].code", "CPT")
    );
    // performed[x] 0..1 (procedure.html: dateTime | Period | string | Age | Range): Iris
    // charts a procedure at a time, so only a dateTime or a Period is structured.
    let no_time = remove(p.clone(), "performedPeriod");
    let Normalized::Procedure(x) = ok(set(
        no_time.clone(),
        &["performedPeriod"],
        json!({ "end": "2024-03-10T09:00:00-05:00" }),
    )) else {
        panic!()
    };
    assert_eq!(x.record.performed_at, 1_710_079_200_000);
    assert_eq!(
        x.warnings[0].reason,
        "period without a start: its end is used"
    );
    let cases: Vec<(Value, &str, &str)> = vec![
        (no_time.clone(), "Procedure.performed[x]", "missing"),
        (
            set(no_time.clone(), &["performedString"], json!("SECRET")),
            "Procedure.performed[x]",
            "not a dateTime or Period",
        ),
        (
            set(
                no_time.clone(),
                &["performedAge"],
                json!({ "value": 40, "code": "a" }),
            ),
            "Procedure.performed[x]",
            "not a dateTime or Period",
        ),
        (
            set(no_time.clone(), &["performedDateTime"], json!("2019")),
            "Procedure.performedDateTime",
            "partial date",
        ),
        (
            set(p.clone(), &["status"], json!("entered-in-error")),
            "Procedure.status",
            "entered in error",
        ),
    ];
    for (v, path, reason) in cases {
        let i = issues(v);
        assert!(has(&i, path, reason), "{path}: {i:?}");
    }

    let im = json!({
        "resourceType": "Immunization", "id": "im", "status": "completed",
        "vaccineCode": { "coding": [{ "system": "http://hl7.org/fhir/sid/cvx", "code": "08", "display": "Hep B" }] },
        "patient": subject(), "occurrenceDateTime": "2021-09-30T23:00:00-07:00"
    });
    let Normalized::Immunization(x) = ok(im.clone()) else {
        panic!()
    };
    assert_eq!(
        (
            x.record.code.as_str(),
            x.record.date.as_str(),
            x.record.status.as_str()
        ),
        ("08", "2021-09-30", "completed")
    );
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            set(
                im.clone(),
                &["vaccineCode", "coding", "0", "code"],
                json!("1234"),
            ),
            "Immunization.vaccineCode.coding[0].code",
            "CVX",
        ),
        (
            set(
                remove(im.clone(), "occurrenceDateTime"),
                &["occurrenceString"],
                json!("last autumn"),
            ),
            "Immunization.occurrenceString",
            "occurrenceDateTime",
        ),
        (
            remove(im.clone(), "occurrenceDateTime"),
            "Immunization.occurrenceDateTime",
            "missing",
        ),
        (
            set(im.clone(), &["status"], json!("entered-in-error")),
            "Immunization.status",
            "entered in error",
        ),
    ];
    for (v, path, reason) in cases {
        let i = issues(v);
        assert!(has(&i, path, reason), "{path}: {i:?}");
    }
}

#[test]
fn issue_paths_inside_a_bundle() {
    let text = json!({ "resourceType": "Bundle", "type": "batch", "entry": [
        { "resource": patient() },
        { "resource": set(observation(), &["valueQuantity", "value"], json!("7.2")) }
    ]})
    .to_string();
    let mut seen = Vec::new();
    iris_fhir::read_bundle(text.as_bytes(), |item| {
        if let iris_fhir::Item::Resource(e) = item
            && let Err(i) = e.normalize()
        {
            seen.extend(i);
        }
        std::ops::ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(
        seen,
        [Issue {
            path: "$.entry[1].resource.valueQuantity.value".into(),
            reason: "must be a number".into()
        }]
    );
}
