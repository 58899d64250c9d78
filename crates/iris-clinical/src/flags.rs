//! Chronic-disease risk flags, defined once: the chart, the clinical engine and the FHIR gold
//! features all call these functions, so a flag means the same thing everywhere.
//!
//! | flag | rule | source |
//! |---|---|---|
//! | diabetes | any HbA1c ≥ 6.5 % (LOINC 4548-4) or fasting plasma glucose ≥ 126 mg/dL (1558-6) | ADA Standards of Care 2024, 2. Diagnosis and Classification of Diabetes, Table 2.1 |
//! | hypertension | mean systolic ≥ 140 mmHg or mean diastolic ≥ 90 mmHg over the 30 days ending at the latest blood pressure reading | ESC/ESH 2018 and ISH 2020 office thresholds (≥ 140/90) |
//! | cardiovascular | latest LDL cholesterol ≥ 160 mg/dL (18262-6, 13457-7, 2089-1), or latest total cholesterol ≥ 240 mg/dL (2093-3) with the hypertension flag | NCEP ATP III (2002): LDL ≥ 160 "high", total ≥ 240 "high" |
//!
//! A flag is raised only on evidence: each carries the values and dates it was derived from.
//! With no qualifying measurement there is no flag (not a "negative" one). Values are in the
//! vault's canonical units (%, mg/dL, mmHg); times are Unix milliseconds.

use iris_record::codes::loinc;

/// One dated measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement<'a> {
    /// LOINC code.
    pub code: &'a str,
    pub value: f64,
    pub at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FlagKind {
    Diabetes,
    Hypertension,
    Cardiovascular,
}

impl FlagKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::Diabetes => "diabetes",
            FlagKind::Hypertension => "hypertension",
            FlagKind::Cardiovascular => "cardiovascular",
        }
    }
}

impl Evidence {
    /// What the value is, in words, and its unit as shown.
    pub fn describe(&self) -> (&'static str, &'static str) {
        match self.code.as_str() {
            HBA1C => ("HbA1c", "%"),
            FASTING_GLUCOSE => ("fasting glucose", "mg/dL"),
            c if c == format!("{SYSTOLIC}/mean-30d") => ("30-day mean systolic", "mmHg"),
            c if c == format!("{DIASTOLIC}/mean-30d") => ("30-day mean diastolic", "mmHg"),
            c if LDL.contains(&c) => ("LDL", "mg/dL"),
            TOTAL_CHOLESTEROL => ("total cholesterol", "mg/dL"),
            _ => ("", ""),
        }
    }
}

/// A value a flag was derived from (for a mean: the mean, dated at the window's end).
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// LOINC code, or `8480-6/mean-30d` and `8462-4/mean-30d` for the blood-pressure means.
    pub code: String,
    pub value: f64,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub kind: FlagKind,
    /// The rule that fired, in words (no patient data).
    pub rule: &'static str,
    pub evidence: Vec<Evidence>,
}

pub const HBA1C: &str = loinc::HBA1C;
pub const FASTING_GLUCOSE: &str = loinc::GLUCOSE_FASTING;
pub const SYSTOLIC: &str = loinc::SYSTOLIC_BP;
pub const DIASTOLIC: &str = loinc::DIASTOLIC_BP;
/// LDL cholesterol: direct assay, calculated, and mass/volume in serum or plasma.
pub const LDL: [&str; 3] = loinc::LDL_ANY;
pub const TOTAL_CHOLESTEROL: &str = loinc::CHOLESTEROL_TOTAL;

pub const HBA1C_DIABETES: f64 = 6.5;
pub const FASTING_GLUCOSE_DIABETES: f64 = 126.0;
pub const SYSTOLIC_HYPERTENSION: f64 = 140.0;
pub const DIASTOLIC_HYPERTENSION: f64 = 90.0;
pub const LDL_HIGH: f64 = 160.0;
pub const TOTAL_CHOLESTEROL_HIGH: f64 = 240.0;
pub const BP_WINDOW_MS: i64 = 30 * 86_400_000;

fn evidence(m: &Measurement<'_>) -> Evidence {
    Evidence {
        code: m.code.to_string(),
        value: m.value,
        at: m.at,
    }
}

/// Diabetes: every qualifying HbA1c or fasting glucose is evidence.
pub fn diabetes(ms: &[Measurement<'_>]) -> Option<Flag> {
    let mut ev: Vec<Evidence> = ms
        .iter()
        .filter(|m| {
            (m.code == HBA1C && m.value >= HBA1C_DIABETES)
                || (m.code == FASTING_GLUCOSE && m.value >= FASTING_GLUCOSE_DIABETES)
        })
        .map(evidence)
        .collect();
    ev.sort_by_key(|e| e.at);
    (!ev.is_empty()).then_some(Flag {
        kind: FlagKind::Diabetes,
        rule: "HbA1c >= 6.5 % or fasting plasma glucose >= 126 mg/dL",
        evidence: ev,
    })
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Hypertension: the mean of the readings in the 30 days ending at the latest reading.
pub fn hypertension(ms: &[Measurement<'_>]) -> Option<Flag> {
    let latest = ms
        .iter()
        .filter(|m| m.code == SYSTOLIC || m.code == DIASTOLIC)
        .map(|m| m.at)
        .max()?;
    let from = latest - BP_WINDOW_MS;
    let window = |code: &str| -> Vec<f64> {
        ms.iter()
            .filter(|m| m.code == code && m.at > from && m.at <= latest)
            .map(|m| m.value)
            .collect()
    };
    let sys = mean(&window(SYSTOLIC));
    let dia = mean(&window(DIASTOLIC));
    let high = sys.is_some_and(|s| s >= SYSTOLIC_HYPERTENSION)
        || dia.is_some_and(|d| d >= DIASTOLIC_HYPERTENSION);
    high.then(|| Flag {
        kind: FlagKind::Hypertension,
        rule: "30-day mean blood pressure >= 140/90 mmHg",
        evidence: [(SYSTOLIC, sys), (DIASTOLIC, dia)]
            .into_iter()
            .filter_map(|(c, v)| {
                v.map(|value| Evidence {
                    code: format!("{c}/mean-30d"),
                    value,
                    at: latest,
                })
            })
            .collect(),
    })
}

fn latest<'a>(ms: &'a [Measurement<'a>], codes: &[&str]) -> Option<&'a Measurement<'a>> {
    ms.iter()
        .filter(|m| codes.contains(&m.code))
        .max_by_key(|m| m.at)
}

/// Cardiovascular risk: the latest LDL, or the latest total cholesterol with hypertension.
pub fn cardiovascular(ms: &[Measurement<'_>], hypertension: Option<&Flag>) -> Option<Flag> {
    if let Some(ldl) = latest(ms, &LDL)
        && ldl.value >= LDL_HIGH
    {
        return Some(Flag {
            kind: FlagKind::Cardiovascular,
            rule: "LDL cholesterol >= 160 mg/dL",
            evidence: vec![evidence(ldl)],
        });
    }
    let total = latest(ms, &[TOTAL_CHOLESTEROL])?;
    let htn = hypertension?;
    (total.value >= TOTAL_CHOLESTEROL_HIGH).then(|| Flag {
        kind: FlagKind::Cardiovascular,
        rule: "total cholesterol >= 240 mg/dL with hypertension",
        evidence: std::iter::once(evidence(total))
            .chain(htn.evidence.iter().cloned())
            .collect(),
    })
}

/// Every flag the measurements support, in the order diabetes, hypertension, cardiovascular.
pub fn all(ms: &[Measurement<'_>]) -> Vec<Flag> {
    let htn = hypertension(ms);
    let cv = cardiovascular(ms, htn.as_ref());
    [diabetes(ms), htn, cv].into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;
    const T: i64 = 1_795_000_000_000;

    fn m(code: &str, value: f64, at: i64) -> Measurement<'_> {
        Measurement { code, value, at }
    }

    /// Hand-computed cases at each threshold (ADA 2024 Table 2.1; ESC/ESH 2018; NCEP ATP III).
    #[test]
    fn diabetes_at_its_thresholds() {
        for (code, value, flagged) in [
            (HBA1C, 6.4, false),
            (HBA1C, 6.5, true),
            (HBA1C, 6.49, false),
            (FASTING_GLUCOSE, 125.0, false),
            (FASTING_GLUCOSE, 126.0, true),
            // A random (non-fasting) glucose of 130 is not a fasting criterion.
            ("2345-7", 130.0, false),
        ] {
            let f = diabetes(&[m(code, value, T)]);
            assert_eq!(f.is_some(), flagged, "{code} {value}");
            if let Some(f) = f {
                assert_eq!(
                    f.evidence,
                    vec![Evidence {
                        code: code.into(),
                        value,
                        at: T
                    }]
                );
            }
        }
        let f = diabetes(&[
            m(HBA1C, 7.0, T),
            m(HBA1C, 5.9, T - DAY),
            m(FASTING_GLUCOSE, 130.0, T - 2 * DAY),
        ])
        .unwrap();
        assert_eq!(f.evidence.len(), 2, "only qualifying values, oldest first");
        assert_eq!(f.evidence[0].at, T - 2 * DAY);
    }

    #[test]
    fn hypertension_uses_the_30_day_mean() {
        // Mean systolic (138 + 141) / 2 = 139.5: not flagged; (139 + 141) / 2 = 140: flagged.
        let bp = |s1: f64, s2: f64, d: f64| {
            vec![
                m(SYSTOLIC, s1, T - 5 * DAY),
                m(SYSTOLIC, s2, T),
                m(DIASTOLIC, d, T),
            ]
        };
        assert!(hypertension(&bp(138.0, 141.0, 80.0)).is_none());
        let f = hypertension(&bp(139.0, 141.0, 80.0)).unwrap();
        assert_eq!(
            f.evidence[0],
            Evidence {
                code: "8480-6/mean-30d".into(),
                value: 140.0,
                at: T
            }
        );
        assert_eq!(f.evidence[1].value, 80.0);
        // Diastolic 89 vs 90 with a normal systolic.
        assert!(hypertension(&bp(120.0, 120.0, 89.0)).is_none());
        assert!(hypertension(&bp(120.0, 120.0, 90.0)).is_some());
        // A reading 31 days before the latest is outside the window.
        let old_high = vec![m(SYSTOLIC, 200.0, T - 31 * DAY), m(SYSTOLIC, 130.0, T)];
        assert!(hypertension(&old_high).is_none());
        let edge = vec![m(SYSTOLIC, 150.0, T - 30 * DAY + 1), m(SYSTOLIC, 130.0, T)];
        assert!(
            hypertension(&edge).is_some(),
            "(150 + 130) / 2 = 140 inside the window"
        );
        assert!(hypertension(&[]).is_none());
    }

    #[test]
    fn cardiovascular_from_ldl_or_total_cholesterol_with_hypertension() {
        assert!(cardiovascular(&[m("18262-6", 159.0, T)], None).is_none());
        let f = cardiovascular(&[m("18262-6", 160.0, T)], None).unwrap();
        assert_eq!(f.rule, "LDL cholesterol >= 160 mg/dL");
        // The latest LDL counts: an old high value, since treated, is not a current flag.
        assert!(
            cardiovascular(
                &[m("13457-7", 190.0, T - DAY), m("13457-7", 110.0, T)],
                None
            )
            .is_none()
        );
        let htn_readings = [m(SYSTOLIC, 150.0, T), m(DIASTOLIC, 95.0, T)];
        let htn = hypertension(&htn_readings);
        assert!(cardiovascular(&[m(TOTAL_CHOLESTEROL, 239.0, T)], htn.as_ref()).is_none());
        assert!(
            cardiovascular(&[m(TOTAL_CHOLESTEROL, 240.0, T)], None).is_none(),
            "needs hypertension"
        );
        let f = cardiovascular(&[m(TOTAL_CHOLESTEROL, 240.0, T)], htn.as_ref()).unwrap();
        assert_eq!(
            f.evidence.len(),
            3,
            "cholesterol and both blood-pressure means"
        );
        let mut all_ms = htn_readings.to_vec();
        all_ms.push(m(TOTAL_CHOLESTEROL, 250.0, T));
        all_ms.push(m(HBA1C, 6.5, T));
        let kinds: Vec<FlagKind> = all(&all_ms).into_iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            [
                FlagKind::Diabetes,
                FlagKind::Hypertension,
                FlagKind::Cardiovascular
            ]
        );
    }
}
