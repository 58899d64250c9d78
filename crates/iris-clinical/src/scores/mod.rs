//! Early-warning and risk scores: pure functions of [`Inputs`], each returning the shared
//! [`Score`] shape, each citing its published chart next to the code and in its tests.
//!
//! | Function | Score | Source |
//! |---|---|---|
//! | [`news2`] | National Early Warning Score 2 | Royal College of Physicians, NEWS2, 2017 |
//! | [`qsofa`] | quick SOFA | Singer et al., JAMA 2016;315:801–810 (Sepsis-3) |
//! | [`sirs`] | SIRS criteria | Bone et al., Chest 1992;101:1644–1655 (ACCP/SCCM) |
//! | [`mews`] | Modified Early Warning Score | Subbe et al., QJM 2001;94:521–526 |
//! | [`morse`] | Morse Fall Scale | Morse, Morse & Tylko, Can J Aging 1989;8:366–377 |
//! | [`shock_index`] | Shock index HR/SBP | Allgöwer & Burri, Dtsch Med Wochenschr 1967;92:1947–1950 |
//! | [`lace`] | LACE readmission index | van Walraven et al., CMAJ 2010;182:551–557 |
//! | [`egfr`] | CKD-EPI 2021 eGFR + KDIGO G category | Inker et al., NEJM 2021; KDIGO 2012 |
//! | [`bmi`] | Body-mass index + WHO adult category | WHO, Obesity: TRS 894, 2000 |
//!
//! # Missing and impossible inputs
//!
//! A score whose input is absent returns `score: None` and lists the input (by its field name in
//! [`Inputs`]) in `missing`: a missing vital sign is never assumed normal. The points of the
//! inputs that *were* given still appear in `parts`, and a note states the partial total as a
//! lower bound, so a clinician sees e.g. that a patient already has 5 NEWS2 points before the
//! last observation is taken. `risk` is `None` whenever `score` is.
//!
//! A value outside the limits below is physiologically impossible (or a unit error): it is
//! never scored. [`validate`] reports every such value; each score also refuses such a value on
//! its own (`score: None`, the rejected field explained in `notes`, not listed in `missing`),
//! so a caller that skips [`validate`] still cannot get a score from an impossible input.
//!
//! | Field | Accepted | Unit | Why |
//! |---|---|---|---|
//! | `age_years` | 0 – 130 | years | oldest verified human 122 y |
//! | `respiratory_rate` | 0 – 120 | breaths/min | 0 = apnoea; neonatal tachypnoea can exceed 80/min |
//! | `spo2` | 0 – 100 | % | a saturation; very low readings occur (oximeters are only specified accurate over roughly 70–100 %) |
//! | `spo2_scale` | 1 or 2 | – | the two NEWS2 SpO2 scales |
//! | `systolic_bp` | 0 – 300 | mmHg | 0 = no measurable pressure (arrest); cuffs read to 300 |
//! | `diastolic_bp` | 0 – 200, and below systolic | mmHg | diastolic ≥ systolic is impossible, except 0/0 (arrest) |
//! | `heart_rate` | 0 – 350 | beats/min | 0 = pulseless; infant SVT reaches 300 |
//! | `gcs` | 3 – 15 | points | the Glasgow Coma Scale's range |
//! | `temperature_c` | 10 – 47 | °C | survivals at 13.7 °C and 46.5 °C are recorded; rejects °F entered as °C |
//! | `wbc_10e9_per_l` | 0 – 1000 | ×10⁹/L | hyperleukocytosis in leukaemia can exceed 500 |
//! | `weight_kg` | 0.2 – 700 | kg | extreme prematurity to the heaviest recorded humans |
//! | `height_cm` | 20 – 280 | cm | extreme prematurity to the tallest recorded human (272 cm) |
//! | `creatinine_mg_dl` | > 0 – 40 | mg/dL | as [`crate::ckd_epi_2021`] |
//!
//! Every number must also be finite (no NaN, no infinity).
//!
//! # Decimals at band edges
//!
//! Published charts print bands in whole numbers (or one decimal for temperature), leaving
//! gaps such as NEWS2's "38.0 | 38.1". The rule used here, everywhere, is: **a value in a gap
//! belongs to the band farther from normal** (the higher-scoring one). So for NEWS2
//! temperature, > 38.0 scores as 38.1–39.0 (38.05 → 1), < 36.1 scores as 35.1–36.0
//! (36.05 → 1), < 35.1 scores as ≤ 35.0 (35.05 → 3); for NEWS2 respiratory rate 20.5 → 2 and
//! 8.5 → 3. On the printed values themselves every band is exactly the chart's. Criteria that
//! are published as inequalities rather than bands (qSOFA "RR ≥ 22", SIRS "HR > 90", shock
//! index, ESI) are applied literally. Before any comparison a value is rounded to 6 decimals,
//! which removes binary floating-point noise (e.g. 38.000000000001 from a °F conversion is
//! 38.0) without affecting any clinically meaningful digit.

mod bmi;
mod egfr;
mod lace;
mod mews;
mod morse;
mod news2;
mod qsofa;
mod shock_index;
mod sirs;

pub use bmi::bmi;
pub use egfr::egfr;
pub use lace::{LaceInput, lace};
pub use mews::mews;
pub use morse::{AmbulatoryAid, Gait, MentalStatus, MorseInput, morse};
pub use news2::news2;
pub use qsofa::qsofa;
pub use shock_index::shock_index;
pub use sirs::sirs;

use crate::{Score, Sex};

/// Level of consciousness on the ACVPU scale (RCP NEWS2 2017): AVPU with **C** for new
/// confusion added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Avpu {
    /// `A`: alert.
    Alert,
    /// `C`: new confusion (or new disorientation/agitation, or any new alteration of mentation).
    Confusion,
    /// `V`: responds to voice.
    Voice,
    /// `P`: responds to pain.
    Pain,
    /// `U`: unresponsive.
    Unresponsive,
}

impl Avpu {
    /// `"A"`, `"C"`, `"V"`, `"P"` or `"U"` (upper case); anything else is `None`.
    pub fn parse(s: &str) -> Option<Avpu> {
        match s {
            "A" => Some(Avpu::Alert),
            "C" => Some(Avpu::Confusion),
            "V" => Some(Avpu::Voice),
            "P" => Some(Avpu::Pain),
            "U" => Some(Avpu::Unresponsive),
            _ => None,
        }
    }

    /// The letter [`Avpu::parse`] accepts.
    pub fn as_str(self) -> &'static str {
        match self {
            Avpu::Alert => "A",
            Avpu::Confusion => "C",
            Avpu::Voice => "V",
            Avpu::Pain => "P",
            Avpu::Unresponsive => "U",
        }
    }
}

/// Everything the scores read, in canonical units; every field optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    /// Age in years (fractions allowed).
    pub age_years: Option<f64>,
    pub sex: Option<Sex>,
    pub pregnant: Option<bool>,
    /// Breaths per minute.
    pub respiratory_rate: Option<f64>,
    /// Peripheral oxygen saturation, %.
    pub spo2: Option<f64>,
    /// NEWS2 SpO2 scale, 1 or 2 (2 only for a prescribed 88–92 % target, e.g. hypercapnic
    /// respiratory failure). Absent: scale 1, with a note.
    pub spo2_scale: Option<u8>,
    /// Breathing supplemental oxygen (any device) at the time of the SpO2 reading.
    pub on_oxygen: Option<bool>,
    /// mmHg.
    pub systolic_bp: Option<f64>,
    /// mmHg.
    pub diastolic_bp: Option<f64>,
    /// Pulse, beats per minute.
    pub heart_rate: Option<f64>,
    /// ACVPU.
    pub consciousness: Option<Avpu>,
    /// Glasgow Coma Scale total, 3–15.
    pub gcs: Option<u8>,
    /// °C.
    pub temperature_c: Option<f64>,
    /// White cell count, ×10⁹/L (= ×10³/mm³).
    pub wbc_10e9_per_l: Option<f64>,
    pub weight_kg: Option<f64>,
    pub height_cm: Option<f64>,
    /// Serum creatinine, mg/dL.
    pub creatinine_mg_dl: Option<f64>,
    /// Morse Fall Scale items.
    pub morse: Option<MorseInput>,
    /// LACE index items.
    pub lace: Option<LaceInput>,
}

/// An impossible input value: `field` is the [`Inputs`] field name, `reason` the accepted range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputError {
    pub field: &'static str,
    pub reason: &'static str,
}

/// One row of the limits table in the module documentation.
#[derive(Debug)]
pub(crate) struct Limit {
    field: &'static str,
    lo: f64,
    /// The lower limit itself is excluded (creatinine > 0).
    lo_open: bool,
    hi: f64,
    reason: &'static str,
}

impl Limit {
    /// `lo ≤ x ≤ hi`.
    const fn closed(field: &'static str, lo: f64, hi: f64, reason: &'static str) -> Self {
        Limit {
            field,
            lo,
            lo_open: false,
            hi,
            reason,
        }
    }

    /// `lo < x ≤ hi`.
    const fn above(field: &'static str, lo: f64, hi: f64, reason: &'static str) -> Self {
        Limit {
            field,
            lo,
            lo_open: true,
            hi,
            reason,
        }
    }
}

/// The accepted ranges (module documentation, "Missing and impossible inputs"). `age_months`
/// and `age_days` are read by [`crate::triage`] only.
pub(crate) const LIMITS: &[Limit] = &[
    Limit::closed("age_years", 0.0, 130.0, "outside 0–130 years"),
    Limit::closed("age_months", 0.0, 1560.0, "outside 0–1560 months"),
    Limit::closed("age_days", 0.0, 47_482.5, "outside 0–47482.5 days"),
    Limit::closed("respiratory_rate", 0.0, 120.0, "outside 0–120 breaths/min"),
    Limit::closed("spo2", 0.0, 100.0, "outside 0–100 %"),
    Limit::closed("systolic_bp", 0.0, 300.0, "outside 0–300 mmHg"),
    Limit::closed("diastolic_bp", 0.0, 200.0, "outside 0–200 mmHg"),
    Limit::closed("heart_rate", 0.0, 350.0, "outside 0–350 beats/min"),
    Limit::closed("temperature_c", 10.0, 47.0, "outside 10–47 °C"),
    Limit::closed("wbc_10e9_per_l", 0.0, 1000.0, "outside 0–1000 ×10⁹/L"),
    Limit::closed("weight_kg", 0.2, 700.0, "outside 0.2–700 kg"),
    Limit::closed("height_cm", 20.0, 280.0, "outside 20–280 cm"),
    Limit::above("creatinine_mg_dl", 0.0, 40.0, "outside (0, 40] mg/dL"),
];

const NOT_FINITE: &str = "not a finite number";
const DIASTOLIC_NOT_BELOW_SYSTOLIC: &str = "diastolic at or above systolic (only 0/0 is possible)";

/// Checks one number against its row of [`LIMITS`] and returns it rounded to 6 decimals (see
/// "Decimals at band edges"). A field without a row is only checked for finiteness.
pub(crate) fn check(field: &'static str, x: f64) -> Result<f64, InputError> {
    if !x.is_finite() {
        return Err(InputError {
            field,
            reason: NOT_FINITE,
        });
    }
    if let Some(l) = LIMITS.iter().find(|l| l.field == field) {
        let above_lo = if l.lo_open { x > l.lo } else { x >= l.lo };
        if !above_lo || x > l.hi {
            return Err(InputError {
                field,
                reason: l.reason,
            });
        }
    }
    Ok(snap(x))
}

/// Removes binary floating-point noise before comparing with a chart's printed limits.
pub(crate) fn snap(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Rounds half away from zero to `decimals` places (for display values: shock index, BMI).
pub(crate) fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// The diastolic/systolic pair check: diastolic ≥ systolic is impossible except 0/0.
fn pressure_pair_error(inputs: &Inputs) -> Option<InputError> {
    match (inputs.systolic_bp, inputs.diastolic_bp) {
        (Some(s), Some(d))
            if s.is_finite() && d.is_finite() && d >= s && !(s == 0.0 && d == 0.0) =>
        {
            Some(InputError {
                field: "diastolic_bp",
                reason: DIASTOLIC_NOT_BELOW_SYSTOLIC,
            })
        }
        _ => None,
    }
}

/// Every impossible value in `inputs` (see the limits table in the module documentation);
/// `Ok` when there is none. Absent values are never errors.
pub fn validate(inputs: &Inputs) -> Result<(), Vec<InputError>> {
    let numbers: [(&'static str, Option<f64>); 11] = [
        ("age_years", inputs.age_years),
        ("respiratory_rate", inputs.respiratory_rate),
        ("spo2", inputs.spo2),
        ("systolic_bp", inputs.systolic_bp),
        ("diastolic_bp", inputs.diastolic_bp),
        ("heart_rate", inputs.heart_rate),
        ("temperature_c", inputs.temperature_c),
        ("wbc_10e9_per_l", inputs.wbc_10e9_per_l),
        ("weight_kg", inputs.weight_kg),
        ("height_cm", inputs.height_cm),
        ("creatinine_mg_dl", inputs.creatinine_mg_dl),
    ];
    let mut errors: Vec<InputError> = numbers
        .iter()
        .filter_map(|&(field, v)| v.and_then(|x| check(field, x).err()))
        .collect();
    if let Some(e) = pressure_pair_error(inputs) {
        errors.push(e);
    }
    if let Some(s) = inputs.spo2_scale
        && s != 1
        && s != 2
    {
        errors.push(InputError {
            field: "spo2_scale",
            reason: SCALE_REASON,
        });
    }
    if let Some(g) = inputs.gcs
        && !(3..=15).contains(&g)
    {
        errors.push(InputError {
            field: "gcs",
            reason: GCS_REASON,
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

const SCALE_REASON: &str = "not 1 or 2";
const GCS_REASON: &str = "outside 3–15";

/// All the scores for one set of inputs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    pub news2: Score,
    pub qsofa: Score,
    pub sirs: Score,
    pub mews: Score,
    pub morse: Score,
    pub shock_index: Score,
    pub lace: Score,
    pub egfr: Score,
    pub bmi: Score,
}

/// Every score of this module for `inputs`.
pub fn evaluate(inputs: &Inputs) -> Evaluation {
    Evaluation {
        news2: news2(inputs),
        qsofa: qsofa(inputs),
        sirs: sirs(inputs),
        mews: mews(inputs),
        morse: morse(inputs),
        shock_index: shock_index(inputs),
        lace: lace(inputs),
        egfr: egfr(inputs),
        bmi: bmi(inputs),
    }
}

/// Collects a score's inputs: records the missing ones, refuses impossible ones (with a note),
/// and accumulates points per input.
#[derive(Debug, Default)]
pub(crate) struct Collector {
    pub(crate) score: Score,
    rejected: bool,
}

impl Collector {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A number the score needs: `None` (and recorded) when absent or impossible.
    pub(crate) fn number(&mut self, field: &'static str, v: Option<f64>) -> Option<f64> {
        match v {
            None => {
                self.score.missing.push(field);
                None
            }
            Some(x) => match check(field, x) {
                Ok(x) => Some(x),
                Err(e) => {
                    self.reject(e, &x.to_string());
                    None
                }
            },
        }
    }

    /// Systolic pressure, also refused when the diastolic given with it is impossible.
    pub(crate) fn systolic(&mut self, inputs: &Inputs) -> Option<f64> {
        let s = self.number("systolic_bp", inputs.systolic_bp)?;
        if let Some(e) = pressure_pair_error(inputs) {
            let shown = format!("{s}/{}", inputs.diastolic_bp.unwrap_or_default());
            self.reject(
                InputError {
                    field: "systolic_bp",
                    reason: e.reason,
                },
                &shown,
            );
            return None;
        }
        Some(s)
    }

    /// A required value that is not a number (an enum, a bool): recorded when absent.
    pub(crate) fn required<T: Copy>(&mut self, field: &'static str, v: Option<T>) -> Option<T> {
        if v.is_none() {
            self.score.missing.push(field);
        }
        v
    }

    pub(crate) fn reject(&mut self, e: InputError, shown: &str) {
        self.rejected = true;
        self.score.notes.push(format!(
            "{} = {shown} rejected as impossible: {}",
            e.field, e.reason
        ));
    }

    pub(crate) fn part(&mut self, name: &'static str, value: f64) {
        self.score.parts.push((name, value));
    }

    pub(crate) fn note(&mut self, note: impl Into<String>) {
        self.score.notes.push(note.into());
    }

    /// True when every needed input was present and possible.
    pub(crate) fn complete(&self) -> bool {
        !self.rejected && self.score.missing.is_empty()
    }

    /// Sum of the parts.
    pub(crate) fn points(&self) -> f64 {
        self.score.parts.iter().map(|&(_, p)| p).sum()
    }

    /// Finishes a points score: the total and its risk band when complete, otherwise a note
    /// with the partial total as a lower bound.
    pub(crate) fn finish_points(
        mut self,
        name: &str,
        risk: impl FnOnce(&Score, f64) -> &'static str,
    ) -> Score {
        let total = self.points();
        if self.complete() {
            self.score.risk = Some(risk(&self.score, total));
            self.score.score = Some(total);
        } else if !self.score.parts.is_empty() {
            self.note(format!(
                "{name} incomplete: the inputs given already total {total} (a lower bound; the \
                 missing or rejected inputs can only add points)"
            ));
        }
        self.score
    }
}

/// A note for scores derived in adults, when the patient is a child.
pub(crate) fn adult_only_note(c: &mut Collector, inputs: &Inputs, name: &str) {
    if inputs.age_years.is_some_and(|a| a < 18.0) {
        c.note(format!(
            "{name} was derived and validated in adults; it is not validated under 18"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Physiologically impossible values, one per row: (inputs, rejected field).
    fn impossible() -> Vec<(Inputs, &'static str)> {
        let i = Inputs::default;
        vec![
            (
                Inputs {
                    age_years: Some(-1.0),
                    ..i()
                },
                "age_years",
            ),
            (
                Inputs {
                    age_years: Some(130.5),
                    ..i()
                },
                "age_years",
            ),
            (
                Inputs {
                    respiratory_rate: Some(-0.1),
                    ..i()
                },
                "respiratory_rate",
            ),
            (
                Inputs {
                    respiratory_rate: Some(121.0),
                    ..i()
                },
                "respiratory_rate",
            ),
            (
                Inputs {
                    spo2: Some(-1.0),
                    ..i()
                },
                "spo2",
            ),
            (
                Inputs {
                    spo2: Some(100.1),
                    ..i()
                },
                "spo2",
            ),
            (
                Inputs {
                    spo2_scale: Some(0),
                    ..i()
                },
                "spo2_scale",
            ),
            (
                Inputs {
                    spo2_scale: Some(3),
                    ..i()
                },
                "spo2_scale",
            ),
            (
                Inputs {
                    systolic_bp: Some(-5.0),
                    ..i()
                },
                "systolic_bp",
            ),
            (
                Inputs {
                    systolic_bp: Some(301.0),
                    ..i()
                },
                "systolic_bp",
            ),
            (
                Inputs {
                    diastolic_bp: Some(201.0),
                    ..i()
                },
                "diastolic_bp",
            ),
            (
                Inputs {
                    systolic_bp: Some(80.0),
                    diastolic_bp: Some(80.0),
                    ..i()
                },
                "diastolic_bp",
            ),
            (
                Inputs {
                    systolic_bp: Some(80.0),
                    diastolic_bp: Some(120.0),
                    ..i()
                },
                "diastolic_bp",
            ),
            (
                Inputs {
                    heart_rate: Some(-1.0),
                    ..i()
                },
                "heart_rate",
            ),
            (
                Inputs {
                    heart_rate: Some(351.0),
                    ..i()
                },
                "heart_rate",
            ),
            (
                Inputs {
                    gcs: Some(2),
                    ..i()
                },
                "gcs",
            ),
            (
                Inputs {
                    gcs: Some(16),
                    ..i()
                },
                "gcs",
            ),
            (
                Inputs {
                    temperature_c: Some(9.9),
                    ..i()
                },
                "temperature_c",
            ),
            (
                Inputs {
                    temperature_c: Some(98.6),
                    ..i()
                },
                "temperature_c",
            ),
            (
                Inputs {
                    wbc_10e9_per_l: Some(-0.1),
                    ..i()
                },
                "wbc_10e9_per_l",
            ),
            (
                Inputs {
                    wbc_10e9_per_l: Some(1000.1),
                    ..i()
                },
                "wbc_10e9_per_l",
            ),
            (
                Inputs {
                    weight_kg: Some(0.1),
                    ..i()
                },
                "weight_kg",
            ),
            (
                Inputs {
                    weight_kg: Some(701.0),
                    ..i()
                },
                "weight_kg",
            ),
            (
                Inputs {
                    height_cm: Some(19.0),
                    ..i()
                },
                "height_cm",
            ),
            (
                Inputs {
                    height_cm: Some(281.0),
                    ..i()
                },
                "height_cm",
            ),
            (
                Inputs {
                    creatinine_mg_dl: Some(0.0),
                    ..i()
                },
                "creatinine_mg_dl",
            ),
            (
                Inputs {
                    creatinine_mg_dl: Some(40.1),
                    ..i()
                },
                "creatinine_mg_dl",
            ),
            (
                Inputs {
                    heart_rate: Some(f64::NAN),
                    ..i()
                },
                "heart_rate",
            ),
            (
                Inputs {
                    spo2: Some(f64::INFINITY),
                    ..i()
                },
                "spo2",
            ),
            (
                Inputs {
                    temperature_c: Some(f64::NEG_INFINITY),
                    ..i()
                },
                "temperature_c",
            ),
        ]
    }

    #[test]
    fn validate_rejects_each_impossible_value() {
        for (inputs, field) in impossible() {
            let errors = validate(&inputs).expect_err(field);
            assert_eq!(errors.len(), 1, "{field}: {errors:?}");
            assert_eq!(errors[0].field, field);
        }
    }

    #[test]
    fn validate_accepts_the_limits_themselves() {
        let lows = Inputs {
            age_years: Some(0.0),
            respiratory_rate: Some(0.0),
            spo2: Some(0.0),
            spo2_scale: Some(1),
            systolic_bp: Some(0.0),
            diastolic_bp: Some(0.0),
            heart_rate: Some(0.0),
            gcs: Some(3),
            temperature_c: Some(10.0),
            wbc_10e9_per_l: Some(0.0),
            weight_kg: Some(0.2),
            height_cm: Some(20.0),
            creatinine_mg_dl: Some(0.01),
            ..Inputs::default()
        };
        assert_eq!(validate(&lows), Ok(()));
        let highs = Inputs {
            age_years: Some(130.0),
            respiratory_rate: Some(120.0),
            spo2: Some(100.0),
            spo2_scale: Some(2),
            systolic_bp: Some(300.0),
            diastolic_bp: Some(200.0),
            heart_rate: Some(350.0),
            gcs: Some(15),
            temperature_c: Some(47.0),
            wbc_10e9_per_l: Some(1000.0),
            weight_kg: Some(700.0),
            height_cm: Some(280.0),
            creatinine_mg_dl: Some(40.0),
            ..Inputs::default()
        };
        assert_eq!(validate(&highs), Ok(()));
        assert_eq!(validate(&Inputs::default()), Ok(()));
    }

    #[test]
    fn validate_reports_every_error() {
        let inputs = Inputs {
            respiratory_rate: Some(200.0),
            heart_rate: Some(f64::NAN),
            gcs: Some(1),
            ..Inputs::default()
        };
        let fields: Vec<_> = validate(&inputs)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["respiratory_rate", "heart_rate", "gcs"]);
    }

    #[test]
    fn no_score_is_computed_from_an_impossible_value() {
        for (inputs, field) in impossible() {
            let e = evaluate(&inputs);
            for s in [
                &e.news2,
                &e.qsofa,
                &e.sirs,
                &e.mews,
                &e.shock_index,
                &e.egfr,
                &e.bmi,
            ] {
                assert_eq!(s.score, None, "{field}");
            }
        }
        // Every other input of NEWS2 normal: the impossible one still blocks the total.
        let mut i = news2::tests::normal();
        i.respiratory_rate = Some(130.0);
        let s = news2(&i);
        assert_eq!(s.score, None);
        assert!(s.missing.is_empty());
        assert!(
            s.notes
                .iter()
                .any(|n| n.contains("respiratory_rate = 130 rejected")),
            "{s:?}"
        );
        let mut i = news2::tests::normal();
        i.diastolic_bp = Some(130.0);
        assert_eq!(news2(&i).score, None);
    }

    #[test]
    fn every_checked_field_has_a_limit() {
        for field in [
            "age_years",
            "age_months",
            "age_days",
            "respiratory_rate",
            "spo2",
            "systolic_bp",
            "diastolic_bp",
            "heart_rate",
            "temperature_c",
            "wbc_10e9_per_l",
            "weight_kg",
            "height_cm",
            "creatinine_mg_dl",
        ] {
            assert!(LIMITS.iter().any(|l| l.field == field), "{field}");
        }
        assert_eq!(check("creatinine_mg_dl", 40.0), Ok(40.0));
        assert!(check("creatinine_mg_dl", 0.0).is_err());
    }

    #[test]
    fn avpu_parses_its_letters_only() {
        for (s, a) in [
            ("A", Avpu::Alert),
            ("C", Avpu::Confusion),
            ("V", Avpu::Voice),
            ("P", Avpu::Pain),
            ("U", Avpu::Unresponsive),
        ] {
            assert_eq!(Avpu::parse(s), Some(a));
            assert_eq!(a.as_str(), s);
        }
        for s in ["", "a", "alert", "X", "AV"] {
            assert_eq!(Avpu::parse(s), None);
        }
    }

    #[test]
    fn floating_point_noise_is_removed_before_banding() {
        assert_eq!(snap(38.000_000_000_001), 38.0);
        assert_eq!(snap(36.1), 36.1);
        assert_eq!(snap(38.05), 38.05);
        assert_eq!(round_to(0.695_000_1, 2), 0.7);
        assert_eq!(round_to(24.96, 1), 25.0);
    }

    #[test]
    fn evaluate_fills_every_score() {
        let e = evaluate(&Inputs::default());
        for s in [
            &e.news2,
            &e.qsofa,
            &e.sirs,
            &e.mews,
            &e.morse,
            &e.shock_index,
            &e.lace,
            &e.egfr,
            &e.bmi,
        ] {
            assert_eq!(s.score, None);
            assert!(!s.missing.is_empty());
        }
    }
}
