//! Estimated glomerular filtration rate by the CKD-EPI 2021 creatinine equation (race-free).
//!
//! Source: Inker LA, Eneanya ND, Coresh J, et al. New Creatinine- and Cystatin C–Based
//! Equations to Estimate GFR without Race. N Engl J Med 2021;385:1737–1749
//! (doi:10.1056/NEJMoa2102953), as adopted by the NKF-ASN Task Force (2021):
//!
//! eGFR = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^Age × 1.012 [if female]
//!
//! with κ = 0.7 (female) or 0.9 (male), α = −0.241 (female) or −0.302 (male), Scr in mg/dL,
//! age in years, result in mL/min/1.73 m². The equation is validated for adults (≥ 18 years).

use crate::Sex;

/// Why no eGFR was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EgfrError {
    /// The equation is for adults; children need the CKiD (bedside Schwartz) equation.
    NotAdult,
    /// Creatinine outside (0, 40] mg/dL is not a measurement.
    ImplausibleCreatinine,
    /// Age outside [0, 130] years.
    ImplausibleAge,
}

/// CKD-EPI 2021 eGFR in mL/min/1.73 m² (not rounded; round to whole numbers for display, as
/// laboratories report it).
pub fn ckd_epi_2021(creatinine_mg_dl: f64, age_years: f64, sex: Sex) -> Result<f64, EgfrError> {
    if !(creatinine_mg_dl > 0.0 && creatinine_mg_dl <= 40.0) {
        return Err(EgfrError::ImplausibleCreatinine);
    }
    if !(0.0..=130.0).contains(&age_years) {
        return Err(EgfrError::ImplausibleAge);
    }
    if age_years < 18.0 {
        return Err(EgfrError::NotAdult);
    }
    let (kappa, alpha, factor) = match sex {
        Sex::Female => (0.7, -0.241, 1.012),
        Sex::Male => (0.9, -0.302, 1.0),
    };
    let ratio = creatinine_mg_dl / kappa;
    Ok(142.0
        * ratio.min(1.0).powf(alpha)
        * ratio.max(1.0).powf(-1.200)
        * 0.9938_f64.powf(age_years)
        * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked values of the published equation (Inker et al., NEJM 2021; the NKF eGFR
    /// calculator reports the same, rounded): (creatinine mg/dL, age, sex, eGFR rounded).
    const TABLE: &[(f64, f64, Sex, f64)] = &[
        (1.0, 50.0, Sex::Female, 69.0),
        (1.0, 50.0, Sex::Male, 92.0),
        // At the knot Scr = κ both branches give 142 × 0.9938^age (× 1.012 if female).
        (0.7, 40.0, Sex::Female, 112.0),
        (0.9, 40.0, Sex::Male, 111.0),
        (0.5, 30.0, Sex::Female, 129.0),
        (2.5, 70.0, Sex::Male, 27.0),
        (1.2, 60.0, Sex::Female, 52.0),
        (4.0, 80.0, Sex::Male, 14.0),
        (0.6, 18.0, Sex::Male, 143.0),
    ];

    #[test]
    fn matches_the_published_equation() {
        for &(scr, age, sex, want) in TABLE {
            let got = ckd_epi_2021(scr, age, sex).unwrap();
            assert_eq!(got.round(), want, "Scr {scr}, age {age}, {sex:?}: {got}");
        }
    }

    #[test]
    fn the_knot_is_continuous() {
        for sex in [Sex::Female, Sex::Male] {
            let k = if sex == Sex::Female { 0.7 } else { 0.9 };
            let below = ckd_epi_2021(k - 1e-9, 55.0, sex).unwrap();
            let at = ckd_epi_2021(k, 55.0, sex).unwrap();
            let above = ckd_epi_2021(k + 1e-9, 55.0, sex).unwrap();
            assert!((below - at).abs() < 1e-6 && (above - at).abs() < 1e-6);
            let female = if sex == Sex::Female { 1.012 } else { 1.0 };
            assert!((at - 142.0 * 0.9938_f64.powf(55.0) * female).abs() < 1e-9);
        }
    }

    #[test]
    fn higher_creatinine_or_age_never_raises_egfr() {
        for sex in [Sex::Female, Sex::Male] {
            let mut last = f64::INFINITY;
            for i in 1..400 {
                let e = ckd_epi_2021(f64::from(i) * 0.05, 60.0, sex).unwrap();
                assert!(e < last);
                last = e;
            }
            let mut last = f64::INFINITY;
            for age in 18..=110 {
                let e = ckd_epi_2021(1.1, f64::from(age), sex).unwrap();
                assert!(e < last);
                last = e;
            }
        }
    }

    #[test]
    fn refuses_children_and_impossible_inputs() {
        assert_eq!(
            ckd_epi_2021(0.5, 17.9, Sex::Female),
            Err(EgfrError::NotAdult)
        );
        assert_eq!(
            ckd_epi_2021(0.0, 40.0, Sex::Male),
            Err(EgfrError::ImplausibleCreatinine)
        );
        assert_eq!(
            ckd_epi_2021(-1.0, 40.0, Sex::Male),
            Err(EgfrError::ImplausibleCreatinine)
        );
        assert_eq!(
            ckd_epi_2021(f64::NAN, 40.0, Sex::Male),
            Err(EgfrError::ImplausibleCreatinine)
        );
        assert_eq!(
            ckd_epi_2021(41.0, 40.0, Sex::Male),
            Err(EgfrError::ImplausibleCreatinine)
        );
        assert_eq!(
            ckd_epi_2021(1.0, 131.0, Sex::Male),
            Err(EgfrError::ImplausibleAge)
        );
        assert_eq!(
            ckd_epi_2021(1.0, f64::NAN, Sex::Male),
            Err(EgfrError::ImplausibleAge)
        );
        assert_eq!(Sex::parse("female"), Some(Sex::Female));
        assert_eq!(Sex::parse("unknown"), None);
    }
}
