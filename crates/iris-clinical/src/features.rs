//! Per-patient derived ("gold") features for predictions and dashboards, from dated
//! measurements in canonical units:
//!
//! - **Daily vital aggregates:** for each vital-sign code and UTC day, the count, mean, minimum
//!   and maximum.
//! - **Lab trends:** for each laboratory code, the latest value and the means over the 7, 30
//!   and 90 days ending at it, and a direction: the 30-day mean against the mean of the 30 days
//!   before that window, "rising" or "falling" when it moved by 5 % or more, else "stable";
//!   "unknown" without values in both windows.
//! - **Risk flags:** [`crate::flags::all`], the one definition shared with the chart.
//!
//! Recomputed for the patients an import touched; a pure function of the measurements, so the
//! result is the same however many times or in whatever order the data arrived.

use std::collections::BTreeMap;

use iris_record::codes::loinc;

use crate::flags::{self, Flag, Measurement};

pub const DAY_MS: i64 = 86_400_000;
/// Relative change of the 30-day mean that counts as a direction.
pub const TREND_THRESHOLD: f64 = 0.05;

/// The vital signs aggregated per day (LOINC).
pub const VITAL_CODES: [&str; 10] = [
    loinc::SYSTOLIC_BP,
    loinc::DIASTOLIC_BP,
    loinc::HEART_RATE,
    loinc::RESPIRATORY_RATE,
    loinc::SPO2,
    loinc::BODY_TEMPERATURE,
    loinc::BODY_WEIGHT,
    loinc::BODY_HEIGHT,
    loinc::BMI,
    loinc::OXYGEN_FLOW,
];

#[derive(Debug, Clone, PartialEq)]
pub struct DailyAggregate {
    pub code: String,
    /// Days since 1970-01-01 (UTC).
    pub day: i64,
    pub count: u32,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Rising,
    Falling,
    Stable,
    Unknown,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Rising => "rising",
            Direction::Falling => "falling",
            Direction::Stable => "stable",
            Direction::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LabTrend {
    pub code: String,
    pub latest: f64,
    pub latest_at: i64,
    pub mean_7d: f64,
    pub mean_30d: f64,
    pub mean_90d: f64,
    pub direction: Direction,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    pub daily_vitals: Vec<DailyAggregate>,
    pub lab_trends: Vec<LabTrend>,
    pub flags: Vec<Flag>,
}

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (n, sum) = xs.fold((0u32, 0.0), |(n, s), x| (n + 1, s + x));
    (n > 0).then(|| sum / f64::from(n))
}

/// `vital`: whether a code is a vital sign (daily aggregates) or a laboratory value (trends).
pub fn compute(ms: &[Measurement<'_>]) -> Features {
    let mut days: BTreeMap<(&str, i64), Vec<f64>> = BTreeMap::new();
    let mut labs: BTreeMap<&str, Vec<(i64, f64)>> = BTreeMap::new();
    for m in ms {
        if VITAL_CODES.contains(&m.code) {
            days.entry((m.code, m.at.div_euclid(DAY_MS)))
                .or_default()
                .push(m.value);
        } else {
            labs.entry(m.code).or_default().push((m.at, m.value));
        }
    }
    let daily_vitals = days
        .into_iter()
        .map(|((code, day), v)| DailyAggregate {
            code: code.to_string(),
            day,
            count: v.len() as u32,
            mean: v.iter().sum::<f64>() / v.len() as f64,
            min: v.iter().copied().fold(f64::INFINITY, f64::min),
            max: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        })
        .collect();
    let lab_trends = labs
        .into_iter()
        .filter_map(|(code, mut v)| {
            v.sort_by_key(|(at, _)| *at);
            let &(latest_at, latest) = v.last()?;
            // Values in the `days` days ending at the latest one (inclusive).
            let window = |from_days: i64, to_days: i64| {
                mean(
                    v.iter()
                        .filter(|(at, _)| {
                            *at > latest_at - from_days * DAY_MS
                                && *at <= latest_at - to_days * DAY_MS
                        })
                        .map(|(_, x)| *x),
                )
            };
            let m7 = window(7, 0)?;
            let m30 = window(30, 0)?;
            let m90 = window(90, 0)?;
            let before = window(60, 30);
            let direction = match before {
                Some(b) if b != 0.0 => {
                    let change = (m30 - b) / b.abs();
                    if change >= TREND_THRESHOLD {
                        Direction::Rising
                    } else if change <= -TREND_THRESHOLD {
                        Direction::Falling
                    } else {
                        Direction::Stable
                    }
                }
                _ => Direction::Unknown,
            };
            Some(LabTrend {
                code: code.to_string(),
                latest,
                latest_at,
                mean_7d: m7,
                mean_30d: m30,
                mean_90d: m90,
                direction,
            })
        })
        .collect();
    Features {
        daily_vitals,
        lab_trends,
        flags: flags::all(ms),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_795_000_000_000;

    fn m(code: &str, value: f64, at: i64) -> Measurement<'_> {
        Measurement { code, value, at }
    }

    #[test]
    fn vitals_aggregate_per_day() {
        let day = T.div_euclid(DAY_MS) * DAY_MS;
        let f = compute(&[
            m("8867-4", 60.0, day + 1_000),
            m("8867-4", 90.0, day + 2_000),
            m("8867-4", 75.0, day + DAY_MS),
        ]);
        assert_eq!(f.daily_vitals.len(), 2);
        let d = &f.daily_vitals[0];
        assert_eq!((d.count, d.mean, d.min, d.max), (2, 75.0, 60.0, 90.0));
        assert!(f.lab_trends.is_empty());
    }

    /// HbA1c 7.0 % 40 days before the latest (the previous 30-day window) and 7.5 % now:
    /// +7.1 %, rising; means over 7/30/90 days by hand.
    #[test]
    fn lab_trends_have_window_means_and_a_direction() {
        let f = compute(&[
            m("4548-4", 6.0, T - 80 * DAY_MS),
            m("4548-4", 7.0, T - 40 * DAY_MS),
            m("4548-4", 7.4, T - 10 * DAY_MS),
            m("4548-4", 7.6, T),
        ]);
        let t = &f.lab_trends[0];
        assert_eq!((t.latest, t.latest_at), (7.6, T));
        assert_eq!(t.mean_7d, 7.6);
        assert!((t.mean_30d - 7.5).abs() < 1e-9);
        assert!((t.mean_90d - 7.0).abs() < 1e-9);
        assert_eq!(t.direction, Direction::Rising);
        // Within 5 %: stable; no earlier window: unknown.
        let stable = compute(&[m("2160-0", 1.00, T - 40 * DAY_MS), m("2160-0", 1.04, T)]);
        assert_eq!(stable.lab_trends[0].direction, Direction::Stable);
        let falling = compute(&[m("2160-0", 1.00, T - 40 * DAY_MS), m("2160-0", 0.95, T)]);
        assert_eq!(falling.lab_trends[0].direction, Direction::Falling);
        let alone = compute(&[m("2160-0", 1.0, T)]);
        assert_eq!(alone.lab_trends[0].direction, Direction::Unknown);
    }

    /// The flags are the shared definitions, at their thresholds (6.4 / 6.5 %).
    #[test]
    fn flags_come_from_the_shared_definitions() {
        assert!(compute(&[m("4548-4", 6.4, T)]).flags.is_empty());
        let f = compute(&[m("4548-4", 6.5, T)]);
        assert_eq!(f.flags[0].kind, flags::FlagKind::Diabetes);
    }
}
