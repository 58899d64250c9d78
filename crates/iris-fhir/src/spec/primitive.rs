//! The FHIR R4 primitive types, checked by hand.
//!
//! Each string check implements the regex that `profiles-types.json` publishes for the type
//! (the compact table keeps them; `tests/spec.rs` holds every function equal to its regex over
//! thousands of generated inputs with the `regex` crate). Two deliberate differences, both
//! required by the prose of the specification (datatypes.html) where the regex is looser:
//!
//! - `date`, `dateTime` and `instant` must be real calendar dates: `2023-02-30` matches the
//!   regex but is refused ("SHALL be valid dates").
//! - `integer` is 32-bit signed, `positiveInt` 1..=2,147,483,647 and `unsignedInt`
//!   0..=2,147,483,647; the regexes have no bound.
//!
//! Numbers and booleans are checked on the JSON value (json.html: integer, positiveInt,
//! unsignedInt and decimal are JSON numbers, boolean is `true`/`false`, everything else a
//! JSON string); a JSON number already has the lexical form of `decimal`, and one with a
//! fraction or exponent is not an `integer` (nor is `-0`, which serde_json reads as a float).

use serde_json::Value;

use super::Rule;
use crate::time::days_in_month;

/// A FHIR R4 primitive type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Primitive {
    Base64Binary,
    Boolean,
    Canonical,
    Code,
    Date,
    DateTime,
    Decimal,
    Id,
    Instant,
    Integer,
    Markdown,
    Oid,
    PositiveInt,
    String,
    Time,
    UnsignedInt,
    Uri,
    Url,
    Uuid,
    Xhtml,
}

impl Primitive {
    /// Every primitive, in the order of [`Primitive::name`].
    pub const ALL: [Primitive; 20] = [
        Primitive::Base64Binary,
        Primitive::Boolean,
        Primitive::Canonical,
        Primitive::Code,
        Primitive::Date,
        Primitive::DateTime,
        Primitive::Decimal,
        Primitive::Id,
        Primitive::Instant,
        Primitive::Integer,
        Primitive::Markdown,
        Primitive::Oid,
        Primitive::PositiveInt,
        Primitive::String,
        Primitive::Time,
        Primitive::UnsignedInt,
        Primitive::Uri,
        Primitive::Url,
        Primitive::Uuid,
        Primitive::Xhtml,
    ];

    /// The type code as FHIR spells it (`dateTime`, `base64Binary`).
    pub fn name(self) -> &'static str {
        match self {
            Primitive::Base64Binary => "base64Binary",
            Primitive::Boolean => "boolean",
            Primitive::Canonical => "canonical",
            Primitive::Code => "code",
            Primitive::Date => "date",
            Primitive::DateTime => "dateTime",
            Primitive::Decimal => "decimal",
            Primitive::Id => "id",
            Primitive::Instant => "instant",
            Primitive::Integer => "integer",
            Primitive::Markdown => "markdown",
            Primitive::Oid => "oid",
            Primitive::PositiveInt => "positiveInt",
            Primitive::String => "string",
            Primitive::Time => "time",
            Primitive::UnsignedInt => "unsignedInt",
            Primitive::Uri => "uri",
            Primitive::Url => "url",
            Primitive::Uuid => "uuid",
            Primitive::Xhtml => "xhtml",
        }
    }

    pub fn from_name(name: &str) -> Option<Primitive> {
        Primitive::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Whether the lexical form `s` is valid for this type (for numbers and booleans: the
    /// text as it would stand in JSON). Empty strings are refused.
    pub fn lexical_ok(self, s: &str) -> bool {
        match self {
            Primitive::Base64Binary => base64_binary(s),
            Primitive::Boolean => s == "true" || s == "false",
            Primitive::Canonical | Primitive::Uri | Primitive::Url => uri(s),
            Primitive::Code => code(s),
            Primitive::Date => date(s),
            Primitive::DateTime => date_time(s),
            Primitive::Decimal => decimal(s),
            Primitive::Id => id(s),
            Primitive::Instant => instant(s),
            Primitive::Integer => integer(s).is_some(),
            Primitive::Markdown | Primitive::String => string(s),
            Primitive::Oid => oid(s),
            Primitive::PositiveInt => integer(s).is_some_and(|n| n >= 1) && !s.starts_with('-'),
            Primitive::Time => time(s),
            Primitive::UnsignedInt => integer(s).is_some_and(|n| n >= 0) && !s.starts_with('-'),
            Primitive::Uuid => uuid(s),
            Primitive::Xhtml => !s.is_empty(),
        }
    }

    /// Checks a JSON value of this type: the JSON type first ([`Rule::WrongType`]), then
    /// emptiness ([`Rule::EmptyElement`]), then the format ([`Rule::PrimitiveFormat`]).
    pub fn check(self, v: &Value) -> Result<(), Rule> {
        match self {
            Primitive::Boolean => match v {
                Value::Bool(_) => Ok(()),
                Value::Null => Err(Rule::EmptyElement),
                _ => Err(Rule::WrongType),
            },
            Primitive::Integer | Primitive::PositiveInt | Primitive::UnsignedInt => match v {
                Value::Number(n) => {
                    let lo = match self {
                        Primitive::Integer => i64::from(i32::MIN),
                        Primitive::PositiveInt => 1,
                        _ => 0,
                    };
                    match n.as_i64() {
                        Some(i) if (lo..=i64::from(i32::MAX)).contains(&i) => Ok(()),
                        _ => Err(Rule::PrimitiveFormat(self)),
                    }
                }
                Value::Null => Err(Rule::EmptyElement),
                _ => Err(Rule::WrongType),
            },
            Primitive::Decimal => match v {
                Value::Number(_) => Ok(()),
                Value::Null => Err(Rule::EmptyElement),
                _ => Err(Rule::WrongType),
            },
            _ => match v {
                Value::String(s) if s.is_empty() => Err(Rule::EmptyElement),
                Value::String(s) if self.lexical_ok(s) => Ok(()),
                Value::String(_) => Err(Rule::PrimitiveFormat(self)),
                Value::Null => Err(Rule::EmptyElement),
                _ => Err(Rule::WrongType),
            },
        }
    }
}

fn is_ws(c: char) -> bool {
    c.is_whitespace()
}

/// `[ \r\n\t\S]+`
fn string(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| matches!(c, ' ' | '\r' | '\n' | '\t') || !is_ws(c))
}

/// `\S*` (`uri`, `url`, `canonical`); the empty string is refused before this.
fn uri(s: &str) -> bool {
    !s.chars().any(is_ws)
}

/// `[^\s]+(\s[^\s]+)*`: no leading, trailing or doubled whitespace.
fn code(s: &str) -> bool {
    let mut prev_ws = true;
    for c in s.chars() {
        let ws = is_ws(c);
        if ws && prev_ws {
            return false;
        }
        prev_ws = ws;
    }
    !prev_ws
}

/// `[A-Za-z0-9\-\.]{1,64}`
fn id(s: &str) -> bool {
    crate::codes::id_valid(s)
}

/// `urn:oid:[0-2](\.(0|[1-9][0-9]*))+`
fn oid(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("urn:oid:") else {
        return false;
    };
    let b = rest.as_bytes();
    if b.len() < 3 || !matches!(b[0], b'0'..=b'2') {
        return false;
    }
    let mut arcs = 0;
    for arc in rest[1..].split('.').skip(1) {
        arcs += 1;
        let ok = arc == "0"
            || (!arc.is_empty()
                && arc.as_bytes()[0] != b'0'
                && arc.bytes().all(|c| c.is_ascii_digit()));
        if !ok {
            return false;
        }
    }
    b[1] == b'.' && arcs >= 1
}

/// `urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
fn uuid(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("urn:uuid:") else {
        return false;
    };
    let b = rest.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(&c),
        })
}

/// `(\s*([0-9a-zA-Z\+/=]){4}\s*)+`: groups of four symbols, whitespace only between groups.
fn base64_binary(s: &str) -> bool {
    let mut symbols = 0usize;
    for c in s.chars() {
        if is_ws(c) {
            if !symbols.is_multiple_of(4) {
                return false;
            }
        } else if c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=' {
            symbols += 1;
        } else {
            return false;
        }
    }
    symbols > 0 && symbols.is_multiple_of(4)
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
fn decimal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int = &b[int_start..i];
    if int.is_empty() || (int.len() > 1 && int[0] == b'0') {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == b.len()
}

/// `-?([0]|([1-9][0-9]*))`, as a 32-bit value.
fn integer(s: &str) -> Option<i64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let b = digits.as_bytes();
    if b.is_empty() || b.len() > 10 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if b.len() > 1 && b[0] == b'0' {
        return None;
    }
    let n: i64 = s.parse().ok()?;
    (i64::from(i32::MIN)..=i64::from(i32::MAX))
        .contains(&n)
        .then_some(n)
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |a, c| a * 10 + u32::from(c - b'0')))
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (year 0001–9999, a real calendar day); the length of
/// the date part consumed, or `None`.
fn date_part(b: &[u8]) -> Option<usize> {
    let year = num(b.get(..4)?)?;
    if year == 0 {
        return None;
    }
    if b.len() == 4 || b[4] != b'-' {
        return Some(4);
    }
    let month = num(b.get(5..7)?)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    if b.len() == 7 || b[7] != b'-' {
        return Some(7);
    }
    let day = num(b.get(8..10)?)?;
    (day >= 1 && day <= days_in_month(i64::from(year), month)).then_some(10)
}

/// `hh:mm:ss(.f+)?` with hh 00–23, mm 00–59, ss 00–60; the length consumed.
fn time_part(b: &[u8]) -> Option<usize> {
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (h, m, s) = (num(&b[0..2])?, num(&b[3..5])?, num(&b[6..8])?);
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    let mut i = 8;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    Some(i)
}

/// `Z` or `(+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)`, the whole rest.
fn zone(b: &[u8]) -> bool {
    match b {
        [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            let (Some(h), Some(m)) = (num(&[*h1, *h2]), num(&[*m1, *m2])) else {
                return false;
            };
            (h <= 13 && m <= 59) || (h == 14 && m == 0)
        }
        _ => false,
    }
}

fn date(s: &str) -> bool {
    date_part(s.as_bytes()) == Some(s.len())
}

fn date_time(s: &str) -> bool {
    let b = s.as_bytes();
    match date_part(b) {
        Some(n) if n == b.len() => true,
        Some(10) if b.get(10) == Some(&b'T') => {
            time_part(&b[11..]).is_some_and(|t| zone(&b[11 + t..]))
        }
        _ => false,
    }
}

fn instant(s: &str) -> bool {
    let b = s.as_bytes();
    date_part(b) == Some(10)
        && b.get(10) == Some(&b'T')
        && time_part(&b[11..]).is_some_and(|t| zone(&b[11 + t..]))
}

fn time(s: &str) -> bool {
    time_part(s.as_bytes()) == Some(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Primitive::ALL {
            assert_eq!(Primitive::from_name(p.name()), Some(p));
        }
    }

    #[test]
    fn dates_are_real_calendar_dates() {
        assert!(date("2024-02-29"));
        assert!(!date("2023-02-29"));
        assert!(!date("0000"));
        assert!(date_time("2024-03-10T08:00:00-05:00"));
        assert!(!date_time("2024-03-10T08:00:00"));
        assert!(instant("2024-03-10T08:00:00.123Z"));
        assert!(!instant("2024-03-10"));
        assert!(time("23:59:60.5"));
    }
}
