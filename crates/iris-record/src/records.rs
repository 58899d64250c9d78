//! Clinical records aligned with FHIR R4 (Observation, Condition, MedicationStatement,
//! AllergyIntolerance, Encounter, and notes), their validation rules and normalization.
//!
//! These structs derive serde only to be encoded *inside* a sealed blob; they never cross the
//! process boundary (DTOs in iris-types do).
//!
//! Rules (field → rule code):
//! - text fields have a maximum length → `max_length_N`; required text → `required`
//! - `code`: LOINC with a valid check digit (observations) → `loinc`; ICD-10-CM shape or SNOMED
//!   CT with a valid Verhoeff digit (conditions) → `icd10cm_or_snomed`; RxNorm (medications) →
//!   `rxnorm`; RxNorm or SNOMED CT (allergy substances) → `rxnorm_or_snomed`
//! - `value`: for LOINC codes with a canonical unit, the unit must be convertible → `unit`, and
//!   the converted value physiologically possible → `impossible`; other codes need a UCUM-like
//!   unit → `unit`; values must be finite → `number`
//! - `reference_range`: low ≤ high → `low_above_high`
//! - times: not in the future (beyond 5 minutes of clock skew) → `not_in_future`; not before
//!   1900 → `not_before_1900`; period/end not before start → `end_before_start`
//! - closed code lists (status, class, criticality, route, category) → `code`

use serde::{Deserialize, Serialize};

use crate::calendar::Date;
use crate::codes::{self, CPT, ICD10CM, RXNORM, SNOMED};
use crate::field::FieldError;
use crate::units;

/// 1900-01-01T00:00:00Z in Unix milliseconds.
pub const MIN_TIME_MS: i64 = -2_208_988_800_000;
/// Clock skew tolerated for "not in the future".
pub const SKEW_MS: i64 = 5 * 60_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ObsValue {
    Quantity { value: f64, unit: String },
    Text { text: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// LOINC.
    pub code: String,
    pub display: String,
    /// `vital-signs`, `laboratory`, `survey`, `social-history`, `exam`.
    pub category: String,
    pub value: ObsValue,
    pub reference_low: Option<f64>,
    pub reference_high: Option<f64>,
    /// Unix ms.
    pub effective_at: i64,
    /// FHIR v3 ObservationInterpretation: `N`, `L`, `H`, `LL`, `HH`, `A`; computed from the
    /// reference range when not given.
    pub interpretation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// `http://hl7.org/fhir/sid/icd-10-cm` or `http://snomed.info/sct`.
    pub system: String,
    pub code: String,
    pub display: String,
    /// `YYYY-MM-DD`.
    pub onset: Option<String>,
    /// active | recurrence | relapse | inactive | remission | resolved
    pub clinical_status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MedicationStatement {
    /// RxNorm (an ingredient or clinical drug RxCUI); empty for a medication recorded by name
    /// only (FHIR allows a text-only medication concept).
    pub code: String,
    pub display: String,
    pub dose_value: Option<f64>,
    pub dose_unit: Option<String>,
    /// oral | sublingual | intravenous | intramuscular | subcutaneous | inhalation | topical |
    /// transdermal | rectal | nasal | ophthalmic | otic | other
    pub route: String,
    /// Free text, e.g. "twice daily" or "BID".
    pub frequency: String,
    /// active | completed | intended | stopped | on-hold | unknown | not-taken
    pub status: String,
    /// `YYYY-MM-DD`.
    pub start: Option<String>,
    pub end: Option<String>,
    /// Safety alerts the prescriber saw and overrode when recording it, with their reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety_override: Option<SafetyOverride>,
}

/// Medication-safety alerts overridden when a medication was recorded: which (kind and
/// severity, e.g. `drug-drug:contraindicated`) and why (5–500 characters, sealed with it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafetyOverride {
    pub alerts: Vec<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllergyIntolerance {
    /// `http://www.nlm.nih.gov/research/umls/rxnorm` or `http://snomed.info/sct`.
    pub system: String,
    pub code: String,
    pub display: String,
    pub reaction: Option<String>,
    /// low | high | unable-to-assess
    pub criticality: String,
    pub recorded: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Soap {
    pub subjective: String,
    pub objective: String,
    pub assessment: String,
    pub plan: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Encounter {
    /// AMB | EMER | IMP | HH (v3 ActCode).
    pub class: String,
    /// planned | in-progress | finished | cancelled
    pub status: String,
    pub start: i64,
    pub end: Option<i64>,
    pub reason: String,
}

/// A procedure performed (SNOMED CT or CPT).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    /// `http://snomed.info/sct` or `http://www.ama-assn.org/go/cpt`.
    pub system: String,
    pub code: String,
    pub display: String,
    /// Unix ms.
    pub performed_at: i64,
    /// preparation | in-progress | not-done | on-hold | stopped | completed | unknown
    pub status: String,
}

/// A vaccine given (CVX).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Immunization {
    /// CVX code (`http://hl7.org/fhir/sid/cvx`).
    pub code: String,
    pub display: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// completed | not-done
    pub status: String,
}

impl Procedure {
    pub fn validate(&self, now: i64) -> Result<(), Vec<FieldError>> {
        let mut c = check("");
        match self.system.as_str() {
            SNOMED if !codes::snomed_valid(&self.code) => c.err("code", "snomed"),
            CPT if !codes::cpt_valid(&self.code) => c.err("code", "cpt"),
            SNOMED | CPT => {}
            _ => c.err("system", "snomed_or_cpt"),
        }
        c.text("display", &self.display, 300, true);
        c.time("performed_at", self.performed_at, now);
        c.one_of(
            "status",
            &self.status,
            &[
                "preparation",
                "in-progress",
                "not-done",
                "on-hold",
                "stopped",
                "completed",
                "unknown",
            ],
        );
        c.done()
    }
}

impl Immunization {
    pub fn validate(&self, today: Date) -> Result<(), Vec<FieldError>> {
        let mut c = check("");
        if !codes::cvx_valid(&self.code) {
            c.err("code", "cvx");
        }
        c.text("display", &self.display, 300, true);
        c.date("date", &self.date, today);
        c.one_of("status", &self.status, &["completed", "not-done"]);
        c.done()
    }
}

/// A note's content and kind. The SOAP sections, when the note has them, are part of the
/// content, so signing locks them together with the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteContent {
    /// progress | history-and-physical | discharge | consult | nursing | triage
    pub kind: String,
    pub title: String,
    /// Free text (a SOAP note may leave it empty).
    pub text: String,
    /// Absent (not `null`) when the note has no SOAP sections, so the content hash of a plain
    /// note does not depend on this field existing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soap: Option<Soap>,
}

struct Check<'a> {
    prefix: &'a str,
    errs: Vec<FieldError>,
}

impl Check<'_> {
    fn err(&mut self, field: &str, rule: &str) {
        self.errs
            .push(FieldError::new(format!("{}{field}", self.prefix), rule));
    }
    fn text(&mut self, field: &str, v: &str, max: usize, required: bool) {
        if required && v.trim().is_empty() {
            self.err(field, "required");
        } else if v.chars().count() > max {
            self.err(field, &format!("max_length_{max}"));
        }
    }
    fn one_of(&mut self, field: &str, v: &str, allowed: &[&str]) {
        if !allowed.contains(&v) {
            self.err(field, "code");
        }
    }
    fn time(&mut self, field: &str, ms: i64, now: i64) {
        if ms > now + SKEW_MS {
            self.err(field, "not_in_future");
        } else if ms < MIN_TIME_MS {
            self.err(field, "not_before_1900");
        }
    }
    fn date(&mut self, field: &str, d: &str, today: Date) -> Option<Date> {
        match Date::parse(d) {
            None => {
                self.err(field, "date_format");
                None
            }
            Some(x) if x > today => {
                self.err(field, "not_in_future");
                None
            }
            Some(x) if x.year < 1900 => {
                self.err(field, "not_before_1900");
                None
            }
            Some(x) => Some(x),
        }
    }
    fn done(self) -> Result<(), Vec<FieldError>> {
        if self.errs.is_empty() {
            Ok(())
        } else {
            Err(self.errs)
        }
    }
}

fn check(prefix: &str) -> Check<'_> {
    Check {
        prefix,
        errs: Vec::new(),
    }
}

impl Observation {
    /// Validates and converts to the canonical unit (value and reference range), computing the
    /// interpretation from the range when it is not given.
    pub fn normalize(&mut self, now: i64) -> Result<(), Vec<FieldError>> {
        let mut c = check("");
        if !codes::loinc_valid(&self.code) {
            c.err("code", "loinc");
        }
        c.text("display", &self.display, 200, false);
        c.one_of(
            "category",
            &self.category,
            &[
                "vital-signs",
                "laboratory",
                "survey",
                "social-history",
                "exam",
            ],
        );
        c.time("effective_at", self.effective_at, now);
        if let (Some(l), Some(h)) = (self.reference_low, self.reference_high)
            && l > h
        {
            c.err("reference_range", "low_above_high");
        }
        if let Some(i) = &self.interpretation {
            c.one_of("interpretation", i, &["N", "L", "H", "LL", "HH", "A"]);
        }
        match &mut self.value {
            ObsValue::Text { text } => c.text("value", text, 2000, true),
            ObsValue::Quantity { value, unit } => {
                if !value.is_finite() {
                    c.err("value", "number");
                } else if let Some(canon) = units::canonical(&self.code) {
                    match canon.normalize(*value, unit) {
                        Ok(v) => {
                            let from = unit.clone();
                            *value = v;
                            *unit = canon.unit.to_string();
                            self.reference_low = self
                                .reference_low
                                .and_then(|x| canon.convert_bound(x, &from));
                            self.reference_high = self
                                .reference_high
                                .and_then(|x| canon.convert_bound(x, &from));
                        }
                        Err(units::UnitProblem::Unit) => c.err("value.unit", "unit"),
                        Err(units::UnitProblem::Impossible) => c.err("value", "impossible"),
                    }
                } else if !units::ucum_plausible(unit) {
                    c.err("value.unit", "unit");
                }
            }
        }
        c.done()?;
        if self.interpretation.is_none()
            && let ObsValue::Quantity { value, .. } = self.value
        {
            self.interpretation = match (self.reference_low, self.reference_high) {
                (Some(l), _) if value < l => Some("L".into()),
                (_, Some(h)) if value > h => Some("H".into()),
                (Some(_), _) | (_, Some(_)) => Some("N".into()),
                _ => None,
            };
        }
        Ok(())
    }
}

impl Condition {
    pub fn validate(&self, today: Date) -> Result<(), Vec<FieldError>> {
        let mut c = check("");
        let ok = match self.system.as_str() {
            ICD10CM => codes::icd10cm_valid(&self.code),
            SNOMED => codes::snomed_valid(&self.code),
            _ => false,
        };
        if !ok {
            c.err("code", "icd10cm_or_snomed");
        }
        c.text("display", &self.display, 200, true);
        if let Some(o) = &self.onset {
            c.date("onset", o, today);
        }
        c.one_of(
            "clinical_status",
            &self.clinical_status,
            &[
                "active",
                "recurrence",
                "relapse",
                "inactive",
                "remission",
                "resolved",
            ],
        );
        c.done()
    }
}

pub const ROUTES: &[&str] = &[
    "oral",
    "sublingual",
    "intravenous",
    "intramuscular",
    "subcutaneous",
    "inhalation",
    "topical",
    "transdermal",
    "rectal",
    "nasal",
    "ophthalmic",
    "otic",
    "other",
];

impl MedicationStatement {
    pub fn validate(&self, today: Date) -> Result<(), Vec<FieldError>> {
        let mut c = check("");
        if !self.code.is_empty() && !codes::rxnorm_valid(&self.code) {
            c.err("code", "rxnorm");
        }
        if let Some(o) = &self.safety_override {
            let n = o.reason.trim().chars().count();
            if n < 5 {
                c.err("safety_override.reason", "min_length_5");
            } else if n > 500 {
                c.err("safety_override.reason", "max_length_500");
            }
            if o.alerts.is_empty() || o.alerts.len() > 50 {
                c.err("safety_override.alerts", "required");
            }
        }
        c.text("display", &self.display, 200, true);
        match (self.dose_value, &self.dose_unit) {
            (Some(v), Some(u)) => {
                if !v.is_finite() || v <= 0.0 || v > 100_000.0 {
                    c.err("dose_value", "impossible");
                }
                if !units::ucum_plausible(u) {
                    c.err("dose_unit", "unit");
                }
            }
            (None, None) => {}
            _ => c.err("dose_unit", "value_and_unit_together"),
        }
        c.one_of("route", &self.route, ROUTES);
        c.text("frequency", &self.frequency, 100, false);
        c.one_of(
            "status",
            &self.status,
            &[
                "active",
                "completed",
                "intended",
                "stopped",
                "on-hold",
                "unknown",
                "not-taken",
            ],
        );
        let start = self
            .start
            .as_deref()
            .and_then(|d| c.date("start", d, today));
        if let Some(e) = &self.end {
            // An end date may be planned, so it may lie in the future.
            match Date::parse(e) {
                None => c.err("end", "date_format"),
                Some(e) if start.is_some_and(|s| e < s) => c.err("end", "end_before_start"),
                Some(_) => {}
            }
        }
        c.done()
    }
}

impl AllergyIntolerance {
    pub fn validate(&self, today: Date) -> Result<(), Vec<FieldError>> {
        let mut c = check("");
        let ok = match self.system.as_str() {
            RXNORM => codes::rxnorm_valid(&self.code),
            SNOMED => codes::snomed_valid(&self.code) && self.code != NO_KNOWN_ALLERGY,
            _ => false,
        };
        if !ok {
            c.err("code", "rxnorm_or_snomed");
        }
        c.text("display", &self.display, 200, true);
        if let Some(r) = &self.reaction {
            c.text("reaction", r, 500, false);
        }
        c.one_of(
            "criticality",
            &self.criticality,
            &["low", "high", "unable-to-assess"],
        );
        c.date("recorded", &self.recorded, today);
        c.done()
    }
}

/// SNOMED CT 716186003 |No known allergy|: recorded through `record_no_known_allergies`, not as
/// an allergy.
pub const NO_KNOWN_ALLERGY: &str = "716186003";

impl Encounter {
    pub fn validate(&self, now: i64) -> Result<(), Vec<FieldError>> {
        let mut c = check("");
        c.one_of("class", &self.class, &["AMB", "EMER", "IMP", "HH"]);
        c.one_of(
            "status",
            &self.status,
            &["planned", "in-progress", "finished", "cancelled"],
        );
        if self.status != "planned" {
            c.time("start", self.start, now);
        }
        if let Some(e) = self.end
            && e < self.start
        {
            c.err("end", "end_before_start");
        }
        c.text("reason", &self.reason, 500, false);
        c.done()
    }
}

impl NoteContent {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = check("");
        c.one_of(
            "kind",
            &self.kind,
            &[
                "progress",
                "history-and-physical",
                "discharge",
                "consult",
                "nursing",
                "triage",
            ],
        );
        c.text("title", &self.title, 200, true);
        c.text("text", &self.text, 50_000, false);
        if let Some(soap) = &self.soap {
            for (f, v) in [
                ("soap.subjective", &soap.subjective),
                ("soap.objective", &soap.objective),
                ("soap.assessment", &soap.assessment),
                ("soap.plan", &soap.plan),
            ] {
                c.text(f, v, 20_000, false);
            }
        }
        c.done()
    }

    /// Nothing written yet: a draft may be blank, a signature needs content.
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
            && self.soap.as_ref().is_none_or(|s| {
                [&s.subjective, &s.objective, &s.assessment, &s.plan]
                    .iter()
                    .all(|t| t.trim().is_empty())
            })
    }
}

/// One clinical fact of a chart: any of the record kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Observation(Observation),
    Condition(Condition),
    Medication(MedicationStatement),
    Allergy(AllergyIntolerance),
    Encounter(Encounter),
    Procedure(Procedure),
    Immunization(Immunization),
}

impl Record {
    /// The kind's name, as stored and audited.
    pub fn kind(&self) -> &'static str {
        match self {
            Record::Observation(_) => "observation",
            Record::Condition(_) => "condition",
            Record::Medication(_) => "medication",
            Record::Allergy(_) => "allergy",
            Record::Encounter(_) => "encounter",
            Record::Procedure(_) => "procedure",
            Record::Immunization(_) => "immunization",
        }
    }

    /// Validates and normalizes (units converted to the canonical ones); returns the time the
    /// record is ordered by. The vault calls it before storing, importers to quarantine what
    /// the vault would refuse.
    pub fn check(&mut self, now: i64) -> Result<i64, Vec<FieldError>> {
        let today = Date::from_unix_ms(now);
        match self {
            Record::Observation(o) => o.normalize(now).map(|()| o.effective_at),
            Record::Condition(c) => c
                .validate(today)
                .map(|()| c.onset.as_deref().and_then(date_ms).unwrap_or(now)),
            Record::Medication(m) => m
                .validate(today)
                .map(|()| m.start.as_deref().and_then(date_ms).unwrap_or(now)),
            Record::Allergy(a) => a
                .validate(today)
                .map(|()| date_ms(&a.recorded).unwrap_or(now)),
            Record::Encounter(e) => e.validate(now).map(|()| e.start),
            Record::Procedure(p) => p.validate(now).map(|()| p.performed_at),
            Record::Immunization(i) => i.validate(today).map(|()| date_ms(&i.date).unwrap_or(now)),
        }
    }
}

/// Milliseconds at the start of a `YYYY-MM-DD` day (UTC), for ordering.
pub fn date_ms(d: &str) -> Option<i64> {
    Date::parse(d).map(Date::to_unix_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_487_577_000; // 2026-11-24

    fn glucose(v: f64, unit: &str) -> Observation {
        Observation {
            code: "2345-7".into(),
            display: "Glucose".into(),
            category: "laboratory".into(),
            value: ObsValue::Quantity {
                value: v,
                unit: unit.into(),
            },
            reference_low: Some(3.9),
            reference_high: Some(5.6),
            effective_at: NOW - 3_600_000,
            interpretation: None,
        }
    }

    fn rules(r: Result<(), Vec<FieldError>>) -> Vec<(String, String)> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|f| (f.field, f.rule))
            .collect()
    }

    #[test]
    fn observations_convert_units_with_their_reference_range_and_get_an_interpretation() {
        let mut o = glucose(7.0, "mmol/L");
        o.normalize(NOW).unwrap();
        let ObsValue::Quantity { value, unit } = &o.value else {
            panic!()
        };
        assert_eq!(unit, "mg/dL");
        assert!((value - 126.1).abs() < 0.1);
        assert!((o.reference_high.unwrap() - 100.9).abs() < 0.1);
        assert_eq!(o.interpretation.as_deref(), Some("H"));
    }

    #[test]
    fn observation_rules() {
        let cases: Vec<(Observation, &str, &str)> = vec![
            (
                Observation {
                    code: "2345-8".into(),
                    ..glucose(5.0, "mmol/L")
                },
                "code",
                "loinc",
            ),
            (glucose(5.0, "g/L"), "value.unit", "unit"),
            (glucose(-1.0, "mmol/L"), "value", "impossible"),
            (glucose(f64::NAN, "mmol/L"), "value", "number"),
            (
                Observation {
                    effective_at: NOW + 3_600_000,
                    ..glucose(5.0, "mmol/L")
                },
                "effective_at",
                "not_in_future",
            ),
            (
                Observation {
                    reference_low: Some(9.0),
                    ..glucose(5.0, "mmol/L")
                },
                "reference_range",
                "low_above_high",
            ),
            (
                Observation {
                    category: "labs".into(),
                    ..glucose(5.0, "mmol/L")
                },
                "category",
                "code",
            ),
        ];
        for (mut o, field, rule) in cases {
            assert_eq!(
                rules(o.normalize(NOW)),
                vec![(field.to_string(), rule.to_string())],
                "{field}"
            );
        }
        // A body temperature of 98.6 °F is stored as 37 °C.
        let mut t = Observation {
            code: "8310-5".into(),
            display: "Body temperature".into(),
            category: "vital-signs".into(),
            value: ObsValue::Quantity {
                value: 98.6,
                unit: "[degF]".into(),
            },
            reference_low: None,
            reference_high: None,
            effective_at: NOW,
            interpretation: None,
        };
        t.normalize(NOW).unwrap();
        assert!(matches!(t.value, ObsValue::Quantity { value, .. } if (value - 37.0).abs() < 0.01));
        assert_eq!(t.interpretation, None);
    }

    #[test]
    fn condition_medication_allergy_encounter_rules() {
        let today = Date::parse("2026-11-24").unwrap();
        let cond = Condition {
            system: ICD10CM.into(),
            code: "E11.9".into(),
            display: "Type 2 diabetes mellitus without complications".into(),
            onset: Some("2015-06-01".into()),
            clinical_status: "active".into(),
        };
        assert!(cond.validate(today).is_ok());
        let snomed = Condition {
            system: SNOMED.into(),
            code: "44054006".into(),
            ..cond.clone()
        };
        assert!(snomed.validate(today).is_ok());
        let bad = Condition {
            code: "44054007".into(),
            ..snomed
        };
        assert_eq!(
            rules(bad.validate(today)),
            vec![("code".into(), "icd10cm_or_snomed".into())]
        );
        let future = Condition {
            onset: Some("2027-01-01".into()),
            ..cond
        };
        assert_eq!(
            rules(future.validate(today)),
            vec![("onset".into(), "not_in_future".into())]
        );

        let med = MedicationStatement {
            code: "860975".into(),
            display: "metformin 500 MG Oral Tablet".into(),
            dose_value: Some(500.0),
            dose_unit: Some("mg".into()),
            route: "oral".into(),
            frequency: "twice daily".into(),
            status: "active".into(),
            start: Some("2020-01-01".into()),
            end: None,
            safety_override: None,
        };
        assert!(med.validate(today).is_ok());
        let by_name = MedicationStatement {
            code: String::new(),
            safety_override: Some(SafetyOverride {
                alerts: vec!["drug-drug:major".into()],
                reason: "ok".into(),
            }),
            ..med.clone()
        };
        assert_eq!(
            rules(by_name.validate(today)),
            vec![("safety_override.reason".into(), "min_length_5".into())],
            "uncoded is allowed, an override needs a real reason"
        );
        let bad = MedicationStatement {
            end: Some("2019-01-01".into()),
            route: "by mouth".into(),
            ..med.clone()
        };
        assert_eq!(
            rules(bad.validate(today)),
            vec![
                ("route".into(), "code".into()),
                ("end".into(), "end_before_start".into())
            ]
        );

        let allergy = AllergyIntolerance {
            system: SNOMED.into(),
            code: "764146007".into(),
            display: "Penicillin".into(),
            reaction: Some("Hives".into()),
            criticality: "high".into(),
            recorded: "2026-11-01".into(),
        };
        assert!(allergy.validate(today).is_ok());
        let nka = AllergyIntolerance {
            code: NO_KNOWN_ALLERGY.into(),
            ..allergy
        };
        assert_eq!(
            rules(nka.validate(today)),
            vec![("code".into(), "rxnorm_or_snomed".into())]
        );

        let enc = Encounter {
            class: "EMER".into(),
            status: "finished".into(),
            start: NOW - 7_200_000,
            end: Some(NOW - 10_000_000),
            reason: "Chest pain".into(),
        };
        assert_eq!(
            rules(enc.validate(NOW)),
            vec![("end".into(), "end_before_start".into())]
        );

        let mut note = NoteContent {
            kind: "progress".into(),
            title: "ED visit".into(),
            text: String::new(),
            soap: Some(Soap::default()),
        };
        assert!(note.validate().is_ok(), "a blank draft is valid");
        assert!(note.is_blank());
        note.soap.as_mut().unwrap().plan = "  ".into();
        assert!(note.is_blank(), "whitespace is not content");
        note.soap.as_mut().unwrap().subjective = "x".repeat(20_001);
        assert!(!note.is_blank());
        assert_eq!(
            rules(note.validate()),
            vec![("soap.subjective".into(), "max_length_20000".into())]
        );
        note.kind = "letter".into();
        note.title = " ".into();
        note.soap = None;
        assert_eq!(
            rules(note.validate()),
            vec![
                ("kind".into(), "code".into()),
                ("title".into(), "required".into())
            ]
        );
    }

    #[test]
    fn date_ms_is_the_inverse_of_the_calendar_conversion() {
        for d in ["1970-01-01", "2000-02-29", "1900-01-01", "2026-11-24"] {
            assert_eq!(Date::from_unix_ms(date_ms(d).unwrap()).to_string(), d);
        }
        assert_eq!(date_ms("1900-01-01"), Some(MIN_TIME_MS));
    }
}
