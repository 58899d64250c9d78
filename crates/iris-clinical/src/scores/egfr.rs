//! eGFR (CKD-EPI 2021, [`crate::ckd_epi_2021`]) with its KDIGO GFR category.
//!
//! Category source: Kidney Disease: Improving Global Outcomes (KDIGO) CKD Work Group. KDIGO
//! 2012 Clinical Practice Guideline for the Evaluation and Management of Chronic Kidney
//! Disease. Kidney Int Suppl 2013;3:1–150, GFR categories (mL/min/1.73 m²),
//! unchanged in the KDIGO 2024 guideline:
//!
//! | `risk` | eGFR | Terms |
//! |---|---|---|
//! | `"G1"` | ≥ 90 | normal or high |
//! | `"G2"` | 60–89 | mildly decreased |
//! | `"G3a"` | 45–59 | mildly to moderately decreased |
//! | `"G3b"` | 30–44 | moderately to severely decreased |
//! | `"G4"` | 15–29 | severely decreased |
//! | `"G5"` | < 15 | kidney failure |
//!
//! `score` is the eGFR rounded to a whole number, as laboratories report it, and the category
//! is read from that rounded number (59.6 → 60 → G2), so display and category agree.

use super::{Collector, Inputs};
use crate::{EgfrError, Score, ckd_epi_2021};

/// KDIGO GFR category of a (rounded) eGFR.
fn category(egfr: f64) -> &'static str {
    if egfr >= 90.0 {
        "G1"
    } else if egfr >= 60.0 {
        "G2"
    } else if egfr >= 45.0 {
        "G3a"
    } else if egfr >= 30.0 {
        "G3b"
    } else if egfr >= 15.0 {
        "G4"
    } else {
        "G5"
    }
}

/// eGFR by CKD-EPI 2021 with its KDIGO G category. Needs creatinine, age and sex; adults only
/// (under 18: no score, with a note).
pub fn egfr(inputs: &Inputs) -> Score {
    let mut c = Collector::new();
    let scr = c.number("creatinine_mg_dl", inputs.creatinine_mg_dl);
    let age = c.number("age_years", inputs.age_years);
    let sex = c.required("sex", inputs.sex);
    let (Some(scr), Some(age), Some(sex)) = (scr, age, sex) else {
        return c.score;
    };
    c.part("creatinine_mg_dl", scr);
    c.part("age_years", age);
    match ckd_epi_2021(scr, age, sex) {
        Ok(e) => {
            let e = e.round();
            c.score.score = Some(e);
            let g = category(e);
            c.score.risk = Some(g);
            if g == "G1" || g == "G2" {
                c.note("G1–G2 indicate chronic kidney disease only with markers of kidney damage (e.g. albuminuria)");
            }
            c.note("one eGFR value: chronic kidney disease requires abnormality for more than 3 months");
        }
        Err(EgfrError::NotAdult) => {
            c.note("CKD-EPI is for adults (18 and over): use a paediatric equation (bedside CKiD/Schwartz)");
        }
        // Unreachable: the limits checked above are the equation's own.
        Err(e) => c.note(format!("eGFR not computed: {e:?}")),
    }
    c.score
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Sex;

    fn inputs(scr: f64, age: f64, sex: Sex) -> Inputs {
        Inputs {
            creatinine_mg_dl: Some(scr),
            age_years: Some(age),
            sex: Some(sex),
            ..Inputs::default()
        }
    }

    /// KDIGO 2012 GFR categories at and beside every boundary (on the rounded eGFR).
    const CATEGORIES: &[(f64, &str)] = &[
        (120.0, "G1"),
        (90.0, "G1"),
        (89.0, "G2"),
        (60.0, "G2"),
        (59.0, "G3a"),
        (45.0, "G3a"),
        (44.0, "G3b"),
        (30.0, "G3b"),
        (29.0, "G4"),
        (15.0, "G4"),
        (14.0, "G5"),
        (3.0, "G5"),
    ];

    #[test]
    fn kdigo_categories() {
        for &(e, g) in CATEGORIES {
            assert_eq!(category(e), g, "{e}");
        }
    }

    /// CKD-EPI 2021 worked values (as in `crate::egfr`'s tests) with their categories:
    /// (creatinine, age, sex, eGFR, category).
    const TABLE: &[(f64, f64, Sex, f64, &str)] = &[
        (1.0, 50.0, Sex::Female, 69.0, "G2"),
        (1.0, 50.0, Sex::Male, 92.0, "G1"),
        (1.2, 60.0, Sex::Female, 52.0, "G3a"),
        (2.5, 70.0, Sex::Male, 27.0, "G4"),
        (4.0, 80.0, Sex::Male, 14.0, "G5"),
        (0.6, 18.0, Sex::Male, 143.0, "G1"),
    ];

    #[test]
    fn wraps_ckd_epi_2021() {
        for &(scr, age, sex, want, g) in TABLE {
            let s = egfr(&inputs(scr, age, sex));
            assert_eq!(s.score, Some(want), "{scr} {age} {sex:?}");
            assert_eq!(s.risk, Some(g));
            assert_eq!(s.parts, [("creatinine_mg_dl", scr), ("age_years", age)]);
        }
    }

    #[test]
    fn the_category_is_read_from_the_rounded_value() {
        // Find a creatinine whose unrounded eGFR is in [59.5, 60): it must show 60, G2.
        let mut scr = 1.0;
        loop {
            let e = ckd_epi_2021(scr, 60.0, Sex::Male).unwrap();
            if (59.5..60.0).contains(&e) {
                break;
            }
            scr += 0.0001;
            assert!(scr < 2.0);
        }
        let s = egfr(&inputs(scr, 60.0, Sex::Male));
        assert_eq!((s.score, s.risk), (Some(60.0), Some("G2")));
    }

    #[test]
    fn children_and_missing_inputs_get_no_score() {
        let s = egfr(&inputs(0.5, 17.9, Sex::Female));
        assert_eq!((s.score, s.risk), (None, None));
        assert!(s.missing.is_empty());
        assert!(s.notes.iter().any(|n| n.contains("CKD-EPI is for adults")));

        let s = egfr(&Inputs::default());
        assert_eq!(s.score, None);
        assert_eq!(s.missing, ["creatinine_mg_dl", "age_years", "sex"]);
        let s = egfr(&Inputs {
            sex: None,
            ..inputs(1.0, 50.0, Sex::Male)
        });
        assert_eq!(s.missing, ["sex"]);
    }
}
