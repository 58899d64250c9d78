//! Morse Fall Scale.
//!
//! Source of the items and points: Morse JM, Morse RM, Tylko SJ. Development of a scale to
//! identify the fall-prone patient. Can J Aging 1989;8(4):366–377; scoring instructions as
//! published in Morse JM, Preventing Patient Falls, 2nd ed., Springer 2009.
//!
//! | Item (JSON name) | Values (JSON) | Points |
//! |---|---|---|
//! | `history_of_falling` (this admission or in the previous 3 months) | `false` / `true` | 0 / 25 |
//! | `secondary_diagnosis` (more than one medical diagnosis) | `false` / `true` | 0 / 15 |
//! | `ambulatory_aid` | `"none"`, `"bed_rest"`, `"nurse_assist"`, `"wheelchair"` / `"crutches_cane_walker"` / `"furniture"` | 0 / 15 / 30 |
//! | `iv_or_heparin_lock` (intravenous therapy or a saline/heparin lock) | `false` / `true` | 0 / 20 |
//! | `gait` | `"normal"`, `"bed_rest"`, `"immobile"`, `"wheelchair"` / `"weak"` / `"impaired"` | 0 / 10 / 20 |
//! | `mental_status` | `"oriented_to_own_ability"` / `"overestimates_or_forgets_limitations"` | 0 / 15 |
//!
//! Total 0–125. Risk levels: 0–24 `"low"`, 25–44 `"moderate"`, ≥ 45 `"high"`. The cut-off of
//! 45 is the one used in the 1989 derivation study (sensitivity 78 %, specificity 83 %);
//! the 25 boundary is the three-level convention widely used in hospital protocols. Morse's
//! own guidance (Preventing Patient Falls) is that cut-offs should be calibrated to each
//! setting (her book's example uses 0–24 / 25–50 / ≥ 51), which a note says.

use super::{Collector, Inputs};
use crate::Score;

/// Morse item 3, ambulatory aid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmbulatoryAid {
    /// None, bed rest, nurse assist or wheelchair: 0 points.
    NoneBedRestNurseAssist,
    /// Crutches, cane or walker: 15 points.
    CrutchesCaneWalker,
    /// Clutches furniture for support: 30 points.
    Furniture,
}

impl AmbulatoryAid {
    /// `"none"`, `"bed_rest"`, `"nurse_assist"`, `"wheelchair"` → 0 points;
    /// `"crutches_cane_walker"`, `"crutches"`, `"cane"`, `"walker"` → 15; `"furniture"` → 30.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "none" | "bed_rest" | "nurse_assist" | "wheelchair" => {
                Some(Self::NoneBedRestNurseAssist)
            }
            "crutches_cane_walker" | "crutches" | "cane" | "walker" => {
                Some(Self::CrutchesCaneWalker)
            }
            "furniture" => Some(Self::Furniture),
            _ => None,
        }
    }

    pub fn points(self) -> f64 {
        match self {
            Self::NoneBedRestNurseAssist => 0.0,
            Self::CrutchesCaneWalker => 15.0,
            Self::Furniture => 30.0,
        }
    }
}

/// Morse item 5, gait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gait {
    /// Normal, bed rest, immobile or wheelchair: 0 points.
    NormalBedRestImmobile,
    /// Weak (stooped but able to lift the head; short steps): 10 points.
    Weak,
    /// Impaired (difficulty rising, head down, short shuffling steps): 20 points.
    Impaired,
}

impl Gait {
    /// `"normal"`, `"bed_rest"`, `"immobile"`, `"wheelchair"` → 0; `"weak"` → 10;
    /// `"impaired"` → 20.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "normal" | "bed_rest" | "immobile" | "wheelchair" => Some(Self::NormalBedRestImmobile),
            "weak" => Some(Self::Weak),
            "impaired" => Some(Self::Impaired),
            _ => None,
        }
    }

    pub fn points(self) -> f64 {
        match self {
            Self::NormalBedRestImmobile => 0.0,
            Self::Weak => 10.0,
            Self::Impaired => 20.0,
        }
    }
}

/// Morse item 6, mental status (the patient's own assessment of ability to ambulate compared
/// with the nurse's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentalStatus {
    /// Oriented to own ability: 0 points.
    OrientedToOwnAbility,
    /// Overestimates or forgets limitations: 15 points.
    OverestimatesOrForgetsLimitations,
}

impl MentalStatus {
    /// `"oriented_to_own_ability"` → 0; `"overestimates_or_forgets_limitations"`,
    /// `"overestimates"`, `"forgets_limitations"` → 15.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "oriented_to_own_ability" => Some(Self::OrientedToOwnAbility),
            "overestimates_or_forgets_limitations" | "overestimates" | "forgets_limitations" => {
                Some(Self::OverestimatesOrForgetsLimitations)
            }
            _ => None,
        }
    }

    pub fn points(self) -> f64 {
        match self {
            Self::OrientedToOwnAbility => 0.0,
            Self::OverestimatesOrForgetsLimitations => 15.0,
        }
    }
}

/// The six Morse items; all are required (a JSON layer must reject an absent item rather than
/// default it). Points per item in the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MorseInput {
    /// Fell during this admission or in the previous 3 months: 25 points.
    pub history_of_falling: bool,
    /// More than one medical diagnosis: 15 points.
    pub secondary_diagnosis: bool,
    pub ambulatory_aid: AmbulatoryAid,
    /// Intravenous therapy or a saline/heparin lock in place: 20 points.
    pub iv_or_heparin_lock: bool,
    pub gait: Gait,
    pub mental_status: MentalStatus,
}

/// Morse Fall Scale: 0–125; risk 0–24 low, 25–44 moderate, ≥ 45 high.
pub fn morse(inputs: &Inputs) -> Score {
    let mut c = Collector::new();
    if let Some(m) = c.required("morse", inputs.morse) {
        let yes = |b: bool, p: f64| if b { p } else { 0.0 };
        c.part("history_of_falling", yes(m.history_of_falling, 25.0));
        c.part("secondary_diagnosis", yes(m.secondary_diagnosis, 15.0));
        c.part("ambulatory_aid", m.ambulatory_aid.points());
        c.part("iv_or_heparin_lock", yes(m.iv_or_heparin_lock, 20.0));
        c.part("gait", m.gait.points());
        c.part("mental_status", m.mental_status.points());
        c.note("risk cut-offs (25, 45) are the common convention; Morse advises calibrating them to each setting");
    }
    c.finish_points("Morse", |_, total| {
        if total >= 45.0 {
            "high"
        } else if total >= 25.0 {
            "moderate"
        } else {
            "low"
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZERO: MorseInput = MorseInput {
        history_of_falling: false,
        secondary_diagnosis: false,
        ambulatory_aid: AmbulatoryAid::NoneBedRestNurseAssist,
        iv_or_heparin_lock: false,
        gait: Gait::NormalBedRestImmobile,
        mental_status: MentalStatus::OrientedToOwnAbility,
    };

    fn score(m: MorseInput) -> Score {
        morse(&Inputs {
            morse: Some(m),
            ..Inputs::default()
        })
    }

    /// Morse et al. 1989 item points, one item at a time: (input, item, points).
    #[test]
    fn item_points() {
        let rows = [
            (
                MorseInput {
                    history_of_falling: true,
                    ..ZERO
                },
                "history_of_falling",
                25.0,
            ),
            (
                MorseInput {
                    secondary_diagnosis: true,
                    ..ZERO
                },
                "secondary_diagnosis",
                15.0,
            ),
            (
                MorseInput {
                    ambulatory_aid: AmbulatoryAid::CrutchesCaneWalker,
                    ..ZERO
                },
                "ambulatory_aid",
                15.0,
            ),
            (
                MorseInput {
                    ambulatory_aid: AmbulatoryAid::Furniture,
                    ..ZERO
                },
                "ambulatory_aid",
                30.0,
            ),
            (
                MorseInput {
                    iv_or_heparin_lock: true,
                    ..ZERO
                },
                "iv_or_heparin_lock",
                20.0,
            ),
            (
                MorseInput {
                    gait: Gait::Weak,
                    ..ZERO
                },
                "gait",
                10.0,
            ),
            (
                MorseInput {
                    gait: Gait::Impaired,
                    ..ZERO
                },
                "gait",
                20.0,
            ),
            (
                MorseInput {
                    mental_status: MentalStatus::OverestimatesOrForgetsLimitations,
                    ..ZERO
                },
                "mental_status",
                15.0,
            ),
        ];
        for (m, item, points) in rows {
            let s = score(m);
            assert_eq!(s.score, Some(points), "{item}");
            assert_eq!(
                s.parts.iter().find(|p| p.0 == item).map(|p| p.1),
                Some(points)
            );
        }
        let s = score(ZERO);
        assert_eq!((s.score, s.risk), (Some(0.0), Some("low")));
        assert_eq!(s.parts.len(), 6);
    }

    /// Risk bands 0–24 low | 25–44 moderate | ≥ 45 high, at and beside each boundary.
    #[test]
    fn risk_bands() {
        let rows = [
            // 20
            (
                MorseInput {
                    gait: Gait::Impaired,
                    ..ZERO
                },
                20.0,
                "low",
            ),
            // 15 + 10 = 25
            (
                MorseInput {
                    secondary_diagnosis: true,
                    gait: Gait::Weak,
                    ..ZERO
                },
                25.0,
                "moderate",
            ),
            // 25 + 15 = 40
            (
                MorseInput {
                    history_of_falling: true,
                    secondary_diagnosis: true,
                    ..ZERO
                },
                40.0,
                "moderate",
            ),
            // 15 + 20 + 10 = 45
            (
                MorseInput {
                    secondary_diagnosis: true,
                    iv_or_heparin_lock: true,
                    gait: Gait::Weak,
                    ..ZERO
                },
                45.0,
                "high",
            ),
            // 25 + 20 = 45
            (
                MorseInput {
                    history_of_falling: true,
                    iv_or_heparin_lock: true,
                    ..ZERO
                },
                45.0,
                "high",
            ),
            // Maximum 25 + 15 + 30 + 20 + 20 + 15 = 125.
            (
                MorseInput {
                    history_of_falling: true,
                    secondary_diagnosis: true,
                    ambulatory_aid: AmbulatoryAid::Furniture,
                    iv_or_heparin_lock: true,
                    gait: Gait::Impaired,
                    mental_status: MentalStatus::OverestimatesOrForgetsLimitations,
                },
                125.0,
                "high",
            ),
        ];
        for (m, total, risk) in rows {
            let s = score(m);
            assert_eq!((s.score, s.risk), (Some(total), Some(risk)), "{m:?}");
        }
        // No combination of items makes 24 or 44 (all points are multiples of 5), so the
        // boundaries are tested at 20/25 and 40/45.
    }

    #[test]
    fn missing_gives_no_score() {
        let s = morse(&Inputs::default());
        assert_eq!((s.score, s.risk), (None, None));
        assert_eq!(s.missing, ["morse"]);
    }

    #[test]
    fn parses_the_documented_names() {
        for (s, want) in [
            ("none", AmbulatoryAid::NoneBedRestNurseAssist),
            ("bed_rest", AmbulatoryAid::NoneBedRestNurseAssist),
            ("nurse_assist", AmbulatoryAid::NoneBedRestNurseAssist),
            ("wheelchair", AmbulatoryAid::NoneBedRestNurseAssist),
            ("crutches_cane_walker", AmbulatoryAid::CrutchesCaneWalker),
            ("cane", AmbulatoryAid::CrutchesCaneWalker),
            ("furniture", AmbulatoryAid::Furniture),
        ] {
            assert_eq!(AmbulatoryAid::parse(s), Some(want), "{s}");
        }
        for (s, want) in [
            ("normal", Gait::NormalBedRestImmobile),
            ("immobile", Gait::NormalBedRestImmobile),
            ("weak", Gait::Weak),
            ("impaired", Gait::Impaired),
        ] {
            assert_eq!(Gait::parse(s), Some(want), "{s}");
        }
        assert_eq!(
            MentalStatus::parse("oriented_to_own_ability"),
            Some(MentalStatus::OrientedToOwnAbility)
        );
        assert_eq!(
            MentalStatus::parse("overestimates_or_forgets_limitations"),
            Some(MentalStatus::OverestimatesOrForgetsLimitations)
        );
        for bad in ["", "Furniture", "walking stick", "other"] {
            assert_eq!(AmbulatoryAid::parse(bad), None);
            assert_eq!(Gait::parse(bad), None);
            assert_eq!(MentalStatus::parse(bad), None);
        }
    }
}
