//! Trend charts for the chart's "Vitals & labs" tab: one SVG per measure, drawn with plotters'
//! SVG backend (no font files: text is laid out by the SVG viewer), with the reference range
//! or goal band shaded and abnormal points marked. Pure functions: numbers in, SVG text out.
//!
//! Only numbers, dates and the fixed titles and units given by the caller reach the SVG, never
//! free text from a record.

use plotters::prelude::*;

/// One measured value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Unix milliseconds.
    pub at: i64,
    pub value: f64,
    /// Outside the reference range (drawn as a red, larger marker).
    pub abnormal: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub points: Vec<Point>,
}

/// What one chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub title: String,
    pub unit: String,
    pub series: Vec<Series>,
    /// Shaded normal range or goal band (either side may be open).
    pub band: Option<(Option<f64>, Option<f64>)>,
    /// Time window shown, Unix ms (from, to).
    pub window: (i64, i64),
}

#[derive(Debug, thiserror::Error)]
pub enum TrendError {
    #[error("nothing to draw in the chosen window")]
    Empty,
    #[error("drawing failed")]
    Draw,
}

const COLORS: [RGBColor; 3] = [
    RGBColor(11, 61, 110),
    RGBColor(10, 107, 115),
    RGBColor(122, 51, 0),
];
const ABNORMAL: RGBColor = RGBColor(164, 22, 26);
const BAND: RGBColor = RGBColor(214, 236, 222);

/// `YYYY-MM` of a Unix time in ms (UTC).
fn month_label(ms: i64) -> String {
    let (year, month, _) =
        iris_record::calendar::civil_from_days(ms.div_euclid(iris_record::calendar::DAY_MS));
    format!("{year:04}-{month:02}")
}

/// Renders `t` as an SVG document of `width` × `height` pixels.
pub fn render_svg(t: &Trend, width: u32, height: u32) -> Result<String, TrendError> {
    let (from, to) = t.window;
    let visible: Vec<Series> = t
        .series
        .iter()
        .map(|s| Series {
            label: s.label.clone(),
            points: s
                .points
                .iter()
                .copied()
                .filter(|p| p.at >= from && p.at <= to && p.value.is_finite())
                .collect(),
        })
        .collect();
    let values: Vec<f64> = visible
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.value))
        .collect();
    if values.is_empty() || to <= from {
        return Err(TrendError::Empty);
    }
    let mut lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let mut hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if let Some((bl, bh)) = t.band {
        lo = lo.min(bl.unwrap_or(lo));
        hi = hi.max(bh.unwrap_or(hi));
    }
    let pad = ((hi - lo) * 0.12).max(hi.abs() * 0.02).max(0.5);
    let (lo, hi) = (lo - pad, hi + pad);

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|_| TrendError::Draw)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{} ({})", t.title, t.unit), ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(48)
            .build_cartesian_2d(from..to, lo..hi)
            .map_err(|_| TrendError::Draw)?;
        chart
            .configure_mesh()
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|ms| month_label(*ms))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .light_line_style(RGBColor(240, 243, 246))
            .bold_line_style(RGBColor(214, 221, 228))
            .axis_style(RGBColor(61, 75, 92))
            .label_style(("sans-serif", 12))
            .draw()
            .map_err(|_| TrendError::Draw)?;
        if let Some((bl, bh)) = t.band {
            let (bl, bh) = (bl.unwrap_or(lo), bh.unwrap_or(hi));
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(from, bl), (to, bh)],
                    BAND.mix(0.8).filled(),
                )))
                .map_err(|_| TrendError::Draw)?;
        }
        for (i, s) in visible.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            let line = s.points.iter().map(|p| (p.at, p.value));
            chart
                .draw_series(LineSeries::new(line, color.stroke_width(2)))
                .map_err(|_| TrendError::Draw)?
                .label(s.label.clone())
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 16, y)], color.stroke_width(2))
                });
            chart
                .draw_series(s.points.iter().map(|p| {
                    if p.abnormal {
                        Circle::new((p.at, p.value), 5, ABNORMAL.filled())
                    } else {
                        Circle::new((p.at, p.value), 3, color.filled())
                    }
                }))
                .map_err(|_| TrendError::Draw)?;
        }
        if visible.len() > 1 {
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.9))
                .border_style(RGBColor(201, 210, 220))
                .label_font(("sans-serif", 12))
                .draw()
                .map_err(|_| TrendError::Draw)?;
        }
        root.present().map_err(|_| TrendError::Draw)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;
    const T0: i64 = 1_795_000_000_000;

    fn bp() -> Trend {
        let pts = |base: f64, abn: f64| -> Vec<Point> {
            (0..12)
                .map(|i| {
                    let value = base + (i % 4) as f64 * 5.0;
                    Point {
                        at: T0 - (11 - i) * 30 * DAY,
                        value,
                        abnormal: value > abn,
                    }
                })
                .collect()
        };
        Trend {
            title: "Blood pressure".into(),
            unit: "mmHg".into(),
            series: vec![
                Series {
                    label: "Systolic".into(),
                    points: pts(128.0, 130.0),
                },
                Series {
                    label: "Diastolic".into(),
                    points: pts(78.0, 80.0),
                },
            ],
            band: Some((None, Some(130.0))),
            window: (T0 - 365 * DAY, T0),
        }
    }

    #[test]
    fn draws_both_series_the_band_and_marks_abnormal_points() {
        let svg = render_svg(&bp(), 640, 280).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..60]);
        assert!(svg.contains("Blood pressure (mmHg)"));
        assert!(svg.contains("Systolic") && svg.contains("Diastolic"));
        // Abnormal points are red circles of radius 5; normal ones radius 3.
        let abnormal = svg.matches("r=\"5\"").count();
        let expected = bp()
            .series
            .iter()
            .flat_map(|s| &s.points)
            .filter(|p| p.abnormal)
            .count();
        assert_eq!(abnormal, expected);
        assert!(svg.contains("fill=\"#A4161A\""));
        // The band is a filled rectangle in the band colour.
        assert!(svg.contains("#D6ECDE"));
        // Axis labels are months of the window.
        assert!(svg.contains("\n2026-"), "month labels");
    }

    #[test]
    fn the_window_selects_points_and_an_empty_window_is_an_error() {
        let mut t = bp();
        t.window = (T0 - 60 * DAY, T0);
        let svg = render_svg(&t, 640, 280).unwrap();
        let circles = svg.matches("<circle").count();
        assert_eq!(circles, 2 * 3, "two series, three points each in 60 days");
        t.window = (T0 + DAY, T0 + 2 * DAY);
        assert!(matches!(render_svg(&t, 640, 280), Err(TrendError::Empty)));
    }

    #[test]
    fn month_labels() {
        assert_eq!(month_label(0), "1970-01");
        assert_eq!(month_label(1_795_487_577_000), "2026-11");
    }
}
