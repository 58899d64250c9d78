//! Clinical code systems: their canonical URIs and the syntactic checks Iris applies to codes
//! wherever they enter (the vault's validation and the FHIR importer use these same functions).
//! Shape and check digits only: whether a code exists in its code system is not checked.

pub const LOINC: &str = "http://loinc.org";
pub const SNOMED: &str = "http://snomed.info/sct";
pub const ICD10CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
pub const RXNORM: &str = "http://www.nlm.nih.gov/research/umls/rxnorm";
pub const CVX: &str = "http://hl7.org/fhir/sid/cvx";
pub const CPT: &str = "http://www.ama-assn.org/go/cpt";

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
