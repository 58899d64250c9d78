//! FHIR R4 for Iris: streaming readers (Bundle and NDJSON), validation, normalization into
//! the record model of Iris (`iris_record`), export back to a Bundle, and a synthetic-patient
//! generator. Pure library code: no database, no vault, no network.
//!
//! Validation against the R4 specification itself (every resource type, cardinalities,
//! primitive formats, required bindings, named invariants) is [`spec::validate`], with rules
//! compiled from the official StructureDefinitions by `cargo xtask fhir-spec`.
//!
//! # Models
//!
//! serde models of the subset we normalize; everything else is kept as raw JSON. (The `fhir`
//! crates' generated models of all of R4 were rejected for their build time.) The readers hand
//! every resource over as its raw bytes ([`serde_json::value::RawValue`]), so resource types
//! and elements this crate does not model survive byte for byte; [`model`] holds the typed
//! subset, in which every element is a [`model::Field`] that records a wrong JSON type instead
//! of failing the whole resource.
//!
//! # Normalized values
//!
//! One record model: a resource normalizes into the `iris_record` type the vault stores
//! (`Observation`, `Condition`, `MedicationStatement`, `AllergyIntolerance`, `Encounter`,
//! `Procedure`, `Immunization`, `PatientRecord`), and [`export_bundle`] writes from the same
//! types. What FHIR knows beyond the stored record travels around it:
//!
//! - [`Sourced<T, X>`](Sourced): the record (`record`), the resource's `source_id`, its
//!   `identifiers`, the `subject` (patient) and `encounter` references, and `extra`, what a
//!   kind knows beyond those: [`ObservationExtra`] (the panel a component came from),
//!   [`ConditionExtra`] (the abatement date), [`AllergyExtra`] (the clinical status),
//!   [`ProcedureExtra`] (whether a performed time was given); `()` for the others.
//! - [`SourcedPatient`]: a `PatientRecord` with the resource id, every identifier,
//!   `deceased[x]` and the marital status.
//!
//! The vault does not store the extras today. Where FHIR may omit what the record requires,
//! the record holds a value its own check refuses and an accessor says it is absent: an empty
//! MRN ([`SourcedPatient::mrn`]), an empty allergy `recorded` date ([`Sourced::recorded`]), a
//! procedure without a performed time ([`Sourced::performed_at`]). The importer fills or
//! quarantines those.
//!
//! # Pipeline
//!
//! 1. [`read_bundle`], [`read_json`], [`read_ndjson`] or [`read_path`] call back with one
//!    [`Item`] at a time (see [`read`] for memory bounds and the Bundle-type rule).
//! 2. [`normalize()`] (or [`Entry::normalize`]) turns a resource into a [`Normalized`] value,
//!    or the list of [`Issue`]s that quarantine it. Issue reasons are fixed texts that never
//!    quote a value; paths look like `Observation.valueQuantity.value` (or
//!    `$.entry[3].resource.valueQuantity.value` from [`Entry::normalize`]).
//! 3. The vault converts units (UCUM codes are passed through untouched here), checks
//!    plausible ranges and dates against the clock, and stores.
//! 4. [`export_bundle`] writes a patient's records back; normalizing its output gives the same
//!    values back.
//!
//! # What each type requires (missing → an [`Issue`])
//!
//! | Resource | Required | Notes |
//! |---|---|---|
//! | every one | `resourceType`; `id` (when present) a valid FHIR id | |
//! | Patient | `name` with a `family` (official, else usual, else the first current name); full `birthDate` | `gender` absent → `unknown`; MRN = identifier typed `MR`, else the first identifier |
//! | Encounter | `subject` (Patient), `class`, `status`, `period.start` | |
//! | Observation | `subject`, LOINC `code`, `effective[x]`, a category of vital-signs / laboratory / survey / social-history / exam (inferred as vital-signs for vital-sign LOINC codes when absent), a value (top-level or in components) | `hasMember`-only panels give no values and no issue |
//! | Condition | `subject`, ICD-10-CM or SNOMED CT `code` | `clinicalStatus` absent → `resolved` if abated, else `active`; refuted / entered-in-error → issue |
//! | MedicationRequest / MedicationStatement | `subject`, `status`, `medication[x]` with an RxNorm code or text (a contained Medication is resolved) | |
//! | AllergyIntolerance | `patient`, RxNorm or SNOMED CT `code` | `criticality` absent → `unable-to-assess` |
//! | Procedure | `subject`, `status`, SNOMED CT or CPT `code` | |
//! | Immunization | `patient`, `status`, CVX `vaccineCode`, full `occurrenceDateTime` | |
//!
//! Code checks: LOINC `^\d{1,7}-\d$` with its mod-10 check digit; ICD-10-CM
//! `^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$`; SNOMED CT 6–18 digits with its Verhoeff check digit;
//! RxNorm 1–8 digits; CVX 1–3 digits; CPT four digits and a digit or capital letter. Numbers
//! must be JSON numbers. Dates: see [`time`]; a required date must be a full date (a partial
//! optional date is dropped; a dateTime with a time needs a timezone). Any element of the
//! wrong JSON type is an issue at its path. `entered-in-error` status is always an issue.
//!
//! # Mappings
//!
//! - Medication status: MedicationRequest `active`, `completed`, `stopped`, `on-hold`,
//!   `unknown` as is; `cancelled` → `stopped`; `draft` → `intended`. MedicationStatement as is.
//! - Route: SNOMED CT route codes ([`normalize::ROUTES`]), else words of the text / display /
//!   local code (`PO`, `IV`, `by mouth` …, [`normalize::route_from_text`]); unrecognised or
//!   absent → `other`.
//! - Frequency: `timing.code` text, display or code; else `timing.repeat` in words
//!   ([`normalize::frequency_text`]: `2 per 1 d` → "twice daily"); else "as needed" when
//!   `asNeededBoolean`; else empty.
//! - Dose: `doseAndRate[0].doseQuantity`, unit = `code`, else `unit`, else `1` (UCUM unity: a
//!   bare number, as Synthea writes doses, counts dose units).
//! - Encounter class: `AMB`, `EMER`, `IMP`, `HH` and their v3 relatives (`VR`, `PRENC`, `FLD` →
//!   AMB; `ACUTE`, `NONAC`, `SS`, `OBSENC` → IMP) and Synthea's words (`ambulatory`, `wellness`,
//!   `outpatient`, `urgentcare` → AMB, `emergency` → EMER, `inpatient` → IMP, `home` → HH).
//!   Status: `arrived`, `triaged`, `onleave` → `in-progress`. Reason: `reasonCode[0]` text or
//!   display, else `type[0]`'s, else empty.
//! - Patient: the home address, else the first; phone and email from `telecom`.
//! - Allergy reaction: the manifestations of every reaction, joined with `; `; recorded:
//!   `recordedDate`, else `onsetDateTime`.
//! - Observation interpretation: N, L, H, LL, HH, A (HU → HH, LU → LL, AA → A; others dropped).
//!   Reference range: `referenceRange[0]` low/high values, in the value's unit (a range in
//!   another unit than the value is an issue). Value unit: `valueQuantity.code`, else `.unit`;
//!   `1` for a `valueInteger`.
//! - Components (blood pressure 85354-9 → 8480-6 and 8462-4): one observation each, with
//!   [`ObservationExtra::panel`] set to the panel's code.
//! - Dates (`YYYY-MM-DD`) are the calendar date as written; times (Unix ms) apply the offset.

pub mod codes;
pub mod export;
pub mod model;
pub mod normalize;
pub mod read;
pub mod reference;
pub mod spec;
pub mod synthetic;
pub mod time;

pub use export::{export_bundle, patient_resource};
pub use normalize::{
    AllergyExtra, ConditionExtra, Deceased, Issue, Normalized, ObservationExtra, ProcedureExtra,
    Sourced, SourcedPatient, normalize, normalize_value,
};
pub use read::{
    BundleType, Entry, Item, ReadError, ReadErrorKind, Request, Summary, read_bundle, read_json,
    read_ndjson, read_path,
};
pub use reference::{Reference, parse_reference};
