//! Medication entry with its safety check, and ED triage, through AppCore: the chart supplies
//! the context (active medications, allergies, eGFR, age), the engines decide, the vault
//! stores, and an override needs a reason that is kept encrypted and audited.

use iris_record::{
    MedicationStatement, NoteContent, ObsValue, Observation, Record, SafetyOverride,
};
use iris_types::{
    AddMedicationRequest, AlertDto, ApiError, ChartDto, ErrorCode, FieldError, MedicationCheckDto,
    MedicationCheckRequest, SaveTriageRequest, SavedTriageDto,
};
use iris_vault::VaultError;

use crate::AppCore;
use crate::api_error;
use crate::chart::{RESPONSIVENESS, age_on};

/// Reported eGFR codes (CKD-EPI 2021, CKD-EPI 2009, MDRD) and serum creatinine.
const EGFR_CODES: [&str; 4] = ["98979-8", "62238-1", "33914-3", "48643-1"];
const CREATININE: &str = "2160-0";

/// The eGFR the renal checks use: the newest reported eGFR or, when the newest creatinine is
/// more recent, CKD-EPI 2021 from it (age on the day of the sample). `None` without either.
pub fn latest_egfr(chart: &ChartDto) -> Option<f64> {
    let newest = |codes: &[&str]| {
        chart
            .observations
            .iter()
            .filter(|o| codes.contains(&o.code.as_str()) && o.value.is_some())
            .max_by_key(|o| o.effective_at)
    };
    let reported = newest(&EGFR_CODES);
    let calculated = newest(&[CREATININE]).and_then(|o| {
        let sex = iris_clinical::Sex::parse(&chart.patient.patient.sex)?;
        let age = age_on(
            &chart.patient.patient.birth_date,
            iris_record::Date::from_unix_ms(o.effective_at),
        );
        iris_clinical::ckd_epi_2021(o.value?, f64::from(age), sex)
            .ok()
            .map(|e| (o.effective_at, e))
    });
    match (reported, calculated) {
        (Some(r), Some((at, e))) if at > r.effective_at => Some(e),
        (Some(r), _) => r.value,
        (None, Some((_, e))) => Some(e),
        (None, None) => None,
    }
}

fn reason_ok(r: Option<&str>) -> Option<String> {
    r.map(str::trim)
        .filter(|r| (5..=500).contains(&r.chars().count()))
        .map(str::to_string)
}

fn needs_override(alerts: &[AlertDto]) -> bool {
    alerts
        .iter()
        .any(|a| a.severity == "contraindicated" || a.severity == "major")
}

impl AppCore {
    /// The alerts a new medication raises against this chart.
    async fn check_against_chart(
        &self,
        patient_id: &str,
        name: &str,
    ) -> Result<MedicationCheckDto, ApiError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(ApiError::validation(vec![FieldError {
                field: "name".into(),
                rule: if name.is_empty() {
                    "required"
                } else {
                    "max_length_200"
                }
                .into(),
            }]));
        }
        let chart = self.open_chart(patient_id).await?;
        let egfr = latest_egfr(&chart);
        let mut meds: Vec<&str> = chart
            .medications
            .iter()
            .filter(|m| m.status == "active")
            .map(|m| m.display.as_str())
            .collect();
        meds.push(name);
        let allergies: Vec<&str> = chart.allergies.iter().map(|a| a.display.as_str()).collect();
        let alerts: Vec<AlertDto> = iris_meds::check(&iris_meds::CheckInput {
            medications: &meds,
            allergies: &allergies,
            egfr,
        })
        .into_iter()
        // What this prescription adds: alerts that involve it.
        .filter(|a| a.drugs.iter().any(|d| d == name))
        .map(crate::cds::alert_dto)
        .collect();
        Ok(MedicationCheckDto {
            needs_override: needs_override(&alerts),
            ingredients: iris_meds::resolve(name)
                .ingredients()
                .iter()
                .map(|d| d.name.to_string())
                .collect(),
            alerts,
            egfr,
        })
    }

    pub async fn medication_check(
        &self,
        req: MedicationCheckRequest,
    ) -> Result<MedicationCheckDto, ApiError> {
        self.check_against_chart(&req.patient_id, &req.name).await
    }

    /// Records an active medication after checking it again; a major or contraindicated
    /// alert needs an override reason, sealed with the medication and audited.
    pub async fn add_medication(
        &self,
        req: AddMedicationRequest,
    ) -> Result<MedicationCheckDto, ApiError> {
        let check = self.check_against_chart(&req.patient_id, &req.name).await?;
        let reason = reason_ok(req.override_reason.as_deref());
        if check.needs_override && reason.is_none() {
            let n = check
                .alerts
                .iter()
                .filter(|a| a.severity == "contraindicated" || a.severity == "major")
                .count();
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "Not saved: {n} major or contraindicated alert{} must be overridden with a reason (5 to 500 characters).",
                    if n == 1 { "" } else { "s" }
                ),
            ));
        }
        let (v, actor) = self.actor().await?;
        let overridden: Vec<String> = check
            .alerts
            .iter()
            .filter(|a| a.severity == "contraindicated" || a.severity == "major")
            .map(|a| format!("{}:{}", a.kind, a.severity))
            .collect();
        let code = match iris_meds::resolve(&req.name) {
            iris_meds::Resolution::Single(d) => d.rxcui.unwrap_or_default().to_string(),
            _ => String::new(),
        };
        let today = iris_record::Date::from_unix_ms(self.now_ms()).to_string();
        let med = MedicationStatement {
            code,
            display: req.name.trim().to_string(),
            dose_value: req.dose_value,
            dose_unit: req
                .dose_unit
                .map(|u| u.trim().to_string())
                .filter(|u| !u.is_empty()),
            route: req.route,
            frequency: req.frequency.trim().to_string(),
            status: "active".into(),
            start: Some(today),
            end: None,
            safety_override: (!overridden.is_empty()).then(|| SafetyOverride {
                alerts: overridden.clone(),
                reason: reason.clone().unwrap_or_default(),
            }),
        };
        let note = (!overridden.is_empty()).then(|| {
            let mut codes = overridden.clone();
            codes.sort();
            codes.dedup();
            format!("override={}", codes.join(","))
        });
        v.add_records_noted(
            &actor,
            &req.patient_id,
            vec![Record::Medication(med)],
            note.as_deref(),
            self.now_ms(),
        )
        .await
        .map_err(api_error)?;
        Ok(check)
    }

    /// Saves an ED triage: the engine decides again (the client's level is a proposal to check
    /// against), an override needs a reason; then the vitals, and an emergency encounter with a
    /// triage note that records the level, the decision point, the reasons and any override.
    pub async fn save_triage(&self, req: SaveTriageRequest) -> Result<SavedTriageDto, ApiError> {
        let computed = crate::cds::triage(&req.triage)?;
        if !(1..=5).contains(&req.esi) {
            return Err(api_error(VaultError::invalid("esi", "one_to_five")));
        }
        let overridden = req.esi != computed.esi;
        let reason = reason_ok(req.override_reason.as_deref());
        if overridden && reason.is_none() {
            return Err(api_error(VaultError::invalid(
                "override_reason",
                "min_length_5",
            )));
        }
        let (v, actor) = self.actor().await?;
        let now = self.now_ms();
        let t = &req.triage;
        let quantity = |code: &str, display: &str, value: Option<f64>, unit: &str| {
            value.map(|value| {
                Record::Observation(Observation {
                    code: code.into(),
                    display: display.into(),
                    category: "vital-signs".into(),
                    value: ObsValue::Quantity {
                        value,
                        unit: unit.into(),
                    },
                    reference_low: None,
                    reference_high: None,
                    effective_at: now,
                    interpretation: None,
                })
            })
        };
        let mut vitals: Vec<Record> = [
            quantity("8867-4", "Heart rate", t.heart_rate, "/min"),
            quantity("9279-1", "Respiratory rate", t.respiratory_rate, "/min"),
            quantity(
                "59408-5",
                "Oxygen saturation in Arterial blood by Pulse oximetry",
                t.spo2,
                "%",
            ),
            quantity("8480-6", "Systolic blood pressure", t.systolic_bp, "mm[Hg]"),
            quantity("8310-5", "Body temperature", t.temperature_c, "Cel"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if let Some(level) = t
            .consciousness
            .as_deref()
            .and_then(|c| iris_clinical::scores::Avpu::parse(c.trim()))
            .map(|a| a.as_str())
        {
            vitals.push(Record::Observation(Observation {
                code: RESPONSIVENESS.into(),
                display: "Level of responsiveness".into(),
                category: "vital-signs".into(),
                value: ObsValue::Text { text: level.into() },
                reference_low: None,
                reference_high: None,
                effective_at: now,
                interpretation: (level != "A").then(|| "A".into()),
            }));
        }
        let audit_note = format!(
            "triage_esi={} computed={}{}",
            req.esi,
            computed.esi,
            if overridden { " override" } else { "" }
        );
        if !vitals.is_empty() {
            v.add_records_noted(&actor, &req.patient_id, vitals, Some(&audit_note), now)
                .await
                .map_err(api_error)?;
        }
        let mut text = format!(
            "ESI {} (engine: ESI {}, decision point {}).\nReasons:\n",
            req.esi, computed.esi, computed.decision_point
        );
        for r in &computed.reasons {
            text.push_str(&format!("- {r}\n"));
        }
        if let Some(r) = reason.as_deref().filter(|_| overridden) {
            text.push_str(&format!(
                "Override by {}: ESI {} → ESI {}. Reason: {r}\n",
                actor.name, computed.esi, req.esi
            ));
        }
        let complaint = t.chief_complaint.clone().unwrap_or_default();
        let (encounter_id, note_id) = v
            .start_encounter(
                &actor,
                &req.patient_id,
                "EMER",
                &complaint,
                &NoteContent {
                    kind: "triage".into(),
                    title: format!("ED triage: ESI {}", req.esi),
                    text,
                    soap: None,
                },
                now,
            )
            .await
            .map_err(api_error)?;
        Ok(SavedTriageDto {
            encounter_id,
            note_id,
            esi: req.esi,
            computed_esi: computed.esi,
        })
    }
}
