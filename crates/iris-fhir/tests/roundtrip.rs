//! normalize → export → normalize gives back the same values.

use std::ops::ControlFlow;

use iris_fhir::synthetic::{bundle_string, population};
use iris_fhir::{
    AllergyExtra, Deceased, Item, Normalized, ObservationExtra, Reference, Sourced, SourcedPatient,
    export_bundle, read_bundle,
};
use iris_record::{
    Address, AllergyIntolerance, Criticality, Interpretation, MedicationStatement,
    MedicationStatus, ObsCategory, ObsValue, Observation, ObservationStatus, PatientRecord, Route,
    Sex,
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
        Normalized::Observation(vec![Sourced {
            source_id: Some("obs-1".into()),
            identifiers: vec![("urn:lab".into(), "L1".into())],
            subject: subject(),
            encounter: None,
            record: Observation {
                code: "2160-0".into(),
                display: String::new(),
                status: ObservationStatus::Final,
                category: vec![ObsCategory::Laboratory],
                value: Some(ObsValue::Quantity {
                    value: 1.07,
                    unit: "mg/dL".into(),
                }),
                data_absent: None,
                components: vec![],
                reference_low: None,
                reference_high: Some(1.3),
                effective_at: 1_600_000_000_500,
                interpretation: Some(Interpretation::CriticalLow),
            },
            extra: ObservationExtra { panel: None },
        }]),
        Normalized::Observation(vec![Sourced {
            source_id: Some("obs-2".into()),
            identifiers: vec![],
            subject: subject(),
            encounter: None,
            record: Observation {
                code: "72166-2".into(),
                display: "Tobacco smoking status".into(),
                status: ObservationStatus::Final,
                category: vec![ObsCategory::SocialHistory],
                value: Some(ObsValue::Text {
                    text: "Never smoked".into(),
                }),
                data_absent: None,
                components: vec![],
                reference_low: None,
                reference_high: None,
                effective_at: 0,
                interpretation: None,
            },
            extra: ObservationExtra { panel: None },
        }]),
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
