//! Code systems: the URIs and checks of `iris_record::codes` (declared once there), plus the
//! FHIR-only shape rules of resource ids and type names.

pub use iris_record::codes::*;

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
