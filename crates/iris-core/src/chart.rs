//! Patients and charts through AppCore: domain records in, DTOs out. What the chart header
//! and summary derive (newest vitals, early-warning scores, risk flags) is iris-clinical's,
//! computed here from the records.

use iris_record::{Date, ObsCategory, ObsValue, Observation, Record};
use iris_types::{
    AllergyStatus, ApiError, ChartDto, EarlyWarningDto, EvidenceDto, PatientDto, PatientInput,
    PatientSummaryDto, RecordVitalsRequest, RiskFlagDto, SearchPatientsRequest,
    UpdatePatientRequest,
};
use iris_vault::AllergyState;

use crate::AppCore;
use crate::dto::{self, patient_dto, record_of, summary};
use crate::errors::api_error;

/// Search results are capped; a longer list is not readable anyway.
pub const SEARCH_LIMIT: u32 = 50;
pub const RECENT_LIMIT: u32 = 10;

fn criticality_rank(c: &str) -> u8 {
    match c {
        "high" => 0,
        "unable-to-assess" => 1,
        _ => 2,
    }
}

impl AppCore {
    pub(crate) fn today(&self) -> Date {
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
        let rec = record_of(req, self.today())?;
        let id = v
            .create_patient(&actor, &rec, self.now_ms())
            .await
            .map_err(api_error)?;
        Ok(patient_dto(id, rec, self.today()))
    }

    pub async fn update_patient(&self, req: UpdatePatientRequest) -> Result<PatientDto, ApiError> {
        let (v, actor) = self.actor().await?;
        let rec = record_of(req.patient, self.today())?;
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
            Some(c) => match iris_clinical::scores::Avpu::parse(c) {
                Some(level) => Some(level),
                None => {
                    return Err(api_error(iris_vault::VaultError::invalid(
                        "consciousness",
                        "acvpu",
                    )));
                }
            },
        };
        let mut records: Vec<Record> = req
            .vitals
            .into_iter()
            .map(|x| {
                // Bedside glucose is a laboratory measurement taken at the bedside.
                let category = if iris_vault::POINT_OF_CARE.contains(&x.code.as_str()) {
                    ObsCategory::Laboratory
                } else {
                    ObsCategory::VitalSigns
                };
                let value = ObsValue::Quantity {
                    value: x.value,
                    unit: x.unit,
                };
                Record::Observation(Observation::charted(&x.code, category, value, at))
            })
            .collect();
        if let Some(level) = consciousness {
            records.push(Record::Observation(iris_clinical::chart::responsiveness(
                level, at,
            )));
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
            patient: patient_dto(
                chart.patient_id.clone(),
                chart.patient.clone(),
                self.today(),
            ),
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
            unstructured: dto::unstructured(&chart.raw),
        };
        let today = self.today();
        let observations = chart.observations();
        let ms = iris_clinical::chart::measurements(observations.clone());
        dto.early_warning =
            iris_clinical::chart::early_warning(&ms, &chart.patient, today).map(|e| {
                EarlyWarningDto {
                    at: e.at,
                    news2: crate::cds::score_dto(e.news2),
                    qsofa: crate::cds::score_dto(e.qsofa),
                }
            });
        dto.risk_flags = risk_flags(&ms);
        dto.latest_vitals = iris_clinical::chart::latest_vitals(observations)
            .iter()
            .map(|m| dto::measurement_dto("", ObsCategory::VitalSigns.as_str(), m))
            .collect();
        drop(ms);
        for r in chart.records {
            dto::add_record(&mut dto, r);
        }
        // The latest vitals carry the id of the record each value came from.
        for l in &mut dto.latest_vitals {
            if let Some(row) = dto
                .observations
                .iter()
                .find(|o| o.code == l.code && o.effective_at == l.effective_at)
            {
                l.id = row.id.clone();
            }
        }
        dto.allergies
            .sort_by_key(|a| (criticality_rank(&a.criticality), a.display.clone()));
        dto.notes = chart.notes.into_iter().map(dto::note_dto).collect();
        Ok(dto)
    }
}

/// Diabetes, hypertension and cardiovascular flags, as iris-clinical defines them (the FHIR
/// gold features use the same functions).
fn risk_flags(ms: &[iris_record::Measurement<'_>]) -> Vec<RiskFlagDto> {
    iris_clinical::chart::risk_flags(ms)
        .into_iter()
        .map(|f| RiskFlagDto {
            kind: f.kind.as_str().to_string(),
            rule: f.rule.to_string(),
            evidence: f
                .evidence
                .into_iter()
                .map(|e| {
                    let (label, unit) = e.describe();
                    EvidenceDto {
                        label: label.to_string(),
                        unit: unit.to_string(),
                        code: e.code,
                        value: e.value,
                        at: e.at,
                    }
                })
                .collect(),
        })
        .collect()
}
