//! Patient and chart DTOs. Times are Unix milliseconds; dates are `YYYY-MM-DD`.

use serde::{Deserialize, Serialize};

use crate::Command;
use crate::vault::Empty;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressDto {
    #[serde(default)]
    pub lines: Vec<String>,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub country: String,
}

/// What a form submits to create or edit a patient.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientInput {
    pub family: String,
    #[serde(default)]
    pub given: Vec<String>,
    pub birth_date: String,
    /// male | female | other | unknown
    pub sex: String,
    pub mrn: String,
    #[serde(default)]
    pub address: Option<AddressDto>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// pregnant | not-pregnant | unknown
    #[serde(default)]
    pub pregnancy: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientDto {
    pub id: String,
    pub patient: PatientInput,
    /// Whole years on the day of the request.
    pub age: u32,
}

/// One line of a patient list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientSummaryDto {
    pub id: String,
    /// "Family, Given Middle".
    pub name: String,
    pub birth_date: String,
    pub age: u32,
    pub sex: String,
    pub mrn: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchPatientsRequest {
    /// Name prefixes ("smi ana"), an MRN, or a birth date `YYYY-MM-DD`.
    pub query: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdatePatientRequest {
    pub id: String,
    pub patient: PatientInput,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientRef {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservationDto {
    pub id: String,
    pub code: String,
    pub display: String,
    pub category: String,
    /// Numeric value in the canonical unit, if numeric.
    pub value: Option<f64>,
    pub unit: Option<String>,
    /// Text value, if not numeric.
    pub text: Option<String>,
    pub reference_low: Option<f64>,
    pub reference_high: Option<f64>,
    pub effective_at: i64,
    /// N, L, H, LL, HH or A.
    pub interpretation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionDto {
    pub id: String,
    pub system: String,
    pub code: String,
    pub display: String,
    pub onset: Option<String>,
    pub clinical_status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MedicationDto {
    pub id: String,
    pub code: String,
    pub display: String,
    pub dose_value: Option<f64>,
    pub dose_unit: Option<String>,
    pub route: String,
    pub frequency: String,
    pub status: String,
    pub start: Option<String>,
    pub end: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllergyDto {
    pub id: String,
    pub system: String,
    pub code: String,
    pub display: String,
    pub reaction: Option<String>,
    /// low | high | unable-to-assess
    pub criticality: String,
    pub recorded: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureDto {
    pub id: String,
    pub system: String,
    pub code: String,
    pub display: String,
    pub performed_at: i64,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImmunizationDto {
    pub id: String,
    /// CVX
    pub code: String,
    pub display: String,
    pub date: String,
    pub status: String,
}

/// `not_recorded` and `no_known` are different statements and shown differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllergyStatus {
    NotRecorded,
    NoKnown,
    Recorded,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoapDto {
    pub subjective: String,
    pub objective: String,
    pub assessment: String,
    pub plan: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncounterDto {
    pub id: String,
    /// AMB | EMER | IMP | HH
    pub class: String,
    pub status: String,
    pub start: i64,
    pub end: Option<i64>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddendumDto {
    pub id: String,
    pub author: String,
    pub signed_at: i64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteDto {
    pub id: String,
    pub encounter_id: Option<String>,
    pub kind: String,
    pub title: String,
    pub text: String,
    /// The SOAP sections of a SOAP note.
    pub soap: Option<SoapDto>,
    pub author: String,
    pub created_at: i64,
    pub signed_at: Option<i64>,
    pub signed_by: Option<String>,
    pub addenda: Vec<AddendumDto>,
}

/// Early-warning scores from the latest set of vital signs (the values recorded within the
/// hour before the newest one; older values count as missing, never as normal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarlyWarningDto {
    /// When the newest vital sign of the set was measured.
    pub at: i64,
    pub news2: crate::ScoreDto,
    pub qsofa: crate::ScoreDto,
}

/// A value a risk flag was derived from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceDto {
    /// LOINC code, or `8480-6/mean-30d` / `8462-4/mean-30d` for blood-pressure means.
    pub code: String,
    /// What the value is, in words ("HbA1c", "30-day mean systolic").
    pub label: String,
    /// Its unit as shown ("%", "mmHg", "mg/dL").
    pub unit: String,
    pub value: f64,
    pub at: i64,
}

/// A chronic-disease risk flag (iris-clinical's single definition) and its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskFlagDto {
    /// `diabetes` | `hypertension` | `cardiovascular`
    pub kind: String,
    pub rule: String,
    pub evidence: Vec<EvidenceDto>,
}

/// Everything the chart screen shows; entered-in-error items are left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartDto {
    pub patient: PatientDto,
    pub allergy_status: AllergyStatus,
    /// Highest criticality first.
    pub allergies: Vec<AllergyDto>,
    pub problems: Vec<ConditionDto>,
    pub medications: Vec<MedicationDto>,
    /// The newest value of each vital sign.
    pub latest_vitals: Vec<ObservationDto>,
    /// Every observation, newest first.
    pub observations: Vec<ObservationDto>,
    pub encounters: Vec<EncounterDto>,
    pub notes: Vec<NoteDto>,
    /// Newest first.
    pub procedures: Vec<ProcedureDto>,
    /// Newest first.
    pub immunizations: Vec<ImmunizationDto>,
    /// `None` when no vital sign is recorded.
    pub early_warning: Option<EarlyWarningDto>,
    pub risk_flags: Vec<RiskFlagDto>,
    /// Resources imported but not structured (kept whole), by type.
    pub unstructured: Vec<UnstructuredDto>,
}

/// Imported resources of one type that Iris keeps whole without charting them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnstructuredDto {
    pub resource_type: String,
    pub count: u32,
    /// The newest date any of them carries (`YYYY-MM-DD`), when they carry one.
    pub latest: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPatients;
impl Command for SearchPatients {
    const NAME: &'static str = "search_patients";
    type Req = SearchPatientsRequest;
    type Res = Vec<PatientSummaryDto>;
}

/// The patients this user opened most recently (from the audit log), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentPatients;
impl Command for RecentPatients {
    const NAME: &'static str = "recent_patients";
    type Req = Empty;
    type Res = Vec<PatientSummaryDto>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatePatient;
impl Command for CreatePatient {
    const NAME: &'static str = "create_patient";
    type Req = PatientInput;
    type Res = PatientDto;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdatePatient;
impl Command for UpdatePatient {
    const NAME: &'static str = "update_patient";
    type Req = UpdatePatientRequest;
    type Res = PatientDto;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenChart;
impl Command for OpenChart {
    const NAME: &'static str = "open_chart";
    type Req = PatientRef;
    type Res = ChartDto;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrendsRequest {
    pub id: String,
    /// How many days back from now; `None` for everything recorded.
    #[serde(default)]
    pub days: Option<u32>,
}

/// One trend chart, drawn as SVG by the backend (numbers, dates and fixed labels only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendDto {
    /// A stable id for the chart, e.g. `bp`, `hba1c`.
    pub key: String,
    pub title: String,
    pub svg: String,
    /// Points drawn and how many of them are abnormal.
    pub points: u32,
    pub abnormal: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartTrends;
impl Command for ChartTrends {
    const NAME: &'static str = "chart_trends";
    type Req = TrendsRequest;
    type Res = Vec<TrendDto>;
}

/// One measured vital sign as entered, in the unit the clinician chose (converted to the
/// canonical unit by the vault).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VitalInput {
    /// LOINC code, e.g. 8480-6 (systolic BP).
    pub code: String,
    pub value: f64,
    /// UCUM unit, e.g. `mm[Hg]`, `Cel`, `[degF]`, `kg`, `[lb_av]`, `cm`, `[in_i]`.
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordVitalsRequest {
    pub patient_id: String,
    pub vitals: Vec<VitalInput>,
    /// Level of responsiveness on the ACVPU scale (`A`, `C`, `V`, `P`, `U`), stored as LOINC
    /// 67775-7 with the vitals.
    #[serde(default)]
    pub consciousness: Option<String>,
    /// When measured (Unix ms); now when absent.
    #[serde(default)]
    pub at: Option<i64>,
}

/// Records a set of vitals in one transaction; one invalid value rejects all of them, with
/// field errors named `vitals.<index>.value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordVitals;
impl Command for RecordVitals {
    const NAME: &'static str = "record_vitals";
    type Req = RecordVitalsRequest;
    type Res = Vec<String>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartEncounterRequest {
    pub patient_id: String,
    /// AMB | EMER | IMP | HH (HL7 v3 ActCode).
    pub class: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartedEncounterDto {
    pub encounter_id: String,
    /// The encounter's draft SOAP note.
    pub note_id: String,
}

/// Starts an encounter now with a blank draft SOAP note (physicians and nurses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartEncounter;
impl Command for StartEncounter {
    const NAME: &'static str = "start_encounter";
    type Req = StartEncounterRequest;
    type Res = StartedEncounterDto;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveNoteRequest {
    pub id: String,
    /// progress | history-and-physical | discharge | consult | nursing | triage
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub soap: Option<SoapDto>,
}

/// Saves a draft note. A signed note is locked: `conflict`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveNote;
impl Command for SaveNote {
    const NAME: &'static str = "save_note";
    type Req = SaveNoteRequest;
    type Res = Empty;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteRef {
    pub id: String,
}

/// Signs a note (physicians): it is locked from then on, and an in-progress encounter it
/// belongs to is finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignNote;
impl Command for SignNote {
    const NAME: &'static str = "sign_note";
    type Req = NoteRef;
    type Res = Empty;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddAddendumRequest {
    pub note_id: String,
    pub text: String,
}

/// A signed addendum to a signed note (physicians).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddAddendum;
impl Command for AddAddendum {
    const NAME: &'static str = "add_addendum";
    type Req = AddAddendumRequest;
    type Res = AddendumDto;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnteredInErrorRequest {
    /// A note id or a record id (observation, problem, medication, allergy, encounter).
    pub id: String,
    /// Why (5 to 500 characters); kept encrypted with the item.
    pub reason: String,
}

/// Marks a note entered in error (physicians): kept, hidden from the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteEnteredInError;
impl Command for NoteEnteredInError {
    const NAME: &'static str = "note_entered_in_error";
    type Req = EnteredInErrorRequest;
    type Res = Empty;
}

/// Marks a chart record entered in error (physicians): kept, hidden from the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordEnteredInError;
impl Command for RecordEnteredInError {
    const NAME: &'static str = "record_entered_in_error";
    type Req = EnteredInErrorRequest;
    type Res = Empty;
}
