//! LACE index: risk of death or unplanned readmission within 30 days of discharge.
//!
//! Source: van Walraven C, Dhalla IA, Bell C, et al. Derivation and validation of an index to
//! predict early death or unplanned readmission after discharge from hospital to the
//! community. CMAJ 2010;182(6):551–557 (the LACE points table):
//!
//! | Item (JSON name) | Values | Points |
//! |---|---|---|
//! | L `length_of_stay_days` (whole days, discharge date − admission date) | < 1 / 1 / 2 / 3 / 4–6 / 7–13 / ≥ 14 | 0 / 1 / 2 / 3 / 4 / 5 / 7 |
//! | A `acute_admission` (acute/emergent admission) | `false` / `true` | 0 / 3 |
//! | C `charlson_index` (Charlson comorbidity index score) | 0 / 1 / 2 / 3 / ≥ 4 | 0 / 1 / 2 / 3 / 5 |
//! | E `ed_visits_6_months` (ED visits in the 6 months before admission, not counting the visit that led to it) | 0 / 1 / 2 / 3 / ≥ 4 | 0 / 1 / 2 / 3 / 4 |
//!
//! Total 0–19. Risk `"high"` for ≥ 10, else `"low"`: the threshold the index's authors' group
//! used to define high-risk patients (Gruneir A, Dhalla IA, van Walraven C, et al. Unplanned
//! readmissions after hospital discharge among patients identified as being at high risk for
//! readmission using a validated predictive algorithm. Open Med 2011;5(2):e104–e111). The 2010
//! paper itself reports a continuous expected risk per score, not a threshold.

use super::{Collector, Inputs};
use crate::Score;

/// The four LACE items; all required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaceInput {
    /// Length of stay in whole days (discharge date − admission date; 0 = same day, "< 1 day").
    pub length_of_stay_days: u32,
    /// Acute (emergent) admission: 3 points.
    pub acute_admission: bool,
    /// Charlson comorbidity index score: 0–3 score as is, ≥ 4 scores 5.
    pub charlson_index: u8,
    /// Emergency department visits in the 6 months before admission (excluding the visit that
    /// led to this admission): 0–3 score as is, ≥ 4 scores 4.
    pub ed_visits_6_months: u8,
}

fn length_of_stay(days: u32) -> f64 {
    match days {
        0..=3 => f64::from(days),
        4..=6 => 4.0,
        7..=13 => 5.0,
        _ => 7.0,
    }
}

fn charlson(index: u8) -> f64 {
    if index >= 4 { 5.0 } else { f64::from(index) }
}

fn ed_visits(visits: u8) -> f64 {
    f64::from(visits.min(4))
}

/// LACE (van Walraven et al. 2010): 0–19; risk ≥ 10 high.
pub fn lace(inputs: &Inputs) -> Score {
    let mut c = Collector::new();
    if let Some(l) = c.required("lace", inputs.lace) {
        c.part("length_of_stay_days", length_of_stay(l.length_of_stay_days));
        c.part("acute_admission", if l.acute_admission { 3.0 } else { 0.0 });
        c.part("charlson_index", charlson(l.charlson_index));
        c.part("ed_visits_6_months", ed_visits(l.ed_visits_6_months));
    }
    c.finish_points(
        "LACE",
        |_, total| if total >= 10.0 { "high" } else { "low" },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZERO: LaceInput = LaceInput {
        length_of_stay_days: 0,
        acute_admission: false,
        charlson_index: 0,
        ed_visits_6_months: 0,
    };

    fn score(l: LaceInput) -> Score {
        lace(&Inputs {
            lace: Some(l),
            ..Inputs::default()
        })
    }

    // van Walraven et al., CMAJ 2010, LACE points, L: <1 0 | 1 1 | 2 2 | 3 3 | 4–6 4 | 7–13 5 |
    // ≥14 7. Rows: (days, points).
    const LENGTH_OF_STAY: &[(u32, f64)] = &[
        (0, 0.0),
        (1, 1.0),
        (2, 2.0),
        (3, 3.0),
        (4, 4.0),
        (6, 4.0),
        (7, 5.0),
        (13, 5.0),
        (14, 7.0),
        (365, 7.0),
    ];

    // Same table, C: 0 0 | 1 1 | 2 2 | 3 3 | ≥4 5.
    const CHARLSON: &[(u8, f64)] = &[
        (0, 0.0),
        (1, 1.0),
        (2, 2.0),
        (3, 3.0),
        (4, 5.0),
        (5, 5.0),
        (12, 5.0),
    ];

    // Same table, E: 0 0 | 1 1 | 2 2 | 3 3 | ≥4 4.
    const ED_VISITS: &[(u8, f64)] = &[
        (0, 0.0),
        (1, 1.0),
        (2, 2.0),
        (3, 3.0),
        (4, 4.0),
        (5, 4.0),
        (20, 4.0),
    ];

    #[test]
    fn item_points() {
        for &(days, want) in LENGTH_OF_STAY {
            assert_eq!(
                score(LaceInput {
                    length_of_stay_days: days,
                    ..ZERO
                })
                .score,
                Some(want),
                "L {days}"
            );
        }
        assert_eq!(
            score(LaceInput {
                acute_admission: true,
                ..ZERO
            })
            .score,
            Some(3.0)
        );
        assert_eq!(score(ZERO).score, Some(0.0));
        for &(index, want) in CHARLSON {
            assert_eq!(
                score(LaceInput {
                    charlson_index: index,
                    ..ZERO
                })
                .score,
                Some(want),
                "C {index}"
            );
        }
        for &(visits, want) in ED_VISITS {
            assert_eq!(
                score(LaceInput {
                    ed_visits_6_months: visits,
                    ..ZERO
                })
                .score,
                Some(want),
                "E {visits}"
            );
        }
    }

    /// Risk: ≥ 10 high (Gruneir et al., Open Med 2011).
    #[test]
    fn risk_threshold() {
        let rows = [
            // 4 + 3 + 2 + 0 = 9
            (
                LaceInput {
                    length_of_stay_days: 5,
                    acute_admission: true,
                    charlson_index: 2,
                    ed_visits_6_months: 0,
                },
                9.0,
                "low",
            ),
            // 4 + 3 + 2 + 1 = 10
            (
                LaceInput {
                    length_of_stay_days: 5,
                    acute_admission: true,
                    charlson_index: 2,
                    ed_visits_6_months: 1,
                },
                10.0,
                "high",
            ),
            // Maximum 7 + 3 + 5 + 4 = 19.
            (
                LaceInput {
                    length_of_stay_days: 30,
                    acute_admission: true,
                    charlson_index: 9,
                    ed_visits_6_months: 9,
                },
                19.0,
                "high",
            ),
        ];
        for (l, total, risk) in rows {
            let s = score(l);
            assert_eq!((s.score, s.risk), (Some(total), Some(risk)), "{l:?}");
            assert_eq!(s.parts.len(), 4);
        }
    }

    #[test]
    fn missing_gives_no_score() {
        let s = lace(&Inputs::default());
        assert_eq!((s.score, s.risk), (None, None));
        assert_eq!(s.missing, ["lace"]);
    }
}
