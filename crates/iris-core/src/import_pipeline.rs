//! The FHIR import pipeline: files → iris-fhir's streaming readers (on a reader thread, through
//! a bounded channel, so memory stays bounded whatever the file size), where each resource is
//! checked against R4 (the validator compiled from the StructureDefinitions), mapped, and given
//! its identity → reference resolution here → the vault in batches (one transaction and one
//! audit entry each).
//!
//! Rules:
//! - What R4 refuses is quarantined (kept sealed, with its path and the rule it breaks). What
//!   R4 accepts is imported: structured when Iris can, else kept whole (sealed, attached to its
//!   patient, listed in the chart as "imported, not structured") with the reason as a warning.
//! - Every entry of a Bundle is imported on its own. An entry that references a quarantined
//!   entry (by `fullUrl` or `Type/id`, anywhere in it) is quarantined with "references a
//!   quarantined resource"; its other neighbours are imported. With `atomic`, a transaction
//!   Bundle is all or nothing instead.
//! - Identity as FHIR defines it ([`crate::fhir_map`]): two entries are duplicates only when
//!   they claim the same identity. The same resource again (a practitioner repeated in every
//!   patient's bundle) is stored once; a different resource under a taken identity is
//!   quarantined.
//! - Re-importing the same data adds nothing (identities are keyed hashes, unique in the
//!   vault); a run killed at any moment and started again ends with the same vault, because a
//!   batch either committed or left no trace.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use iris_types::{
    ApiError, ErrorCode, ImportProgressDto, ImportReportDto, ImportRequest, QuarantineItemDto,
};
use iris_vault::import::{
    ImportBatch, ImportPatient, ImportRaw, ImportRecord, PatientRef, Quarantined,
};

use crate::AppCore;
use crate::api_error;
use crate::fhir_map::{self, Mapped};

/// Resources per batch (per transaction and audit entry) outside transaction bundles.
pub const BATCH: usize = 10_000;
/// Quarantine entries listed in a report (all are kept in the vault).
pub const REPORT_LIMIT: usize = 1_000;

/// What the reader thread sends.
pub(crate) enum Event {
    /// The reader starts on `files[index]`.
    FileStart {
        index: usize,
    },
    /// The reader is done with `files[index]`.
    FileEnd {
        index: usize,
    },
    /// A Bundle starts (a transaction may be imported all or nothing).
    BundleStart {
        transaction: bool,
    },
    BundleEnd,
    Resource(Box<Entry>),
    /// Unreadable input at this location (the rest of the file may still come).
    Invalid {
        location: String,
        reason: String,
    },
    /// The file could not be read on (truncated, not JSON): after the resources already sent.
    Stop {
        location: String,
        reason: String,
    },
}

/// What an import reads: a file, or FHIR JSON already in memory (the demo cohort, made by the
/// synthetic generator, never touches the disk unsealed).
#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    Memory { name: String, json: Vec<u8> },
}

impl Source {
    /// The name a report gives it (the file name).
    pub fn name(&self) -> String {
        match self {
            Source::File(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            Source::Memory { name, .. } => name.clone(),
        }
    }
}

/// Progress is reported at most this often (and at every file boundary).
const PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// Every file under `paths`, Patient files first (bulk NDJSON exports have one file per type,
/// and references point to patients), then by name.
pub fn expand(paths: &[String]) -> Result<Vec<PathBuf>, ApiError> {
    let mut files = Vec::new();
    for p in paths {
        let p = PathBuf::from(p);
        if p.is_dir() {
            walk(&p, &mut files).map_err(|_| {
                ApiError::new(ErrorCode::NotFound, "A folder to import could not be read.")
            })?;
        } else if p.is_file() {
            files.push(p);
        } else {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!(
                    "Nothing to import at {}: no such file or folder.",
                    p.display()
                ),
            ));
        }
    }
    files.sort_by_key(|f| {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        (!name.starts_with("Patient"), f.clone())
    });
    files.dedup();
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p
            .extension()
            .is_some_and(|x| matches!(x.to_str(), Some("json" | "ndjson" | "jsonl")))
        {
            out.push(p);
        }
    }
    Ok(())
}

/// A resource as the reader thread hands it over ([`fhir_map::entry`]).
pub(crate) struct Entry {
    /// Where it is: `$.entry[3].resource` or `line 12`.
    pub(crate) location: String,
    pub(crate) json: Vec<u8>,
    /// What other resources may reference it by: its `fullUrl`, `Type/id`, `urn:uuid:id`.
    pub(crate) keys: Vec<String>,
    /// Its identity, what it is stored and de-duplicated under.
    pub(crate) source: String,
    /// `request.ifNoneExist` of a conditional create.
    pub(crate) if_none_exist: Option<String>,
    /// Every reference it makes.
    pub(crate) refs: Vec<String>,
    /// (path, reason) of what was left out or could not be structured.
    pub(crate) warnings: Vec<(String, String)>,
    /// Mapped, or (path, reason) of why R4 refuses it.
    pub(crate) outcome: Result<Mapped, (String, String)>,
}

/// Entries of a non-transaction Bundle held for the reference check at most; a larger Bundle
/// is checked in windows of this many entries.
const BUNDLE_WINDOW: usize = 50_000;

/// Progress and results of one run.
#[derive(Default)]
struct Run {
    report: ImportReportDto,
    /// Transaction Bundles all or nothing.
    atomic: bool,
    /// Identities seen in this run → a hash of the content imported under it (64-bit hashes,
    /// so a file of millions of resources costs a few tens of MB, not their names).
    seen: HashMap<u64, u64>,
    /// Keys (hashed) of the resources quarantined in this run, for the references check.
    quarantined_keys: HashSet<u64>,
    /// Keys (hashed) referenced by quarantined resources: a patient among them is not whole.
    quarantined_refs: HashSet<u64>,
    /// The keys (hashed) of every patient imported in this run.
    patient_keys: Vec<Vec<u64>>,
    /// Patient references (fullUrl, `Patient/id`) → vault id, once committed.
    patients: HashMap<String, String>,
    batch: ImportBatch,
    /// Patient references → index into `batch.patients` (not yet committed).
    pending: HashMap<String, usize>,
    /// Types of the batch's resources, counted into `by_type` when it commits.
    batch_types: Vec<String>,
    touched: HashSet<String>,
}

impl AppCore {
    /// Imports files and folders of FHIR (administrators), calling `progress` as it goes. An
    /// invalid resource is reported and kept in quarantine; the import only fails when it
    /// cannot run at all.
    pub async fn import_fhir(
        &self,
        req: ImportRequest,
        progress: impl Fn(ImportProgressDto) + Sync,
    ) -> Result<ImportReportDto, ApiError> {
        let (v, actor) = self.actor().await?;
        // Refuse early (and audited) rather than after reading a file.
        v.patient_by_source(&actor, "", self.now_ms())
            .await
            .map_err(api_error)?;
        let sources = expand(&req.paths)?.into_iter().map(Source::File).collect();
        self.run_import(&v, &actor, sources, req.atomic, &progress)
            .await
    }

    /// Imports `sources` as `actor` (an administrator), then recomputes the gold features of
    /// the patients it touched.
    pub(crate) async fn run_import(
        &self,
        v: &iris_vault::Vault,
        actor: &iris_vault::Actor,
        sources: Vec<Source>,
        atomic: bool,
        progress: &(dyn Fn(ImportProgressDto) + Sync),
    ) -> Result<ImportReportDto, ApiError> {
        let started = std::time::Instant::now();
        let import_id = format!("imp-{:x}", self.now_ms());
        let mut run = Run {
            atomic,
            ..Run::default()
        };
        progress(ImportProgressDto {
            files_total: sources.len() as u64,
            ..Default::default()
        });
        self.import_files(v, actor, &import_id, sources, &mut run, progress)
            .await?;
        self.recompute_features(v, actor, &run.touched).await?;
        run.report.patients_whole = run
            .patient_keys
            .iter()
            .filter(|keys| !keys.iter().any(|k| run.quarantined_refs.contains(k)))
            .count() as u64;
        run.report.seconds = started.elapsed().as_secs_f64();
        Ok(run.report)
    }

    async fn import_files(
        &self,
        v: &iris_vault::Vault,
        actor: &iris_vault::Actor,
        import_id: &str,
        sources: Vec<Source>,
        run: &mut Run,
        progress: &(dyn Fn(ImportProgressDto) + Sync),
    ) -> Result<(), ApiError> {
        let names: Vec<String> = sources.iter().map(Source::name).collect();
        let files_total = sources.len() as u64;
        let mut last_progress = std::time::Instant::now();
        // One reader thread for every file, so reading and normalizing the next file overlaps
        // with writing; 16 chunks of 256 events in flight bound the memory whatever the sizes.
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Event>>(16);
        let now = self.now_ms();
        let reader = {
            std::thread::Builder::new()
                .name("iris-fhir-reader".into())
                .spawn(move || fhir_map::read_files(sources, &tx, now))
                .map_err(|_| ApiError::new(ErrorCode::Internal, "The import could not start."))?
        };
        let mut name = String::new();
        let mut files_done = 0u64;
        // The entries of the Bundle being read, held for the reference check (or, atomic,
        // for the all-or-nothing one): (is a transaction, entries).
        let mut bundle: Option<(bool, Vec<Entry>)> = None;
        while let Some(chunk) = rx.recv().await {
            for ev in chunk {
                match ev {
                    Event::FileStart { index } => {
                        name.clone_from(&names[index]);
                        bundle = None;
                    }
                    Event::FileEnd { index } => {
                        if let Some((transaction, entries)) = bundle.take() {
                            // Cannot happen (the reader closes what it opens).
                            self.bundle(v, actor, import_id, &name, transaction, entries, run)
                                .await?;
                        }
                        files_done = index as u64 + 1;
                    }
                    Event::BundleStart { transaction } => bundle = Some((transaction, Vec::new())),
                    Event::BundleEnd => {
                        if let Some((transaction, entries)) = bundle.take() {
                            self.bundle(v, actor, import_id, &name, transaction, entries, run)
                                .await?;
                        }
                    }
                    Event::Resource(e) => {
                        run.report.resources_read += 1;
                        match bundle.as_mut() {
                            Some((transaction, entries)) => {
                                entries.push(*e);
                                if !(*transaction && run.atomic) && entries.len() >= BUNDLE_WINDOW {
                                    let window = std::mem::take(entries);
                                    self.entries(v, actor, import_id, &name, window, run)
                                        .await?;
                                }
                            }
                            None => {
                                self.entries(v, actor, import_id, &name, vec![*e], run)
                                    .await?;
                            }
                        }
                    }
                    Event::Invalid { location, reason } | Event::Stop { location, reason } => {
                        run.report.resources_read += 1;
                        quarantine(run, &name, &location, &reason, Vec::new());
                        if let Some((transaction, entries)) = bundle.take() {
                            if transaction && run.atomic {
                                // A transaction cut short is not applied.
                                for e in entries {
                                    quarantine(
                                        run,
                                        &name,
                                        &e.location,
                                        "transaction bundle is incomplete: not applied",
                                        e.json,
                                    );
                                }
                            } else {
                                // What was read before the break is imported on its own.
                                self.entries(v, actor, import_id, &name, entries, run)
                                    .await?;
                            }
                        }
                    }
                }
            }
            if files_done == files_total || last_progress.elapsed() >= PROGRESS_EVERY {
                last_progress = std::time::Instant::now();
                progress(ImportProgressDto {
                    files_done,
                    files_total,
                    resources_read: run.report.resources_read,
                    quarantined: run.report.quarantined,
                });
            }
        }
        let _ = reader.join();
        // Batches span files: many small bundles share a transaction (each still whole).
        self.commit(v, actor, import_id, run).await
    }

    /// Gold features of the patients this import changed (only those: incremental).
    async fn recompute_features(
        &self,
        v: &iris_vault::Vault,
        actor: &iris_vault::Actor,
        touched: &HashSet<String>,
    ) -> Result<(), ApiError> {
        let now = self.now_ms();
        let mut ids: Vec<&String> = touched.iter().collect();
        ids.sort();
        for chunk in ids.chunks(500) {
            let mut out = Vec::with_capacity(chunk.len());
            for pid in chunk {
                let obs = v
                    .observations_for_features(actor, pid, now)
                    .await
                    .map_err(api_error)?;
                out.push(((*pid).clone(), crate::gold::features_json(&obs)));
            }
            v.store_features(actor, &out, now)
                .await
                .map_err(api_error)?;
        }
        Ok(())
    }

    /// A Bundle's entries: all or nothing for an atomic transaction, else each on its own.
    #[allow(clippy::too_many_arguments)]
    async fn bundle(
        &self,
        v: &iris_vault::Vault,
        actor: &iris_vault::Actor,
        import_id: &str,
        file: &str,
        transaction: bool,
        entries: Vec<Entry>,
        run: &mut Run,
    ) -> Result<(), ApiError> {
        if transaction && run.atomic {
            self.transaction(v, actor, import_id, file, entries, run)
                .await
        } else {
            self.entries(v, actor, import_id, file, entries, run).await
        }
    }

    /// Entries imported each on its own: the invalid ones and those that reference them are
    /// quarantined, the rest placed (patients first, so references to them resolve).
    async fn entries(
        &self,
        v: &iris_vault::Vault,
        actor: &iris_vault::Actor,
        import_id: &str,
        file: &str,
        entries: Vec<Entry>,
        run: &mut Run,
    ) -> Result<(), ApiError> {
        // Identities claimed in this window (with their content), beside the run's.
        let mut claimed: HashMap<u64, u64> = HashMap::new();
        let mut bad: Vec<Option<String>> = entries
            .iter()
            .map(|e| match &e.outcome {
                Err((path, reason)) => Some(format!("{path}\u{0}{reason}")),
                Ok(m) => {
                    let why = duplicate(e, run, &claimed).map(str::to_string);
                    if why.is_none() {
                        claimed.insert(key_hash(&m.source()), content_hash(&e.json));
                    }
                    why
                }
            })
            .collect();
        // Quarantine spreads along references: whoever references a quarantined entry (of
        // this window or earlier in the run) is quarantined too.
        let mut referenced_by: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            for r in &e.refs {
                referenced_by.entry(key_hash(r)).or_default().push(i);
            }
        }
        let mut queue: Vec<usize> = (0..entries.len()).filter(|i| bad[*i].is_some()).collect();
        let mut blocked: Vec<u64> = run.quarantined_keys.iter().copied().collect();
        while let Some(i) = queue.pop() {
            blocked.extend(entries[i].keys.iter().map(|k| key_hash(k)));
            while let Some(k) = blocked.pop() {
                for &j in referenced_by.get(&k).into_iter().flatten() {
                    if bad[j].is_none() {
                        bad[j] = Some("references a quarantined resource".into());
                        queue.push(j);
                    }
                }
            }
        }
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by_key(|i| !matches!(entries[*i].outcome, Ok(Mapped::Patient { .. })));
        let mut entries: Vec<Option<Entry>> = entries.into_iter().map(Some).collect();
        for i in order {
            let Some(e) = entries[i].take() else { continue };
            if let Some(why) = bad[i].take() {
                let (path, reason) = match why.split_once('\u{0}') {
                    Some((p, r)) => (format!("{}{p}", e.location), r.to_string()),
                    None => (e.location.clone(), why),
                };
                quarantine_entry(run, file, &path, &reason, e);
                continue;
            }
            self.entry(v, actor, file, e, run).await;
            if run.batch.len() >= BATCH {
                self.commit(v, actor, import_id, run).await?;
            }
        }
        Ok(())
    }

    /// Places one valid entry, or quarantines it when its references do not resolve.
    async fn entry(
        &self,
        v: &iris_vault::Vault,
        actor: &iris_vault::Actor,
        file: &str,
        e: Entry,
        run: &mut Run,
    ) {
        let Entry {
            location,
            json,
            keys,
            refs,
            warnings,
            outcome,
            if_none_exist,
            ..
        } = e;
        let Ok(m) = outcome else { return };
        if matches!(m, Mapped::Raw { subject: None, .. })
            && run.seen.contains_key(&key_hash(&m.source()))
        {
            // The same shared resource again (a practitioner in every patient's bundle).
            run.report.resources_imported += 1;
            *run.report.by_type.entry(m.resource_type()).or_insert(0) += 1;
            *run.report.kept_whole.entry(m.resource_type()).or_insert(0) += 1;
            return;
        }
        run.seen.insert(key_hash(&m.source()), content_hash(&json));
        match self
            .place(v, actor, &keys, if_none_exist.as_deref(), m, run)
            .await
        {
            Ok(()) => {
                for (path, reason) in warnings {
                    warn(run, file, &format!("{location}{path}"), &reason);
                }
            }
            Err(reason) => {
                let reason = if refs
                    .iter()
                    .any(|r| run.quarantined_keys.contains(&key_hash(r)))
                {
                    "references a quarantined resource".to_string()
                } else {
                    reason
                };
                remember_quarantined(run, &keys, &refs);
                quarantine(run, file, &location, &reason, json);
            }
        }
    }

    /// All entries of a transaction bundle, or none (`atomic`): every entry is checked and
    /// mapped first; one failure quarantines the whole bundle.
    async fn transaction(
        &self,
        v: &iris_vault::Vault,
        actor: &iris_vault::Actor,
        import_id: &str,
        file: &str,
        entries: Vec<Entry>,
        run: &mut Run,
    ) -> Result<(), ApiError> {
        let mut failure = None;
        let mut claimed: HashMap<u64, u64> = HashMap::new();
        for e in &entries {
            match &e.outcome {
                Err((path, reason)) => {
                    failure.get_or_insert((format!("{}{path}", e.location), reason.clone()));
                }
                Ok(m) => {
                    if let Some(why) = duplicate(e, run, &claimed) {
                        failure.get_or_insert((e.location.clone(), why.to_string()));
                    }
                    claimed.insert(key_hash(&m.source()), content_hash(&e.json));
                }
            }
        }
        let mut warnings = Vec::new();
        if failure.is_none() {
            // The bundle joins the pending batch whole, or not at all: references are
            // resolved first, and a failure takes back what this bundle added. (Several
            // whole bundles may share one vault transaction; each is still all or nothing.)
            let mark = (
                run.batch.patients.len(),
                run.batch.records.len(),
                run.batch.raw.len(),
                run.batch_types.len(),
                run.batch.no_known_allergies.len(),
                run.patient_keys.len(),
            );
            let saved_pending = run.pending.clone();
            let saved_seen = run.seen.clone();
            let mut order: Vec<&Entry> = entries.iter().collect();
            order.sort_by_key(|e| !matches!(e.outcome, Ok(Mapped::Patient { .. })));
            for e in order {
                let Ok(m) = &e.outcome else { continue };
                run.seen
                    .insert(key_hash(&m.source()), content_hash(&e.json));
                if let Err(reason) = self
                    .place(
                        v,
                        actor,
                        &e.keys,
                        e.if_none_exist.as_deref(),
                        m.clone(),
                        run,
                    )
                    .await
                {
                    failure = Some((e.location.clone(), reason));
                    break;
                }
                warnings.extend(
                    e.warnings
                        .iter()
                        .map(|(p, r)| (format!("{}{p}", e.location), r.clone())),
                );
            }
            if failure.is_some() {
                run.batch.patients.truncate(mark.0);
                run.batch.records.truncate(mark.1);
                run.batch.raw.truncate(mark.2);
                run.batch_types.truncate(mark.3);
                run.batch.no_known_allergies.truncate(mark.4);
                run.patient_keys.truncate(mark.5);
                run.pending = saved_pending;
                run.seen = saved_seen;
            }
        }
        match failure {
            None => {
                for (path, reason) in warnings {
                    warn(run, file, &path, &reason);
                }
                if run.batch.len() >= BATCH {
                    self.commit(v, actor, import_id, run).await?;
                }
                Ok(())
            }
            Some((where_, why)) => {
                let reason = format!("transaction bundle not applied: {where_}: {why}");
                for e in entries {
                    let location = e.location.clone();
                    quarantine_entry(run, file, &location, &reason, e);
                }
                Ok(())
            }
        }
    }

    /// Puts a mapped resource into the batch, resolving its patient reference.
    async fn place(
        &self,
        v: &iris_vault::Vault,
        actor: &iris_vault::Actor,
        keys: &[String],
        if_none_exist: Option<&str>,
        m: Mapped,
        run: &mut Run,
    ) -> Result<(), String> {
        match m {
            Mapped::Patient {
                source,
                record,
                identifiers,
            } => {
                // A conditional create of a patient the vault or this import already has
                // creates nothing: its references name that patient.
                if let Some(query) = if_none_exist {
                    let reference = format!("Patient?{query}");
                    if let Ok(existing) = self.resolve(v, actor, &reference, run).await {
                        for k in keys {
                            match &existing {
                                PatientRef::New(i) => {
                                    run.pending.insert(k.clone(), *i);
                                }
                                PatientRef::Existing(id) => {
                                    run.patients.insert(k.clone(), id.clone());
                                }
                            }
                        }
                        run.report.resources_imported += 1;
                        *run.report.by_type.entry("Patient".into()).or_insert(0) += 1;
                        return Ok(());
                    }
                }
                let index = run.batch.patients.len();
                for (system, value) in &identifiers {
                    run.pending.insert(
                        iris_fhir::reference::Reference::Conditional {
                            resource_type: "Patient".into(),
                            system: Some(system.clone()),
                            value: value.clone(),
                        }
                        .to_fhir(),
                        index,
                    );
                }
                run.batch.patients.push(ImportPatient {
                    source,
                    record: *record,
                    identifiers,
                });
                run.batch_types.push("Patient".into());
                for k in keys {
                    run.pending.insert(k.clone(), index);
                }
                run.patient_keys
                    .push(keys.iter().map(|k| key_hash(k)).collect());
                Ok(())
            }
            Mapped::Records {
                resource_type,
                subject,
                records,
            } => {
                let patient = self.resolve(v, actor, &subject, run).await?;
                for (source, record) in records {
                    run.batch.records.push(ImportRecord {
                        patient: patient.clone(),
                        source,
                        record,
                    });
                }
                run.batch_types.push(resource_type);
                Ok(())
            }
            Mapped::NoKnownAllergies { subject, .. } => {
                let patient = self.resolve(v, actor, &subject, run).await?;
                run.batch.no_known_allergies.push(patient);
                run.batch_types.push("AllergyIntolerance".into());
                Ok(())
            }
            Mapped::Raw {
                resource_type,
                source,
                subject,
                json,
            } => {
                // Kept whole whatever its subject is: attached to its patient when it names one
                // Iris has (a subject may also be a group, a device or a location).
                let patient = match subject {
                    Some(s) => self.resolve(v, actor, &s, run).await.ok(),
                    None => None,
                };
                run.batch.raw.push(ImportRaw {
                    patient,
                    resource_type: resource_type.clone(),
                    source,
                    json,
                });
                *run.report
                    .kept_whole
                    .entry(resource_type.clone())
                    .or_insert(0) += 1;
                run.batch_types.push(resource_type);
                Ok(())
            }
        }
    }

    /// A patient reference → the patient in this batch, this import, or the vault.
    async fn resolve(
        &self,
        v: &iris_vault::Vault,
        actor: &iris_vault::Actor,
        reference: &str,
        run: &Run,
    ) -> Result<PatientRef, String> {
        // As written, and in its canonical form (a conditional reference's encoding varies).
        let canonical = iris_fhir::reference::parse_reference(reference).to_fhir();
        for r in [reference, canonical.as_str()] {
            if let Some(i) = run.pending.get(r) {
                return Ok(PatientRef::New(*i));
            }
            if let Some(id) = run.patients.get(r) {
                return Ok(PatientRef::Existing(id.clone()));
            }
        }
        let now = self.now_ms();
        let found = match fhir_map::patient_lookup(reference) {
            fhir_map::Lookup::Source(source) => v.patient_by_source(actor, &source, now).await,
            fhir_map::Lookup::Sources(sources) => {
                let mut found = Ok(None);
                for source in sources {
                    found = v.patient_by_source(actor, &source, now).await;
                    if !matches!(found, Ok(None)) {
                        break;
                    }
                }
                found
            }
            fhir_map::Lookup::Identifier { system, value } => {
                v.patient_by_identifier(actor, &system, &value, now).await
            }
            fhir_map::Lookup::None => Ok(None),
        }
        .map_err(|_| "the patient reference could not be looked up".to_string())?;
        found.map(PatientRef::Existing).ok_or_else(|| {
            "reference to a patient that is neither in this import nor in the vault".to_string()
        })
    }

    /// Writes the pending batch (one transaction, one audit entry).
    async fn commit(
        &self,
        v: &iris_vault::Vault,
        actor: &iris_vault::Actor,
        import_id: &str,
        run: &mut Run,
    ) -> Result<(), ApiError> {
        if run.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut run.batch);
        let n_patients = batch.patients.len();
        let out = v
            .import_batch(actor, import_id, batch, self.now_ms())
            .await
            .map_err(api_error)?;
        for (reference, index) in run.pending.drain() {
            if let Some(id) = out.patient_ids.get(index) {
                run.patients.insert(reference, id.clone());
            }
        }
        run.report.patients += n_patients as u64;
        for t in run.batch_types.drain(..) {
            run.report.resources_imported += 1;
            *run.report.by_type.entry(t).or_insert(0) += 1;
        }
        run.touched.extend(out.touched);
        Ok(())
    }
}

/// A key's (identity's, reference's) hash in the run's sets (SipHash with fixed keys: the
/// same in every run).
fn key_hash(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

fn content_hash(json: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    json.hash(&mut h);
    h.finish()
}

/// Why an entry that R4 accepts still cannot be imported: another resource of this import
/// (`claimed` holds the identities of the entries being imported with it) holds its identity
/// with other content. The same resource again is not a duplicate, and a shared resource
/// (an organization, a practitioner) keeps its first version.
fn duplicate(e: &Entry, run: &Run, claimed: &HashMap<u64, u64>) -> Option<&'static str> {
    let Ok(m) = &e.outcome else { return None };
    if matches!(m, Mapped::Raw { subject: None, .. }) {
        return None;
    }
    let key = key_hash(&m.source());
    match run.seen.get(&key).or_else(|| claimed.get(&key)) {
        Some(h) if *h != content_hash(&e.json) => {
            Some("another resource in this import has the same identity")
        }
        _ => None,
    }
}

/// Quarantines an entry and remembers it for the references check and the whole-patient count.
fn quarantine_entry(run: &mut Run, file: &str, path: &str, reason: &str, e: Entry) {
    remember_quarantined(run, &e.keys, &e.refs);
    quarantine(run, file, path, reason, e.json);
}

fn remember_quarantined(run: &mut Run, keys: &[String], refs: &[String]) {
    run.quarantined_keys
        .extend(keys.iter().map(|k| key_hash(k)));
    run.quarantined_refs
        .extend(refs.iter().map(|r| key_hash(r)));
}

fn warn(run: &mut Run, file: &str, path: &str, reason: &str) {
    run.report.warnings += 1;
    if run.report.warning_report.len() < REPORT_LIMIT {
        run.report.warning_report.push(QuarantineItemDto {
            file: file.to_string(),
            path: path.to_string(),
            reason: reason.to_string(),
        });
    }
}

fn quarantine(run: &mut Run, file: &str, path: &str, reason: &str, json: Vec<u8>) {
    run.report.quarantined += 1;
    if run.report.quarantine_report.len() < REPORT_LIMIT {
        run.report.quarantine_report.push(QuarantineItemDto {
            file: file.to_string(),
            path: path.to_string(),
            reason: reason.to_string(),
        });
    }
    run.batch.quarantined.push(Quarantined {
        file: file.to_string(),
        path: path.to_string(),
        reason: reason.to_string(),
        json,
    });
}

/// Counts by type, for reports built elsewhere (tests).
pub fn by_type(report: &ImportReportDto) -> BTreeMap<String, u64> {
    report.by_type.clone()
}
