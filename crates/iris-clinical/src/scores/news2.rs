//! National Early Warning Score (NEWS) 2.
//!
//! Source: Royal College of Physicians. National Early Warning Score (NEWS) 2: Standardising
//! the assessment of acute-illness severity in the NHS. Updated report of a working party.
//! London: RCP, 2017 — chart 1 (the NEWS scoring system) and chart 2 (thresholds and
//! triggers). The chart, as printed:
//!
//! | Parameter | 3 | 2 | 1 | 0 | 1 | 2 | 3 |
//! |---|---|---|---|---|---|---|---|
//! | Respiration rate /min | ≤ 8 | | 9–11 | 12–20 | | 21–24 | ≥ 25 |
//! | SpO2 scale 1 % | ≤ 91 | 92–93 | 94–95 | ≥ 96 | | | |
//! | SpO2 scale 2 % | ≤ 83 | 84–85 | 86–87 | 88–92, ≥ 93 on air | 93–94 on oxygen | 95–96 on oxygen | ≥ 97 on oxygen |
//! | Air or oxygen | | Oxygen | | Air | | | |
//! | Systolic BP mmHg | ≤ 90 | 91–100 | 101–110 | 111–219 | | | ≥ 220 |
//! | Pulse /min | ≤ 40 | | 41–50 | 51–90 | 91–110 | 111–130 | ≥ 131 |
//! | Consciousness | | | | Alert | | | CVPU |
//! | Temperature °C | ≤ 35.0 | | 35.1–36.0 | 36.1–38.0 | 38.1–39.0 | ≥ 39.1 | |
//!
//! Clinical risk (chart 2): aggregate 0–4 low; a score of 3 in any single parameter
//! ("red score") low–medium; 5–6 medium; 7 or more high. Values between printed bands
//! (e.g. 38.05 °C) score in the band farther from normal (see the module documentation of
//! [`crate::scores`]).

use super::{Avpu, Collector, Inputs};
use crate::Score;

/// Respiration rate points: ≤ 8 → 3, 9–11 → 1, 12–20 → 0, 21–24 → 2, ≥ 25 → 3.
fn respiratory_rate(rr: f64) -> f64 {
    if rr < 9.0 {
        3.0
    } else if rr < 12.0 {
        1.0
    } else if rr <= 20.0 {
        0.0
    } else if rr <= 24.0 {
        2.0
    } else {
        3.0
    }
}

/// SpO2 scale 1: ≤ 91 → 3, 92–93 → 2, 94–95 → 1, ≥ 96 → 0.
fn spo2_scale_1(s: f64) -> f64 {
    if s < 92.0 {
        3.0
    } else if s < 94.0 {
        2.0
    } else if s < 96.0 {
        1.0
    } else {
        0.0
    }
}

/// SpO2 scale 2: ≤ 83 → 3, 84–85 → 2, 86–87 → 1, 88–92 → 0, ≥ 93 on air → 0; on oxygen
/// 93–94 → 1, 95–96 → 2, ≥ 97 → 3. `None` when SpO2 ≥ 93 and whether the patient is on
/// oxygen is unknown.
fn spo2_scale_2(s: f64, on_oxygen: Option<bool>) -> Option<f64> {
    if s < 84.0 {
        Some(3.0)
    } else if s < 86.0 {
        Some(2.0)
    } else if s < 88.0 {
        Some(1.0)
    } else if s <= 92.0 {
        Some(0.0)
    } else {
        match on_oxygen? {
            false => Some(0.0),
            true if s <= 94.0 => Some(1.0),
            true if s <= 96.0 => Some(2.0),
            true => Some(3.0),
        }
    }
}

/// Systolic BP: ≤ 90 → 3, 91–100 → 2, 101–110 → 1, 111–219 → 0, ≥ 220 → 3.
fn systolic(sbp: f64) -> f64 {
    if sbp < 91.0 {
        3.0
    } else if sbp < 101.0 {
        2.0
    } else if sbp < 111.0 {
        1.0
    } else if sbp <= 219.0 {
        0.0
    } else {
        3.0
    }
}

/// Pulse: ≤ 40 → 3, 41–50 → 1, 51–90 → 0, 91–110 → 1, 111–130 → 2, ≥ 131 → 3.
fn pulse(hr: f64) -> f64 {
    if hr < 41.0 {
        3.0
    } else if hr < 51.0 {
        1.0
    } else if hr <= 90.0 {
        0.0
    } else if hr <= 110.0 {
        1.0
    } else if hr <= 130.0 {
        2.0
    } else {
        3.0
    }
}

/// Temperature: ≤ 35.0 → 3, 35.1–36.0 → 1, 36.1–38.0 → 0, 38.1–39.0 → 1, ≥ 39.1 → 2.
fn temperature(t: f64) -> f64 {
    if t < 35.1 {
        3.0
    } else if t < 36.1 {
        1.0
    } else if t <= 38.0 {
        0.0
    } else if t <= 39.0 {
        1.0
    } else {
        2.0
    }
}

/// Consciousness: Alert → 0; new Confusion, Voice, Pain or Unresponsive → 3.
fn consciousness(c: Avpu) -> f64 {
    if c == Avpu::Alert { 0.0 } else { 3.0 }
}

/// NEWS2 (RCP 2017). Needs respiratory rate, SpO2, air/oxygen, systolic BP, pulse,
/// consciousness (ACVPU) and temperature. SpO2 scale 1 is used when `spo2_scale` is absent
/// (with a note); scale 2 only when the clinician has prescribed it. Scored in every patient,
/// with a note when under 16 or pregnant (NEWS2 does not apply to them).
pub fn news2(inputs: &Inputs) -> Score {
    let mut c = Collector::new();

    if let Some(rr) = c.number("respiratory_rate", inputs.respiratory_rate) {
        c.part("respiratory_rate", respiratory_rate(rr));
    }

    let scale = match inputs.spo2_scale {
        None => {
            c.note("SpO2 scale not given: scored on scale 1 (scale 2 is only for a prescribed 88–92 % target, e.g. hypercapnic respiratory failure)");
            Some(1)
        }
        Some(s @ (1 | 2)) => Some(s),
        Some(s) => {
            c.reject(
                super::InputError {
                    field: "spo2_scale",
                    reason: super::SCALE_REASON,
                },
                &s.to_string(),
            );
            None
        }
    };
    let spo2 = c.number("spo2", inputs.spo2);
    let on_oxygen = c.required("on_oxygen", inputs.on_oxygen);
    match (spo2, scale) {
        (Some(s), Some(1)) => c.part("spo2", spo2_scale_1(s)),
        (Some(s), Some(_)) => {
            if let Some(p) = spo2_scale_2(s, on_oxygen) {
                c.part("spo2", p);
            }
        }
        _ => {}
    }
    if scale == Some(2) {
        c.note("SpO2 scale 2 in use: only for patients with a prescribed target of 88–92 % (e.g. hypercapnic respiratory failure), as decided by a competent clinical decision-maker");
    }
    if let Some(o) = on_oxygen {
        c.part("on_oxygen", if o { 2.0 } else { 0.0 });
    }

    if let Some(sbp) = c.systolic(inputs) {
        c.part("systolic_bp", systolic(sbp));
    }
    if let Some(hr) = c.number("heart_rate", inputs.heart_rate) {
        c.part("heart_rate", pulse(hr));
    }
    if let Some(avpu) = c.required("consciousness", inputs.consciousness) {
        c.part("consciousness", consciousness(avpu));
    } else if inputs.gcs.is_some() {
        c.note("NEWS2 scores consciousness on ACVPU, not GCS: record A, C, V, P or U");
    }
    if let Some(t) = c.number("temperature_c", inputs.temperature_c) {
        c.part("temperature_c", temperature(t));
    }

    if inputs.age_years.is_some_and(|a| a < 16.0) || inputs.pregnant == Some(true) {
        c.note("NEWS2 does not apply under 16 or in pregnancy");
    }

    c.finish_points("NEWS2", risk)
}

/// Chart 2: ≥ 7 high; 5–6 medium; 0–4 low, raised to low-medium when any single parameter
/// scores 3.
fn risk(score: &Score, total: f64) -> &'static str {
    if total >= 7.0 {
        "high"
    } else if total >= 5.0 {
        "medium"
    } else if score.parts.iter().any(|&(_, p)| p >= 3.0) {
        "low-medium"
    } else {
        "low"
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every parameter in its 0-point band: RR 16, SpO2 97 % (scale 1) on air, SBP 120,
    /// pulse 70, alert, 37.0 °C.
    pub(crate) fn normal() -> Inputs {
        Inputs {
            age_years: Some(50.0),
            respiratory_rate: Some(16.0),
            spo2: Some(97.0),
            spo2_scale: Some(1),
            on_oxygen: Some(false),
            systolic_bp: Some(120.0),
            diastolic_bp: Some(80.0),
            heart_rate: Some(70.0),
            consciousness: Some(Avpu::Alert),
            temperature_c: Some(37.0),
            ..Inputs::default()
        }
    }

    fn part(s: &Score, name: &str) -> f64 {
        s.parts
            .iter()
            .find(|p| p.0 == name)
            .unwrap_or_else(|| panic!("no part {name}: {s:?}"))
            .1
    }

    /// Checks one parameter's (value, points) rows against a normal patient: the part and the
    /// total both equal the chart's points.
    fn check(name: &str, rows: &[(f64, f64)], set: fn(&mut Inputs, f64)) {
        for &(value, want) in rows {
            let mut i = normal();
            set(&mut i, value);
            let s = news2(&i);
            assert_eq!(part(&s, name), want, "{name} {value}: {s:?}");
            assert_eq!(s.score, Some(want), "{name} {value}: {s:?}");
        }
    }

    // RCP NEWS2 2017, chart 1, respiration rate: ≤8 3 | 9–11 1 | 12–20 0 | 21–24 2 | ≥25 3.
    const RESPIRATION: &[(f64, f64)] = &[
        (0.0, 3.0),
        (8.0, 3.0),
        (8.5, 3.0),
        (9.0, 1.0),
        (11.0, 1.0),
        (11.5, 1.0),
        (12.0, 0.0),
        (20.0, 0.0),
        (20.5, 2.0),
        (21.0, 2.0),
        (24.0, 2.0),
        (24.5, 3.0),
        (25.0, 3.0),
        (60.0, 3.0),
    ];

    #[test]
    fn respiration_rate_bands() {
        check("respiratory_rate", RESPIRATION, |i, v| {
            i.respiratory_rate = Some(v)
        });
    }

    // RCP NEWS2 2017, chart 1, SpO2 scale 1: ≤91 3 | 92–93 2 | 94–95 1 | ≥96 0.
    const SPO2_SCALE_1: &[(f64, f64)] = &[
        (50.0, 3.0),
        (91.0, 3.0),
        (91.5, 3.0),
        (92.0, 2.0),
        (93.0, 2.0),
        (93.5, 2.0),
        (94.0, 1.0),
        (95.0, 1.0),
        (95.5, 1.0),
        (96.0, 0.0),
        (100.0, 0.0),
    ];

    #[test]
    fn spo2_scale_1_bands() {
        check("spo2", SPO2_SCALE_1, |i, v| i.spo2 = Some(v));
        // Scale 1 is the same on oxygen (oxygen scores separately, 2 points).
        for &(value, want) in SPO2_SCALE_1 {
            let i = Inputs {
                spo2: Some(value),
                on_oxygen: Some(true),
                ..normal()
            };
            let s = news2(&i);
            assert_eq!(part(&s, "spo2"), want);
            assert_eq!(s.score, Some(want + 2.0));
        }
    }

    // RCP NEWS2 2017, chart 1, SpO2 scale 2: ≤83 3 | 84–85 2 | 86–87 1 | 88–92 0 and ≥93 on
    // air 0 | 93–94 on oxygen 1 | 95–96 on oxygen 2 | ≥97 on oxygen 3.
    // Rows: (SpO2, on oxygen, SpO2 points).
    const SPO2_SCALE_2: &[(f64, bool, f64)] = &[
        (70.0, false, 3.0),
        (83.0, false, 3.0),
        (83.5, false, 3.0),
        (84.0, false, 2.0),
        (85.0, false, 2.0),
        (85.5, false, 2.0),
        (86.0, false, 1.0),
        (87.0, false, 1.0),
        (87.5, false, 1.0),
        (88.0, false, 0.0),
        (92.0, false, 0.0),
        (93.0, false, 0.0),
        (97.0, false, 0.0),
        (100.0, false, 0.0),
        (83.0, true, 3.0),
        (84.0, true, 2.0),
        (86.0, true, 1.0),
        (88.0, true, 0.0),
        (92.0, true, 0.0),
        (92.5, true, 1.0),
        (93.0, true, 1.0),
        (94.0, true, 1.0),
        (94.5, true, 2.0),
        (95.0, true, 2.0),
        (96.0, true, 2.0),
        (96.5, true, 3.0),
        (97.0, true, 3.0),
        (100.0, true, 3.0),
    ];

    #[test]
    fn spo2_scale_2_bands() {
        for &(value, oxygen, want) in SPO2_SCALE_2 {
            let i = Inputs {
                spo2: Some(value),
                spo2_scale: Some(2),
                on_oxygen: Some(oxygen),
                ..normal()
            };
            let s = news2(&i);
            assert_eq!(part(&s, "spo2"), want, "{value} oxygen {oxygen}: {s:?}");
            assert_eq!(part(&s, "on_oxygen"), if oxygen { 2.0 } else { 0.0 });
            assert_eq!(s.score, Some(want + if oxygen { 2.0 } else { 0.0 }));
            assert!(s.notes.iter().any(|n| n.contains("scale 2 in use")));
        }
    }

    // RCP NEWS2 2017, chart 1, air or oxygen: oxygen 2 | air 0.
    #[test]
    fn air_or_oxygen() {
        let s = news2(&Inputs {
            on_oxygen: Some(true),
            ..normal()
        });
        assert_eq!(part(&s, "on_oxygen"), 2.0);
        assert_eq!(s.score, Some(2.0));
        let s = news2(&Inputs {
            on_oxygen: Some(false),
            ..normal()
        });
        assert_eq!(part(&s, "on_oxygen"), 0.0);
        assert_eq!(s.score, Some(0.0));
    }

    // RCP NEWS2 2017, chart 1, systolic BP: ≤90 3 | 91–100 2 | 101–110 1 | 111–219 0 | ≥220 3.
    const SYSTOLIC: &[(f64, f64)] = &[
        (0.0, 3.0),
        (60.0, 3.0),
        (90.0, 3.0),
        (90.5, 3.0),
        (91.0, 2.0),
        (100.0, 2.0),
        (100.5, 2.0),
        (101.0, 1.0),
        (110.0, 1.0),
        (110.5, 1.0),
        (111.0, 0.0),
        (219.0, 0.0),
        (219.5, 3.0),
        (220.0, 3.0),
        (300.0, 3.0),
    ];

    #[test]
    fn systolic_bands() {
        check("systolic_bp", SYSTOLIC, |i, v| {
            i.systolic_bp = Some(v);
            i.diastolic_bp = None;
        });
    }

    // RCP NEWS2 2017, chart 1, pulse: ≤40 3 | 41–50 1 | 51–90 0 | 91–110 1 | 111–130 2 | ≥131 3.
    const PULSE: &[(f64, f64)] = &[
        (0.0, 3.0),
        (40.0, 3.0),
        (40.5, 3.0),
        (41.0, 1.0),
        (50.0, 1.0),
        (50.5, 1.0),
        (51.0, 0.0),
        (90.0, 0.0),
        (90.5, 1.0),
        (91.0, 1.0),
        (110.0, 1.0),
        (110.5, 2.0),
        (111.0, 2.0),
        (130.0, 2.0),
        (130.5, 3.0),
        (131.0, 3.0),
        (220.0, 3.0),
    ];

    #[test]
    fn pulse_bands() {
        check("heart_rate", PULSE, |i, v| i.heart_rate = Some(v));
    }

    // RCP NEWS2 2017, chart 1, consciousness: Alert 0 | CVPU 3.
    #[test]
    fn consciousness_bands() {
        for (avpu, want) in [
            (Avpu::Alert, 0.0),
            (Avpu::Confusion, 3.0),
            (Avpu::Voice, 3.0),
            (Avpu::Pain, 3.0),
            (Avpu::Unresponsive, 3.0),
        ] {
            let s = news2(&Inputs {
                consciousness: Some(avpu),
                ..normal()
            });
            assert_eq!(part(&s, "consciousness"), want, "{avpu:?}");
            assert_eq!(s.score, Some(want));
        }
    }

    // RCP NEWS2 2017, chart 1, temperature: ≤35.0 3 | 35.1–36.0 1 | 36.1–38.0 0 |
    // 38.1–39.0 1 | ≥39.1 2. Between the printed one-decimal values the band farther from
    // normal applies (35.05 → 3, 36.05 → 1, 38.05 → 1, 39.05 → 2).
    const TEMPERATURE: &[(f64, f64)] = &[
        (30.0, 3.0),
        (35.0, 3.0),
        (35.05, 3.0),
        (35.1, 1.0),
        (36.0, 1.0),
        (36.05, 1.0),
        (36.1, 0.0),
        (38.0, 0.0),
        (38.000_000_000_001, 0.0),
        (38.05, 1.0),
        (38.1, 1.0),
        (39.0, 1.0),
        (39.05, 2.0),
        (39.1, 2.0),
        (42.0, 2.0),
    ];

    #[test]
    fn temperature_bands() {
        check("temperature_c", TEMPERATURE, |i, v| {
            i.temperature_c = Some(v)
        });
    }

    /// RCP NEWS2 2017, chart 2: (inputs, total, risk).
    #[test]
    fn risk_bands() {
        let rows: Vec<(Inputs, f64, &str)> = vec![
            (normal(), 0.0, "low"),
            // 1 + 1 + 1, no single 3.
            (
                Inputs {
                    heart_rate: Some(91.0),
                    temperature_c: Some(38.1),
                    systolic_bp: Some(110.0),
                    ..normal()
                },
                3.0,
                "low",
            ),
            // 2 + 2: 4, no single 3.
            (
                Inputs {
                    respiratory_rate: Some(21.0),
                    on_oxygen: Some(true),
                    ..normal()
                },
                4.0,
                "low",
            ),
            // A single 3 (RR 8), total 3.
            (
                Inputs {
                    respiratory_rate: Some(8.0),
                    ..normal()
                },
                3.0,
                "low-medium",
            ),
            // A single 3 (new confusion), total 3.
            (
                Inputs {
                    consciousness: Some(Avpu::Confusion),
                    ..normal()
                },
                3.0,
                "low-medium",
            ),
            // A single 3 plus 1: total 4.
            (
                Inputs {
                    temperature_c: Some(35.0),
                    heart_rate: Some(45.0),
                    ..normal()
                },
                4.0,
                "low-medium",
            ),
            // 5 including a 3: medium regardless.
            (
                Inputs {
                    respiratory_rate: Some(8.0),
                    on_oxygen: Some(true),
                    ..normal()
                },
                5.0,
                "medium",
            ),
            // 5 without a 3.
            (
                Inputs {
                    respiratory_rate: Some(21.0),
                    on_oxygen: Some(true),
                    heart_rate: Some(91.0),
                    ..normal()
                },
                5.0,
                "medium",
            ),
            // 6.
            (
                Inputs {
                    systolic_bp: Some(90.0),
                    heart_rate: Some(131.0),
                    ..normal()
                },
                6.0,
                "medium",
            ),
            // 7.
            (
                Inputs {
                    systolic_bp: Some(90.0),
                    heart_rate: Some(131.0),
                    temperature_c: Some(38.5),
                    ..normal()
                },
                7.0,
                "high",
            ),
            // Everything maximal: 3+3+2+3+3+3+3 = 20.
            (
                Inputs {
                    respiratory_rate: Some(30.0),
                    spo2: Some(85.0),
                    on_oxygen: Some(true),
                    systolic_bp: Some(80.0),
                    diastolic_bp: Some(40.0),
                    heart_rate: Some(140.0),
                    consciousness: Some(Avpu::Unresponsive),
                    temperature_c: Some(34.0),
                    ..normal()
                },
                20.0,
                "high",
            ),
        ];
        for (inputs, total, risk) in rows {
            let s = news2(&inputs);
            assert_eq!(s.score, Some(total), "{inputs:?}");
            assert_eq!(s.risk, Some(risk), "{inputs:?}");
        }
    }

    #[test]
    fn parts_are_listed_in_chart_order() {
        let s = news2(&normal());
        let names: Vec<_> = s.parts.iter().map(|p| p.0).collect();
        assert_eq!(
            names,
            [
                "respiratory_rate",
                "spo2",
                "on_oxygen",
                "systolic_bp",
                "heart_rate",
                "consciousness",
                "temperature_c"
            ]
        );
        assert!(s.missing.is_empty());
        assert!(s.notes.is_empty(), "{:?}", s.notes);
    }

    #[test]
    fn missing_inputs_give_no_score() {
        let s = news2(&Inputs::default());
        assert_eq!(s.score, None);
        assert_eq!(s.risk, None);
        assert_eq!(
            s.missing,
            [
                "respiratory_rate",
                "spo2",
                "on_oxygen",
                "systolic_bp",
                "heart_rate",
                "consciousness",
                "temperature_c"
            ]
        );
        for (field, clear) in [
            (
                "respiratory_rate",
                (|i: &mut Inputs| i.respiratory_rate = None) as fn(&mut Inputs),
            ),
            ("spo2", |i| i.spo2 = None),
            ("on_oxygen", |i| i.on_oxygen = None),
            ("systolic_bp", |i| i.systolic_bp = None),
            ("heart_rate", |i| i.heart_rate = None),
            ("consciousness", |i| i.consciousness = None),
            ("temperature_c", |i| i.temperature_c = None),
        ] {
            let mut i = Inputs {
                respiratory_rate: Some(8.0),
                ..normal()
            };
            clear(&mut i);
            let s = news2(&i);
            assert_eq!(s.score, None, "{field}");
            assert_eq!(s.risk, None, "{field}");
            assert_eq!(s.missing, [field]);
        }
    }

    #[test]
    fn an_incomplete_score_reports_its_lower_bound() {
        let i = Inputs {
            temperature_c: None,
            respiratory_rate: Some(30.0),
            heart_rate: Some(135.0),
            ..normal()
        };
        let s = news2(&i);
        assert_eq!(s.score, None);
        assert_eq!(part(&s, "respiratory_rate"), 3.0);
        assert!(
            s.notes.iter().any(|n| n.contains("already total 6")),
            "{:?}",
            s.notes
        );
    }

    #[test]
    fn scale_2_at_93_or_more_needs_to_know_about_oxygen() {
        let i = Inputs {
            spo2: Some(95.0),
            spo2_scale: Some(2),
            on_oxygen: None,
            ..normal()
        };
        let s = news2(&i);
        assert_eq!(s.score, None);
        assert_eq!(s.missing, ["on_oxygen"]);
        assert!(s.parts.iter().all(|p| p.0 != "spo2"));
        // Below 93 the SpO2 points do not depend on oxygen.
        let s = news2(&Inputs {
            spo2: Some(85.0),
            ..i
        });
        assert_eq!(part(&s, "spo2"), 2.0);
    }

    #[test]
    fn absent_scale_means_scale_1_with_a_note() {
        let s = news2(&Inputs {
            spo2_scale: None,
            spo2: Some(93.0),
            ..normal()
        });
        assert_eq!(part(&s, "spo2"), 2.0);
        assert_eq!(s.score, Some(2.0));
        assert!(s.notes.iter().any(|n| n.contains("scored on scale 1")));
        let s = news2(&Inputs {
            spo2_scale: Some(3),
            ..normal()
        });
        assert_eq!(s.score, None);
        assert!(
            s.notes
                .iter()
                .any(|n| n.contains("spo2_scale = 3 rejected"))
        );
    }

    #[test]
    fn children_and_pregnancy_are_scored_with_a_note() {
        const NOTE: &str = "NEWS2 does not apply under 16 or in pregnancy";
        for (age, pregnant, noted) in [
            (15.9, None, true),
            (16.0, None, false),
            (30.0, Some(true), true),
            (30.0, Some(false), false),
        ] {
            let s = news2(&Inputs {
                age_years: Some(age),
                pregnant,
                ..normal()
            });
            assert_eq!(s.score, Some(0.0));
            assert_eq!(
                s.notes.iter().any(|n| n == NOTE),
                noted,
                "{age} {pregnant:?}"
            );
        }
    }
}
