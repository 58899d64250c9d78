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
use crate::closed::{
    ClinicalStatus, Criticality, EncounterClass, EncounterStatus, ImmunizationStatus,
    Interpretation, MedicationStatus, NoteKind, ObsCategory, ObservationStatus, ProcedureStatus,
    Route,
};
use crate::codes::{self, CPT, ICD10CM, RXNORM, SNOMED};
use crate::field::FieldError;
use crate::units;

/// 1900-01-01T00:00:00Z in Unix milliseconds.
pub const MIN_TIME_MS: i64 = -2_208_988_800_000;
/// Clock skew tolerated for "not in the future".
pub const SKEW_MS: i64 = 5 * 60_000;

/// A number with its UCUM unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub value: f64,
    pub unit: String,
}

/// An observation's value, of any FHIR R4 `value[x]` kind.
///
/// `Quantity` and `Text` keep the encoding they had when they were the only two kinds, so
/// sealed bodies written then read unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ObsValue {
    /// `valueQuantity` (and `valueInteger` of a counted measure, unit `1`).
    Quantity { value: f64, unit: String },
    /// `valueString`.
    Text { text: String },
    /// `valueCodeableConcept`: its first coding (`system` and `code` empty when it has text
    /// only) and the text shown for it.
    Coded {
        system: String,
        code: String,
        display: String,
    },
    /// `valueBoolean`.
    Boolean { value: bool },
    /// `valueInteger` of a measure without a unit (a score, a count of answers).
    Integer { value: i64 },
    /// `valueRange`.
    Range {
        low: Option<Quantity>,
        high: Option<Quantity>,
    },
    /// `valueRatio`.
    Ratio {
        numerator: Option<Quantity>,
        denominator: Option<Quantity>,
    },
    /// `valueSampledData`: a waveform as FHIR encodes it (`data` is the space-separated
    /// decimal samples, or `E`, `L`, `U` markers).
    SampledData {
        origin: Quantity,
        /// Milliseconds between samples.
        period_ms: f64,
        factor: Option<f64>,
        lower_limit: Option<f64>,
        upper_limit: Option<f64>,
        dimensions: u32,
        data: String,
    },
    /// `valueTime`: `hh:mm:ss` (local time of day).
    Time { time: String },
    /// `valueDateTime`, Unix ms.
    DateTime { at: i64 },
    /// `valuePeriod`, Unix ms.
    Period {
        start: Option<i64>,
        end: Option<i64>,
    },
}

impl ObsValue {
    /// The number of a `Quantity` value.
    pub fn number(&self) -> Option<f64> {
        match self {
            ObsValue::Quantity { value, .. } => Some(*value),
            _ => None,
        }
    }

    /// The text of a `Text` value, or the display (else code) of a `Coded` one.
    pub fn text(&self) -> Option<&str> {
        match self {
            ObsValue::Text { text } => Some(text),
            ObsValue::Coded { display, .. } if !display.is_empty() => Some(display),
            ObsValue::Coded { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// One component of an observation (`Observation.component`): the systolic and diastolic
/// values of a blood-pressure panel, the items of a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// LOINC.
    pub code: String,
    pub display: String,
    pub value: Option<ObsValue>,
    /// `dataAbsentReason` code (data-absent-reason), when there is no value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_absent: Option<String>,
    pub reference_low: Option<f64>,
    pub reference_high: Option<f64>,
    pub interpretation: Option<Interpretation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// LOINC.
    pub code: String,
    pub display: String,
    /// Absent in bodies sealed before it existed: those were all final.
    #[serde(default)]
    pub status: ObservationStatus,
    /// Any number of categories (FHIR 0..*); bodies sealed before held one code as a string.
    #[serde(deserialize_with = "one_or_many")]
    pub category: Vec<ObsCategory>,
    /// FHIR's value is 0..1: a panel may carry only components, and a value may be absent
    /// with a reason.
    pub value: Option<ObsValue>,
    /// `dataAbsentReason` code (data-absent-reason), when there is no value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_absent: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
    pub reference_low: Option<f64>,
    pub reference_high: Option<f64>,
    /// Unix ms.
    pub effective_at: i64,
    /// Computed from the reference range when not given.
    pub interpretation: Option<Interpretation>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ObsCategory>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(ObsCategory),
        Many(Vec<ObsCategory>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(c) => vec![c],
        OneOrMany::Many(v) => v,
    })
}

/// One measured value of an observation: its own value or one of its components'.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement<'a> {
    /// LOINC of the measure (the component's code for a component).
    pub code: &'a str,
    pub display: &'a str,
    pub value: &'a ObsValue,
    pub reference_low: Option<f64>,
    pub reference_high: Option<f64>,
    pub interpretation: Option<Interpretation>,
    pub effective_at: i64,
}

impl Observation {
    /// A final observation of one value charted in Iris, named by its LOINC display
    /// ([`codes::loinc::display`]), without range or interpretation (normalization adds them).
    pub fn charted(code: &str, category: ObsCategory, value: ObsValue, at: i64) -> Observation {
        Observation {
            code: code.to_string(),
            display: codes::loinc::display(code).unwrap_or_default().to_string(),
            status: ObservationStatus::Final,
            category: vec![category],
            value: Some(value),
            data_absent: None,
            components: Vec::new(),
            reference_low: None,
            reference_high: None,
            effective_at: at,
            interpretation: None,
        }
    }

    /// Whether it is a vital sign (category `vital-signs`).
    pub fn is_vital_sign(&self) -> bool {
        self.category.contains(&ObsCategory::VitalSigns)
    }

    /// The first category, if any (what a chart files it under).
    pub fn primary_category(&self) -> Option<ObsCategory> {
        self.category.first().copied()
    }

    /// Its value, then each component's, as separate measurements: a blood-pressure panel
    /// gives its systolic and diastolic values. Values that are absent are skipped.
    pub fn measurements(&self) -> impl Iterator<Item = Measurement<'_>> {
        let own = self.value.as_ref().map(|value| Measurement {
            code: &self.code,
            display: &self.display,
            value,
            reference_low: self.reference_low,
            reference_high: self.reference_high,
            interpretation: self.interpretation,
            effective_at: self.effective_at,
        });
        own.into_iter()
            .chain(self.components.iter().filter_map(|c| {
                c.value.as_ref().map(|value| Measurement {
                    code: &c.code,
                    display: &c.display,
                    value,
                    reference_low: c.reference_low,
                    reference_high: c.reference_high,
                    interpretation: c.interpretation,
                    effective_at: self.effective_at,
                })
            }))
    }

    /// The number measured for `code` (its own value or a component's), in canonical units
    /// once normalized.
    pub fn number_of(&self, code: &str) -> Option<f64> {
        self.measurements()
            .find(|m| m.code == code)
            .and_then(|m| m.value.number())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// `http://hl7.org/fhir/sid/icd-10-cm` or `http://snomed.info/sct`.
    pub system: String,
    pub code: String,
    pub display: String,
    /// `YYYY-MM-DD`.
    pub onset: Option<String>,
    pub clinical_status: ClinicalStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MedicationStatement {
    /// RxNorm (an ingredient or clinical drug RxCUI); empty for a medication recorded by name
    /// only (FHIR allows a text-only medication concept).
    pub code: String,
    pub display: String,
    pub dose_value: Option<f64>,
    pub dose_unit: Option<String>,
    pub route: Route,
    /// Free text, e.g. "twice daily" or "BID".
    pub frequency: String,
    pub status: MedicationStatus,
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
    pub criticality: Criticality,
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
    pub class: EncounterClass,
    pub status: EncounterStatus,
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
    pub status: ProcedureStatus,
}

/// A vaccine given (CVX).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Immunization {
    /// CVX code (`http://hl7.org/fhir/sid/cvx`).
    pub code: String,
    pub display: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub status: ImmunizationStatus,
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
        c.done()
    }
}

/// A note's content and kind. The SOAP sections, when the note has them, are part of the
/// content, so signing locks them together with the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteContent {
    pub kind: NoteKind,
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
    /// Validates and converts to the canonical unit (value, components and reference ranges),
    /// computing each interpretation from its range when it is not given.
    pub fn normalize(&mut self, now: i64) -> Result<(), Vec<FieldError>> {
        let mut c = check("");
        if !codes::loinc_valid(&self.code) {
            c.err("code", "loinc");
        }
        c.text("display", &self.display, 200, false);
        c.time("effective_at", self.effective_at, now);
        if self.value.is_some() && self.data_absent.is_some() {
            // FHIR R4 invariant obs-6: dataAbsentReason only when there is no value.
            c.err("data_absent", "with_value");
        }
        normalize_value(
            &mut c,
            "",
            &self.code,
            self.value.as_mut(),
            &mut self.reference_low,
            &mut self.reference_high,
        );
        if self.components.len() > 100 {
            c.err("components", "max_items_100");
        }
        for (i, comp) in self.components.iter_mut().enumerate() {
            let prefix = format!("components[{i}].");
            if !codes::loinc_valid(&comp.code) {
                c.err(&format!("{prefix}code"), "loinc");
            }
            c.text(&format!("{prefix}display"), &comp.display, 200, false);
            if comp.value.is_some() && comp.data_absent.is_some() {
                c.err(&format!("{prefix}data_absent"), "with_value");
            }
            normalize_value(
                &mut c,
                &prefix,
                &comp.code,
                comp.value.as_mut(),
                &mut comp.reference_low,
                &mut comp.reference_high,
            );
        }
        c.done()?;
        if self.interpretation.is_none() {
            self.interpretation =
                interpret(self.value.as_ref(), self.reference_low, self.reference_high);
        }
        for comp in &mut self.components {
            if comp.interpretation.is_none() {
                comp.interpretation =
                    interpret(comp.value.as_ref(), comp.reference_low, comp.reference_high);
            }
        }
        Ok(())
    }
}

/// Low, high or normal from a quantity's reference range; nothing without a range.
fn interpret(
    value: Option<&ObsValue>,
    low: Option<f64>,
    high: Option<f64>,
) -> Option<Interpretation> {
    let value = value.and_then(ObsValue::number)?;
    match (low, high) {
        (Some(l), _) if value < l => Some(Interpretation::Low),
        (_, Some(h)) if value > h => Some(Interpretation::High),
        (Some(_), _) | (_, Some(_)) => Some(Interpretation::Normal),
        _ => None,
    }
}

fn finite_quantity(c: &mut Check<'_>, field: &str, q: &Quantity) {
    if !q.value.is_finite() {
        c.err(field, "number");
    } else if !units::ucum_plausible(&q.unit) {
        c.err(&format!("{field}.unit"), "unit");
    }
}

/// Checks one value of measure `code` and converts a quantity (with its reference range) to
/// the measure's canonical unit. `prefix` names the component (`components[1].`) or is empty.
fn normalize_value(
    c: &mut Check<'_>,
    prefix: &str,
    code: &str,
    value: Option<&mut ObsValue>,
    low: &mut Option<f64>,
    high: &mut Option<f64>,
) {
    if let (Some(l), Some(h)) = (*low, *high)
        && l > h
    {
        c.err(&format!("{prefix}reference_range"), "low_above_high");
    }
    let field = format!("{prefix}value");
    let Some(value) = value else { return };
    match value {
        ObsValue::Text { text } => c.text(&field, text, 2000, true),
        ObsValue::Coded {
            code: vcode,
            display,
            ..
        } => {
            if vcode.trim().is_empty() && display.trim().is_empty() {
                c.err(&field, "required");
            }
            c.text(&field, display, 500, false);
        }
        ObsValue::Boolean { .. } | ObsValue::Integer { .. } | ObsValue::DateTime { .. } => {}
        ObsValue::Time { time } => {
            let ok = time.len() >= 8
                && time.as_bytes()[2] == b':'
                && time.as_bytes()[5] == b':'
                && time[..2].parse::<u8>().is_ok_and(|h| h < 24)
                && time[3..5].parse::<u8>().is_ok_and(|m| m < 60)
                && time[6..8].parse::<u8>().is_ok_and(|s| s < 61);
            if !ok {
                c.err(&field, "time_format");
            }
        }
        ObsValue::Period { start, end } => {
            if let (Some(s), Some(e)) = (start, end)
                && e < s
            {
                c.err(&field, "end_before_start");
            }
        }
        ObsValue::Range { low, high } => {
            for (f, q) in [("low", low.as_ref()), ("high", high.as_ref())] {
                if let Some(q) = q {
                    finite_quantity(c, &format!("{field}.{f}"), q);
                }
            }
            if let (Some(l), Some(h)) = (low, high)
                && l.unit == h.unit
                && l.value > h.value
            {
                c.err(&field, "low_above_high");
            }
        }
        ObsValue::Ratio {
            numerator,
            denominator,
        } => {
            for (f, q) in [
                ("numerator", numerator.as_ref()),
                ("denominator", denominator.as_ref()),
            ] {
                if let Some(q) = q {
                    finite_quantity(c, &format!("{field}.{f}"), q);
                }
            }
        }
        ObsValue::SampledData {
            origin,
            period_ms,
            dimensions,
            data,
            ..
        } => {
            finite_quantity(c, &format!("{field}.origin"), origin);
            if !period_ms.is_finite() || *period_ms <= 0.0 {
                c.err(&format!("{field}.period_ms"), "number");
            }
            if *dimensions == 0 {
                c.err(&format!("{field}.dimensions"), "number");
            }
            c.text(&format!("{field}.data"), data, 10_000_000, false);
        }
        ObsValue::Quantity { value, unit } => {
            if !value.is_finite() {
                c.err(&field, "number");
            } else if let Some(canon) = units::canonical(code) {
                match canon.normalize(*value, unit) {
                    Ok(v) => {
                        let from = unit.clone();
                        *value = v;
                        *unit = canon.unit.to_string();
                        *low = low.and_then(|x| canon.convert_bound(x, &from));
                        *high = high.and_then(|x| canon.convert_bound(x, &from));
                    }
                    Err(units::UnitProblem::Unit) => c.err(&format!("{field}.unit"), "unit"),
                    Err(units::UnitProblem::Impossible) => c.err(&field, "impossible"),
                }
            } else if !units::ucum_plausible(unit) {
                c.err(&format!("{field}.unit"), "unit");
            }
        }
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
        c.done()
    }
}

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
        c.text("frequency", &self.frequency, 100, false);
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
        if self.status != EncounterStatus::Planned {
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
            status: ObservationStatus::Final,
            category: vec![ObsCategory::Laboratory],
            value: Some(ObsValue::Quantity {
                value: v,
                unit: unit.into(),
            }),
            data_absent: None,
            components: vec![],
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
        let Some(ObsValue::Quantity { value, unit }) = &o.value else {
            panic!()
        };
        assert_eq!(unit, "mg/dL");
        assert!((value - 126.1).abs() < 0.1);
        assert!((o.reference_high.unwrap() - 100.9).abs() < 0.1);
        assert_eq!(o.interpretation, Some(Interpretation::High));
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
                    data_absent: Some("not-performed".into()),
                    ..glucose(5.0, "mmol/L")
                },
                "data_absent",
                "with_value",
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
            status: ObservationStatus::Final,
            category: vec![ObsCategory::VitalSigns],
            value: Some(ObsValue::Quantity {
                value: 98.6,
                unit: "[degF]".into(),
            }),
            data_absent: None,
            components: vec![],
            reference_low: None,
            reference_high: None,
            effective_at: NOW,
            interpretation: None,
        };
        t.normalize(NOW).unwrap();
        assert!(
            matches!(t.value, Some(ObsValue::Quantity { value, .. }) if (value - 37.0).abs() < 0.01)
        );
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
            clinical_status: ClinicalStatus::Active,
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
            route: Route::Oral,
            frequency: "twice daily".into(),
            status: MedicationStatus::Active,
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
            ..med.clone()
        };
        assert_eq!(
            rules(bad.validate(today)),
            vec![("end".into(), "end_before_start".into())]
        );

        let allergy = AllergyIntolerance {
            system: SNOMED.into(),
            code: "764146007".into(),
            display: "Penicillin".into(),
            reaction: Some("Hives".into()),
            criticality: Criticality::High,
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
            class: EncounterClass::Emergency,
            status: EncounterStatus::Finished,
            start: NOW - 7_200_000,
            end: Some(NOW - 10_000_000),
            reason: "Chest pain".into(),
        };
        assert_eq!(
            rules(enc.validate(NOW)),
            vec![("end".into(), "end_before_start".into())]
        );

        let mut note = NoteContent {
            kind: NoteKind::Progress,
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
        note.title = " ".into();
        note.soap = None;
        assert_eq!(
            rules(note.validate()),
            vec![("title".into(), "required".into())]
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

#[cfg(test)]
mod value_tests {
    use super::*;

    const NOW: i64 = 1_795_487_577_000;

    fn panel() -> Observation {
        let comp = |code: &str, display: &str, v: f64, high: f64| Component {
            code: code.into(),
            display: display.into(),
            value: Some(ObsValue::Quantity {
                value: v,
                unit: "mm[Hg]".into(),
            }),
            data_absent: None,
            reference_low: None,
            reference_high: Some(high),
            interpretation: None,
        };
        Observation {
            code: codes::loinc::BLOOD_PRESSURE_PANEL.into(),
            display: "Blood pressure panel".into(),
            status: ObservationStatus::Final,
            category: vec![ObsCategory::VitalSigns],
            value: None,
            data_absent: None,
            components: vec![
                comp(codes::loinc::SYSTOLIC_BP, "Systolic", 142.0, 130.0),
                comp(codes::loinc::DIASTOLIC_BP, "Diastolic", 78.0, 80.0),
            ],
            reference_low: None,
            reference_high: None,
            effective_at: NOW - 60_000,
            interpretation: None,
        }
    }

    #[test]
    fn a_panel_without_a_value_gives_one_measurement_per_component() {
        let mut p = panel();
        p.normalize(NOW).unwrap();
        let m: Vec<_> = p
            .measurements()
            .map(|m| (m.code, m.interpretation))
            .collect();
        assert_eq!(
            m,
            vec![
                (codes::loinc::SYSTOLIC_BP, Some(Interpretation::High)),
                (codes::loinc::DIASTOLIC_BP, Some(Interpretation::Normal)),
            ]
        );
        assert_eq!(p.number_of(codes::loinc::DIASTOLIC_BP), Some(78.0));
        assert!(p.is_vital_sign());
    }

    #[test]
    fn component_values_are_checked_and_converted_like_top_level_ones() {
        let mut p = panel();
        p.components[1].value = Some(ObsValue::Quantity {
            value: 10.0,
            unit: "kPa".into(),
        });
        p.components[0].value = Some(ObsValue::Quantity {
            value: 140.0,
            unit: "g".into(),
        });
        let errs = p.normalize(NOW).unwrap_err();
        let got: Vec<_> = errs
            .iter()
            .map(|e| (e.field.as_str(), e.rule.as_str()))
            .collect();
        assert_eq!(got, vec![("components[0].value.unit", "unit")]);
        let mut p = panel();
        p.components[1].value = Some(ObsValue::Quantity {
            value: 10.0,
            unit: "kPa".into(),
        });
        p.normalize(NOW).unwrap();
        // 10 kPa = 75.0 mmHg
        assert!((p.number_of(codes::loinc::DIASTOLIC_BP).unwrap() - 75.0).abs() < 0.1);
    }

    #[test]
    fn every_value_kind_validates_and_survives_sealing_as_json() {
        let q = |v: f64, u: &str| Quantity {
            value: v,
            unit: u.into(),
        };
        let kinds = vec![
            ObsValue::Quantity {
                value: 5.0,
                unit: "mmol/L".into(),
            },
            ObsValue::Text {
                text: "clear".into(),
            },
            ObsValue::Coded {
                system: SNOMED.into(),
                code: "260385009".into(),
                display: "Negative".into(),
            },
            ObsValue::Boolean { value: true },
            ObsValue::Integer { value: 3 },
            ObsValue::Range {
                low: Some(q(1.0, "mg")),
                high: Some(q(2.0, "mg")),
            },
            ObsValue::Ratio {
                numerator: Some(q(1.0, "1")),
                denominator: Some(q(128.0, "1")),
            },
            ObsValue::SampledData {
                origin: q(0.0, "mV"),
                period_ms: 10.0,
                factor: Some(1.2),
                lower_limit: None,
                upper_limit: None,
                dimensions: 1,
                data: "1 2 3 E 4".into(),
            },
            ObsValue::Time {
                time: "07:30:00".into(),
            },
            ObsValue::DateTime { at: NOW - 1_000 },
            ObsValue::Period {
                start: Some(NOW - 2_000),
                end: Some(NOW - 1_000),
            },
        ];
        for v in kinds {
            let mut o = Observation {
                code: "2339-0".into(),
                value: Some(v.clone()),
                ..panel()
            };
            o.components.clear();
            if matches!(v, ObsValue::Quantity { .. }) {
                o.code = "2345-7".into();
            }
            o.normalize(NOW).unwrap_or_else(|e| panic!("{v:?}: {e:?}"));
            let back: Observation =
                serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
            assert_eq!(back, o);
        }
        let bad = [
            (
                ObsValue::Time {
                    time: "25:00:00".into(),
                },
                "value",
                "time_format",
            ),
            (
                ObsValue::Period {
                    start: Some(NOW),
                    end: Some(NOW - 1),
                },
                "value",
                "end_before_start",
            ),
            (
                ObsValue::Range {
                    low: Some(q(3.0, "mg")),
                    high: Some(q(2.0, "mg")),
                },
                "value",
                "low_above_high",
            ),
            (
                ObsValue::Coded {
                    system: String::new(),
                    code: String::new(),
                    display: " ".into(),
                },
                "value",
                "required",
            ),
        ];
        for (v, field, rule) in bad {
            let mut o = Observation {
                value: Some(v),
                components: vec![],
                ..panel()
            };
            let errs = o.normalize(NOW).unwrap_err();
            assert_eq!(
                errs.iter()
                    .map(|e| (e.field.as_str(), e.rule.as_str()))
                    .collect::<Vec<_>>(),
                vec![(field, rule)]
            );
        }
    }

    #[test]
    fn bodies_sealed_before_the_enums_and_value_kinds_read_unchanged() {
        // The exact JSON an observation was sealed as when category was a string and value
        // was required.
        let old = r#"{"code":"8867-4","display":"Heart rate","category":"vital-signs","value":{"type":"quantity","value":72.0,"unit":"/min"},"reference_low":60.0,"reference_high":100.0,"effective_at":1795487000000,"interpretation":"N"}"#;
        let o: Observation = serde_json::from_str(old).unwrap();
        assert_eq!(o.category, vec![ObsCategory::VitalSigns]);
        assert_eq!(o.status, ObservationStatus::Final);
        assert_eq!(o.interpretation, Some(Interpretation::Normal));
        assert_eq!(o.number_of("8867-4"), Some(72.0));
        let med = r#"{"code":"860975","display":"metformin","dose_value":500.0,"dose_unit":"mg","route":"oral","frequency":"twice daily","status":"on-hold","start":"2020-01-01","end":null}"#;
        let m: MedicationStatement = serde_json::from_str(med).unwrap();
        assert_eq!((m.route, m.status), (Route::Oral, MedicationStatus::OnHold));
    }
}
