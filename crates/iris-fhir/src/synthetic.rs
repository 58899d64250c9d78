//! A deterministic, Synthea-style generator of synthetic patients for tests and benchmarks.
//!
//! Each patient is one `transaction` Bundle as Synthea writes them: `urn:uuid:` fullUrls and
//! references, `request: POST` (conditional `ifNoneExist` for the Organization and the
//! Practitioner), identifiers (Synthea id, MR, SS, DL and sometimes a passport), encounters
//! with their Organization and Practitioner, vital signs (blood pressure as an 85354-9 panel),
//! laboratory results, smoking status and a PHQ-2 score, conditions (SNOMED CT and ICD-10-CM),
//! RxNorm MedicationRequests, allergies, procedures and CVX immunizations.
//!
//! - Deterministic: a splitmix64 PRNG; the same `(seed, index, now_ms)` gives the same JSON.
//! - Coherent: diabetics have HbA1c ≥ 6.5 % and high glucose, hypertensives high blood
//!   pressure, patients with hyperlipidaemia high cholesterol; each chronic condition comes with
//!   its usual medication. Every time lies at or before `now_ms`.
//! - Clearly synthetic: names carry digits as Synthea's do (`Ana761 Okafor204`), SSNs start
//!   `999`, NPIs `99999`, phone numbers `555-01xx`, mail goes to example.org.
//! - Early-warning ready: every set of vital signs has what NEWS2 reads (oxygen flow 0 for
//!   room air, level of responsiveness), and every fifteenth patient (index 7, 22, 37 …) is
//!   unwell today: an emergency visit in progress with a high-risk NEWS2 set.
//! - Allergies recorded three ways: an allergy (30 %), "no known allergy" (SNOMED CT
//!   716186003, as US Core records it), or nothing recorded.
//! - Valid: every resource normalizes without issues (tested).
//!
//! This is the one generator of synthetic patients in Iris: the demo cohort is made by it and
//! imported through the FHIR importer, and the tests and benchmarks import its output.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use crate::codes::*;
use crate::time::{date_from_ms, format_ms_offset};

/// Resources by `resourceType`.
pub type Counts = BTreeMap<String, u64>;

const DAY: i64 = 86_400_000;
const YEAR: i64 = 365 * DAY + DAY / 4;

/// The splitmix64 generator (Steele, Lea and Flood 2014).
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `[lo, hi)`.
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform(0.0, 1.0) < p
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    fn uuid(&mut self) -> String {
        let (a, b) = (self.next_u64(), self.next_u64());
        uuid_from(a, b)
    }
}

/// A version-4-shaped UUID from 128 bits.
pub fn uuid_from(a: u64, b: u64) -> String {
    let a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000;
    let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFFF,
        b >> 48,
        b & 0xFFFF_FFFF_FFFF
    )
}

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

/// SNOMED CT 716186003 |No known allergy (situation)|.
pub const NO_KNOWN_ALLERGY: &str = "716186003";

/// The identifying strings of one generated patient (the same whatever `now_ms`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub family: String,
    pub given: String,
    pub mrn: String,
    pub ssn: String,
    pub phone: String,
    pub email: String,
    pub address_line: String,
}

impl Identity {
    /// Every identifying string, for scans of raw bytes.
    pub fn strings(&self) -> Vec<String> {
        vec![
            self.family.clone(),
            self.given.clone(),
            self.mrn.clone(),
            self.ssn.clone(),
            self.phone.clone(),
            self.email.clone(),
            self.address_line.clone(),
        ]
    }
}

/// Patient `index` of population `seed`: who they are and whether male. Drawn from a stream
/// of its own, so identities do not depend on the generation time (birth dates do) nor on
/// the clinical draws.
pub fn identity(seed: u64, index: u64) -> (Identity, bool) {
    let mut r = SplitMix64::new(seed ^ index.wrapping_mul(0x9E6C_63D0_676A_9A99) ^ 0x1D);
    r.next_u64();
    let male = r.chance(0.5);
    (draw_identity(&mut r, index, male), male)
}

fn patient_rng(seed: u64, index: u64) -> SplitMix64 {
    let mut rng = SplitMix64::new(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
    rng.next_u64();
    rng
}

fn draw_identity(r: &mut SplitMix64, index: u64, male: bool) -> Identity {
    let given = format!(
        "{}{}",
        if male {
            r.pick(&GIVEN_M)
        } else {
            r.pick(&GIVEN_F)
        },
        100 + r.below(900)
    );
    let family = format!("{}{}", r.pick(&FAMILY), 100 + r.below(900));
    let mrn = format!("SYN{:07}", r.below(10_000_000));
    let ssn = format!("999-{:02}-{:04}", r.below(100), r.below(10_000));
    let phone = format!("555-01{:02}", r.below(100));
    let email = format!(
        "{}.{}{}@example.org",
        given.to_lowercase(),
        family.to_lowercase(),
        index
    );
    let address_line = format!("{} Synthetic Street", 1 + index % 997);
    Identity {
        family,
        given,
        mrn,
        ssn,
        phone,
        email,
        address_line,
    }
}

/// (LOINC, display, value, UCUM unit, reference low, reference high)
type Lab = (
    &'static str,
    &'static str,
    f64,
    &'static str,
    Option<f64>,
    Option<f64>,
);

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

struct Chronic {
    key: &'static str,
    snomed: (&'static str, &'static str),
    icd: (&'static str, &'static str),
    med: Option<Med>,
}

/// A medication as prescribed by the generator.
#[derive(Debug, Clone, Copy)]
struct Med {
    rxnorm: &'static str,
    display: &'static str,
    /// Times a day; 0 for "as needed" without a schedule.
    per_day: i64,
    dose: f64,
    /// UCUM, or "" for Synthea's bare dose value.
    unit: &'static str,
    /// Index in [`crate::normalize::ROUTES`]; none as Synthea writes it.
    route: Option<usize>,
    prn: bool,
}

const CHRONIC: &[Chronic] = &[
    Chronic {
        key: "diabetes",
        snomed: ("44054006", "Diabetes mellitus type 2 (disorder)"),
        icd: ("E11.9", "Type 2 diabetes mellitus without complications"),
        med: Some(Med {
            rxnorm: "860975",
            display: "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet",
            per_day: 2,
            dose: 1.0,
            unit: "",
            route: None,
            prn: false,
        }),
    },
    Chronic {
        key: "hypertension",
        snomed: (
            "38341003",
            "Hypertensive disorder, systemic arterial (disorder)",
        ),
        icd: ("I10", "Essential (primary) hypertension"),
        med: Some(Med {
            rxnorm: "314076",
            display: "lisinopril 10 MG Oral Tablet",
            per_day: 1,
            dose: 10.0,
            unit: "mg",
            route: Some(0),
            prn: false,
        }),
    },
    Chronic {
        key: "hyperlipidemia",
        snomed: ("55822004", "Hyperlipidemia (disorder)"),
        icd: ("E78.5", "Hyperlipidemia, unspecified"),
        med: Some(Med {
            rxnorm: "312961",
            display: "simvastatin 20 MG Oral Tablet",
            per_day: 1,
            dose: 1.0,
            unit: "{tbl}",
            route: Some(0),
            prn: false,
        }),
    },
    Chronic {
        key: "asthma",
        snomed: ("195967001", "Asthma (disorder)"),
        icd: ("J45.909", "Unspecified asthma, uncomplicated"),
        med: Some(Med {
            rxnorm: "745679",
            display: "200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler",
            per_day: 0,
            dose: 2.0,
            unit: "{puff}",
            route: Some(5),
            prn: true,
        }),
    },
    Chronic {
        key: "prediabetes",
        snomed: ("15777000", "Prediabetes (finding)"),
        icd: ("R73.03", "Prediabetes"),
        med: None,
    },
];

/// (SNOMED, display, ICD-10-CM, display, RxNorm, drug display, times a day)
const ACUTE: &[(&str, &str, &str, &str, &str, &str, i64)] = &[
    (
        "10509002",
        "Acute bronchitis (disorder)",
        "J20.9",
        "Acute bronchitis, unspecified",
        "313782",
        "Acetaminophen 325 MG Oral Tablet",
        4,
    ),
    (
        "444814009",
        "Viral sinusitis (disorder)",
        "J01.90",
        "Acute sinusitis, unspecified",
        "308182",
        "Amoxicillin 250 MG Oral Capsule",
        3,
    ),
    (
        "44465007",
        "Sprain of ankle (disorder)",
        "S93.409A",
        "Sprain of unspecified ligament of unspecified ankle, initial encounter",
        "313782",
        "Acetaminophen 325 MG Oral Tablet",
        3,
    ),
];

/// (system, code, display, category)
const ALLERGIES: &[(&str, &str, &str, &str)] = &[
    (SNOMED, "91935009", "Allergy to peanuts", "food"),
    (SNOMED, "300916003", "Latex allergy", "environment"),
    (SNOMED, "419474003", "Allergy to mould", "environment"),
    (RXNORM, "7980", "Penicillin G", "medication"),
    (RXNORM, "10180", "Sulfamethoxazole", "medication"),
];
const REACTIONS: &[(&str, &str)] = &[
    ("247472004", "Wheal (finding)"),
    ("271807003", "Eruption of skin (disorder)"),
    ("39579001", "Anaphylaxis (disorder)"),
];

const PROCEDURES: &[(&str, &str, &str)] = &[
    (SNOMED, "430193006", "Medication Reconciliation (procedure)"),
    (
        SNOMED,
        "710824005",
        "Assessment of health and social care needs (procedure)",
    ),
    (
        SNOMED,
        "428191000124101",
        "Documentation of current medications",
    ),
    (
        CPT,
        "99213",
        "Office or other outpatient visit, established patient",
    ),
];

const VACCINES: &[(&str, &str)] = &[
    ("140", "Influenza, seasonal, injectable, preservative free"),
    ("113", "Td (adult) preservative free"),
    (
        "208",
        "SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3mL dose",
    ),
    ("08", "Hep B, adolescent or pediatric"),
];

const SMOKING: &[(&str, &str)] = &[
    ("266919005", "Never smoked tobacco (finding)"),
    ("8517006", "Ex-smoker (finding)"),
    ("77176002", "Smoker (finding)"),
];

/// Every SNOMED CT code the generator writes (checked by a test).
pub const SNOMED_CODES: &[&str] = &[
    NO_KNOWN_ALLERGY,
    "44054006",
    "38341003",
    "55822004",
    "195967001",
    "15777000",
    "10509002",
    "444814009",
    "44465007",
    "91935009",
    "300916003",
    "419474003",
    "247472004",
    "271807003",
    "39579001",
    "430193006",
    "710824005",
    "428191000124101",
    "266919005",
    "8517006",
    "77176002",
    "185349003",
    "50849002",
    "32485007",
];

fn cc(system: &str, code: &str, display: &str) -> Value {
    json!({ "coding": [{ "system": system, "code": code, "display": display }], "text": display })
}

fn category(code: &str) -> Value {
    json!([{ "coding": [{ "system": OBSERVATION_CATEGORY, "code": code }] }])
}

struct Gen {
    rng: SplitMix64,
    tz: i32,
    patient_url: String,
    entries: Vec<Value>,
}

impl Gen {
    fn dt(&self, ms: i64) -> String {
        format_ms_offset(ms, self.tz)
    }

    fn local_date(&self, ms: i64) -> String {
        date_from_ms(ms + i64::from(self.tz) * 60_000)
    }

    /// Adds a resource with a new id; returns its `urn:uuid:` URL.
    fn push(&mut self, mut resource: Value, if_none_exist: Option<String>) -> String {
        let id = self.rng.uuid();
        let rt = resource["resourceType"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        resource["id"] = json!(id);
        let url = format!("urn:uuid:{id}");
        let mut request = json!({ "method": "POST", "url": rt });
        if let Some(q) = if_none_exist {
            request["ifNoneExist"] = json!(q);
        }
        self.entries
            .push(json!({ "fullUrl": url, "resource": resource, "request": request }));
        url
    }

    fn observation(
        &mut self,
        enc: &str,
        at: i64,
        cat: &str,
        code: (&str, &str),
        value: Value,
        range: Option<(Option<f64>, Option<f64>, &str)>,
    ) {
        let mut o = json!({
            "resourceType": "Observation",
            "status": "final",
            "category": category(cat),
            "code": cc(LOINC, code.0, code.1),
            "subject": { "reference": self.patient_url },
            "encounter": { "reference": enc },
            "effectiveDateTime": self.dt(at),
            "issued": self.dt(at),
        });
        let obj = o.as_object_mut().expect("object");
        for (k, v) in value.as_object().into_iter().flatten() {
            obj.insert(k.clone(), v.clone());
        }
        if let Some((low, high, unit)) = range {
            let q = |v: f64| json!({ "value": v, "unit": unit, "system": UCUM, "code": unit });
            let mut r = serde_json::Map::new();
            if let Some(l) = low {
                r.insert("low".into(), q(l));
            }
            if let Some(h) = high {
                r.insert("high".into(), q(h));
            }
            let v = value["valueQuantity"]["value"].as_f64().unwrap_or_default();
            let flag = match (low, high) {
                (Some(l), _) if v < l => "L",
                (_, Some(h)) if v > h => "H",
                _ => "N",
            };
            obj.insert("referenceRange".into(), json!([r]));
            obj.insert(
                "interpretation".into(),
                json!([{ "coding": [{ "system": OBSERVATION_INTERPRETATION, "code": flag }] }]),
            );
        }
        self.push(o, None);
    }
}

fn quantity(v: f64, unit: &str) -> Value {
    json!({ "valueQuantity": { "value": v, "unit": unit, "system": UCUM, "code": unit } })
}

/// How much history a patient has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    /// 3 to 8 visits at random over five years (tests, benchmarks).
    Sparse,
    /// A visit about every quarter for three years (the demo cohort: trends to look at).
    Quarterly,
}

/// One patient's transaction Bundle ([`History::Sparse`]).
pub fn patient_bundle(seed: u64, index: u64, now_ms: i64) -> Value {
    patient_bundle_with(seed, index, now_ms, History::Sparse)
}

/// One patient's transaction Bundle with the given amount of history.
pub fn patient_bundle_with(seed: u64, index: u64, now_ms: i64, history: History) -> Value {
    let mut rng = patient_rng(seed, index);
    let tz = *rng.pick(&[-300, -360, -420, -480, 0, 60, 330]);
    let patient_id = rng.uuid();
    let mut g = Gen {
        rng,
        tz,
        patient_url: format!("urn:uuid:{patient_id}"),
        entries: Vec::new(),
    };
    let (id, male) = identity(seed, index);
    let r = &mut g.rng;
    let age = 18 + r.below(72) as i64;
    let birth_ms = now_ms - age * YEAR - r.below(360) as i64 * DAY;
    let diabetic = r.chance(0.2 + age as f64 / 400.0);
    let prediabetic = !diabetic && r.chance(0.15);
    let hypertensive = r.chance(0.2 + age as f64 / 300.0);
    let hyperlipidemic = r.chance(0.25);
    let asthmatic = r.chance(0.08);
    let Identity {
        family,
        given,
        mrn,
        ssn,
        phone,
        email,
        address_line,
    } = id;
    let dl = format!("S999{:05}", r.below(100_000));
    let passport = r
        .chance(0.4)
        .then(|| format!("X{:08}X", r.below(100_000_000)));
    let married = r.chance(0.5);
    let org_key = format!("org-{}", r.below(20));
    let npi = format!("99999{:05}", r.below(100_000));

    // Organization and Practitioner (conditional create, as Synthea writes them).
    let org_url = g.push(
        json!({
            "resourceType": "Organization",
            "identifier": [{ "system": "https://github.com/synthetichealth/synthea", "value": org_key }],
            "active": true,
            "type": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/organization-type", "code": "prov", "display": "Healthcare Provider" }], "text": "Healthcare Provider" }],
            "name": format!("Synthetic General Hospital {org_key}"),
            "address": [{ "line": ["1 Synthetic Way"], "city": "Synthville", "state": "MA", "postalCode": "01000", "country": "US" }],
        }),
        Some(format!(
            "identifier=https://github.com/synthetichealth/synthea|{org_key}"
        )),
    );
    let pract_url = g.push(
        json!({
            "resourceType": "Practitioner",
            "identifier": [{ "system": "http://hl7.org/fhir/sid/us-npi", "value": npi }],
            "active": true,
            "name": [{ "family": format!("Synthetic-Clinician{}", npi), "given": ["Synthetic-Doc"], "prefix": ["Dr."] }],
            "gender": "female",
        }),
        Some(format!("identifier=http://hl7.org/fhir/sid/us-npi|{npi}")),
    );

    // Patient: its id was drawn first so that references can be made before it is pushed.
    let mut identifiers = vec![
        json!({ "system": "https://github.com/synthetichealth/synthea", "value": patient_id }),
        json!({ "type": { "coding": [{ "system": V2_IDENTIFIER_TYPE, "code": "MR", "display": "Medical Record Number" }], "text": "Medical Record Number" },
                "system": "http://hospital.smarthealthit.org", "value": mrn }),
        json!({ "type": { "coding": [{ "system": V2_IDENTIFIER_TYPE, "code": "SS", "display": "Social Security Number" }], "text": "Social Security Number" },
                "system": US_SSN, "value": ssn }),
        json!({ "type": { "coding": [{ "system": V2_IDENTIFIER_TYPE, "code": "DL", "display": "Driver's license number" }], "text": "Driver's license number" },
                "system": "urn:oid:2.16.840.1.113883.4.3.25", "value": dl }),
    ];
    if let Some(p) = &passport {
        identifiers.push(json!({ "type": { "coding": [{ "system": V2_IDENTIFIER_TYPE, "code": "PPN", "display": "Passport Number" }], "text": "Passport Number" },
            "system": "http://standardhealthrecord.org/fhir/StructureDefinition/passportNumber", "value": p }));
    }
    let patient = json!({
        "resourceType": "Patient",
        "id": patient_id,
        "text": { "status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">Generated by the Iris synthetic generator</div>" },
        "extension": [{ "url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex", "valueCode": if male { "M" } else { "F" } }],
        "identifier": identifiers,
        "name": [{ "use": "official", "family": family, "given": [given], "prefix": [if male { "Mr." } else { "Ms." }] }],
        "telecom": [{ "system": "phone", "value": phone, "use": "home" },
                    { "system": "email", "value": email }],
        "gender": if male { "male" } else { "female" },
        "birthDate": date_from_ms(birth_ms),
        "address": [{
            "extension": [{ "url": "http://hl7.org/fhir/StructureDefinition/geolocation",
                "extension": [{ "url": "latitude", "valueDecimal": 42.1 }, { "url": "longitude", "valueDecimal": -71.2 }] }],
            "line": [address_line], "city": "Synthville", "state": "MA", "postalCode": "01000", "country": "US" }],
        "maritalStatus": { "coding": [{ "system": V3_MARITAL_STATUS, "code": if married { "M" } else { "S" } }] },
        "multipleBirthBoolean": false,
    });
    g.entries.push(json!({
        "fullUrl": g.patient_url,
        "resource": patient,
        "request": { "method": "POST", "url": "Patient" },
    }));

    // Encounters, oldest first, each at a local daytime hour.
    let mut days_ago: Vec<i64> = match history {
        History::Sparse => {
            let n_enc = 3 + g.rng.below(6) as usize;
            (0..n_enc)
                .map(|_| 8 + g.rng.below(5 * 365) as i64)
                .collect()
        }
        History::Quarterly => (0..13)
            .map(|q| 8 + q * 91 + g.rng.below(20) as i64)
            .collect(),
    };
    days_ago.sort_unstable_by(|a, b| b.cmp(a));
    let chronic: Vec<&Chronic> = CHRONIC
        .iter()
        .filter(|c| match c.key {
            "diabetes" => diabetic,
            "prediabetes" => prediabetic,
            "hypertension" => hypertensive,
            "hyperlipidemia" => hyperlipidemic,
            _ => asthmatic,
        })
        .collect();
    let height = if male {
        g.rng.uniform(165.0, 190.0)
    } else {
        g.rng.uniform(152.0, 175.0)
    };
    let mut weight = g.rng.uniform(55.0, 95.0) + if diabetic { 12.0 } else { 0.0 };
    let smoking = *g.rng.pick(SMOKING);
    let off = i64::from(tz) * 60_000;
    for (k, d) in days_ago.iter().enumerate() {
        let local_midnight = (now_ms - d * DAY + off).div_euclid(DAY) * DAY - off;
        let start = local_midnight
            + (8 + g.rng.below(9) as i64) * 3_600_000
            + g.rng.below(60) as i64 * 60_000;
        let roll = g.rng.below(100);
        let (class, minutes, type_code) = if k == 0 || roll < 75 {
            (
                "AMB",
                15 + g.rng.below(45) as i64,
                ("185349003", "Encounter for check up (procedure)"),
            )
        } else if roll < 90 {
            (
                "EMER",
                60 + g.rng.below(300) as i64,
                ("50849002", "Emergency room admission (procedure)"),
            )
        } else {
            (
                "IMP",
                (1 + g.rng.below(4) as i64) * 1440,
                ("32485007", "Hospital admission (procedure)"),
            )
        };
        let end = start + minutes * 60_000;
        let acute = (class != "AMB" || g.rng.chance(0.2)).then(|| *g.rng.pick(ACUTE));
        let mut enc = json!({
            "resourceType": "Encounter",
            "status": "finished",
            "class": { "system": V3_ACT_CODE, "code": class },
            "type": [cc(SNOMED, type_code.0, type_code.1)],
            "subject": { "reference": g.patient_url, "display": "Synthetic patient" },
            "participant": [{ "type": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "PPRF", "display": "primary performer" }] }],
                              "period": { "start": g.dt(start), "end": g.dt(end) },
                              "individual": { "reference": pract_url } }],
            "period": { "start": g.dt(start), "end": g.dt(end) },
            "serviceProvider": { "reference": org_url },
        });
        if let Some(a) = acute {
            enc["reasonCode"] = json!([cc(SNOMED, a.0, a.1)]);
        }
        let enc_url = g.push(enc, None);

        // Conditions: chronic ones at the first encounter, an acute one when there is one.
        let snomed_first = g.rng.chance(0.5);
        let coding_pair = |s: (&str, &str), i: (&str, &str), only_snomed: bool| {
            let sn = json!({ "system": SNOMED, "code": s.0, "display": s.1 });
            let ic = json!({ "system": ICD10CM, "code": i.0, "display": i.1 });
            let list = match (only_snomed, snomed_first) {
                (true, _) => vec![sn],
                (false, true) => vec![sn, ic],
                (false, false) => vec![ic, sn],
            };
            json!({ "coding": list, "text": s.1 })
        };
        if k == 0 {
            for c in &chronic {
                let only = g.rng.chance(0.3);
                g.push(
                    json!({
                        "resourceType": "Condition",
                        "clinicalStatus": { "coding": [{ "system": CONDITION_CLINICAL, "code": "active" }] },
                        "verificationStatus": { "coding": [{ "system": CONDITION_VERIFICATION, "code": "confirmed" }] },
                        "category": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "encounter-diagnosis", "display": "Encounter Diagnosis" }] }],
                        "code": coding_pair(c.snomed, c.icd, only),
                        "subject": { "reference": g.patient_url },
                        "encounter": { "reference": enc_url },
                        "onsetDateTime": g.dt(start),
                        "recordedDate": g.dt(start),
                    }),
                    None,
                );
            }
        }
        if let Some(a) = acute {
            let abated = (start + (7 + g.rng.below(14) as i64) * DAY).min(now_ms);
            g.push(
                json!({
                    "resourceType": "Condition",
                    "clinicalStatus": { "coding": [{ "system": CONDITION_CLINICAL, "code": "resolved" }] },
                    "verificationStatus": { "coding": [{ "system": CONDITION_VERIFICATION, "code": "confirmed" }] },
                    "code": coding_pair((a.0, a.1), (a.2, a.3), false),
                    "subject": { "reference": g.patient_url },
                    "encounter": { "reference": enc_url },
                    "onsetDateTime": g.dt(start),
                    "abatementDateTime": g.dt(abated),
                    "recordedDate": g.dt(start),
                }),
                None,
            );
        }

        // Vital signs.
        weight = round1(weight + g.rng.uniform(-2.0, 2.0));
        let h = round1(height);
        let bmi = round1(weight / (h / 100.0).powi(2));
        let emer = class != "AMB";
        let (sys, dia) = if hypertensive {
            (g.rng.uniform(140.0, 172.0), g.rng.uniform(90.0, 106.0))
        } else {
            (g.rng.uniform(104.0, 132.0), g.rng.uniform(64.0, 84.0))
        };
        let vitals: [(&str, &str, f64, &str); 7] = [
            ("8302-2", "Body Height", h, "cm"),
            ("29463-7", "Body Weight", weight, "kg"),
            ("39156-5", "Body mass index (BMI) [Ratio]", bmi, "kg/m2"),
            (
                "8867-4",
                "Heart rate",
                round1(g.rng.uniform(58.0, 92.0) + if emer { 15.0 } else { 0.0 }),
                "/min",
            ),
            (
                "9279-1",
                "Respiratory rate",
                round1(g.rng.uniform(12.0, 19.0)),
                "/min",
            ),
            (
                "8310-5",
                "Body temperature",
                round1(
                    g.rng.uniform(36.3, 37.3) + if emer && g.rng.chance(0.4) { 1.4 } else { 0.0 },
                ),
                "Cel",
            ),
            (
                "59408-5",
                "Oxygen saturation in Arterial blood by Pulse oximetry",
                round1(g.rng.uniform(95.0, 99.5)),
                "%",
            ),
        ];
        for (code, display, v, unit) in vitals {
            g.observation(
                &enc_url,
                start,
                "vital-signs",
                (code, display),
                quantity(v, unit),
                None,
            );
        }
        let (sys, dia) = (sys.round(), dia.round());
        g.observation(
            &enc_url,
            start,
            "vital-signs",
            ("85354-9", "Blood pressure panel with all children optional"),
            json!({ "component": [
                { "code": cc(LOINC, "8462-4", "Diastolic Blood Pressure"), "valueQuantity": { "value": dia, "unit": "mm[Hg]", "system": UCUM, "code": "mm[Hg]" } },
                { "code": cc(LOINC, "8480-6", "Systolic Blood Pressure"), "valueQuantity": { "value": sys, "unit": "mm[Hg]", "system": UCUM, "code": "mm[Hg]" } },
            ]}),
            None,
        );

        // The rest of an early-warning (NEWS2) set: room air, alert.
        news2_rest(&mut g, &enc_url, start, 0.0, "A");

        // Laboratory results: at the first encounter, then at half of the check-ups.
        if k == 0 || (class == "AMB" && g.rng.chance(0.5)) {
            let lab_at = start + 20 * 60_000;
            let a1c = if diabetic {
                g.rng.uniform(6.6, 9.8)
            } else if prediabetic {
                g.rng.uniform(5.7, 6.4)
            } else {
                g.rng.uniform(4.6, 5.6)
            };
            let glucose = if diabetic {
                g.rng.uniform(140.0, 260.0)
            } else if prediabetic {
                g.rng.uniform(100.0, 125.0)
            } else {
                g.rng.uniform(70.0, 99.0)
            };
            let fasting = glucose * 0.85;
            let (chol, ldl) = if hyperlipidemic {
                (g.rng.uniform(220.0, 290.0), g.rng.uniform(140.0, 190.0))
            } else {
                (g.rng.uniform(150.0, 199.0), g.rng.uniform(60.0, 129.0))
            };
            let creat = if diabetic {
                g.rng.uniform(0.8, 1.6)
            } else {
                g.rng.uniform(0.6, 1.2)
            };
            let labs: Vec<Lab> = vec![
                (
                    "4548-4",
                    "Hemoglobin A1c/Hemoglobin.total in Blood",
                    round1(a1c),
                    "%",
                    Some(4.0),
                    Some(5.6),
                ),
                (
                    "2345-7",
                    "Glucose [Mass/volume] in Serum or Plasma",
                    glucose.round(),
                    "mg/dL",
                    Some(70.0),
                    Some(99.0),
                ),
                (
                    "1558-6",
                    "Fasting glucose [Mass/volume] in Serum or Plasma",
                    fasting.round(),
                    "mg/dL",
                    Some(70.0),
                    Some(99.0),
                ),
                (
                    "2093-3",
                    "Cholesterol [Mass/volume] in Serum or Plasma",
                    chol.round(),
                    "mg/dL",
                    None,
                    Some(200.0),
                ),
                (
                    "18262-6",
                    "Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay",
                    ldl.round(),
                    "mg/dL",
                    None,
                    Some(130.0),
                ),
                (
                    "2160-0",
                    "Creatinine [Mass/volume] in Serum or Plasma",
                    (creat * 100.0).round() / 100.0,
                    "mg/dL",
                    Some(0.6),
                    Some(1.3),
                ),
            ];
            for (code, display, v, unit, lo, hi) in labs {
                g.observation(
                    &enc_url,
                    lab_at,
                    "laboratory",
                    (code, display),
                    quantity(v, unit),
                    Some((lo, hi, unit)),
                );
            }
        }
        if k == 0 {
            g.observation(
                &enc_url,
                start,
                "social-history",
                ("72166-2", "Tobacco smoking status"),
                json!({ "valueCodeableConcept": cc(SNOMED, smoking.0, smoking.1) }),
                None,
            );
            let phq = g.rng.below(7) as f64;
            g.observation(
                &enc_url,
                start,
                "survey",
                (
                    "55758-7",
                    "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]",
                ),
                quantity(phq, "{score}"),
                None,
            );
        }

        // Allergies at the first encounter: an allergy, "no known allergy", or nothing.
        let allergic = k == 0 && g.rng.chance(0.3);
        if k == 0 && !allergic && g.rng.chance(0.6) {
            g.push(
                json!({
                    "resourceType": "AllergyIntolerance",
                    "clinicalStatus": { "coding": [{ "system": ALLERGY_CLINICAL, "code": "active" }] },
                    "verificationStatus": { "coding": [{ "system": ALLERGY_VERIFICATION, "code": "confirmed" }] },
                    "code": cc(SNOMED, NO_KNOWN_ALLERGY, "No known allergy (situation)"),
                    "patient": { "reference": g.patient_url },
                    "encounter": { "reference": enc_url },
                    "recordedDate": g.dt(start),
                }),
                None,
            );
        }
        if allergic {
            let (system, code, display, cat) = *g.rng.pick(ALLERGIES);
            let reaction = *g.rng.pick(REACTIONS);
            let critical = reaction.0 == "39579001";
            g.push(
                json!({
                    "resourceType": "AllergyIntolerance",
                    "clinicalStatus": { "coding": [{ "system": ALLERGY_CLINICAL, "code": "active" }] },
                    "verificationStatus": { "coding": [{ "system": ALLERGY_VERIFICATION, "code": "confirmed" }] },
                    "type": "allergy",
                    "category": [cat],
                    "criticality": if critical { "high" } else { "low" },
                    "code": cc(system, code, display),
                    "patient": { "reference": g.patient_url },
                    "encounter": { "reference": enc_url },
                    "recordedDate": g.dt(start),
                    "reaction": [{ "manifestation": [{ "coding": [{ "system": SNOMED, "code": reaction.0, "display": reaction.1 }] }],
                                   "severity": if critical { "severe" } else { "mild" } }],
                }),
                None,
            );
        }

        // Medications: chronic ones from the first encounter, an acute one when indicated.
        let mut meds: Vec<(Med, &str)> = Vec::new();
        if k == 0 {
            for c in &chronic {
                if let Some(m) = c.med {
                    meds.push((m, "active"));
                }
            }
        }
        if let Some(a) = acute {
            let m = Med {
                rxnorm: a.4,
                display: a.5,
                per_day: a.6,
                dose: 1.0,
                unit: "",
                route: Some(0),
                prn: false,
            };
            meds.push((m, "completed"));
        }
        for (m, status) in meds {
            let Med {
                rxnorm: code,
                display,
                per_day,
                dose,
                unit,
                route,
                prn,
            } = m;
            let mut dosage = json!({ "sequence": 1, "asNeededBoolean": prn });
            if per_day > 0 {
                let mut timing =
                    json!({ "repeat": { "frequency": per_day, "period": 1.0, "periodUnit": "d" } });
                if status == "completed" {
                    timing["repeat"]["boundsPeriod"] =
                        json!({ "start": g.dt(start), "end": g.local_date(start + 10 * DAY) });
                }
                dosage["timing"] = timing;
            }
            if let Some(ri) = route {
                let (_, rcode, rdisplay) = crate::normalize::ROUTES[ri];
                dosage["route"] = cc(SNOMED, rcode, rdisplay);
            }
            let dq = if unit.is_empty() {
                json!({ "value": dose })
            } else {
                json!({ "value": dose, "unit": unit, "system": UCUM, "code": unit })
            };
            dosage["doseAndRate"] = json!([{ "type": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/dose-rate-type", "code": "ordered", "display": "Ordered" }] }, "doseQuantity": dq }]);
            g.push(
                json!({
                    "resourceType": "MedicationRequest",
                    "status": status,
                    "intent": "order",
                    "medicationCodeableConcept": cc(RXNORM, code, display),
                    "subject": { "reference": g.patient_url },
                    "encounter": { "reference": enc_url },
                    "authoredOn": g.dt(start),
                    "requester": { "reference": pract_url },
                    "dosageInstruction": [dosage],
                }),
                None,
            );
        }

        // Procedures.
        if g.rng.chance(0.4) {
            let (system, code, display) = *g.rng.pick(PROCEDURES);
            g.push(
                json!({
                    "resourceType": "Procedure",
                    "status": "completed",
                    "code": cc(system, code, display),
                    "subject": { "reference": g.patient_url },
                    "encounter": { "reference": enc_url },
                    "performedPeriod": { "start": g.dt(start), "end": g.dt(start + 15 * 60_000) },
                }),
                None,
            );
        }

        // Immunizations at check-ups.
        if class == "AMB" && g.rng.chance(0.5) {
            let (code, display) = *g.rng.pick(VACCINES);
            g.push(
                json!({
                    "resourceType": "Immunization",
                    "status": "completed",
                    "vaccineCode": cc(CVX, code, display),
                    "patient": { "reference": g.patient_url },
                    "encounter": { "reference": enc_url },
                    "occurrenceDateTime": g.dt(start),
                    "primarySource": true,
                }),
                None,
            );
        }
    }
    if index % 15 == 7 {
        unwell_today(&mut g, now_ms, &pract_url, &org_url);
    }
    json!({ "resourceType": "Bundle", "type": "transaction", "entry": g.entries })
}

/// LOINC answers of 67775-7 (level of responsiveness) for the ACVPU letters.
const ACVPU: [(&str, &str, &str); 5] = [
    ("A", "LA9340-6", "Alert"),
    ("C", "LA6560-2", "Confused"),
    ("V", "LA17108-4", "Voice"),
    ("P", "LA17107-6", "Pain"),
    ("U", "LA9343-0", "Unresponsive"),
];

/// Oxygen flow (L/min, 0 = room air) and level of responsiveness: with the other vital signs,
/// what NEWS2 reads.
fn news2_rest(g: &mut Gen, enc: &str, at: i64, oxygen: f64, level: &str) {
    g.observation(
        enc,
        at,
        "vital-signs",
        (loinc::OXYGEN_FLOW, "Inhaled oxygen flow rate"),
        quantity(oxygen, "L/min"),
        None,
    );
    let (letter, answer, display) = ACVPU
        .iter()
        .copied()
        .find(|a| a.0 == level)
        .unwrap_or(ACVPU[0]);
    g.observation(
        enc,
        at,
        "vital-signs",
        (loinc::RESPONSIVENESS, "Level of responsiveness"),
        json!({ "valueCodeableConcept": {
            "coding": [{ "system": LOINC, "code": answer, "display": display }],
            "text": letter,
        } }),
        None,
    );
}

/// An emergency visit in progress since two hours ago, with a high-risk NEWS2 set an hour
/// ago: tachypnoea, low saturation on 2 L/min of oxygen, low-normal pressure, tachycardia and
/// fever (NEWS2 11, qSOFA 2).
fn unwell_today(g: &mut Gen, now_ms: i64, pract_url: &str, org_url: &str) {
    let start = now_ms - 2 * 3_600_000;
    let at = now_ms - 3_600_000;
    let enc = g.push(
        json!({
            "resourceType": "Encounter",
            "status": "in-progress",
            "class": { "system": V3_ACT_CODE, "code": "EMER" },
            "type": [cc(SNOMED, "50849002", "Emergency room admission (procedure)")],
            "reasonCode": [{ "text": "Shortness of breath and fever" }],
            "subject": { "reference": g.patient_url },
            "participant": [{ "individual": { "reference": pract_url } }],
            "period": { "start": g.dt(start) },
            "serviceProvider": { "reference": org_url },
        }),
        None,
    );
    for (code, display, v, unit) in [
        (loinc::RESPIRATORY_RATE, "Respiratory rate", 24.0, "/min"),
        (
            loinc::SPO2,
            "Oxygen saturation in Arterial blood by Pulse oximetry",
            92.0,
            "%",
        ),
        (loinc::HEART_RATE, "Heart rate", 118.0, "/min"),
        (loinc::BODY_TEMPERATURE, "Body temperature", 38.7, "Cel"),
    ] {
        g.observation(
            &enc,
            at,
            "vital-signs",
            (code, display),
            quantity(v, unit),
            None,
        );
    }
    g.observation(
        &enc,
        at,
        "vital-signs",
        (loinc::BLOOD_PRESSURE_PANEL, "Blood pressure panel with all children optional"),
        json!({ "component": [
            { "code": cc(LOINC, loinc::DIASTOLIC_BP, "Diastolic Blood Pressure"), "valueQuantity": { "value": 58.0, "unit": "mm[Hg]", "system": UCUM, "code": "mm[Hg]" } },
            { "code": cc(LOINC, loinc::SYSTOLIC_BP, "Systolic Blood Pressure"), "valueQuantity": { "value": 98.0, "unit": "mm[Hg]", "system": UCUM, "code": "mm[Hg]" } },
        ]}),
        None,
    );
    news2_rest(g, &enc, at, 2.0, "A");
}

/// `n_patients` transaction Bundles, one per patient ([`History::Sparse`]).
pub fn population(n_patients: usize, seed: u64, now_ms: i64) -> impl Iterator<Item = Value> {
    (0..n_patients as u64).map(move |i| patient_bundle(seed, i, now_ms))
}

/// Resources of a Bundle by type.
pub fn count(bundle: &Value) -> Counts {
    let mut c = Counts::new();
    for e in bundle["entry"].as_array().into_iter().flatten() {
        if let Some(t) = e["resource"]["resourceType"].as_str() {
            *c.entry(t.to_string()).or_default() += 1;
        }
    }
    c
}

/// Adds `b` into `a`.
pub fn add_counts(a: &mut Counts, b: &Counts) {
    for (k, v) in b {
        *a.entry(k.clone()).or_default() += v;
    }
}

/// Writes a Bundle as Synthea and HAPI do: `resourceType`, `type` (and any other members)
/// first, `entry` last.
pub fn write_bundle<W: Write>(mut w: W, bundle: &Value) -> io::Result<()> {
    let empty = serde_json::Map::new();
    let obj = bundle.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = obj.keys().filter(|k| *k != "entry").collect();
    keys.sort_by_key(|k| match k.as_str() {
        "resourceType" => 0,
        "id" => 1,
        "type" => 2,
        _ => 3,
    });
    w.write_all(b"{")?;
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        serde_json::to_writer(&mut w, k)?;
        w.write_all(b":")?;
        serde_json::to_writer(&mut w, &obj[k.as_str()])?;
    }
    if let Some(entries) = obj.get("entry").and_then(Value::as_array) {
        w.write_all(b",\"entry\":[\n")?;
        for (i, e) in entries.iter().enumerate() {
            if i > 0 {
                w.write_all(b",\n")?;
            }
            serde_json::to_writer(&mut w, e)?;
        }
        w.write_all(b"\n]")?;
    }
    w.write_all(b"}")
}

/// [`write_bundle`] into a string.
pub fn bundle_string(bundle: &Value) -> String {
    let mut v = Vec::new();
    write_bundle(&mut v, bundle).expect("writing to a Vec");
    String::from_utf8(v).expect("serde_json writes UTF-8")
}

/// Writes the population's resources as NDJSON (one resource per line, no Bundles) and
/// returns how many of each type were written.
pub fn ndjson<W: Write>(n_patients: usize, seed: u64, now_ms: i64, mut w: W) -> io::Result<Counts> {
    let mut counts = Counts::new();
    for b in population(n_patients, seed, now_ms) {
        for e in b["entry"].as_array().into_iter().flatten() {
            serde_json::to_writer(&mut w, &e["resource"])?;
            w.write_all(b"\n")?;
        }
        add_counts(&mut counts, &count(&b));
    }
    Ok(counts)
}
