//! Code systems and units: format and check-digit validation for LOINC, SNOMED CT, ICD-10-CM and
//! RxNorm codes, and the canonical-unit table for observations.
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

/// LOINC codes are digits, a dash and a mod-10 check digit (the Luhn scheme LOINC documents).
pub fn loinc_valid(code: &str) -> bool {
    let Some((num, check)) = code.split_once('-') else {
        return false;
    };
    if num.is_empty()
        || num.len() > 7
        || check.len() != 1
        || !num.bytes().all(|b| b.is_ascii_digit())
        || !check.bytes().all(|b| b.is_ascii_digit())
    {
        return false;
    }
    luhn_check_digit(num) == check.as_bytes()[0] - b'0'
}

fn luhn_check_digit(num: &str) -> u8 {
    let sum: u32 = num
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let x = d * 2;
                x / 10 + x % 10
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// SNOMED CT identifiers: 6–18 digits, no leading zero, ending in a Verhoeff check digit.
pub fn snomed_valid(code: &str) -> bool {
    if !(6..=18).contains(&code.len())
        || !code.bytes().all(|b| b.is_ascii_digit())
        || code.starts_with('0')
    {
        return false;
    }
    let c = code.bytes().rev().enumerate().fold(0u8, |c, (i, b)| {
        VERHOEFF_D[c as usize][VERHOEFF_P[i % 8][(b - b'0') as usize] as usize]
    });
    c == 0
}

/// ICD-10-CM: a letter, two characters (digit, then digit or A/B), then optionally a dot and
/// 1–4 characters (digits or letters). Validates the shape, not membership. (U is the chapter
/// for special purposes: U07.1 COVID-19 since 2020, U09.9 post-COVID condition.)
pub fn icd10cm_valid(code: &str) -> bool {
    let b = code.as_bytes();
    if b.len() < 3 || !b[0].is_ascii_uppercase() {
        return false;
    }
    if !b[1].is_ascii_digit() || !(b[2].is_ascii_digit() || b[2] == b'A' || b[2] == b'B') {
        return false;
    }
    match &b[3..] {
        [] => true,
        [b'.', rest @ ..] => {
            (1..=4).contains(&rest.len())
                && rest
                    .iter()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        }
        _ => false,
    }
}

/// RxNorm concept ids (RXCUI) are 1–8 digits.
pub fn rxnorm_valid(code: &str) -> bool {
    (1..=8).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())
}

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

pub fn canonical(loinc: &str) -> Option<Canonical> {
    Some(match loinc {
        "2345-7" | "1558-6" | "2339-0" => GLUCOSE,
        "2093-3" | "2085-9" | "18262-6" | "13457-7" => CHOLESTEROL,
        "2571-8" => Canonical {
            unit: "mg/dL",
            min: 1.0,
            max: 10_000.0,
            conversions: &[("mmol/L", Conv::Mul(88.57))],
        },
        "4548-4" => Canonical {
            unit: "%",
            min: 2.0,
            max: 25.0,
            conversions: &[("mmol/mol", Conv::Affine(0.09148, 2.152))],
        },
        "2160-0" => Canonical {
            unit: "mg/dL",
            min: 0.05,
            max: 40.0,
            conversions: &[("umol/L", Conv::Mul(1.0 / 88.42))],
        },
        "8310-5" => Canonical {
            unit: "Cel",
            min: 20.0,
            max: 46.0,
            conversions: &[("[degF]", Conv::FahrenheitToCelsius)],
        },
        "29463-7" => Canonical {
            unit: "kg",
            min: 0.2,
            max: 650.0,
            conversions: &[
                ("g", Conv::Mul(0.001)),
                ("[lb_av]", Conv::Mul(0.453_592_37)),
            ],
        },
        "8302-2" => Canonical {
            unit: "cm",
            min: 20.0,
            max: 275.0,
            conversions: &[("m", Conv::Mul(100.0)), ("[in_i]", Conv::Mul(2.54))],
        },
        "8480-6" => Canonical {
            unit: "mm[Hg]",
            min: 20.0,
            max: 320.0,
            conversions: &[("kPa", Conv::Mul(7.500_62))],
        },
        "8462-4" => Canonical {
            unit: "mm[Hg]",
            min: 5.0,
            max: 220.0,
            conversions: &[("kPa", Conv::Mul(7.500_62))],
        },
        "8867-4" => Canonical {
            unit: "/min",
            min: 0.0,
            max: 350.0,
            conversions: &[],
        },
        "9279-1" => Canonical {
            unit: "/min",
            min: 0.0,
            max: 90.0,
            conversions: &[],
        },
        "59408-5" | "2708-6" => Canonical {
            unit: "%",
            min: 0.0,
            max: 100.0,
            conversions: &[],
        },
        "39156-5" => Canonical {
            unit: "kg/m2",
            min: 5.0,
            max: 200.0,
            conversions: &[],
        },
        // Inhaled oxygen flow rate; 0 is room air. High-flow nasal cannula reaches 60–70 L/min.
        "3151-8" => Canonical {
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

    #[test]
    fn loinc_check_digits() {
        // Codes from the LOINC table (loinc.org): glucose, HbA1c, heart rate, body weight.
        for ok in [
            "2345-7", "4548-4", "8867-4", "29463-7", "8480-6", "59408-5", "2160-0",
        ] {
            assert!(loinc_valid(ok), "{ok}");
        }
        for bad in ["2345-8", "2345", "-7", "23a5-7", "2345-77", "12345678-9"] {
            assert!(!loinc_valid(bad), "{bad}");
        }
    }

    #[test]
    fn snomed_verhoeff_check_digits() {
        // SNOMED CT concepts: diabetes mellitus type 2, hypertensive disorder, asthma,
        // no known allergy, penicillin.
        for ok in [
            "44054006",
            "38341003",
            "195967001",
            "716186003",
            "764146007",
        ] {
            assert!(snomed_valid(ok), "{ok}");
        }
        for bad in ["44054007", "12345", "044054006", "4405400a"] {
            assert!(!snomed_valid(bad), "{bad}");
        }
    }

    #[test]
    fn icd10cm_shapes() {
        for ok in [
            "E11.9", "I10", "J45.909", "S72.001A", "O09.A0", "Z00.00", "U07.1", "U09.9",
        ] {
            assert!(icd10cm_valid(ok), "{ok}");
        }
        for bad in ["e11.9", "E1", "E11.", "E11.12345", "EE1.1", "11.9", "E11-9"] {
            assert!(!icd10cm_valid(bad), "{bad}");
        }
    }

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
