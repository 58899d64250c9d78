//! Normalization of single resources into the record model of Iris (`iris_record`), each
//! wrapped with what FHIR says around it ([`Sourced`], [`SourcedPatient`]).
//!
//! Whether a resource is valid R4 is [`crate::spec::validate`]'s question. This module answers
//! another one: can Iris *structure* it, i.e. file it as one of its records? `Ok` carries the
//! record and the [`Sourced::warnings`] of what was dropped or defaulted on the way; `Err`
//! lists why it cannot be structured (the importer then keeps the resource whole, sealed, with
//! its patient). See the crate documentation for what each type requires and how values are
//! mapped.

use iris_record::{
    Address, AllergyIntolerance, ClinicalStatus, Component, Condition, Criticality, Encounter,
    EncounterClass, EncounterStatus, Immunization, ImmunizationStatus, Interpretation,
    MedicationStatement, MedicationStatus, ObsCategory, ObsValue, Observation, ObservationStatus,
    PatientRecord, Procedure, ProcedureStatus, Quantity, Route, Sex,
};
use serde::{Deserialize, Serialize};

use crate::codes::*;
use crate::model::{self, CodeableConcept, Coding, Field, Identifier};
use crate::reference::{Reference, parse_reference};
use crate::time::{DateError, date_of, parse_date, parse_datetime_ms};

/// Why a resource cannot be structured, or (in [`Sourced::warnings`]) what was dropped or
/// defaulted while structuring it. `reason` is one of a fixed set of texts and never quotes a
/// value.
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

/// The family name given to a Patient that has no name at all (with a warning).
pub const NO_NAME: &str = "(no name)";

/// The most given names a patient record holds (`iris_record::PatientRecord` refuses more).
const MAX_GIVEN: usize = 5;

// Reasons Iris cannot structure a resource (beyond "missing" and the format checks).
const ENTERED_IN_ERROR: &str = "entered in error";
const REFUTED: &str = "refuted";
const NO_TIME: &str = "missing (and no issued time)";

// Warnings: what a clinician could miss, dropped or defaulted while structuring.
const W_PARTIAL_DATE: &str = "partial date (year or year-month): dropped";
const W_NAME_TEXT: &str = "no family name: the name's text is used";
const W_NAME_GIVEN: &str = "no family name: the given names are used";
const W_NO_NAME: &str = "no name: a placeholder is used";
const W_GIVEN_NAMES: &str = "more than five given names: the first five are kept";
const W_RANGE_UNIT: &str = "reference range in another unit than the value: dropped";
const W_RANGE_TEXT: &str = "reference range without a low or high value: dropped";
const W_RANGES: &str = "more than one reference range: only the first is kept";
const W_INTERPRETATION: &str = "interpretation code Iris does not chart: dropped";
const W_ABSENT_REASON: &str = "dataAbsentReason not coded in data-absent-reason: unknown";
const W_COMPARATOR: &str = "quantity with a comparator: kept as text, not as a number";
const W_ISSUED: &str = "no effective time: the issued time is used";
const W_PERIOD_END: &str = "period without a start: its end is used";
const W_NO_RXNORM: &str = "medication without an RxNorm code: recorded by name only";

/// A clinical record as FHIR carries it: the record itself, in the one record model of Iris
/// (`iris_record`), and what the resource says around it. None of the wrapper is part of the
/// stored record: the vault keys an imported record by its source and files it under the
/// patient it resolves `subject` to, and keeps neither identifiers nor encounter links today.
/// `extra` is what a kind knows beyond that ([`ObservationExtra`], [`ConditionExtra`],
/// [`AllergyExtra`]; `()` for encounters, medications, procedures and immunizations).
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
    /// What was dropped or defaulted while structuring (fixed reasons, paths like issues'; see
    /// the crate documentation for the list). Not exported, not stored: for the import report.
    pub warnings: Vec<Issue>,
}

/// What an Observation says beyond [`Observation`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObservationExtra {
    /// `hasMember`: the Observations (or QuestionnaireResponses, sequences) this one groups,
    /// as written. Not stored: a grouping panel is structured without a value, and the
    /// importer may keep the raw resource to show its members.
    pub has_member: Vec<Reference>,
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
    /// `family` is never empty (see the crate documentation for names without a family).
    /// `pregnancy` is not read from FHIR: always `None`.
    pub record: PatientRecord,
    /// `deceased[x]`. Not stored by the vault today.
    pub deceased: Option<Deceased>,
    /// v3 MaritalStatus code (or the text when there is no coding). Not stored by the vault
    /// today.
    pub marital_status: Option<String>,
    /// What was dropped or defaulted (a name without a family, more than five given names …).
    pub warnings: Vec<Issue>,
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

/// A structured resource.
#[derive(Debug, Clone, PartialEq)]
pub enum Normalized {
    Patient(SourcedPatient),
    Encounter(Sourced<Encounter>),
    /// One record per resource, as it came: its own value (of any kind, or none), its
    /// components, and the members of a grouping panel in [`ObservationExtra::has_member`].
    Observation(Sourced<Observation, ObservationExtra>),
    Condition(Sourced<Condition, ConditionExtra>),
    /// From a MedicationRequest or a MedicationStatement.
    Medication(Sourced<MedicationStatement>),
    Allergy(Sourced<AllergyIntolerance, AllergyExtra>),
    /// Always with its performed time (a Procedure without one is not structured).
    Procedure(Sourced<Procedure>),
    Immunization(Sourced<Immunization>),
    /// A resource type this crate does not normalize (kept raw by the reader).
    Other {
        resource_type: String,
        /// Its `subject` or `patient` reference, when it has one.
        patient: Option<Reference>,
    },
}

macro_rules! each_sourced {
    ($self:expr, $x:ident => $e:expr, $other:expr) => {
        match $self {
            Normalized::Encounter($x) => $e,
            Normalized::Observation($x) => $e,
            Normalized::Condition($x) => $e,
            Normalized::Medication($x) => $e,
            Normalized::Allergy($x) => $e,
            Normalized::Procedure($x) => $e,
            Normalized::Immunization($x) => $e,
            Normalized::Patient(_) | Normalized::Other { .. } => $other,
        }
    };
}

impl Normalized {
    /// The patient a clinical item belongs to (`None` for a Patient).
    pub fn subject(&self) -> Option<&Reference> {
        match self {
            Normalized::Other { patient, .. } => patient.as_ref(),
            n => each_sourced!(n, x => Some(&x.subject), None),
        }
    }

    /// The source resource's id.
    pub fn source_id(&self) -> Option<&str> {
        match self {
            Normalized::Patient(x) => x.source_id.as_deref(),
            n => each_sourced!(n, x => x.source_id.as_deref(), None),
        }
    }

    /// What was dropped or defaulted while structuring it (none for [`Normalized::Other`]).
    pub fn warnings(&self) -> &[Issue] {
        match self {
            Normalized::Patient(x) => &x.warnings,
            n => each_sourced!(n, x => &x.warnings, &[]),
        }
    }

    fn warnings_mut(&mut self) -> Option<&mut Vec<Issue>> {
        match self {
            Normalized::Patient(x) => Some(&mut x.warnings),
            n => each_sourced!(n, x => Some(&mut x.warnings), None),
        }
    }

    /// The same value with its warnings' paths re-rooted at `prefix` ([`Issue::rooted_at`]).
    pub(crate) fn rooted_at(mut self, prefix: &str) -> Normalized {
        if let Some(w) = self.warnings_mut() {
            *w = std::mem::take(w)
                .into_iter()
                .map(|i| i.rooted_at(prefix))
                .collect();
        }
        self
    }
}

/// Structures one resource given as JSON text: `Ok` with its warnings, or `Err` with why Iris
/// cannot structure it (never a judgement of R4 validity: see [`crate::spec::validate`]).
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
        warnings: Vec::new(),
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
        Some(mut n) if ck.issues.is_empty() => {
            if let Some(w) = n.warnings_mut() {
                *w = ck.warnings;
            }
            Ok(n)
        }
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

/// `medication[x]` as far as it can be resolved: a concept (and its path), or only the display
/// of a reference to a Medication resource.
enum MedConcept<'a> {
    Coded(&'a CodeableConcept, String),
    Display(String),
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

/// The `value[x]` choices, `dataAbsentReason`, `referenceRange` and `interpretation` of an
/// Observation or of one of its components (the same elements in both).
struct ValueRefs<'a> {
    quantity: &'a Field<model::Quantity>,
    codeable_concept: &'a Field<CodeableConcept>,
    string: &'a Field<String>,
    boolean: &'a Field<bool>,
    integer: &'a Field<i64>,
    range: &'a Field<model::Range>,
    ratio: &'a Field<model::Ratio>,
    sampled_data: &'a Field<model::SampledData>,
    time: &'a Field<String>,
    date_time: &'a Field<String>,
    period: &'a Field<model::Period>,
    data_absent_reason: &'a Field<CodeableConcept>,
    interpretation: &'a Field<Vec<CodeableConcept>>,
    reference_range: &'a Field<Vec<model::ReferenceRange>>,
}

macro_rules! value_refs {
    ($o:expr) => {
        ValueRefs {
            quantity: &$o.value_quantity,
            codeable_concept: &$o.value_codeable_concept,
            string: &$o.value_string,
            boolean: &$o.value_boolean,
            integer: &$o.value_integer,
            range: &$o.value_range,
            ratio: &$o.value_ratio,
            sampled_data: &$o.value_sampled_data,
            time: &$o.value_time,
            date_time: &$o.value_date_time,
            period: &$o.value_period,
            data_absent_reason: &$o.data_absent_reason,
            interpretation: &$o.interpretation,
            reference_range: &$o.reference_range,
        }
    };
}

/// What [`ValueRefs`] give.
struct Measured {
    value: Option<ObsValue>,
    data_absent: Option<String>,
    reference_low: Option<f64>,
    reference_high: Option<f64>,
    interpretation: Option<Interpretation>,
}

struct Ck {
    root: String,
    issues: Vec<Issue>,
    warnings: Vec<Issue>,
}

impl Ck {
    fn add(&mut self, path: &str, reason: &'static str) {
        self.issues.push(Issue {
            path: format!("{}{path}", self.root),
            reason: reason.to_string(),
        });
    }

    fn warn(&mut self, path: &str, reason: &'static str) {
        self.warnings.push(Issue {
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

    /// An optional time: a partial date is dropped (a warning), a malformed one is an issue.
    fn opt_datetime(&mut self, f: &Field<String>, path: &str) -> Option<i64> {
        let s = self.text(f, path)?;
        match parse_datetime_ms(&s) {
            Ok(ms) => Some(ms),
            Err(DateError::Partial) => {
                self.warn(path, W_PARTIAL_DATE);
                None
            }
            Err(e) => {
                self.add(path, e.reason());
                None
            }
        }
    }

    /// An optional date: a partial date is dropped (a warning), a malformed one is an issue.
    fn opt_date(&mut self, f: &Field<String>, path: &str) -> Option<String> {
        let s = self.text(f, path)?;
        match date_of(&s) {
            Ok(d) => Some(d),
            Err(DateError::Partial) => {
                self.warn(path, W_PARTIAL_DATE);
                None
            }
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
            self.add(path, ENTERED_IN_ERROR);
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

    /// A verification status of entered-in-error or refuted is not charted.
    fn verification(&mut self, codes: &[String]) {
        if codes.iter().any(|v| v == "entered-in-error") {
            self.add(".verificationStatus", ENTERED_IN_ERROR);
        } else if codes.iter().any(|v| v == "refuted") {
            self.add(".verificationStatus", REFUTED);
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
        let (mut family, mut given) = (None, Vec::new());
        if let Some(i) = chosen {
            let n = &names[i];
            family = self.text(&n.family, &format!(".name[{i}].family"));
            given = self
                .arr(&n.given, &format!(".name[{i}].given"))
                .iter()
                .map(|g| g.trim().to_string())
                .filter(|g| !g.is_empty())
                .collect();
            if family.is_none() {
                if let Some(t) = self.text(&n.text, &format!(".name[{i}].text")) {
                    self.warn(&format!(".name[{i}]"), W_NAME_TEXT);
                    family = Some(t);
                    given.clear();
                } else if !given.is_empty() {
                    self.warn(&format!(".name[{i}]"), W_NAME_GIVEN);
                    family = Some(given.join(" "));
                    given.clear();
                }
            }
        }
        let family = family.unwrap_or_else(|| {
            self.warn(".name", W_NO_NAME);
            NO_NAME.to_string()
        });
        if given.len() > MAX_GIVEN {
            self.warn(".name", W_GIVEN_NAMES);
            given.truncate(MAX_GIVEN);
        }
        let birth_date = match &p.birth_date {
            Field::Invalid => {
                self.add(".birthDate", "must be a string");
                None
            }
            f => match self
                .text(f, ".birthDate")
                .map(|b| parse_date(&b).map(|_| b))
            {
                Some(Ok(b)) => Some(b),
                Some(Err(DateError::Format)) => {
                    self.add(".birthDate", "not a valid FHIR date");
                    None
                }
                _ => {
                    self.add(".birthDate", "birth date is not a full date");
                    None
                }
            },
        };
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
                family,
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
            warnings: Vec::new(),
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
                        self.add(".class.code", "encounter class Iris does not chart");
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
        let end = period.and_then(|p| self.opt_datetime(&p.end, ".period.end"));
        let start = match period {
            Some(p) if !p.start.is_absent() => self.datetime(&p.start, ".period.start"),
            // Known only to have ended: placed at its end.
            Some(_) if end.is_some() => {
                self.warn(".period", W_PERIOD_END);
                end
            }
            _ => {
                self.add(".period.start", "missing");
                None
            }
        };
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
            warnings: Vec::new(),
        })
    }

    /// A `Quantity` inside another value (a range bound, a ratio term, a sampled-data
    /// origin): `None` when absent or without a number. Its unit is `code`, else `unit`, else
    /// `1` (UCUM unity: a bare number).
    fn quantity(&mut self, f: &Field<model::Quantity>, path: &str) -> Option<Quantity> {
        let q = self.obj(f, path)?;
        if q.comparator.get().is_some() {
            self.add(
                &format!("{path}.comparator"),
                "a comparator Iris cannot structure here",
            );
            return None;
        }
        let value = self.num(&q.value, &format!("{path}.value"))?;
        Some(Quantity {
            value,
            unit: self.unit_of(q, path),
        })
    }

    fn unit_of(&mut self, q: &model::Quantity, path: &str) -> String {
        self.text(&q.code, &format!("{path}.code"))
            .or_else(|| self.text(&q.unit, &format!("{path}.unit")))
            .unwrap_or_else(|| "1".to_string())
    }

    /// `value[x]` of an observation or a component (`path` empty or `.component[i]`): `None`
    /// when there is none (or an issue was recorded).
    fn obs_value(&mut self, path: &str, v: &ValueRefs<'_>) -> Option<ObsValue> {
        let p = |name: &str| format!("{path}.{name}");
        let present = [
            v.quantity.is_absent(),
            v.codeable_concept.is_absent(),
            v.string.is_absent(),
            v.boolean.is_absent(),
            v.integer.is_absent(),
            v.range.is_absent(),
            v.ratio.is_absent(),
            v.sampled_data.is_absent(),
            v.time.is_absent(),
            v.date_time.is_absent(),
            v.period.is_absent(),
        ]
        .iter()
        .filter(|absent| !**absent)
        .count();
        if present > 1 {
            self.add(&p("value[x]"), "more than one value[x]");
            return None;
        }
        if let Some(q) = self.obj(v.quantity, &p("valueQuantity")) {
            let qp = p("valueQuantity");
            let value = self.num(&q.value, &format!("{qp}.value"));
            if q.value.is_absent() {
                self.add(&format!("{qp}.value"), "missing");
            }
            let value = value?;
            if let Some(c) = self.text(&q.comparator, &format!("{qp}.comparator")) {
                // `<0.01 ng/mL` is not the number 0.01: kept as the text a clinician reads.
                self.warn(&format!("{qp}.comparator"), W_COMPARATOR);
                let unit = self
                    .text(&q.unit, &format!("{qp}.unit"))
                    .or_else(|| self.text(&q.code, &format!("{qp}.code")));
                let text = match unit {
                    Some(u) => format!("{c}{value} {u}"),
                    None => format!("{c}{value}"),
                };
                return Some(ObsValue::Text { text });
            }
            let unit = self.unit_of(q, &qp);
            return Some(ObsValue::Quantity { value, unit });
        }
        if let Some(c) = self.obj(v.codeable_concept, &p("valueCodeableConcept")) {
            let cp = p("valueCodeableConcept");
            let codings = self.codings(c, &cp);
            let mut chosen = None;
            for (i, coding) in codings.iter().enumerate() {
                if let Some(code) = self.text(&coding.code, &format!("{cp}.coding[{i}].code")) {
                    chosen = Some((i, coding, code));
                    break;
                }
            }
            let (system, code, coding_display) = match chosen {
                Some((i, coding, code)) => (
                    self.text(&coding.system, &format!("{cp}.coding[{i}].system"))
                        .unwrap_or_default(),
                    code,
                    self.text(&coding.display, &format!("{cp}.coding[{i}].display")),
                ),
                None => (String::new(), String::new(), None),
            };
            let display = self
                .text(&c.text, &format!("{cp}.text"))
                .or(coding_display)
                .or_else(|| self.cc_text(c, &cp))
                .unwrap_or_default();
            if code.is_empty() && display.is_empty() {
                self.add(&cp, "no text, display or code");
                return None;
            }
            return Some(ObsValue::Coded {
                system,
                code,
                display,
            });
        }
        if let Some(t) = self.text(v.string, &p("valueString")) {
            return Some(ObsValue::Text { text: t });
        }
        if let Some(b) = self.obj(v.boolean, &p("valueBoolean")) {
            return Some(ObsValue::Boolean { value: *b });
        }
        if let Some(i) = self.obj(v.integer, &p("valueInteger")) {
            return Some(ObsValue::Integer { value: *i });
        }
        if let Some(r) = self.obj(v.range, &p("valueRange")) {
            let rp = p("valueRange");
            return Some(ObsValue::Range {
                low: self.quantity(&r.low, &format!("{rp}.low")),
                high: self.quantity(&r.high, &format!("{rp}.high")),
            });
        }
        if let Some(r) = self.obj(v.ratio, &p("valueRatio")) {
            let rp = p("valueRatio");
            return Some(ObsValue::Ratio {
                numerator: self.quantity(&r.numerator, &format!("{rp}.numerator")),
                denominator: self.quantity(&r.denominator, &format!("{rp}.denominator")),
            });
        }
        if let Some(d) = self.obj(v.sampled_data, &p("valueSampledData")) {
            let dp = p("valueSampledData");
            let origin = self.quantity(&d.origin, &format!("{dp}.origin"));
            if origin.is_none() && !d.origin.is_invalid() {
                self.add(&format!("{dp}.origin"), "missing");
            }
            let period_ms = self.num(&d.period, &format!("{dp}.period"));
            if d.period.is_absent() {
                self.add(&format!("{dp}.period"), "missing");
            }
            let dimensions = match &d.dimensions {
                Field::Present(n) if *n > 0 => Some(*n),
                Field::Absent => {
                    self.add(&format!("{dp}.dimensions"), "missing");
                    None
                }
                _ => {
                    self.add(&format!("{dp}.dimensions"), "must be a positive integer");
                    None
                }
            };
            let factor = self.num(&d.factor, &format!("{dp}.factor"));
            let lower_limit = self.num(&d.lower_limit, &format!("{dp}.lowerLimit"));
            let upper_limit = self.num(&d.upper_limit, &format!("{dp}.upperLimit"));
            let data = self
                .text(&d.data, &format!("{dp}.data"))
                .unwrap_or_default();
            return Some(ObsValue::SampledData {
                origin: origin?,
                period_ms: period_ms?,
                factor,
                lower_limit,
                upper_limit,
                dimensions: dimensions?,
                data,
            });
        }
        if let Some(t) = self.text(v.time, &p("valueTime")) {
            return Some(ObsValue::Time { time: t });
        }
        if !v.date_time.is_absent() {
            return self
                .datetime(v.date_time, &p("valueDateTime"))
                .map(|at| ObsValue::DateTime { at });
        }
        if let Some(pe) = self.obj(v.period, &p("valuePeriod")) {
            let pp = p("valuePeriod");
            let start = self.datetime(&pe.start, &format!("{pp}.start"));
            let end = self.datetime(&pe.end, &format!("{pp}.end"));
            return Some(ObsValue::Period { start, end });
        }
        None
    }

    /// Value, data-absent reason, first reference range and interpretation of an observation
    /// or a component (`path` empty or `.component[i]`).
    fn measured(&mut self, path: &str, v: &ValueRefs<'_>) -> Measured {
        let value = self.obs_value(path, v);
        let dap = format!("{path}.dataAbsentReason");
        let data_absent = self.obj(v.data_absent_reason, &dap).map(|cc| {
            let codings = self.codings(cc, &dap);
            let mut code = None;
            for (i, c) in codings.iter().enumerate() {
                let system = self.text(&c.system, &format!("{dap}.coding[{i}].system"));
                if system.as_deref().is_none_or(|s| s == DATA_ABSENT_REASON) {
                    code = self.text(&c.code, &format!("{dap}.coding[{i}].code"));
                    if code.is_some() {
                        break;
                    }
                }
            }
            code.unwrap_or_else(|| {
                self.warn(&dap, W_ABSENT_REASON);
                "unknown".to_string()
            })
        });
        if value.is_some() && data_absent.is_some() {
            // obs-6: dataAbsentReason SHALL only be present if value[x] is not.
            self.add(&dap, "present together with a value (obs-6)");
        }
        let value_unit = match &value {
            Some(ObsValue::Quantity { unit, .. }) => Some(unit.clone()),
            _ => None,
        };
        let (reference_low, reference_high) =
            self.reference_range(path, v.reference_range, value_unit.as_deref());
        let mut interpretation = None;
        let ip = format!("{path}.interpretation");
        for (i, cc) in self.arr(v.interpretation, &ip).iter().enumerate() {
            let codings = self.codings(cc, &format!("{ip}[{i}]"));
            let mapped = codings
                .iter()
                .find_map(|c| c.code.get().and_then(|c| interpretation_code(c.trim())));
            match mapped {
                Some(m) => {
                    interpretation.get_or_insert(m);
                }
                None => self.warn(&format!("{ip}[{i}]"), W_INTERPRETATION),
            }
        }
        Measured {
            value,
            data_absent,
            reference_low,
            reference_high,
            interpretation,
        }
    }

    /// `referenceRange[0]` low and high, in the value's unit: a range in another unit, or
    /// one without numbers, is dropped (a warning), as are the ranges after the first.
    fn reference_range(
        &mut self,
        path: &str,
        ranges: &Field<Vec<model::ReferenceRange>>,
        value_unit: Option<&str>,
    ) -> (Option<f64>, Option<f64>) {
        let rp = format!("{path}.referenceRange");
        let ranges = self.arr(ranges, &rp);
        if ranges.len() > 1 {
            self.warn(&rp, W_RANGES);
        }
        let Some(r) = ranges.first() else {
            return (None, None);
        };
        let mut bounds = [None, None];
        let mut other_unit = false;
        for (slot, (name, q)) in bounds.iter_mut().zip([("low", &r.low), ("high", &r.high)]) {
            let qp = format!("{rp}[0].{name}");
            let Some(q) = self.obj(q, &qp) else { continue };
            *slot = self.num(&q.value, &format!("{qp}.value"));
            let unit = self
                .text(&q.code, &format!("{qp}.code"))
                .or_else(|| self.text(&q.unit, &format!("{qp}.unit")));
            if let (Some(ru), Some(vu)) = (unit, value_unit)
                && ru != vu
            {
                other_unit = true;
            }
        }
        let [low, high] = bounds;
        if other_unit {
            self.warn(&format!("{rp}[0]"), W_RANGE_UNIT);
            return (None, None);
        }
        if low.is_none() && high.is_none() {
            self.warn(&format!("{rp}[0]"), W_RANGE_TEXT);
        }
        (low, high)
    }

    fn observation(
        &mut self,
        o: &model::Observation,
    ) -> Option<Sourced<Observation, ObservationExtra>> {
        let identifiers = self.identifiers(&o.identifier);
        let status = self.status(
            &o.status,
            ".status",
            &[
                ("registered", ObservationStatus::Registered),
                ("preliminary", ObservationStatus::Preliminary),
                ("final", ObservationStatus::Final),
                ("amended", ObservationStatus::Amended),
                ("corrected", ObservationStatus::Corrected),
                ("cancelled", ObservationStatus::Cancelled),
                ("unknown", ObservationStatus::Unknown),
            ],
        );
        let subject = self.subject(&o.subject, ".subject");
        let encounter = self.encounter(&o.encounter, ".encounter");
        let code = self.coded(&o.code, ".code", &[LOINC_CHECK], "no LOINC coding");
        let mut category = Vec::new();
        for (i, cc) in self.arr(&o.category, ".category").iter().enumerate() {
            let cp = format!(".category[{i}]");
            for (j, c) in self.codings(cc, &cp).iter().enumerate() {
                let system = self.text(&c.system, &format!("{cp}.coding[{j}].system"));
                if system.as_deref().is_some_and(|s| s != OBSERVATION_CATEGORY) {
                    continue;
                }
                let k = self
                    .text(&c.code, &format!("{cp}.coding[{j}].code"))
                    .and_then(|c| ObsCategory::parse(&c));
                if let Some(k) = k
                    && !category.contains(&k)
                {
                    category.push(k);
                }
            }
        }
        if category.is_empty()
            && let Some((_, c, _)) = &code
            && VITAL_SIGNS.contains(&c.as_str())
        {
            category.push(ObsCategory::VitalSigns);
        }
        let effective_at = self.effective(o);
        let Measured {
            value,
            data_absent,
            reference_low,
            reference_high,
            interpretation,
        } = self.measured("", &value_refs!(o));
        let mut components = Vec::new();
        for (j, comp) in self.arr(&o.component, ".component").iter().enumerate() {
            let p = format!(".component[{j}]");
            let ccode = self.coded(
                &comp.code,
                &format!("{p}.code"),
                &[LOINC_CHECK],
                "no LOINC coding",
            );
            let m = self.measured(&p, &value_refs!(comp));
            if let Some((_, code, display)) = ccode {
                components.push(Component {
                    code,
                    display,
                    value: m.value,
                    data_absent: m.data_absent,
                    reference_low: m.reference_low,
                    reference_high: m.reference_high,
                    interpretation: m.interpretation,
                });
            }
        }
        let has_member = self
            .arr(&o.has_member, ".hasMember")
            .iter()
            .filter_map(|r| r.reference.get().map(|s| parse_reference(s.trim())))
            .collect();
        let (_, code, display) = code?;
        Some(Sourced {
            source_id: o.id.get().cloned(),
            identifiers,
            subject: subject?,
            encounter,
            record: Observation {
                code,
                display,
                status: status?,
                category,
                value,
                data_absent,
                components,
                reference_low,
                reference_high,
                effective_at: effective_at?,
                interpretation,
            },
            extra: ObservationExtra { has_member },
            warnings: Vec::new(),
        })
    }

    /// `effective[x]`: a dateTime, a Period's start (else its end), an instant; without one of
    /// those, `issued` (a warning); without that either, an issue.
    fn effective(&mut self, o: &model::Observation) -> Option<i64> {
        if !o.effective_date_time.is_absent() {
            return self.datetime(&o.effective_date_time, ".effectiveDateTime");
        }
        if let Some(p) = self.obj(&o.effective_period, ".effectivePeriod") {
            if !p.start.is_absent() {
                return self.datetime(&p.start, ".effectivePeriod.start");
            }
            if !p.end.is_absent() {
                self.warn(".effectivePeriod", W_PERIOD_END);
                return self.datetime(&p.end, ".effectivePeriod.end");
            }
        }
        if !o.effective_instant.is_absent() {
            return self.datetime(&o.effective_instant, ".effectiveInstant");
        }
        if o.issued.is_absent() {
            self.add(".effective[x]", NO_TIME);
            return None;
        }
        self.warn(".effective[x]", W_ISSUED);
        self.datetime(&o.issued, ".issued")
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
        self.verification(&ver);
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
            warnings: Vec::new(),
        })
    }

    /// `medication[x]`: the concept itself or a contained Medication's code.
    fn medication_concept<'a>(
        &mut self,
        cc: &'a Field<CodeableConcept>,
        reference: &Field<model::Reference>,
        contained: &'a Field<Vec<model::ContainedMedication>>,
    ) -> Option<MedConcept<'a>> {
        if let Some(c) = self.obj(cc, ".medicationCodeableConcept") {
            return Some(MedConcept::Coded(c, ".medicationCodeableConcept".into()));
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
                        return Some(MedConcept::Coded(c, format!(".contained[{i}].code")));
                    }
                    self.add(&format!(".contained[{i}].code"), "missing");
                    return None;
                }
            }
            // A Medication resource of its own: named by the reference's display, if any.
            if let Some(d) = reference
                .get()
                .and_then(|r| self.text(&r.display, ".medicationReference.display"))
            {
                return Some(MedConcept::Display(d));
            }
            self.add(
                ".medicationReference",
                "a Medication that is neither contained (#id) nor named by a display",
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
        concept: Option<MedConcept<'_>>,
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
            Some(MedConcept::Display(d)) => {
                self.warn(".medicationReference", W_NO_RXNORM);
                (Some(String::new()), Some(d))
            }
            Some(MedConcept::Coded(cc, p)) => match self.pick(cc, &p, &[RXNORM_CHECK]) {
                Pick::Found { code, display, .. } => (Some(code), Some(display)),
                Pick::Bad => (None, None),
                Pick::NoneOf => {
                    let text = self.cc_text(cc, &p);
                    if text.is_none() {
                        self.add(&p, "neither an RxNorm code nor text");
                    } else if !cc.coding.items().is_empty() {
                        // Codes of other systems (NDC, SNOMED CT …) are not kept.
                        self.warn(&p, W_NO_RXNORM);
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
            warnings: Vec::new(),
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
        self.verification(&ver);
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
            warnings: Vec::new(),
        })
    }

    fn procedure(&mut self, p: &model::Procedure) -> Option<Sourced<Procedure>> {
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
        } else if let Some(pp) = self.obj(&p.performed_period, ".performedPeriod") {
            if !pp.start.is_absent() {
                self.datetime(&pp.start, ".performedPeriod.start")
            } else if !pp.end.is_absent() {
                self.warn(".performedPeriod", W_PERIOD_END);
                self.datetime(&pp.end, ".performedPeriod.end")
            } else {
                self.add(".performedPeriod", "no start or end");
                None
            }
        } else if [
            p.performed_string.is_absent(),
            p.performed_age.is_absent(),
            p.performed_range.is_absent(),
        ]
        .contains(&false)
        {
            self.add(
                ".performed[x]",
                "not a dateTime or Period: no time to chart",
            );
            None
        } else if p.performed_period.is_absent() {
            self.add(".performed[x]", "missing");
            None
        } else {
            None
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
                performed_at: performed_at?,
                status: status?,
            },
            extra: (),
            warnings: Vec::new(),
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
            warnings: Vec::new(),
        })
    }
}
