//! Body-mass index with the WHO adult category.
//!
//! Source: World Health Organization. Obesity: preventing and managing the global epidemic.
//! Report of a WHO consultation. WHO Technical Report Series 894. Geneva: WHO, 2000, table 2.1
//! (classification of adults according to BMI):
//!
//! | `risk` | BMI kg/m² |
//! |---|---|
//! | `"underweight"` | < 18.50 |
//! | `"normal"` | 18.50 – 24.99 |
//! | `"overweight"` | 25.00 – 29.99 |
//! | `"obese"` | ≥ 30.00 |
//!
//! `score` is weight / height² rounded to 1 decimal. The WHO limits are printed to two
//! decimals, so the category is read from the unrounded BMI (24.97 is "normal" although it
//! displays as 25.0; a note says so when display and category could be misread).
//!
//! No category under 18 (children are classified by BMI-for-age percentiles or z-scores) or in
//! pregnancy (the categories apply to pre-pregnancy weight); the value is still given, with a
//! note.

use super::{Collector, Inputs, round_to, snap};
use crate::Score;

fn category(bmi: f64) -> &'static str {
    if bmi < 18.5 {
        "underweight"
    } else if bmi < 25.0 {
        "normal"
    } else if bmi < 30.0 {
        "overweight"
    } else {
        "obese"
    }
}

/// BMI = weight (kg) / height (m)², 1 decimal; WHO adult category.
pub fn bmi(inputs: &Inputs) -> Score {
    let mut c = Collector::new();
    let w = c.number("weight_kg", inputs.weight_kg);
    let h = c.number("height_cm", inputs.height_cm);
    let (Some(w), Some(h)) = (w, h) else {
        return c.score;
    };
    c.part("weight_kg", w);
    c.part("height_cm", h);
    let exact = snap(w / (h / 100.0).powi(2));
    let shown = round_to(exact, 1);
    c.score.score = Some(shown);
    let child = inputs.age_years.is_some_and(|a| a < 18.0);
    let pregnant = inputs.pregnant == Some(true);
    if child {
        c.note("under 18: classify by BMI-for-age percentiles (WHO/CDC growth references), not the adult categories");
    }
    if pregnant {
        c.note("in pregnancy the BMI categories apply to pre-pregnancy weight");
    }
    if !child && !pregnant {
        let g = category(exact);
        c.score.risk = Some(g);
        if category(shown) != g {
            c.note(format!("BMI {exact:.2} is shown as {shown:.1}; its WHO category ({g}) is read from the unrounded value"));
        }
        if inputs.age_years.is_none() {
            c.note("age not given: the WHO categories are for adults (18 and over)");
        }
    }
    c.score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(w: f64, h: f64) -> Inputs {
        Inputs {
            weight_kg: Some(w),
            height_cm: Some(h),
            age_years: Some(40.0),
            ..Inputs::default()
        }
    }

    /// WHO TRS 894 (2000), table 2.1, with height 200 cm (BMI = weight / 4) so each boundary
    /// is exact: (weight, BMI shown, category).
    const TABLE: &[(f64, f64, &str)] = &[
        (60.0, 15.0, "underweight"),
        (73.96, 18.5, "underweight"), // 18.49
        (74.0, 18.5, "normal"),       // 18.50
        (99.96, 25.0, "normal"),      // 24.99
        (100.0, 25.0, "overweight"),  // 25.00
        (119.96, 30.0, "overweight"), // 29.99
        (120.0, 30.0, "obese"),       // 30.00
        (200.0, 50.0, "obese"),
    ];

    #[test]
    fn who_categories() {
        for &(w, shown, category) in TABLE {
            let s = bmi(&inputs(w, 200.0));
            assert_eq!(s.score, Some(shown), "{w}");
            assert_eq!(s.risk, Some(category), "{w}");
            assert_eq!(s.parts, [("weight_kg", w), ("height_cm", 200.0)]);
        }
        // 18.49 shows as 18.5 but is underweight: the note explains.
        let s = bmi(&inputs(73.96, 200.0));
        assert!(
            s.notes
                .iter()
                .any(|n| n.contains("read from the unrounded value")),
            "{s:?}"
        );
        assert!(bmi(&inputs(74.0, 200.0)).notes.is_empty());
    }

    #[test]
    fn a_worked_value() {
        // 70 kg, 175 cm: 22.857… → 22.9, normal.
        let s = bmi(&inputs(70.0, 175.0));
        assert_eq!((s.score, s.risk), (Some(22.9), Some("normal")));
    }

    #[test]
    fn children_and_pregnancy_get_no_category() {
        let s = bmi(&Inputs {
            age_years: Some(12.0),
            ..inputs(40.0, 150.0)
        });
        assert_eq!((s.score, s.risk), (Some(17.8), None));
        assert!(s.notes.iter().any(|n| n.contains("BMI-for-age")));
        let s = bmi(&Inputs {
            age_years: Some(18.0),
            ..inputs(40.0, 150.0)
        });
        assert_eq!(s.risk, Some("underweight"));
        let s = bmi(&Inputs {
            pregnant: Some(true),
            ..inputs(80.0, 160.0)
        });
        assert_eq!((s.score, s.risk), (Some(31.3), None));
        assert!(s.notes.iter().any(|n| n.contains("pre-pregnancy")));
        let s = bmi(&Inputs {
            age_years: None,
            ..inputs(80.0, 160.0)
        });
        assert_eq!(s.risk, Some("obese"));
        assert!(s.notes.iter().any(|n| n.contains("age not given")));
    }

    #[test]
    fn missing_inputs_give_no_score() {
        let s = bmi(&Inputs::default());
        assert_eq!((s.score, s.risk), (None, None));
        assert_eq!(s.missing, ["weight_kg", "height_cm"]);
    }
}
