//! Systemic inflammatory response syndrome (SIRS) criteria.
//!
//! Source: Bone RC, Balk RA, Cerra FB, et al. Definitions for sepsis and organ failure and
//! guidelines for the use of innovative therapies in sepsis. The ACCP/SCCM Consensus
//! Conference Committee. Chest 1992;101(6):1644–1655. SIRS is two or more of:
//!
//! - temperature > 38 °C or < 36 °C;
//! - heart rate > 90 beats/min;
//! - respiratory rate > 20 breaths/min **or PaCO2 < 32 mmHg**;
//! - white cell count > 12 000/mm³ or < 4 000/mm³ **or > 10 % immature (band) forms**.
//!
//! The criteria in bold are not among [`Inputs`] and are not evaluated, which a note always
//! says: a "negative" result does not exclude them. Criteria are inequalities, applied
//! literally (38.0 °C does not meet "> 38"; 38.05 does). 12 000/mm³ = 12 ×10⁹/L.
//!
//! `score` is the number of criteria met (0–4); `risk` is `"positive"` (SIRS present, ≥ 2
//! criteria) or `"negative"` (0–1).

use super::{Collector, Inputs, adult_only_note};
use crate::Score;

/// SIRS criteria (ACCP/SCCM 1992). Needs temperature, heart rate, respiratory rate and WBC.
pub fn sirs(inputs: &Inputs) -> Score {
    let mut c = Collector::new();
    let met = |b: bool| if b { 1.0 } else { 0.0 };
    if let Some(t) = c.number("temperature_c", inputs.temperature_c) {
        c.part("temperature_c", met(!(36.0..=38.0).contains(&t)));
    }
    if let Some(hr) = c.number("heart_rate", inputs.heart_rate) {
        c.part("heart_rate", met(hr > 90.0));
    }
    if let Some(rr) = c.number("respiratory_rate", inputs.respiratory_rate) {
        c.part("respiratory_rate", met(rr > 20.0));
    }
    if let Some(wbc) = c.number("wbc_10e9_per_l", inputs.wbc_10e9_per_l) {
        c.part("wbc_10e9_per_l", met(!(4.0..=12.0).contains(&wbc)));
    }
    c.note("not evaluated: PaCO2 < 32 mmHg (respiratory criterion) and > 10 % immature band forms (white-cell criterion)");
    adult_only_note(
        &mut c,
        inputs,
        "SIRS (adult criteria; children have age-specific criteria)",
    );
    c.finish_points(
        "SIRS",
        |_, n| if n >= 2.0 { "positive" } else { "negative" },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(t: f64, hr: f64, rr: f64, wbc: f64) -> Inputs {
        Inputs {
            temperature_c: Some(t),
            heart_rate: Some(hr),
            respiratory_rate: Some(rr),
            wbc_10e9_per_l: Some(wbc),
            ..Inputs::default()
        }
    }

    fn part(s: &Score, name: &str) -> f64 {
        s.parts
            .iter()
            .find(|p| p.0 == name)
            .map(|p| p.1)
            .unwrap_or(f64::NAN)
    }

    /// Bone et al., Chest 1992: each criterion on both sides of each threshold, the others
    /// normal (37 °C, HR 80, RR 16, WBC 8). Rows: (field, value, met).
    const CRITERIA: &[(&str, f64, f64)] = &[
        ("temperature_c", 35.9, 1.0),
        ("temperature_c", 36.0, 0.0),
        ("temperature_c", 38.0, 0.0),
        ("temperature_c", 38.05, 1.0),
        ("temperature_c", 38.1, 1.0),
        ("heart_rate", 90.0, 0.0),
        ("heart_rate", 90.5, 1.0),
        ("heart_rate", 91.0, 1.0),
        ("respiratory_rate", 20.0, 0.0),
        ("respiratory_rate", 21.0, 1.0),
        ("wbc_10e9_per_l", 3.9, 1.0),
        ("wbc_10e9_per_l", 4.0, 0.0),
        ("wbc_10e9_per_l", 12.0, 0.0),
        ("wbc_10e9_per_l", 12.1, 1.0),
    ];

    #[test]
    fn each_criterion_at_its_threshold() {
        for &(field, value, want) in CRITERIA {
            let mut i = inputs(37.0, 80.0, 16.0, 8.0);
            match field {
                "temperature_c" => i.temperature_c = Some(value),
                "heart_rate" => i.heart_rate = Some(value),
                "respiratory_rate" => i.respiratory_rate = Some(value),
                _ => i.wbc_10e9_per_l = Some(value),
            }
            let s = sirs(&i);
            assert_eq!(part(&s, field), want, "{field} {value}");
            assert_eq!(s.score, Some(want));
            assert_eq!(s.risk, Some("negative"));
        }
    }

    /// Bone et al., Chest 1992: SIRS is two or more criteria. Rows: (T, HR, RR, WBC, n, risk).
    const TOTALS: &[(f64, f64, f64, f64, f64, &str)] = &[
        (37.0, 80.0, 16.0, 8.0, 0.0, "negative"),
        (38.5, 80.0, 16.0, 8.0, 1.0, "negative"),
        (38.5, 95.0, 16.0, 8.0, 2.0, "positive"),
        (35.5, 80.0, 24.0, 8.0, 2.0, "positive"),
        (37.0, 80.0, 24.0, 15.0, 2.0, "positive"),
        (38.5, 95.0, 24.0, 8.0, 3.0, "positive"),
        (38.5, 95.0, 24.0, 2.0, 4.0, "positive"),
    ];

    #[test]
    fn totals_and_risk() {
        for &(t, hr, rr, wbc, n, risk) in TOTALS {
            let s = sirs(&inputs(t, hr, rr, wbc));
            assert_eq!(s.score, Some(n), "{t} {hr} {rr} {wbc}");
            assert_eq!(s.risk, Some(risk));
            assert!(s.notes.iter().any(|n| n.contains("PaCO2")));
        }
    }

    #[test]
    fn missing_inputs_give_no_score() {
        let s = sirs(&Inputs::default());
        assert_eq!(s.score, None);
        assert_eq!(
            s.missing,
            [
                "temperature_c",
                "heart_rate",
                "respiratory_rate",
                "wbc_10e9_per_l"
            ]
        );
        let s = sirs(&Inputs {
            wbc_10e9_per_l: None,
            ..inputs(39.0, 100.0, 16.0, 0.0)
        });
        assert_eq!((s.score, s.risk), (None, None));
        assert_eq!(s.missing, ["wbc_10e9_per_l"]);
        assert!(s.notes.iter().any(|n| n.contains("already total 2")));
    }

    #[test]
    fn children_get_a_note() {
        let s = sirs(&Inputs {
            age_years: Some(10.0),
            ..inputs(37.0, 80.0, 16.0, 8.0)
        });
        assert!(s.notes.iter().any(|n| n.contains("not validated under 18")));
    }
}
