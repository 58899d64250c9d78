//! The trend panels of the "Vitals & labs" tab: iris-clinical says which measures, their
//! bands and the eGFR series ([`iris_clinical::chart::panels`]); this module draws them as SVG
//! (iris-trends) for the requested window.

use iris_clinical::chart::PanelData;
use iris_trends::{Point, Series, Trend};
use iris_types::{ApiError, TrendDto, TrendsRequest};

use crate::AppCore;
use crate::errors::api_error;

const DAY: i64 = 86_400_000;

/// Draws every panel in the window `days` before `now` (or since a day before the oldest
/// point when `days` is `None`).
pub fn draw(panels: Vec<PanelData>, now: i64, days: Option<u32>) -> Vec<TrendDto> {
    let from = match days {
        Some(d) => now - i64::from(d) * DAY,
        None => {
            panels
                .iter()
                .flat_map(|p| p.series.iter().flat_map(|s| s.points.iter()))
                .map(|p| p.at)
                .min()
                .unwrap_or(now)
                - DAY
        }
    };
    let mut out = Vec::new();
    for p in panels {
        let trend = Trend {
            title: p.panel.title.to_string(),
            unit: p.panel.unit.to_string(),
            series: p
                .series
                .into_iter()
                .map(|s| Series {
                    label: s.label,
                    points: s
                        .points
                        .into_iter()
                        .map(|x| Point {
                            at: x.at,
                            value: x.value,
                            abnormal: x.abnormal,
                        })
                        .collect(),
                })
                .collect(),
            band: p.band,
            window: (from, now),
        };
        let in_window = |pt: &&Point| pt.at >= from && pt.at <= now;
        let shown = || {
            trend
                .series
                .iter()
                .flat_map(|s| s.points.iter())
                .filter(in_window)
        };
        let points = shown().count();
        let abnormal = shown().filter(|pt| pt.abnormal).count();
        if let Ok(svg) = iris_trends::render_svg(&trend, 560, 240) {
            out.push(TrendDto {
                key: p.panel.key.to_string(),
                title: p.panel.title.to_string(),
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
        let (v, actor) = self.actor().await?;
        let now = self.now_ms();
        let chart = v
            .open_chart(&actor, &req.id, now)
            .await
            .map_err(api_error)?;
        let ms = iris_clinical::chart::measurements(chart.observations());
        let panels = iris_clinical::chart::panels(&ms, &chart.patient);
        Ok(draw(panels, now, req.days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iris_record::codes::loinc;
    use iris_record::{ObsCategory, ObsValue, Observation, PatientRecord, Sex};

    const NOW: i64 = 1_795_000_000_000; // 2026-11-18

    fn creatinine(value: f64, at: i64) -> Observation {
        let v = ObsValue::Quantity {
            value,
            unit: "mg/dL".into(),
        };
        Observation::charted(loinc::CREATININE, ObsCategory::Laboratory, v, at)
    }

    #[test]
    fn the_egfr_panel_is_drawn_with_its_band() {
        let woman = PatientRecord {
            family: "X".into(),
            given: vec![],
            birth_date: "1976-06-01".into(),
            sex: Sex::Female,
            mrn: "M".into(),
            address: None,
            phone: None,
            email: None,
            pregnancy: None,
        };
        let obs = [creatinine(1.0, NOW - DAY), creatinine(2.0, NOW)];
        let ms = iris_clinical::chart::measurements(&obs);
        let drawn = draw(iris_clinical::chart::panels(&ms, &woman), NOW, Some(30));
        let e = drawn.iter().find(|t| t.key == "egfr").expect("eGFR panel");
        assert_eq!((e.points, e.abnormal), (2, 1));
        assert!(e.svg.contains("<svg"));
    }
}
