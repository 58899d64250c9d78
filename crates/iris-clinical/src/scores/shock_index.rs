//! Shock index: heart rate / systolic blood pressure.
//!
//! Source: Allgöwer M, Burri C. „Schockindex". Dtsch Med Wochenschr 1967;92(43):1947–1950:
//! normal 0.5–0.7 in healthy adults; 1.0 or more indicates (impending) shock. The review by
//! Koch E, Lovett S, Nghiem T, et al. Shock index in the emergency department: utility and
//! limitations. Open Access Emerg Med 2019;11:179–199 summarises SI ≥ 1.0 as associated with
//! increased mortality, massive transfusion and ICU admission.
//!
//! `score` is HR/SBP rounded to 2 decimals (half away from zero); the band is read from the
//! rounded value so the displayed number and its band always agree:
//!
//! | Shock index | `risk` |
//! |---|---|
//! | < 0.5 | `"below-normal"` (no shock signal) |
//! | 0.5 – 0.7 | `"normal"` |
//! | > 0.7 and < 1.0 | `"elevated"` |
//! | ≥ 1.0 | `"high"` |
//!
//! Undefined (no score) when the systolic pressure or the heart rate is 0.

use super::{Collector, Inputs, adult_only_note, round_to};
use crate::Score;

/// Shock index (Allgöwer & Burri 1967). Needs heart rate and systolic BP.
pub fn shock_index(inputs: &Inputs) -> Score {
    let mut c = Collector::new();
    let hr = c.number("heart_rate", inputs.heart_rate);
    let sbp = c.systolic(inputs);
    adult_only_note(&mut c, inputs, "The shock index bands");
    let (Some(hr), Some(sbp)) = (hr, sbp) else {
        return c.score;
    };
    c.part("heart_rate", hr);
    c.part("systolic_bp", sbp);
    if sbp == 0.0 || hr == 0.0 {
        c.note("shock index undefined with a heart rate or systolic pressure of 0 (arrest)");
        return c.score;
    }
    let si = round_to(hr / sbp, 2);
    c.score.score = Some(si);
    c.score.risk = Some(if si >= 1.0 {
        "high"
    } else if si > 0.7 {
        "elevated"
    } else if si >= 0.5 {
        "normal"
    } else {
        "below-normal"
    });
    c.score
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Allgöwer & Burri 1967 (normal 0.5–0.7, ≥ 1.0 shock). Rows: (HR, SBP, SI, risk).
    const TABLE: &[(f64, f64, f64, &str)] = &[
        (40.0, 100.0, 0.4, "below-normal"),
        (49.0, 100.0, 0.49, "below-normal"),
        (50.0, 100.0, 0.5, "normal"),
        (70.0, 120.0, 0.58, "normal"),
        (70.0, 100.0, 0.7, "normal"),
        // 0.704 rounds to 0.70: normal.
        (88.0, 125.0, 0.7, "normal"),
        (71.0, 100.0, 0.71, "elevated"),
        (90.0, 100.0, 0.9, "elevated"),
        (99.0, 100.0, 0.99, "elevated"),
        // 0.996 rounds to 1.00: high.
        (249.0, 250.0, 1.0, "high"),
        (100.0, 100.0, 1.0, "high"),
        (120.0, 80.0, 1.5, "high"),
        (140.0, 70.0, 2.0, "high"),
        (100.0, 3.0, 33.33, "high"),
    ];

    #[test]
    fn bands() {
        for &(hr, sbp, si, risk) in TABLE {
            let s = shock_index(&Inputs {
                heart_rate: Some(hr),
                systolic_bp: Some(sbp),
                ..Inputs::default()
            });
            assert_eq!(s.score, Some(si), "{hr}/{sbp}");
            assert_eq!(s.risk, Some(risk), "{hr}/{sbp}");
            assert_eq!(s.parts, [("heart_rate", hr), ("systolic_bp", sbp)]);
        }
    }

    #[test]
    fn missing_or_zero_gives_no_score() {
        let s = shock_index(&Inputs::default());
        assert_eq!((s.score, s.risk), (None, None));
        assert_eq!(s.missing, ["heart_rate", "systolic_bp"]);
        let s = shock_index(&Inputs {
            heart_rate: Some(80.0),
            ..Inputs::default()
        });
        assert_eq!(s.missing, ["systolic_bp"]);
        for (hr, sbp) in [(80.0, 0.0), (0.0, 80.0), (0.0, 0.0)] {
            let s = shock_index(&Inputs {
                heart_rate: Some(hr),
                systolic_bp: Some(sbp),
                ..Inputs::default()
            });
            assert_eq!((s.score, s.risk), (None, None));
            assert!(s.notes.iter().any(|n| n.contains("undefined")));
        }
    }
}
