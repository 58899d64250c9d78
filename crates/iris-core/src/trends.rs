//! The trend panels of the "Vitals & labs" tab: which measures, their default bands, and
//! turning a chart's observations into SVG charts.
//!
//! Default bands (used when the data carries no reference range):
//! | panel | LOINC | band | source |
//! |---|---|---|---|
//! | Blood pressure | 8480-6, 8462-4 | systolic < 130 mmHg | 2017 ACC/AHA guideline (stage 1 from 130/80) |
//! | Heart rate | 8867-4 | 60–100 /min | adult resting normal |
//! | Respiratory rate | 9279-1 | 12–20 /min | adult normal |
//! | SpO2 | 59408-5 | ≥ 95 % | |
//! | Temperature | 8310-5 | 36.1–37.8 °C | |
//! | Weight | 29463-7 | none | |
//! | BMI | 39156-5 | 18.5–25 kg/m² | WHO normal weight |
//! | HbA1c | 4548-4 | < 5.7 % | ADA: 5.7–6.4 % prediabetes |
//! | Glucose | 1558-6 (fasting), 2345-7, 2339-0 (bedside) | 70–99 mg/dL | ADA fasting normal |
//! | LDL cholesterol | 18262-6 | < 100 mg/dL | optimal (NCEP ATP III) |
//! | Creatinine | 2160-0 | 0.6–1.2 mg/dL | typical adult range |
//! | eGFR | 98979-8, 62238-1, 33914-3, 48643-1 | ≥ 60 mL/min/1.73 m² | KDIGO 2012: below 60 (G3a–G5) for > 3 months is CKD |
//!
//! eGFR: the laboratory's reported values when the chart has any; otherwise it is calculated
//! from each creatinine with CKD-EPI 2021 (`iris_clinical::ckd_epi_2021`, the patient's age on
//! the day of the sample), and the series says so.

use iris_clinical::Sex;
use iris_record::Date;
use iris_trends::{Point, Series, Trend};
use iris_types::{ApiError, ObservationDto, TrendDto, TrendsRequest};

use crate::AppCore;
use crate::chart::age_on;

/// Who the observations belong to, for measures that depend on age and sex.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub birth_date: &'a str,
    /// The vault's administrative sex code.
    pub sex: &'a str,
}

/// eGFR as laboratories report it (CKD-EPI 2021, CKD-EPI 2009, MDRD).
const EGFR_CODES: [&str; 4] = ["98979-8", "62238-1", "33914-3", "48643-1"];
const CREATININE: &str = "2160-0";
const EGFR_FLOOR: f64 = 60.0;

type Band = (Option<f64>, Option<f64>);

struct Panel {
    key: &'static str,
    title: &'static str,
    unit: &'static str,
    series: &'static [(&'static str, &'static str)],
    band: Band,
}

const PANELS: &[Panel] = &[
    Panel {
        key: "bp",
        title: "Blood pressure",
        unit: "mmHg",
        series: &[("8480-6", "Systolic"), ("8462-4", "Diastolic")],
        band: (None, Some(130.0)),
    },
    Panel {
        key: "hr",
        title: "Heart rate",
        unit: "/min",
        series: &[("8867-4", "Heart rate")],
        band: (Some(60.0), Some(100.0)),
    },
    Panel {
        key: "rr",
        title: "Respiratory rate",
        unit: "/min",
        series: &[("9279-1", "Respiratory rate")],
        band: (Some(12.0), Some(20.0)),
    },
    Panel {
        key: "spo2",
        title: "SpO2",
        unit: "%",
        series: &[("59408-5", "SpO2")],
        band: (Some(95.0), None),
    },
    Panel {
        key: "temp",
        title: "Temperature",
        unit: "°C",
        series: &[("8310-5", "Temperature")],
        band: (Some(36.1), Some(37.8)),
    },
    Panel {
        key: "weight",
        title: "Weight",
        unit: "kg",
        series: &[("29463-7", "Weight")],
        band: (None, None),
    },
    Panel {
        key: "bmi",
        title: "BMI",
        unit: "kg/m²",
        series: &[("39156-5", "BMI")],
        band: (Some(18.5), Some(25.0)),
    },
    Panel {
        key: "hba1c",
        title: "HbA1c",
        unit: "%",
        series: &[("4548-4", "HbA1c")],
        band: (None, Some(5.7)),
    },
    Panel {
        key: "glucose",
        title: "Glucose",
        unit: "mg/dL",
        series: &[
            ("1558-6", "Fasting"),
            ("2345-7", "Serum/plasma"),
            ("2339-0", "Bedside"),
        ],
        band: (Some(70.0), Some(99.0)),
    },
    Panel {
        key: "ldl",
        title: "LDL cholesterol",
        unit: "mg/dL",
        series: &[("18262-6", "LDL")],
        band: (None, Some(100.0)),
    },
    Panel {
        key: "creatinine",
        title: "Creatinine",
        unit: "mg/dL",
        series: &[("2160-0", "Creatinine")],
        band: (Some(0.6), Some(1.2)),
    },
];

const DAY: i64 = 86_400_000;

fn abnormal(o: &ObservationDto) -> bool {
    matches!(
        o.interpretation.as_deref(),
        Some("H" | "L" | "HH" | "LL" | "A")
    )
}

/// The eGFR series: reported values if any, else CKD-EPI 2021 from each creatinine.
fn egfr_series(observations: &[ObservationDto], subject: Subject<'_>) -> Series {
    let mut reported: Vec<&ObservationDto> = observations
        .iter()
        .filter(|o| EGFR_CODES.contains(&o.code.as_str()) && o.value.is_some())
        .collect();
    if !reported.is_empty() {
        reported.sort_by_key(|o| o.effective_at);
        return Series {
            label: "eGFR (reported)".into(),
            points: reported
                .iter()
                .map(|o| {
                    let v = o.value.unwrap_or_default();
                    Point {
                        at: o.effective_at,
                        value: v,
                        abnormal: abnormal(o) || v < EGFR_FLOOR,
                    }
                })
                .collect(),
        };
    }
    let mut points: Vec<Point> = match Sex::parse(subject.sex) {
        None => Vec::new(),
        Some(sex) => observations
            .iter()
            .filter(|o| o.code == CREATININE)
            .filter_map(|o| {
                let age = age_on(subject.birth_date, Date::from_unix_ms(o.effective_at));
                let e = iris_clinical::ckd_epi_2021(o.value?, f64::from(age), sex).ok()?;
                Some(Point {
                    at: o.effective_at,
                    value: e,
                    abnormal: e < EGFR_FLOOR,
                })
            })
            .collect(),
    };
    points.sort_by_key(|p| p.at);
    Series {
        label: "eGFR (CKD-EPI 2021, calculated)".into(),
        points,
    }
}

/// Draws every panel that has data in the window (observations newest first or in any order).
pub fn panels(
    observations: &[ObservationDto],
    subject: Subject<'_>,
    now: i64,
    days: Option<u32>,
) -> Vec<TrendDto> {
    let from = match days {
        Some(d) => now - i64::from(d) * DAY,
        None => {
            observations
                .iter()
                .map(|o| o.effective_at)
                .min()
                .unwrap_or(now)
                - DAY
        }
    };
    let mut out = Vec::new();
    let egfr = Panel {
        key: "egfr",
        title: "eGFR",
        unit: "mL/min/1.73m²",
        series: &[],
        band: (Some(EGFR_FLOOR), None),
    };
    for p in PANELS.iter().chain([&egfr]) {
        let mut series = Vec::new();
        let mut band = p.band;
        if p.key == "egfr" {
            series.push(egfr_series(observations, subject));
        }
        for (code, label) in p.series {
            let mut obs: Vec<&ObservationDto> = observations
                .iter()
                .filter(|o| o.code == *code && o.value.is_some())
                .collect();
            obs.sort_by_key(|o| o.effective_at);
            // The data's own reference range wins for single-series panels.
            if p.series.len() == 1
                && let Some(last) = obs.last()
                && (last.reference_low.is_some() || last.reference_high.is_some())
            {
                band = (last.reference_low, last.reference_high);
            }
            series.push(Series {
                label: (*label).to_string(),
                points: obs
                    .iter()
                    .map(|o| Point {
                        at: o.effective_at,
                        value: o.value.unwrap_or_default(),
                        abnormal: abnormal(o),
                    })
                    .collect(),
            });
        }
        let trend = Trend {
            title: p.title.to_string(),
            unit: p.unit.to_string(),
            series,
            band: (band != (None, None)).then_some(band),
            window: (from, now),
        };
        let in_window = |pt: &&Point| pt.at >= from && pt.at <= now;
        let points = trend
            .series
            .iter()
            .flat_map(|s| s.points.iter())
            .filter(in_window)
            .count();
        let abnormal = trend
            .series
            .iter()
            .flat_map(|s| s.points.iter())
            .filter(in_window)
            .filter(|pt| pt.abnormal)
            .count();
        if let Ok(svg) = iris_trends::render_svg(&trend, 560, 240) {
            out.push(TrendDto {
                key: p.key.to_string(),
                title: p.title.to_string(),
                svg,
                points: points as u32,
                abnormal: abnormal as u32,
            });
        }
    }
    out
}

impl AppCore {
    /// Opens the chart (audited) and draws its trend panels for the window.
    pub async fn chart_trends(&self, req: TrendsRequest) -> Result<Vec<TrendDto>, ApiError> {
        let chart = self.open_chart(&req.id).await?;
        let subject = Subject {
            birth_date: &chart.patient.patient.birth_date,
            sex: &chart.patient.patient.sex,
        };
        Ok(panels(
            &chart.observations,
            subject,
            self.now_ms(),
            req.days,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000_000; // 2026-11-18

    fn obs(code: &str, value: f64, at: i64) -> ObservationDto {
        ObservationDto {
            id: format!("{code}-{at}"),
            code: code.into(),
            display: String::new(),
            category: "laboratory".into(),
            value: Some(value),
            unit: Some("mg/dL".into()),
            text: None,
            reference_low: None,
            reference_high: None,
            effective_at: at,
            interpretation: None,
        }
    }

    fn woman() -> Subject<'static> {
        Subject {
            birth_date: "1976-06-01",
            sex: "female",
        }
    }

    #[test]
    fn egfr_is_calculated_from_creatinine_at_the_age_of_each_sample() {
        // 2026-11-18: she is 50; CKD-EPI 2021, female, 50 y, Scr 1.0 → 68.6 (iris-clinical's
        // table). A year earlier she was 49 and Scr 1.5 → lower, and below 60: abnormal.
        let year = 365 * DAY;
        let s = egfr_series(
            &[obs("2160-0", 1.0, NOW), obs("2160-0", 1.5, NOW - year)],
            woman(),
        );
        assert_eq!(s.label, "eGFR (CKD-EPI 2021, calculated)");
        assert_eq!(s.points.len(), 2);
        assert_eq!(s.points[0].at, NOW - year, "oldest first");
        let want_then = iris_clinical::ckd_epi_2021(1.5, 49.0, Sex::Female).unwrap();
        assert!((s.points[0].value - want_then).abs() < 1e-9);
        assert!(s.points[0].abnormal);
        assert_eq!(s.points[1].value.round(), 69.0);
        assert!(!s.points[1].abnormal);
    }

    #[test]
    fn reported_egfr_wins_and_unknown_sex_calculates_nothing() {
        let s = egfr_series(
            &[obs("2160-0", 1.0, NOW), obs("33914-3", 55.0, NOW)],
            woman(),
        );
        assert_eq!(s.label, "eGFR (reported)");
        assert_eq!(
            (s.points.len(), s.points[0].value, s.points[0].abnormal),
            (1, 55.0, true)
        );
        let unknown = Subject {
            birth_date: "1976-06-01",
            sex: "unknown",
        };
        assert!(
            egfr_series(&[obs("2160-0", 1.0, NOW)], unknown)
                .points
                .is_empty()
        );
        let child = Subject {
            birth_date: "2015-01-01",
            sex: "male",
        };
        assert!(
            egfr_series(&[obs("2160-0", 0.5, NOW)], child)
                .points
                .is_empty(),
            "CKD-EPI is for adults"
        );
    }

    #[test]
    fn the_egfr_panel_is_drawn_with_its_band() {
        let drawn = panels(
            &[obs("2160-0", 1.0, NOW - DAY), obs("2160-0", 2.0, NOW)],
            woman(),
            NOW,
            Some(30),
        );
        let e = drawn.iter().find(|t| t.key == "egfr").expect("eGFR panel");
        assert_eq!((e.points, e.abnormal), (2, 1));
        assert!(e.svg.contains("<svg"));
    }
}
