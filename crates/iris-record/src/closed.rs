//! The closed code lists of the record model, as enums.
//!
//! Each enum's serde name is the code as FHIR (or Iris) writes it, so a sealed record body keeps
//! the exact strings it held when these fields were `String`s: vaults written before the enums
//! read unchanged. Where a code enters as text (a wire DTO, a FHIR element, a CLI flag), `parse`
//! turns it into the enum or the caller reports the field with the rule `code`.

/// Defines a closed code list: the enum, its codes (`as_str`, `parse`, `ALL`), `Display` and
/// serde as the bare code.
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant ),+
        }

        impl $name {
            /// Every code, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code as written in records and on the wire.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $code ),+
                }
            }

            /// The value for a code (exact match), or `None` when it is not one of [`Self::ALL`].
            pub fn parse(code: &str) -> Option<$name> {
                match code {
                    $( $code => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

code_enum! {
    /// FHIR administrative gender (`Patient.gender`).
    pub enum Sex {
        Male = "male",
        Female = "female",
        Other = "other",
        Unknown = "unknown",
    }
}

code_enum! {
    /// Pregnancy status: the answers of LOINC 82810-3.
    pub enum Pregnancy {
        Pregnant = "pregnant",
        NotPregnant = "not-pregnant",
        Unknown = "unknown",
    }
}

code_enum! {
    /// `Observation.status` (FHIR R4 observation-status, required binding) without
    /// `entered-in-error`, which Iris records as a flag on the row instead.
    pub enum ObservationStatus {
        Registered = "registered",
        Preliminary = "preliminary",
        Final = "final",
        Amended = "amended",
        Corrected = "corrected",
        Cancelled = "cancelled",
        Unknown = "unknown",
    }
}

impl Default for ObservationStatus {
    /// Vitals charted in Iris are final when saved.
    fn default() -> ObservationStatus {
        ObservationStatus::Final
    }
}

code_enum! {
    /// `Observation.category`: the codes of the HL7 observation-category code system (the whole
    /// of R4's preferred value set).
    pub enum ObsCategory {
        VitalSigns = "vital-signs",
        Laboratory = "laboratory",
        Survey = "survey",
        SocialHistory = "social-history",
        Exam = "exam",
        Imaging = "imaging",
        Procedure = "procedure",
        Therapy = "therapy",
        Activity = "activity",
    }
}

code_enum! {
    /// The interpretation flags Iris shows (v3 ObservationInterpretation): normal, low, high,
    /// critically low, critically high, abnormal.
    pub enum Interpretation {
        Normal = "N",
        Low = "L",
        High = "H",
        CriticalLow = "LL",
        CriticalHigh = "HH",
        Abnormal = "A",
    }
}

impl Interpretation {
    /// Whether it flags the value as outside its range.
    pub fn is_abnormal(self) -> bool {
        self != Interpretation::Normal
    }
}

code_enum! {
    /// `Condition.clinicalStatus` (condition-clinical).
    pub enum ClinicalStatus {
        Active = "active",
        Recurrence = "recurrence",
        Relapse = "relapse",
        Inactive = "inactive",
        Remission = "remission",
        Resolved = "resolved",
    }
}

impl ClinicalStatus {
    /// Active, recurrence and relapse are active problems.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            ClinicalStatus::Active | ClinicalStatus::Recurrence | ClinicalStatus::Relapse
        )
    }
}

code_enum! {
    /// `MedicationStatement.status` without `entered-in-error` (a flag on the row in Iris).
    pub enum MedicationStatus {
        Active = "active",
        Completed = "completed",
        Intended = "intended",
        Stopped = "stopped",
        OnHold = "on-hold",
        Unknown = "unknown",
        NotTaken = "not-taken",
    }
}

code_enum! {
    /// Routes of administration Iris distinguishes (each maps to a SNOMED CT route code).
    pub enum Route {
        Oral = "oral",
        Sublingual = "sublingual",
        Intravenous = "intravenous",
        Intramuscular = "intramuscular",
        Subcutaneous = "subcutaneous",
        Inhalation = "inhalation",
        Topical = "topical",
        Transdermal = "transdermal",
        Rectal = "rectal",
        Nasal = "nasal",
        Ophthalmic = "ophthalmic",
        Otic = "otic",
        Other = "other",
    }
}

code_enum! {
    /// `AllergyIntolerance.criticality`.
    pub enum Criticality {
        Low = "low",
        High = "high",
        UnableToAssess = "unable-to-assess",
    }
}

code_enum! {
    /// `Encounter.class` (v3 ActCode): ambulatory, emergency, inpatient, home health.
    pub enum EncounterClass {
        Ambulatory = "AMB",
        Emergency = "EMER",
        Inpatient = "IMP",
        HomeHealth = "HH",
    }
}

code_enum! {
    /// `Encounter.status` as Iris keeps it (arrived, triaged and on leave are in progress).
    pub enum EncounterStatus {
        Planned = "planned",
        InProgress = "in-progress",
        Finished = "finished",
        Cancelled = "cancelled",
    }
}

code_enum! {
    /// `Procedure.status` without `entered-in-error`.
    pub enum ProcedureStatus {
        Preparation = "preparation",
        InProgress = "in-progress",
        NotDone = "not-done",
        OnHold = "on-hold",
        Stopped = "stopped",
        Completed = "completed",
        Unknown = "unknown",
    }
}

code_enum! {
    /// `Immunization.status` without `entered-in-error`.
    pub enum ImmunizationStatus {
        Completed = "completed",
        NotDone = "not-done",
    }
}

code_enum! {
    /// The kinds of clinical note.
    pub enum NoteKind {
        Progress = "progress",
        HistoryAndPhysical = "history-and-physical",
        Discharge = "discharge",
        Consult = "consult",
        Nursing = "nursing",
        Triage = "triage",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_text_and_serde_as_bare_strings() {
        for r in Route::ALL {
            assert_eq!(Route::parse(r.as_str()), Some(*r));
            let json = serde_json::to_string(r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
            assert_eq!(serde_json::from_str::<Route>(&json).unwrap(), *r);
        }
        assert_eq!(Route::parse("by mouth"), None);
        assert_eq!(Route::parse("Oral"), None, "codes are case-sensitive");
        assert!(serde_json::from_str::<Route>("\"by mouth\"").is_err());
        assert_eq!(EncounterClass::Emergency.as_str(), "EMER");
        assert_eq!(MedicationStatus::OnHold.to_string(), "on-hold");
        assert_eq!(ObservationStatus::default(), ObservationStatus::Final);
        assert!(ClinicalStatus::Relapse.is_active() && !ClinicalStatus::Resolved.is_active());
        assert!(!Interpretation::Normal.is_abnormal() && Interpretation::CriticalLow.is_abnormal());
    }
}
