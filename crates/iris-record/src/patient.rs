//! The identifying record of a patient (FHIR R4 `Patient` fields) and its validation.
//!
//! Validation rules (field → rule code in `ApiError.fields`):
//! - `family`: 1–100 characters, required → `required`, `max_length_100`
//! - `given`: 0–5 names of 1–100 characters → `max_items_5`, `max_length_100`, `empty`
//! - `birth_date`: `YYYY-MM-DD`, a real date, not before 1900-01-01, not after today → `date_format`,
//!   `not_before_1900`, `not_in_future`
//! - `sex`, `pregnancy`: closed lists ([`Sex`], [`Pregnancy`]); text that is none of their codes
//!   is refused where it is parsed, with the rule `code`
//! - `mrn`: 1–64 of `A-Z a-z 0-9 - . _` (Synthea's MRNs are UUIDs, 36 characters) →
//!   `mrn_format`
//! - `phone`: 7–15 digits, optionally with `+ ( ) - .` and spaces → `phone_format`
//! - `email`: `local@domain.tld`, at most 254 characters → `email_format`
//! - `address.*`: each line at most 200 characters, at most 3 lines → `max_length_200`, `max_items_3`

use crate::calendar::Date;
use crate::closed::{Pregnancy, Sex};
use crate::field::FieldError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub lines: Vec<String>,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub country: String,
}

/// The identifying record of a patient. Not `Serialize`: the vault seals it field by field, and
/// it crosses the boundary only as a DTO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientRecord {
    pub family: String,
    pub given: Vec<String>,
    pub birth_date: String,
    pub sex: Sex,
    pub mrn: String,
    pub address: Option<Address>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub pregnancy: Option<Pregnancy>,
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// All field errors at once, so a form can mark every bad field in one round trip.
impl PatientRecord {
    pub fn validate(&self, today: Date) -> Result<(), Vec<FieldError>> {
        validate(self, today)
    }
}

fn validate(p: &PatientRecord, today: Date) -> Result<(), Vec<FieldError>> {
    let mut errs = Vec::new();
    let mut err = |f: &str, r: &str| errs.push(FieldError::new(f, r));
    if p.family.trim().is_empty() {
        err("family", "required");
    } else if chars(&p.family) > 100 {
        err("family", "max_length_100");
    }
    if p.given.len() > 5 {
        err("given", "max_items_5");
    }
    for g in &p.given {
        if g.trim().is_empty() {
            err("given", "empty");
        } else if chars(g) > 100 {
            err("given", "max_length_100");
        }
    }
    match Date::parse(&p.birth_date) {
        None => err("birth_date", "date_format"),
        Some(d) if d > today => err("birth_date", "not_in_future"),
        Some(d) if d.year < 1900 => err("birth_date", "not_before_1900"),
        Some(_) => {}
    }
    let mrn_ok = (1..=64).contains(&p.mrn.len())
        && p.mrn
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b));
    if !mrn_ok {
        err("mrn", "mrn_format");
    }
    if let Some(phone) = &p.phone {
        let digits = phone.bytes().filter(u8::is_ascii_digit).count();
        let ok = (7..=15).contains(&digits)
            && chars(phone) <= 25
            && phone
                .chars()
                .all(|c| c.is_ascii_digit() || "+()-. ".contains(c));
        if !ok {
            err("phone", "phone_format");
        }
    }
    if let Some(email) = &p.email {
        let ok = email.len() <= 254
            && !email.chars().any(char::is_whitespace)
            && matches!(email.split_once('@'), Some((l, d)) if !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.') && !d.contains('@'));
        if !ok {
            err("email", "email_format");
        }
    }
    if let Some(a) = &p.address {
        if a.lines.len() > 3 {
            err("address.lines", "max_items_3");
        }
        for (field, v) in a.lines.iter().map(|l| ("address.lines", l)).chain([
            ("address.city", &a.city),
            ("address.state", &a.state),
            ("address.postal_code", &a.postal_code),
            ("address.country", &a.country),
        ]) {
            if chars(v) > 200 {
                err(field, "max_length_200");
            }
        }
    }
    if errs.is_empty() { Ok(()) } else { Err(errs) }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample() -> PatientRecord {
        PatientRecord {
            family: "Smith".into(),
            given: vec!["Ana".into(), "María".into()],
            birth_date: "1980-04-12".into(),
            sex: Sex::Female,
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
            pregnancy: Some(Pregnancy::NotPregnant),
        }
    }

    fn today() -> Date {
        Date::parse("2026-11-24").unwrap()
    }

    fn fields(p: &PatientRecord) -> Vec<(String, String)> {
        match p.validate(today()) {
            Ok(()) => vec![],
            Err(f) => f.into_iter().map(|f| (f.field, f.rule)).collect(),
        }
    }

    #[test]
    fn a_complete_record_validates() {
        assert_eq!(fields(&sample()), vec![]);
        // Synthea writes the patient's UUID as its MRN.
        let mut p = sample();
        p.mrn = "b3f0e6c2-6f1e-4c8e-9a57-0f6a1c2d3e4f".into();
        assert_eq!(fields(&p), vec![]);
    }

    #[test]
    fn each_bad_field_is_reported_with_its_rule_and_never_its_value() {
        type Case = (fn(&mut PatientRecord), &'static str, &'static str);
        let cases: Vec<Case> = vec![
            (|p| p.family = " ".into(), "family", "required"),
            (|p| p.family = "x".repeat(101), "family", "max_length_100"),
            (|p| p.given = vec!["a".into(); 6], "given", "max_items_5"),
            (
                |p| p.birth_date = "2026-11-25".into(),
                "birth_date",
                "not_in_future",
            ),
            (
                |p| p.birth_date = "1899-12-31".into(),
                "birth_date",
                "not_before_1900",
            ),
            (
                |p| p.birth_date = "12/04/1980".into(),
                "birth_date",
                "date_format",
            ),
            (
                |p| p.birth_date = "1981-02-29".into(),
                "birth_date",
                "date_format",
            ),
            (|p| p.mrn = "MRN 42".into(), "mrn", "mrn_format"),
            (|p| p.mrn = String::new(), "mrn", "mrn_format"),
            (|p| p.mrn = "M".repeat(65), "mrn", "mrn_format"),
            (|p| p.phone = Some("555".into()), "phone", "phone_format"),
            (
                |p| p.phone = Some("call me maybe 5550199".into()),
                "phone",
                "phone_format",
            ),
            (
                |p| p.email = Some("ana at example".into()),
                "email",
                "email_format",
            ),
            (
                |p| p.email = Some("ana@example".into()),
                "email",
                "email_format",
            ),
            (
                |p| p.address.as_mut().unwrap().city = "c".repeat(201),
                "address.city",
                "max_length_200",
            ),
        ];
        for (edit, field, rule) in cases {
            let mut p = sample();
            edit(&mut p);
            assert_eq!(
                fields(&p),
                vec![(field.to_string(), rule.to_string())],
                "{field} {rule}"
            );
        }
        // Today itself is a valid birth date (a newborn).
        let mut p = sample();
        p.birth_date = "2026-11-24".into();
        assert_eq!(fields(&p), vec![]);
    }
}
