//! Clinical code systems: their canonical URIs (one declaration each, used by the vault, the
//! FHIR reader and writer, and decision support), named codes ([`loinc`]), and the syntactic
//! checks Iris applies to codes wherever they enter. Shape and check digits only: whether a
//! code exists in its code system is not checked.

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
pub const DATA_ABSENT_REASON: &str = "http://terminology.hl7.org/CodeSystem/data-absent-reason";

/// LOINC codes Iris gives meaning to (names from the LOINC table's short names). Every use of
/// one of these codes names it here instead of spelling the digits.
pub mod loinc {
    // Vital signs (the FHIR vital-signs profile codes and what NEWS2 reads).
    pub const VITAL_SIGNS_PANEL: &str = "85353-1";
    pub const BLOOD_PRESSURE_PANEL: &str = "85354-9";
    pub const SYSTOLIC_BP: &str = "8480-6";
    pub const DIASTOLIC_BP: &str = "8462-4";
    pub const MEAN_BP: &str = "8478-0";
    pub const HEART_RATE: &str = "8867-4";
    pub const RESPIRATORY_RATE: &str = "9279-1";
    pub const BODY_TEMPERATURE: &str = "8310-5";
    /// Oxygen saturation in arterial blood by pulse oximetry.
    pub const SPO2: &str = "59408-5";
    /// Oxygen saturation in arterial blood.
    pub const SAO2: &str = "2708-6";
    /// Inhaled oxygen flow rate (0 = room air).
    pub const OXYGEN_FLOW: &str = "3151-8";
    /// Level of responsiveness (ACVPU).
    pub const RESPONSIVENESS: &str = "67775-7";
    pub const BODY_WEIGHT: &str = "29463-7";
    pub const BODY_WEIGHT_MEASURED: &str = "3141-9";
    pub const BODY_HEIGHT: &str = "8302-2";
    pub const BMI: &str = "39156-5";
    pub const HEAD_CIRCUMFERENCE: &str = "9843-4";
    pub const HEAD_CIRCUMFERENCE_TAPE: &str = "8287-5";
    // Laboratory.
    pub const GLUCOSE: &str = "2345-7";
    pub const GLUCOSE_FASTING: &str = "1558-6";
    pub const GLUCOSE_BLOOD: &str = "2339-0";
    pub const HBA1C: &str = "4548-4";
    pub const CREATININE: &str = "2160-0";
    pub const CHOLESTEROL_TOTAL: &str = "2093-3";
    pub const HDL: &str = "2085-9";
    /// LDL cholesterol by direct assay.
    pub const LDL_DIRECT: &str = "18262-6";
    /// LDL cholesterol, calculated.
    pub const LDL_CALCULATED: &str = "13457-7";
    pub const LDL: &str = "2089-1";
    pub const TRIGLYCERIDES: &str = "2571-8";
    /// eGFR by CKD-EPI 2021 (race-free).
    pub const EGFR_CKD_EPI_2021: &str = "98979-8";
    /// eGFR by CKD-EPI (2009).
    pub const EGFR_CKD_EPI: &str = "62238-1";
    /// eGFR by MDRD.
    pub const EGFR_MDRD: &str = "33914-3";
    /// eGFR by MDRD among black patients.
    pub const EGFR_MDRD_BLACK: &str = "48643-1";
    // Social history and surveys.
    pub const TOBACCO_SMOKING_STATUS: &str = "72166-2";
    pub const PHQ2_TOTAL: &str = "55758-7";
    /// Pregnancy status (answers: pregnant, not pregnant, unknown).
    pub const PREGNANCY_STATUS: &str = "82810-3";

    /// Every eGFR code a chart may carry, newest equation first.
    pub const EGFR: [&str; 4] = [EGFR_CKD_EPI_2021, EGFR_CKD_EPI, EGFR_MDRD, EGFR_MDRD_BLACK];
    /// Every LDL cholesterol code.
    pub const LDL_ANY: [&str; 3] = [LDL_DIRECT, LDL_CALCULATED, LDL];

    /// The LOINC long common name of a code Iris charts itself (vitals entry), for the record's
    /// display text.
    pub fn display(code: &str) -> Option<&'static str> {
        Some(match code {
            SYSTOLIC_BP => "Systolic blood pressure",
            DIASTOLIC_BP => "Diastolic blood pressure",
            HEART_RATE => "Heart rate",
            RESPIRATORY_RATE => "Respiratory rate",
            SPO2 => "Oxygen saturation in Arterial blood by Pulse oximetry",
            BODY_TEMPERATURE => "Body temperature",
            BODY_WEIGHT => "Body weight",
            BODY_HEIGHT => "Body height",
            BMI => "Body mass index (BMI) [Ratio]",
            GLUCOSE_BLOOD => "Glucose [Mass/volume] in Blood",
            OXYGEN_FLOW => "Inhaled oxygen flow rate",
            RESPONSIVENESS => "Level of responsiveness",
            _ => return None,
        })
    }
}

/// LOINC: 1–7 digits, a dash and the mod-10 (Luhn) check digit LOINC documents.
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

/// ICD-10-CM: a letter, a digit, a digit or A/B (O9A, M1A, C4A), then optionally a dot and 1–4
/// digits or letters. U is the chapter for special purposes (U07.1 COVID-19, U09.9).
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

fn all_digits(code: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())
}

/// RxNorm concept ids (RxCUI): 1–8 digits.
pub fn rxnorm_valid(code: &str) -> bool {
    all_digits(code, 1..=8)
}

/// CVX vaccine codes: 1–3 digits (leading zeros as written, e.g. `08`).
pub fn cvx_valid(code: &str) -> bool {
    all_digits(code, 1..=3)
}

/// CPT: four digits and a digit or capital letter (Category II `F`, III `T`, PLA `U`).
pub fn cpt_valid(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 5
        && b[..4].iter().all(u8::is_ascii_digit)
        && (b[4].is_ascii_digit() || b[4].is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_loinc_code_has_a_valid_check_digit() {
        use super::loinc::*;
        for c in [
            VITAL_SIGNS_PANEL,
            BLOOD_PRESSURE_PANEL,
            SYSTOLIC_BP,
            DIASTOLIC_BP,
            MEAN_BP,
            HEART_RATE,
            RESPIRATORY_RATE,
            BODY_TEMPERATURE,
            SPO2,
            SAO2,
            OXYGEN_FLOW,
            RESPONSIVENESS,
            BODY_WEIGHT,
            BODY_WEIGHT_MEASURED,
            BODY_HEIGHT,
            BMI,
            HEAD_CIRCUMFERENCE,
            HEAD_CIRCUMFERENCE_TAPE,
            GLUCOSE,
            GLUCOSE_FASTING,
            GLUCOSE_BLOOD,
            HBA1C,
            CREATININE,
            CHOLESTEROL_TOTAL,
            HDL,
            LDL_DIRECT,
            LDL_CALCULATED,
            LDL,
            TRIGLYCERIDES,
            EGFR_CKD_EPI_2021,
            EGFR_CKD_EPI,
            EGFR_MDRD,
            EGFR_MDRD_BLACK,
            TOBACCO_SMOKING_STATUS,
            PHQ2_TOTAL,
            PREGNANCY_STATUS,
        ] {
            assert!(loinc_valid(c), "{c}");
        }
    }

    /// LOINC codes from the LOINC table (check digit by the documented mod-10 algorithm).
    #[test]
    fn loinc() {
        for ok in [
            "8480-6", "8462-4", "85354-9", "4548-4", "2345-7", "1558-6", "18262-6", "2160-0",
            "2093-3", "29463-7", "8302-2", "39156-5", "8867-4", "9279-1", "8310-5", "59408-5",
            "3151-8", "67775-7", "98979-8",
        ] {
            assert!(loinc_valid(ok), "{ok}");
        }
        for bad in [
            "8480-5",
            "8480",
            "-6",
            "12345678-0",
            "8480-66",
            "84a0-6",
            "",
            "8480-",
            " 8480-6",
        ] {
            assert!(!loinc_valid(bad), "{bad}");
        }
    }

    /// SNOMED CT concept ids (Verhoeff check digit).
    #[test]
    fn snomed() {
        for ok in [
            "44054006",
            "38341003",
            "55822004",
            "26643006",
            "195967001",
            "428191000124101",
        ] {
            assert!(snomed_valid(ok), "{ok}");
        }
        for bad in ["44054007", "12345", "044054006", "4405400x", ""] {
            assert!(!snomed_valid(bad), "{bad}");
        }
    }

    #[test]
    fn icd10cm_shapes() {
        for ok in [
            "E11.9", "I10", "J45.909", "S72.001A", "O09.A0", "Z00.00", "U07.1", "U09.9", "O9A.1",
            "M1A.0",
        ] {
            assert!(icd10cm_valid(ok), "{ok}");
        }
        for bad in [
            "e11.9",
            "E1",
            "E11.",
            "E11.12345",
            "EE1.1",
            "11.9",
            "E11-9",
            "E1C.1",
        ] {
            assert!(!icd10cm_valid(bad), "{bad}");
        }
    }

    #[test]
    fn digit_codes() {
        assert!(rxnorm_valid("314076") && !rxnorm_valid("123456789") && !rxnorm_valid("3a"));
        assert!(cvx_valid("140") && cvx_valid("08") && !cvx_valid("1400"));
        assert!(
            cpt_valid("99213") && cpt_valid("0001U") && !cpt_valid("9921") && !cpt_valid("99213A")
        );
    }
}
