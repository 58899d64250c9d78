//! Between iris-fhir and the vault: the reader thread's adapter, and what the import adds to
//! a normalized resource (its source, the vault's checks, the quarantine reasons, patient
//! lookups), and a vault export handed to iris-fhir's writer. iris-fhir normalizes into the
//! record types the vault stores, so nothing is copied field by field here.

use std::ops::ControlFlow;

use iris_fhir::normalize::{
    AllergyExtra, ConditionExtra, Normalized, ObservationExtra, ProcedureExtra, Sourced,
    SourcedPatient,
};
use iris_fhir::read::{BundleType, Item};
use iris_fhir::reference::Reference;
use iris_record::{PatientRecord, Record};

use crate::import_pipeline::{Event, Source};

/// Events per message to the importer (fewer thread wake-ups).
const CHUNK: usize = 256;

/// Reads every file in turn on the calling (reader) thread and sends what it finds, between
/// `FileStart` and `FileEnd`; a full channel blocks the reader, which bounds memory. One reader
/// for the whole import, so reading and normalizing the next file overlaps with writing the
/// last batch.
pub(crate) fn read_files(
    sources: Vec<Source>,
    tx: &tokio::sync::mpsc::Sender<Vec<Event>>,
    now: i64,
) {
    let mut chunk: Vec<Event> = Vec::with_capacity(CHUNK);
    for (index, source) in sources.into_iter().enumerate() {
        chunk.push(Event::FileStart { index });
        if !read_file(source, tx, &mut chunk, now) {
            return; // the importer stopped listening
        }
        chunk.push(Event::FileEnd { index });
        // Whole small files travel together; a file boundary is a good moment to hand over
        // only when the chunk is full.
        if chunk.len() >= CHUNK && !send(tx, &mut chunk) {
            return;
        }
    }
    if !chunk.is_empty() {
        let _ = tx.blocking_send(chunk);
    }
}

fn send(tx: &tokio::sync::mpsc::Sender<Vec<Event>>, chunk: &mut Vec<Event>) -> bool {
    let full = std::mem::replace(chunk, Vec::with_capacity(CHUNK));
    tx.blocking_send(full).is_ok()
}

/// Reads one file into `chunk`, sending it whenever it is full. False when the receiver is gone.
fn read_file(
    source: Source,
    tx: &tokio::sync::mpsc::Sender<Vec<Event>>,
    chunk: &mut Vec<Event>,
    now: i64,
) -> bool {
    let mut bundle = false;
    let mut open = true;
    let on_item = |item| {
        let ev = match item {
            Item::Bundle { bundle_type } => {
                bundle = true;
                Event::BundleStart {
                    transaction: bundle_type == Some(BundleType::Transaction),
                }
            }
            Item::Resource(e) => Event::Resource {
                mapped: Some(map(
                    &e.resource_type,
                    e.id.as_deref(),
                    e.resource.get().as_bytes(),
                    now,
                )),
                resource_type: e.resource_type.clone(),
                id: e.id.clone(),
                full_url: e.full_url.clone(),
                location: match e.index {
                    Some(i) => format!("$.entry[{i}]"),
                    None => format!("line {}", e.line),
                },
                json: e.resource.get().as_bytes().to_vec(),
            },
            Item::Invalid { line, path, reason } => Event::Invalid {
                location: if path.is_empty() || path == "$" {
                    format!("line {line}")
                } else {
                    path
                },
                reason,
            },
        };
        chunk.push(ev);
        if chunk.len() < CHUNK {
            return ControlFlow::Continue(());
        }
        if send(tx, chunk) {
            ControlFlow::Continue(())
        } else {
            open = false;
            ControlFlow::Break(())
        }
    };
    let result = match source {
        Source::File(path) => iris_fhir::read::read_path(path, on_item),
        Source::Memory { json, .. } => iris_fhir::read::read_json(json.as_slice(), on_item),
    };
    if !open {
        return false;
    }
    if let Err(e) = result {
        chunk.push(Event::Stop {
            location: format!("line {} column {}", e.line, e.column),
            reason: e.kind.to_string(),
        });
    }
    if bundle {
        chunk.push(Event::BundleEnd);
    }
    true
}

/// Every resource type of FHIR R4 (4.0.1), sorted: a type outside it is a wrong resourceType
/// (quarantined), not an unknown one to keep.
pub const R4_RESOURCE_TYPES: [&str; 146] = [
    "Account",
    "ActivityDefinition",
    "AdverseEvent",
    "AllergyIntolerance",
    "Appointment",
    "AppointmentResponse",
    "AuditEvent",
    "Basic",
    "Binary",
    "BiologicallyDerivedProduct",
    "BodyStructure",
    "Bundle",
    "CapabilityStatement",
    "CarePlan",
    "CareTeam",
    "CatalogEntry",
    "ChargeItem",
    "ChargeItemDefinition",
    "Claim",
    "ClaimResponse",
    "ClinicalImpression",
    "CodeSystem",
    "Communication",
    "CommunicationRequest",
    "CompartmentDefinition",
    "Composition",
    "ConceptMap",
    "Condition",
    "Consent",
    "Contract",
    "Coverage",
    "CoverageEligibilityRequest",
    "CoverageEligibilityResponse",
    "DetectedIssue",
    "Device",
    "DeviceDefinition",
    "DeviceMetric",
    "DeviceRequest",
    "DeviceUseStatement",
    "DiagnosticReport",
    "DocumentManifest",
    "DocumentReference",
    "EffectEvidenceSynthesis",
    "Encounter",
    "Endpoint",
    "EnrollmentRequest",
    "EnrollmentResponse",
    "EpisodeOfCare",
    "EventDefinition",
    "Evidence",
    "EvidenceVariable",
    "ExampleScenario",
    "ExplanationOfBenefit",
    "FamilyMemberHistory",
    "Flag",
    "Goal",
    "GraphDefinition",
    "Group",
    "GuidanceResponse",
    "HealthcareService",
    "ImagingStudy",
    "Immunization",
    "ImmunizationEvaluation",
    "ImmunizationRecommendation",
    "ImplementationGuide",
    "InsurancePlan",
    "Invoice",
    "Library",
    "Linkage",
    "List",
    "Location",
    "Measure",
    "MeasureReport",
    "Media",
    "Medication",
    "MedicationAdministration",
    "MedicationDispense",
    "MedicationKnowledge",
    "MedicationRequest",
    "MedicationStatement",
    "MedicinalProduct",
    "MedicinalProductAuthorization",
    "MedicinalProductContraindication",
    "MedicinalProductIndication",
    "MedicinalProductIngredient",
    "MedicinalProductInteraction",
    "MedicinalProductManufactured",
    "MedicinalProductPackaged",
    "MedicinalProductPharmaceutical",
    "MedicinalProductUndesirableEffect",
    "MessageDefinition",
    "MessageHeader",
    "MolecularSequence",
    "NamingSystem",
    "NutritionOrder",
    "Observation",
    "ObservationDefinition",
    "OperationDefinition",
    "OperationOutcome",
    "Organization",
    "OrganizationAffiliation",
    "Parameters",
    "Patient",
    "PaymentNotice",
    "PaymentReconciliation",
    "Person",
    "PlanDefinition",
    "Practitioner",
    "PractitionerRole",
    "Procedure",
    "Provenance",
    "Questionnaire",
    "QuestionnaireResponse",
    "RelatedPerson",
    "RequestGroup",
    "ResearchDefinition",
    "ResearchElementDefinition",
    "ResearchStudy",
    "ResearchSubject",
    "RiskAssessment",
    "RiskEvidenceSynthesis",
    "Schedule",
    "SearchParameter",
    "ServiceRequest",
    "Slot",
    "Specimen",
    "SpecimenDefinition",
    "StructureDefinition",
    "StructureMap",
    "Subscription",
    "Substance",
    "SubstanceNucleicAcid",
    "SubstancePolymer",
    "SubstanceProtein",
    "SubstanceReferenceInformation",
    "SubstanceSourceMaterial",
    "SubstanceSpecification",
    "SupplyDelivery",
    "SupplyRequest",
    "Task",
    "TerminologyCapabilities",
    "TestReport",
    "TestScript",
    "ValueSet",
    "VerificationResult",
    "VisionPrescription",
];

/// A resource ready for the vault.
pub(crate) enum Mapped {
    /// Nothing to store (kept for the all-or-nothing check of a transaction).
    Nothing,
    Patient {
        source: String,
        id: Option<String>,
        record: Box<PatientRecord>,
        identifiers: Vec<(String, String)>,
    },
    Records {
        resource_type: String,
        /// The patient reference, as [`Reference::to_fhir`] writes it.
        subject: String,
        /// (source, record): a blood-pressure panel gives two.
        records: Vec<(String, Record)>,
    },
    Raw {
        resource_type: String,
        source: String,
        subject: Option<String>,
        json: Vec<u8>,
    },
    /// An AllergyIntolerance coded "no known allergy" (SNOMED CT 716186003): the patient's
    /// allergy state, not an allergy.
    NoKnownAllergies { subject: String, source: String },
}

impl Mapped {
    /// The source of the resource (unique per resource in an import).
    pub(crate) fn source(&self) -> String {
        match self {
            Mapped::Nothing => String::new(),
            Mapped::Patient { source, .. }
            | Mapped::Raw { source, .. }
            | Mapped::NoKnownAllergies { source, .. } => source.clone(),
            Mapped::Records { records, .. } => records
                .first()
                .map(|(s, _)| s.split('#').next().unwrap_or_default().to_string())
                .unwrap_or_default(),
        }
    }
}

/// Where a patient reference can be looked up in the vault.
pub(crate) enum Lookup {
    Source(String),
    Identifier { system: String, value: String },
    None,
}

pub(crate) fn patient_lookup(reference: &str) -> Lookup {
    match iris_fhir::reference::parse_reference(reference) {
        Reference::Relative { resource_type, id } if resource_type == "Patient" => {
            Lookup::Source(format!("Patient/{id}"))
        }
        // A patient imported earlier whose id was this UUID.
        Reference::Uuid(u) => Lookup::Source(format!("Patient/{u}")),
        Reference::Conditional {
            resource_type,
            system,
            value,
        } if resource_type == "Patient" => Lookup::Identifier {
            system: system.unwrap_or_default(),
            value,
        },
        _ => Lookup::None,
    }
}

/// The source of a resource: `Type/id`, or a hash of its content when it has no id (so the
/// same content imported again is recognised).
fn source_of(resource_type: &str, id: Option<&str>, json: &[u8]) -> String {
    match id {
        Some(id) => format!("{resource_type}/{id}"),
        None => {
            use sha2::Digest;
            format!(
                "{resource_type}#sha256:{}",
                hex::encode(sha2::Sha256::digest(json))
            )
        }
    }
}

/// Maps one resource; `Err((json path, reason))` quarantines it.
pub(crate) fn map(
    resource_type: &str,
    id: Option<&str>,
    json: &[u8],
    now: i64,
) -> Result<Mapped, (String, String)> {
    let text =
        std::str::from_utf8(json).map_err(|_| (String::new(), "not UTF-8 text".to_string()))?;
    let normalized = iris_fhir::normalize::normalize(text).map_err(|issues| {
        match issues.into_iter().next() {
            Some(i) => {
                let rest = i.path.find(['.', '[']).map_or("", |k| &i.path[k..]);
                (rest.to_string(), format!("{}: {}", i.path, i.reason))
            }
            None => (String::new(), "not a valid resource".to_string()),
        }
    })?;
    let resource_type = resource_type.to_string();
    let id = id.map(str::to_string);
    let source = source_of(&resource_type, id.as_deref(), json);
    let today = || iris_record::Date::from_unix_ms(now);
    let one =
        |subject: Reference, record: Record| (subject.to_fhir(), vec![(source.clone(), record)]);
    let (subject, mut records) = match normalized {
        Normalized::Patient(p) => {
            let mut record = p.record;
            // No identifier: the source names the patient.
            if record.mrn.is_empty() {
                record.mrn = source.clone();
            }
            if let Err(e) = record.validate(today()) {
                return Err(vault_reason(&resource_type, e));
            }
            return Ok(Mapped::Patient {
                source,
                id,
                record: Box::new(record),
                identifiers: p.identifiers,
            });
        }
        Normalized::Observation(list) => {
            let subject = list
                .first()
                .map(|o| o.subject.to_fhir())
                .unwrap_or_default();
            let n = list.len();
            let records = list
                .into_iter()
                .map(|o| {
                    let src = if n > 1 {
                        format!("{source}#{}", o.record.code)
                    } else {
                        source.clone()
                    };
                    (src, Record::Observation(o.record))
                })
                .collect();
            (subject, records)
        }
        Normalized::Condition(c) => one(c.subject, Record::Condition(c.record)),
        Normalized::Medication(m) => one(m.subject, Record::Medication(m.record)),
        Normalized::Allergy(a)
            if a.record.system == iris_record::codes::SNOMED
                && a.record.code == iris_record::records::NO_KNOWN_ALLERGY =>
        {
            return Ok(Mapped::NoKnownAllergies {
                subject: a.subject.to_fhir(),
                source,
            });
        }
        Normalized::Allergy(a) => {
            let mut record = a.record;
            // Not given: recorded in Iris on the day of the import.
            if record.recorded.is_empty() {
                record.recorded = today().to_string();
            }
            one(a.subject, Record::Allergy(record))
        }
        Normalized::Encounter(e) => one(e.subject, Record::Encounter(e.record)),
        Normalized::Procedure(p) => {
            if !p.extra.performed {
                return Err((
                    ".performed".into(),
                    "Procedure.performed[x]: required (a date or period)".into(),
                ));
            }
            one(p.subject, Record::Procedure(p.record))
        }
        Normalized::Immunization(i) => one(i.subject, Record::Immunization(i.record)),
        Normalized::Other {
            resource_type,
            patient,
        } => {
            if R4_RESOURCE_TYPES
                .binary_search(&resource_type.as_str())
                .is_err()
            {
                return Err((
                    ".resourceType".into(),
                    "resourceType: not a FHIR R4 resource type".into(),
                ));
            }
            return Ok(Mapped::Raw {
                resource_type,
                source,
                subject: patient.as_ref().map(Reference::to_fhir),
                json: json.to_vec(),
            });
        }
    };
    for (_, r) in &mut records {
        if let Err(e) = r.check(now) {
            return Err(vault_reason(&resource_type, e));
        }
    }
    Ok(Mapped::Records {
        resource_type,
        subject,
        records,
    })
}

/// A vault validation error as a quarantine reason: field and rule, never the value.
fn vault_reason(resource_type: &str, fields: Vec<iris_record::FieldError>) -> (String, String) {
    match fields.into_iter().next() {
        Some(f) => (
            format!(".{}", f.field),
            format!("{resource_type}.{}: {}", f.field, f.rule.replace('_', " ")),
        ),
        None => (String::new(), format!("{resource_type}: not valid")),
    }
}

/// A vault export as the items iris-fhir writes (ids are Iris ids; nothing beyond the stored
/// records, so no FHIR extras).
pub(crate) fn to_fhir(x: &iris_vault::import::PatientExport) -> (SourcedPatient, Vec<Normalized>) {
    let mut identifiers = x.identifiers.clone();
    if identifiers.is_empty() {
        identifiers.push((String::new(), x.patient.mrn.clone()));
    }
    let patient = SourcedPatient {
        source_id: Some(x.id.clone()),
        identifiers,
        record: x.patient.clone(),
        deceased: None,
        marital_status: None,
    };
    let subject = Reference::Relative {
        resource_type: "Patient".into(),
        id: x.id.clone(),
    };
    fn sourced<T, X>(id: &str, subject: &Reference, record: T, extra: X) -> Sourced<T, X> {
        Sourced {
            source_id: Some(id.to_string()),
            identifiers: Vec::new(),
            subject: subject.clone(),
            encounter: None,
            record,
            extra,
        }
    }
    let items = x
        .records
        .iter()
        .map(|r| {
            let (id, s) = (r.id.as_str(), &subject);
            match r.record.clone() {
                Record::Observation(o) => {
                    Normalized::Observation(vec![sourced(id, s, o, ObservationExtra::default())])
                }
                Record::Condition(c) => {
                    Normalized::Condition(sourced(id, s, c, ConditionExtra::default()))
                }
                Record::Medication(m) => Normalized::Medication(sourced(id, s, m, ())),
                Record::Allergy(a) => {
                    Normalized::Allergy(sourced(id, s, a, AllergyExtra::default()))
                }
                Record::Encounter(e) => Normalized::Encounter(sourced(id, s, e, ())),
                Record::Procedure(p) => {
                    Normalized::Procedure(sourced(id, s, p, ProcedureExtra { performed: true }))
                }
                Record::Immunization(i) => Normalized::Immunization(sourced(id, s, i, ())),
            }
        })
        .collect();
    (patient, items)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_r4_type_list_is_sorted_for_binary_search() {
        let mut sorted = super::R4_RESOURCE_TYPES;
        sorted.sort_unstable();
        assert_eq!(sorted, super::R4_RESOURCE_TYPES);
        assert_eq!(super::R4_RESOURCE_TYPES.len(), 146);
    }
}
