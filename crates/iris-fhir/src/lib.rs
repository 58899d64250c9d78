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
//!   `identifiers`, the `subject` (patient) and `encounter` references, `extra`, what a kind
//!   knows beyond those ([`ObservationExtra`]: the `hasMember` references;
//!   [`ConditionExtra`]: the abatement date; [`AllergyExtra`]: the clinical status; `()` for
//!   the others), and `warnings` (below).
//! - [`SourcedPatient`]: a `PatientRecord` with the resource id, every identifier,
//!   `deceased[x]`, the marital status and `warnings`.
//!
//! The vault does not store the extras today. Where FHIR may omit what the record requires,
//! the record holds a value its own check refuses and an accessor says it is absent: an empty
//! MRN ([`SourcedPatient::mrn`]), an empty allergy `recorded` date ([`Sourced::recorded`]). The
//! importer fills those.
//!
//! # What `Err` means
//!
//! Whether a resource is valid R4 is [`spec::validate`]'s question. [`normalize()`] answers
//! whether Iris can *structure* it: `Err(Vec<Issue>)` says why it cannot (the importer keeps
//! such a resource whole, sealed, with its patient, and lists it), and is never by itself a
//! reason to reject R4-valid input. Normalization structures as much valid R4 as it can; what
//! it drops or defaults on the way is listed in the `warnings` of the structured value
//! ([`Normalized::warnings`]), with the same kind of path and a fixed reason:
//!
//! | Warning reason | When |
//! |---|---|
//! | `reference range in another unit than the value: dropped` | `referenceRange[0]` low/high in a unit other than the `valueQuantity`'s |
//! | `reference range without a low or high value: dropped` | `referenceRange[0]` with text, age or type only |
//! | `more than one reference range: only the first is kept` | several ranges (by age, sex …) |
//! | `interpretation code Iris does not chart: dropped` | an `interpretation` none of whose codes map (e.g. `POS`, `NEG`, `W`) |
//! | `dataAbsentReason not coded in data-absent-reason: unknown` | a reason given as text or in another system (recorded as `unknown`) |
//! | `quantity with a comparator: kept as text, not as a number` | `valueQuantity.comparator` (`<0.01 ng/mL` becomes that text) |
//! | `no effective time: the issued time is used` | Observation without `effectiveDateTime`, `effectivePeriod` or `effectiveInstant` (an `effectiveTiming` only) |
//! | `period without a start: its end is used` | `effectivePeriod` / `performedPeriod` / Encounter `period` with an end only |
//! | `partial date (year or year-month): dropped` | an optional date or time given as `YYYY` or `YYYY-MM` (condition onset/abatement, medication dates, allergy dates, encounter end) |
//! | `no family name: the name's text is used` / `…: the given names are used` / `no name: a placeholder is used` | Patient names (see below) |
//! | `more than five given names: the first five are kept` | Patient |
//! | `medication without an RxNorm code: recorded by name only` | codings of other systems dropped, or a `medicationReference` to a Medication resource named by its display |
//!
//! Codings of other systems that Iris does not need (observation categories, local codes
//! beside a LOINC one) are no loss and give no warning. Warnings are not exported.
//!
//! # Pipeline
//!
//! 1. [`read_bundle`], [`read_json`], [`read_ndjson`] or [`read_path`] call back with one
//!    [`Item`] at a time (see [`read`] for memory bounds and the Bundle-type rule).
//! 2. [`normalize()`] (or [`Entry::normalize`]) turns a resource into a [`Normalized`] value
//!    with its warnings, or the list of [`Issue`]s why it cannot be structured. Reasons are
//!    fixed texts that never quote a value; paths look like `Observation.valueQuantity.value`
//!    (or `$.entry[3].resource.valueQuantity.value` from [`Entry::normalize`], for warnings
//!    too).
//! 3. The vault converts units (UCUM codes are passed through untouched here), checks
//!    plausible ranges and dates against the clock, and stores.
//! 4. [`export_bundle`] writes a patient's records back; normalizing its output gives the same
//!    values back.
//!
//! # What each type requires (else an [`Issue`]: not structured)
//!
//! | Resource | Required | Notes |
//! |---|---|---|
//! | every one | `resourceType`; `id` (when present) a valid FHIR id | |
//! | Patient | a full `birthDate` (`YYYY-MM-DD`; absent or partial → `birth date is not a full date`, for now: a record needs a date of birth) | name: `family` of the official, else usual, else first current, else first name; without one its `text`, else its given names, else [`NO_NAME`] (each a warning); `gender` absent → `unknown`; MRN = identifier typed `MR`, else the first identifier |
//! | Encounter | `subject` (Patient), `class` of a mapped code (else `encounter class Iris does not chart`), `status` other than `unknown`, `period.start` (or, with a warning, `period.end`) | |
//! | Observation | `subject`, a LOINC coding in `code`, a time (`effective[x]`, else `issued`: else `missing (and no issued time)`) | any `value[x]` kind, or none; components (each with a LOINC `code`) with or without a top-level value; `hasMember` panels; at most one `value[x]`, and no `dataAbsentReason` beside a value (obs-6) |
//! | Condition | `subject`, ICD-10-CM or SNOMED CT `code` | `clinicalStatus` absent → `resolved` if abated, else `active`; verificationStatus `refuted` → `refuted` |
//! | MedicationRequest / MedicationStatement | `subject`, `status`, `medication[x]` with an RxNorm code or text (a contained Medication is resolved; a reference to another resource needs a `display`) | |
//! | AllergyIntolerance | `patient`, RxNorm or SNOMED CT `code` | `criticality` absent → `unable-to-assess`; verificationStatus `refuted` → `refuted` |
//! | Procedure | `subject`, `status`, SNOMED CT or CPT `code`, `performedDateTime` or `performedPeriod` (a `performedString`, `Age` or `Range` places it at no time) | |
//! | Immunization | `patient`, `status`, CVX `vaccineCode`, full `occurrenceDateTime` | |
//!
//! Entered in error (a `status` or `verificationStatus` of `entered-in-error`) is never
//! structured: reason `entered in error`. Code checks: LOINC `^\d{1,7}-\d$` with its mod-10
//! check digit; ICD-10-CM `^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$`; SNOMED CT 6–18 digits with its
//! Verhoeff check digit; RxNorm 1–8 digits; CVX 1–3 digits; CPT four digits and a digit or
//! capital letter (a coding of the accepted system that fails its check is an issue even
//! beside a good one). Numbers must be JSON numbers. Dates: see [`time`]; a required date or
//! time must be full (a dateTime with a time needs a timezone); a partial optional one is
//! dropped with a warning. Any element of the wrong JSON type is an issue at its path.
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
//!   `outpatient`, `urgentcare`, `virtual` → AMB, `emergency` → EMER, `inpatient` → IMP,
//!   `home` → HH). Status: `arrived`, `triaged`, `onleave` → `in-progress`. Reason:
//!   `reasonCode[0]` text or display, else `type[0]`'s, else empty.
//! - Patient: the home address, else the first; phone and email from `telecom`.
//! - Allergy reaction: the manifestations of every reaction, joined with `; `; recorded:
//!   `recordedDate`, else `onsetDateTime`.
//! - Observation: one record per resource ([`Normalized::Observation`]).
//!   - Status: every observation-status code as is (`entered-in-error` is not structured).
//!   - Category: every coding of the observation-category system (or without a system) whose
//!     code is one of its nine, in order, once; codings of other systems are ignored; none →
//!     empty, or `vital-signs` for a vital-sign LOINC code.
//!   - `value[x]`: Quantity → `Quantity` (unit `code`, else `unit`, else `1`; with a
//!     `comparator` → `Text` such as `<0.01 ng/mL`, a warning); CodeableConcept → `Coded`
//!     (the first coding with a code: its system and code; display = `text`, else that
//!     coding's display, else any display); string → `Text`; boolean → `Boolean`; integer →
//!     `Integer`; Range, Ratio, SampledData, time, dateTime, Period → their kinds (times in
//!     Unix ms); absent → `None`. The same for each component.
//!   - `dataAbsentReason`: its data-absent-reason code (observation and components).
//!   - Interpretation: N, L, H, LL, HH, A (HU → HH, LU → LL, AA → A), the first that maps;
//!     others dropped with a warning. Reference range: `referenceRange[0]` low/high values
//!     in the value's unit (see the warnings).
//!   - `hasMember`: the references, in [`ObservationExtra::has_member`] (value `None`).
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
    AllergyExtra, ConditionExtra, Deceased, Issue, NO_NAME, Normalized, ObservationExtra, Sourced,
    SourcedPatient, normalize, normalize_value,
};
pub use read::{
    BundleType, Entry, Item, ReadError, ReadErrorKind, Request, Summary, read_bundle, read_json,
    read_ndjson, read_path,
};
pub use reference::{Reference, parse_reference};
