//! Deterministic, Synthea-style demo patients: the demo data of a fresh install and the
//! fixtures of the PHI-at-rest scans. Synthea (synthetichealth.github.io) appends digits to
//! generated names ("Ana761 Smith204"), uses 555 phone numbers and example.* mail domains;
//! these records follow that style so every identifier is distinctive and searchable as raw
//! bytes, and none belongs to a real person.

use crate::patients::{Address, PatientRecord};
use crate::records::{NoteContent, ObsValue, Observation};

const GIVEN_F: [&str; 8] = [
    "Ana", "Chiara", "Elif", "Farah", "Hana", "Ingrid", "Lucia", "Mei",
];
const GIVEN_M: [&str; 8] = [
    "Bruno", "Dmitri", "Goran", "Jamal", "Kenji", "Luis", "Omar", "Piotr",
];
const FAMILY: [&str; 10] = [
    "Smith",
    "Okafor",
    "Lindqvist",
    "Tanaka",
    "Moreau",
    "Quispe",
    "Novak",
    "Haddad",
    "Kowalczyk",
    "Oyelaran",
];
const STREETS: [&str; 6] = [
    "Quarry Lane",
    "Harbor View Rd",
    "Elm St",
    "Cedar Ct",
    "Mill Pond Way",
    "Beacon Ave",
];
const CITIES: [(&str, &str, &str); 4] = [
    ("Marblehead", "MA", "01945"),
    ("Worcester", "MA", "01602"),
    ("Springfield", "MA", "01103"),
    ("Lowell", "MA", "01852"),
];

/// Patient number `i` (stable across runs).
pub fn patient(i: u32) -> PatientRecord {
    let female = i % 2 == 0;
    let k = (i as usize / 2) % 8;
    let given = if female { GIVEN_F[k] } else { GIVEN_M[k] };
    let family = FAMILY[(i as usize * 7 + 3) % FAMILY.len()];
    let (city, state, zip) = CITIES[i as usize % CITIES.len()];
    PatientRecord {
        family: format!("{family}{}", 100 + (i * 37) % 900),
        given: vec![format!("{given}{}", 100 + (i * 53) % 900)],
        birth_date: format!(
            "{}-{:02}-{:02}",
            1935 + (i * 7) % 85,
            1 + (i * 5) % 12,
            1 + (i * 11) % 28
        ),
        sex: if female { "female" } else { "male" }.into(),
        mrn: format!("SYN-{:06}", 104_729 * (i + 1) % 1_000_000),
        address: Some(Address {
            lines: vec![format!(
                "{} {} Unit {}",
                100 + (i * 29) % 900,
                STREETS[i as usize % STREETS.len()],
                1 + i % 40
            )],
            city: city.into(),
            state: state.into(),
            postal_code: zip.into(),
            country: "US".into(),
        }),
        phone: Some(format!(
            "555-{:03}-{:04}",
            200 + (i * 13) % 800,
            (i * 7919) % 10_000
        )),
        email: Some(format!(
            "{}.{}{}@example.com",
            given.to_lowercase(),
            family.to_lowercase(),
            i
        )),
        pregnancy: None,
    }
}

/// The identifying strings of a demo patient, for scans of raw bytes.
pub fn identifiers(p: &PatientRecord) -> Vec<String> {
    let mut v = vec![p.family.clone(), p.mrn.clone(), p.birth_date.clone()];
    v.extend(p.given.iter().cloned());
    v.extend(p.phone.iter().cloned());
    v.extend(p.email.iter().cloned());
    if let Some(a) = &p.address {
        v.extend(a.lines.iter().cloned());
    }
    v
}

/// A week of daily vitals (heart rate, temperature, systolic BP) ending at `end_ms`.
pub fn vitals(i: u32, end_ms: i64) -> Vec<Observation> {
    let mut out = Vec::new();
    for d in 0..7i64 {
        let at = end_ms - d * 86_400_000;
        let wobble = ((i as i64 * 31 + d * 17) % 11) as f64;
        for (code, display, value, unit) in [
            ("8867-4", "Heart rate", 64.0 + wobble, "/min"),
            ("8310-5", "Body temperature", 36.6 + wobble / 20.0, "Cel"),
            (
                "8480-6",
                "Systolic blood pressure",
                118.0 + wobble * 2.0,
                "mm[Hg]",
            ),
        ] {
            out.push(Observation {
                code: code.into(),
                display: display.into(),
                category: "vital-signs".into(),
                value: ObsValue::Quantity {
                    value,
                    unit: unit.into(),
                },
                reference_low: None,
                reference_high: None,
                effective_at: at,
                interpretation: None,
            });
        }
    }
    out
}

/// A progress note that names the patient, as real notes do.
pub fn note(p: &PatientRecord) -> NoteContent {
    NoteContent {
        kind: "progress".into(),
        title: "Clinic follow-up".into(),
        text: format!(
            "{} {} seen for follow-up. Reachable at {}. No acute distress.",
            p.given.join(" "),
            p.family,
            p.phone.as_deref().unwrap_or("-")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_patients_are_valid_and_distinct() {
        let today = crate::date::Date::parse("2026-11-24").unwrap();
        let mut mrns = std::collections::BTreeSet::new();
        let mut names = std::collections::BTreeSet::new();
        for i in 0..200 {
            let p = patient(i);
            crate::patients::validate(&p, today).unwrap();
            assert!(mrns.insert(p.mrn.clone()), "duplicate MRN {i}");
            names.insert((p.family.clone(), p.given.clone()));
            assert!(note(&p).validate().is_ok());
        }
        assert_eq!(names.len(), 200);
        let mut o = vitals(3, 1_795_000_000_000);
        for x in &mut o {
            x.normalize(1_795_000_000_000).unwrap();
        }
    }
}
