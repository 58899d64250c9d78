//! Patients in the vault: sealed column by column, findable through keyed blind indexes
//! (the record and its validation are `iris_record::patient`).
//!
//! Blind indexes (HMAC-SHA256 under a key derived from the data key): the normalized MRN
//! (upper case, no dashes), the birth date, every name token, and every prefix of at least
//! two characters of every name token. Normalization lowercases and folds common Latin accents.
//! What this reveals to someone holding the file but not the key: how many index tokens a
//! patient has and which patients share a token, not the tokens themselves.

use std::collections::BTreeSet;

use crate::error::VaultError;
use crate::{Date, PatientRecord};

/// Lowercase, common Latin accents folded, everything but letters and digits a separator.
pub fn normalize_tokens(s: &str) -> Vec<String> {
    let folded: String = s
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            c => c,
        })
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

pub fn normalize_mrn(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Minimum characters of a name prefix that is indexed and searchable.
pub const MIN_PREFIX: usize = 2;

/// The (kind, normalized value) pairs indexed for a patient.
pub fn index_terms(p: &PatientRecord) -> BTreeSet<(&'static str, String)> {
    let mut out = BTreeSet::new();
    out.insert(("mrn", normalize_mrn(&p.mrn)));
    out.insert(("dob", p.birth_date.clone()));
    let names = std::iter::once(p.family.as_str()).chain(p.given.iter().map(String::as_str));
    for token in names.flat_map(normalize_tokens) {
        let cs: Vec<char> = token.chars().collect();
        for n in MIN_PREFIX.min(cs.len())..=cs.len() {
            out.insert(("name-prefix", cs[..n].iter().collect()));
        }
    }
    out
}

/// What a search text asks for: a birth date, an MRN and/or name prefixes (all must match).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms {
    pub dob: Option<String>,
    pub mrn: Option<String>,
    pub name_prefixes: Vec<String>,
}

pub fn search_terms(query: &str) -> Result<SearchTerms, VaultError> {
    let q = query.trim();
    if q.is_empty() || q.chars().count() > 100 {
        return Err(VaultError::invalid("query", "length_1_100"));
    }
    if Date::parse(q).is_some() {
        return Ok(SearchTerms {
            dob: Some(q.to_string()),
            mrn: None,
            name_prefixes: vec![],
        });
    }
    let tokens = normalize_tokens(q);
    if tokens.iter().all(|t| t.chars().count() < MIN_PREFIX) {
        return Err(VaultError::invalid("query", "min_prefix_2"));
    }
    let mrn = normalize_mrn(q);
    Ok(SearchTerms {
        dob: None,
        // One word with a digit may be an MRN; it is also tried as a name.
        mrn: (!q.contains(char::is_whitespace) && mrn.bytes().any(|b| b.is_ascii_digit()))
            .then_some(mrn),
        name_prefixes: tokens
            .into_iter()
            .filter(|t| t.chars().count() >= MIN_PREFIX)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use iris_record::{Address, PatientRecord};

    pub(crate) fn sample() -> PatientRecord {
        PatientRecord {
            family: "Smith".into(),
            given: vec!["Ana".into(), "María".into()],
            birth_date: "1980-04-12".into(),
            sex: "female".into(),
            mrn: "MRN-0042".into(),
            address: Some(Address {
                lines: vec!["12 Elm St".into()],
                city: "Boston".into(),
                state: "MA".into(),
                postal_code: "02118".into(),
                country: "US".into(),
            }),
            phone: Some("+1 (617) 555-0199".into()),
            email: Some("ana.smith@example.org".into()),
            pregnancy: Some("not-pregnant".into()),
        }
    }

    #[test]
    fn names_index_their_prefixes_with_accents_folded() {
        let t = index_terms(&sample());
        for prefix in ["sm", "smi", "smith", "an", "ana", "ma", "mar", "maria"] {
            assert!(t.contains(&("name-prefix", prefix.to_string())), "{prefix}");
        }
        assert!(!t.contains(&("name-prefix", "s".to_string())));
        assert!(t.contains(&("mrn", "MRN0042".to_string())));
        assert!(t.contains(&("dob", "1980-04-12".to_string())));
    }

    #[test]
    fn search_text_becomes_terms() {
        assert_eq!(
            search_terms("Smi ana").unwrap().name_prefixes,
            vec!["smi".to_string(), "ana".to_string()]
        );
        assert_eq!(
            search_terms("1980-04-12").unwrap().dob.as_deref(),
            Some("1980-04-12")
        );
        assert_eq!(
            search_terms("mrn-0042").unwrap().mrn.as_deref(),
            Some("MRN0042")
        );
        assert!(search_terms("s").is_err());
        assert!(search_terms("  ").is_err());
    }
}
