//! quick Sequential (Sepsis-related) Organ Failure Assessment (qSOFA).
//!
//! Source: Singer M, Deutschman CS, Seymour CW, et al. The Third International Consensus
//! Definitions for Sepsis and Septic Shock (Sepsis-3). JAMA 2016;315(8):801–810 (the qSOFA
//! criteria): respiratory rate ≥ 22/min, altered mentation, systolic blood pressure ≤ 100 mmHg;
//! one point each; 2 or more is positive (adults with suspected infection outside the ICU
//! more likely to have poor outcomes). Altered mentation is "GCS < 15" in the derivation
//! (Seymour et al., JAMA 2016;315:762–774); here it is GCS < 15 when a GCS is given, otherwise
//! an ACVPU other than Alert. The criteria are inequalities and are applied literally
//! (RR 21.5 does not meet "≥ 22").
//!
//! Risk: `"high"` (positive, score ≥ 2) or `"low"` (0–1).

use super::{Avpu, Collector, Inputs, adult_only_note};
use crate::Score;

/// qSOFA (Sepsis-3). Needs respiratory rate, systolic BP, and GCS or consciousness (either
/// one; both are listed in `missing` when neither is given).
pub fn qsofa(inputs: &Inputs) -> Score {
    let mut c = Collector::new();
    if let Some(rr) = c.number("respiratory_rate", inputs.respiratory_rate) {
        c.part("respiratory_rate", if rr >= 22.0 { 1.0 } else { 0.0 });
    }
    match (inputs.gcs, inputs.consciousness) {
        (Some(g), _) if (3..=15).contains(&g) => c.part("gcs", if g < 15 { 1.0 } else { 0.0 }),
        (Some(g), _) => c.reject(
            super::InputError {
                field: "gcs",
                reason: super::GCS_REASON,
            },
            &g.to_string(),
        ),
        (None, Some(a)) => c.part("consciousness", if a == Avpu::Alert { 0.0 } else { 1.0 }),
        (None, None) => {
            c.score.missing.extend(["gcs", "consciousness"]);
            c.note("altered mentation needs either a GCS or an ACVPU level");
        }
    }
    if let Some(sbp) = c.systolic(inputs) {
        c.part("systolic_bp", if sbp <= 100.0 { 1.0 } else { 0.0 });
    }
    adult_only_note(&mut c, inputs, "qSOFA");
    let mut s = c.finish_points(
        "qSOFA",
        |_, total| if total >= 2.0 { "high" } else { "low" },
    );
    if s.score.is_none() && s.parts.iter().map(|p| p.1).sum::<f64>() >= 2.0 {
        s.notes
            .push("qSOFA is already positive (≥ 2) on the inputs given".to_owned());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(rr: f64, gcs: Option<u8>, avpu: Option<Avpu>, sbp: f64) -> Inputs {
        Inputs {
            respiratory_rate: Some(rr),
            gcs,
            consciousness: avpu,
            systolic_bp: Some(sbp),
            ..Inputs::default()
        }
    }

    /// Singer et al., JAMA 2016 (Sepsis-3), qSOFA: RR ≥ 22, altered mentation (GCS < 15),
    /// SBP ≤ 100. Rows: (RR, GCS, ACVPU, SBP, score, risk).
    #[allow(clippy::type_complexity)]
    const TABLE: &[(f64, Option<u8>, Option<Avpu>, f64, f64, &str)] = &[
        (16.0, Some(15), None, 120.0, 0.0, "low"),
        (21.0, Some(15), None, 101.0, 0.0, "low"),
        (21.5, Some(15), None, 100.5, 0.0, "low"),
        (22.0, Some(15), None, 101.0, 1.0, "low"),
        (21.0, Some(14), None, 101.0, 1.0, "low"),
        (21.0, Some(15), None, 100.0, 1.0, "low"),
        (22.0, Some(14), None, 101.0, 2.0, "high"),
        (22.0, Some(15), None, 100.0, 2.0, "high"),
        (21.0, Some(14), None, 100.0, 2.0, "high"),
        (30.0, Some(3), None, 70.0, 3.0, "high"),
        // GCS wins over ACVPU when both are given.
        (16.0, Some(15), Some(Avpu::Confusion), 120.0, 0.0, "low"),
        (16.0, Some(14), Some(Avpu::Alert), 120.0, 1.0, "low"),
        // ACVPU when no GCS: anything but Alert is altered mentation.
        (16.0, None, Some(Avpu::Alert), 120.0, 0.0, "low"),
        (16.0, None, Some(Avpu::Confusion), 120.0, 1.0, "low"),
        (22.0, None, Some(Avpu::Voice), 120.0, 2.0, "high"),
        (22.0, None, Some(Avpu::Pain), 120.0, 2.0, "high"),
        (22.0, None, Some(Avpu::Unresponsive), 120.0, 2.0, "high"),
    ];

    #[test]
    fn matches_sepsis_3() {
        for &(rr, gcs, avpu, sbp, score, risk) in TABLE {
            let s = qsofa(&inputs(rr, gcs, avpu, sbp));
            assert_eq!(s.score, Some(score), "{rr} {gcs:?} {avpu:?} {sbp}: {s:?}");
            assert_eq!(s.risk, Some(risk));
            assert_eq!(s.parts.len(), 3);
        }
    }

    #[test]
    fn missing_inputs_give_no_score() {
        let s = qsofa(&Inputs::default());
        assert_eq!(s.score, None);
        assert_eq!(s.risk, None);
        assert_eq!(
            s.missing,
            ["respiratory_rate", "gcs", "consciousness", "systolic_bp"]
        );

        let s = qsofa(&Inputs {
            respiratory_rate: None,
            ..inputs(0.0, Some(15), None, 120.0)
        });
        assert_eq!(
            (s.score, s.missing.as_slice()),
            (None, ["respiratory_rate"].as_slice())
        );

        // Two criteria already met: still no score, but the note says it is positive.
        let s = qsofa(&Inputs {
            systolic_bp: None,
            ..inputs(25.0, Some(13), None, 0.0)
        });
        assert_eq!(s.score, None);
        assert_eq!(s.missing, ["systolic_bp"]);
        assert!(
            s.notes.iter().any(|n| n.contains("already positive")),
            "{s:?}"
        );
    }

    #[test]
    fn impossible_gcs_is_refused() {
        let s = qsofa(&inputs(16.0, Some(16), None, 120.0));
        assert_eq!(s.score, None);
        assert!(s.notes.iter().any(|n| n.contains("gcs = 16 rejected")));
    }
}
