//! Clinical decision support DTOs: scores, ESI triage and the medication check, as the CLI
//! prints them and the UI shows them. Inputs are in canonical units; every field is optional
//! and an unknown field is refused (a misspelt input must not silently go unscored).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize, Serializer};

use crate::Command;

/// Whole numbers as JSON integers (`5`, not `5.0`); anything else as it is.
fn number<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

fn opt_number<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) => number(x, s),
        None => s.serialize_none(),
    }
}

fn number_map<S: Serializer>(m: &BTreeMap<String, f64>, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(m.len()))?;
    for (k, v) in m {
        struct N(f64);
        impl Serialize for N {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                number(&self.0, s)
            }
        }
        map.serialize_entry(k, &N(*v))?;
    }
    map.end()
}

/// Morse Fall Scale items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MorseDto {
    /// Fell during this admission or in the past 3 months (25 points).
    pub history_of_falling: bool,
    /// More than one medical diagnosis (15).
    pub secondary_diagnosis: bool,
    /// `none` | `bed_rest` | `nurse_assist` | `wheelchair` (0); `crutches` | `cane` | `walker`
    /// (15); `furniture` (30).
    pub ambulatory_aid: String,
    /// Intravenous therapy or heparin lock (20).
    pub iv_or_heparin_lock: bool,
    /// `normal` | `bed_rest` | `immobile` | `wheelchair` (0); `weak` (10); `impaired` (20).
    pub gait: String,
    /// `oriented_to_own_ability` (0); `overestimates` | `forgets_limitations` (15).
    pub mental_status: String,
}

/// LACE index items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LaceDto {
    /// Length of stay in whole days.
    pub length_of_stay_days: u32,
    /// Acute (emergent) admission.
    pub acute_admission: bool,
    /// Charlson comorbidity index.
    pub charlson_index: u8,
    /// Emergency department visits in the previous 6 months.
    pub ed_visits_6_months: u8,
}

/// Input of `iris cds evaluate`; canonical units.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CdsInput {
    #[serde(default)]
    pub age_years: Option<f64>,
    /// `male` | `female`
    #[serde(default)]
    pub sex: Option<String>,
    #[serde(default)]
    pub pregnant: Option<bool>,
    #[serde(default)]
    pub respiratory_rate: Option<f64>,
    #[serde(default)]
    pub spo2: Option<f64>,
    /// 1 | 2 (NEWS2; scale 2 only when prescribed)
    #[serde(default)]
    pub spo2_scale: Option<u8>,
    #[serde(default)]
    pub on_oxygen: Option<bool>,
    #[serde(default)]
    pub systolic_bp: Option<f64>,
    #[serde(default)]
    pub diastolic_bp: Option<f64>,
    #[serde(default)]
    pub heart_rate: Option<f64>,
    /// ACVPU: `A` | `C` | `V` | `P` | `U`
    #[serde(default)]
    pub consciousness: Option<String>,
    #[serde(default)]
    pub gcs: Option<u8>,
    #[serde(default)]
    pub temperature_c: Option<f64>,
    #[serde(default)]
    pub wbc_10e9_per_l: Option<f64>,
    #[serde(default)]
    pub weight_kg: Option<f64>,
    #[serde(default)]
    pub height_cm: Option<f64>,
    #[serde(default)]
    pub creatinine_mg_dl: Option<f64>,
    #[serde(default)]
    pub morse: Option<MorseDto>,
    #[serde(default)]
    pub lace: Option<LaceDto>,
}

/// Every score has this shape; `score` is null when an input it needs is missing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ScoreDto {
    #[serde(serialize_with = "opt_number")]
    pub score: Option<f64>,
    pub risk: Option<String>,
    /// Points (or the value used) per input.
    #[serde(serialize_with = "number_map")]
    pub parts: BTreeMap<String, f64>,
    pub missing: Vec<String>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EvaluationDto {
    pub news2: ScoreDto,
    pub qsofa: ScoreDto,
    pub sirs: ScoreDto,
    pub mews: ScoreDto,
    pub morse: ScoreDto,
    pub shock_index: ScoreDto,
    pub lace: ScoreDto,
    pub egfr: ScoreDto,
    pub bmi: ScoreDto,
}

/// All scores from one set of inputs. Invalid or impossible input: `validation` error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CdsEvaluate;
impl Command for CdsEvaluate {
    const NAME: &'static str = "cds_evaluate";
    type Req = CdsInput;
    type Res = EvaluationDto;
}

/// Input of `iris triage` (ESI v4).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageRequest {
    #[serde(default)]
    pub age_years: Option<f64>,
    #[serde(default)]
    pub age_months: Option<f64>,
    #[serde(default)]
    pub age_days: Option<f64>,
    #[serde(default)]
    pub heart_rate: Option<f64>,
    #[serde(default)]
    pub respiratory_rate: Option<f64>,
    #[serde(default)]
    pub spo2: Option<f64>,
    #[serde(default)]
    pub systolic_bp: Option<f64>,
    #[serde(default)]
    pub temperature_c: Option<f64>,
    /// ACVPU
    #[serde(default)]
    pub consciousness: Option<String>,
    #[serde(default)]
    pub gcs: Option<u8>,
    #[serde(default)]
    pub chief_complaint: Option<String>,
    /// A: needs an immediate life-saving intervention.
    #[serde(default)]
    pub life_saving_intervention: Option<bool>,
    /// B: high-risk situation.
    #[serde(default)]
    pub high_risk: Option<bool>,
    /// B: new confusion, lethargy or disorientation.
    #[serde(default)]
    pub confused_lethargic_disoriented: Option<bool>,
    /// B: severe pain or distress.
    #[serde(default)]
    pub severe_pain_distress: Option<bool>,
    /// C: how many different resources the visit is expected to need.
    #[serde(default)]
    pub expected_resources: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalDto {
    pub value: bool,
    /// The rules that fired.
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeverFloorDto {
    pub min_esi: u8,
    pub rule: String,
}

/// What the engine proposes for the clinician's questions, and why.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProposedDto {
    pub life_saving_intervention: Option<ProposalDto>,
    pub high_risk: Option<ProposalDto>,
    pub confused_lethargic_disoriented: Option<ProposalDto>,
    pub severe_pain_distress: Option<ProposalDto>,
    pub danger_zone_vitals: Option<ProposalDto>,
    pub pediatric_fever: Option<FeverFloorDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageDto {
    /// 1 (most urgent) to 5.
    pub esi: u8,
    /// `A` | `B` | `C` | `D`
    pub decision_point: String,
    pub reasons: Vec<String>,
    pub proposed: ProposedDto,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Triage;
impl Command for Triage {
    const NAME: &'static str = "triage";
    type Req = TriageRequest;
    type Res = TriageDto;
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedsCheckRequest {
    /// Ingredient or brand names, optionally with strength and form ("Zocor 20 mg tablet").
    pub medications: Vec<String>,
    #[serde(default)]
    pub allergies: Vec<String>,
    /// mL/min/1.73 m², for renal dose warnings.
    #[serde(default)]
    pub egfr: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertDto {
    /// `drug-drug` | `drug-allergy` | `renal-dose` | `duplicate-therapy` | `unknown-drug`
    pub kind: String,
    /// `contraindicated` | `major` | `moderate` | `minor`
    pub severity: String,
    pub drugs: Vec<String>,
    pub message: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MedsCheckDto {
    /// Most severe first.
    pub alerts: Vec<AlertDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedsCheck;
impl Command for MedsCheck {
    const NAME: &'static str = "meds_check";
    type Req = MedsCheckRequest;
    type Res = MedsCheckDto;
}

/// A medication about to be added to a chart, checked against the chart's active
/// medications, allergies and latest eGFR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedicationCheckRequest {
    pub patient_id: String,
    /// Ingredient or brand name as the prescriber types it.
    pub name: String,
}

/// Alerts that involve the new medication (most severe first), and what they were checked with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MedicationCheckDto {
    pub alerts: Vec<AlertDto>,
    /// The RxNorm ingredients the name resolved to (empty when unknown).
    pub ingredients: Vec<String>,
    /// The eGFR used for renal checks, if the chart has one.
    pub egfr: Option<f64>,
    /// Whether saving needs an override reason (an alert is major or contraindicated).
    pub needs_override: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicationCheck;
impl Command for MedicationCheck {
    const NAME: &'static str = "medication_check";
    type Req = MedicationCheckRequest;
    type Res = MedicationCheckDto;
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddMedicationRequest {
    pub patient_id: String,
    pub name: String,
    #[serde(default)]
    pub dose_value: Option<f64>,
    #[serde(default)]
    pub dose_unit: Option<String>,
    /// oral | sublingual | intravenous | intramuscular | subcutaneous | inhalation | topical |
    /// transdermal | rectal | nasal | ophthalmic | otic | other
    pub route: String,
    #[serde(default)]
    pub frequency: String,
    /// Required (5–500 characters) when a major or contraindicated alert is overridden; kept
    /// encrypted with the medication, and the override is audited.
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// Adds an active medication (physicians). The safety check runs again here: with a major or
/// contraindicated alert and no reason, nothing is saved (`conflict`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddMedication;
impl Command for AddMedication {
    const NAME: &'static str = "add_medication";
    type Req = AddMedicationRequest;
    type Res = MedicationCheckDto;
}

/// Saves an ED triage: the vitals, an emergency encounter with the chief complaint, and a
/// triage note with the ESI level and its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveTriageRequest {
    pub patient_id: String,
    pub triage: TriageRequest,
    /// The level the clinician assigns.
    pub esi: u8,
    /// Required (5–500 characters) when `esi` differs from the engine's level.
    #[serde(default)]
    pub override_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedTriageDto {
    pub encounter_id: String,
    pub note_id: String,
    pub esi: u8,
    /// The engine's level (differs from `esi` when overridden).
    pub computed_esi: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveTriage;
impl Command for SaveTriage {
    const NAME: &'static str = "save_triage";
    type Req = SaveTriageRequest;
    type Res = SavedTriageDto;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_scores_print_as_integers_and_fractions_as_they_are() {
        let s = ScoreDto {
            score: Some(5.0),
            risk: Some("medium".into()),
            parts: [("heart_rate".to_string(), 1.0), ("ratio".to_string(), 0.85)]
                .into_iter()
                .collect(),
            missing: vec![],
            notes: vec![],
        };
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            json,
            r#"{"score":5,"risk":"medium","parts":{"heart_rate":1,"ratio":0.85},"missing":[],"notes":[]}"#
        );
        let back: ScoreDto = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        let none = serde_json::to_string(&ScoreDto::default()).unwrap();
        assert!(none.starts_with(r#"{"score":null"#));
    }

    #[test]
    fn unknown_inputs_are_refused() {
        assert!(serde_json::from_str::<CdsInput>(r#"{"heart_rat": 80}"#).is_err());
        let ok: CdsInput = serde_json::from_str(r#"{"heart_rate": 80}"#).unwrap();
        assert_eq!(ok.heart_rate, Some(80.0));
    }
}
