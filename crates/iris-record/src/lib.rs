//! The clinical record model of Iris, one definition for every crate that reads or writes
//! clinical data: the FHIR reader normalizes into it and the writer exports from it, the vault
//! seals and stores it, decision support reads it, and the wire DTOs convert from it at one
//! boundary (iris-core).
//!
//! - closed code lists as enums ([`Sex`], [`Route`], [`ObservationStatus`] …), serialized as
//!   their codes.
//! - [`records`]: observation, condition, medication statement, allergy, encounter, procedure,
//!   immunization and note content (with its SOAP sections), with their validation rules;
//!   [`Record`] is any one of them.
//! - [`patient`]: the identifying record of a patient and its validation.
//! - [`codes`]: code-system URIs, named LOINC codes and code checks.
//! - [`units`]: the canonical unit of each quantity Iris computes with, and conversions.
//! - [`calendar`]: civil dates and Unix milliseconds (proleptic Gregorian).
//! - [`FieldError`]: a validation failure as field and rule, never the value.
//!
//! No storage, no IO, no clock: time comes in as an argument. The record structs derive serde
//! only so the vault can seal them as one encoded body; they cross the process boundary only
//! as DTOs.

pub mod calendar;
#[macro_use]
mod closed;
pub mod codes;
mod field;
pub mod patient;
pub mod records;
pub mod units;

pub use calendar::Date;
pub use closed::{
    ClinicalStatus, Criticality, EncounterClass, EncounterStatus, ImmunizationStatus,
    Interpretation, MedicationStatus, NoteKind, ObsCategory, ObservationStatus, Pregnancy,
    ProcedureStatus, Route, Sex,
};
pub use field::FieldError;
pub use patient::{Address, PatientRecord};
pub use records::{
    AllergyIntolerance, Component, Condition, Encounter, Immunization, Measurement,
    MedicationStatement, NoteContent, ObsValue, Observation, Procedure, Quantity, Record,
    SafetyOverride, Soap,
};
