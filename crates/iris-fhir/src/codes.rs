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

/// LOINC `^\d{1,7}-\d$` whose last digit is the mod-10 (Luhn) check digit of the number part.
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
    // Luhn: from the right, double the 1st, 3rd, … digit and add the digits of each product.
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
    (10 - sum % 10) % 10 == u32::from(check.as_bytes()[0] - b'0')
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

/// SNOMED CT identifier: 6–18 digits, no leading zero, valid Verhoeff check digit.
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

/// ICD-10-CM shape `^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$`.
pub fn icd10cm_valid(code: &str) -> bool {
    let b = code.as_bytes();
    if b.len() < 3
        || !b[0].is_ascii_uppercase()
        || !b[1].is_ascii_digit()
        || !(b[2].is_ascii_digit() || b[2].is_ascii_uppercase())
    {
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

/// RxNorm RxCUI: 1–8 digits.
pub fn rxnorm_valid(code: &str) -> bool {
    all_digits(code, 1..=8)
}

/// CVX vaccine code: 1–3 digits (leading zeros as written, e.g. `08`).
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
    fn loinc() {
        for ok in [
            "8480-6", "8462-4", "85354-9", "4548-4", "2345-7", "1558-6", "18262-6", "2160-0",
            "2093-3", "29463-7", "8302-2", "39156-5", "8867-4", "9279-1", "8310-5", "59408-5",
            "72166-2", "12345-5",
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
    fn icd10cm() {
        for ok in [
            "E11.9", "I10", "E78.5", "J45.909", "S72.001A", "U07.1", "Z00.00",
        ] {
            assert!(icd10cm_valid(ok), "{ok}");
        }
        for bad in [
            "e11.9",
            "E1",
            "E11.",
            "E11.12345",
            "EE1.9",
            "E119.",
            "E11-9",
            "",
        ] {
            assert!(!icd10cm_valid(bad), "{bad}");
        }
    }

    #[test]
    fn others() {
        assert!(rxnorm_valid("860975") && !rxnorm_valid("123456789") && !rxnorm_valid(""));
        assert!(cvx_valid("08") && cvx_valid("208") && !cvx_valid("1234") && !cvx_valid("a"));
        assert!(cpt_valid("99213") && cpt_valid("0001F") && !cpt_valid("9921"));
        assert!(id_valid("a-b.C1") && !id_valid("a b") && !id_valid(&"x".repeat(65)));
        assert!(resource_type_valid("Patient") && !resource_type_valid("patient"));
    }
}
