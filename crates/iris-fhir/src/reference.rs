//! FHIR references (`Reference.reference` strings), parsed into the forms an importer resolves.

use serde::{Deserialize, Serialize};

use crate::codes::{id_valid, resource_type_valid};

/// The patient a resource belongs to: its `subject` reference, else its `patient` one (as
/// AllergyIntolerance and Immunization name it). `None` when it names neither (or is not JSON).
pub fn patient_of(resource_json: &str) -> Option<Reference> {
    let link: crate::model::PatientLink = serde_json::from_str(resource_json).ok()?;
    let r = |f: &crate::model::Field<crate::model::Reference>| {
        f.get()
            .and_then(|r| r.reference.get())
            .map(|s| parse_reference(s))
    };
    r(&link.subject).or_else(|| r(&link.patient))
}

/// A reference as written in the source, classified.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reference {
    /// `urn:uuid:…`: the `fullUrl` of another entry of the same Bundle (the UUID as written).
    Uuid(String),
    /// `Patient/123`, `Patient/123/_history/2`, or an absolute URL ending in `Type/id`.
    Relative { resource_type: String, id: String },
    /// `Patient?identifier=system|value` (a conditional reference in a transaction), or a
    /// logical reference `{"identifier": {...}}` without a `reference` string.
    Conditional {
        resource_type: String,
        system: Option<String>,
        value: String,
    },
    /// `#id`: a contained resource.
    Contained(String),
    /// Anything else (kept as written).
    Other(String),
}

impl Reference {
    /// The reference string this reads back from ([`parse_reference`] of it gives `self`;
    /// an absolute URL becomes its relative `Type/id` form).
    pub fn to_fhir(&self) -> String {
        match self {
            Reference::Uuid(u) => format!("urn:uuid:{u}"),
            Reference::Relative { resource_type, id } => format!("{resource_type}/{id}"),
            Reference::Conditional {
                resource_type,
                system,
                value,
            } => {
                let token = match system {
                    Some(s) => format!("{}|{}", encode(s), encode(value)),
                    None => encode(value),
                };
                format!("{resource_type}?identifier={token}")
            }
            Reference::Contained(id) => format!("#{id}"),
            Reference::Other(s) => s.clone(),
        }
    }

    /// The resource type this reference names, where it names one.
    pub fn resource_type(&self) -> Option<&str> {
        match self {
            Reference::Relative { resource_type, .. }
            | Reference::Conditional { resource_type, .. } => Some(resource_type),
            _ => None,
        }
    }

    /// The key that matches a resource of the same Bundle: the UUID of a `urn:uuid:`
    /// reference, or the id of a relative one.
    pub fn local_id(&self) -> Option<&str> {
        match self {
            Reference::Uuid(u) => Some(u),
            Reference::Relative { id, .. } => Some(id),
            _ => None,
        }
    }
}

/// True for `8-4-4-4-12` hexadecimal.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Classifies a `Reference.reference` string.
pub fn parse_reference(s: &str) -> Reference {
    let other = || Reference::Other(s.to_string());
    if let Some(u) = s.strip_prefix("urn:uuid:") {
        return if is_uuid(u) {
            Reference::Uuid(u.to_string())
        } else {
            other()
        };
    }
    if let Some(id) = s.strip_prefix('#') {
        return if id_valid(id) {
            Reference::Contained(id.to_string())
        } else {
            other()
        };
    }
    if let Some((ty, query)) = s.split_once('?') {
        if !resource_type_valid(ty) {
            return other();
        }
        let Some(raw) = query.split('&').find_map(|p| p.strip_prefix("identifier=")) else {
            return other();
        };
        // `system|value`, the bar written as is or percent-encoded.
        let split = match raw.split_once('|') {
            Some((sys, val)) => decode(sys).zip(decode(val)),
            None => decode(raw).map(|t| match t.split_once('|') {
                Some((sys, val)) => (sys.to_string(), val.to_string()),
                None => (String::new(), t),
            }),
        };
        return match split {
            Some((system, value)) if !value.is_empty() => Reference::Conditional {
                resource_type: ty.to_string(),
                system: (!system.is_empty()).then_some(system),
                value,
            },
            _ => other(),
        };
    }
    let mut parts: Vec<&str> = s.split('/').collect();
    // `Type/id/_history/vid`
    if parts.len() >= 4 && parts[parts.len() - 2] == "_history" {
        parts.truncate(parts.len() - 2);
    }
    if parts.len() >= 2 {
        let (ty, id) = (parts[parts.len() - 2], parts[parts.len() - 1]);
        let absolute = parts.len() > 2;
        let base_ok = !absolute || s.starts_with("http://") || s.starts_with("https://");
        if base_ok && resource_type_valid(ty) && id_valid(id) {
            return Reference::Relative {
                resource_type: ty.to_string(),
                id: id.to_string(),
            };
        }
    }
    other()
}

/// Percent-encodes the characters that would change how a conditional reference splits.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' | '&' | '|' | '#' | '+' | ' ' | '=' | '?' => {
                out.push_str(&format!("%{:02X}", c as u32));
            }
            _ => out.push(c),
        }
    }
    out
}

/// Percent-decoding (`+` stays `+`); `None` for a malformed escape or invalid UTF-8.
fn decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            let h = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies() {
        let u = "0b6b6d4e-4cc2-4d3a-a4a5-0c1d2e3f4a5b";
        assert_eq!(
            parse_reference(&format!("urn:uuid:{u}")),
            Reference::Uuid(u.into())
        );
        let rel = Reference::Relative {
            resource_type: "Patient".into(),
            id: "123".into(),
        };
        assert_eq!(parse_reference("Patient/123"), rel);
        assert_eq!(parse_reference("Patient/123/_history/4"), rel);
        assert_eq!(
            parse_reference("https://ehr.example/fhir/R4/Patient/123"),
            rel
        );
        assert_eq!(
            parse_reference("Patient?identifier=http://hospital.example/mrn|MRN-1"),
            Reference::Conditional {
                resource_type: "Patient".into(),
                system: Some("http://hospital.example/mrn".into()),
                value: "MRN-1".into()
            }
        );
        assert_eq!(
            parse_reference(
                "Practitioner?identifier=http%3A%2F%2Fhl7.org%2Ffhir%2Fsid%2Fus-npi%7C9999"
            ),
            Reference::Conditional {
                resource_type: "Practitioner".into(),
                system: Some("http://hl7.org/fhir/sid/us-npi".into()),
                value: "9999".into()
            }
        );
        assert_eq!(
            parse_reference("Patient?identifier=abc"),
            Reference::Conditional {
                resource_type: "Patient".into(),
                system: None,
                value: "abc".into()
            }
        );
        assert_eq!(
            parse_reference("#med1"),
            Reference::Contained("med1".into())
        );
        for other in [
            "",
            "urn:uuid:nope",
            "#",
            "Patient",
            "patient/1",
            "Patient/",
            "Patient?name=x",
            "Patient?identifier=",
            "ftp://x/Patient/1",
            "urn:oid:1.2.3",
        ] {
            assert_eq!(
                parse_reference(other),
                Reference::Other(other.into()),
                "{other}"
            );
        }
    }

    #[test]
    fn writes_back() {
        for s in [
            "urn:uuid:0b6b6d4e-4cc2-4d3a-a4a5-0c1d2e3f4a5b",
            "Patient/1",
            "Patient?identifier=http://x|a%7Cb",
            "Patient?identifier=v",
            "#c1",
            "whatever",
        ] {
            let r = parse_reference(s);
            assert_eq!(parse_reference(&r.to_fhir()), r, "{s}");
        }
        let r = Reference::Conditional {
            resource_type: "Patient".into(),
            system: Some("sys|é&".into()),
            value: "a b%".into(),
        };
        assert_eq!(parse_reference(&r.to_fhir()), r);
    }
}
