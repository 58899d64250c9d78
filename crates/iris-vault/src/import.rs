//! Bulk import (administrators): patients, clinical records, raw resources and quarantined
//! input, written in batches — one transaction and one audit entry per batch, with its counts.
//!
//! The vault knows nothing of FHIR: the caller (iris-core, with iris-fhir) normalizes
//! resources into [`PatientRecord`]s and [`Record`]s and names where each came from with a
//! *source* string (e.g. `Observation/abc` or a content hash). The vault stores only a keyed
//! HMAC of it, unique per table, so importing the same data again — or again after a crash —
//! adds nothing: a batch either committed (and its sources are present) or it did not.

use sqlx::Row;

/// A record ready to insert: (id, patient id, kind, effective time, sealed body, source key).
type PreparedRow = (String, String, &'static str, i64, Vec<u8>, Vec<u8>);

use crate::audit::{NewEntry, Outcome};
use crate::chart::Stored;
use crate::crypto::Place;
use crate::error::VaultError;
use crate::patients;
use crate::users::Action;
use crate::{Actor, Millis, Vault, begin_write, new_id};
use iris_record::Date;
use iris_record::PatientRecord;
use iris_record::Record;

/// Which patient a record belongs to: one already in the vault, or one of this batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatientRef {
    Existing(String),
    /// Index into [`ImportBatch::patients`].
    New(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportPatient {
    pub source: String,
    pub record: PatientRecord,
    /// (system, value): MRN, SSN, driver's licence, insurance numbers.
    pub identifiers: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportRecord {
    pub patient: PatientRef,
    pub source: String,
    pub record: Record,
}

/// A resource kept whole (sealed JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRaw {
    pub patient: Option<PatientRef>,
    pub resource_type: String,
    pub source: String,
    pub json: Vec<u8>,
}

/// Invalid input, kept sealed with where it was and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Quarantined {
    pub file: String,
    pub path: String,
    pub reason: String,
    pub json: Vec<u8>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportBatch {
    pub patients: Vec<ImportPatient>,
    pub records: Vec<ImportRecord>,
    pub raw: Vec<ImportRaw>,
    pub quarantined: Vec<Quarantined>,
    /// Patients the source records as having no known allergies (FHIR: an
    /// AllergyIntolerance coded SNOMED CT 716186003). Applied only to a chart that lists no
    /// allergy, as `record_no_known_allergies` does.
    pub no_known_allergies: Vec<PatientRef>,
}

impl ImportBatch {
    pub fn is_empty(&self) -> bool {
        self.patients.is_empty()
            && self.records.is_empty()
            && self.raw.is_empty()
            && self.quarantined.is_empty()
            && self.no_known_allergies.is_empty()
    }

    pub fn len(&self) -> usize {
        self.patients.len()
            + self.records.len()
            + self.raw.len()
            + self.quarantined.len()
            + self.no_known_allergies.len()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// The vault id of each batch patient (the existing one when already imported).
    pub patient_ids: Vec<String>,
    pub patients_new: usize,
    pub records_new: usize,
    /// Already present from an earlier import (same source): not written again.
    pub already_present: usize,
    pub raw_new: usize,
    pub quarantined: usize,
    /// Patients whose records changed (for derived features).
    pub touched: Vec<String>,
}

const SOURCE: &str = "import-source/v1";
/// Rows per multi-row INSERT (10 parameters each, well under SQLite's 32,766).
const ROWS_PER_STATEMENT: usize = 500;
const IDENTIFIER: &str = "patient-identifier/v1";

impl Vault {
    fn source_key(&self, table: &str, source: &str) -> Vec<u8> {
        self.keys
            .blind_index(SOURCE, &format!("{table}\u{0}{source}"))
    }

    /// The keyed token of an identifier (system and value as given, value trimmed).
    pub fn identifier_token(&self, system: &str, value: &str) -> Vec<u8> {
        self.keys
            .blind_index(IDENTIFIER, &format!("{}|{}", system.trim(), value.trim()))
    }

    /// Which of these source keys the table already holds.
    async fn present_sources<'a>(
        &self,
        conn: &mut sqlx::SqliteConnection,
        table: &str,
        keys: impl Iterator<Item = &'a Vec<u8>>,
    ) -> Result<std::collections::HashSet<Vec<u8>>, VaultError> {
        let keys: Vec<&Vec<u8>> = keys.collect();
        if keys.is_empty() {
            return Ok(Default::default());
        }
        let sql = format!(
            "SELECT source_key FROM {table} WHERE source_key IN ({})",
            vec!["?"; keys.len()].join(", ")
        );
        // Built from fixed text and placeholders only (`table` is one of ours).
        let mut q = sqlx::query_scalar::<_, Vec<u8>>(sqlx::AssertSqlSafe(sql));
        for k in keys {
            q = q.bind(k);
        }
        Ok(q.fetch_all(&mut *conn).await?.into_iter().collect())
    }

    /// The patient imported from `source`, if any (administrators; no PHI is read).
    pub async fn patient_by_source(
        &self,
        actor: &Actor,
        source: &str,
        now: Millis,
    ) -> Result<Option<String>, VaultError> {
        self.authorize(actor, Action::ImportExport, None, now)
            .await?;
        Ok(
            sqlx::query_scalar("SELECT id FROM patients WHERE source_key = ?")
                .bind(self.source_key("patients", source))
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The patient holding this identifier (conditional references `Patient?identifier=`).
    pub async fn patient_by_identifier(
        &self,
        actor: &Actor,
        system: &str,
        value: &str,
        now: Millis,
    ) -> Result<Option<String>, VaultError> {
        self.authorize(actor, Action::ImportExport, None, now)
            .await?;
        Ok(
            sqlx::query_scalar("SELECT patient_id FROM patient_identifiers WHERE token = ?")
                .bind(self.identifier_token(system, value))
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Writes one batch in one transaction with one audit entry (`import.batch`, its counts).
    /// Every patient and record must have been validated by the caller
    /// ([`patients::validate`], [`Record::check`]); one that fails here fails the batch.
    pub async fn import_batch(
        &self,
        actor: &Actor,
        import_id: &str,
        mut batch: ImportBatch,
        now: Millis,
    ) -> Result<BatchOutcome, VaultError> {
        self.authorize(actor, Action::ImportExport, None, now)
            .await?;
        let today = Date::from_unix_ms(now);
        for p in &batch.patients {
            p.record.validate(today).map_err(VaultError::Invalid)?;
        }
        let mut times = Vec::with_capacity(batch.records.len());
        for r in &mut batch.records {
            times.push(r.record.prepare(now)?);
        }
        let mut out = BatchOutcome::default();
        let mut tx = begin_write(&self.pool).await?;
        // Many rows per statement throughout: each statement is a round trip to the SQLite
        // worker thread, which dominated the import's time one row at a time. Which sources
        // are already present is asked first, so counts and touched patients stay exact.

        // Patients: present ones keep their id; new ones get a row, index terms, identifiers.
        let keys: Vec<Vec<u8>> = batch
            .patients
            .iter()
            .map(|p| self.source_key("patients", &p.source))
            .collect();
        let mut known = std::collections::HashMap::new();
        for chunk in keys.chunks(ROWS_PER_STATEMENT) {
            let sql = format!(
                "SELECT source_key, id FROM patients WHERE source_key IN ({})",
                vec!["?"; chunk.len()].join(", ")
            );
            // Fixed text and placeholders only.
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for k in chunk {
                q = q.bind(k);
            }
            for row in q.fetch_all(&mut *tx).await? {
                known.insert(row.get::<Vec<u8>, _>(0), row.get::<String, _>(1));
            }
        }
        let mut patient_rows = Vec::new();
        let mut index_rows = Vec::new();
        let mut identifier_rows = Vec::new();
        for (p, key) in batch.patients.iter().zip(keys) {
            if let Some(id) = known.get(&key) {
                out.already_present += 1;
                out.patient_ids.push(id.clone());
                continue;
            }
            let id = new_id();
            known.insert(key.clone(), id.clone());
            let mut row: Vec<Val> = self
                .patient_columns(&id, &p.record)
                .into_iter()
                .map(Val::blob_or_null)
                .collect();
            row.extend([
                Val::Int(i64::from(self.generation)),
                Val::Int(now),
                Val::Text(id.clone()),
                Val::Int(now),
                Val::Blob(key),
            ]);
            patient_rows.push(row);
            for (kind, value) in patients::index_terms(&p.record) {
                index_rows.push(vec![
                    Val::Blob(self.keys.blind_index(kind, &value)),
                    Val::Text(id.clone()),
                ]);
            }
            for (system, value) in &p.identifiers {
                let iid = new_id();
                let sealed = self.keys.seal(
                    Place {
                        table: "patient_identifiers",
                        column: "value",
                        row: &iid,
                    },
                    value.trim().as_bytes(),
                );
                identifier_rows.push(vec![
                    Val::Blob(self.identifier_token(system, value)),
                    Val::Text(iid),
                    Val::Text(id.clone()),
                    Val::Text(system.clone()),
                    Val::Int(i64::from(self.generation)),
                    Val::Blob(sealed),
                ]);
            }
            out.patients_new += 1;
            out.touched.push(id.clone());
            out.patient_ids.push(id);
        }
        insert_rows(
            &mut tx,
            "INSERT INTO patients (name, birth_date, sex, mrn, address, phone, email, pregnancy,
                                   key_generation, updated_at, id, created_at, source_key)",
            &patient_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT OR IGNORE INTO patient_index (token, patient_id)",
            &index_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT OR IGNORE INTO patient_identifiers (token, id, patient_id, system, key_generation, value)",
            &identifier_rows,
        )
        .await?;
        let patient_of = |r: &PatientRef, ids: &[String]| -> Result<String, VaultError> {
            match r {
                PatientRef::Existing(id) => Ok(id.clone()),
                PatientRef::New(i) => ids
                    .get(*i)
                    .cloned()
                    .ok_or(VaultError::invalid("patient", "batch_index")),
            }
        };
        let prepared: Vec<PreparedRow> = batch
            .records
            .iter()
            .zip(times)
            .map(|(r, at)| {
                let pid = patient_of(&r.patient, &out.patient_ids)?;
                let id = new_id();
                let kind = r.record.kind();
                let body = self.keys.seal(
                    Place {
                        table: "records",
                        column: kind,
                        row: &id,
                    },
                    &r.record.encode(),
                );
                Ok((
                    id,
                    pid,
                    kind,
                    at,
                    body,
                    self.source_key("records", &r.source),
                ))
            })
            .collect::<Result<_, VaultError>>()?;
        for chunk in prepared.chunks(ROWS_PER_STATEMENT) {
            let present = self
                .present_sources(&mut tx, "records", chunk.iter().map(|c| &c.5))
                .await?;
            let fresh: Vec<_> = chunk.iter().filter(|c| !present.contains(&c.5)).collect();
            out.already_present += chunk.len() - fresh.len();
            if fresh.is_empty() {
                continue;
            }
            let mut sql = String::from(
                "INSERT OR IGNORE INTO records (id, patient_id, kind, at, key_generation, body, created_at, created_by, updated_at, source_key) VALUES ",
            );
            sql.push_str(&vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; fresh.len()].join(", "));
            // Fixed text and placeholders only.
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (id, pid, kind, at, body, key) in &fresh {
                q = q
                    .bind(id)
                    .bind(pid)
                    .bind(*kind)
                    .bind(*at)
                    .bind(self.generation)
                    .bind(body)
                    .bind(now)
                    .bind(&actor.name)
                    .bind(now)
                    .bind(key);
            }
            let n = q.execute(&mut *tx).await?.rows_affected() as usize;
            // A source repeated inside one statement is stored once.
            out.records_new += n;
            out.already_present += fresh.len() - n;
            for (_, pid, ..) in &fresh {
                if !out.touched.contains(pid) {
                    out.touched.push(pid.clone());
                }
            }
        }
        // Raw resources; shared ones (an Organization in every bundle) repeat within a batch
        // and are stored once.
        let mut raw_rows = Vec::with_capacity(batch.raw.len());
        for r in &batch.raw {
            let pid = match &r.patient {
                Some(p) => Val::Text(patient_of(p, &out.patient_ids)?),
                None => Val::Null,
            };
            let id = new_id();
            let body = self.keys.seal(
                Place {
                    table: "fhir_resources",
                    column: "body",
                    row: &id,
                },
                &r.json,
            );
            raw_rows.push(vec![
                Val::Blob(self.source_key("fhir_resources", &r.source)),
                Val::Text(id),
                pid,
                Val::Text(r.resource_type.clone()),
                Val::Int(i64::from(self.generation)),
                Val::Blob(body),
                Val::Int(now),
            ]);
        }
        for chunk in raw_rows.chunks(ROWS_PER_STATEMENT) {
            let present = self
                .present_sources(
                    &mut tx,
                    "fhir_resources",
                    chunk.iter().filter_map(|r| match &r[0] {
                        Val::Blob(k) => Some(k),
                        _ => None,
                    }),
                )
                .await?;
            let fresh: Vec<&Vec<Val>> = chunk
                .iter()
                .filter(|r| !matches!(&r[0], Val::Blob(k) if present.contains(k)))
                .collect();
            let n = insert_rows(
                &mut tx,
                "INSERT OR IGNORE INTO fhir_resources (source_key, id, patient_id, resource_type, key_generation, body, imported_at)",
                &fresh,
            )
            .await? as usize;
            out.raw_new += n;
            out.already_present += chunk.len() - n;
        }
        for p in &batch.no_known_allergies {
            let pid = patient_of(p, &out.patient_ids)?;
            let allergies: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM records WHERE patient_id = ? AND kind = 'allergy' AND entered_in_error = 0",
            )
            .bind(&pid)
            .fetch_one(&mut *tx)
            .await?;
            if allergies == 0 {
                self.write_no_known_allergies(&mut tx, &pid, actor, now)
                    .await?;
            }
        }
        for q in &batch.quarantined {
            let id = new_id();
            let body = serde_json::json!({
                "file": q.file,
                "path": q.path,
                "reason": q.reason,
                "resource": String::from_utf8_lossy(&q.json),
            });
            sqlx::query(
                "INSERT INTO quarantine (id, import_id, key_generation, body, created_at) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&id)
            .bind(import_id)
            .bind(self.generation)
            .bind(self.keys.seal(
                Place { table: "quarantine", column: "body", row: &id },
                body.to_string().as_bytes(),
            ))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            out.quarantined += 1;
        }
        let written = out.patients_new + out.records_new + out.raw_new + out.quarantined;
        self.audit(
            &mut tx,
            now,
            NewEntry {
                user: &actor.name,
                role: actor.role.as_str(),
                action: "import.batch",
                patient: None,
                outcome: Outcome::Ok,
                count: written as i64,
                detail: Some(format!(
                    "import={import_id} patients={} records={} raw={} quarantined={} present={}",
                    out.patients_new,
                    out.records_new,
                    out.raw_new,
                    out.quarantined,
                    out.already_present
                )),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// How many rows of each imported kind the vault holds (for import reports and tests).
    pub async fn import_counts(&self) -> Result<ImportCounts, VaultError> {
        let row = sqlx::query(
            "SELECT (SELECT count(*) FROM patients),
                    (SELECT count(*) FROM records WHERE kind = 'encounter'),
                    (SELECT count(*) FROM records WHERE kind = 'observation'),
                    (SELECT count(*) FROM records WHERE kind = 'condition'),
                    (SELECT count(*) FROM records WHERE kind = 'medication'),
                    (SELECT count(*) FROM records WHERE kind = 'allergy'),
                    (SELECT count(*) FROM records WHERE kind = 'procedure'),
                    (SELECT count(*) FROM records WHERE kind = 'immunization'),
                    (SELECT count(*) FROM fhir_resources),
                    (SELECT count(*) FROM quarantine)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(ImportCounts {
            patients: row.get(0),
            encounters: row.get(1),
            observations: row.get(2),
            conditions: row.get(3),
            medications: row.get(4),
            allergies: row.get(5),
            procedures: row.get(6),
            immunizations: row.get(7),
            raw: row.get(8),
            quarantined: row.get(9),
        })
    }
}

/// Everything held about one patient, for export (right of access and portability).
#[derive(Debug, Clone, PartialEq)]
pub struct PatientExport {
    pub id: String,
    pub patient: PatientRecord,
    /// (system, value), as imported.
    pub identifiers: Vec<(String, String)>,
    /// Entered-in-error records are left out.
    pub records: Vec<crate::chart::StoredRecord>,
    /// Resources kept whole: (resourceType, JSON).
    pub raw: Vec<(String, Vec<u8>)>,
}

impl Vault {
    /// The resources kept whole for a patient, opened (the caller has authorized and audits).
    pub(crate) async fn raw_resources(
        &self,
        patient_id: &str,
    ) -> Result<Vec<crate::chart::RawResource>, VaultError> {
        let mut raw = Vec::new();
        for r in sqlx::query(
            "SELECT id, resource_type, body, key_generation FROM fhir_resources WHERE patient_id = ? ORDER BY id",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?
        {
            let id: String = r.get(0);
            let json = self.keys_for(r.get(3))?.open(
                Place { table: "fhir_resources", column: "body", row: &id },
                &r.get::<Vec<u8>, _>(2),
            )?;
            raw.push(crate::chart::RawResource {
                id,
                resource_type: r.get(1),
                json,
            });
        }
        Ok(raw)
    }

    /// Every patient, ordered by id (physicians and administrators), audited with its count.
    pub async fn list_patients(
        &self,
        actor: &Actor,
        limit: u32,
        offset: u32,
        now: Millis,
    ) -> Result<Vec<(String, PatientRecord)>, VaultError> {
        let action = if crate::users::permits(actor.role, Action::ReadChart) {
            Action::ReadChart
        } else {
            Action::ImportExport
        };
        self.authorize(actor, action, None, now).await?;
        let rows = sqlx::query("SELECT * FROM patients ORDER BY id LIMIT ? OFFSET ?")
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        let out = rows
            .iter()
            .map(|r| self.decode_patient(r))
            .collect::<Result<Vec<_>, _>>()?;
        self.audit_alone(
            now,
            NewEntry {
                user: &actor.name,
                role: actor.role.as_str(),
                action: "patient.list",
                patient: None,
                outcome: Outcome::Ok,
                count: out.len() as i64,
                detail: None,
            },
        )
        .await?;
        Ok(out)
    }

    /// A patient's whole record for export (administrators), audited.
    pub async fn export_patient(
        &self,
        actor: &Actor,
        id: &str,
        now: Millis,
    ) -> Result<PatientExport, VaultError> {
        self.authorize(actor, Action::ImportExport, Some(id), now)
            .await?;
        let row = sqlx::query("SELECT * FROM patients WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(VaultError::NotFound { what: "patient" })?;
        let (_, patient) = self.decode_patient(&row)?;
        let mut identifiers = Vec::new();
        for r in sqlx::query(
            "SELECT id, system, value, key_generation FROM patient_identifiers WHERE patient_id = ? ORDER BY system, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        {
            let iid: String = r.get(0);
            let value = self.keys_for(r.get(3))?.open_string(
                Place { table: "patient_identifiers", column: "value", row: &iid },
                &r.get::<Vec<u8>, _>(2),
            )?;
            identifiers.push((r.get(1), value));
        }
        let mut records = Vec::new();
        for r in sqlx::query(
            "SELECT id, kind, body, created_by, created_at, key_generation FROM records
             WHERE patient_id = ? AND entered_in_error = 0 ORDER BY at, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        {
            let rid: String = r.get(0);
            let kind: String = r.get(1);
            let plain = self.keys_for(r.get(5))?.open(
                Place {
                    table: "records",
                    column: &kind,
                    row: &rid,
                },
                &r.get::<Vec<u8>, _>(2),
            )?;
            records.push(crate::chart::StoredRecord {
                record: Record::decode(&kind, &plain)?,
                id: rid,
                created_by: r.get(3),
                created_at: r.get(4),
            });
        }
        let raw: Vec<(String, Vec<u8>)> = self
            .raw_resources(id)
            .await?
            .into_iter()
            .map(|r| (r.resource_type, r.json))
            .collect();
        let count = (1 + identifiers.len() + records.len() + raw.len()) as i64;
        self.audit_alone(
            now,
            NewEntry {
                user: &actor.name,
                role: actor.role.as_str(),
                action: "patient.export",
                patient: Some(id),
                outcome: Outcome::Ok,
                count,
                detail: None,
            },
        )
        .await?;
        Ok(PatientExport {
            id: id.to_string(),
            patient,
            identifiers,
            records,
            raw,
        })
    }
}

impl Vault {
    /// Every numeric observation of the patients, for derived features (administrators; the
    /// reads are audited by [`Vault::store_features`], once per recomputation).
    pub async fn observations_for_features(
        &self,
        actor: &Actor,
        patient_id: &str,
        now: Millis,
    ) -> Result<Vec<iris_record::Observation>, VaultError> {
        self.authorize(actor, Action::ImportExport, None, now)
            .await?;
        let mut out = Vec::new();
        for r in sqlx::query(
            "SELECT id, body, key_generation FROM records
             WHERE patient_id = ? AND kind = 'observation' AND entered_in_error = 0",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?
        {
            let rid: String = r.get(0);
            let plain = self.keys_for(r.get(2))?.open(
                Place {
                    table: "records",
                    column: "observation",
                    row: &rid,
                },
                &r.get::<Vec<u8>, _>(1),
            )?;
            if let Record::Observation(o) = Record::decode("observation", &plain)? {
                out.push(o);
            }
        }
        Ok(out)
    }

    /// Stores derived features (sealed JSON) for each patient, in one transaction with one
    /// audit entry (`features.recompute`, the number of patients).
    pub async fn store_features(
        &self,
        actor: &Actor,
        features: &[(String, Vec<u8>)],
        now: Millis,
    ) -> Result<(), VaultError> {
        self.authorize(actor, Action::ImportExport, None, now)
            .await?;
        if features.is_empty() {
            return Ok(());
        }
        let mut tx = begin_write(&self.pool).await?;
        for (pid, body) in features {
            sqlx::query(
                "INSERT INTO gold_features (patient_id, key_generation, body, updated_at) VALUES (?, ?, ?, ?)
                 ON CONFLICT (patient_id) DO UPDATE SET key_generation = excluded.key_generation,
                     body = excluded.body, updated_at = excluded.updated_at",
            )
            .bind(pid)
            .bind(self.generation)
            .bind(self.keys.seal(Place { table: "gold_features", column: "body", row: pid }, body))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        self.audit(
            &mut tx,
            now,
            NewEntry {
                user: &actor.name,
                role: actor.role.as_str(),
                action: "features.recompute",
                patient: None,
                outcome: Outcome::Ok,
                count: features.len() as i64,
                detail: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The stored features of a patient (administrators), if computed.
    pub async fn features(
        &self,
        actor: &Actor,
        patient_id: &str,
        now: Millis,
    ) -> Result<Option<Vec<u8>>, VaultError> {
        self.authorize(actor, Action::ImportExport, Some(patient_id), now)
            .await?;
        let Some((body, generation)) = sqlx::query_as::<_, (Vec<u8>, i64)>(
            "SELECT body, key_generation FROM gold_features WHERE patient_id = ?",
        )
        .bind(patient_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        Ok(Some(self.keys_for(generation)?.open(
            Place {
                table: "gold_features",
                column: "body",
                row: patient_id,
            },
            &body,
        )?))
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub patients: i64,
    pub encounters: i64,
    pub observations: i64,
    pub conditions: i64,
    pub medications: i64,
    pub allergies: i64,
    pub procedures: i64,
    pub immunizations: i64,
    pub raw: i64,
    pub quarantined: i64,
}

/// A bound value of a multi-row INSERT.
#[derive(Debug, Clone)]
enum Val {
    Text(String),
    Blob(Vec<u8>),
    Int(i64),
    Null,
}

impl Val {
    fn blob_or_null(v: Option<Vec<u8>>) -> Self {
        v.map_or(Val::Null, Val::Blob)
    }
}

/// Inserts `rows` (all the same width) with `head` (`INSERT … (columns)`), up to
/// [`ROWS_PER_STATEMENT`] rows per statement; the number of rows written.
async fn insert_rows<R: AsRef<[Val]>>(
    conn: &mut sqlx::SqliteConnection,
    head: &str,
    rows: &[R],
) -> Result<u64, VaultError> {
    let mut written = 0;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let width = chunk[0].as_ref().len();
        let one = format!("({})", vec!["?"; width].join(", "));
        let sql = format!(
            "{head} VALUES {}",
            vec![one.as_str(); chunk.len()].join(", ")
        );
        // Fixed text and placeholders only (`head` is one of ours).
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            let row = row.as_ref();
            debug_assert_eq!(row.len(), width);
            for v in row {
                q = match v {
                    Val::Text(t) => q.bind(t.as_str()),
                    Val::Blob(b) => q.bind(b.as_slice()),
                    Val::Int(i) => q.bind(*i),
                    Val::Null => q.bind(Option::<i64>::None),
                };
            }
        }
        written += q.execute(&mut *conn).await?.rows_affected();
    }
    Ok(written)
}
