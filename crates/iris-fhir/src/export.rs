//! Writing records back as a FHIR R4 `collection` Bundle.
//!
//! The inverse of [`crate::normalize()`], from the same types ([`SourcedPatient`] and the
//! [`Normalized`] items, i.e. `iris_record` records with their FHIR wrapper): `normalize` of
//! every resource written here gives back the item it was written from (see the round-trip
//! tests), given that
//! - ids are the items' `source_id`s (the caller puts the Iris record ids there) and the
//!   patient's id is `patient_id`; an item without one gets a UUID derived from the patient
//!   id and its position;
//! - `fullUrl`s are `urn:uuid:` for UUID ids (hyphenated or 32 hex digits); references to the
//!   patient and to exported encounters use them (`Type/id` for ids that are not UUIDs);
//! - a medication is written as a MedicationStatement, whatever it was read from;
//! - an observation is one Observation: its value of any kind (or `dataAbsentReason`), range,
//!   interpretation, categories, status, components and `hasMember` references;
//! - warnings are not written (they describe the source, not the record);
//! - [`Normalized::Other`] items carry no content and are not written.

use iris_record::{
    AllergyIntolerance, Condition, Encounter, Immunization, Interpretation, MedicationStatement,
    ObsValue, Observation, Procedure, Quantity,
};
use serde_json::{Map, Value, json};

use crate::codes::*;
use crate::normalize::{
    AllergyExtra, ConditionExtra, Deceased, Normalized, ObservationExtra, ROUTES, Sourced,
    SourcedPatient,
};
use crate::reference::{Reference, is_uuid};
use crate::time::format_ms;

const MARITAL: &[&str] = &["A", "D", "I", "L", "M", "C", "P", "T", "U", "S", "W"];

/// `urn:uuid:` form of an id that is a UUID (hyphenated, or 32 hex digits as Iris writes
/// them), `None` otherwise.
pub fn uuid_url(id: &str) -> Option<String> {
    if is_uuid(id) {
        return Some(format!("urn:uuid:{id}"));
    }
    if id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(format!(
            "urn:uuid:{}-{}-{}-{}-{}",
            &id[..8],
            &id[8..12],
            &id[12..16],
            &id[16..20],
            &id[20..]
        ));
    }
    None
}

/// A reference to resource `rt`/`id` inside the exported Bundle.
fn local_ref(rt: &str, id: &str) -> String {
    uuid_url(id).unwrap_or_else(|| format!("{rt}/{id}"))
}

/// A UUID-shaped id derived from a seed string and an index (FNV-1a, then splitmix64).
fn derived_id(seed: &str, index: usize) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes().chain(index.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut s = crate::synthetic::SplitMix64::new(h);
    crate::synthetic::uuid_from(s.next_u64(), s.next_u64())
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn identifiers(ids: &[(String, String)], mrn: Option<&str>) -> Option<Value> {
    let mut mrn_done = false;
    let list: Vec<Value> = ids
        .iter()
        .map(|(system, value)| {
            let mut m = Map::new();
            if !mrn_done && Some(value.as_str()) == mrn {
                mrn_done = true;
                m.insert(
                    "type".into(),
                    json!({"coding": [{"system": V2_IDENTIFIER_TYPE, "code": "MR"}]}),
                );
            }
            if !system.is_empty() {
                m.insert("system".into(), s(system));
            }
            m.insert("value".into(), s(value));
            Value::Object(m)
        })
        .collect();
    (!list.is_empty()).then_some(Value::Array(list))
}

fn coding(system: &str, code: &str, display: &str) -> Value {
    let mut m = Map::new();
    if !system.is_empty() {
        m.insert("system".into(), s(system));
    }
    m.insert("code".into(), s(code));
    if !display.is_empty() {
        m.insert("display".into(), s(display));
    }
    Value::Object(m)
}

fn concept(system: &str, code: &str, display: &str) -> Value {
    json!({ "coding": [coding(system, code, display)] })
}

fn quantity(value: f64, unit: &str) -> Value {
    if unit.is_empty() {
        json!({ "value": value })
    } else {
        json!({ "value": value, "unit": unit, "system": UCUM, "code": unit })
    }
}

/// `value[x]` (or `dataAbsentReason`), `referenceRange` and `interpretation` of an observation
/// or a component.
fn value_elements(
    m: &mut Map<String, Value>,
    value: Option<&ObsValue>,
    data_absent: Option<&str>,
    low: Option<f64>,
    high: Option<f64>,
    interpretation: Option<Interpretation>,
) {
    let opt_q = |q: &Option<Quantity>| q.as_ref().map(|q| quantity(q.value, &q.unit));
    let mut unit = "";
    match value {
        None => {
            if let Some(r) = data_absent {
                m.insert(
                    "dataAbsentReason".into(),
                    concept(DATA_ABSENT_REASON, r, ""),
                );
            }
        }
        Some(ObsValue::Quantity { value, unit: u }) => {
            unit = u;
            m.insert("valueQuantity".into(), quantity(*value, u));
        }
        Some(ObsValue::Text { text }) => {
            m.insert("valueString".into(), s(text));
        }
        Some(ObsValue::Coded {
            system,
            code,
            display,
        }) => {
            let v = if code.is_empty() {
                json!({ "text": display })
            } else {
                let mut cc = Map::new();
                cc.insert("coding".into(), json!([coding(system, code, display)]));
                if !display.is_empty() {
                    cc.insert("text".into(), s(display));
                }
                Value::Object(cc)
            };
            m.insert("valueCodeableConcept".into(), v);
        }
        Some(ObsValue::Boolean { value }) => {
            m.insert("valueBoolean".into(), Value::Bool(*value));
        }
        Some(ObsValue::Integer { value }) => {
            m.insert("valueInteger".into(), json!(value));
        }
        Some(ObsValue::Range { low, high }) => {
            let mut r = Map::new();
            if let Some(l) = opt_q(low) {
                r.insert("low".into(), l);
            }
            if let Some(h) = opt_q(high) {
                r.insert("high".into(), h);
            }
            m.insert("valueRange".into(), Value::Object(r));
        }
        Some(ObsValue::Ratio {
            numerator,
            denominator,
        }) => {
            let mut r = Map::new();
            if let Some(n) = opt_q(numerator) {
                r.insert("numerator".into(), n);
            }
            if let Some(d) = opt_q(denominator) {
                r.insert("denominator".into(), d);
            }
            m.insert("valueRatio".into(), Value::Object(r));
        }
        Some(ObsValue::SampledData {
            origin,
            period_ms,
            factor,
            lower_limit,
            upper_limit,
            dimensions,
            data,
        }) => {
            let mut d = Map::new();
            d.insert("origin".into(), quantity(origin.value, &origin.unit));
            d.insert("period".into(), json!(period_ms));
            for (k, v) in [
                ("factor", factor),
                ("lowerLimit", lower_limit),
                ("upperLimit", upper_limit),
            ] {
                if let Some(v) = v {
                    d.insert(k.into(), json!(v));
                }
            }
            d.insert("dimensions".into(), json!(dimensions));
            if !data.is_empty() {
                d.insert("data".into(), s(data));
            }
            m.insert("valueSampledData".into(), Value::Object(d));
        }
        Some(ObsValue::Time { time }) => {
            m.insert("valueTime".into(), s(time));
        }
        Some(ObsValue::DateTime { at }) => {
            m.insert("valueDateTime".into(), s(&format_ms(*at)));
        }
        Some(ObsValue::Period { start, end }) => {
            let mut p = Map::new();
            if let Some(t) = start {
                p.insert("start".into(), s(&format_ms(*t)));
            }
            if let Some(t) = end {
                p.insert("end".into(), s(&format_ms(*t)));
            }
            m.insert("valuePeriod".into(), Value::Object(p));
        }
    }
    if low.is_some() || high.is_some() {
        let mut r = Map::new();
        if let Some(l) = low {
            r.insert("low".into(), quantity(l, unit));
        }
        if let Some(h) = high {
            r.insert("high".into(), quantity(h, unit));
        }
        m.insert("referenceRange".into(), json!([r]));
    }
    if let Some(i) = interpretation {
        m.insert(
            "interpretation".into(),
            json!([{ "coding": [{ "system": OBSERVATION_INTERPRETATION, "code": i.as_str() }] }]),
        );
    }
}

struct Writer {
    patient_ref: String,
    /// (source id of an exported Encounter, its reference in the Bundle)
    encounters: Vec<(String, String)>,
}

impl Writer {
    fn encounter_ref(&self, r: &Reference) -> Value {
        let mapped = r.local_id().and_then(|id| {
            self.encounters
                .iter()
                .find(|(src, _)| src == id)
                .map(|(_, to)| to.clone())
        });
        json!({ "reference": mapped.unwrap_or_else(|| r.to_fhir()) })
    }

    fn base(
        &self,
        rt: &str,
        id: &str,
        ids: &[(String, String)],
        subject_key: &str,
        encounter_key: &str,
        encounter: Option<&Reference>,
    ) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("resourceType".into(), s(rt));
        m.insert("id".into(), s(id));
        if let Some(v) = identifiers(ids, None) {
            m.insert("identifier".into(), v);
        }
        m.insert(subject_key.into(), json!({ "reference": self.patient_ref }));
        if let Some(e) = encounter {
            m.insert(encounter_key.into(), self.encounter_ref(e));
        }
        m
    }

    fn encounter(&self, x: &Sourced<Encounter>, id: &str) -> Value {
        let mut m = self.base("Encounter", id, &x.identifiers, "subject", "", None);
        let e = &x.record;
        m.insert("status".into(), s(e.status.as_str()));
        m.insert(
            "class".into(),
            json!({ "system": V3_ACT_CODE, "code": e.class.as_str() }),
        );
        let mut period = Map::new();
        period.insert("start".into(), s(&format_ms(e.start)));
        if let Some(end) = e.end {
            period.insert("end".into(), s(&format_ms(end)));
        }
        m.insert("period".into(), Value::Object(period));
        if !e.reason.is_empty() {
            m.insert("reasonCode".into(), json!([{ "text": e.reason }]));
        }
        Value::Object(m)
    }

    /// One Observation from one record: status, categories, code, time, `value[x]` of any
    /// kind (or `dataAbsentReason`), range, interpretation, components and `hasMember`.
    fn observation(&self, x: &Sourced<Observation, ObservationExtra>, id: &str) -> Value {
        let mut m = self.base(
            "Observation",
            id,
            &x.identifiers,
            "subject",
            "encounter",
            x.encounter.as_ref(),
        );
        let o = &x.record;
        m.insert("status".into(), s(o.status.as_str()));
        if !o.category.is_empty() {
            let cats: Vec<Value> = o
                .category
                .iter()
                .map(|c| json!({ "coding": [{ "system": OBSERVATION_CATEGORY, "code": c.as_str() }] }))
                .collect();
            m.insert("category".into(), Value::Array(cats));
        }
        m.insert("code".into(), concept(LOINC, &o.code, &o.display));
        m.insert("effectiveDateTime".into(), s(&format_ms(o.effective_at)));
        value_elements(
            &mut m,
            o.value.as_ref(),
            o.data_absent.as_deref(),
            o.reference_low,
            o.reference_high,
            o.interpretation,
        );
        if !x.extra.has_member.is_empty() {
            let members: Vec<Value> = x
                .extra
                .has_member
                .iter()
                .map(|r| json!({ "reference": r.to_fhir() }))
                .collect();
            m.insert("hasMember".into(), Value::Array(members));
        }
        if !o.components.is_empty() {
            let comps: Vec<Value> = o
                .components
                .iter()
                .map(|c| {
                    let mut cm = Map::new();
                    cm.insert("code".into(), concept(LOINC, &c.code, &c.display));
                    value_elements(
                        &mut cm,
                        c.value.as_ref(),
                        c.data_absent.as_deref(),
                        c.reference_low,
                        c.reference_high,
                        c.interpretation,
                    );
                    Value::Object(cm)
                })
                .collect();
            m.insert("component".into(), Value::Array(comps));
        }
        Value::Object(m)
    }

    fn condition(&self, x: &Sourced<Condition, ConditionExtra>, id: &str) -> Value {
        let mut m = self.base(
            "Condition",
            id,
            &x.identifiers,
            "subject",
            "encounter",
            x.encounter.as_ref(),
        );
        let c = &x.record;
        m.insert(
            "clinicalStatus".into(),
            concept(CONDITION_CLINICAL, c.clinical_status.as_str(), ""),
        );
        m.insert("code".into(), concept(&c.system, &c.code, &c.display));
        if let Some(o) = &c.onset {
            m.insert("onsetDateTime".into(), s(o));
        }
        if let Some(a) = &x.extra.abatement {
            m.insert("abatementDateTime".into(), s(a));
        }
        Value::Object(m)
    }

    fn medication(&self, w: &Sourced<MedicationStatement>, id: &str) -> Value {
        let mut m = self.base(
            "MedicationStatement",
            id,
            &w.identifiers,
            "subject",
            "context",
            w.encounter.as_ref(),
        );
        let x = &w.record;
        m.insert("status".into(), s(x.status.as_str()));
        let med = if x.code.is_empty() {
            json!({ "text": x.display })
        } else {
            concept(RXNORM, &x.code, &x.display)
        };
        m.insert("medicationCodeableConcept".into(), med);
        if x.start.is_some() || x.end.is_some() {
            let mut p = Map::new();
            if let Some(st) = &x.start {
                p.insert("start".into(), s(st));
            }
            if let Some(e) = &x.end {
                p.insert("end".into(), s(e));
            }
            m.insert("effectivePeriod".into(), Value::Object(p));
        }
        let mut d = Map::new();
        if !x.frequency.is_empty() {
            d.insert("timing".into(), json!({ "code": { "text": x.frequency } }));
        }
        let route = ROUTES.iter().find(|(r, _, _)| *r == x.route).map_or_else(
            || json!({ "text": x.route.as_str() }),
            |(_, code, display)| concept(SNOMED, code, display),
        );
        d.insert("route".into(), route);
        if let Some(v) = x.dose_value {
            let unit = x.dose_unit.as_deref().unwrap_or("1");
            d.insert(
                "doseAndRate".into(),
                json!([{ "doseQuantity": quantity(v, unit) }]),
            );
        }
        m.insert("dosage".into(), json!([d]));
        Value::Object(m)
    }

    fn allergy(&self, x: &Sourced<AllergyIntolerance, AllergyExtra>, id: &str) -> Value {
        let mut m = self.base(
            "AllergyIntolerance",
            id,
            &x.identifiers,
            "patient",
            "encounter",
            x.encounter.as_ref(),
        );
        let a = &x.record;
        if let Some(c) = &x.extra.clinical_status {
            m.insert("clinicalStatus".into(), concept(ALLERGY_CLINICAL, c, ""));
        }
        m.insert("criticality".into(), s(a.criticality.as_str()));
        m.insert("code".into(), concept(&a.system, &a.code, &a.display));
        if let Some(r) = x.recorded() {
            m.insert("recordedDate".into(), s(r));
        }
        if let Some(r) = &a.reaction {
            m.insert(
                "reaction".into(),
                json!([{ "manifestation": [{ "text": r }] }]),
            );
        }
        Value::Object(m)
    }

    fn procedure(&self, x: &Sourced<Procedure>, id: &str) -> Value {
        let mut m = self.base(
            "Procedure",
            id,
            &x.identifiers,
            "subject",
            "encounter",
            x.encounter.as_ref(),
        );
        let p = &x.record;
        m.insert("status".into(), s(p.status.as_str()));
        m.insert("code".into(), concept(&p.system, &p.code, &p.display));
        m.insert("performedDateTime".into(), s(&format_ms(p.performed_at)));
        Value::Object(m)
    }

    fn immunization(&self, x: &Sourced<Immunization>, id: &str) -> Value {
        let mut m = self.base(
            "Immunization",
            id,
            &x.identifiers,
            "patient",
            "encounter",
            x.encounter.as_ref(),
        );
        let i = &x.record;
        m.insert("status".into(), s(i.status.as_str()));
        m.insert("vaccineCode".into(), concept(CVX, &i.code, &i.display));
        m.insert("occurrenceDateTime".into(), s(&i.date));
        Value::Object(m)
    }
}

/// The Patient resource for `x` with id `patient_id`.
pub fn patient_resource(x: &SourcedPatient, patient_id: &str) -> Value {
    let mut m = Map::new();
    m.insert("resourceType".into(), s("Patient"));
    m.insert("id".into(), s(patient_id));
    if let Some(v) = identifiers(&x.identifiers, x.mrn()) {
        m.insert("identifier".into(), v);
    }
    let p = &x.record;
    let mut name = Map::new();
    name.insert("use".into(), s("official"));
    name.insert("family".into(), s(&p.family));
    if !p.given.is_empty() {
        name.insert("given".into(), json!(p.given));
    }
    m.insert("name".into(), json!([name]));
    let mut telecom = Vec::new();
    if let Some(ph) = &p.phone {
        telecom.push(json!({ "system": "phone", "value": ph }));
    }
    if let Some(e) = &p.email {
        telecom.push(json!({ "system": "email", "value": e }));
    }
    if !telecom.is_empty() {
        m.insert("telecom".into(), Value::Array(telecom));
    }
    m.insert("gender".into(), s(p.sex.as_str()));
    m.insert("birthDate".into(), s(&p.birth_date));
    match x.deceased {
        Some(Deceased::Flag(b)) => {
            m.insert("deceasedBoolean".into(), Value::Bool(b));
        }
        Some(Deceased::At(ms)) => {
            m.insert("deceasedDateTime".into(), s(&format_ms(ms)));
        }
        None => {}
    }
    if let Some(a) = &p.address {
        let mut am = Map::new();
        am.insert("use".into(), s("home"));
        if !a.lines.is_empty() {
            am.insert("line".into(), json!(a.lines));
        }
        for (k, v) in [
            ("city", &a.city),
            ("state", &a.state),
            ("postalCode", &a.postal_code),
            ("country", &a.country),
        ] {
            if !v.is_empty() {
                am.insert(k.into(), s(v));
            }
        }
        m.insert("address".into(), json!([am]));
    }
    if let Some(ms) = &x.marital_status {
        let v = if MARITAL.contains(&ms.as_str()) {
            json!({ "coding": [{ "system": V3_MARITAL_STATUS, "code": ms }] })
        } else {
            json!({ "text": ms })
        };
        m.insert("maritalStatus".into(), v);
    }
    Value::Object(m)
}

/// A `collection` Bundle with the patient and every clinical item (see the module docs).
pub fn export_bundle(patient: &SourcedPatient, patient_id: &str, items: &[Normalized]) -> Value {
    let ids: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            it.source_id()
                .map_or_else(|| derived_id(patient_id, i), str::to_string)
        })
        .collect();
    let w = Writer {
        patient_ref: local_ref("Patient", patient_id),
        encounters: items
            .iter()
            .zip(&ids)
            .filter(|(it, _)| matches!(it, Normalized::Encounter(_)))
            .map(|(_, id)| (id.clone(), local_ref("Encounter", id)))
            .collect(),
    };
    let mut entries = vec![entry(patient_resource(patient, patient_id))];
    for (it, id) in items.iter().zip(&ids) {
        let resources = match it {
            Normalized::Patient(_) | Normalized::Other { .. } => Vec::new(),
            Normalized::Encounter(e) => vec![w.encounter(e, id)],
            Normalized::Observation(o) => vec![w.observation(o, id)],
            Normalized::Condition(c) => vec![w.condition(c, id)],
            Normalized::Medication(m) => vec![w.medication(m, id)],
            Normalized::Allergy(a) => vec![w.allergy(a, id)],
            Normalized::Procedure(p) => vec![w.procedure(p, id)],
            Normalized::Immunization(x) => vec![w.immunization(x, id)],
        };
        entries.extend(resources.into_iter().map(entry));
    }
    json!({ "resourceType": "Bundle", "type": "collection", "entry": entries })
}

fn entry(resource: Value) -> Value {
    let id = resource["id"].as_str().unwrap_or_default().to_string();
    let mut m = Map::new();
    if let Some(u) = uuid_url(&id) {
        m.insert("fullUrl".into(), s(&u));
    }
    m.insert("resource".into(), resource);
    Value::Object(m)
}
