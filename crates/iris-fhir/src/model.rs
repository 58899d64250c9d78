//! serde models of the FHIR R4 subset we normalize: only the elements Iris uses; every other
//! element is ignored here (and kept, byte for byte, in the raw JSON the readers deliver).
//!
//! Every element is a [`Field`], which never fails to deserialize: a value of the wrong JSON
//! type becomes [`Field::Invalid`], so normalization can report *which* element was wrong
//! (with a path) instead of one opaque parse error, and never quotes the value.

use serde::de::{Deserialize, DeserializeOwned, Deserializer};

/// One element: absent (or `null`), present with the expected JSON type, or present with
/// another JSON type.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Field<T> {
    #[default]
    Absent,
    Present(T),
    Invalid,
}

impl<T> Field<T> {
    pub fn get(&self) -> Option<&T> {
        match self {
            Field::Present(v) => Some(v),
            _ => None,
        }
    }
    pub fn is_invalid(&self) -> bool {
        matches!(self, Field::Invalid)
    }
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }
}

impl<T> Field<Vec<T>> {
    /// The elements of a present array, none otherwise.
    pub fn items(&self) -> &[T] {
        self.get().map_or(&[], Vec::as_slice)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        if v.is_null() {
            return Ok(Field::Absent);
        }
        Ok(T::deserialize(v).map_or(Field::Invalid, Field::Present))
    }
}

/// The type and id every resource has; read first to choose the model.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Head {
    pub resource_type: Field<String>,
    pub id: Field<String>,
}

macro_rules! model {
    ($(#[$m:meta])* $name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
        #[serde(default, rename_all = "camelCase")]
        pub struct $name {
            $(pub $field: Field<$ty>,)*
        }
    };
}

model!(Coding {
    system: String,
    code: String,
    display: String,
});
model!(CodeableConcept {
    coding: Vec<Coding>,
    text: String,
});
model!(Identifier {
    system: String,
    value: String,
    r#type: CodeableConcept,
});
model!(
    /// `Reference` (the datatype).
    Reference {
        reference: String,
        r#type: String,
        identifier: Identifier,
        display: String,
    }
);
model!(Quantity {
    value: f64,
    comparator: String,
    unit: String,
    system: String,
    code: String,
});
model!(Period {
    start: String,
    end: String,
});
model!(HumanName {
    r#use: String,
    text: String,
    family: String,
    given: Vec<String>,
});
model!(Address {
    r#use: String,
    line: Vec<String>,
    city: String,
    state: String,
    postal_code: String,
    country: String,
});
model!(ContactPoint {
    system: String,
    value: String,
    r#use: String,
});

model!(Patient {
    id: String,
    identifier: Vec<Identifier>,
    name: Vec<HumanName>,
    telecom: Vec<ContactPoint>,
    gender: String,
    birth_date: String,
    deceased_boolean: bool,
    deceased_date_time: String,
    address: Vec<Address>,
    marital_status: CodeableConcept,
});

model!(Encounter {
    id: String,
    identifier: Vec<Identifier>,
    status: String,
    class: Coding,
    r#type: Vec<CodeableConcept>,
    subject: Reference,
    period: Period,
    reason_code: Vec<CodeableConcept>,
});

model!(ReferenceRange {
    low: Quantity,
    high: Quantity,
    text: String,
});
model!(Range {
    low: Quantity,
    high: Quantity,
});
model!(Ratio {
    numerator: Quantity,
    denominator: Quantity,
});
model!(SampledData {
    origin: Quantity,
    period: f64,
    factor: f64,
    lower_limit: f64,
    upper_limit: f64,
    dimensions: u32,
    data: String,
});
model!(
    /// `Observation.component`: the same `value[x]` choices as the Observation itself.
    ObservationComponent {
    code: CodeableConcept,
    value_quantity: Quantity,
    value_codeable_concept: CodeableConcept,
    value_string: String,
    value_boolean: bool,
    value_integer: i64,
    value_range: Range,
    value_ratio: Ratio,
    value_sampled_data: SampledData,
    value_time: String,
    value_date_time: String,
    value_period: Period,
    data_absent_reason: CodeableConcept,
    interpretation: Vec<CodeableConcept>,
    reference_range: Vec<ReferenceRange>,
    }
);
model!(Observation {
    id: String,
    identifier: Vec<Identifier>,
    status: String,
    category: Vec<CodeableConcept>,
    code: CodeableConcept,
    subject: Reference,
    encounter: Reference,
    effective_date_time: String,
    effective_period: Period,
    effective_instant: String,
    effective_timing: serde_json::Value,
    issued: String,
    value_quantity: Quantity,
    value_codeable_concept: CodeableConcept,
    value_string: String,
    value_boolean: bool,
    value_integer: i64,
    value_range: Range,
    value_ratio: Ratio,
    value_sampled_data: SampledData,
    value_time: String,
    value_date_time: String,
    value_period: Period,
    data_absent_reason: CodeableConcept,
    interpretation: Vec<CodeableConcept>,
    reference_range: Vec<ReferenceRange>,
    has_member: Vec<Reference>,
    component: Vec<ObservationComponent>,
});

model!(Condition {
    id: String,
    identifier: Vec<Identifier>,
    clinical_status: CodeableConcept,
    verification_status: CodeableConcept,
    code: CodeableConcept,
    subject: Reference,
    encounter: Reference,
    onset_date_time: String,
    abatement_date_time: String,
});

model!(TimingRepeat {
    bounds_period: Period,
    frequency: i64,
    period: f64,
    period_unit: String,
});
model!(Timing {
    repeat: TimingRepeat,
    code: CodeableConcept,
});
model!(DoseAndRate {
    dose_quantity: Quantity,
});
model!(Dosage {
    text: String,
    timing: Timing,
    as_needed_boolean: bool,
    route: CodeableConcept,
    dose_and_rate: Vec<DoseAndRate>,
});
model!(
    /// A `Medication` resource held in `contained`.
    ContainedMedication {
    resource_type: String,
    id: String,
    code: CodeableConcept,
    }
);
model!(MedicationRequest {
    id: String,
    identifier: Vec<Identifier>,
    contained: Vec<ContainedMedication>,
    status: String,
    medication_codeable_concept: CodeableConcept,
    medication_reference: Reference,
    subject: Reference,
    encounter: Reference,
    authored_on: String,
    dosage_instruction: Vec<Dosage>,
});
model!(MedicationStatement {
    id: String,
    identifier: Vec<Identifier>,
    contained: Vec<ContainedMedication>,
    status: String,
    medication_codeable_concept: CodeableConcept,
    medication_reference: Reference,
    subject: Reference,
    context: Reference,
    effective_date_time: String,
    effective_period: Period,
    dosage: Vec<Dosage>,
});

model!(AllergyReaction {
    manifestation: Vec<CodeableConcept>,
});
model!(AllergyIntolerance {
    id: String,
    identifier: Vec<Identifier>,
    clinical_status: CodeableConcept,
    verification_status: CodeableConcept,
    criticality: String,
    code: CodeableConcept,
    patient: Reference,
    encounter: Reference,
    onset_date_time: String,
    recorded_date: String,
    reaction: Vec<AllergyReaction>,
});

model!(Procedure {
    id: String,
    identifier: Vec<Identifier>,
    status: String,
    code: CodeableConcept,
    subject: Reference,
    encounter: Reference,
    performed_date_time: String,
    performed_period: Period,
    performed_string: String,
    performed_age: Quantity,
    performed_range: Range,
});

model!(Immunization {
    id: String,
    identifier: Vec<Identifier>,
    status: String,
    vaccine_code: CodeableConcept,
    patient: Reference,
    encounter: Reference,
    occurrence_date_time: String,
    occurrence_string: String,
});

model!(
    /// Any other resource: only where its patient is.
    PatientLink {
        subject: Reference,
        patient: Reference,
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_are_invalid_not_errors() {
        let q: Quantity =
            serde_json::from_str(r#"{"value":"7.2","unit":5,"code":null,"x":[1]}"#).unwrap();
        assert_eq!(q.value, Field::Invalid);
        assert_eq!(q.unit, Field::Invalid);
        assert_eq!(q.code, Field::Absent);
        assert_eq!(q.system, Field::Absent);
        let cc: CodeableConcept =
            serde_json::from_str(r#"{"coding":{"code":"x"},"text":"t"}"#).unwrap();
        assert_eq!(cc.coding, Field::Invalid);
        assert_eq!(cc.text, Field::Present("t".into()));
        let r: Reference = serde_json::from_str(r#"{"reference":"Patient/1"}"#).unwrap();
        assert_eq!(r.reference.get().map(String::as_str), Some("Patient/1"));
        assert!(r.r#type.is_absent());
    }
}
