//! normalize → export → normalize gives back the same values.

use std::ops::ControlFlow;

use iris_fhir::synthetic::{bundle_string, population};
use iris_fhir::{
    AllergyExtra, Deceased, Item, Normalized, ObservationExtra, Reference, Sourced, SourcedPatient,
    export_bundle, read_bundle,
};
use iris_record::{
    Address, AllergyIntolerance, Component, Criticality, Interpretation, MedicationStatement,
    MedicationStatus, ObsCategory, ObsValue, Observation, ObservationStatus, PatientRecord,
    Quantity, Route, Sex,
};

const NOW: i64 = 1_767_225_600_000;

/// Normalizes every resource of a Bundle (read through the streaming reader).
fn normalize_bundle(text: &str) -> (SourcedPatient, Vec<Normalized>) {
    let mut patient = None;
    let mut items = Vec::new();
    read_bundle(text.as_bytes(), |item| {
        if let Item::Resource(e) = item {
            match e.normalize() {
                Ok(Normalized::Patient(p)) => patient = Some(p),
                Ok(Normalized::Other { .. }) => {}
                Ok(n) => items.push(n),
                Err(issues) => panic!("{}: {issues:?}", e.resource_type),
            }
        }
        ControlFlow::Continue(())
    })
    .unwrap();
    (patient.expect("a Patient"), items)
}

#[test]
fn synthetic_population_round_trips() {
    let mut checked = 0;
    for bundle in population(40, 2024, NOW) {
        let (patient, items) = normalize_bundle(&bundle_string(&bundle));
        let pid = patient.source_id.clone().unwrap();
        let exported = export_bundle(&patient, &pid, &items);
        assert_eq!(exported["type"], "collection");
        let (patient2, items2) = normalize_bundle(&exported.to_string());
        assert_eq!(patient2, patient);
        assert_eq!(items2.len(), items.len());
        for (a, b) in items.iter().zip(&items2) {
            assert_eq!(b, a);
        }
        checked += items.len();
    }
    assert!(checked > 1000, "{checked}");
}

fn subject() -> Reference {
    Reference::Uuid("6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f".into())
}

/// Values the generator never writes: text-only medications, other routes, deceased, …
#[test]
fn hand_made_values_round_trip() {
    let pid = "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f";
    let patient = SourcedPatient {
        source_id: Some(pid.into()),
        identifiers: vec![
            ("urn:oid:1.2.3".into(), "A-1".into()),
            (String::new(), "no-system".into()),
        ],
        record: PatientRecord {
            family: "Synthetic-Family".into(),
            given: vec!["Given".into(), "Middle".into()],
            birth_date: "1950-02-28".into(),
            sex: Sex::Other,
            mrn: "no-system".into(),
            address: Some(Address {
                lines: vec!["1 Way".into(), "Flat 2".into()],
                city: "Town".into(),
                state: String::new(),
                postal_code: "X1".into(),
                country: "GB".into(),
            }),
            phone: None,
            email: Some("x@example.org".into()),
            pregnancy: None,
        },
        deceased: Some(Deceased::At(1_700_000_000_123)),
        marital_status: Some("Domestic partner, registered".into()),
        warnings: vec![],
    };
    let med = |code: &str, route: &str, dose: Option<(f64, &str)>, freq: &str, status: &str| {
        Normalized::Medication(Sourced {
            source_id: Some(format!("med-{route}")),
            identifiers: vec![],
            subject: subject(),
            encounter: Some(Reference::Relative {
                resource_type: "Encounter".into(),
                id: "elsewhere".into(),
            }),
            record: MedicationStatement {
                code: code.into(),
                display: "Something 5 MG".into(),
                dose_value: dose.map(|d| d.0),
                dose_unit: dose.map(|d| d.1.to_string()),
                route: Route::parse(route).unwrap(),
                frequency: freq.into(),
                status: MedicationStatus::parse(status).unwrap(),
                start: Some("2024-01-02".into()),
                end: None,
                safety_override: None,
            },
            extra: (),
            warnings: vec![],
        })
    };
    let items = vec![
        med("", "other", None, "", "not-taken"),
        med(
            "1191",
            "sublingual",
            Some((0.4, "mg")),
            "every 5 minutes",
            "intended",
        ),
        med("1191", "otic", Some((2.0, "{drop}")), "BID", "on-hold"),
        med("1191", "transdermal", Some((1.0, "1")), "", "unknown"),
        Normalized::Allergy(Sourced {
            source_id: Some("al-1".into()),
            identifiers: vec![],
            subject: subject(),
            encounter: None,
            record: AllergyIntolerance {
                system: iris_fhir::codes::RXNORM.into(),
                code: "7980".into(),
                display: "Penicillin G".into(),
                reaction: Some("Hives; Wheeze".into()),
                criticality: Criticality::UnableToAssess,
                // No recorded date.
                recorded: String::new(),
            },
            extra: AllergyExtra {
                clinical_status: None,
            },
            warnings: vec![],
        }),
    ];
    let exported = export_bundle(&patient, pid, &items);
    let (patient2, items2) = normalize_bundle(&exported.to_string());
    assert_eq!(patient2, patient);
    assert_eq!(items2, items);
}

#[test]
fn iris_ids_become_urn_uuids() {
    let (patient, items) = normalize_bundle(&bundle_string(&population(1, 1, NOW).next().unwrap()));
    let iris_id = "0123456789abcdef0123456789abcdef";
    let b = export_bundle(&patient, iris_id, &items);
    let entries = b["entry"].as_array().unwrap();
    assert_eq!(
        entries[0]["fullUrl"],
        "urn:uuid:01234567-89ab-cdef-0123-456789abcdef"
    );
    assert_eq!(entries[0]["resource"]["id"], iris_id);
    for e in &entries[1..] {
        let r = &e["resource"];
        let subj = r.get("subject").or_else(|| r.get("patient")).unwrap();
        assert_eq!(
            subj["reference"],
            "urn:uuid:01234567-89ab-cdef-0123-456789abcdef"
        );
    }
}

fn obs(code: &str, value: Option<ObsValue>) -> Observation {
    Observation {
        code: code.into(),
        display: String::new(),
        status: ObservationStatus::Final,
        category: vec![ObsCategory::Laboratory],
        value,
        data_absent: None,
        components: vec![],
        reference_low: None,
        reference_high: None,
        effective_at: 1_600_000_000_500,
        interpretation: None,
    }
}

fn sourced_obs(id: &str, record: Observation, has_member: Vec<Reference>) -> Normalized {
    Normalized::Observation(Sourced {
        source_id: Some(id.into()),
        identifiers: vec![],
        subject: subject(),
        encounter: None,
        record,
        extra: ObservationExtra { has_member },
        warnings: vec![],
    })
}

fn q(value: f64, unit: &str) -> Quantity {
    Quantity {
        value,
        unit: unit.into(),
    }
}

fn comp(code: &str, display: &str, value: Option<ObsValue>) -> Component {
    Component {
        code: code.into(),
        display: display.into(),
        value,
        data_absent: None,
        reference_low: None,
        reference_high: None,
        interpretation: None,
    }
}

/// Every R4 `value[x]` kind (observation.html, "value[x] 0..1": Quantity, CodeableConcept,
/// string, boolean, integer, Range, Ratio, SampledData, time, dateTime, Period), on the
/// observation and in components, with and without a value, every status and category:
/// normalize(export(x)) == x.
#[test]
fn every_observation_shape_round_trips() {
    let pid = "6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f";
    let (patient, _) = normalize_bundle(&bundle_string(&population(1, 9, NOW).next().unwrap()));
    let kinds: Vec<(&str, ObsValue)> = vec![
        (
            "2160-0",
            ObsValue::Quantity {
                value: 1.07,
                unit: "mg/dL".into(),
            },
        ),
        (
            "72166-2",
            ObsValue::Text {
                text: "Never smoked".into(),
            },
        ),
        (
            "72166-2",
            ObsValue::Coded {
                system: iris_fhir::codes::SNOMED.into(),
                code: "266919005".into(),
                display: "Never smoked tobacco".into(),
            },
        ),
        (
            "5778-6",
            ObsValue::Coded {
                system: String::new(),
                code: String::new(),
                display: "Straw".into(),
            },
        ),
        (
            "5778-6",
            ObsValue::Coded {
                system: "urn:local".into(),
                code: "Y".into(),
                display: String::new(),
            },
        ),
        ("11557-6", ObsValue::Boolean { value: false }),
        ("72133-2", ObsValue::Integer { value: -3 }),
        (
            "2160-0",
            ObsValue::Range {
                low: Some(q(1.0, "mg/dL")),
                high: Some(q(2.5, "mg/dL")),
            },
        ),
        (
            "2160-0",
            ObsValue::Range {
                low: None,
                high: Some(q(2.5, "1")),
            },
        ),
        (
            "5130-0",
            ObsValue::Ratio {
                numerator: Some(q(1.0, "1")),
                denominator: Some(q(128.0, "1")),
            },
        ),
        (
            "11524-6",
            ObsValue::SampledData {
                origin: q(0.0, "mV"),
                period_ms: 2.5,
                factor: Some(1.2),
                lower_limit: Some(-3300.0),
                upper_limit: None,
                dimensions: 3,
                data: "1 2 3 E L U".into(),
            },
        ),
        (
            "11524-6",
            ObsValue::SampledData {
                origin: q(2048.0, "1"),
                period_ms: 10.0,
                factor: None,
                lower_limit: None,
                upper_limit: Some(4096.0),
                dimensions: 1,
                data: String::new(),
            },
        ),
        (
            "63893-2",
            ObsValue::Time {
                time: "07:30:00".into(),
            },
        ),
        (
            "8665-2",
            ObsValue::DateTime {
                at: 1_500_000_000_250,
            },
        ),
        (
            "8665-2",
            ObsValue::Period {
                start: Some(1_500_000_000_000),
                end: None,
            },
        ),
        (
            "8665-2",
            ObsValue::Period {
                start: Some(1_500_000_000_000),
                end: Some(1_500_000_360_000),
            },
        ),
    ];
    let mut items = Vec::new();
    for (i, (code, v)) in kinds.into_iter().enumerate() {
        let mut o = obs(code, Some(v));
        o.status = ObservationStatus::ALL[i % ObservationStatus::ALL.len()];
        items.push(sourced_obs(&format!("kind-{i}"), o, vec![]));
    }
    // A quantity with its range and interpretation.
    let mut o = obs(
        "2160-0",
        Some(ObsValue::Quantity {
            value: 0.4,
            unit: "mg/dL".into(),
        }),
    );
    (o.reference_low, o.reference_high) = (Some(0.6), Some(1.3));
    o.interpretation = Some(Interpretation::CriticalLow);
    o.display = "Creatinine".into();
    items.push(sourced_obs("ranged", o, vec![]));
    // No value, no component, no reason (Synthea's BMI percentiles), every category.
    let mut o = obs("59576-9", None);
    o.category = ObsCategory::ALL.to_vec();
    o.status = ObservationStatus::Preliminary;
    items.push(sourced_obs("empty", o, vec![]));
    // No value, with a reason (obs-6).
    let mut o = obs("2160-0", None);
    o.data_absent = Some("not-performed".into());
    o.category = vec![];
    items.push(sourced_obs("absent", o, vec![]));
    // A blood-pressure panel: one record, its components, one without a value.
    let mut bp = obs("85354-9", None);
    bp.category = vec![ObsCategory::VitalSigns];
    bp.display = "Blood pressure panel".into();
    let mut sys = comp(
        "8480-6",
        "Systolic blood pressure",
        Some(ObsValue::Quantity {
            value: 152.0,
            unit: "mm[Hg]".into(),
        }),
    );
    (sys.reference_high, sys.interpretation) = (Some(130.0), Some(Interpretation::High));
    let dia = comp(
        "8462-4",
        "Diastolic blood pressure",
        Some(ObsValue::Quantity {
            value: 95.0,
            unit: "mm[Hg]".into(),
        }),
    );
    let mut mean = comp("8478-0", "Mean blood pressure", None);
    mean.data_absent = Some("not-performed".into());
    let nothing = comp("8478-0", "", None);
    bp.components = vec![sys, dia, mean, nothing];
    items.push(sourced_obs("bp", bp, vec![]));
    // Components of every other kind, beside a top-level value.
    let mut scored = obs("72133-2", Some(ObsValue::Integer { value: 7 }));
    scored.category = vec![ObsCategory::Survey];
    scored.components = vec![
        comp(
            "72166-2",
            "",
            Some(ObsValue::Coded {
                system: iris_fhir::codes::LOINC.into(),
                code: "LA18976-3".into(),
                display: "Current every day smoker".into(),
            }),
        ),
        comp(
            "72166-2",
            "",
            Some(ObsValue::Text {
                text: "free".into(),
            }),
        ),
        comp("11557-6", "", Some(ObsValue::Boolean { value: true })),
        comp("72133-2", "", Some(ObsValue::Integer { value: 2 })),
        comp(
            "2160-0",
            "",
            Some(ObsValue::Range {
                low: Some(q(1.0, "mg/dL")),
                high: None,
            }),
        ),
        comp(
            "5130-0",
            "",
            Some(ObsValue::Ratio {
                numerator: Some(q(1.0, "1")),
                denominator: None,
            }),
        ),
        comp(
            "63893-2",
            "",
            Some(ObsValue::Time {
                time: "23:59:59".into(),
            }),
        ),
        comp(
            "8665-2",
            "",
            Some(ObsValue::DateTime {
                at: 1_400_000_000_000,
            }),
        ),
        comp(
            "8665-2",
            "",
            Some(ObsValue::Period {
                start: None,
                end: Some(1_400_000_000_000),
            }),
        ),
        comp(
            "11524-6",
            "",
            Some(ObsValue::SampledData {
                origin: q(0.0, "mV"),
                period_ms: 1.0,
                factor: None,
                lower_limit: None,
                upper_limit: None,
                dimensions: 1,
                data: "0 1".into(),
            }),
        ),
    ];
    items.push(sourced_obs("scored", scored, vec![]));
    // A grouping panel (hasMember).
    let mut panel = obs("24323-8", None);
    panel.category = vec![];
    items.push(sourced_obs(
        "grouping",
        panel,
        vec![
            Reference::Relative {
                resource_type: "Observation".into(),
                id: "m1".into(),
            },
            Reference::Uuid("0b6b6d4e-4cc2-4d3a-a4a5-0c1d2e3f4a5b".into()),
        ],
    ));
    let exported = export_bundle(&patient, pid, &items);
    let (_, items2) = normalize_bundle(&exported.to_string());
    assert_eq!(items2.len(), items.len());
    for (a, b) in items.iter().zip(&items2) {
        assert_eq!(b, a);
    }
}
