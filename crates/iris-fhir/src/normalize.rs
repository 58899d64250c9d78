//! Validation and normalization of single resources into the record model of Iris
//! (`iris_record`), each wrapped with what FHIR says around it ([`Sourced`],
//! [`SourcedPatient`]).
//!
//! See the crate documentation for what each type requires and how values are mapped.

use iris_record::{
    Address, AllergyIntolerance, ClinicalStatus, Condition, Criticality, Encounter, EncounterClass,
    EncounterStatus, Immunization, ImmunizationStatus, Interpretation, MedicationStatement,
    MedicationStatus, ObsCategory, ObsValue, Observation, ObservationStatus, PatientRecord,
    Procedure, ProcedureStatus, Route, Sex,
};
use serde::{Deserialize, Serialize};

use crate::codes::*;
use crate::model::{self, CodeableConcept, Coding, Field, Identifier};
use crate::reference::{Reference, parse_reference};
use crate::time::{DateError, date_of, parse_date, parse_datetime_ms};

/// A validation problem. `reason` is one of a fixed set of texts and never quotes a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// `Observation.valueQuantity.value`, `Condition.code.coding[1].code`, or `$…` when the
    /// resource type itself is unknown.
    pub path: String,
    pub reason: String,
}

impl Issue {
    /// The same issue with its path re-rooted at `prefix` (e.g. `$.entry[3].resource`):
    /// `Observation.code` becomes `$.entry[3].resource.code`.
    pub fn rooted_at(self, prefix: &str) -> Issue {
        let rest = if let Some(r) = self.path.strip_prefix('$') {
            r
        } else {
            self.path.find(['.', '[']).map_or("", |i| &self.path[i..])
        };
        Issue {
            path: format!("{prefix}{rest}"),
            reason: self.reason,
        }
    }
}

/// `Patient.deceased[x]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deceased {
    Flag(bool),
    /// Unix ms.
    At(i64),
}

/// A clinical record as FHIR carries it: the record itself, in the one record model of Iris
/// (`iris_record`), and what the resource says around it. None of the wrapper is part of the
/// stored record: the vault keys an imported record by its source and files it under the
/// patient it resolves `subject` to, and keeps neither identifiers nor encounter links today.
/// `extra` is what a kind knows beyond that ([`ObservationExtra`], [`ConditionExtra`],
/// [`AllergyExtra`], [`ProcedureExtra`]; `()` for encounters, medications and immunizations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T, X = ()> {
    /// The resource's `id` (on export: the Iris record id).
    pub source_id: Option<String>,
    /// Every identifier with a value, as `(system, value)` (`system` empty when absent).
    pub identifiers: Vec<(String, String)>,
    /// The patient: `subject`, or `patient` (AllergyIntolerance, Immunization).
    pub subject: Reference,
    /// `encounter` (`context` of a MedicationStatement); always `None` for an Encounter.
    pub encounter: Option<Reference>,
    pub record: T,
    pub extra: X,
}

/// What an Observation says beyond [`Observation`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObservationExtra {
    /// The LOINC code of the panel this value was a component of (`85354-9` for the systolic
    /// and diastolic values of a blood-pressure panel). Not stored: the vault keeps each
    /// component as an observation of its own (its source says which panel it came from).
    pub panel: Option<String>,
}

/// What a Condition says beyond [`Condition`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConditionExtra {
    /// `abatementDateTime` as `YYYY-MM-DD`. Not stored: the vault keeps the clinical status
    /// (`resolved` when abated without one), not when it ended.
    pub abatement: Option<String>,
}

/// What an AllergyIntolerance says beyond [`AllergyIntolerance`]. Its `record.recorded` is
/// `recordedDate`, else `onsetDateTime` (`YYYY-MM-DD`), and empty when neither gives a full
/// date ([`Sourced::recorded`]); the importer then records it on the day of the import.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AllergyExtra {
    /// active | inactive | resolved. Not stored: the vault lists allergies without a status.
    pub clinical_status: Option<String>,
}

/// What a Procedure says beyond [`Procedure`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureExtra {
    /// Whether `performed[x]` gave a time. FHIR may leave it out; the vault requires it (the
    /// importer quarantines a procedure without one). When false, `record.performed_at` is
    /// [`i64::MIN`], which the record's own check refuses ([`Sourced::performed_at`]).
    pub performed: bool,
}

/// A Patient resource: the identifying record and what FHIR says beyond it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcedPatient {
    /// The resource's `id` (on export: the Iris patient id).
    pub source_id: Option<String>,
    /// Every identifier with a value, as `(system, value)` (`system` empty when absent): MRN,
    /// SSN, driver's licence, passport, insurance numbers … all of them (the vault stores
    /// them next to the record).
    pub identifiers: Vec<(String, String)>,
    /// `mrn` is the identifier typed `MR` (v2-0203), else the first identifier's value, and
    /// empty when there is none ([`SourcedPatient::mrn`]; the importer then uses the source).
    /// `pregnancy` is not read from FHIR: always `None`.
    pub record: PatientRecord,
    /// `deceased[x]`. Not stored by the vault today.
    pub deceased: Option<Deceased>,
    /// v3 MaritalStatus code (or the text when there is no coding). Not stored by the vault
    /// today.
    pub marital_status: Option<String>,
}

impl SourcedPatient {
    /// The MRN, when the resource has one.
    pub fn mrn(&self) -> Option<&str> {
        Some(self.record.mrn.as_str()).filter(|m| !m.is_empty())
    }
}

impl Sourced<AllergyIntolerance, AllergyExtra> {
    /// The recorded date, when the resource gives one.
    pub fn recorded(&self) -> Option<&str> {
        Some(self.record.recorded.as_str()).filter(|r| !r.is_empty())
    }
}

impl Sourced<Procedure, ProcedureExtra> {
    /// When it was performed (Unix ms), when the resource says.
    pub fn performed_at(&self) -> Option<i64> {
        self.extra.performed.then_some(self.record.performed_at)
    }
}

/// A normalized resource.
#[derive(Debug, Clone, PartialEq)]
pub enum Normalized {
    Patient(SourcedPatient),
    Encounter(Sourced<Encounter>),
    /// Usually one; a blood-pressure panel (or any component panel) gives one per component,
    /// and a panel that only groups other Observations (`hasMember`) gives none.
    Observation(Vec<Sourced<Observation, ObservationExtra>>),
    Condition(Sourced<Condition, ConditionExtra>),
    /// From a MedicationRequest or a MedicationStatement.
    Medication(Sourced<MedicationStatement>),
    Allergy(Sourced<AllergyIntolerance, AllergyExtra>),
    Procedure(Sourced<Procedure, ProcedureExtra>),
    Immunization(Sourced<Immunization>),
    /// A resource type this crate does not normalize (kept raw by the reader).
    Other {
        resource_type: String,
        /// Its `subject` or `patient` reference, when it has one.
        patient: Option<Reference>,
    },
}

impl Normalized {
    /// The patient a clinical item belongs to (`None` for a Patient).
    pub fn subject(&self) -> Option<&Reference> {
        match self {
            Normalized::Patient(_) => None,
            Normalized::Encounter(x) => Some(&x.subject),
            Normalized::Observation(v) => v.first().map(|o| &o.subject),
            Normalized::Condition(x) => Some(&x.subject),
            Normalized::Medication(x) => Some(&x.subject),
            Normalized::Allergy(x) => Some(&x.subject),
            Normalized::Procedure(x) => Some(&x.subject),
            Normalized::Immunization(x) => Some(&x.subject),
            Normalized::Other { patient, .. } => patient.as_ref(),
        }
    }

    /// The source resource's id.
    pub fn source_id(&self) -> Option<&str> {
        match self {
            Normalized::Patient(x) => x.source_id.as_deref(),
            Normalized::Encounter(x) => x.source_id.as_deref(),
            Normalized::Observation(v) => v.first().and_then(|o| o.source_id.as_deref()),
            Normalized::Condition(x) => x.source_id.as_deref(),
            Normalized::Medication(x) => x.source_id.as_deref(),
            Normalized::Allergy(x) => x.source_id.as_deref(),
            Normalized::Procedure(x) => x.source_id.as_deref(),
            Normalized::Immunization(x) => x.source_id.as_deref(),
            Normalized::Other { .. } => None,
        }
    }
}

/// Validates and normalizes one resource given as JSON text.
pub fn normalize(json: &str) -> Result<Normalized, Vec<Issue>> {
    if !json.trim_start().starts_with('{') {
        return Err(vec![issue("$", "resource is not a JSON object")]);
    }
    let head: model::Head = match serde_json::from_str(json) {
        Ok(h) => h,
        Err(_) => {
            return Err(vec![issue(
                "$",
                "resource is not a JSON object without duplicate members",
            )]);
        }
    };
    let rt = match &head.resource_type {
        Field::Present(t) if resource_type_valid(t) => t.as_str(),
        Field::Absent => return Err(vec![issue("$.resourceType", "missing")]),
        _ => {
            return Err(vec![issue(
                "$.resourceType",
                "not a FHIR resource type name",
            )]);
        }
    };
    fn parse<'a, T: Deserialize<'a>>(json: &'a str, rt: &str) -> Result<T, Vec<Issue>> {
        serde_json::from_str(json).map_err(|_| {
            vec![issue(
                rt,
                "resource has a member twice or is not a JSON object",
            )]
        })
    }
    let mut ck = Ck {
        root: rt.to_string(),
        issues: Vec::new(),
    };
    let out = match rt {
        "Patient" => ck.patient(&parse(json, rt)?).map(Normalized::Patient),
        "Encounter" => ck
            .encounter_resource(&parse(json, rt)?)
            .map(Normalized::Encounter),
        "Observation" => ck
            .observation(&parse(json, rt)?)
            .map(Normalized::Observation),
        "Condition" => ck.condition(&parse(json, rt)?).map(Normalized::Condition),
        "MedicationRequest" => ck
            .medication_request(&parse(json, rt)?)
            .map(Normalized::Medication),
        "MedicationStatement" => ck
            .medication_statement(&parse(json, rt)?)
            .map(Normalized::Medication),
        "AllergyIntolerance" => ck.allergy(&parse(json, rt)?).map(Normalized::Allergy),
        "Procedure" => ck.procedure(&parse(json, rt)?).map(Normalized::Procedure),
        "Immunization" => ck
            .immunization(&parse(json, rt)?)
            .map(Normalized::Immunization),
        _ => {
            let link: model::PatientLink = parse(json, rt)?;
            let r = |f: &Field<model::Reference>| {
                f.get()
                    .and_then(|r| r.reference.get())
                    .map(|s| parse_reference(s))
            };
            Some(Normalized::Other {
                resource_type: rt.to_string(),
                patient: r(&link.subject).or_else(|| r(&link.patient)),
            })
        }
    };
    if let Field::Present(id) = &head.id
        && !id_valid(id)
    {
        ck.add(".id", "not a valid FHIR id");
    }
    if head.id.is_invalid() {
        ck.add(".id", "must be a string");
    }
    match out {
        Some(n) if ck.issues.is_empty() => Ok(n),
        _ => {
            if ck.issues.is_empty() {
                ck.add("", "resource could not be normalized");
            }
            Err(ck.issues)
        }
    }
}

/// [`normalize`] of a parsed JSON value.
pub fn normalize_value(v: &serde_json::Value) -> Result<Normalized, Vec<Issue>> {
    normalize(&v.to_string())
}

fn issue(path: &str, reason: &str) -> Issue {
    Issue {
        path: path.to_string(),
        reason: reason.to_string(),
    }
}

/// Vital-sign LOINC codes (FHIR vital-signs profile), for Observations without a category.
const VITAL_SIGNS: &[&str] = &[
    "85353-1", "85354-9", "8480-6", "8462-4", "8867-4", "9279-1", "8310-5", "8302-2", "29463-7",
    "39156-5", "59408-5", "2708-6", "9843-4", "8478-0", "8287-5", "3141-9",
];

const OBS_CATEGORIES: &[ObsCategory] = &[
    ObsCategory::VitalSigns,
    ObsCategory::Laboratory,
    ObsCategory::Survey,
    ObsCategory::SocialHistory,
    ObsCategory::Exam,
];

/// SNOMED CT route codes and the Iris route each maps to; the first of a route is written back.
pub const ROUTES: &[(Route, &str, &str)] = &[
    (Route::Oral, "26643006", "Oral route"),
    (Route::Sublingual, "37839007", "Sublingual route"),
    (Route::Intravenous, "47625008", "Intravenous route"),
    (Route::Intramuscular, "78421000", "Intramuscular route"),
    (Route::Subcutaneous, "34206005", "Subcutaneous route"),
    (Route::Inhalation, "447694001", "Respiratory tract route"),
    (Route::Inhalation, "18679011000001101", "Inhalation"),
    (Route::Topical, "6064005", "Topical route"),
    (Route::Transdermal, "45890007", "Transdermal route"),
    (Route::Rectal, "37161004", "Rectal route"),
    (Route::Nasal, "46713006", "Nasal route"),
    (Route::Ophthalmic, "54485002", "Ophthalmic route"),
    (Route::Otic, "10547007", "Otic route"),
];

/// Route from free text or a local code: the first word that names one.
pub fn route_from_text(text: &str) -> Option<Route> {
    let lower = text.to_ascii_lowercase();
    for w in lower.split(|c: char| !c.is_ascii_alphanumeric()) {
        let r = match w {
            "oral" | "mouth" | "po" | "orally" | "peroral" => Route::Oral,
            "sublingual" | "sl" | "sublingually" => Route::Sublingual,
            "intravenous" | "iv" | "intravenously" => Route::Intravenous,
            "intramuscular" | "im" | "intramuscularly" => Route::Intramuscular,
            "subcutaneous" | "subcut" | "sc" | "sq" | "subq" | "subcutaneously" => {
                Route::Subcutaneous
            }
            "inhalation" | "inhaled" | "inhal" | "inh" | "respiratory" | "nebulized" | "ipinhl"
            | "nasinhl" | "oralinh" => Route::Inhalation,
            "topical" | "cutaneous" | "topically" | "skin" => Route::Topical,
            "transdermal" | "patch" | "transderm" => Route::Transdermal,
            "rectal" | "pr" | "rectally" => Route::Rectal,
            "nasal" | "intranasal" | "nasally" | "nas" => Route::Nasal,
            "ophthalmic" | "ocular" | "eye" | "oph" => Route::Ophthalmic,
            "otic" | "ear" | "auricular" => Route::Otic,
            "other" => Route::Other,
            _ => continue,
        };
        return Some(r);
    }
    None
}

/// The words written for a `Timing.repeat` (`1 per 1 d` → "once daily").
pub fn frequency_text(freq: i64, period: f64, unit: &str) -> String {
    let unit_word = match unit {
        "s" => "second",
        "min" => "minute",
        "h" => "hour",
        "d" => "day",
        "wk" => "week",
        "mo" => "month",
        "a" => "year",
        _ => "",
    };
    if period == 1.0 {
        let times = match freq {
            1 => "once".to_string(),
            2 => "twice".to_string(),
            3 => "three times".to_string(),
            4 => "four times".to_string(),
            n => format!("{n} times"),
        };
        let every = match unit {
            "d" => "daily".to_string(),
            "wk" => "weekly".to_string(),
            "mo" => "monthly".to_string(),
            "a" => "yearly".to_string(),
            _ => format!("per {unit_word}"),
        };
        return format!("{times} {every}");
    }
    let p = if period.fract() == 0.0 {
        format!("{}", period as i64)
    } else {
        format!("{period}")
    };
    if freq == 1 {
        format!("every {p} {unit_word}s")
    } else {
        format!("{freq} times every {p} {unit_word}s")
    }
}

fn interpretation_code(c: &str) -> Option<Interpretation> {
    Some(match c {
        "N" => Interpretation::Normal,
        "L" => Interpretation::Low,
        "H" => Interpretation::High,
        "LL" | "LU" => Interpretation::CriticalLow,
        "HH" | "HU" => Interpretation::CriticalHigh,
        "A" | "AA" => Interpretation::Abnormal,
        _ => return None,
    })
}

enum Pick {
    Found {
        system: &'static str,
        code: String,
        display: String,
    },
    /// A coding of an accepted system whose code failed its check (issue recorded).
    Bad,
    /// No coding of an accepted system.
    NoneOf,
}

type Checker = (&'static str, fn(&str) -> bool, &'static str);

const LOINC_CHECK: Checker = (
    LOINC,
    loinc_valid,
    "invalid LOINC code (format or check digit)",
);
const SNOMED_CHECK: Checker = (
    SNOMED,
    snomed_valid,
    "invalid SNOMED CT code (format or Verhoeff check digit)",
);
const ICD10_CHECK: Checker = (ICD10CM, icd10cm_valid, "invalid ICD-10-CM code format");
const RXNORM_CHECK: Checker = (RXNORM, rxnorm_valid, "invalid RxNorm code (1-8 digits)");
const CVX_CHECK: Checker = (CVX, cvx_valid, "invalid CVX code (1-3 digits)");
const CPT_CHECK: Checker = (CPT, cpt_valid, "invalid CPT code format");

struct Ck {
    root: String,
    issues: Vec<Issue>,
}

impl Ck {
    fn add(&mut self, path: &str, reason: &'static str) {
        self.issues.push(Issue {
            path: format!("{}{path}", self.root),
            reason: reason.to_string(),
        });
    }

    fn text(&mut self, f: &Field<String>, path: &str) -> Option<String> {
        match f {
            Field::Absent => None,
            Field::Invalid => {
                self.add(path, "must be a string");
                None
            }
            Field::Present(s) => {
                let t = s.trim();
                (!t.is_empty()).then(|| t.to_string())
            }
        }
    }

    fn obj<'a, T>(&mut self, f: &'a Field<T>, path: &str) -> Option<&'a T> {
        if f.is_invalid() {
            self.add(path, "wrong JSON type");
        }
        f.get()
    }

    fn arr<'a, T>(&mut self, f: &'a Field<Vec<T>>, path: &str) -> &'a [T] {
        if f.is_invalid() {
            self.add(path, "must be an array of objects of the right type");
        }
        f.items()
    }

    fn num(&mut self, f: &Field<f64>, path: &str) -> Option<f64> {
        if f.is_invalid() {
            self.add(path, "must be a number");
        }
        f.get().copied()
    }

    fn codings<'a>(&mut self, cc: &'a CodeableConcept, path: &str) -> &'a [Coding] {
        self.arr(&cc.coding, &format!("{path}.coding"))
    }

    /// The first coding of an accepted system. Every coding of an accepted system must pass
    /// its check: one that does not is an issue even when another one passes.
    fn pick(&mut self, cc: &CodeableConcept, path: &str, accepted: &[Checker]) -> Pick {
        let mut found = None;
        let mut bad = false;
        let codings = self.codings(cc, path);
        for (i, c) in codings.iter().enumerate() {
            let sys = self.text(&c.system, &format!("{path}.coding[{i}].system"));
            let Some(&(system, check, reason)) =
                accepted.iter().find(|(s, _, _)| sys.as_deref() == Some(*s))
            else {
                continue;
            };
            let cpath = format!("{path}.coding[{i}].code");
            match self.text(&c.code, &cpath) {
                Some(code) if check(&code) => {
                    if found.is_none() {
                        let display = self
                            .text(&c.display, &format!("{path}.coding[{i}].display"))
                            .or_else(|| self.text(&cc.text, &format!("{path}.text")))
                            .unwrap_or_default();
                        found = Some(Pick::Found {
                            system,
                            code,
                            display,
                        });
                    }
                }
                Some(_) => {
                    self.add(&cpath, reason);
                    bad = true;
                }
                None => {
                    if !c.code.is_invalid() {
                        self.add(&cpath, "missing");
                    }
                    bad = true;
                }
            }
        }
        match found {
            _ if bad => Pick::Bad,
            Some(f) => f,
            None => Pick::NoneOf,
        }
    }

    /// A required coded element.
    fn coded(
        &mut self,
        f: &Field<CodeableConcept>,
        path: &str,
        accepted: &[Checker],
        none_reason: &'static str,
    ) -> Option<(&'static str, String, String)> {
        let Some(cc) = self.obj(f, path) else {
            if f.is_absent() {
                self.add(path, "missing");
            }
            return None;
        };
        match self.pick(cc, path, accepted) {
            Pick::Found {
                system,
                code,
                display,
            } => Some((system, code, display)),
            Pick::Bad => None,
            Pick::NoneOf => {
                self.add(path, none_reason);
                None
            }
        }
    }

    /// The codes of a CodeableConcept's codings (any system).
    fn codes_of(&mut self, f: &Field<CodeableConcept>, path: &str) -> Vec<String> {
        let Some(cc) = self.obj(f, path) else {
            return Vec::new();
        };
        let codings = self.codings(cc, path);
        let mut out = Vec::new();
        for (i, c) in codings.iter().enumerate() {
            if let Some(code) = self.text(&c.code, &format!("{path}.coding[{i}].code")) {
                out.push(code);
            }
        }
        out
    }

    /// Text of a CodeableConcept: `text`, else the first coding's display.
    fn cc_text(&mut self, cc: &CodeableConcept, path: &str) -> Option<String> {
        self.text(&cc.text, &format!("{path}.text")).or_else(|| {
            let codings = self.codings(cc, path);
            codings
                .iter()
                .enumerate()
                .find_map(|(i, c)| self.text(&c.display, &format!("{path}.coding[{i}].display")))
        })
    }

    fn identifiers(&mut self, f: &Field<Vec<Identifier>>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let ids = self.arr(f, ".identifier");
        for (i, id) in ids.iter().enumerate() {
            let p = format!(".identifier[{i}]");
            if let Some(v) = self.text(&id.value, &format!("{p}.value")) {
                let s = self
                    .text(&id.system, &format!("{p}.system"))
                    .unwrap_or_default();
                out.push((s, v));
            }
        }
        out
    }

    fn reference(
        &mut self,
        f: &Field<model::Reference>,
        path: &str,
        expected: &str,
        required: bool,
    ) -> Option<Reference> {
        let r = match f {
            Field::Absent => {
                if required {
                    self.add(path, "missing");
                }
                return None;
            }
            Field::Invalid => {
                self.add(path, "must be a Reference object");
                return None;
            }
            Field::Present(r) => r,
        };
        let rpath = format!("{path}.reference");
        let parsed = match self.text(&r.reference, &rpath) {
            Some(s) => parse_reference(&s),
            None => {
                // A logical reference by identifier.
                let ident = self.obj(&r.identifier, &format!("{path}.identifier"));
                let value =
                    ident.and_then(|i| self.text(&i.value, &format!("{path}.identifier.value")));
                match value {
                    Some(value) => Reference::Conditional {
                        resource_type: self
                            .text(&r.r#type, &format!("{path}.type"))
                            .unwrap_or_else(|| expected.to_string()),
                        system: ident.and_then(|i| {
                            self.text(&i.system, &format!("{path}.identifier.system"))
                        }),
                        value,
                    },
                    None => {
                        if required {
                            self.add(&rpath, "missing");
                        }
                        return None;
                    }
                }
            }
        };
        match &parsed {
            Reference::Other(_) | Reference::Contained(_) if required => {
                self.add(&rpath, "not a reference that can be resolved to a resource");
                return None;
            }
            Reference::Relative { resource_type, .. }
            | Reference::Conditional { resource_type, .. }
                if resource_type != expected =>
            {
                self.add(&rpath, "refers to another resource type");
                return None;
            }
            _ => {}
        }
        Some(parsed)
    }

    fn subject(&mut self, f: &Field<model::Reference>, path: &str) -> Option<Reference> {
        self.reference(f, path, "Patient", true)
    }

    fn encounter(&mut self, f: &Field<model::Reference>, path: &str) -> Option<Reference> {
        self.reference(f, path, "Encounter", false)
    }

    fn datetime(&mut self, f: &Field<String>, path: &str) -> Option<i64> {
        let s = self.text(f, path)?;
        match parse_datetime_ms(&s) {
            Ok(ms) => Some(ms),
            Err(e) => {
                self.add(path, e.reason());
                None
            }
        }
    }

    /// An optional date: a partial date is dropped (no issue), a malformed one is an issue.
    fn opt_date(&mut self, f: &Field<String>, path: &str) -> Option<String> {
        let s = self.text(f, path)?;
        match date_of(&s) {
            Ok(d) => Some(d),
            Err(DateError::Partial) => None,
            Err(e) => {
                self.add(path, e.reason());
                None
            }
        }
    }

    fn required_date(&mut self, f: &Field<String>, path: &str) -> Option<String> {
        if f.is_absent() {
            self.add(path, "missing");
            return None;
        }
        let s = self.text(f, path)?;
        match date_of(&s) {
            Ok(d) => Some(d),
            Err(e) => {
                self.add(path, e.reason());
                None
            }
        }
    }

    fn status<T: Copy>(&mut self, f: &Field<String>, path: &str, map: &[(&str, T)]) -> Option<T> {
        let Some(s) = self.text(f, path) else {
            if !f.is_invalid() {
                self.add(path, "missing");
            }
            return None;
        };
        if s == "entered-in-error" {
            self.add(path, "entered-in-error");
            return None;
        }
        match map.iter().find(|(from, _)| *from == s) {
            Some((_, to)) => Some(*to),
            None => {
                self.add(path, "not a supported status");
                None
            }
        }
    }

    // ---------------------------------------------------------------- resources

    fn patient(&mut self, p: &model::Patient) -> Option<SourcedPatient> {
        let identifiers = self.identifiers(&p.identifier);
        let ids = p.identifier.items();
        let mrn = ids
            .iter()
            .enumerate()
            .find(|(i, id)| {
                let typ = format!(".identifier[{i}].type");
                self.codes_of(&id.r#type, &typ).iter().any(|c| c == "MR")
                    && id.value.get().is_some_and(|v| !v.trim().is_empty())
            })
            .and_then(|(_, id)| id.value.get().map(|v| v.trim().to_string()))
            .or_else(|| identifiers.first().map(|(_, v)| v.clone()));

        let names = self.arr(&p.name, ".name");
        let chosen = ["official", "usual"]
            .iter()
            .find_map(|u| {
                names
                    .iter()
                    .position(|n| n.r#use.get().map(String::as_str) == Some(*u))
            })
            .or_else(|| {
                names.iter().position(|n| {
                    !matches!(
                        n.r#use.get().map(String::as_str),
                        Some("old" | "maiden" | "anonymous")
                    )
                })
            })
            .or(if names.is_empty() { None } else { Some(0) });
        let (family, given) = match chosen {
            None => {
                self.add(".name", "missing");
                (None, Vec::new())
            }
            Some(i) => {
                let n = &names[i];
                let family = self.text(&n.family, &format!(".name[{i}].family"));
                if family.is_none() {
                    self.add(&format!(".name[{i}].family"), "missing");
                }
                let given_f = &n.given;
                let given: Vec<String> = self
                    .arr(given_f, &format!(".name[{i}].given"))
                    .iter()
                    .map(|g| g.trim().to_string())
                    .filter(|g| !g.is_empty())
                    .collect();
                (family, given)
            }
        };
        let birth_date = self.required_date(&p.birth_date, ".birthDate");
        if let Some(b) = &birth_date
            && parse_date(b).is_err()
        {
            self.add(".birthDate", "not a valid FHIR date");
        }
        let sex = match self.text(&p.gender, ".gender").as_deref() {
            None => Sex::Unknown,
            Some(g) => Sex::parse(g).unwrap_or_else(|| {
                self.add(".gender", "not one of male | female | other | unknown");
                Sex::Unknown
            }),
        };
        let addresses = self.arr(&p.address, ".address");
        let ai = addresses
            .iter()
            .position(|a| a.r#use.get().map(String::as_str) == Some("home"))
            .or(if addresses.is_empty() { None } else { Some(0) });
        let address = ai.and_then(|i| {
            let a = &addresses[i];
            let p = format!(".address[{i}]");
            let lines = self
                .arr(&a.line, &format!("{p}.line"))
                .iter()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect();
            let addr = Address {
                lines,
                city: self.text(&a.city, &format!("{p}.city")).unwrap_or_default(),
                state: self
                    .text(&a.state, &format!("{p}.state"))
                    .unwrap_or_default(),
                postal_code: self
                    .text(&a.postal_code, &format!("{p}.postalCode"))
                    .unwrap_or_default(),
                country: self
                    .text(&a.country, &format!("{p}.country"))
                    .unwrap_or_default(),
            };
            let empty = addr.lines.is_empty()
                && [&addr.city, &addr.state, &addr.postal_code, &addr.country]
                    .iter()
                    .all(|s| s.is_empty());
            (!empty).then_some(addr)
        });
        let telecom = self.arr(&p.telecom, ".telecom");
        let mut contact = |system: &str| {
            telecom.iter().enumerate().find_map(|(i, t)| {
                (t.system.get().map(String::as_str) == Some(system))
                    .then(|| self.text(&t.value, &format!(".telecom[{i}].value")))
                    .flatten()
            })
        };
        let phone = contact("phone");
        let email = contact("email");
        if p.deceased_boolean.is_invalid() {
            self.add(".deceasedBoolean", "must be true or false");
        }
        let deceased = match (&p.deceased_boolean, &p.deceased_date_time) {
            (Field::Present(b), _) => Some(Deceased::Flag(*b)),
            (_, Field::Present(s)) => match parse_datetime_ms(s.trim()) {
                Ok(ms) => Some(Deceased::At(ms)),
                // Known to have died, not precisely when.
                Err(DateError::Partial) => Some(Deceased::Flag(true)),
                Err(e) => {
                    self.add(".deceasedDateTime", e.reason());
                    None
                }
            },
            (_, f) => {
                if f.is_invalid() {
                    self.add(".deceasedDateTime", "must be a string");
                }
                None
            }
        };
        let marital_status = self
            .obj(&p.marital_status, ".maritalStatus")
            .and_then(|cc| {
                let codes = self.codes_of(&p.marital_status, ".maritalStatus");
                codes
                    .into_iter()
                    .next()
                    .or_else(|| self.text(&cc.text, ".maritalStatus.text"))
            });
        Some(SourcedPatient {
            source_id: p.id.get().cloned(),
            identifiers,
            record: PatientRecord {
                family: family?,
                given,
                birth_date: birth_date?,
                sex,
                mrn: mrn.unwrap_or_default(),
                address,
                phone,
                email,
                pregnancy: None,
            },
            deceased,
            marital_status,
        })
    }

    fn encounter_resource(&mut self, e: &model::Encounter) -> Option<Sourced<Encounter>> {
        let identifiers = self.identifiers(&e.identifier);
        let subject = self.subject(&e.subject, ".subject");
        let class = match self.obj(&e.class, ".class") {
            None => {
                if e.class.is_absent() {
                    self.add(".class", "missing");
                }
                None
            }
            Some(c) => match self.text(&c.code, ".class.code") {
                None => {
                    self.add(".class.code", "missing");
                    None
                }
                Some(code) => {
                    let m = match code.as_str() {
                        "AMB" | "VR" | "PRENC" | "FLD" | "ambulatory" | "outpatient"
                        | "wellness" | "urgentcare" | "virtual" => Some(EncounterClass::Ambulatory),
                        "EMER" | "emergency" => Some(EncounterClass::Emergency),
                        "IMP" | "ACUTE" | "NONAC" | "SS" | "OBSENC" | "inpatient" => {
                            Some(EncounterClass::Inpatient)
                        }
                        "HH" | "home" => Some(EncounterClass::HomeHealth),
                        _ => None,
                    };
                    if m.is_none() {
                        self.add(".class.code", "not a supported encounter class");
                    }
                    m
                }
            },
        };
        let status = self.status(
            &e.status,
            ".status",
            &[
                ("planned", EncounterStatus::Planned),
                ("arrived", EncounterStatus::InProgress),
                ("triaged", EncounterStatus::InProgress),
                ("in-progress", EncounterStatus::InProgress),
                ("onleave", EncounterStatus::InProgress),
                ("finished", EncounterStatus::Finished),
                ("cancelled", EncounterStatus::Cancelled),
            ],
        );
        let period = self.obj(&e.period, ".period");
        let start = match period {
            Some(p) if !p.start.is_absent() => self.datetime(&p.start, ".period.start"),
            _ => {
                self.add(".period.start", "missing");
                None
            }
        };
        let end = period.and_then(|p| self.datetime(&p.end, ".period.end"));
        let mut reason = None;
        for (i, cc) in self.arr(&e.reason_code, ".reasonCode").iter().enumerate() {
            reason = self.cc_text(cc, &format!(".reasonCode[{i}]"));
            if reason.is_some() {
                break;
            }
        }
        if reason.is_none() {
            for (i, cc) in self.arr(&e.r#type, ".type").iter().enumerate() {
                reason = self.cc_text(cc, &format!(".type[{i}]"));
                if reason.is_some() {
                    break;
                }
            }
        }
        Some(Sourced {
            source_id: e.id.get().cloned(),
            identifiers,
            subject: subject?,
            encounter: None,
            record: Encounter {
                class: class?,
                status: status?,
                start: start?,
                end,
                reason: reason.unwrap_or_default(),
            },
            extra: (),
        })
    }

    fn obs_value(
        &mut self,
        path: &str,
        quantity: &Field<model::Quantity>,
        cc: &Field<CodeableConcept>,
        string: &Field<String>,
        boolean: &Field<bool>,
        integer: &Field<i64>,
    ) -> Option<Option<ObsValue>> {
        if let Some(q) = self.obj(quantity, &format!("{path}.valueQuantity")) {
            let vpath = format!("{path}.valueQuantity.value");
            let value = self.num(&q.value, &vpath);
            if q.value.is_absent() {
                self.add(&vpath, "missing");
            }
            let unit = self
                .text(&q.code, &format!("{path}.valueQuantity.code"))
                .or_else(|| self.text(&q.unit, &format!("{path}.valueQuantity.unit")))
                .unwrap_or_default();
            return Some(value.map(|value| ObsValue::Quantity { value, unit }));
        }
        if let Some(t) = self.text(string, &format!("{path}.valueString")) {
            return Some(Some(ObsValue::Text { text: t }));
        }
        if let Some(c) = self.obj(cc, &format!("{path}.valueCodeableConcept")) {
            let p = format!("{path}.valueCodeableConcept");
            let text = self
                .cc_text(c, &p)
                .or_else(|| self.codes_of(cc, &p).into_iter().next());
            return Some(match text {
                Some(text) => Some(ObsValue::Text { text }),
                None => {
                    self.add(&p, "no text, display or code");
                    None
                }
            });
        }
        if let Some(b) = self.obj(boolean, &format!("{path}.valueBoolean")) {
            return Some(Some(ObsValue::Text {
                text: b.to_string(),
            }));
        }
        if let Some(i) = self.obj(integer, &format!("{path}.valueInteger")) {
            return Some(Some(ObsValue::Quantity {
                value: *i as f64,
                unit: "1".into(),
            }));
        }
        None
    }

    fn range_and_interpretation(
        &mut self,
        path: &str,
        ranges: &Field<Vec<model::ReferenceRange>>,
        interp: &Field<Vec<CodeableConcept>>,
        value: &ObsValue,
    ) -> (Option<f64>, Option<f64>, Option<Interpretation>) {
        let (mut low, mut high) = (None, None);
        let ranges = self.arr(ranges, &format!("{path}.referenceRange"));
        if let Some(r) = ranges.first() {
            let unit = match value {
                ObsValue::Quantity { unit, .. } => Some(unit.as_str()),
                _ => None,
            };
            for (name, q, slot) in [("low", &r.low, &mut low), ("high", &r.high, &mut high)] {
                let qp = format!("{path}.referenceRange[0].{name}");
                if let Some(q) = self.obj(q, &qp) {
                    *slot = self.num(&q.value, &format!("{qp}.value"));
                    let ru = self
                        .text(&q.code, &format!("{qp}.code"))
                        .or_else(|| self.text(&q.unit, &format!("{qp}.unit")));
                    if let (Some(ru), Some(vu)) = (ru, unit)
                        && !vu.is_empty()
                        && ru != vu
                    {
                        self.add(&qp, "unit differs from the value's unit");
                    }
                }
            }
        }
        let mut interpretation = None;
        for (i, cc) in self
            .arr(interp, &format!("{path}.interpretation"))
            .iter()
            .enumerate()
        {
            let codings = self.codings(cc, &format!("{path}.interpretation[{i}]"));
            interpretation = codings
                .iter()
                .find_map(|c| c.code.get().and_then(|c| interpretation_code(c)));
            if interpretation.is_some() {
                break;
            }
        }
        (low, high, interpretation)
    }

    fn observation(
        &mut self,
        o: &model::Observation,
    ) -> Option<Vec<Sourced<Observation, ObservationExtra>>> {
        let identifiers = self.identifiers(&o.identifier);
        if let Some(s) = self.text(&o.status, ".status")
            && matches!(s.as_str(), "entered-in-error" | "cancelled")
        {
            self.add(".status", "entered-in-error or cancelled: no result");
        }
        let subject = self.subject(&o.subject, ".subject");
        let encounter = self.encounter(&o.encounter, ".encounter");
        let code = self.coded(&o.code, ".code", &[LOINC_CHECK], "no LOINC coding");
        let mut category = None;
        for (i, cc) in self.arr(&o.category, ".category").iter().enumerate() {
            let codings = self.codings(cc, &format!(".category[{i}]"));
            category = codings.iter().find_map(|c| {
                c.code
                    .get()
                    .and_then(|c| OBS_CATEGORIES.iter().find(|k| k.as_str() == c.as_str()))
            });
            if category.is_some() {
                break;
            }
        }
        let category = match (category, &code) {
            (Some(c), _) => Some(vec![*c]),
            (None, Some((_, c, _))) if VITAL_SIGNS.contains(&c.as_str()) => {
                Some(vec![ObsCategory::VitalSigns])
            }
            (None, _) => {
                self.add(
                    ".category",
                    "missing or not vital-signs | laboratory | survey | social-history | exam",
                );
                None
            }
        };
        let effective_at = if !o.effective_date_time.is_absent() {
            self.datetime(&o.effective_date_time, ".effectiveDateTime")
        } else if let Some(p) = self.obj(&o.effective_period, ".effectivePeriod") {
            if p.start.is_absent() {
                self.add(".effectivePeriod.start", "missing");
            }
            self.datetime(&p.start, ".effectivePeriod.start")
        } else if !o.effective_instant.is_absent() {
            self.datetime(&o.effective_instant, ".effectiveInstant")
        } else {
            self.add(".effective[x]", "missing");
            None
        };

        let top = self.obs_value(
            "",
            &o.value_quantity,
            &o.value_codeable_concept,
            &o.value_string,
            &o.value_boolean,
            &o.value_integer,
        );
        // (code, display, value, low, high, interpretation)
        let mut parts = Vec::new();
        let mut panel = None;
        match top {
            Some(v) => {
                if let (Some(v), Some((_, c, d))) = (v, &code) {
                    let (l, h, i) = self.range_and_interpretation(
                        "",
                        &o.reference_range,
                        &o.interpretation,
                        &v,
                    );
                    parts.push((c.clone(), d.clone(), v, l, h, i));
                }
            }
            None if !o.component.items().is_empty() || o.component.is_invalid() => {
                panel = code.as_ref().map(|(_, c, _)| c.clone());
                let comps = self.arr(&o.component, ".component");
                for (j, comp) in comps.iter().enumerate() {
                    let p = format!(".component[{j}]");
                    let ccode = self.coded(
                        &comp.code,
                        &format!("{p}.code"),
                        &[LOINC_CHECK],
                        "no LOINC coding",
                    );
                    let v = self.obs_value(
                        &p,
                        &comp.value_quantity,
                        &comp.value_codeable_concept,
                        &comp.value_string,
                        &comp.value_boolean,
                        &comp.value_integer,
                    );
                    // A component without a value (dataAbsentReason) is skipped.
                    if let (Some(Some(v)), Some((_, c, d))) = (v, ccode) {
                        let (l, h, i) = self.range_and_interpretation(
                            &p,
                            &comp.reference_range,
                            &comp.interpretation,
                            &v,
                        );
                        parts.push((c, d, v, l, h, i));
                    }
                }
                if parts.is_empty() && self.issues.is_empty() {
                    self.add(".component", "no component with a value");
                }
            }
            // A grouping panel: its members are Observations of their own.
            None if !o.has_member.items().is_empty() => {}
            None => self.add(".value[x]", "missing"),
        }
        if !self.issues.is_empty() {
            return None;
        }
        let (subject, category, effective_at) = (subject?, category?, effective_at?);
        Some(
            parts
                .into_iter()
                .map(
                    |(code, display, value, low, high, interpretation)| Sourced {
                        source_id: o.id.get().cloned(),
                        identifiers: identifiers.clone(),
                        subject: subject.clone(),
                        encounter: encounter.clone(),
                        record: Observation {
                            code,
                            display,
                            status: ObservationStatus::Final,
                            category: category.clone(),
                            value: Some(value),
                            data_absent: None,
                            components: Vec::new(),
                            reference_low: low,
                            reference_high: high,
                            effective_at,
                            interpretation,
                        },
                        extra: ObservationExtra {
                            panel: panel.clone(),
                        },
                    },
                )
                .collect(),
        )
    }

    fn condition(&mut self, c: &model::Condition) -> Option<Sourced<Condition, ConditionExtra>> {
        let identifiers = self.identifiers(&c.identifier);
        let subject = self.subject(&c.subject, ".subject");
        let encounter = self.encounter(&c.encounter, ".encounter");
        let code = self.coded(
            &c.code,
            ".code",
            &[ICD10_CHECK, SNOMED_CHECK],
            "no ICD-10-CM or SNOMED CT coding",
        );
        let ver = self.codes_of(&c.verification_status, ".verificationStatus");
        if ver
            .iter()
            .any(|v| v == "entered-in-error" || v == "refuted")
        {
            self.add(".verificationStatus", "entered-in-error or refuted");
        }
        let onset = self.opt_date(&c.onset_date_time, ".onsetDateTime");
        let abatement = self.opt_date(&c.abatement_date_time, ".abatementDateTime");
        let statuses = self.codes_of(&c.clinical_status, ".clinicalStatus");
        let clinical_status = match statuses.iter().find_map(|s| ClinicalStatus::parse(s)) {
            Some(s) => Some(s),
            None if statuses.is_empty() => {
                // Absent: an abated condition is over, any other is taken as active.
                let abated = !c.abatement_date_time.is_absent();
                Some(if abated {
                    ClinicalStatus::Resolved
                } else {
                    ClinicalStatus::Active
                })
            }
            None => {
                self.add(".clinicalStatus", "not a condition-clinical code");
                None
            }
        };
        let (system, code, display) = code?;
        Some(Sourced {
            source_id: c.id.get().cloned(),
            identifiers,
            subject: subject?,
            encounter,
            record: Condition {
                system: system.to_string(),
                code,
                display,
                onset,
                clinical_status: clinical_status?,
            },
            extra: ConditionExtra { abatement },
        })
    }

    /// `medication[x]`: the concept itself or a contained Medication's code.
    fn medication_concept<'a>(
        &mut self,
        cc: &'a Field<CodeableConcept>,
        reference: &Field<model::Reference>,
        contained: &'a Field<Vec<model::ContainedMedication>>,
    ) -> Option<(&'a CodeableConcept, String)> {
        if let Some(c) = self.obj(cc, ".medicationCodeableConcept") {
            return Some((c, ".medicationCodeableConcept".into()));
        }
        if !reference.is_absent() {
            let r = reference
                .get()
                .and_then(|r| r.reference.get())
                .map(|s| parse_reference(s));
            if let Some(Reference::Contained(id)) = r {
                let meds = self.arr(contained, ".contained");
                if let Some((i, m)) = meds.iter().enumerate().find(|(_, m)| {
                    m.id.get() == Some(&id)
                        && m.resource_type.get().map(String::as_str) == Some("Medication")
                }) {
                    if let Some(c) = m.code.get() {
                        return Some((c, format!(".contained[{i}].code")));
                    }
                    self.add(&format!(".contained[{i}].code"), "missing");
                    return None;
                }
            }
            self.add(
                ".medicationReference",
                "only a contained Medication (#id) can be resolved",
            );
            return None;
        }
        self.add(".medication[x]", "missing");
        None
    }

    #[allow(clippy::too_many_arguments)]
    fn medication(
        &mut self,
        id: &Field<String>,
        identifier: &Field<Vec<Identifier>>,
        concept: Option<(&CodeableConcept, String)>,
        subject: Option<Reference>,
        encounter: Option<Reference>,
        dosage: Option<(&model::Dosage, String)>,
        status: Option<MedicationStatus>,
        start: Option<String>,
        end: Option<String>,
    ) -> Option<Sourced<MedicationStatement>> {
        let identifiers = self.identifiers(identifier);
        let (code, display) = match concept {
            None => (None, None),
            Some((cc, p)) => match self.pick(cc, &p, &[RXNORM_CHECK]) {
                Pick::Found { code, display, .. } => (Some(code), Some(display)),
                Pick::Bad => (None, None),
                Pick::NoneOf => {
                    let text = self.cc_text(cc, &p);
                    if text.is_none() {
                        self.add(&p, "neither an RxNorm code nor text");
                    }
                    (Some(String::new()), text)
                }
            },
        };
        let (mut dose_value, mut dose_unit) = (None, None);
        let mut route = Route::Other;
        let mut frequency = String::new();
        if let Some((d, p)) = dosage {
            let dr = self.arr(&d.dose_and_rate, &format!("{p}.doseAndRate"));
            if let Some(q) = dr.first().and_then(|x| {
                self.obj(
                    &x.dose_quantity,
                    &format!("{p}.doseAndRate[0].doseQuantity"),
                )
            }) {
                let qp = format!("{p}.doseAndRate[0].doseQuantity");
                dose_value = self.num(&q.value, &format!("{qp}.value"));
                if dose_value.is_some() {
                    dose_unit = Some(
                        self.text(&q.code, &format!("{qp}.code"))
                            .or_else(|| self.text(&q.unit, &format!("{qp}.unit")))
                            .unwrap_or_else(|| "1".to_string()),
                    );
                }
            }
            if let Some(r) = self.obj(&d.route, &format!("{p}.route")) {
                let rp = format!("{p}.route");
                let codings = self.codings(r, &rp);
                let by_code = codings.iter().find_map(|c| {
                    (c.system.get().map(String::as_str) == Some(SNOMED))
                        .then(|| c.code.get())
                        .flatten()
                        .and_then(|code| ROUTES.iter().find(|(_, s, _)| s == code))
                        .map(|(r, _, _)| *r)
                });
                let by_text = || {
                    let mut texts: Vec<&str> = Vec::new();
                    if let Some(t) = r.text.get() {
                        texts.push(t);
                    }
                    for c in codings {
                        texts.extend(c.display.get().map(String::as_str));
                        texts.extend(c.code.get().map(String::as_str));
                    }
                    texts.into_iter().find_map(route_from_text)
                };
                route = by_code.or_else(by_text).unwrap_or(Route::Other);
            }
            if let Some(t) = self.obj(&d.timing, &format!("{p}.timing")) {
                let tp = format!("{p}.timing");
                if let Some(cc) = self.obj(&t.code, &format!("{tp}.code")) {
                    let codes = self.codes_of(&t.code, &format!("{tp}.code"));
                    frequency = self
                        .cc_text(cc, &format!("{tp}.code"))
                        .or_else(|| codes.into_iter().next())
                        .unwrap_or_default();
                }
                if frequency.is_empty()
                    && let Some(r) = self.obj(&t.repeat, &format!("{tp}.repeat"))
                {
                    if r.frequency.is_invalid() {
                        self.add(&format!("{tp}.repeat.frequency"), "must be an integer");
                    }
                    let period = self.num(&r.period, &format!("{tp}.repeat.period"));
                    let unit = self.text(&r.period_unit, &format!("{tp}.repeat.periodUnit"));
                    if let (Some(f), Some(pe), Some(u)) = (r.frequency.get(), period, unit) {
                        frequency = frequency_text(*f, pe, &u);
                    }
                }
            }
            if frequency.is_empty() && d.as_needed_boolean.get() == Some(&true) {
                frequency = "as needed".into();
            }
        }
        Some(Sourced {
            source_id: id.get().cloned(),
            identifiers,
            subject: subject?,
            encounter,
            record: MedicationStatement {
                code: code?,
                display: display.unwrap_or_default(),
                dose_value,
                dose_unit,
                route,
                frequency,
                status: status?,
                start,
                end,
                safety_override: None,
            },
            extra: (),
        })
    }

    fn medication_request(
        &mut self,
        m: &model::MedicationRequest,
    ) -> Option<Sourced<MedicationStatement>> {
        let subject = self.subject(&m.subject, ".subject");
        let encounter = self.encounter(&m.encounter, ".encounter");
        let status = self.status(
            &m.status,
            ".status",
            &[
                ("active", MedicationStatus::Active),
                ("completed", MedicationStatus::Completed),
                ("stopped", MedicationStatus::Stopped),
                ("cancelled", MedicationStatus::Stopped),
                ("on-hold", MedicationStatus::OnHold),
                ("draft", MedicationStatus::Intended),
                ("unknown", MedicationStatus::Unknown),
            ],
        );
        let concept = self.medication_concept(
            &m.medication_codeable_concept,
            &m.medication_reference,
            &m.contained,
        );
        let dosages = self.arr(&m.dosage_instruction, ".dosageInstruction");
        let dosage = dosages
            .first()
            .map(|d| (d, ".dosageInstruction[0]".to_string()));
        let bounds = dosage
            .as_ref()
            .and_then(|(d, _)| d.timing.get())
            .and_then(|t| t.repeat.get())
            .and_then(|r| r.bounds_period.get());
        let bp = ".dosageInstruction[0].timing.repeat.boundsPeriod";
        let start = if m.authored_on.is_absent() {
            bounds.and_then(|b| self.opt_date(&b.start, &format!("{bp}.start")))
        } else {
            self.opt_date(&m.authored_on, ".authoredOn")
        };
        let end = bounds.and_then(|b| self.opt_date(&b.end, &format!("{bp}.end")));
        self.medication(
            &m.id,
            &m.identifier,
            concept,
            subject,
            encounter,
            dosage,
            status,
            start,
            end,
        )
    }

    fn medication_statement(
        &mut self,
        m: &model::MedicationStatement,
    ) -> Option<Sourced<MedicationStatement>> {
        let subject = self.subject(&m.subject, ".subject");
        let encounter = self.encounter(&m.context, ".context");
        let status = self.status(
            &m.status,
            ".status",
            &[
                ("active", MedicationStatus::Active),
                ("completed", MedicationStatus::Completed),
                ("intended", MedicationStatus::Intended),
                ("stopped", MedicationStatus::Stopped),
                ("on-hold", MedicationStatus::OnHold),
                ("unknown", MedicationStatus::Unknown),
                ("not-taken", MedicationStatus::NotTaken),
            ],
        );
        let concept = self.medication_concept(
            &m.medication_codeable_concept,
            &m.medication_reference,
            &m.contained,
        );
        let dosages = self.arr(&m.dosage, ".dosage");
        let dosage = dosages.first().map(|d| (d, ".dosage[0]".to_string()));
        let (start, end) = if let Some(p) = self.obj(&m.effective_period, ".effectivePeriod") {
            (
                self.opt_date(&p.start, ".effectivePeriod.start"),
                self.opt_date(&p.end, ".effectivePeriod.end"),
            )
        } else {
            (
                self.opt_date(&m.effective_date_time, ".effectiveDateTime"),
                None,
            )
        };
        self.medication(
            &m.id,
            &m.identifier,
            concept,
            subject,
            encounter,
            dosage,
            status,
            start,
            end,
        )
    }

    fn allergy(
        &mut self,
        a: &model::AllergyIntolerance,
    ) -> Option<Sourced<AllergyIntolerance, AllergyExtra>> {
        let identifiers = self.identifiers(&a.identifier);
        let subject = self.subject(&a.patient, ".patient");
        let encounter = self.encounter(&a.encounter, ".encounter");
        let code = self.coded(
            &a.code,
            ".code",
            &[RXNORM_CHECK, SNOMED_CHECK],
            "no RxNorm or SNOMED CT coding",
        );
        let ver = self.codes_of(&a.verification_status, ".verificationStatus");
        if ver
            .iter()
            .any(|v| v == "entered-in-error" || v == "refuted")
        {
            self.add(".verificationStatus", "entered-in-error or refuted");
        }
        let clinical_status = self
            .codes_of(&a.clinical_status, ".clinicalStatus")
            .into_iter()
            .find(|s| matches!(s.as_str(), "active" | "inactive" | "resolved"));
        let criticality = match self.text(&a.criticality, ".criticality").as_deref() {
            None if !a.criticality.is_invalid() => Some(Criticality::UnableToAssess),
            None => None,
            Some(c) if Criticality::parse(c).is_some() => Criticality::parse(c),
            Some(_) => {
                self.add(".criticality", "not one of low | high | unable-to-assess");
                None
            }
        };
        let mut manifestations = Vec::new();
        for (i, r) in self.arr(&a.reaction, ".reaction").iter().enumerate() {
            let mp = format!(".reaction[{i}].manifestation");
            for (j, cc) in self.arr(&r.manifestation, &mp).iter().enumerate() {
                if let Some(t) = self.cc_text(cc, &format!("{mp}[{j}]")) {
                    manifestations.push(t);
                }
            }
        }
        let reaction = (!manifestations.is_empty()).then(|| manifestations.join("; "));
        let recorded = self
            .opt_date(&a.recorded_date, ".recordedDate")
            .or_else(|| self.opt_date(&a.onset_date_time, ".onsetDateTime"));
        let (system, code, display) = code?;
        Some(Sourced {
            source_id: a.id.get().cloned(),
            identifiers,
            subject: subject?,
            encounter,
            record: AllergyIntolerance {
                system: system.to_string(),
                code,
                display,
                reaction,
                criticality: criticality?,
                recorded: recorded.unwrap_or_default(),
            },
            extra: AllergyExtra { clinical_status },
        })
    }

    fn procedure(&mut self, p: &model::Procedure) -> Option<Sourced<Procedure, ProcedureExtra>> {
        let identifiers = self.identifiers(&p.identifier);
        let subject = self.subject(&p.subject, ".subject");
        let encounter = self.encounter(&p.encounter, ".encounter");
        let code = self.coded(
            &p.code,
            ".code",
            &[SNOMED_CHECK, CPT_CHECK],
            "no SNOMED CT or CPT coding",
        );
        let status = self.status(
            &p.status,
            ".status",
            &[
                ("preparation", ProcedureStatus::Preparation),
                ("in-progress", ProcedureStatus::InProgress),
                ("not-done", ProcedureStatus::NotDone),
                ("on-hold", ProcedureStatus::OnHold),
                ("stopped", ProcedureStatus::Stopped),
                ("completed", ProcedureStatus::Completed),
                ("unknown", ProcedureStatus::Unknown),
            ],
        );
        let performed_at = if !p.performed_date_time.is_absent() {
            self.datetime(&p.performed_date_time, ".performedDateTime")
        } else {
            self.obj(&p.performed_period, ".performedPeriod")
                .and_then(|pp| self.datetime(&pp.start, ".performedPeriod.start"))
        };
        let (system, code, display) = code?;
        Some(Sourced {
            source_id: p.id.get().cloned(),
            identifiers,
            subject: subject?,
            encounter,
            record: Procedure {
                system: system.to_string(),
                code,
                display,
                performed_at: performed_at.unwrap_or(i64::MIN),
                status: status?,
            },
            extra: ProcedureExtra {
                performed: performed_at.is_some(),
            },
        })
    }

    fn immunization(&mut self, im: &model::Immunization) -> Option<Sourced<Immunization>> {
        let identifiers = self.identifiers(&im.identifier);
        let subject = self.subject(&im.patient, ".patient");
        let encounter = self.encounter(&im.encounter, ".encounter");
        let code = self.coded(
            &im.vaccine_code,
            ".vaccineCode",
            &[CVX_CHECK],
            "no CVX coding",
        );
        let status = self.status(
            &im.status,
            ".status",
            &[
                ("completed", ImmunizationStatus::Completed),
                ("not-done", ImmunizationStatus::NotDone),
            ],
        );
        let occurrence = if im.occurrence_date_time.is_absent() && !im.occurrence_string.is_absent()
        {
            self.add(".occurrenceString", "a full occurrenceDateTime is needed");
            None
        } else {
            self.required_date(&im.occurrence_date_time, ".occurrenceDateTime")
        };
        let (_, code, display) = code?;
        Some(Sourced {
            source_id: im.id.get().cloned(),
            identifiers,
            subject: subject?,
            encounter,
            record: Immunization {
                code,
                display,
                date: occurrence?,
                status: status?,
            },
            extra: (),
        })
    }
}
