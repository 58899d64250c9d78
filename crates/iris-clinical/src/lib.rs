//! Deterministic clinical decision support for Iris: pure functions of their inputs, no IO,
//! no clock, no models, so they work on every workstation and are exactly testable.
//!
//! Every formula and table cites its published source next to the code and in its tests.
//! Inputs are in the vault's canonical units (mg/dL for creatinine, years for age).

pub mod chart;
pub mod egfr;
pub mod features;
pub mod flags;
pub mod scores;
pub mod triage;

pub use egfr::{EgfrError, ckd_epi_2021};

/// The result of every score, the same shape for all of them.
///
/// `score` is `None` when an input the score needs is absent (listed in `missing`): a missing
/// vital sign is never assumed normal.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Score {
    /// The total (points), or the value for computed measures (shock index, eGFR, BMI).
    pub score: Option<f64>,
    /// The published risk band of the total, e.g. NEWS2 "low", "low-medium", "medium", "high".
    pub risk: Option<&'static str>,
    /// Points (or the value used) per input, in the score's own order.
    pub parts: Vec<(&'static str, f64)>,
    /// Inputs the score needs that were not given.
    pub missing: Vec<&'static str>,
    /// Caveats a clinician must see (e.g. "NEWS2 does not apply under 16 or in pregnancy").
    pub notes: Vec<String>,
}

/// Sex as the published equations use it (they are defined for female and male only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Female,
    Male,
}

impl Sex {
    /// `female` / `male` (the vault's administrative sex codes); anything else has no
    /// equation and yields `None`.
    pub fn parse(s: &str) -> Option<Sex> {
        match s {
            "female" => Some(Sex::Female),
            "male" => Some(Sex::Male),
            _ => None,
        }
    }
}
