//! Medication entry with its safety check, and ED triage, through AppCore: the chart supplies
//! the context (active medications, allergies, eGFR, age), the engines decide, the vault
//! stores, and an override needs a reason that is kept encrypted and audited.

use iris_record::codes::loinc;
use iris_record::{
    EncounterClass, MedicationStatement, MedicationStatus, NoteContent, NoteKind, ObsCategory,
    ObsValue, Observation, Record, Route, SafetyOverride,
};
use iris_types::{
    AddMedicationRequest, AlertDto, ApiError, ErrorCode, FieldError, MedicationCheckDto,
    MedicationCheckRequest, SaveTriageRequest, SavedTriageDto,
};
use iris_vault::VaultError;

use crate::AppCore;
use crate::api_error;

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
        let (v, actor) = self.actor().await?;
        let chart = v
            .open_chart(&actor, patient_id, self.now_ms())
            .await
            .map_err(api_error)?;
        let ms = iris_clinical::chart::measurements(chart.observations());
        let egfr = iris_clinical::chart::latest_egfr(&ms, &chart.patient);
        let mut meds: Vec<&str> = Vec::new();
        let mut allergies: Vec<&str> = Vec::new();
        for r in &chart.records {
            match &r.record {
                Record::Medication(m) if m.status == MedicationStatus::Active => {
                    meds.push(&m.display);
                }
                Record::Allergy(a) => allergies.push(&a.display),
                _ => {}
            }
        }
        meds.push(name);
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
        let mut errors = Vec::new();
        let route = crate::dto::code("route", &req.route, Route::parse, &mut errors);
        let Some(route) = route else {
            return Err(crate::dto::invalid(errors));
        };
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
            route,
            frequency: req.frequency.trim().to_string(),
            status: MedicationStatus::Active,
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
        let quantity = |code: &str, value: Option<f64>, unit: &str| {
            value.map(|value| {
                let value = ObsValue::Quantity {
                    value,
                    unit: unit.into(),
                };
                Record::Observation(Observation::charted(
                    code,
                    ObsCategory::VitalSigns,
                    value,
                    now,
                ))
            })
        };
        let mut vitals: Vec<Record> = [
            quantity(loinc::HEART_RATE, t.heart_rate, "/min"),
            quantity(loinc::RESPIRATORY_RATE, t.respiratory_rate, "/min"),
            quantity(loinc::SPO2, t.spo2, "%"),
            quantity(loinc::SYSTOLIC_BP, t.systolic_bp, "mm[Hg]"),
            quantity(loinc::BODY_TEMPERATURE, t.temperature_c, "Cel"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if let Some(level) = t
            .consciousness
            .as_deref()
            .and_then(|c| iris_clinical::scores::Avpu::parse(c.trim()))
        {
            vitals.push(Record::Observation(iris_clinical::chart::responsiveness(
                level, now,
            )));
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
                EncounterClass::Emergency,
                &complaint,
                &NoteContent {
                    kind: NoteKind::Triage,
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
