/// A field-level validation failure: which field, which rule (never the value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub rule: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            rule: rule.into(),
        }
    }
}
