//! Patients and charts through AppCore: domain records in, DTOs out.

use iris_record::{Date, ObsValue, Record};
use iris_types::{
    AllergyStatus, ApiError, ChartDto, EarlyWarningDto, EvidenceDto, ObservationDto, PatientDto,
    PatientInput, PatientSummaryDto, RecordVitalsRequest, RiskFlagDto, SearchPatientsRequest,
    UpdatePatientRequest,
};
use iris_vault::AllergyState;

use crate::AppCore;
use crate::dto::{self, patient_dto, record_of, summary};
use crate::errors::api_error;

/// LOINC 67775-7, level of responsiveness (ACVPU).
pub const RESPONSIVENESS: &str = "67775-7";
/// LOINC 3151-8, inhaled oxygen flow rate (L/min; 0 = room air).
pub const O2_FLOW: &str = "3151-8";

/// Search results are capped; a longer list is not readable anyway.
pub const SEARCH_LIMIT: u32 = 50;
pub const RECENT_LIMIT: u32 = 10;

/// Whole years between `birth` and `today` (0 for a birth date today or in the future).
pub fn age_on(birth: &str, today: Date) -> u32 {
    match Date::parse(birth) {
        Some(b) => {
            let mut years = today.year - b.year;
            if (today.month, today.day) < (b.month, b.day) {
                years -= 1;
            }
            years.max(0) as u32
        }
        None => 0,
    }
}

fn vital_display(code: &str) -> &'static str {
    match code {
        "8480-6" => "Systolic blood pressure",
        "8462-4" => "Diastolic blood pressure",
        "8867-4" => "Heart rate",
        "9279-1" => "Respiratory rate",
        "59408-5" => "Oxygen saturation in Arterial blood by Pulse oximetry",
        "8310-5" => "Body temperature",
        "29463-7" => "Body weight",
        "8302-2" => "Body height",
        "39156-5" => "Body mass index (BMI) [Ratio]",
        "2339-0" => "Glucose [Mass/volume] in Blood",
        "3151-8" => "Inhaled oxygen flow rate",
        "67775-7" => "Level of responsiveness",
        _ => "",
    }
}

/// The order clinicians read vital signs in: blood pressure, pulse, breathing, oxygen,
/// temperature, then body measurements.
fn vital_rank(code: &str) -> usize {
    const ORDER: [&str; 11] = [
        "8480-6", "8462-4", "8867-4", "9279-1", "59408-5", "3151-8", "67775-7", "8310-5",
        "29463-7", "8302-2", "39156-5",
    ];
    ORDER.iter().position(|c| *c == code).unwrap_or(ORDER.len())
}

fn criticality_rank(c: &str) -> u8 {
    match c {
        "high" => 0,
        "unable-to-assess" => 1,
        _ => 2,
    }
}

impl AppCore {
    fn today(&self) -> Date {
        Date::from_unix_ms(self.now_ms())
    }

    pub async fn search_patients(
        &self,
        req: SearchPatientsRequest,
    ) -> Result<Vec<PatientSummaryDto>, ApiError> {
        let (v, actor) = self.actor().await?;
        let today = self.today();
        Ok(
            v.search_patients(&actor, &req.query, SEARCH_LIMIT, self.now_ms())
                .await
                .map_err(api_error)?
                .into_iter()
                .map(|(id, p)| summary(id, p, today))
                .collect(),
        )
    }

    pub async fn recent_patients(&self) -> Result<Vec<PatientSummaryDto>, ApiError> {
        let (v, actor) = self.actor().await?;
        let today = self.today();
        Ok(v.recent_patients(&actor, RECENT_LIMIT, self.now_ms())
            .await
            .map_err(api_error)?
            .into_iter()
            .map(|(id, p)| summary(id, p, today))
            .collect())
    }

    pub async fn create_patient(&self, req: PatientInput) -> Result<PatientDto, ApiError> {
        let (v, actor) = self.actor().await?;
        let rec = record_of(req);
        let id = v
            .create_patient(&actor, &rec, self.now_ms())
            .await
            .map_err(api_error)?;
        Ok(patient_dto(id, rec, self.today()))
    }

    pub async fn update_patient(&self, req: UpdatePatientRequest) -> Result<PatientDto, ApiError> {
        let (v, actor) = self.actor().await?;
        let rec = record_of(req.patient);
        v.update_patient(&actor, &req.id, &rec, self.now_ms())
            .await
            .map_err(api_error)?;
        Ok(patient_dto(req.id, rec, self.today()))
    }

    /// Records vitals as entered; units are converted and plausibility checked by the vault.
    pub async fn record_vitals(&self, req: RecordVitalsRequest) -> Result<Vec<String>, ApiError> {
        let (v, actor) = self.actor().await?;
        let now = self.now_ms();
        if req.vitals.is_empty() && req.consciousness.is_none() {
            return Err(api_error(iris_vault::VaultError::invalid(
                "vitals", "required",
            )));
        }
        let at = req.at.unwrap_or(now);
        let consciousness = match req.consciousness.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(c @ ("A" | "C" | "V" | "P" | "U")) => Some(c.to_string()),
            Some(_) => {
                return Err(api_error(iris_vault::VaultError::invalid(
                    "consciousness",
                    "acvpu",
                )));
            }
        };
        let mut records: Vec<Record> = req
            .vitals
            .into_iter()
            .map(|x| {
                Record::Observation(iris_record::Observation {
                    display: vital_display(&x.code).to_string(),
                    // Bedside glucose is a laboratory measurement taken at the bedside.
                    category: if iris_vault::POINT_OF_CARE.contains(&x.code.as_str()) {
                        "laboratory"
                    } else {
                        "vital-signs"
                    }
                    .into(),
                    code: x.code,
                    value: ObsValue::Quantity {
                        value: x.value,
                        unit: x.unit,
                    },
                    reference_low: None,
                    reference_high: None,
                    effective_at: at,
                    interpretation: None,
                })
            })
            .collect();
        if let Some(level) = consciousness {
            records.push(Record::Observation(iris_record::Observation {
                code: RESPONSIVENESS.into(),
                display: vital_display(RESPONSIVENESS).into(),
                category: "vital-signs".into(),
                interpretation: (level != "A").then(|| "A".into()),
                value: ObsValue::Text { text: level },
                reference_low: None,
                reference_high: None,
                effective_at: at,
            }));
        }
        v.add_records(&actor, &req.patient_id, records, now)
            .await
            .map_err(|e| match e {
                // Batch field names are `<index>.<field>`; the request calls them vitals.<index>.
                iris_vault::VaultError::Invalid(mut fields) => {
                    for f in &mut fields {
                        f.field = format!("vitals.{}", f.field);
                    }
                    api_error(iris_vault::VaultError::Invalid(fields))
                }
                other => api_error(other),
            })
    }

    pub async fn open_chart(&self, id: &str) -> Result<ChartDto, ApiError> {
        let (v, actor) = self.actor().await?;
        let chart = v
            .open_chart(&actor, id, self.now_ms())
            .await
            .map_err(api_error)?;
        let mut dto = ChartDto {
            patient: patient_dto(chart.patient_id.clone(), chart.patient, self.today()),
            allergy_status: match chart.allergy_state {
                AllergyState::NotRecorded => AllergyStatus::NotRecorded,
                AllergyState::NoKnownAllergies { .. } => AllergyStatus::NoKnown,
                AllergyState::Recorded => AllergyStatus::Recorded,
            },
            allergies: Vec::new(),
            problems: Vec::new(),
            medications: Vec::new(),
            latest_vitals: Vec::new(),
            observations: Vec::new(),
            encounters: Vec::new(),
            notes: Vec::new(),
            procedures: Vec::new(),
            immunizations: Vec::new(),
            early_warning: None,
            risk_flags: Vec::new(),
        };
        for r in chart.records {
            dto::add_record(&mut dto, r);
        }
        dto.allergies
            .sort_by_key(|a| (criticality_rank(&a.criticality), a.display.clone()));
        // Records come newest first, so the first of each vital sign is the latest.
        let mut seen = std::collections::BTreeSet::new();
        dto.latest_vitals = dto
            .observations
            .iter()
            .filter(|o| o.category == "vital-signs" && seen.insert(o.code.clone()))
            .cloned()
            .collect();
        dto.latest_vitals.sort_by_key(|o| vital_rank(&o.code));
        dto.early_warning = early_warning(&dto.observations, &dto.patient);
        dto.risk_flags = risk_flags(&dto.observations);
        dto.notes = chart.notes.into_iter().map(dto::note_dto).collect();
        Ok(dto)
    }
}

/// Diabetes, hypertension and cardiovascular flags, as iris-clinical defines them (the FHIR
/// gold features use the same functions).
pub fn risk_flags(observations: &[ObservationDto]) -> Vec<RiskFlagDto> {
    let ms: Vec<iris_clinical::flags::Measurement<'_>> = observations
        .iter()
        .filter_map(|o| {
            Some(iris_clinical::flags::Measurement {
                code: &o.code,
                value: o.value?,
                at: o.effective_at,
            })
        })
        .collect();
    iris_clinical::flags::all(&ms)
        .into_iter()
        .map(|f| RiskFlagDto {
            kind: f.kind.as_str().to_string(),
            rule: f.rule.to_string(),
            evidence: f
                .evidence
                .into_iter()
                .map(|e| EvidenceDto {
                    code: e.code,
                    value: e.value,
                    at: e.at,
                })
                .collect(),
        })
        .collect()
}

/// An early-warning set is the vital signs recorded within this long before the newest one.
pub const EARLY_WARNING_SET_MS: i64 = 3_600_000;

/// NEWS2 and qSOFA from the newest set of vital signs (observations newest first). A value
/// older than the set counts as missing: a score is never completed with stale vitals.
pub fn early_warning(
    observations: &[ObservationDto],
    patient: &PatientDto,
) -> Option<EarlyWarningDto> {
    const CODES: [&str; 8] = [
        "9279-1",
        "59408-5",
        O2_FLOW,
        "8480-6",
        "8462-4",
        "8867-4",
        RESPONSIVENESS,
        "8310-5",
    ];
    let newest = observations
        .iter()
        .filter(|o| CODES.contains(&o.code.as_str()))
        .map(|o| o.effective_at)
        .max()?;
    let value = |code: &str| {
        observations
            .iter()
            .filter(|o| o.code == code && o.effective_at > newest - EARLY_WARNING_SET_MS)
            .max_by_key(|o| o.effective_at)
    };
    let number = |code: &str| value(code).and_then(|o| o.value);
    let inputs = iris_clinical::scores::Inputs {
        age_years: Some(f64::from(patient.age)),
        sex: iris_clinical::Sex::parse(&patient.patient.sex),
        pregnant: match patient.patient.pregnancy.as_deref() {
            Some("pregnant") => Some(true),
            Some("not-pregnant") => Some(false),
            _ => None,
        },
        respiratory_rate: number("9279-1"),
        spo2: number("59408-5"),
        on_oxygen: number(O2_FLOW).map(|f| f > 0.0),
        systolic_bp: number("8480-6"),
        diastolic_bp: number("8462-4"),
        heart_rate: number("8867-4"),
        consciousness: value(RESPONSIVENESS)
            .and_then(|o| o.text.as_deref())
            .and_then(iris_clinical::scores::Avpu::parse),
        temperature_c: number("8310-5"),
        ..Default::default()
    };
    Some(EarlyWarningDto {
        at: newest,
        news2: crate::cds::score_dto(iris_clinical::scores::news2(&inputs)),
        qsofa: crate::cds::score_dto(iris_clinical::scores::qsofa(&inputs)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vital(code: &str, value: Option<f64>, text: Option<&str>, at: i64) -> ObservationDto {
        ObservationDto {
            id: format!("{code}-{at}"),
            code: code.into(),
            display: String::new(),
            category: "vital-signs".into(),
            value,
            unit: None,
            text: text.map(String::from),
            reference_low: None,
            reference_high: None,
            effective_at: at,
            interpretation: None,
        }
    }

    /// The demo's unwell patient: RR 24 (2), SpO2 92 on scale 1 (2), oxygen (2), SBP 98 (2),
    /// HR 118 (2), alert (0), 38.7 °C (1) = NEWS2 11, "high" (RCP 2017 chart 1); qSOFA RR ≥ 22
    /// and SBP ≤ 100 = 2 (Sepsis-3).
    #[test]
    fn early_warning_scores_the_newest_set_and_never_uses_stale_vitals() {
        let t = 1_795_000_000_000;
        let patient = PatientDto {
            id: "p".into(),
            age: 70,
            patient: PatientInput {
                sex: "male".into(),
                ..PatientInput::default()
            },
        };
        let mut obs = vec![
            vital("9279-1", Some(24.0), None, t),
            vital("59408-5", Some(92.0), None, t),
            vital(O2_FLOW, Some(2.0), None, t),
            vital("8480-6", Some(98.0), None, t),
            vital("8867-4", Some(118.0), None, t),
            vital(RESPONSIVENESS, None, Some("A"), t - 10 * 60_000),
            vital("8310-5", Some(38.7), None, t),
            // Last month's normal temperature does not matter.
            vital("8310-5", Some(36.8), None, t - 30 * 86_400_000),
        ];
        let ew = early_warning(&obs, &patient).unwrap();
        assert_eq!(ew.at, t);
        assert_eq!(
            (ew.news2.score, ew.news2.risk.as_deref()),
            (Some(11.0), Some("high"))
        );
        assert_eq!(ew.qsofa.score, Some(2.0));
        // Without a temperature in the set, NEWS2 is not given (the old one is not used).
        obs.retain(|o| !(o.code == "8310-5" && o.effective_at == t));
        let ew = early_warning(&obs, &patient).unwrap();
        assert_eq!(ew.news2.score, None);
        assert_eq!(ew.news2.missing, ["temperature_c"]);
        assert!(early_warning(&[], &patient).is_none());
    }

    #[test]
    fn age_counts_whole_years_and_birthdays() {
        let today = Date::parse("2026-11-24").unwrap();
        assert_eq!(age_on("1980-11-24", today), 46);
        assert_eq!(age_on("1980-11-25", today), 45);
        assert_eq!(age_on("2026-11-24", today), 0);
        assert_eq!(age_on("2000-02-29", Date::parse("2026-02-28").unwrap()), 25);
        assert_eq!(age_on("garbage", today), 0);
    }
}
