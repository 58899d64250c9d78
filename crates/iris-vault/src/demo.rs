//! Deterministic, Synthea-style demo patients: the demo data of a fresh install and the
//! fixtures of the PHI-at-rest scans. Synthea (synthetichealth.github.io) appends digits to
//! generated names ("Ana761 Smith204"), uses 555 phone numbers and example.* mail domains;
//! these records follow that style so every identifier is distinctive and searchable as raw
//! bytes, and none belongs to a real person.

use crate::error::VaultError;
use crate::{Actor, Millis, Vault};
use iris_record::Record;
use iris_record::codes::{ICD10CM, RXNORM, SNOMED};
use iris_record::records::{
    AllergyIntolerance, Condition, Encounter, MedicationStatement, NoteContent, ObsValue,
    Observation, Soap,
};
use iris_record::{Address, PatientRecord};

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
    let female = i.is_multiple_of(2);
    let k = (i as usize / 2) % 8;
    let given = if female { GIVEN_F[k] } else { GIVEN_M[k] };
    let family = FAMILY[(i as usize * 7 + i as usize / 2 + 3) % FAMILY.len()];
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
        soap: None,
    }
}

/// splitmix64: a tiny deterministic generator, so demo data is the same on every machine.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// What a demo patient has; the vitals and labs follow from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub diabetes: bool,
    pub hypertension: bool,
    pub hyperlipidemia: bool,
    pub ckd: bool,
    pub asthma: bool,
}

/// One synthetic patient with a multi-year record.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoPatient {
    pub patient: PatientRecord,
    pub profile: Profile,
    pub records: Vec<Record>,
    /// `None`: allergies not recorded; `Some(empty)`: "no known allergies" recorded.
    pub allergies: Option<Vec<AllergyIntolerance>>,
    /// Past visits with their signed progress notes.
    pub visits: Vec<(Encounter, NoteContent)>,
}

const DAY: i64 = 86_400_000;

/// LOINC 3151-8, inhaled oxygen flow rate (L/min; 0 = room air).
pub const O2_FLOW: &str = "3151-8";
/// LOINC 67775-7, level of responsiveness (ACVPU: A, C, V, P or U).
pub const RESPONSIVENESS: &str = "67775-7";

fn acvpu(level: &str, at: i64) -> Record {
    Record::Observation(Observation {
        code: RESPONSIVENESS.into(),
        display: "Level of responsiveness".into(),
        category: "vital-signs".into(),
        value: ObsValue::Text { text: level.into() },
        reference_low: None,
        reference_high: None,
        effective_at: at,
        interpretation: (level != "A").then(|| "A".into()),
    })
}

fn obs(
    code: &str,
    display: &str,
    category: &str,
    value: f64,
    unit: &str,
    at: i64,
    range: (Option<f64>, Option<f64>),
) -> Record {
    Record::Observation(Observation {
        code: code.into(),
        display: display.into(),
        category: category.into(),
        value: ObsValue::Quantity {
            // Counted and pressure values are whole numbers, as charted.
            value: if matches!(unit, "mm[Hg]" | "/min") {
                value.round()
            } else {
                (value * 10.0).round() / 10.0
            },
            unit: unit.into(),
        },
        reference_low: range.0,
        reference_high: range.1,
        effective_at: at,
        interpretation: None,
    })
}

fn date_of(ms: i64) -> String {
    iris_record::Date::from_unix_ms(ms).to_string()
}

/// Demo patient `i`: clinically coherent (diabetics have a high HbA1c and glucose,
/// hypertensives a high blood pressure, hyperlipidaemia a high LDL, CKD a high creatinine),
/// with quarterly visits over three years ending at `now`.
pub fn cohort_patient(i: u32, now: Millis) -> DemoPatient {
    let mut rng = Rng::new(u64::from(i));
    let mut patient = patient(i);
    let birth_year: i32 = patient.birth_date[..4].parse().expect("generated year");
    let age = iris_record::Date::from_unix_ms(now).year - birth_year;
    let older = (age as f64 / 90.0).clamp(0.0, 1.0);
    let profile = Profile {
        diabetes: rng.chance(0.15 + 0.25 * older),
        hypertension: rng.chance(0.15 + 0.45 * older),
        hyperlipidemia: rng.chance(0.15 + 0.35 * older),
        ckd: rng.chance(0.03 + 0.12 * older),
        asthma: rng.chance(0.12),
    };
    if patient.sex == "female" && (18..=45).contains(&age) {
        patient.pregnancy = Some(
            if rng.chance(0.12) {
                "pregnant"
            } else {
                "not-pregnant"
            }
            .into(),
        );
    }
    let mut records = Vec::new();
    let start = now - 3 * 365 * DAY;
    let onset = date_of(start - (rng.between(30.0, 2000.0) as i64) * DAY);
    let mut add_condition = |code: &str, display: &str| {
        records.push(Record::Condition(Condition {
            system: ICD10CM.into(),
            code: code.into(),
            display: display.into(),
            onset: Some(onset.clone()),
            clinical_status: "active".into(),
        }));
    };
    let mut meds = Vec::new();
    let mut add_med =
        |code: &str, display: &str, dose: f64, unit: &str, route: &str, freq: &str| {
            meds.push(Record::Medication(MedicationStatement {
                code: code.into(),
                display: display.into(),
                dose_value: Some(dose),
                dose_unit: Some(unit.into()),
                route: route.into(),
                frequency: freq.into(),
                status: "active".into(),
                start: Some(onset.clone()),
                end: None,
                safety_override: None,
            }));
        };
    if profile.diabetes {
        add_condition("E11.9", "Type 2 diabetes mellitus without complications");
        add_med(
            "860975",
            "metformin hydrochloride 500 MG Oral Tablet",
            500.0,
            "mg",
            "oral",
            "twice daily",
        );
    }
    if profile.hypertension {
        add_condition("I10", "Essential (primary) hypertension");
        add_med(
            "314076",
            "lisinopril 10 MG Oral Tablet",
            10.0,
            "mg",
            "oral",
            "once daily",
        );
        if rng.chance(0.4) {
            add_med(
                "197361",
                "amlodipine 5 MG Oral Tablet",
                5.0,
                "mg",
                "oral",
                "once daily",
            );
        }
    }
    if profile.hyperlipidemia {
        add_condition("E78.5", "Hyperlipidemia, unspecified");
        add_med(
            "259255",
            "atorvastatin 80 MG Oral Tablet",
            80.0,
            "mg",
            "oral",
            "once daily at night",
        );
    }
    if profile.ckd {
        add_condition("N18.30", "Chronic kidney disease, stage 3 unspecified");
    }
    if profile.asthma {
        add_condition("J45.909", "Unspecified asthma, uncomplicated");
        add_med(
            "745679",
            "Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler",
            2.0,
            "{puff}",
            "inhalation",
            "as needed",
        );
    }
    records.extend(meds);

    // Quarterly visits: vitals every visit, labs twice a year.
    let height: f64 = if patient.sex == "female" {
        rng.between(152.0, 175.0)
    } else {
        rng.between(163.0, 190.0)
    };
    let mut weight: f64 =
        height * height / 10_000.0 * rng.between(20.0, if profile.diabetes { 36.0 } else { 31.0 });
    let sbp_base = if profile.hypertension {
        rng.between(142.0, 162.0)
    } else {
        rng.between(108.0, 128.0)
    };
    let a1c_base = if profile.diabetes {
        rng.between(7.2, 9.4)
    } else {
        rng.between(4.9, 5.6)
    };
    let ldl_base = if profile.hyperlipidemia {
        rng.between(150.0, 195.0)
    } else {
        rng.between(75.0, 125.0)
    };
    let cr_base = if profile.ckd {
        rng.between(1.6, 2.3)
    } else {
        rng.between(0.65, 1.1)
    };
    let vital = "vital-signs";
    let lab = "laboratory";
    for q in 0..13i64 {
        let at = start + q * 91 * DAY + (rng.between(0.0, 10.0) as i64) * DAY + 9 * 3_600_000;
        if at > now {
            break;
        }
        let trend = q as f64 / 12.0;
        let sbp = sbp_base
            - if profile.hypertension {
                10.0 * trend
            } else {
                0.0
            }
            + rng.between(-6.0, 6.0);
        weight += rng.between(-1.2, 1.2);
        records.push(obs(
            "8480-6",
            "Systolic blood pressure",
            vital,
            sbp,
            "mm[Hg]",
            at,
            (None, Some(130.0)),
        ));
        records.push(obs(
            "8462-4",
            "Diastolic blood pressure",
            vital,
            sbp * 0.62 + rng.between(-4.0, 4.0),
            "mm[Hg]",
            at,
            (None, Some(80.0)),
        ));
        records.push(obs(
            "8867-4",
            "Heart rate",
            vital,
            rng.between(58.0, 92.0),
            "/min",
            at,
            (Some(60.0), Some(100.0)),
        ));
        records.push(obs(
            "9279-1",
            "Respiratory rate",
            vital,
            rng.between(12.0, 19.0),
            "/min",
            at,
            (Some(12.0), Some(20.0)),
        ));
        records.push(obs(
            "59408-5",
            "Oxygen saturation in Arterial blood by Pulse oximetry",
            vital,
            rng.between(if profile.asthma { 93.0 } else { 95.0 }, 99.5),
            "%",
            at,
            (Some(95.0), None),
        ));
        records.push(obs(
            "8310-5",
            "Body temperature",
            vital,
            rng.between(36.3, 37.3),
            "Cel",
            at,
            (Some(36.1), Some(37.8)),
        ));
        records.push(obs(
            "29463-7",
            "Body weight",
            vital,
            weight,
            "kg",
            at,
            (None, None),
        ));
        records.push(obs(
            "8302-2",
            "Body height",
            vital,
            height,
            "cm",
            at,
            (None, None),
        ));
        records.push(obs(
            "39156-5",
            "Body mass index (BMI) [Ratio]",
            vital,
            weight / (height / 100.0).powi(2),
            "kg/m2",
            at,
            (Some(18.5), Some(25.0)),
        ));
        // Room air and alert: the rest of an early-warning (NEWS2) observation set.
        records.push(obs(
            O2_FLOW,
            "Inhaled oxygen flow rate",
            vital,
            0.0,
            "L/min",
            at,
            (None, None),
        ));
        records.push(acvpu("A", at));
        if q % 2 == 0 {
            let lab_at = at + 3_600_000;
            let a1c = a1c_base - if profile.diabetes { 0.8 * trend } else { 0.0 }
                + rng.between(-0.2, 0.2);
            records.push(obs(
                "4548-4",
                "Hemoglobin A1c/Hemoglobin.total in Blood",
                lab,
                a1c,
                "%",
                lab_at,
                (None, Some(5.7)),
            ));
            let glucose = if profile.diabetes {
                28.7 * a1c - 46.7
            } else {
                rng.between(78.0, 98.0)
            };
            records.push(obs(
                "1558-6",
                "Fasting glucose [Mass/volume] in Serum or Plasma",
                lab,
                glucose + rng.between(-8.0, 8.0),
                "mg/dL",
                lab_at,
                (Some(70.0), Some(99.0)),
            ));
            records.push(obs(
                "18262-6",
                "Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay",
                lab,
                ldl_base
                    - if profile.hyperlipidemia {
                        40.0 * trend
                    } else {
                        0.0
                    }
                    + rng.between(-8.0, 8.0),
                "mg/dL",
                lab_at,
                (None, Some(100.0)),
            ));
            records.push(obs(
                "2160-0",
                "Creatinine [Mass/volume] in Serum or Plasma",
                lab,
                cr_base + rng.between(-0.08, 0.08),
                "mg/dL",
                lab_at,
                (Some(0.6), Some(1.2)),
            ));
        }
    }

    // A few patients are unwell today (fever, tachycardia, tachypnoea, low-normal pressure on
    // 2 L/min of oxygen): their charts open with a high early-warning score.
    if i % 15 == 7 {
        let at = now - 2 * 3_600_000;
        for (code, display, value, unit, range) in [
            (
                "9279-1",
                "Respiratory rate",
                24.0,
                "/min",
                (Some(12.0), Some(20.0)),
            ),
            (
                "59408-5",
                "Oxygen saturation in Arterial blood by Pulse oximetry",
                92.0,
                "%",
                (Some(95.0), None),
            ),
            (
                O2_FLOW,
                "Inhaled oxygen flow rate",
                2.0,
                "L/min",
                (None, None),
            ),
            (
                "8480-6",
                "Systolic blood pressure",
                98.0,
                "mm[Hg]",
                (None, Some(130.0)),
            ),
            (
                "8462-4",
                "Diastolic blood pressure",
                58.0,
                "mm[Hg]",
                (None, Some(80.0)),
            ),
            (
                "8867-4",
                "Heart rate",
                118.0,
                "/min",
                (Some(60.0), Some(100.0)),
            ),
            (
                "8310-5",
                "Body temperature",
                38.7,
                "Cel",
                (Some(36.1), Some(37.8)),
            ),
        ] {
            records.push(obs(code, display, vital, value, unit, at, range));
        }
        records.push(acvpu("A", at));
    }
    let allergies = if rng.chance(0.3) {
        let mut list = Vec::new();
        let recorded = date_of(start);
        let mut add =
            |system: &str, code: &str, display: &str, reaction: &str, criticality: &str| {
                list.push(AllergyIntolerance {
                    system: system.into(),
                    code: code.into(),
                    display: display.into(),
                    reaction: Some(reaction.into()),
                    criticality: criticality.into(),
                    recorded: recorded.clone(),
                });
            };
        match rng.next() % 5 {
            0 => add(SNOMED, "764146007", "Penicillin", "Anaphylaxis", "high"),
            1 => add(SNOMED, "762952008", "Peanut", "Anaphylaxis", "high"),
            2 => add(
                SNOMED,
                "387406002",
                "Sulfonamide",
                "Maculopapular rash",
                "low",
            ),
            3 => add(SNOMED, "111088007", "Latex", "Contact dermatitis", "low"),
            _ => add(RXNORM, "7980", "Penicillin G", "Hives", "high"),
        }
        Some(list)
    } else if rng.chance(0.6) {
        Some(Vec::new())
    } else {
        None
    };

    let problems: Vec<&str> = records
        .iter()
        .filter_map(|r| match r {
            Record::Condition(c) => Some(c.display.as_str()),
            _ => None,
        })
        .collect();
    let assessment = if problems.is_empty() {
        "Well adult visit.".to_string()
    } else {
        problems.join("; ")
    };
    let visits = [2i64, 10]
        .into_iter()
        .map(|q| {
            let at = start + q * 91 * DAY + 9 * 3_600_000;
            (
                Encounter {
                    class: "AMB".into(),
                    status: "finished".into(),
                    start: at,
                    end: Some(at + 1_800_000),
                    reason: "Routine follow-up".into(),
                },
                NoteContent {
                    kind: "progress".into(),
                    title: "Follow-up visit".into(),
                    text: "SYNTHETIC DEMO NOTE.".into(),
                    soap: Some(Soap {
                        subjective: "Feels well. No chest pain, no shortness of breath.".into(),
                        objective: "Vitals as recorded. Lungs clear. Heart regular.".into(),
                        assessment: assessment.clone(),
                        plan: "Continue current medications. Labs before next visit. Return in 3 months.".into(),
                    }),
                },
            )
        })
        .collect();
    DemoPatient {
        patient,
        profile,
        records,
        allergies,
        visits,
    }
}

/// Stores demo patients `0..n` as `doc` (a physician), one transaction per patient and kind
/// of write. Returns their ids.
pub async fn seed(
    vault: &Vault,
    doc: &Actor,
    n: u32,
    now: Millis,
) -> Result<Vec<String>, VaultError> {
    let mut ids = Vec::with_capacity(n as usize);
    for i in 0..n {
        let d = cohort_patient(i, now);
        let id = vault.create_patient(doc, &d.patient, now).await?;
        vault.add_records(doc, &id, d.records, now).await?;
        match d.allergies {
            Some(list) if list.is_empty() => vault.record_no_known_allergies(doc, &id, now).await?,
            Some(list) => {
                vault
                    .add_records(
                        doc,
                        &id,
                        list.into_iter().map(Record::Allergy).collect(),
                        now,
                    )
                    .await?;
            }
            None => {}
        }
        for (enc, note) in d.visits {
            let eid = vault
                .add_record(doc, &id, Record::Encounter(enc), now)
                .await?;
            let nid = vault.create_note(doc, &id, Some(&eid), &note, now).await?;
            vault.sign_note(doc, &nid, now).await?;
        }
        ids.push(id);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cohort_is_deterministic_coherent_and_valid() {
        const NOW: i64 = 1_795_487_577_000;
        let a: Vec<DemoPatient> = (0..60).map(|i| cohort_patient(i, NOW)).collect();
        let b: Vec<DemoPatient> = (0..60).map(|i| cohort_patient(i, NOW)).collect();
        assert_eq!(a, b, "deterministic");
        let mean = |d: &DemoPatient, code: &str| {
            let v: Vec<f64> = d
                .records
                .iter()
                .filter_map(|r| match r {
                    Record::Observation(o) if o.code == code => match o.value {
                        ObsValue::Quantity { value, .. } => Some(value),
                        _ => None,
                    },
                    _ => None,
                })
                .collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        let (mut dm, mut htn, mut nka, mut allergic, mut unrecorded) = (0, 0, 0, 0, 0);
        for d in &a {
            if d.profile.diabetes {
                dm += 1;
                assert!(mean(d, "4548-4") > 6.5, "diabetics have a high HbA1c");
            } else {
                assert!(mean(d, "4548-4") < 5.7);
            }
            if d.profile.hypertension {
                htn += 1;
                assert!(
                    mean(d, "8480-6") > 135.0,
                    "hypertensives have a high systolic BP"
                );
            } else {
                assert!(mean(d, "8480-6") < 130.0);
            }
            match &d.allergies {
                None => unrecorded += 1,
                Some(l) if l.is_empty() => nka += 1,
                Some(_) => allergic += 1,
            }
            for r in &d.records {
                let mut r = r.clone();
                if let Record::Observation(o) = &mut r {
                    o.normalize(NOW).unwrap();
                }
            }
            assert!(
                d.records
                    .iter()
                    .filter(|r| matches!(r, Record::Observation(_)))
                    .count()
                    > 100
            );
        }
        assert!(dm >= 8 && htn >= 10, "{dm} diabetics, {htn} hypertensives");
        assert!(nka > 0 && allergic > 0 && unrecorded > 0);
    }

    #[test]
    fn demo_patients_are_valid_and_distinct() {
        let today = iris_record::Date::parse("2026-11-24").unwrap();
        let mut mrns = std::collections::BTreeSet::new();
        let mut names = std::collections::BTreeSet::new();
        for i in 0..200 {
            let p = patient(i);
            p.validate(today).unwrap();
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
