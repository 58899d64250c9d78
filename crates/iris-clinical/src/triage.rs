//! Emergency Severity Index (ESI) version 4 triage.
//!
//! Source: Gilboy N, Tanabe P, Travers D, Rosenau AM. Emergency Severity Index (ESI): A
//! Triage Tool for Emergency Department Care, Version 4. Implementation Handbook, 2012
//! Edition. AHRQ Publication No. 12-0014. Rockville, MD: Agency for Healthcare Research and
//! Quality, 2011 — the "ESI Triage Algorithm, v4" figure and its notes A–D, and the
//! handbook's table of examples of high-risk situations.
//!
//! # The algorithm
//!
//! - **A** — requires immediate life-saving intervention? yes → **ESI 1**.
//! - **B** — high-risk situation, or new confusion/lethargy/disorientation, or severe
//!   pain/distress (≥ 7/10 or by observation)? yes → **ESI 2**.
//! - **C** — how many different resources are needed? none → **ESI 5**, one → **ESI 4**,
//!   many → D.
//! - **D** — danger-zone vitals? "consider" → **ESI 2**, otherwise **ESI 3**.
//!
//! # Answers and proposals
//!
//! The clinician's answers (`life_saving_intervention`, `high_risk`,
//! `confused_lethargic_disoriented`, `severe_pain_distress`, `expected_resources`) always win.
//! For each unanswered question the engine **proposes** an answer from the data and applies
//! it, saying which rule fired in `reasons`; when a clinician's "no" contradicts a rule that
//! fired, `reasons` says that too. Proposals are computed whether or not the question was
//! answered and returned in [`Proposed`].
//!
//! | Question | Proposed yes when | Source |
//! |---|---|---|
//! | A life-saving intervention | SpO2 < 90 %; P or U on AVPU ("unresponsive: requires noxious stimulus"); respiratory rate 0 (apnoeic); heart rate 0 (pulseless) | algorithm note A |
//! | A life-saving intervention | GCS ≤ 8 | **not in the handbook**: the conventional GCS equivalent of P on AVPU, added so a GCS-only record is not missed |
//! | B confused/lethargic/disoriented | ACVPU other than A; GCS < 15 | algorithm box B (the clinician confirms the change is new) |
//! | B high-risk situation | the chief complaint contains a keyword of [`HIGH_RISK_KEYWORDS`] | handbook table "Examples of high-risk situations" |
//! | B severe pain/distress | never proposed (no pain score among the inputs) | – |
//!
//! An unanswered question with nothing to propose from is treated as "no", and `reasons`
//! says so. Keyword matching is crude (it cannot read "no chest pain"): it errs towards ESI 2
//! and names the keyword so the clinician can overrule it.
//!
//! # Missing resource count
//!
//! Without `expected_resources` decision point C cannot be decided. The engine takes the most
//! cautious branch, "many" (ESI 3, unless D up-triages to 2), and says "resources not given".
//!
//! # Decision point D and the paediatric fever considerations
//!
//! Danger-zone vitals (algorithm box D), "consider ESI 2"; the engine up-triages:
//!
//! | Age | HR > | RR > |
//! |---|---|---|
//! | < 3 months | 180 | 50 |
//! | 3 months – 3 years | 160 | 40 |
//! | 3 – 8 years | 140 | 30 |
//! | > 8 years | 100 | 20 |
//!
//! and SpO2 < 92 % at any age. At a boundary age the younger band's upper limit is exclusive
//! and the older band begins: exactly 3 months uses "3 months – 3 years", exactly 3 years
//! "3–8 years", and "> 8 years" begins just after the 8th birthday (8.5 years is > 8). Each of
//! these readings gives the stricter limits. Without an age the "> 8 years" limits (the
//! strictest) are used, with a reason.
//!
//! Paediatric fever considerations (algorithm, below box D), applied as a floor on the level
//! whatever the decision point (a febrile neonate needing no resources is still ESI 2):
//!
//! | Age | Temperature | Level |
//! |---|---|---|
//! | 1–28 days (0–28 days here) | > 38.0 °C | at least ESI 2 |
//! | 1–3 months (29 days to 3 months inclusive) | > 38.0 °C | consider ESI 2 (applied) |
//! | 3 months – 3 years (above 3 months to 3 years inclusive) | > 39.0 °C | consider ESI 3 (applied) |
//!
//! The 3 months – 3 years rule also names incomplete immunisations and no obvious source of
//! fever, which are not among the inputs: a reason says they were not evaluated. Ages are
//! converted with 1 year = 12 months = 365.25 days (1 month = 30.4375 days); `age_days`, when
//! given, is used first, then `age_months`, then `age_years`.
//!
//! Danger-zone vitals in a patient whose level was decided at C (ESI 4 or 5) do not change
//! the level (the handbook reaches D only with two or more resources), but a reason asks the
//! clinician to review the resource estimate.

use crate::scores::{Avpu, InputError, check};

/// Chief-complaint keywords proposing a high-risk situation (decision point B), matched
/// case-insensitively as substrings, with the handbook example each one stands for (table
/// "Examples of high-risk situations", ESI Implementation Handbook v4).
pub const HIGH_RISK_KEYWORDS: &[(&str, &str)] = &[
    ("chest pain", "cardiac: chest pain"),
    (
        "stroke",
        "neurologic: acute ischemic stroke (motor or speech deficits)",
    ),
    (
        "facial droop",
        "neurologic: acute ischemic stroke (motor or speech deficits)",
    ),
    (
        "slurred speech",
        "neurologic: acute ischemic stroke (motor or speech deficits)",
    ),
    ("suicid", "mental health: suicidal attempt/complaint"),
    ("sexual assault", "mental health: sexual assault"),
    (
        "testicular pain",
        "genitourinary: testicular torsion (sudden onset of testicular pain)",
    ),
    ("ectopic", "gynecological: ectopic pregnancy"),
    ("meningitis", "neurologic: rule out meningitis"),
];

/// What the triage engine reads. Every field optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TriageInput {
    pub age_years: Option<f64>,
    /// Age in months; used before `age_years` when given.
    pub age_months: Option<f64>,
    /// Age in days; used before `age_months` when given (neonates).
    pub age_days: Option<f64>,
    /// Beats per minute.
    pub heart_rate: Option<f64>,
    /// Breaths per minute.
    pub respiratory_rate: Option<f64>,
    /// %.
    pub spo2: Option<f64>,
    /// mmHg. Recorded and validated, but no ESI v4 criterion is a blood-pressure number
    /// (hypotension with hypoperfusion is the clinician's judgment at A).
    pub systolic_bp: Option<f64>,
    /// °C.
    pub temperature_c: Option<f64>,
    pub consciousness: Option<Avpu>,
    /// Glasgow Coma Scale total, 3–15.
    pub gcs: Option<u8>,
    pub chief_complaint: Option<String>,
    /// Clinician's answer at A.
    pub life_saving_intervention: Option<bool>,
    /// Clinician's answer at B.
    pub high_risk: Option<bool>,
    /// Clinician's answer at B (new onset).
    pub confused_lethargic_disoriented: Option<bool>,
    /// Clinician's answer at B (pain ≥ 7/10 or distress by observation).
    pub severe_pain_distress: Option<bool>,
    /// Number of different resource types expected (C).
    pub expected_resources: Option<u8>,
}

/// Where the level was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionPoint {
    /// Life-saving intervention: ESI 1.
    A,
    /// High risk, confusion/lethargy/disorientation, severe pain/distress: ESI 2.
    B,
    /// Resources none or one: ESI 5 or 4.
    C,
    /// Danger-zone vitals (ESI 2) or not (ESI 3); also any paediatric fever floor.
    D,
}

/// The engine's proposed answer to one question and the rules behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub value: bool,
    /// The rules that fired (value `true`), or what was checked (value `false`).
    pub rules: Vec<String>,
}

/// A paediatric fever consideration that applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeverFloor {
    /// The level is at most this (ESI 2 or 3).
    pub min_esi: u8,
    pub rule: String,
}

/// Everything the engine proposed; `None` where it had nothing to propose from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proposed {
    pub life_saving_intervention: Option<Proposal>,
    pub high_risk: Option<Proposal>,
    pub confused_lethargic_disoriented: Option<Proposal>,
    /// Always `None`: no pain score among the inputs.
    pub severe_pain_distress: Option<Proposal>,
    pub danger_zone_vitals: Option<Proposal>,
    pub pediatric_fever: Option<FeverFloor>,
}

/// The triage result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triage {
    /// 1 (most urgent) to 5.
    pub esi: u8,
    pub decision_point: DecisionPoint,
    /// Every step, answer, proposal and assumption, in order.
    pub reasons: Vec<String>,
    pub proposed: Proposed,
}

const DAYS_PER_YEAR: f64 = 365.25;
const DAYS_PER_MONTH: f64 = DAYS_PER_YEAR / 12.0;
const GCS_REASON: &str = "outside 3–15";

/// Every impossible value in `input` (the limits of [`crate::scores::validate`]; ages 0–130
/// years in any unit).
pub fn validate(input: &TriageInput) -> Result<(), Vec<InputError>> {
    let mut errors: Vec<InputError> = numbers(input)
        .iter()
        .filter_map(|&(field, v)| v.and_then(|x| check(field, x).err()))
        .collect();
    if let Some(g) = input.gcs
        && !(3..=15).contains(&g)
    {
        errors.push(InputError {
            field: "gcs",
            reason: GCS_REASON,
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn numbers(input: &TriageInput) -> [(&'static str, Option<f64>); 8] {
    [
        ("age_years", input.age_years),
        ("age_months", input.age_months),
        ("age_days", input.age_days),
        ("heart_rate", input.heart_rate),
        ("respiratory_rate", input.respiratory_rate),
        ("spo2", input.spo2),
        ("systolic_bp", input.systolic_bp),
        ("temperature_c", input.temperature_c),
    ]
}

/// The usable (validated, noise-free) data.
#[derive(Debug, Default)]
struct Data {
    age_days: Option<f64>,
    age_months: Option<f64>,
    heart_rate: Option<f64>,
    respiratory_rate: Option<f64>,
    spo2: Option<f64>,
    temperature_c: Option<f64>,
    consciousness: Option<Avpu>,
    gcs: Option<u8>,
}

fn usable(input: &TriageInput, reasons: &mut Vec<String>) -> Data {
    let mut take = |field: &'static str, v: Option<f64>| -> Option<f64> {
        match check(field, v?) {
            Ok(x) => Some(x),
            Err(e) => {
                reasons.push(format!(
                    "{field} = {} ignored as impossible: {}",
                    v.unwrap_or_default(),
                    e.reason
                ));
                None
            }
        }
    };
    let years = take("age_years", input.age_years);
    let months = take("age_months", input.age_months);
    let days = take("age_days", input.age_days);
    let mut d = Data {
        heart_rate: take("heart_rate", input.heart_rate),
        respiratory_rate: take("respiratory_rate", input.respiratory_rate),
        spo2: take("spo2", input.spo2),
        temperature_c: take("temperature_c", input.temperature_c),
        consciousness: input.consciousness,
        ..Data::default()
    };
    let _ = take("systolic_bp", input.systolic_bp);
    (d.age_days, d.age_months) = match (days, months, years) {
        (Some(dd), _, _) => (Some(dd), Some(dd / DAYS_PER_MONTH)),
        (None, Some(m), _) => (Some(m * DAYS_PER_MONTH), Some(m)),
        (None, None, Some(y)) => (Some(y * DAYS_PER_YEAR), Some(y * 12.0)),
        (None, None, None) => (None, None),
    };
    d.gcs = match input.gcs {
        Some(g) if (3..=15).contains(&g) => Some(g),
        Some(g) => {
            reasons.push(format!("gcs = {g} ignored as impossible: {GCS_REASON}"));
            None
        }
        None => None,
    };
    d
}

/// Decision point A proposal (algorithm note A, plus GCS ≤ 8).
fn propose_life_saving(d: &Data) -> Option<Proposal> {
    let mut rules = Vec::new();
    if let Some(s) = d.spo2
        && s < 90.0
    {
        rules.push(format!("SpO2 {s} % < 90 %"));
    }
    if let Some(a @ (Avpu::Pain | Avpu::Unresponsive)) = d.consciousness {
        rules.push(format!(
            "unresponsive: {} on AVPU (requires noxious stimulus)",
            a.as_str()
        ));
    }
    if let Some(g) = d.gcs
        && g <= 8
    {
        rules.push(format!(
            "GCS {g} ≤ 8 (taken as P/U on AVPU; engine rule, not in the handbook)"
        ));
    }
    if d.respiratory_rate == Some(0.0) {
        rules.push("apnoeic: respiratory rate 0".to_owned());
    }
    if d.heart_rate == Some(0.0) {
        rules.push("pulseless: heart rate 0".to_owned());
    }
    let any_data = d.spo2.is_some()
        || d.consciousness.is_some()
        || d.gcs.is_some()
        || d.respiratory_rate.is_some()
        || d.heart_rate.is_some();
    proposal(
        rules,
        any_data,
        "SpO2, responsiveness, respiratory rate and pulse",
    )
}

fn proposal(rules: Vec<String>, any_data: bool, checked: &str) -> Option<Proposal> {
    if !rules.is_empty() {
        Some(Proposal { value: true, rules })
    } else if any_data {
        Some(Proposal {
            value: false,
            rules: vec![format!("no rule fired on the {checked} given")],
        })
    } else {
        None
    }
}

/// Decision point B, new confusion/lethargy/disorientation.
fn propose_confused(d: &Data) -> Option<Proposal> {
    let mut rules = Vec::new();
    if let Some(a) = d.consciousness
        && a != Avpu::Alert
    {
        rules.push(format!("{} on ACVPU (confirm it is new)", a.as_str()));
    }
    if let Some(g) = d.gcs
        && g < 15
    {
        rules.push(format!("GCS {g} < 15 (confirm it is new)"));
    }
    proposal(
        rules,
        d.consciousness.is_some() || d.gcs.is_some(),
        "consciousness",
    )
}

/// Decision point B, high-risk situation, from the chief complaint.
fn propose_high_risk(complaint: Option<&str>) -> Option<Proposal> {
    let complaint = complaint?.to_lowercase();
    let rules = HIGH_RISK_KEYWORDS
        .iter()
        .filter(|(k, _)| complaint.contains(*k))
        .map(|(k, example)| format!("chief complaint mentions \"{k}\" ({example})"))
        .collect();
    proposal(rules, true, "chief complaint")
}

/// The danger-zone age band: (label, HR limit, RR limit).
fn danger_band(age_months: Option<f64>) -> (&'static str, f64, f64) {
    match age_months {
        Some(m) if m < 3.0 => ("< 3 months", 180.0, 50.0),
        Some(m) if m < 36.0 => ("3 months – 3 years", 160.0, 40.0),
        Some(m) if m <= 96.0 => ("3–8 years", 140.0, 30.0),
        _ => ("> 8 years", 100.0, 20.0),
    }
}

/// Decision point D (algorithm box D).
fn propose_danger_zone(d: &Data) -> Option<Proposal> {
    let (band, hr_limit, rr_limit) = danger_band(d.age_months);
    let mut rules = Vec::new();
    if let Some(hr) = d.heart_rate
        && hr > hr_limit
    {
        rules.push(format!("heart rate {hr} > {hr_limit} (age {band})"));
    }
    if let Some(rr) = d.respiratory_rate
        && rr > rr_limit
    {
        rules.push(format!("respiratory rate {rr} > {rr_limit} (age {band})"));
    }
    if let Some(s) = d.spo2
        && s < 92.0
    {
        rules.push(format!("SpO2 {s} % < 92 %"));
    }
    let any_data = d.heart_rate.is_some() || d.respiratory_rate.is_some() || d.spo2.is_some();
    proposal(
        rules,
        any_data,
        &format!("heart rate, respiratory rate and SpO2 (age {band} limits)"),
    )
}

/// The paediatric fever considerations.
fn fever_floor(d: &Data) -> Option<FeverFloor> {
    let (days, months, t) = (d.age_days?, d.age_months?, d.temperature_c?);
    if days <= 28.0 && t > 38.0 {
        Some(FeverFloor {
            min_esi: 2,
            rule: format!("age 1–28 days with temperature {t} °C > 38.0 °C: at least ESI 2"),
        })
    } else if days > 28.0 && months <= 3.0 && t > 38.0 {
        Some(FeverFloor {
            min_esi: 2,
            rule: format!(
                "age 1–3 months with temperature {t} °C > 38.0 °C: consider ESI 2 (applied)"
            ),
        })
    } else if months > 3.0 && months <= 36.0 && t > 39.0 {
        Some(FeverFloor {
            min_esi: 3,
            rule: format!(
                "age 3 months – 3 years with temperature {t} °C > 39.0 °C: consider ESI 3 (applied)"
            ),
        })
    } else {
        None
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// Applies the clinician's answer, or else the proposal, to one question.
fn decide(
    label: &str,
    answer: Option<bool>,
    proposal: Option<&Proposal>,
    reasons: &mut Vec<String>,
) -> bool {
    match (answer, proposal) {
        (Some(a), p) => {
            reasons.push(format!("{label}: answered {} by the clinician", yes_no(a)));
            if let Some(p) = p
                && p.value
                && !a
            {
                reasons.push(format!(
                    "{label}: note that the engine would propose yes: {}",
                    p.rules.join("; ")
                ));
            }
            a
        }
        (None, Some(p)) => {
            reasons.push(format!(
                "{label}: not answered; engine proposes {}: {}",
                yes_no(p.value),
                p.rules.join("; ")
            ));
            p.value
        }
        (None, None) => {
            reasons.push(format!("{label}: not answered and nothing to propose from: treated as no (clinician to confirm)"));
            false
        }
    }
}

/// ESI v4 triage of `input`. Never fails: impossible values are ignored (with a reason) and
/// unanswered questions are proposed or, failing that, treated as "no" (with a reason).
pub fn triage(input: &TriageInput) -> Triage {
    let mut reasons = Vec::new();
    let d = usable(input, &mut reasons);
    let proposed = Proposed {
        life_saving_intervention: propose_life_saving(&d),
        high_risk: propose_high_risk(input.chief_complaint.as_deref()),
        confused_lethargic_disoriented: propose_confused(&d),
        severe_pain_distress: None,
        danger_zone_vitals: propose_danger_zone(&d),
        pediatric_fever: fever_floor(&d),
    };
    let done = |esi, decision_point, reasons| Triage {
        esi,
        decision_point,
        reasons,
        proposed: proposed.clone(),
    };

    // A
    let lsi = decide(
        "A life-saving intervention",
        input.life_saving_intervention,
        proposed.life_saving_intervention.as_ref(),
        &mut reasons,
    );
    if lsi {
        reasons.push("A: immediate life-saving intervention required → ESI 1".to_owned());
        return done(1, DecisionPoint::A, reasons);
    }

    // B
    let high_risk = decide(
        "B high-risk situation",
        input.high_risk,
        proposed.high_risk.as_ref(),
        &mut reasons,
    );
    let confused = decide(
        "B new confusion/lethargy/disorientation",
        input.confused_lethargic_disoriented,
        proposed.confused_lethargic_disoriented.as_ref(),
        &mut reasons,
    );
    let pain = decide(
        "B severe pain/distress",
        input.severe_pain_distress,
        proposed.severe_pain_distress.as_ref(),
        &mut reasons,
    );
    if high_risk || confused || pain {
        reasons.push("B: high-risk presentation → ESI 2".to_owned());
        return done(2, DecisionPoint::B, reasons);
    }

    // C
    let (mut esi, mut point) = match input.expected_resources {
        Some(0) => {
            reasons.push("C: no resources expected → ESI 5".to_owned());
            (5, DecisionPoint::C)
        }
        Some(1) => {
            reasons.push("C: one resource expected → ESI 4".to_owned());
            (4, DecisionPoint::C)
        }
        Some(n) => {
            reasons.push(format!("C: {n} resources expected → decision point D"));
            (3, DecisionPoint::D)
        }
        None => {
            reasons.push("C: resources not given: the most cautious branch (two or more) is taken → decision point D".to_owned());
            (3, DecisionPoint::D)
        }
    };

    // D
    if d.age_months.is_none() {
        reasons.push("age not given: danger-zone limits for > 8 years (the strictest) used; paediatric fever considerations not evaluated".to_owned());
    }
    let danger = proposed.danger_zone_vitals.as_ref();
    if point == DecisionPoint::D {
        match danger {
            Some(p) if p.value => {
                reasons.push(format!(
                    "D: danger-zone vitals ({}): consider ESI 2 → up-triaged to ESI 2",
                    p.rules.join("; ")
                ));
                esi = 2;
            }
            Some(p) => reasons.push(format!("D: {} → ESI 3", p.rules.join("; "))),
            None => reasons.push(
                "D: no heart rate, respiratory rate or SpO2 given to check → ESI 3".to_owned(),
            ),
        }
    } else if let Some(p) = danger.filter(|p| p.value) {
        reasons.push(format!(
            "danger-zone vitals present ({}) though C gave ESI {esi}: the handbook checks them only with two or more resources; review the resource estimate",
            p.rules.join("; ")
        ));
    }

    if let Some(f) = &proposed.pediatric_fever {
        if f.min_esi < esi {
            reasons.push(format!("paediatric fever: {} → ESI {}", f.rule, f.min_esi));
            esi = f.min_esi;
            point = DecisionPoint::D;
        } else {
            reasons.push(format!("paediatric fever: {} (already ESI {esi})", f.rule));
        }
        if f.min_esi == 3 {
            reasons.push("paediatric fever: incomplete immunisations and no obvious source of fever (also ESI 3 criteria at this age) were not evaluated".to_owned());
        }
    } else if d.age_months.is_some_and(|m| m > 3.0 && m <= 36.0) {
        reasons.push("paediatric fever (3 months – 3 years): incomplete immunisations or no obvious source of fever also suggest ESI 3 and were not evaluated".to_owned());
    }
    done(esi, point, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An adult needing two resources, all vitals normal: ESI 3 at D.
    fn adult() -> TriageInput {
        TriageInput {
            age_years: Some(40.0),
            heart_rate: Some(80.0),
            respiratory_rate: Some(16.0),
            spo2: Some(98.0),
            systolic_bp: Some(125.0),
            temperature_c: Some(37.0),
            consciousness: Some(Avpu::Alert),
            gcs: Some(15),
            chief_complaint: Some("abdominal pain".to_owned()),
            expected_resources: Some(2),
            ..TriageInput::default()
        }
    }

    fn has(t: &Triage, text: &str) -> bool {
        t.reasons.iter().any(|r| r.contains(text))
    }

    #[test]
    fn baseline_is_esi_3_at_d() {
        let t = triage(&adult());
        assert_eq!(
            (t.esi, t.decision_point),
            (3, DecisionPoint::D),
            "{:#?}",
            t.reasons
        );
        assert_eq!(
            t.proposed
                .life_saving_intervention
                .as_ref()
                .map(|p| p.value),
            Some(false)
        );
        assert_eq!(t.proposed.high_risk.as_ref().map(|p| p.value), Some(false));
        assert_eq!(
            t.proposed
                .confused_lethargic_disoriented
                .as_ref()
                .map(|p| p.value),
            Some(false)
        );
        assert_eq!(
            t.proposed.danger_zone_vitals.as_ref().map(|p| p.value),
            Some(false)
        );
        assert_eq!(t.proposed.severe_pain_distress, None);
        assert_eq!(t.proposed.pediatric_fever, None);
    }

    // ESI v4 algorithm, decision point A.
    #[test]
    fn a_clinician_answer_gives_esi_1() {
        let t = triage(&TriageInput {
            life_saving_intervention: Some(true),
            ..adult()
        });
        assert_eq!((t.esi, t.decision_point), (1, DecisionPoint::A));
        assert!(has(&t, "answered yes by the clinician"));
    }

    /// ESI v4 algorithm note A: SpO2 < 90, unresponsive (P or U), apnoeic, pulseless; plus
    /// the engine's GCS ≤ 8. Rows: (input, ESI 1 proposed).
    #[test]
    fn a_is_proposed_from_vitals() {
        let rows: Vec<(TriageInput, bool)> = vec![
            (
                TriageInput {
                    spo2: Some(89.0),
                    ..adult()
                },
                true,
            ),
            (
                TriageInput {
                    spo2: Some(89.9),
                    ..adult()
                },
                true,
            ),
            (
                TriageInput {
                    spo2: Some(90.0),
                    ..adult()
                },
                false,
            ),
            (
                TriageInput {
                    consciousness: Some(Avpu::Unresponsive),
                    gcs: None,
                    ..adult()
                },
                true,
            ),
            (
                TriageInput {
                    consciousness: Some(Avpu::Pain),
                    gcs: None,
                    ..adult()
                },
                true,
            ),
            (
                TriageInput {
                    consciousness: Some(Avpu::Voice),
                    gcs: None,
                    ..adult()
                },
                false,
            ),
            (
                TriageInput {
                    gcs: Some(8),
                    consciousness: None,
                    ..adult()
                },
                true,
            ),
            (
                TriageInput {
                    gcs: Some(3),
                    consciousness: None,
                    ..adult()
                },
                true,
            ),
            (
                TriageInput {
                    gcs: Some(9),
                    consciousness: None,
                    ..adult()
                },
                false,
            ),
            (
                TriageInput {
                    respiratory_rate: Some(0.0),
                    ..adult()
                },
                true,
            ),
            (
                TriageInput {
                    heart_rate: Some(0.0),
                    ..adult()
                },
                true,
            ),
        ];
        for (input, esi_1) in rows {
            let t = triage(&input);
            assert_eq!(
                t.proposed
                    .life_saving_intervention
                    .as_ref()
                    .map(|p| p.value),
                Some(esi_1),
                "{input:?}"
            );
            if esi_1 {
                assert_eq!(
                    (t.esi, t.decision_point),
                    (1, DecisionPoint::A),
                    "{input:?}"
                );
                assert!(has(&t, "engine proposes yes"), "{:#?}", t.reasons);
            } else {
                assert_ne!(t.esi, 1, "{input:?}");
            }
        }
    }

    #[test]
    fn a_clinician_no_overrides_the_proposal() {
        // SpO2 85 proposes ESI 1; the clinician says no. D still sees SpO2 < 92 → ESI 2.
        let t = triage(&TriageInput {
            spo2: Some(85.0),
            life_saving_intervention: Some(false),
            ..adult()
        });
        assert_eq!(
            (t.esi, t.decision_point),
            (2, DecisionPoint::D),
            "{:#?}",
            t.reasons
        );
        assert!(has(&t, "answered no by the clinician"));
        assert!(has(&t, "engine would propose yes: SpO2 85 % < 90 %"));
        // Unresponsive but the clinician says no life-saving intervention and no confusion.
        let t = triage(&TriageInput {
            consciousness: Some(Avpu::Unresponsive),
            life_saving_intervention: Some(false),
            confused_lethargic_disoriented: Some(false),
            ..adult()
        });
        assert_eq!(t.esi, 3);
    }

    // ESI v4 algorithm, decision point B: each clinician answer.
    #[test]
    fn b_clinician_answers_give_esi_2() {
        for input in [
            TriageInput {
                high_risk: Some(true),
                ..adult()
            },
            TriageInput {
                confused_lethargic_disoriented: Some(true),
                ..adult()
            },
            TriageInput {
                severe_pain_distress: Some(true),
                ..adult()
            },
        ] {
            let t = triage(&input);
            assert_eq!(
                (t.esi, t.decision_point),
                (2, DecisionPoint::B),
                "{input:?}"
            );
        }
        // B wins even with no resources.
        let t = triage(&TriageInput {
            severe_pain_distress: Some(true),
            expected_resources: Some(0),
            ..adult()
        });
        assert_eq!((t.esi, t.decision_point), (2, DecisionPoint::B));
    }

    #[test]
    fn b_high_risk_is_proposed_from_the_chief_complaint() {
        for (complaint, keyword) in [
            ("Chest pain for 2 hours", "chest pain"),
            ("left facial droop", "facial droop"),
            ("possible STROKE", "stroke"),
            ("suicidal thoughts", "suicid"),
            ("took pills, suicide attempt", "suicid"),
            ("sudden testicular pain", "testicular pain"),
        ] {
            let t = triage(&TriageInput {
                chief_complaint: Some(complaint.to_owned()),
                ..adult()
            });
            assert_eq!(
                (t.esi, t.decision_point),
                (2, DecisionPoint::B),
                "{complaint}"
            );
            let p = t.proposed.high_risk.unwrap();
            assert!(p.value && p.rules[0].contains(keyword), "{p:?}");
        }
        // The clinician's "no" wins.
        let t = triage(&TriageInput {
            chief_complaint: Some("chest pain".to_owned()),
            high_risk: Some(false),
            ..adult()
        });
        assert_eq!(t.esi, 3);
        assert!(has(
            &t,
            "engine would propose yes: chief complaint mentions \"chest pain\""
        ));
        // No complaint: nothing to propose.
        let t = triage(&TriageInput {
            chief_complaint: None,
            ..adult()
        });
        assert_eq!(t.proposed.high_risk, None);
        assert!(has(
            &t,
            "B high-risk situation: not answered and nothing to propose from"
        ));
    }

    #[test]
    fn b_confusion_is_proposed_from_consciousness() {
        for (avpu, gcs, proposed) in [
            (Some(Avpu::Confusion), None, true),
            (Some(Avpu::Voice), None, true),
            (Some(Avpu::Alert), Some(14), true),
            (None, Some(14), true),
            (None, Some(15), false),
            (Some(Avpu::Alert), None, false),
        ] {
            let t = triage(&TriageInput {
                consciousness: avpu,
                gcs,
                ..adult()
            });
            assert_eq!(
                t.proposed
                    .confused_lethargic_disoriented
                    .as_ref()
                    .map(|p| p.value),
                Some(proposed)
            );
            assert_eq!(t.esi, if proposed { 2 } else { 3 }, "{avpu:?} {gcs:?}");
        }
        let t = triage(&TriageInput {
            consciousness: None,
            gcs: None,
            ..adult()
        });
        assert_eq!(t.proposed.confused_lethargic_disoriented, None);
        // The clinician's "no" wins.
        let t = triage(&TriageInput {
            consciousness: Some(Avpu::Confusion),
            confused_lethargic_disoriented: Some(false),
            ..adult()
        });
        assert_eq!((t.esi, t.decision_point), (3, DecisionPoint::D));
    }

    // ESI v4 algorithm, decision point C.
    #[test]
    fn c_resources() {
        for (n, esi, point) in [
            (Some(0), 5, DecisionPoint::C),
            (Some(1), 4, DecisionPoint::C),
            (Some(2), 3, DecisionPoint::D),
            (Some(7), 3, DecisionPoint::D),
            (None, 3, DecisionPoint::D),
        ] {
            let t = triage(&TriageInput {
                expected_resources: n,
                ..adult()
            });
            assert_eq!((t.esi, t.decision_point), (esi, point), "{n:?}");
        }
        let t = triage(&TriageInput {
            expected_resources: None,
            ..adult()
        });
        assert!(has(&t, "resources not given"));
        // Missing resources still reach D: danger-zone vitals up-triage.
        let t = triage(&TriageInput {
            expected_resources: None,
            heart_rate: Some(120.0),
            ..adult()
        });
        assert_eq!((t.esi, t.decision_point), (2, DecisionPoint::D));
    }

    #[test]
    fn danger_zone_vitals_do_not_change_c_but_are_reported() {
        let t = triage(&TriageInput {
            expected_resources: Some(1),
            heart_rate: Some(130.0),
            ..adult()
        });
        assert_eq!((t.esi, t.decision_point), (4, DecisionPoint::C));
        assert!(has(&t, "review the resource estimate"));
    }

    /// ESI v4 algorithm box D, danger-zone vitals by age, each limit at and just beyond it.
    /// Rows: (age in months, band's HR limit, band's RR limit).
    const BANDS: &[(f64, f64, f64)] = &[
        (0.0, 180.0, 50.0),
        (1.0, 180.0, 50.0),
        (2.99, 180.0, 50.0),
        (3.0, 160.0, 40.0),
        (18.0, 160.0, 40.0),
        (35.99, 160.0, 40.0),
        (36.0, 140.0, 30.0),
        (60.0, 140.0, 30.0),
        (96.0, 140.0, 30.0),
        (96.01, 100.0, 20.0),
        (102.0, 100.0, 20.0),
        (480.0, 100.0, 20.0),
    ];

    #[test]
    fn d_danger_zone_by_age_band() {
        for &(months, hr_limit, rr_limit) in BANDS {
            let base = TriageInput {
                age_years: None,
                age_months: Some(months),
                heart_rate: Some(hr_limit - 20.0),
                respiratory_rate: Some(rr_limit - 5.0),
                temperature_c: Some(37.0),
                ..adult()
            };
            assert_eq!(triage(&base).esi, 3, "{months} months baseline");
            for (hr, rr, esi) in [
                (hr_limit, rr_limit - 5.0, 3),
                (hr_limit + 0.5, rr_limit - 5.0, 2),
                (hr_limit + 1.0, rr_limit - 5.0, 2),
                (hr_limit - 20.0, rr_limit, 3),
                (hr_limit - 20.0, rr_limit + 1.0, 2),
            ] {
                let t = triage(&TriageInput {
                    heart_rate: Some(hr),
                    respiratory_rate: Some(rr),
                    ..base.clone()
                });
                assert_eq!(
                    (t.esi, t.decision_point),
                    (esi, DecisionPoint::D),
                    "{months} months HR {hr} RR {rr}: {:#?}",
                    t.reasons
                );
            }
        }
    }

    #[test]
    fn d_age_units_and_band_boundaries() {
        // The same boundary ages given in years, months and days.
        for (input, hr_limit) in [
            (
                TriageInput {
                    age_years: Some(0.25),
                    ..TriageInput::default()
                },
                160.0,
            ),
            (
                TriageInput {
                    age_days: Some(91.0),
                    ..TriageInput::default()
                },
                180.0,
            ),
            (
                TriageInput {
                    age_days: Some(92.0),
                    ..TriageInput::default()
                },
                160.0,
            ),
            (
                TriageInput {
                    age_years: Some(3.0),
                    ..TriageInput::default()
                },
                140.0,
            ),
            (
                TriageInput {
                    age_months: Some(36.0),
                    ..TriageInput::default()
                },
                140.0,
            ),
            (
                TriageInput {
                    age_years: Some(8.0),
                    ..TriageInput::default()
                },
                140.0,
            ),
            (
                TriageInput {
                    age_years: Some(8.5),
                    ..TriageInput::default()
                },
                100.0,
            ),
            // Days win over months, months over years.
            (
                TriageInput {
                    age_days: Some(10.0),
                    age_months: Some(24.0),
                    age_years: Some(30.0),
                    ..TriageInput::default()
                },
                180.0,
            ),
            (
                TriageInput {
                    age_months: Some(24.0),
                    age_years: Some(30.0),
                    ..TriageInput::default()
                },
                160.0,
            ),
        ] {
            let at = TriageInput {
                heart_rate: Some(hr_limit),
                expected_resources: Some(2),
                ..input.clone()
            };
            assert_eq!(triage(&at).esi, 3, "{input:?} at {hr_limit}");
            let over = TriageInput {
                heart_rate: Some(hr_limit + 1.0),
                ..at
            };
            assert_eq!(triage(&over).esi, 2, "{input:?} over {hr_limit}");
        }
    }

    #[test]
    fn d_spo2_below_92_at_any_age() {
        for months in [1.0, 12.0, 60.0, 480.0] {
            let base = TriageInput {
                age_years: None,
                age_months: Some(months),
                heart_rate: Some(90.0),
                respiratory_rate: Some(18.0),
                ..adult()
            };
            assert_eq!(
                triage(&TriageInput {
                    spo2: Some(92.0),
                    ..base.clone()
                })
                .esi,
                3
            );
            assert_eq!(
                triage(&TriageInput {
                    spo2: Some(91.9),
                    ..base.clone()
                })
                .esi,
                2
            );
            assert_eq!(
                triage(&TriageInput {
                    spo2: Some(91.0),
                    ..base
                })
                .esi,
                2
            );
        }
    }

    #[test]
    fn d_without_age_uses_the_adult_limits() {
        let t = triage(&TriageInput {
            age_years: None,
            heart_rate: Some(101.0),
            ..adult()
        });
        assert_eq!(t.esi, 2);
        assert!(has(&t, "age not given"));
        let t = triage(&TriageInput {
            age_years: None,
            heart_rate: Some(100.0),
            ..adult()
        });
        assert_eq!(t.esi, 3);
    }

    /// ESI v4 algorithm, paediatric fever considerations. Rows: (age in days, temperature,
    /// resources, ESI).
    const FEVER: &[(f64, f64, u8, u8)] = &[
        // 1–28 days, > 38.0: at least ESI 2, even with no resources.
        (0.0, 38.1, 0, 2),
        (10.0, 38.05, 0, 2),
        (10.0, 38.1, 0, 2),
        (10.0, 38.0, 0, 5),
        (28.0, 38.1, 1, 2),
        // 1–3 months, > 38.0: consider ESI 2 (applied).
        (29.0, 38.1, 0, 2),
        (29.0, 38.0, 0, 5),
        (91.3125, 38.1, 0, 2),
        // 3 months – 3 years, > 39.0: consider ESI 3 (applied).
        (92.0, 38.5, 0, 5),
        (92.0, 39.0, 0, 5),
        (92.0, 39.1, 0, 3),
        (365.0, 39.5, 1, 3),
        (1095.75, 39.1, 0, 3),
        (1096.0, 39.1, 0, 5),
        // Already more urgent: unchanged.
        (365.0, 39.5, 2, 3),
    ];

    #[test]
    fn pediatric_fever_considerations() {
        for &(days, t, resources, esi) in FEVER {
            let input = TriageInput {
                age_days: Some(days),
                temperature_c: Some(t),
                expected_resources: Some(resources),
                consciousness: Some(Avpu::Alert),
                ..TriageInput::default()
            };
            let r = triage(&input);
            assert_eq!(
                r.esi, esi,
                "{days} days {t} °C {resources} resources: {:#?}",
                r.reasons
            );
            if esi < 4 && resources < 2 {
                assert_eq!(r.decision_point, DecisionPoint::D);
            }
        }
        let r = triage(&TriageInput {
            age_days: Some(10.0),
            temperature_c: Some(38.5),
            expected_resources: Some(0),
            ..TriageInput::default()
        });
        assert_eq!(
            r.proposed.pediatric_fever.as_ref().map(|f| f.min_esi),
            Some(2)
        );
        assert!(has(&r, "at least ESI 2"));
        let r = triage(&TriageInput {
            age_days: Some(400.0),
            temperature_c: Some(39.5),
            expected_resources: Some(0),
            ..TriageInput::default()
        });
        assert!(has(&r, "incomplete immunisations"));
        // A neonate with fever and danger-zone vitals: ESI 2 either way.
        let r = triage(&TriageInput {
            age_days: Some(5.0),
            temperature_c: Some(38.5),
            heart_rate: Some(190.0),
            expected_resources: Some(3),
            ..TriageInput::default()
        });
        assert_eq!(r.esi, 2);
    }

    #[test]
    fn impossible_values_are_ignored_and_reported() {
        let input = TriageInput {
            spo2: Some(150.0),
            heart_rate: Some(f64::NAN),
            gcs: Some(20),
            ..adult()
        };
        let errors: Vec<_> = validate(&input)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(errors, ["heart_rate", "spo2", "gcs"]);
        let t = triage(&input);
        assert_eq!(t.esi, 3);
        assert!(has(&t, "spo2 = 150 ignored as impossible"));
        assert!(has(&t, "gcs = 20 ignored as impossible"));
        assert_eq!(validate(&adult()), Ok(()));
        assert!(
            validate(&TriageInput {
                age_months: Some(-1.0),
                ..TriageInput::default()
            })
            .is_err()
        );
        assert!(
            validate(&TriageInput {
                age_days: Some(50_000.0),
                ..TriageInput::default()
            })
            .is_err()
        );
    }

    #[test]
    fn nothing_given_is_esi_3_with_every_assumption_stated() {
        let t = triage(&TriageInput::default());
        assert_eq!((t.esi, t.decision_point), (3, DecisionPoint::D));
        for text in [
            "A life-saving intervention: not answered and nothing to propose from",
            "B severe pain/distress: not answered and nothing to propose from",
            "resources not given",
            "age not given",
            "D: no heart rate, respiratory rate or SpO2 given",
        ] {
            assert!(has(&t, text), "{text}: {:#?}", t.reasons);
        }
    }
}
