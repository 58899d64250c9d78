//! What decision support reads off a patient's chart: the newest vital signs in reading order,
//! the early-warning scores of the newest set, the risk flags, the eGFR the renal checks use,
//! and the data of the trend panels with their reference bands.
//!
//! Every function reads the chart's observations as flattened measurements
//! ([`iris_record::Observation::measurements`]): a blood-pressure panel with components counts
//! as a systolic and a diastolic measurement, exactly like two single observations. Values are
//! in the canonical units the record model normalizes to.

use iris_record::codes::loinc;
use iris_record::{Date, Measurement, ObsValue, Observation, PatientRecord, Pregnancy};

use crate::flags::{self, Flag};
use crate::scores::{self, Avpu, Inputs};
use crate::{Score, Sex};

/// Every measurement of the observations (their own values and their components'), in the
/// order given.
pub fn measurements<'a>(
    observations: impl IntoIterator<Item = &'a Observation>,
) -> Vec<Measurement<'a>> {
    observations
        .into_iter()
        .flat_map(Observation::measurements)
        .collect()
}

/// The numeric measurements, as the flag and feature definitions take them.
pub fn numeric<'a>(ms: &[Measurement<'a>]) -> Vec<flags::Measurement<'a>> {
    ms.iter()
        .filter_map(|m| {
            Some(flags::Measurement {
                code: m.code,
                value: m.value.number()?,
                at: m.effective_at,
            })
        })
        .collect()
}

/// Diabetes, hypertension and cardiovascular flags ([`flags::all`]).
pub fn risk_flags(ms: &[Measurement<'_>]) -> Vec<Flag> {
    flags::all(&numeric(ms))
}

/// The order clinicians read vital signs in: blood pressure, pulse, breathing, oxygen,
/// consciousness, temperature, then body measurements.
pub const VITAL_ORDER: [&str; 11] = [
    loinc::SYSTOLIC_BP,
    loinc::DIASTOLIC_BP,
    loinc::HEART_RATE,
    loinc::RESPIRATORY_RATE,
    loinc::SPO2,
    loinc::OXYGEN_FLOW,
    loinc::RESPONSIVENESS,
    loinc::BODY_TEMPERATURE,
    loinc::BODY_WEIGHT,
    loinc::BODY_HEIGHT,
    loinc::BMI,
];

/// The newest measurement of each vital sign (observations of category `vital-signs`), in
/// [`VITAL_ORDER`] (other vital-sign codes after those, by code).
pub fn latest_vitals<'a>(
    observations: impl IntoIterator<Item = &'a Observation>,
) -> Vec<Measurement<'a>> {
    let mut newest: Vec<Measurement<'a>> = Vec::new();
    for m in observations
        .into_iter()
        .filter(|o| o.is_vital_sign())
        .flat_map(Observation::measurements)
    {
        match newest.iter_mut().find(|n| n.code == m.code) {
            Some(n) if n.effective_at >= m.effective_at => {}
            Some(n) => *n = m,
            None => newest.push(m),
        }
    }
    let rank = |code: &str| {
        VITAL_ORDER
            .iter()
            .position(|c| *c == code)
            .unwrap_or(VITAL_ORDER.len())
    };
    newest.sort_by(|a, b| rank(a.code).cmp(&rank(b.code)).then(a.code.cmp(b.code)));
    newest
}

/// An early-warning set is the vital signs recorded within this long before the newest one.
pub const EARLY_WARNING_SET_MS: i64 = 3_600_000;

/// The vital signs NEWS2 and qSOFA read.
const EARLY_WARNING_CODES: [&str; 8] = [
    loinc::RESPIRATORY_RATE,
    loinc::SPO2,
    loinc::OXYGEN_FLOW,
    loinc::SYSTOLIC_BP,
    loinc::DIASTOLIC_BP,
    loinc::HEART_RATE,
    loinc::RESPONSIVENESS,
    loinc::BODY_TEMPERATURE,
];

/// NEWS2 and qSOFA of the newest set of vital signs.
#[derive(Debug, Clone, PartialEq)]
pub struct EarlyWarning {
    /// When the newest vital sign of the set was taken (Unix ms).
    pub at: i64,
    pub news2: Score,
    pub qsofa: Score,
}

/// The sex the published equations take, from the record's administrative sex.
pub fn equation_sex(patient: &PatientRecord) -> Option<Sex> {
    match patient.sex {
        iris_record::Sex::Female => Some(Sex::Female),
        iris_record::Sex::Male => Some(Sex::Male),
        iris_record::Sex::Other | iris_record::Sex::Unknown => None,
    }
}

/// NEWS2 and qSOFA from the newest set of vital signs. A value older than the set counts as
/// missing: a score is never completed with stale vitals. `None` without any of its vitals.
pub fn early_warning(
    ms: &[Measurement<'_>],
    patient: &PatientRecord,
    today: Date,
) -> Option<EarlyWarning> {
    let newest = ms
        .iter()
        .filter(|m| EARLY_WARNING_CODES.contains(&m.code))
        .map(|m| m.effective_at)
        .max()?;
    let value = |code: &str| {
        ms.iter()
            .filter(|m| m.code == code && m.effective_at > newest - EARLY_WARNING_SET_MS)
            .max_by_key(|m| m.effective_at)
    };
    let number = |code: &str| value(code).and_then(|m| m.value.number());
    let inputs = Inputs {
        age_years: Some(f64::from(today.years_since(&patient.birth_date))),
        sex: equation_sex(patient),
        pregnant: match patient.pregnancy {
            Some(Pregnancy::Pregnant) => Some(true),
            Some(Pregnancy::NotPregnant) => Some(false),
            _ => None,
        },
        respiratory_rate: number(loinc::RESPIRATORY_RATE),
        spo2: number(loinc::SPO2),
        on_oxygen: number(loinc::OXYGEN_FLOW).map(|f| f > 0.0),
        systolic_bp: number(loinc::SYSTOLIC_BP),
        diastolic_bp: number(loinc::DIASTOLIC_BP),
        heart_rate: number(loinc::HEART_RATE),
        consciousness: value(loinc::RESPONSIVENESS)
            .and_then(|m| m.value.text())
            .and_then(Avpu::parse),
        temperature_c: number(loinc::BODY_TEMPERATURE),
        ..Default::default()
    };
    Some(EarlyWarning {
        at: newest,
        news2: scores::news2(&inputs),
        qsofa: scores::qsofa(&inputs),
    })
}

/// KDIGO 2012: an eGFR below 60 mL/min/1.73 m² (G3a–G5) for more than 3 months is CKD.
pub const EGFR_FLOOR: f64 = 60.0;

/// One dated value of a trend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub at: i64,
    pub value: f64,
    pub abnormal: bool,
}

/// The eGFR of a chart over time: the laboratory's reported values when it has any, else
/// CKD-EPI 2021 from each creatinine at the patient's age on the day of the sample.
#[derive(Debug, Clone, PartialEq)]
pub struct EgfrSeries {
    pub calculated: bool,
    /// Oldest first.
    pub points: Vec<Point>,
}

fn egfr_of_creatinine(m: &Measurement<'_>, patient: &PatientRecord, sex: Sex) -> Option<f64> {
    let age = Date::from_unix_ms(m.effective_at).years_since(&patient.birth_date);
    crate::ckd_epi_2021(m.value.number()?, f64::from(age), sex).ok()
}

pub fn egfr_series(ms: &[Measurement<'_>], patient: &PatientRecord) -> EgfrSeries {
    let mut reported: Vec<Point> = ms
        .iter()
        .filter(|m| loinc::EGFR.contains(&m.code))
        .filter_map(|m| {
            let v = m.value.number()?;
            Some(Point {
                at: m.effective_at,
                value: v,
                abnormal: m.interpretation.is_some_and(|i| i.is_abnormal()) || v < EGFR_FLOOR,
            })
        })
        .collect();
    if !reported.is_empty() {
        reported.sort_by_key(|p| p.at);
        return EgfrSeries {
            calculated: false,
            points: reported,
        };
    }
    let mut points: Vec<Point> = match equation_sex(patient) {
        None => Vec::new(),
        Some(sex) => ms
            .iter()
            .filter(|m| m.code == loinc::CREATININE)
            .filter_map(|m| {
                let e = egfr_of_creatinine(m, patient, sex)?;
                Some(Point {
                    at: m.effective_at,
                    value: e,
                    abnormal: e < EGFR_FLOOR,
                })
            })
            .collect(),
    };
    points.sort_by_key(|p| p.at);
    EgfrSeries {
        calculated: true,
        points,
    }
}

/// The eGFR the renal checks use: the newest reported eGFR or, when the newest creatinine is
/// more recent, CKD-EPI 2021 from it (age on the day of the sample). `None` without either.
pub fn latest_egfr(ms: &[Measurement<'_>], patient: &PatientRecord) -> Option<f64> {
    let newest = |codes: &[&str]| {
        ms.iter()
            .filter(|m| codes.contains(&m.code) && m.value.number().is_some())
            .max_by_key(|m| m.effective_at)
    };
    let reported = newest(&loinc::EGFR);
    let calculated = newest(&[loinc::CREATININE]).and_then(|m| {
        let e = egfr_of_creatinine(m, patient, equation_sex(patient)?)?;
        Some((m.effective_at, e))
    });
    match (reported, calculated) {
        (Some(r), Some((at, e))) if at > r.effective_at => Some(e),
        (Some(r), _) => r.value.number(),
        (None, Some((_, e))) => Some(e),
        (None, None) => None,
    }
}

/// A trend panel of the "Vitals & labs" tab: which measures it draws and the band drawn behind
/// them when the data carries no reference range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Panel {
    pub key: &'static str,
    pub title: &'static str,
    pub unit: &'static str,
    /// (LOINC, label) of each series.
    pub series: &'static [(&'static str, &'static str)],
    pub band: (Option<f64>, Option<f64>),
}

/// The trend panels and their default bands:
///
/// | panel | band | source |
/// |---|---|---|
/// | Blood pressure | systolic < 130 mmHg | 2017 ACC/AHA guideline (stage 1 from 130/80) |
/// | Heart rate | 60–100 /min | adult resting normal |
/// | Respiratory rate | 12–20 /min | adult normal |
/// | SpO2 | ≥ 95 % | |
/// | Temperature | 36.1–37.8 °C | |
/// | Weight | none | |
/// | BMI | 18.5–25 kg/m² | WHO normal weight |
/// | HbA1c | < 5.7 % | ADA: 5.7–6.4 % prediabetes |
/// | Glucose (fasting, serum/plasma, bedside) | 70–99 mg/dL | ADA fasting normal |
/// | LDL cholesterol | < 100 mg/dL | optimal (NCEP ATP III) |
/// | Creatinine | 0.6–1.2 mg/dL | typical adult range |
/// | eGFR ([`EGFR_PANEL`]) | ≥ 60 mL/min/1.73 m² | KDIGO 2012 ([`EGFR_FLOOR`]) |
pub const PANELS: &[Panel] = &[
    Panel {
        key: "bp",
        title: "Blood pressure",
        unit: "mmHg",
        series: &[
            (loinc::SYSTOLIC_BP, "Systolic"),
            (loinc::DIASTOLIC_BP, "Diastolic"),
        ],
        band: (None, Some(130.0)),
    },
    Panel {
        key: "hr",
        title: "Heart rate",
        unit: "/min",
        series: &[(loinc::HEART_RATE, "Heart rate")],
        band: (Some(60.0), Some(100.0)),
    },
    Panel {
        key: "rr",
        title: "Respiratory rate",
        unit: "/min",
        series: &[(loinc::RESPIRATORY_RATE, "Respiratory rate")],
        band: (Some(12.0), Some(20.0)),
    },
    Panel {
        key: "spo2",
        title: "SpO2",
        unit: "%",
        series: &[(loinc::SPO2, "SpO2")],
        band: (Some(95.0), None),
    },
    Panel {
        key: "temp",
        title: "Temperature",
        unit: "°C",
        series: &[(loinc::BODY_TEMPERATURE, "Temperature")],
        band: (Some(36.1), Some(37.8)),
    },
    Panel {
        key: "weight",
        title: "Weight",
        unit: "kg",
        series: &[(loinc::BODY_WEIGHT, "Weight")],
        band: (None, None),
    },
    Panel {
        key: "bmi",
        title: "BMI",
        unit: "kg/m²",
        series: &[(loinc::BMI, "BMI")],
        band: (Some(18.5), Some(25.0)),
    },
    Panel {
        key: "hba1c",
        title: "HbA1c",
        unit: "%",
        series: &[(loinc::HBA1C, "HbA1c")],
        band: (None, Some(5.7)),
    },
    Panel {
        key: "glucose",
        title: "Glucose",
        unit: "mg/dL",
        series: &[
            (loinc::GLUCOSE_FASTING, "Fasting"),
            (loinc::GLUCOSE, "Serum/plasma"),
            (loinc::GLUCOSE_BLOOD, "Bedside"),
        ],
        band: (Some(70.0), Some(99.0)),
    },
    Panel {
        key: "ldl",
        title: "LDL cholesterol",
        unit: "mg/dL",
        series: &[(loinc::LDL_DIRECT, "LDL")],
        band: (None, Some(100.0)),
    },
    Panel {
        key: "creatinine",
        title: "Creatinine",
        unit: "mg/dL",
        series: &[(loinc::CREATININE, "Creatinine")],
        band: (Some(0.6), Some(1.2)),
    },
];

/// The eGFR panel: reported or calculated ([`egfr_series`]).
pub const EGFR_PANEL: Panel = Panel {
    key: "egfr",
    title: "eGFR",
    unit: "mL/min/1.73m²",
    series: &[],
    band: (Some(EGFR_FLOOR), None),
};

/// One labelled series of a panel.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelSeries {
    pub label: String,
    /// Oldest first.
    pub points: Vec<Point>,
}

/// The data of a panel: its series and the band to draw (the data's own reference range for
/// a single-series panel whose newest value carries one, else the panel's default).
#[derive(Debug, Clone, PartialEq)]
pub struct PanelData {
    pub panel: Panel,
    pub series: Vec<PanelSeries>,
    pub band: Option<(Option<f64>, Option<f64>)>,
}

/// Every panel of [`PANELS`] and the eGFR panel, with its data (possibly empty).
pub fn panels(ms: &[Measurement<'_>], patient: &PatientRecord) -> Vec<PanelData> {
    PANELS
        .iter()
        .chain([&EGFR_PANEL])
        .map(|p| {
            let mut band = p.band;
            let mut series = Vec::new();
            if p.key == EGFR_PANEL.key {
                let e = egfr_series(ms, patient);
                series.push(PanelSeries {
                    label: if e.calculated {
                        "eGFR (CKD-EPI 2021, calculated)"
                    } else {
                        "eGFR (reported)"
                    }
                    .into(),
                    points: e.points,
                });
            }
            for (code, label) in p.series {
                let mut of_code: Vec<&Measurement<'_>> = ms
                    .iter()
                    .filter(|m| m.code == *code && m.value.number().is_some())
                    .collect();
                of_code.sort_by_key(|m| m.effective_at);
                if p.series.len() == 1
                    && let Some(last) = of_code.last()
                    && (last.reference_low.is_some() || last.reference_high.is_some())
                {
                    band = (last.reference_low, last.reference_high);
                }
                series.push(PanelSeries {
                    label: (*label).to_string(),
                    points: of_code
                        .iter()
                        .map(|m| Point {
                            at: m.effective_at,
                            value: m.value.number().unwrap_or_default(),
                            abnormal: m.interpretation.is_some_and(|i| i.is_abnormal()),
                        })
                        .collect(),
                });
            }
            PanelData {
                panel: *p,
                series,
                band: (band != (None, None)).then_some(band),
            }
        })
        .collect()
}

/// A level of responsiveness charted at `at`: anything but alert is flagged abnormal.
pub fn responsiveness(level: Avpu, at: i64) -> Observation {
    let mut o = Observation::charted(
        loinc::RESPONSIVENESS,
        iris_record::ObsCategory::VitalSigns,
        ObsValue::Text {
            text: level.as_str().to_string(),
        },
        at,
    );
    o.interpretation = (level != Avpu::Alert).then_some(iris_record::Interpretation::Abnormal);
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use iris_record::{Interpretation, ObsCategory, ObservationStatus};

    const DAY: i64 = 86_400_000;

    fn obs(code: &str, value: Option<f64>, text: Option<&str>, at: i64) -> Observation {
        Observation {
            code: code.into(),
            display: String::new(),
            status: ObservationStatus::Final,
            category: vec![ObsCategory::VitalSigns],
            value: match (value, text) {
                (Some(v), _) => Some(ObsValue::Quantity {
                    value: v,
                    unit: String::new(),
                }),
                (None, Some(t)) => Some(ObsValue::Text { text: t.into() }),
                (None, None) => None,
            },
            data_absent: None,
            components: vec![],
            reference_low: None,
            reference_high: None,
            effective_at: at,
            interpretation: None,
        }
    }

    fn patient(sex: iris_record::Sex, birth: &str) -> PatientRecord {
        PatientRecord {
            family: "X".into(),
            given: vec![],
            birth_date: birth.into(),
            sex,
            mrn: "M1".into(),
            address: None,
            phone: None,
            email: None,
            pregnancy: None,
        }
    }

    /// The demo's unwell patient: RR 24 (2), SpO2 92 on scale 1 (2), oxygen (2), SBP 98 (2),
    /// HR 118 (2), alert (0), 38.7 °C (1) = NEWS2 11, "high" (RCP 2017 chart 1); qSOFA RR ≥ 22
    /// and SBP ≤ 100 = 2 (Sepsis-3).
    #[test]
    fn early_warning_scores_the_newest_set_and_never_uses_stale_vitals() {
        let t = 1_795_000_000_000;
        let today = Date::from_unix_ms(t);
        // 70 years old on that day.
        let patient = patient(iris_record::Sex::Male, "1956-01-01");
        let mut obs = vec![
            obs(loinc::RESPIRATORY_RATE, Some(24.0), None, t),
            obs(loinc::SPO2, Some(92.0), None, t),
            obs(loinc::OXYGEN_FLOW, Some(2.0), None, t),
            obs(loinc::SYSTOLIC_BP, Some(98.0), None, t),
            obs(loinc::HEART_RATE, Some(118.0), None, t),
            obs(loinc::RESPONSIVENESS, None, Some("A"), t - 10 * 60_000),
            obs(loinc::BODY_TEMPERATURE, Some(38.7), None, t),
            // Last month's normal temperature does not matter.
            obs(
                loinc::BODY_TEMPERATURE,
                Some(36.8),
                None,
                t - 30 * 86_400_000,
            ),
        ];
        let ew = early_warning(&measurements(&obs), &patient, today).unwrap();
        assert_eq!(ew.at, t);
        assert_eq!((ew.news2.score, ew.news2.risk), (Some(11.0), Some("high")));
        assert_eq!(ew.qsofa.score, Some(2.0));
        // Without a temperature in the set, NEWS2 is not given (the old one is not used).
        obs.retain(|o| !(o.code == loinc::BODY_TEMPERATURE && o.effective_at == t));
        let ew = early_warning(&measurements(&obs), &patient, today).unwrap();
        assert_eq!(ew.news2.score, None);
        assert_eq!(ew.news2.missing, ["temperature_c"]);
        assert!(early_warning(&[], &patient, today).is_none());
    }

    #[test]
    fn a_blood_pressure_panel_counts_like_two_observations() {
        let t = 1_795_000_000_000;
        let mut panel = obs(loinc::BLOOD_PRESSURE_PANEL, None, None, t);
        for (code, v) in [(loinc::SYSTOLIC_BP, 150.0), (loinc::DIASTOLIC_BP, 95.0)] {
            panel.components.push(iris_record::Component {
                code: code.into(),
                display: String::new(),
                value: Some(ObsValue::Quantity {
                    value: v,
                    unit: "mm[Hg]".into(),
                }),
                data_absent: None,
                reference_low: None,
                reference_high: None,
                interpretation: Some(Interpretation::High),
            });
        }
        let chart = vec![panel, obs(loinc::HEART_RATE, Some(70.0), None, t - 1)];
        let latest: Vec<&str> = latest_vitals(&chart).iter().map(|m| m.code).collect();
        assert_eq!(
            latest,
            [loinc::SYSTOLIC_BP, loinc::DIASTOLIC_BP, loinc::HEART_RATE]
        );
        let ms = measurements(&chart);
        let bp = panels(&ms, &patient(iris_record::Sex::Male, "1960-05-05"))
            .into_iter()
            .find(|p| p.panel.key == "bp")
            .unwrap();
        assert_eq!(bp.series[0].points.len(), 1);
        assert!(bp.series[1].points[0].abnormal);
    }

    const NOW: i64 = 1_795_000_000_000; // 2026-11-18

    fn lab(code: &str, value: f64, at: i64) -> Observation {
        Observation {
            category: vec![ObsCategory::Laboratory],
            ..obs(code, Some(value), None, at)
        }
    }

    fn woman() -> PatientRecord {
        patient(iris_record::Sex::Female, "1976-06-01")
    }

    #[test]
    fn egfr_is_calculated_from_creatinine_at_the_age_of_each_sample() {
        // 2026-11-18: she is 50; CKD-EPI 2021, female, 50 y, Scr 1.0 → 68.6 (the table in
        // egfr.rs). A year earlier she was 49 and Scr 1.5 → lower, and below 60: abnormal.
        let year = 365 * DAY;
        let o = [
            lab(loinc::CREATININE, 1.0, NOW),
            lab(loinc::CREATININE, 1.5, NOW - year),
        ];
        let s = egfr_series(&measurements(&o), &woman());
        assert!(s.calculated);
        assert_eq!(s.points.len(), 2);
        assert_eq!(s.points[0].at, NOW - year, "oldest first");
        let want_then = crate::ckd_epi_2021(1.5, 49.0, Sex::Female).unwrap();
        assert!((s.points[0].value - want_then).abs() < 1e-9);
        assert!(s.points[0].abnormal);
        assert_eq!(s.points[1].value.round(), 69.0);
        assert!(!s.points[1].abnormal);
        // The renal checks use the newest.
        assert_eq!(
            latest_egfr(&measurements(&o), &woman()),
            Some(s.points[1].value)
        );
    }

    #[test]
    fn reported_egfr_wins_and_unknown_sex_calculates_nothing() {
        let o = [
            lab(loinc::CREATININE, 1.0, NOW),
            lab(loinc::EGFR_MDRD, 55.0, NOW),
        ];
        let s = egfr_series(&measurements(&o), &woman());
        assert!(!s.calculated);
        assert_eq!(
            (s.points.len(), s.points[0].value, s.points[0].abnormal),
            (1, 55.0, true)
        );
        let unknown = patient(iris_record::Sex::Unknown, "1976-06-01");
        let cr = [lab(loinc::CREATININE, 1.0, NOW)];
        assert!(egfr_series(&measurements(&cr), &unknown).points.is_empty());
        let child = patient(iris_record::Sex::Male, "2015-01-01");
        let cr = [lab(loinc::CREATININE, 0.5, NOW)];
        assert!(
            egfr_series(&measurements(&cr), &child).points.is_empty(),
            "CKD-EPI is for adults"
        );
    }
}
