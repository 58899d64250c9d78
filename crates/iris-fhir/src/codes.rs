//! Code systems: canonical URIs and the syntactic checks applied to codes (shape and check
//! digits only; whether a code exists in its code system is not checked here).

pub const LOINC: &str = "http://loinc.org";
pub const SNOMED: &str = "http://snomed.info/sct";
pub const ICD10CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
pub const RXNORM: &str = "http://www.nlm.nih.gov/research/umls/rxnorm";
pub const CVX: &str = "http://hl7.org/fhir/sid/cvx";
pub const CPT: &str = "http://www.ama-assn.org/go/cpt";
pub const UCUM: &str = "http://unitsofmeasure.org";
pub const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
pub const OBSERVATION_INTERPRETATION: &str =
    "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
pub const CONDITION_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/condition-clinical";
pub const CONDITION_VERIFICATION: &str =
    "http://terminology.hl7.org/CodeSystem/condition-ver-status";
pub const ALLERGY_CLINICAL: &str =
    "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
pub const ALLERGY_VERIFICATION: &str =
    "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";
pub const V3_ACT_CODE: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
pub const V3_MARITAL_STATUS: &str = "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus";
pub const V2_IDENTIFIER_TYPE: &str = "http://terminology.hl7.org/CodeSystem/v2-0203";
pub const US_SSN: &str = "http://hl7.org/fhir/sid/us-ssn";

pub use iris_codes::{
    cpt_valid, cvx_valid, icd10cm_valid, loinc_valid, rxnorm_valid, snomed_valid,
};

/// A FHIR resource id: `[A-Za-z0-9\-\.]{1,64}`.
pub fn id_valid(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// A resource type name as FHIR spells them: `[A-Z][A-Za-z]{0,63}`.
pub fn resource_type_valid(t: &str) -> bool {
    let b = t.as_bytes();
    (1..=64).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b.iter().all(u8::is_ascii_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn others() {
        assert!(rxnorm_valid("860975") && !rxnorm_valid("123456789") && !rxnorm_valid(""));
        assert!(cvx_valid("08") && cvx_valid("208") && !cvx_valid("1234") && !cvx_valid("a"));
        assert!(cpt_valid("99213") && cpt_valid("0001F") && !cpt_valid("9921"));
        assert!(id_valid("a-b.C1") && !id_valid("a b") && !id_valid(&"x".repeat(65)));
        assert!(resource_type_valid("Patient") && !resource_type_valid("patient"));
    }
}
