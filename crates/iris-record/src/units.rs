//! Units: the canonical-unit table for observations and the conversions Iris accepts.
//!
//! Canonical units (one per LOINC code; other units are converted on input):
//!
//! | LOINC | what | canonical | also accepted |
//! |---|---|---|---|
//! | 2345-7, 1558-6, 2339-0 | glucose (serum/plasma, fasting serum/plasma, blood) | mg/dL | mmol/L (× 18.016) |
//! | 2093-3, 2085-9, 18262-6, 13457-7 | cholesterol total, HDL, LDL | mg/dL | mmol/L (× 38.67) |
//! | 2571-8 | triglycerides | mg/dL | mmol/L (× 88.57) |
//! | 4548-4 | hemoglobin A1c | % | mmol/mol (IFCC → NGSP: × 0.09148 + 2.152) |
//! | 2160-0 | creatinine | mg/dL | umol/L (÷ 88.42) |
//! | 8310-5 | body temperature | Cel | [degF] ((F − 32) × 5/9) |
//! | 29463-7 | body weight | kg | g (÷ 1000), [lb_av] (× 0.45359237) |
//! | 8302-2 | body height | cm | m (× 100), [in_i] (× 2.54) |
//! | 8480-6, 8462-4 | systolic, diastolic blood pressure | mm[Hg] | kPa (× 7.50062) |
//! | 8867-4 | heart rate | /min | |
//! | 9279-1 | respiratory rate | /min | |
//! | 59408-5, 2708-6 | oxygen saturation | % | |
//! | 39156-5 | body mass index | kg/m2 | |
//! | 3151-8 | inhaled oxygen flow rate (0 = room air) | L/min | |
//!
//! Each also has a physiologically possible range (in the canonical unit); values outside it are
//! rejected as impossible rather than stored (`observation.value` rule `impossible`).

use crate::codes::loinc;

/// UCUM unit strings as written in FHIR: printable ASCII without spaces, 1–30 characters.
pub fn ucum_plausible(unit: &str) -> bool {
    (1..=30).contains(&unit.len()) && unit.bytes().all(|b| b.is_ascii_graphic())
}

#[derive(Debug, Clone, Copy)]
pub struct Canonical {
    pub unit: &'static str,
    /// Possible range in the canonical unit.
    pub min: f64,
    pub max: f64,
    conversions: &'static [(&'static str, Conv)],
}

#[derive(Debug, Clone, Copy)]
enum Conv {
    Mul(f64),
    Affine(f64, f64),
    FahrenheitToCelsius,
}

const GLUCOSE: Canonical = Canonical {
    unit: "mg/dL",
    min: 1.0,
    max: 2000.0,
    conversions: &[("mmol/L", Conv::Mul(18.016))],
};
const CHOLESTEROL: Canonical = Canonical {
    unit: "mg/dL",
    min: 1.0,
    max: 2000.0,
    conversions: &[("mmol/L", Conv::Mul(38.67))],
};

pub fn canonical(code: &str) -> Option<Canonical> {
    Some(match code {
        loinc::GLUCOSE | loinc::GLUCOSE_FASTING | loinc::GLUCOSE_BLOOD => GLUCOSE,
        loinc::CHOLESTEROL_TOTAL | loinc::HDL | loinc::LDL_DIRECT | loinc::LDL_CALCULATED => {
            CHOLESTEROL
        }
        loinc::TRIGLYCERIDES => Canonical {
            unit: "mg/dL",
            min: 1.0,
            max: 10_000.0,
            conversions: &[("mmol/L", Conv::Mul(88.57))],
        },
        loinc::HBA1C => Canonical {
            unit: "%",
            min: 2.0,
            max: 25.0,
            conversions: &[("mmol/mol", Conv::Affine(0.09148, 2.152))],
        },
        loinc::CREATININE => Canonical {
            unit: "mg/dL",
            min: 0.05,
            max: 40.0,
            conversions: &[("umol/L", Conv::Mul(1.0 / 88.42))],
        },
        loinc::BODY_TEMPERATURE => Canonical {
            unit: "Cel",
            min: 20.0,
            max: 46.0,
            conversions: &[("[degF]", Conv::FahrenheitToCelsius)],
        },
        loinc::BODY_WEIGHT => Canonical {
            unit: "kg",
            min: 0.2,
            max: 650.0,
            conversions: &[
                ("g", Conv::Mul(0.001)),
                ("[lb_av]", Conv::Mul(0.453_592_37)),
            ],
        },
        loinc::BODY_HEIGHT => Canonical {
            unit: "cm",
            min: 20.0,
            max: 275.0,
            conversions: &[("m", Conv::Mul(100.0)), ("[in_i]", Conv::Mul(2.54))],
        },
        loinc::SYSTOLIC_BP => Canonical {
            unit: "mm[Hg]",
            min: 20.0,
            max: 320.0,
            conversions: &[("kPa", Conv::Mul(7.500_62))],
        },
        loinc::DIASTOLIC_BP => Canonical {
            unit: "mm[Hg]",
            min: 5.0,
            max: 220.0,
            conversions: &[("kPa", Conv::Mul(7.500_62))],
        },
        loinc::HEART_RATE => Canonical {
            unit: "/min",
            min: 0.0,
            max: 350.0,
            conversions: &[],
        },
        loinc::RESPIRATORY_RATE => Canonical {
            unit: "/min",
            min: 0.0,
            max: 90.0,
            conversions: &[],
        },
        loinc::SPO2 | loinc::SAO2 => Canonical {
            unit: "%",
            min: 0.0,
            max: 100.0,
            conversions: &[],
        },
        loinc::BMI => Canonical {
            unit: "kg/m2",
            min: 5.0,
            max: 200.0,
            conversions: &[],
        },
        // Inhaled oxygen flow rate; 0 is room air. High-flow nasal cannula reaches 60–70 L/min.
        loinc::OXYGEN_FLOW => Canonical {
            unit: "L/min",
            min: 0.0,
            max: 80.0,
            conversions: &[],
        },
        _ => return None,
    })
}

/// Why a value could not be normalized (rule codes for `ApiError.fields`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitProblem {
    /// The unit is not the canonical one and has no conversion.
    Unit,
    /// Outside what is physiologically possible.
    Impossible,
}

impl Canonical {
    /// Converts `value` in `unit` to the canonical unit and checks it is possible.
    pub fn normalize(&self, value: f64, unit: &str) -> Result<f64, UnitProblem> {
        let v = self.convert_bound(value, unit).ok_or(UnitProblem::Unit)?;
        if v.is_finite() && (self.min..=self.max).contains(&v) {
            Ok(v)
        } else {
            Err(UnitProblem::Impossible)
        }
    }

    /// Converts `value` in `unit` to the canonical unit, without the plausibility check (for
    /// reference-range bounds); `None` when the unit has no conversion.
    pub fn convert_bound(&self, value: f64, unit: &str) -> Option<f64> {
        if unit == self.unit {
            return Some(value);
        }
        let (_, conv) = self.conversions.iter().find(|(u, _)| *u == unit)?;
        Some(match conv {
            Conv::Mul(f) => value * f,
            Conv::Affine(a, b) => value * a + b,
            Conv::FahrenheitToCelsius => (value - 32.0) * 5.0 / 9.0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Conversion factors: glucose 1 mmol/L = 18.016 mg/dL (MW 180.16); cholesterol 1 mmol/L =
    /// 38.67 mg/dL; triglycerides 88.57; creatinine 1 mg/dL = 88.42 µmol/L; HbA1c NGSP % =
    /// 0.09148 × IFCC mmol/mol + 2.152 (NGSP/IFCC master equation).
    #[test]
    fn units_convert_to_canonical_and_impossible_values_are_refused() {
        let close = |a: f64, b: f64| (a - b).abs() < 0.05;
        let g = canonical("2345-7").unwrap();
        assert!(close(g.normalize(5.5, "mmol/L").unwrap(), 99.088));
        assert_eq!(g.normalize(99.0, "mg/dL"), Ok(99.0));
        assert_eq!(g.normalize(99.0, "g/L"), Err(UnitProblem::Unit));
        assert_eq!(g.normalize(-3.0, "mg/dL"), Err(UnitProblem::Impossible));
        let a1c = canonical("4548-4").unwrap();
        assert!(close(a1c.normalize(48.0, "mmol/mol").unwrap(), 6.543));
        let t = canonical("8310-5").unwrap();
        assert!(close(t.normalize(98.6, "[degF]").unwrap(), 37.0));
        assert_eq!(t.normalize(60.0, "Cel"), Err(UnitProblem::Impossible));
        let w = canonical("29463-7").unwrap();
        assert!(close(w.normalize(154.0, "[lb_av]").unwrap(), 69.85));
        let h = canonical("8302-2").unwrap();
        assert!(close(h.normalize(70.0, "[in_i]").unwrap(), 177.8));
        let cr = canonical("2160-0").unwrap();
        assert!(close(cr.normalize(88.42, "umol/L").unwrap(), 1.0));
        let bp = canonical("8480-6").unwrap();
        assert!(close(bp.normalize(16.0, "kPa").unwrap(), 120.0));
        assert_eq!(bp.normalize(400.0, "mm[Hg]"), Err(UnitProblem::Impossible));
        assert!(canonical("1234-5").is_none());
    }
}
