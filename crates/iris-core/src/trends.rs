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
//! | Glucose | 2345-7 | 70–99 mg/dL | ADA fasting normal |
//! | LDL cholesterol | 18262-6 | < 100 mg/dL | optimal (NCEP ATP III) |
//! | Creatinine | 2160-0 | 0.6–1.2 mg/dL | typical adult range |

use iris_trends::{Point, Series, Trend};
use iris_types::{ApiError, ObservationDto, TrendDto, TrendsRequest};

use crate::AppCore;

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
        series: &[("2345-7", "Glucose")],
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

/// Draws every panel that has data in the window (observations newest first or in any order).
pub fn panels(observations: &[ObservationDto], now: i64, days: Option<u32>) -> Vec<TrendDto> {
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
    for p in PANELS {
        let mut series = Vec::new();
        let mut band = p.band;
        for (code, label) in p.series {
            let mut obs: Vec<&ObservationDto> = observations
                .iter()
                .filter(|o| o.code == *code && o.value.is_some())
                .collect();
            obs.sort_by_key(|o| o.effective_at);
            // The data's own reference range wins for single-series panels.
            if p.series.len() == 1 {
                if let Some(last) = obs.last() {
                    if last.reference_low.is_some() || last.reference_high.is_some() {
                        band = (last.reference_low, last.reference_high);
                    }
                }
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
        Ok(panels(&chart.observations, self.now_ms(), req.days))
    }
}
