//! The FHIR import pipeline: files → iris-fhir's streaming readers (on a reader thread, through
//! a bounded channel, so memory stays bounded whatever the file size) → normalization and
//! reference resolution here → the vault in batches (one transaction and one audit entry
//! each).
//!
//! Rules: in a batch, collection, searchset or NDJSON file an invalid resource is quarantined
//! and the rest proceeds; a transaction bundle is all or nothing (one invalid entry
//! quarantines the whole bundle) and the import goes on with the next bundle or file.
//! Re-importing the same data adds nothing (sources are keyed hashes, unique in the vault); a
//! run killed at any moment and started again ends with the same vault, because a batch either
//! committed or left no trace.

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
    /// A Bundle starts; transactions are all or nothing.
    BundleStart {
        transaction: bool,
    },
    BundleEnd,
    Resource {
        resource_type: String,
        id: Option<String>,
        /// `fullUrl` of the bundle entry, if any.
        full_url: Option<String>,
        /// The reader thread's normalization of it.
        mapped: Option<Result<Mapped, (String, String)>>,
        /// Where it is, e.g. `$.entry[3]` or `line 12`.
        location: String,
        json: Vec<u8>,
    },
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

/// A resource read and not yet placed.
struct Pending {
    resource_type: String,
    id: Option<String>,
    full_url: Option<String>,
    location: String,
    json: Vec<u8>,
    /// Normalized and checked on the reader thread (the second core), when it could be.
    mapped: Option<Result<Mapped, (String, String)>>,
}

impl Pending {
    fn take_mapped(&mut self, now: i64) -> Result<Mapped, (String, String)> {
        self.mapped.take().unwrap_or_else(|| {
            fhir_map::map(&self.resource_type, self.id.as_deref(), &self.json, now)
        })
    }
}

/// Progress and results of one run.
#[derive(Default)]
struct Run {
    report: ImportReportDto,
    /// Sources seen in this run (64-bit hashes, so a file of millions of resources costs a few
    /// tens of MB, not their names): a second one is a duplicated id.
    seen: HashSet<u64>,
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
        self.run_import(&v, &actor, sources, &progress).await
    }

    /// Imports `sources` as `actor` (an administrator), then recomputes the gold features of
    /// the patients it touched.
    pub(crate) async fn run_import(
        &self,
        v: &iris_vault::Vault,
        actor: &iris_vault::Actor,
        sources: Vec<Source>,
        progress: &(dyn Fn(ImportProgressDto) + Sync),
    ) -> Result<ImportReportDto, ApiError> {
        let started = std::time::Instant::now();
        let import_id = format!("imp-{:x}", self.now_ms());
        let mut run = Run::default();
        progress(ImportProgressDto {
            files_total: sources.len() as u64,
            ..Default::default()
        });
        self.import_files(v, actor, &import_id, sources, &mut run, progress)
            .await?;
        self.recompute_features(v, actor, &run.touched).await?;
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
        // A transaction bundle's entries, held until the bundle ends.
        let mut transaction: Option<Vec<Pending>> = None;
        while let Some(chunk) = rx.recv().await {
            for ev in chunk {
                match ev {
                    Event::FileStart { index } => {
                        name.clone_from(&names[index]);
                        transaction = None;
                    }
                    Event::FileEnd { index } => {
                        if let Some(entries) = transaction.take() {
                            // Cannot happen (the reader closes what it opens); never applied.
                            for p in entries {
                                quarantine(
                                    run,
                                    &name,
                                    &p.location,
                                    "transaction bundle is incomplete: not applied",
                                    p.json,
                                );
                            }
                        }
                        files_done = index as u64 + 1;
                    }
                    Event::BundleStart { transaction: true } => transaction = Some(Vec::new()),
                    Event::BundleStart { transaction: false } => {}
                    Event::BundleEnd => {
                        if let Some(entries) = transaction.take() {
                            self.transaction(v, actor, import_id, &name, entries, run)
                                .await?;
                        }
                    }
                    Event::Resource {
                        resource_type,
                        id,
                        full_url,
                        mapped,
                        location,
                        json,
                    } => {
                        run.report.resources_read += 1;
                        let p = Pending {
                            resource_type,
                            id,
                            full_url,
                            location,
                            json,
                            mapped,
                        };
                        match transaction.as_mut() {
                            Some(t) => t.push(p),
                            None => {
                                self.resource(v, actor, &name, p, run).await?;
                                if run.batch.len() >= BATCH {
                                    self.commit(v, actor, import_id, run).await?;
                                }
                            }
                        }
                    }
                    Event::Invalid { location, reason } | Event::Stop { location, reason } => {
                        run.report.resources_read += 1;
                        quarantine(run, &name, &location, &reason, Vec::new());
                        if let Some(entries) = transaction.take() {
                            // A transaction cut short is not applied.
                            for p in entries {
                                quarantine(
                                    run,
                                    &name,
                                    &p.location,
                                    "transaction bundle is incomplete: not applied",
                                    p.json,
                                );
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

    /// All entries of a transaction bundle, or none: every entry is normalized and validated
    /// first; one failure quarantines the whole bundle.
    async fn transaction(
        &self,
        v: &iris_vault::Vault,
        actor: &iris_vault::Actor,
        import_id: &str,
        file: &str,
        entries: Vec<Pending>,
        run: &mut Run,
    ) -> Result<(), ApiError> {
        let mut failure = None;
        let mut mapped = Vec::with_capacity(entries.len());
        let mut local_sources = HashSet::new();
        let mut entries = entries;
        let now = self.now_ms();
        for p in &mut entries {
            let result = p.take_mapped(now);
            let (full_url, location) = (&p.full_url, &p.location);
            match result {
                Ok(m) => {
                    let shared = matches!(&m, Mapped::Raw { subject: None, .. });
                    if !shared
                        && (!local_sources.insert(m.source())
                            || run.seen.contains(&seen_key(&m.source())))
                    {
                        failure.get_or_insert((
                            location.clone(),
                            "duplicated resource id".to_string(),
                        ));
                    }
                    mapped.push((full_url.clone(), location.clone(), m));
                }
                Err((path, reason)) => {
                    failure.get_or_insert((format!("{location}{path}"), reason));
                    mapped.push((full_url.clone(), location.clone(), Mapped::Nothing));
                }
            }
        }
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
            );
            let saved_pending = run.pending.clone();
            let sources: Vec<String> = mapped.iter().map(|(_, _, m)| m.source()).collect();
            for (full_url, location, m) in mapped {
                if let Err(reason) = self.place(v, actor, full_url, m, run).await {
                    failure = Some((location, reason));
                    break;
                }
            }
            if failure.is_some() {
                run.batch.patients.truncate(mark.0);
                run.batch.records.truncate(mark.1);
                run.batch.raw.truncate(mark.2);
                run.batch_types.truncate(mark.3);
                run.batch.no_known_allergies.truncate(mark.4);
                run.pending = saved_pending;
                for s in &sources {
                    run.seen.remove(&seen_key(s));
                }
            }
        }
        match failure {
            None => {
                if run.batch.len() >= BATCH {
                    self.commit(v, actor, import_id, run).await?;
                }
                Ok(())
            }
            Some((where_, why)) => {
                let reason = format!("transaction bundle not applied: {where_}: {why}");
                for p in entries {
                    quarantine(run, file, &p.location, &reason, p.json);
                }
                Ok(())
            }
        }
    }

    /// One resource outside a transaction: mapped, placed in the batch, or quarantined.
    async fn resource(
        &self,
        v: &iris_vault::Vault,
        actor: &iris_vault::Actor,
        file: &str,
        mut p: Pending,
        run: &mut Run,
    ) -> Result<(), ApiError> {
        let result = p.take_mapped(self.now_ms());
        let Pending {
            full_url,
            location,
            json,
            ..
        } = p;
        let location = location.as_str();
        match result {
            Err((path, reason)) => {
                quarantine(run, file, &format!("{location}{path}"), &reason, json);
            }
            Ok(m) => {
                // A shared resource (Organization, Practitioner, …) repeated across bundles is
                // the same resource: stored once. Anything else twice is a duplicated id.
                let shared = matches!(&m, Mapped::Raw { subject: None, .. });
                if !run.seen.insert(seen_key(&m.source())) && !shared {
                    quarantine(
                        run,
                        file,
                        location,
                        "duplicated resource id in this import",
                        json,
                    );
                    return Ok(());
                }
                if let Err(reason) = self.place(v, actor, full_url, m, run).await {
                    quarantine(run, file, location, &reason, json);
                }
            }
        }
        Ok(())
    }

    /// Puts a mapped resource into the batch, resolving its patient reference.
    async fn place(
        &self,
        v: &iris_vault::Vault,
        actor: &iris_vault::Actor,
        full_url: Option<String>,
        m: Mapped,
        run: &mut Run,
    ) -> Result<(), String> {
        run.seen.insert(seen_key(&m.source()));
        match m {
            Mapped::Nothing => Ok(()),
            Mapped::Patient {
                source,
                id,
                record,
                identifiers,
            } => {
                let index = run.batch.patients.len();
                run.batch.patients.push(ImportPatient {
                    source,
                    record: *record,
                    identifiers,
                });
                run.batch_types.push("Patient".into());
                if let Some(u) = full_url {
                    run.pending.insert(u, index);
                }
                if let Some(id) = id {
                    // NDJSON has no fullUrl: a UUID id is also what `urn:uuid:` references
                    // name (Synthea writes fullUrl = urn:uuid:<id>).
                    if iris_fhir::reference::is_uuid(&id) {
                        run.pending.insert(format!("urn:uuid:{id}"), index);
                    }
                    run.pending.insert(format!("Patient/{id}"), index);
                }
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
                let patient = match subject {
                    Some(s) => Some(self.resolve(v, actor, &s, run).await?),
                    None => None,
                };
                run.batch.raw.push(ImportRaw {
                    patient,
                    resource_type: resource_type.clone(),
                    source,
                    json,
                });
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
        if let Some(i) = run.pending.get(reference) {
            return Ok(PatientRef::New(*i));
        }
        if let Some(id) = run.patients.get(reference) {
            return Ok(PatientRef::Existing(id.clone()));
        }
        let now = self.now_ms();
        let found = match fhir_map::patient_lookup(reference) {
            fhir_map::Lookup::Source(source) => v.patient_by_source(actor, &source, now).await,
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

/// A source's key in [`Run::seen`] (SipHash with fixed keys: the same in every run).
fn seen_key(source: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    source.hash(&mut h);
    h.finish()
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
