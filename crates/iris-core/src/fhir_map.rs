//! Between iris-fhir and the vault: the reader thread's adapter, and what the import adds to
//! a resource — whether R4 accepts it (iris-fhir's validator, from the StructureDefinitions),
//! its identity, what it references, whether Iris can structure it (else it is kept whole,
//! with the reason as a warning), the vault's own checks — and a vault export handed to
//! iris-fhir's writer. iris-fhir normalizes into the record types the vault stores, so nothing
//! is copied field by field here.
//!
//! Identity (what a resource is stored and de-duplicated under, and what other entries may
//! reference it by), as FHIR defines it for Bundles (http.html#trules, bundle.html#references):
//! a conditional create (`request.ifNoneExist`) is the resource matching that query; a PUT is
//! the `Type/id` of its request URL; otherwise the resource's `Type/id`; without an id, the
//! entry's `fullUrl` (a transaction's POST entries carry none); without either, its content.

use std::ops::ControlFlow;

use iris_fhir::normalize::{
    AllergyExtra, ConditionExtra, Normalized, ObservationExtra, Sourced, SourcedPatient,
};
use iris_fhir::read::{BundleType, Item};
use iris_fhir::reference::Reference;
use iris_fhir::spec::{self, Severity};
use iris_record::{PatientRecord, Record};

use crate::import_pipeline::{Entry, Event, Source};

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
            Item::Resource(e) => Event::Resource(Box::new(entry(&e, now))),
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

/// A resource ready for the vault.
#[derive(Clone)]
pub(crate) enum Mapped {
    Patient {
        source: String,
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
    /// Kept whole: a type Iris does not structure, or a resource it could not.
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
    /// The resource type it came from.
    pub(crate) fn resource_type(&self) -> String {
        match self {
            Mapped::Patient { .. } => "Patient".into(),
            Mapped::Records { resource_type, .. } | Mapped::Raw { resource_type, .. } => {
                resource_type.clone()
            }
            Mapped::NoKnownAllergies { .. } => "AllergyIntolerance".into(),
        }
    }

    /// The source of the resource (unique per resource in an import).
    pub(crate) fn source(&self) -> String {
        match self {
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
    Sources(Vec<String>),
    Identifier { system: String, value: String },
    None,
}

pub(crate) fn patient_lookup(reference: &str) -> Lookup {
    match iris_fhir::reference::parse_reference(reference) {
        Reference::Relative { resource_type, id } if resource_type == "Patient" => {
            Lookup::Source(format!("Patient/{id}"))
        }
        // A patient imported earlier whose id was this UUID, or whose entry had no id and this
        // fullUrl.
        Reference::Uuid(u) => Lookup::Sources(vec![
            format!("Patient/{u}"),
            format!("Patient@urn:uuid:{u}"),
        ]),
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

/// A resource as the reader thread hands it over: checked against R4, mapped, with its
/// identity and references.
pub(crate) fn entry(e: &iris_fhir::read::Entry, now: i64) -> Entry {
    let text = e.resource.get();
    let location = match e.index {
        Some(i) => format!("$.entry[{i}].resource"),
        None => format!("line {}", e.line),
    };
    let source = identity(e);
    let mut keys = Vec::new();
    if let Some(u) = &e.full_url {
        keys.push(u.clone());
    }
    if let Some(id) = &e.id {
        keys.push(format!("{}/{id}", e.resource_type));
        // NDJSON has no fullUrl: a UUID id is also what `urn:uuid:` references name
        // (Synthea writes fullUrl = urn:uuid:<id>).
        if iris_fhir::reference::is_uuid(id) {
            keys.push(format!("urn:uuid:{id}"));
        }
    }
    let mut out = Entry {
        location,
        json: text.as_bytes().to_vec(),
        keys,
        source,
        if_none_exist: e.request.as_ref().and_then(|r| r.if_none_exist.clone()),
        refs: Vec::new(),
        warnings: Vec::new(),
        outcome: Err((String::new(), String::new())),
    };
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(_) => {
            out.outcome = Err((String::new(), "not a JSON object".into()));
            return out;
        }
    };
    collect_references(&value, &mut out.refs);
    let mut first_error = None;
    for issue in spec::validate(&value) {
        let rest = issue
            .path
            .find(['.', '['])
            .map_or("", |k| &issue.path[k..])
            .to_string();
        let reason = format!("{}: {}", issue.path, issue.rule);
        match issue.severity {
            Severity::Error => {
                first_error.get_or_insert((rest, reason));
            }
            Severity::Warning => out.warnings.push((rest, reason)),
        }
    }
    out.outcome = match first_error {
        Some(e) => Err(e),
        None => Ok(map(
            &e.resource_type,
            &out.source,
            text,
            now,
            &mut out.warnings,
        )),
    };
    out
}

/// What a resource is stored and de-duplicated under (see the module docs).
fn identity(e: &iris_fhir::read::Entry) -> String {
    let rt = &e.resource_type;
    if let Some(r) = &e.request {
        if let Some(q) = &r.if_none_exist {
            return format!("{rt}?{q}");
        }
        if r.method.eq_ignore_ascii_case("PUT") {
            let url = r.url.split('?').next().unwrap_or_default();
            if let Some(id) = url.strip_prefix(&format!("{rt}/")) {
                return format!("{rt}/{id}");
            }
        }
    }
    match (&e.id, &e.full_url) {
        (Some(id), _) => format!("{rt}/{id}"),
        (None, Some(u)) => format!("{rt}@{u}"),
        (None, None) => {
            use sha2::Digest;
            format!(
                "{rt}#sha256:{}",
                hex::encode(sha2::Sha256::digest(e.resource.get().as_bytes()))
            )
        }
    }
}

/// Every `reference` string in a resource, wherever it sits.
fn collect_references(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("reference", serde_json::Value::String(r)) => out.push(r.clone()),
                    _ => collect_references(x, out),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_references(x, out)),
        _ => {}
    }
}

/// Maps an R4-valid resource: structured when Iris can, else kept whole with the reason as a
/// warning. Never an error: R4 accepted it.
fn map(
    resource_type: &str,
    source: &str,
    text: &str,
    now: i64,
    warnings: &mut Vec<(String, String)>,
) -> Mapped {
    let raw = |warnings: &mut Vec<(String, String)>, why: Option<(String, String)>| {
        if let Some((path, reason)) = why {
            warnings.push((path, format!("imported, not structured: {reason}")));
        }
        Mapped::Raw {
            resource_type: resource_type.to_string(),
            source: source.to_string(),
            subject: iris_fhir::reference::patient_of(text).map(|r| r.to_fhir()),
            json: text.as_bytes().to_vec(),
        }
    };
    let normalized = match iris_fhir::normalize::normalize(text) {
        Ok(n) => n,
        Err(issues) => {
            let why = issues.into_iter().next().map(|i| {
                let rest = i.path.find(['.', '[']).map_or("", |k| &i.path[k..]);
                (rest.to_string(), format!("{}: {}", i.path, i.reason))
            });
            return raw(warnings, why);
        }
    };
    for w in normalized.warnings() {
        let rest = w.path.find(['.', '[']).map_or("", |k| &w.path[k..]);
        warnings.push((rest.to_string(), format!("{}: {}", w.path, w.reason)));
    }
    let today = || iris_record::Date::from_unix_ms(now);
    let one = |subject: Reference, record: Record| {
        (subject.to_fhir(), vec![(source.to_string(), record)])
    };
    let (subject, mut records) = match normalized {
        Normalized::Patient(p) => {
            let mut record = p.record;
            // No identifier: the source names the patient.
            if record.mrn.is_empty() {
                record.mrn = source.to_string();
            }
            repair_patient(&mut record, source, today(), warnings);
            if let Err(e) = record.validate(today()) {
                return raw(warnings, Some(vault_reason(resource_type, e)));
            }
            return Mapped::Patient {
                source: source.to_string(),
                record: Box::new(record),
                identifiers: p.identifiers,
            };
        }
        Normalized::Observation(o) => {
            // A panel that only groups other observations (hasMember, no value of its own):
            // its members are charted; the panel is kept whole, links and all.
            if !o.extra.has_member.is_empty()
                && o.record.value.is_none()
                && o.record.components.is_empty()
            {
                return raw(warnings, None);
            }
            one(o.subject, Record::Observation(o.record))
        }
        Normalized::Condition(c) => one(c.subject, Record::Condition(c.record)),
        Normalized::Medication(m) => one(m.subject, Record::Medication(m.record)),
        Normalized::Allergy(a)
            if a.record.system == iris_record::codes::SNOMED
                && a.record.code == iris_record::records::NO_KNOWN_ALLERGY =>
        {
            return Mapped::NoKnownAllergies {
                subject: a.subject.to_fhir(),
                source: source.to_string(),
            };
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
        Normalized::Procedure(p) => one(p.subject, Record::Procedure(p.record)),
        Normalized::Immunization(i) => one(i.subject, Record::Immunization(i.record)),
        Normalized::Other { .. } => return raw(warnings, None),
    };
    for (_, r) in &mut records {
        if let Err(e) = r.check(now) {
            return raw(warnings, Some(vault_reason(resource_type, e)));
        }
    }
    Mapped::Records {
        resource_type: resource_type.to_string(),
        subject,
        records,
    }
}

/// Iris's own rules for contact fields are stricter than R4's strings: a phone, mail address
/// or address Iris would refuse is not charted (the rest of the patient is), with a warning,
/// and an MRN of another shape is replaced by one made from the source (the identifier
/// itself is kept with the patient's identifiers).
fn repair_patient(
    p: &mut PatientRecord,
    source: &str,
    today: iris_record::Date,
    warnings: &mut Vec<(String, String)>,
) {
    let Err(errors) = p.validate(today) else {
        return;
    };
    for e in errors {
        let dropped = match e.field.as_str() {
            "phone" => p.phone.take().is_some(),
            "email" => p.email.take().is_some(),
            f if f.starts_with("address") => p.address.take().is_some(),
            "mrn" => {
                use sha2::Digest;
                let h = hex::encode(sha2::Sha256::digest(source.as_bytes()));
                p.mrn = format!("IMP-{}", &h[..12]);
                true
            }
            _ => false,
        };
        if dropped {
            let what = if e.field == "mrn" {
                "replaced by a generated MRN (the identifier is kept)"
            } else {
                "not charted"
            };
            warnings.push((
                format!(".{}", e.field),
                format!("Patient.{}: {}; {what}", e.field, e.rule.replace('_', " ")),
            ));
        }
    }
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
        warnings: Vec::new(),
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
            warnings: Vec::new(),
        }
    }
    let items = x
        .records
        .iter()
        .map(|r| {
            let (id, s) = (r.id.as_str(), &subject);
            match r.record.clone() {
                Record::Observation(o) => {
                    Normalized::Observation(sourced(id, s, o, ObservationExtra::default()))
                }
                Record::Condition(c) => {
                    Normalized::Condition(sourced(id, s, c, ConditionExtra::default()))
                }
                Record::Medication(m) => Normalized::Medication(sourced(id, s, m, ())),
                Record::Allergy(a) => {
                    Normalized::Allergy(sourced(id, s, a, AllergyExtra::default()))
                }
                Record::Encounter(e) => Normalized::Encounter(sourced(id, s, e, ())),
                Record::Procedure(p) => Normalized::Procedure(sourced(id, s, p, ())),
                Record::Immunization(i) => Normalized::Immunization(sourced(id, s, i, ())),
            }
        })
        .collect();
    (patient, items)
}
