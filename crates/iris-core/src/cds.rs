//! Clinical decision support through AppCore: the DTOs of iris-types to and from the pure
//! functions of iris-clinical. Stateless (no vault, no session): the CLI calls these without
//! signing in, and nothing is stored.

use iris_clinical::Sex;
use iris_clinical::scores::{
    self, AmbulatoryAid, Avpu, Gait, Inputs, LaceInput, MentalStatus, MorseInput,
};
use iris_clinical::triage::{self, DecisionPoint, Proposal, TriageInput};
use iris_types::{
    AlertDto, ApiError, CdsInput, EvaluationDto, FeverFloorDto, FieldError, MedsCheckDto,
    MedsCheckRequest, ProposalDto, ProposedDto, ScoreDto, TriageDto, TriageRequest,
};

pub fn score_dto(s: iris_clinical::Score) -> ScoreDto {
    ScoreDto {
        score: s.score,
        risk: s.risk.map(str::to_string),
        parts: s
            .parts
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        missing: s.missing.into_iter().map(str::to_string).collect(),
        notes: s.notes,
    }
}

fn invalid(field: &str, rule: &str) -> FieldError {
    FieldError {
        field: field.to_string(),
        rule: rule.to_string(),
    }
}

fn refuse(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        let mut e = ApiError::validation(errors);
        e.message =
            "The input is not valid or not physiologically possible; nothing was scored.".into();
        Err(e)
    }
}

fn from_validation(errors: Vec<scores::InputError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| invalid(e.field, e.reason))
        .collect()
}

fn avpu(v: &Option<String>, errors: &mut Vec<FieldError>) -> Option<Avpu> {
    let s = v.as_deref()?;
    let a = Avpu::parse(s.trim());
    if a.is_none() {
        errors.push(invalid("consciousness", "one of A, C, V, P, U"));
    }
    a
}

/// Maps the DTO onto the engine's inputs, refusing unknown codes and impossible values.
pub fn inputs(req: &CdsInput) -> Result<Inputs, ApiError> {
    let mut errors = Vec::new();
    let sex = req.sex.as_deref().and_then(|s| {
        let x = Sex::parse(s.trim());
        if x.is_none() {
            errors.push(invalid("sex", "male or female"));
        }
        x
    });
    let consciousness = avpu(&req.consciousness, &mut errors);
    let morse = req.morse.as_ref().and_then(|m| {
        let aid = AmbulatoryAid::parse(&m.ambulatory_aid);
        let gait = Gait::parse(&m.gait);
        let mental = MentalStatus::parse(&m.mental_status);
        if aid.is_none() {
            errors.push(invalid(
                "morse.ambulatory_aid",
                "none, bed_rest, nurse_assist, wheelchair, crutches, cane, walker or furniture",
            ));
        }
        if gait.is_none() {
            errors.push(invalid(
                "morse.gait",
                "normal, bed_rest, immobile, wheelchair, weak or impaired",
            ));
        }
        if mental.is_none() {
            errors.push(invalid(
                "morse.mental_status",
                "oriented_to_own_ability, overestimates or forgets_limitations",
            ));
        }
        Some(MorseInput {
            history_of_falling: m.history_of_falling,
            secondary_diagnosis: m.secondary_diagnosis,
            ambulatory_aid: aid?,
            iv_or_heparin_lock: m.iv_or_heparin_lock,
            gait: gait?,
            mental_status: mental?,
        })
    });
    let inputs = Inputs {
        age_years: req.age_years,
        sex,
        pregnant: req.pregnant,
        respiratory_rate: req.respiratory_rate,
        spo2: req.spo2,
        spo2_scale: req.spo2_scale,
        on_oxygen: req.on_oxygen,
        systolic_bp: req.systolic_bp,
        diastolic_bp: req.diastolic_bp,
        heart_rate: req.heart_rate,
        consciousness,
        gcs: req.gcs,
        temperature_c: req.temperature_c,
        wbc_10e9_per_l: req.wbc_10e9_per_l,
        weight_kg: req.weight_kg,
        height_cm: req.height_cm,
        creatinine_mg_dl: req.creatinine_mg_dl,
        morse,
        lace: req.lace.as_ref().map(|l| LaceInput {
            length_of_stay_days: l.length_of_stay_days,
            acute_admission: l.acute_admission,
            charlson_index: l.charlson_index,
            ed_visits_6_months: l.ed_visits_6_months,
        }),
    };
    if let Err(e) = scores::validate(&inputs) {
        errors.extend(from_validation(e));
    }
    refuse(errors)?;
    Ok(inputs)
}

pub fn evaluation_dto(e: scores::Evaluation) -> EvaluationDto {
    EvaluationDto {
        news2: score_dto(e.news2),
        qsofa: score_dto(e.qsofa),
        sirs: score_dto(e.sirs),
        mews: score_dto(e.mews),
        morse: score_dto(e.morse),
        shock_index: score_dto(e.shock_index),
        lace: score_dto(e.lace),
        egfr: score_dto(e.egfr),
        bmi: score_dto(e.bmi),
    }
}

/// Every score for one set of inputs.
pub fn evaluate(req: &CdsInput) -> Result<EvaluationDto, ApiError> {
    Ok(evaluation_dto(scores::evaluate(&inputs(req)?)))
}

fn proposal(p: Option<Proposal>) -> Option<ProposalDto> {
    p.map(|p| ProposalDto {
        value: p.value,
        rules: p.rules,
    })
}

/// ESI v4 for one patient at the door.
pub fn triage(req: &TriageRequest) -> Result<TriageDto, ApiError> {
    let mut errors = Vec::new();
    let consciousness = avpu(&req.consciousness, &mut errors);
    let input = TriageInput {
        age_years: req.age_years,
        age_months: req.age_months,
        age_days: req.age_days,
        heart_rate: req.heart_rate,
        respiratory_rate: req.respiratory_rate,
        spo2: req.spo2,
        systolic_bp: req.systolic_bp,
        temperature_c: req.temperature_c,
        consciousness,
        gcs: req.gcs,
        chief_complaint: req.chief_complaint.clone(),
        life_saving_intervention: req.life_saving_intervention,
        high_risk: req.high_risk,
        confused_lethargic_disoriented: req.confused_lethargic_disoriented,
        severe_pain_distress: req.severe_pain_distress,
        expected_resources: req.expected_resources,
    };
    if let Err(e) = triage::validate(&input) {
        errors.extend(from_validation(e));
    }
    if req
        .chief_complaint
        .as_deref()
        .is_some_and(|c| c.chars().count() > 500)
    {
        errors.push(invalid("chief_complaint", "max_length_500"));
    }
    refuse(errors)?;
    let t = triage::triage(&input);
    Ok(TriageDto {
        esi: t.esi,
        decision_point: match t.decision_point {
            DecisionPoint::A => "A",
            DecisionPoint::B => "B",
            DecisionPoint::C => "C",
            DecisionPoint::D => "D",
        }
        .to_string(),
        reasons: t.reasons,
        proposed: ProposedDto {
            life_saving_intervention: proposal(t.proposed.life_saving_intervention),
            high_risk: proposal(t.proposed.high_risk),
            confused_lethargic_disoriented: proposal(t.proposed.confused_lethargic_disoriented),
            severe_pain_distress: proposal(t.proposed.severe_pain_distress),
            danger_zone_vitals: proposal(t.proposed.danger_zone_vitals),
            pediatric_fever: t.proposed.pediatric_fever.map(|f| FeverFloorDto {
                min_esi: f.min_esi,
                rule: f.rule,
            }),
        },
    })
}

/// Most medications or allergies one check takes (a list is a person's, not a formulary).
pub const MAX_MED_ITEMS: usize = 100;

pub fn alert_dto(a: iris_meds::Alert) -> AlertDto {
    AlertDto {
        kind: a.kind.as_str().to_string(),
        severity: a.severity.as_str().to_string(),
        drugs: a.drugs,
        message: a.message,
        source: a.source.to_string(),
    }
}

/// Drug–drug, drug–allergy, renal-dose, duplicate-therapy and unknown-drug alerts, most severe
/// first. An unknown name is an alert, never silence.
pub fn meds_check(req: &MedsCheckRequest) -> Result<MedsCheckDto, ApiError> {
    let mut errors = Vec::new();
    for (field, list) in [
        ("medications", &req.medications),
        ("allergies", &req.allergies),
    ] {
        if list.len() > MAX_MED_ITEMS {
            errors.push(invalid(field, "at_most_100_items"));
        }
        for (i, name) in list.iter().enumerate() {
            if name.trim().is_empty() {
                errors.push(invalid(&format!("{field}.{i}"), "required"));
            } else if name.chars().count() > 200 {
                errors.push(invalid(&format!("{field}.{i}"), "max_length_200"));
            }
        }
    }
    if let Some(e) = req.egfr
        && !(e.is_finite() && (0.0..=300.0).contains(&e))
    {
        errors.push(invalid("egfr", "outside 0–300 mL/min/1.73 m²"));
    }
    refuse(errors)?;
    let meds: Vec<&str> = req.medications.iter().map(String::as_str).collect();
    let allergies: Vec<&str> = req.allergies.iter().map(String::as_str).collect();
    let alerts = iris_meds::check(&iris_meds::CheckInput {
        medications: &meds,
        allergies: &allergies,
        egfr: req.egfr,
    });
    Ok(MedsCheckDto {
        alerts: alerts.into_iter().map(alert_dto).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// NEWS2 worked case (RCP 2017 chart 1): RR 22 (2), SpO2 95 scale 1 (1), air (0),
    /// SBP 105 (1), HR 112 (2), alert (0), 38.4 °C (1) = 7, "high".
    #[test]
    fn a_full_set_of_vitals_scores_news2() {
        let req = CdsInput {
            respiratory_rate: Some(22.0),
            spo2: Some(95.0),
            on_oxygen: Some(false),
            systolic_bp: Some(105.0),
            diastolic_bp: Some(70.0),
            heart_rate: Some(112.0),
            consciousness: Some("A".into()),
            temperature_c: Some(38.4),
            age_years: Some(67.0),
            ..CdsInput::default()
        };
        let e = evaluate(&req).unwrap();
        assert_eq!(e.news2.score, Some(7.0));
        assert_eq!(e.news2.risk.as_deref(), Some("high"));
        assert_eq!(e.news2.parts["heart_rate"], 2.0);
        assert_eq!(e.shock_index.score, Some(1.07));
        assert!(e.egfr.score.is_none());
        assert!(e.egfr.missing.contains(&"creatinine_mg_dl".to_string()));
    }

    #[test]
    fn impossible_or_unknown_values_are_refused_by_field() {
        let err = evaluate(&CdsInput {
            systolic_bp: Some(400.0),
            consciousness: Some("X".into()),
            sex: Some("f".into()),
            ..CdsInput::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["sex", "consciousness", "systolic_bp"]);
        assert_eq!(err.code, iris_types::ErrorCode::Validation);
    }

    #[test]
    fn the_issue_example_alerts_and_refuses_nonsense() {
        let r = meds_check(&MedsCheckRequest {
            medications: vec!["simvastatin".into(), "Biaxin".into()],
            allergies: vec!["penicillin".into()],
            egfr: Some(40.0),
        })
        .unwrap();
        let first = &r.alerts[0];
        assert_eq!(
            (first.kind.as_str(), first.severity.as_str()),
            ("drug-drug", "contraindicated")
        );
        assert!(!first.source.is_empty());
        let err = meds_check(&MedsCheckRequest {
            medications: vec![" ".into()],
            allergies: vec![],
            egfr: Some(f64::NAN),
        })
        .unwrap_err();
        assert_eq!(err.fields.len(), 2);
        let unknown = meds_check(&MedsCheckRequest {
            medications: vec!["notadrugatall".into()],
            ..MedsCheckRequest::default()
        })
        .unwrap();
        assert_eq!(unknown.alerts[0].kind, "unknown-drug");
    }

    #[test]
    fn triage_reports_its_decision_point() {
        let t = triage(&TriageRequest {
            age_years: Some(40.0),
            spo2: Some(85.0),
            ..TriageRequest::default()
        })
        .unwrap();
        assert_eq!((t.esi, t.decision_point.as_str()), (1, "A"));
        assert!(t.proposed.life_saving_intervention.unwrap().value);
    }
}
