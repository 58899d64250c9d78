//! Deterministic clinical decision support for Iris: pure functions of their inputs, no IO,
//! no clock, no models, so they work on every workstation and are exactly testable.
//!
//! Every formula and table cites its published source next to the code and in its tests.
//! Inputs are in the vault's canonical units (mg/dL for creatinine, years for age).

pub mod egfr;

pub use egfr::{EgfrError, ckd_epi_2021};

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
