//! Modified Early Warning Score (MEWS).
//!
//! Source: Subbe CP, Kruger M, Rutherford P, Gemmel L. Validation of a modified Early Warning
//! Score in medical admissions. QJM 2001;94(10):521–526, table 1:
//!
//! | Parameter | 3 | 2 | 1 | 0 | 1 | 2 | 3 |
//! |---|---|---|---|---|---|---|---|
//! | Systolic BP mmHg | ≤ 70 | 71–80 | 81–100 | 101–199 | | ≥ 200 | |
//! | Heart rate /min | | ≤ 40 | 41–50 | 51–100 | 101–110 | 111–129 | ≥ 130 |
//! | Respiratory rate /min | | < 9 | | 9–14 | 15–20 | 21–29 | ≥ 30 |
//! | Temperature °C | | < 35 | | 35–38.4 | | ≥ 38.5 | |
//! | AVPU | | | | Alert | Voice | Pain | Unresponsive |
//!
//! Reproductions of the table differ at the band edges (SBP "< 70" or "≤ 70", HR "< 40" or
//! "≤ 40", "> 130" or "≥ 130", RR "> 30" or "≥ 30", temperature "> 38.5" or "≥ 38.5"): the
//! variants leave gaps (70, 40, 130, 30, 38.4–38.5) that this crate's rule — a value between
//! bands scores in the band farther from normal — closes the same way whichever variant is
//! read, giving the table above. Scores of 5 or more were associated with increased risk of
//! death (OR 5.4) and ICU admission (OR 10.9) in the paper: risk `"high"` for ≥ 5, else
//! `"low"`.
//!
//! AVPU has no "new confusion" level: ACVPU **C** is scored as Alert (a confused patient who
//! is awake is A on AVPU), with a note. NEWS2 scores it 3.

use super::{Avpu, Collector, Inputs, adult_only_note};
use crate::Score;

fn systolic(sbp: f64) -> f64 {
    if sbp < 71.0 {
        3.0
    } else if sbp < 81.0 {
        2.0
    } else if sbp < 101.0 {
        1.0
    } else if sbp <= 199.0 {
        0.0
    } else {
        2.0
    }
}

fn heart_rate(hr: f64) -> f64 {
    if hr < 41.0 {
        2.0
    } else if hr < 51.0 {
        1.0
    } else if hr <= 100.0 {
        0.0
    } else if hr <= 110.0 {
        1.0
    } else if hr <= 129.0 {
        2.0
    } else {
        3.0
    }
}

fn respiratory_rate(rr: f64) -> f64 {
    if rr < 9.0 {
        2.0
    } else if rr <= 14.0 {
        0.0
    } else if rr <= 20.0 {
        1.0
    } else if rr <= 29.0 {
        2.0
    } else {
        3.0
    }
}

fn temperature(t: f64) -> f64 {
    if t < 35.0 {
        2.0
    } else if t <= 38.4 {
        0.0
    } else {
        2.0
    }
}

fn avpu(a: Avpu) -> f64 {
    match a {
        Avpu::Alert | Avpu::Confusion => 0.0,
        Avpu::Voice => 1.0,
        Avpu::Pain => 2.0,
        Avpu::Unresponsive => 3.0,
    }
}

/// MEWS (Subbe et al. 2001). Needs systolic BP, heart rate, respiratory rate, temperature and
/// AVPU.
pub fn mews(inputs: &Inputs) -> Score {
    let mut c = Collector::new();
    if let Some(sbp) = c.systolic(inputs) {
        c.part("systolic_bp", systolic(sbp));
    }
    if let Some(hr) = c.number("heart_rate", inputs.heart_rate) {
        c.part("heart_rate", heart_rate(hr));
    }
    if let Some(rr) = c.number("respiratory_rate", inputs.respiratory_rate) {
        c.part("respiratory_rate", respiratory_rate(rr));
    }
    if let Some(t) = c.number("temperature_c", inputs.temperature_c) {
        c.part("temperature_c", temperature(t));
    }
    if let Some(a) = c.required("consciousness", inputs.consciousness) {
        c.part("consciousness", avpu(a));
        if a == Avpu::Confusion {
            c.note("MEWS uses AVPU, which has no 'new confusion' level: C scored as Alert (0); NEWS2 scores new confusion 3");
        }
    }
    adult_only_note(&mut c, inputs, "MEWS");
    c.finish_points("MEWS", |_, total| if total >= 5.0 { "high" } else { "low" })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every parameter in its 0-point band: SBP 120, HR 70, RR 12, 37.0 °C, alert.
    fn normal() -> Inputs {
        Inputs {
            systolic_bp: Some(120.0),
            heart_rate: Some(70.0),
            respiratory_rate: Some(12.0),
            temperature_c: Some(37.0),
            consciousness: Some(Avpu::Alert),
            ..Inputs::default()
        }
    }

    fn check(name: &str, rows: &[(f64, f64)], set: fn(&mut Inputs, f64)) {
        for &(value, want) in rows {
            let mut i = normal();
            set(&mut i, value);
            let s = mews(&i);
            let got = s.parts.iter().find(|p| p.0 == name).map(|p| p.1);
            assert_eq!(got, Some(want), "{name} {value}: {s:?}");
            assert_eq!(s.score, Some(want), "{name} {value}");
        }
    }

    // Subbe et al., QJM 2001, table 1, systolic BP: ≤70 3 | 71–80 2 | 81–100 1 | 101–199 0 |
    // ≥200 2.
    const SYSTOLIC: &[(f64, f64)] = &[
        (50.0, 3.0),
        (70.0, 3.0),
        (70.5, 3.0),
        (71.0, 2.0),
        (80.0, 2.0),
        (80.5, 2.0),
        (81.0, 1.0),
        (100.0, 1.0),
        (100.5, 1.0),
        (101.0, 0.0),
        (199.0, 0.0),
        (199.5, 2.0),
        (200.0, 2.0),
        (260.0, 2.0),
    ];

    #[test]
    fn systolic_bands() {
        check("systolic_bp", SYSTOLIC, |i, v| i.systolic_bp = Some(v));
    }

    // Subbe et al., QJM 2001, table 1, heart rate: ≤40 2 | 41–50 1 | 51–100 0 | 101–110 1 |
    // 111–129 2 | ≥130 3.
    const HEART_RATE: &[(f64, f64)] = &[
        (30.0, 2.0),
        (40.0, 2.0),
        (40.5, 2.0),
        (41.0, 1.0),
        (50.0, 1.0),
        (50.5, 1.0),
        (51.0, 0.0),
        (100.0, 0.0),
        (100.5, 1.0),
        (101.0, 1.0),
        (110.0, 1.0),
        (110.5, 2.0),
        (111.0, 2.0),
        (129.0, 2.0),
        (129.5, 3.0),
        (130.0, 3.0),
        (180.0, 3.0),
    ];

    #[test]
    fn heart_rate_bands() {
        check("heart_rate", HEART_RATE, |i, v| i.heart_rate = Some(v));
    }

    // Subbe et al., QJM 2001, table 1, respiratory rate: <9 2 | 9–14 0 | 15–20 1 | 21–29 2 |
    // ≥30 3.
    const RESPIRATORY_RATE: &[(f64, f64)] = &[
        (4.0, 2.0),
        (8.0, 2.0),
        (8.5, 2.0),
        (9.0, 0.0),
        (14.0, 0.0),
        (14.5, 1.0),
        (15.0, 1.0),
        (20.0, 1.0),
        (20.5, 2.0),
        (21.0, 2.0),
        (29.0, 2.0),
        (29.5, 3.0),
        (30.0, 3.0),
        (45.0, 3.0),
    ];

    #[test]
    fn respiratory_rate_bands() {
        check("respiratory_rate", RESPIRATORY_RATE, |i, v| {
            i.respiratory_rate = Some(v)
        });
    }

    // Subbe et al., QJM 2001, table 1, temperature: <35 2 | 35–38.4 0 | ≥38.5 2.
    const TEMPERATURE: &[(f64, f64)] = &[
        (33.0, 2.0),
        (34.9, 2.0),
        (34.95, 2.0),
        (35.0, 0.0),
        (38.4, 0.0),
        (38.45, 2.0),
        (38.5, 2.0),
        (40.0, 2.0),
    ];

    #[test]
    fn temperature_bands() {
        check("temperature_c", TEMPERATURE, |i, v| {
            i.temperature_c = Some(v)
        });
    }

    // Subbe et al., QJM 2001, table 1, AVPU: A 0 | V 1 | P 2 | U 3.
    #[test]
    fn avpu_bands() {
        for (a, want) in [
            (Avpu::Alert, 0.0),
            (Avpu::Voice, 1.0),
            (Avpu::Pain, 2.0),
            (Avpu::Unresponsive, 3.0),
            (Avpu::Confusion, 0.0),
        ] {
            let s = mews(&Inputs {
                consciousness: Some(a),
                ..normal()
            });
            assert_eq!(s.score, Some(want), "{a:?}");
            assert_eq!(
                s.notes.iter().any(|n| n.contains("no 'new confusion'")),
                a == Avpu::Confusion
            );
        }
    }

    /// Subbe et al., QJM 2001: ≥ 5 associated with death and ICU admission.
    #[test]
    fn risk_threshold() {
        // 4: HR 111 (2) + RR 21 (2).
        let s = mews(&Inputs {
            heart_rate: Some(111.0),
            respiratory_rate: Some(21.0),
            ..normal()
        });
        assert_eq!((s.score, s.risk), (Some(4.0), Some("low")));
        // 5: + V (1).
        let s = mews(&Inputs {
            heart_rate: Some(111.0),
            respiratory_rate: Some(21.0),
            consciousness: Some(Avpu::Voice),
            ..normal()
        });
        assert_eq!((s.score, s.risk), (Some(5.0), Some("high")));
        // Maximum 3 + 3 + 3 + 2 + 3 = 14.
        let s = mews(&Inputs {
            systolic_bp: Some(60.0),
            heart_rate: Some(140.0),
            respiratory_rate: Some(35.0),
            temperature_c: Some(39.0),
            consciousness: Some(Avpu::Unresponsive),
            ..Inputs::default()
        });
        assert_eq!((s.score, s.risk), (Some(14.0), Some("high")));
    }

    #[test]
    fn missing_inputs_give_no_score() {
        let s = mews(&Inputs::default());
        assert_eq!(s.score, None);
        assert_eq!(
            s.missing,
            [
                "systolic_bp",
                "heart_rate",
                "respiratory_rate",
                "temperature_c",
                "consciousness"
            ]
        );
        let s = mews(&Inputs {
            consciousness: None,
            ..normal()
        });
        assert_eq!((s.score, s.risk), (None, None));
        assert_eq!(s.missing, ["consciousness"]);
    }
}
