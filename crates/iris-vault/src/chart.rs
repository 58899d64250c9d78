//! The chart: clinical records and notes of one patient, sealed, permission-checked and audited.

use sqlx::Row;

use crate::audit::{NewEntry, Outcome};
use crate::crypto::Place;
use crate::error::VaultError;
use crate::users::Action;
use crate::{Actor, Authorized, Millis, Vault, begin_write, new_id};
use iris_record::records::{Encounter, NoteContent, Observation};
use iris_record::{EncounterClass, EncounterStatus};
use iris_record::{PatientRecord, Record};

/// Laboratory codes measured at the bedside by nursing staff: LOINC 2339-0, glucose
/// [mass/volume] in blood (a glucometer reading).
pub const POINT_OF_CARE: [&str; 1] = [iris_record::codes::loinc::GLUCOSE_BLOOD];

/// What the vault does with a record beyond the model's own rules: the permission to write
/// it, its sealed encoding, and validation as a vault error.
pub(crate) trait Stored: Sized {
    fn action(&self) -> Action;
    fn prepare(&mut self, now: Millis) -> Result<Millis, VaultError>;
    fn encode(&self) -> Vec<u8>;
    fn decode(kind: &str, b: &[u8]) -> Result<Self, VaultError>;
}

impl Stored for Record {
    /// What a role needs to write this record: nurses record vitals, bedside (point-of-care)
    /// measurements and medications.
    fn action(&self) -> Action {
        match self {
            Record::Observation(o)
                if o.is_vital_sign() || POINT_OF_CARE.contains(&o.code.as_str()) =>
            {
                Action::RecordVitals
            }
            Record::Medication(_) => Action::RecordMedications,
            _ => Action::WriteChart,
        }
    }

    /// Validates and normalizes ([`Record::check`]); returns the ordering time.
    fn prepare(&mut self, now: Millis) -> Result<Millis, VaultError> {
        self.check(now).map_err(VaultError::Invalid)
    }

    fn encode(&self) -> Vec<u8> {
        match self {
            Record::Observation(x) => serde_json::to_vec(x),
            Record::Condition(x) => serde_json::to_vec(x),
            Record::Medication(x) => serde_json::to_vec(x),
            Record::Allergy(x) => serde_json::to_vec(x),
            Record::Encounter(x) => serde_json::to_vec(x),
            Record::Procedure(x) => serde_json::to_vec(x),
            Record::Immunization(x) => serde_json::to_vec(x),
        }
        .expect("records always encode")
    }

    fn decode(kind: &str, b: &[u8]) -> Result<Record, VaultError> {
        let bad = |_| VaultError::Integrity;
        Ok(match kind {
            "observation" => Record::Observation(serde_json::from_slice(b).map_err(bad)?),
            "condition" => Record::Condition(serde_json::from_slice(b).map_err(bad)?),
            "medication" => Record::Medication(serde_json::from_slice(b).map_err(bad)?),
            "allergy" => Record::Allergy(serde_json::from_slice(b).map_err(bad)?),
            "encounter" => Record::Encounter(serde_json::from_slice(b).map_err(bad)?),
            "procedure" => Record::Procedure(serde_json::from_slice(b).map_err(bad)?),
            "immunization" => Record::Immunization(serde_json::from_slice(b).map_err(bad)?),
            _ => return Err(VaultError::Integrity),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    pub id: String,
    pub record: Record,
    pub created_by: String,
    pub created_at: Millis,
}

/// "No known allergies" recorded is not the same as nothing recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllergyState {
    NotRecorded,
    NoKnownAllergies {
        recorded_at: Millis,
        recorded_by: String,
    },
    Recorded,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addendum {
    pub id: String,
    pub author: String,
    pub signed_at: Millis,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: String,
    pub encounter_id: Option<String>,
    pub content: NoteContent,
    pub author: String,
    pub created_at: Millis,
    pub signed_at: Option<Millis>,
    pub signed_by: Option<String>,
    pub addenda: Vec<Addendum>,
    pub entered_in_error: bool,
}

/// Everything shown when a chart is opened. Entered-in-error records and notes are left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub patient_id: String,
    pub patient: PatientRecord,
    /// Newest first, by effective / onset / start time.
    pub records: Vec<StoredRecord>,
    pub allergy_state: AllergyState,
    pub notes: Vec<Note>,
    /// Resources imported whole because Iris does not structure them (claims, care plans,
    /// documents …): kept, listed with the chart, never dropped.
    pub raw: Vec<RawResource>,
}

/// A resource kept as imported (sealed JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResource {
    pub id: String,
    pub resource_type: String,
    pub json: Vec<u8>,
}

impl Chart {
    pub fn observations(&self) -> impl Iterator<Item = &Observation> + Clone {
        self.records.iter().filter_map(|r| match &r.record {
            Record::Observation(o) => Some(o),
            _ => None,
        })
    }
}

fn place<'a>(table: &'a str, column: &'a str, row: &'a str) -> Place<'a> {
    Place { table, column, row }
}

impl Vault {
    fn entry<'a>(
        &self,
        actor: &'a Actor,
        auth: Authorized,
        action: &'static str,
        patient: &'a str,
        count: i64,
        extra: Option<String>,
    ) -> NewEntry<'a> {
        let bg = match auth {
            Authorized::ByRole => None,
            Authorized::BreakGlass(id) => Some(format!("break_glass={id}")),
        };
        NewEntry {
            user: &actor.name,
            role: actor.role.as_str(),
            action,
            patient: Some(patient),
            outcome: Outcome::Ok,
            count,
            detail: match (bg, extra) {
                (Some(a), Some(b)) => Some(format!("{b} {a}")),
                (a, b) => a.or(b),
            },
        }
    }

    /// Inserts one (validated) record row, sealed, in the caller's transaction.
    #[allow(clippy::too_many_arguments)]
    async fn insert_record(
        &self,
        conn: &mut sqlx::SqliteConnection,
        id: &str,
        patient_id: &str,
        record: &Record,
        at: Millis,
        actor: &Actor,
        now: Millis,
    ) -> Result<(), VaultError> {
        sqlx::query(
            "INSERT INTO records (id, patient_id, kind, at, key_generation, body, created_at, created_by, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(patient_id)
        .bind(record.kind())
        .bind(at)
        .bind(self.generation)
        .bind(self.keys.seal(place("records", record.kind(), id), &record.encode()))
        .bind(now)
        .bind(&actor.name)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Inserts one draft note row, sealed, in the caller's transaction.
    #[allow(clippy::too_many_arguments)]
    async fn insert_note(
        &self,
        conn: &mut sqlx::SqliteConnection,
        id: &str,
        patient_id: &str,
        encounter_id: Option<&str>,
        content: &NoteContent,
        actor: &Actor,
        now: Millis,
    ) -> Result<(), VaultError> {
        sqlx::query(
            "INSERT INTO notes (id, patient_id, encounter_id, key_generation, body, author, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(patient_id)
        .bind(encounter_id)
        .bind(self.generation)
        .bind(self.keys.seal(
            place("notes", "body", id),
            &serde_json::to_vec(content).expect("note content encodes"),
        ))
        .bind(&actor.name)
        .bind(now)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Adds one record to a chart; returns its id.
    pub async fn add_record(
        &self,
        actor: &Actor,
        patient_id: &str,
        record: Record,
        now: Millis,
    ) -> Result<String, VaultError> {
        let mut ids = self
            .add_records(actor, patient_id, vec![record], now)
            .await?;
        Ok(ids.pop().expect("one id per record"))
    }

    /// Adds records in one transaction with one audit entry (a batch, e.g. an import or a lab
    /// panel). All are validated first: one invalid record writes nothing; field names are
    /// prefixed with the record's index (`3.value`).
    pub async fn add_records(
        &self,
        actor: &Actor,
        patient_id: &str,
        records: Vec<Record>,
        now: Millis,
    ) -> Result<Vec<String>, VaultError> {
        self.add_records_noted(actor, patient_id, records, None, now)
            .await
    }

    /// [`Vault::add_records`] with a note appended to the audit entry's detail, e.g.
    /// `override=drug-drug:major` or `triage_esi=2 proposed=3`. The note is PHI-free by
    /// construction: only lower-case ASCII letters, digits and `=:,._-` separated by spaces.
    pub async fn add_records_noted(
        &self,
        actor: &Actor,
        patient_id: &str,
        mut records: Vec<Record>,
        note: Option<&str>,
        now: Millis,
    ) -> Result<Vec<String>, VaultError> {
        if let Some(n) = note
            && (n.is_empty()
                || n.len() > 300
                || !n.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b" =:,._-".contains(&b)
                }))
        {
            return Err(VaultError::invalid("audit_note", "codes_only"));
        }
        let mut actions: Vec<Action> = records.iter().map(Record::action).collect();
        actions.sort_by_key(|a| *a as u8);
        actions.dedup();
        let mut auth = Authorized::ByRole;
        for a in actions {
            if let Authorized::BreakGlass(id) =
                self.authorize(actor, a, Some(patient_id), now).await?
            {
                auth = Authorized::BreakGlass(id);
            }
        }
        self.require_patient(patient_id).await?;
        let many = records.len() > 1;
        let mut times = Vec::with_capacity(records.len());
        let mut errs = Vec::new();
        for (i, r) in records.iter_mut().enumerate() {
            match r.prepare(now) {
                Ok(t) => times.push(t),
                Err(VaultError::Invalid(fs)) => errs.extend(fs.into_iter().map(|mut f| {
                    if many {
                        f.field = format!("{i}.{}", f.field);
                    }
                    f
                })),
                Err(e) => return Err(e),
            }
        }
        if !errs.is_empty() {
            return Err(VaultError::Invalid(errs));
        }
        let mut tx = begin_write(&self.pool).await?;
        let mut ids = Vec::with_capacity(records.len());
        let mut any_allergy = false;
        for (r, at) in records.iter().zip(times) {
            let id = new_id();
            self.insert_record(&mut tx, &id, patient_id, r, at, actor, now)
                .await?;
            any_allergy |= matches!(r, Record::Allergy(_));
            ids.push(id);
        }
        // A real allergy supersedes an earlier "no known allergies".
        if any_allergy {
            sqlx::query("DELETE FROM allergy_status WHERE patient_id = ?")
                .bind(patient_id)
                .execute(&mut *tx)
                .await?;
        }
        let kinds: std::collections::BTreeSet<&str> = records.iter().map(Record::kind).collect();
        let kinds = kinds.into_iter().collect::<Vec<_>>().join(",");
        self.audit(
            &mut tx,
            now,
            self.entry(
                actor,
                auth,
                "record.add",
                patient_id,
                ids.len() as i64,
                Some(match note {
                    Some(n) => format!("kinds={kinds} {n}"),
                    None => format!("kinds={kinds}"),
                }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Marks a record entered in error: kept (with the sealed reason), hidden from the chart.
    pub async fn record_entered_in_error(
        &self,
        actor: &Actor,
        record_id: &str,
        reason: &str,
        now: Millis,
    ) -> Result<(), VaultError> {
        let row = sqlx::query(
            "SELECT patient_id, entered_in_error, kind, body, key_generation FROM records WHERE id = ?",
        )
        .bind(record_id)
        .fetch_optional(&self.pool)
            .await?
            .ok_or(VaultError::NotFound { what: "record" })?;
        let patient_id: String = row.get(0);
        let auth = self
            .authorize(actor, Action::WriteChart, Some(&patient_id), now)
            .await?;
        check_reason(reason)?;
        if row.get::<i64, _>(1) != 0 {
            return Err(VaultError::Conflict(
                "already marked entered in error".into(),
            ));
        }
        let mut tx = begin_write(&self.pool).await?;
        // Body and reason are (re)sealed under the current generation together, so the row has
        // one key generation.
        let kind: String = row.get(2);
        let body = self.keys_for(row.get(4))?.open(
            place("records", &kind, record_id),
            &row.get::<Vec<u8>, _>(3),
        )?;
        sqlx::query(
            "UPDATE records SET entered_in_error = 1, body = ?, error_reason = ?, key_generation = ?, updated_at = ?
             WHERE id = ?",
        )
        .bind(self.keys.seal(place("records", &kind, record_id), &body))
        .bind(self.keys.seal(place("records", "error_reason", record_id), reason.trim().as_bytes()))
        .bind(self.generation)
        .bind(now)
            .bind(record_id)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            now,
            self.entry(
                actor,
                auth,
                "record.entered_in_error",
                &patient_id,
                1,
                Some(format!("record={record_id}")),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes the "no known allergies" state of a patient in the caller's transaction.
    pub(crate) async fn write_no_known_allergies(
        &self,
        tx: &mut sqlx::SqliteConnection,
        patient_id: &str,
        actor: &Actor,
        now: Millis,
    ) -> Result<(), VaultError> {
        let body =
            serde_json::json!({"no_known": true, "recorded_at": now, "recorded_by": actor.name})
                .to_string();
        sqlx::query("INSERT OR REPLACE INTO allergy_status (patient_id, key_generation, body) VALUES (?, ?, ?)")
            .bind(patient_id)
            .bind(self.generation)
            .bind(self.keys.seal(place("allergy_status", "body", patient_id), body.as_bytes()))
            .execute(&mut *tx)
            .await?;
        Ok(())
    }

    /// Records "no known allergies" explicitly. Refused while the chart lists allergies.
    pub async fn record_no_known_allergies(
        &self,
        actor: &Actor,
        patient_id: &str,
        now: Millis,
    ) -> Result<(), VaultError> {
        let auth = self
            .authorize(actor, Action::WriteChart, Some(patient_id), now)
            .await?;
        self.require_patient(patient_id).await?;
        let active: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM records WHERE patient_id = ? AND kind = 'allergy' AND entered_in_error = 0",
        )
        .bind(patient_id)
        .fetch_one(&self.pool)
        .await?;
        if active > 0 {
            return Err(VaultError::Conflict(
                "the chart lists allergies; mark them entered in error first".into(),
            ));
        }
        let mut tx = begin_write(&self.pool).await?;
        self.write_no_known_allergies(&mut tx, patient_id, actor, now)
            .await?;
        self.audit(
            &mut tx,
            now,
            self.entry(actor, auth, "allergy.no_known", patient_id, 1, None),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Opens a chart: the patient, every visible record (newest first), allergy state and
    /// notes with their addenda. One audit entry counts what was disclosed.
    pub async fn open_chart(
        &self,
        actor: &Actor,
        patient_id: &str,
        now: Millis,
    ) -> Result<Chart, VaultError> {
        let auth = self
            .authorize(actor, Action::ReadChart, Some(patient_id), now)
            .await?;
        let prow = sqlx::query("SELECT * FROM patients WHERE id = ?")
            .bind(patient_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(VaultError::NotFound { what: "patient" })?;
        let (_, patient) = self.decode_patient(&prow)?;
        let rows = sqlx::query(
            "SELECT id, kind, body, created_by, created_at, key_generation FROM records
             WHERE patient_id = ? AND entered_in_error = 0 ORDER BY at DESC, id",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?;
        let mut records = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.get(0);
            let kind: String = r.get(1);
            let body: Vec<u8> = r.get(2);
            let plain = self
                .keys_for(r.get(5))?
                .open(place("records", &kind, &id), &body)?;
            records.push(StoredRecord {
                record: Record::decode(&kind, &plain)?,
                id,
                created_by: r.get(3),
                created_at: r.get(4),
            });
        }
        let allergy_state = if records
            .iter()
            .any(|r| matches!(r.record, Record::Allergy(_)))
        {
            AllergyState::Recorded
        } else {
            match sqlx::query_as::<_, (Vec<u8>, i64)>(
                "SELECT body, key_generation FROM allergy_status WHERE patient_id = ?",
            )
            .bind(patient_id)
            .fetch_optional(&self.pool)
            .await?
            {
                None => AllergyState::NotRecorded,
                Some((b, g)) => {
                    let v: serde_json::Value = serde_json::from_slice(
                        &self
                            .keys_for(g)?
                            .open(place("allergy_status", "body", patient_id), &b)?,
                    )
                    .map_err(|_| VaultError::Integrity)?;
                    AllergyState::NoKnownAllergies {
                        recorded_at: v["recorded_at"].as_i64().unwrap_or_default(),
                        recorded_by: v["recorded_by"].as_str().unwrap_or_default().to_string(),
                    }
                }
            }
        };
        let note_ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM notes WHERE patient_id = ? AND entered_in_error = 0 ORDER BY created_at DESC, id",
        )
        .bind(patient_id)
        .fetch_all(&self.pool)
        .await?;
        let mut notes = Vec::with_capacity(note_ids.len());
        for id in &note_ids {
            notes.push(self.load_note(id).await?);
        }
        let raw = self.raw_resources(patient_id).await?;
        let count = (1 + records.len() + notes.len() + raw.len()) as i64;
        self.audit_alone(
            now,
            self.entry(actor, auth, "chart.open", patient_id, count, None),
        )
        .await?;
        Ok(Chart {
            patient_id: patient_id.to_string(),
            patient,
            records,
            allergy_state,
            notes,
            raw,
        })
    }

    // ----- notes -------------------------------------------------------------------------

    fn content_hash(&self, content: &NoteContent) -> Vec<u8> {
        let canonical = serde_json::to_string(content).expect("note content encodes");
        self.keys.blind_index("note-content/v1", &canonical)
    }

    /// Starts an encounter now (status in-progress) with its draft note, in one transaction
    /// with one audit entry. Physicians and nurses may start one (so may break-glass); signing
    /// the note finishes the encounter. Returns (encounter id, note id).
    pub async fn start_encounter(
        &self,
        actor: &Actor,
        patient_id: &str,
        class: EncounterClass,
        reason: &str,
        note: &NoteContent,
        now: Millis,
    ) -> Result<(String, String), VaultError> {
        let auth = self
            .authorize(actor, Action::DraftNote, Some(patient_id), now)
            .await?;
        let encounter = Encounter {
            class,
            status: EncounterStatus::InProgress,
            start: now,
            end: None,
            reason: reason.trim().to_string(),
        };
        let mut errs = encounter.validate(now).err().unwrap_or_default();
        errs.extend(note.validate().err().unwrap_or_default());
        if !errs.is_empty() {
            return Err(VaultError::Invalid(errs));
        }
        self.require_patient(patient_id).await?;
        let eid = new_id();
        let nid = new_id();
        let record = Record::Encounter(encounter);
        let mut tx = begin_write(&self.pool).await?;
        self.insert_record(&mut tx, &eid, patient_id, &record, now, actor, now)
            .await?;
        self.insert_note(&mut tx, &nid, patient_id, Some(&eid), note, actor, now)
            .await?;
        self.audit(
            &mut tx,
            now,
            self.entry(
                actor,
                auth,
                "encounter.start",
                patient_id,
                2,
                Some(format!("encounter={eid} note={nid}")),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok((eid, nid))
    }

    /// Sets an in-progress encounter to finished (end = now) inside the caller's transaction.
    /// Anything else (finished, cancelled, imported history) is left as it is.
    async fn finish_encounter(
        &self,
        tx: &mut sqlx::SqliteConnection,
        encounter_id: &str,
        now: Millis,
    ) -> Result<bool, VaultError> {
        let Some((body, generation)) = sqlx::query_as::<_, (Vec<u8>, i64)>(
            "SELECT body, key_generation FROM records WHERE id = ? AND kind = 'encounter' AND entered_in_error = 0",
        )
        .bind(encounter_id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(false);
        };
        let plain = self
            .keys_for(generation)?
            .open(place("records", "encounter", encounter_id), &body)?;
        let Record::Encounter(mut e) = Record::decode("encounter", &plain)? else {
            return Err(VaultError::Integrity);
        };
        if e.status != EncounterStatus::InProgress {
            return Ok(false);
        }
        e.status = EncounterStatus::Finished;
        e.end = Some(now.max(e.start));
        sqlx::query("UPDATE records SET body = ?, key_generation = ?, updated_at = ? WHERE id = ?")
            .bind(self.keys.seal(
                place("records", "encounter", encounter_id),
                &Record::Encounter(e).encode(),
            ))
            .bind(self.generation)
            .bind(now)
            .bind(encounter_id)
            .execute(&mut *tx)
            .await?;
        Ok(true)
    }

    /// A draft note (physicians and nurses). Drafts may change until signed.
    pub async fn create_note(
        &self,
        actor: &Actor,
        patient_id: &str,
        encounter_id: Option<&str>,
        content: &NoteContent,
        now: Millis,
    ) -> Result<String, VaultError> {
        let auth = self
            .authorize(actor, Action::DraftNote, Some(patient_id), now)
            .await?;
        content.validate().map_err(VaultError::Invalid)?;
        self.require_patient(patient_id).await?;
        if let Some(e) = encounter_id {
            let ok: Option<i64> = sqlx::query_scalar(
                "SELECT 1 FROM records WHERE id = ? AND patient_id = ? AND kind = 'encounter'",
            )
            .bind(e)
            .bind(patient_id)
            .fetch_optional(&self.pool)
            .await?;
            if ok.is_none() {
                return Err(VaultError::invalid(
                    "encounter_id",
                    "encounter_of_this_patient",
                ));
            }
        }
        let id = new_id();
        let mut tx = begin_write(&self.pool).await?;
        self.insert_note(&mut tx, &id, patient_id, encounter_id, content, actor, now)
            .await?;
        self.audit(
            &mut tx,
            now,
            self.entry(
                actor,
                auth,
                "note.create",
                patient_id,
                1,
                Some(format!("note={id}")),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn note_meta(&self, id: &str) -> Result<(String, Option<i64>, bool), VaultError> {
        let r =
            sqlx::query("SELECT patient_id, signed_at, entered_in_error FROM notes WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(VaultError::NotFound { what: "note" })?;
        Ok((r.get(0), r.get(1), r.get::<i64, _>(2) != 0))
    }

    /// Edits a draft. A signed note is locked.
    pub async fn update_note(
        &self,
        actor: &Actor,
        id: &str,
        content: &NoteContent,
        now: Millis,
    ) -> Result<(), VaultError> {
        let (pid, signed, _) = self.note_meta(id).await?;
        let auth = self
            .authorize(actor, Action::DraftNote, Some(&pid), now)
            .await?;
        if signed.is_some() {
            return Err(VaultError::Conflict(
                "a signed note is locked; add an addendum or mark it entered in error".into(),
            ));
        }
        content.validate().map_err(VaultError::Invalid)?;
        let body = serde_json::to_vec(content).expect("encodes");
        let mut tx = begin_write(&self.pool).await?;
        // The signed_at check inside the statement closes the race with a concurrent signature.
        let n = sqlx::query(
            "UPDATE notes SET body = ?, key_generation = ?, updated_at = ?
             WHERE id = ? AND signed_at IS NULL AND entered_in_error = 0",
        )
        .bind(self.keys.seal(place("notes", "body", id), &body))
        .bind(self.generation)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(VaultError::Conflict(
                "a signed or entered-in-error note is locked".into(),
            ));
        }
        self.audit(
            &mut tx,
            now,
            self.entry(
                actor,
                auth,
                "note.update",
                &pid,
                1,
                Some(format!("note={id}")),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Signs a note (physicians): it is locked from now on, and its content hash goes into the
    /// signed audit chain.
    pub async fn sign_note(&self, actor: &Actor, id: &str, now: Millis) -> Result<(), VaultError> {
        let (pid, signed, eie) = self.note_meta(id).await?;
        let auth = self
            .authorize(actor, Action::SignNote, Some(&pid), now)
            .await?;
        if signed.is_some() || eie {
            return Err(VaultError::Conflict("the note is already signed".into()));
        }
        let note = self.load_note(id).await?;
        if note.content.is_blank() {
            return Err(VaultError::invalid("text", "required_to_sign"));
        }
        let hash = self.content_hash(&note.content);
        let mut tx = begin_write(&self.pool).await?;
        let n = sqlx::query(
            "UPDATE notes SET signed_at = ?, signed_by = ?, content_hash = ? WHERE id = ? AND signed_at IS NULL",
        )
        .bind(now)
        .bind(&actor.name)
        .bind(&hash)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(VaultError::Conflict("the note is already signed".into()));
        }
        let finished = match &note.encounter_id {
            Some(e) => self.finish_encounter(&mut tx, e, now).await?,
            None => false,
        };
        let mut detail = format!("note={id} hash={}", hex::encode(&hash));
        if finished {
            detail.push_str(&format!(
                " finished={}",
                note.encounter_id.as_deref().unwrap_or("")
            ));
        }
        self.audit(
            &mut tx,
            now,
            self.entry(actor, auth, "note.sign", &pid, 1, Some(detail)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A signed addendum to a signed note (physicians).
    pub async fn add_addendum(
        &self,
        actor: &Actor,
        note_id: &str,
        text: &str,
        now: Millis,
    ) -> Result<String, VaultError> {
        let (pid, signed, eie) = self.note_meta(note_id).await?;
        let auth = self
            .authorize(actor, Action::SignNote, Some(&pid), now)
            .await?;
        if signed.is_none() || eie {
            return Err(VaultError::Conflict(
                "addenda are for signed notes; edit the draft instead".into(),
            ));
        }
        if text.trim().is_empty() {
            return Err(VaultError::invalid("text", "required"));
        }
        if text.chars().count() > 20_000 {
            return Err(VaultError::invalid("text", "max_length_20000"));
        }
        let id = new_id();
        let hash = self.keys.blind_index("addendum-content/v1", text);
        let mut tx = begin_write(&self.pool).await?;
        sqlx::query(
            "INSERT INTO note_addenda (id, note_id, key_generation, body, author, signed_at, content_hash)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(note_id)
        .bind(self.generation)
        .bind(self.keys.seal(place("note_addenda", "body", &id), text.as_bytes()))
        .bind(&actor.name)
        .bind(now)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            now,
            self.entry(
                actor,
                auth,
                "note.addendum",
                &pid,
                1,
                Some(format!(
                    "note={note_id} addendum={id} hash={}",
                    hex::encode(&hash)
                )),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Marks a note entered in error with a reason: kept, hidden from the default view.
    pub async fn note_entered_in_error(
        &self,
        actor: &Actor,
        id: &str,
        reason: &str,
        now: Millis,
    ) -> Result<(), VaultError> {
        let (pid, _, eie) = self.note_meta(id).await?;
        let auth = self
            .authorize(actor, Action::SignNote, Some(&pid), now)
            .await?;
        check_reason(reason)?;
        if eie {
            return Err(VaultError::Conflict(
                "already marked entered in error".into(),
            ));
        }
        // Body and reason under one (the current) key generation.
        let (body, generation): (Vec<u8>, i64) =
            sqlx::query_as("SELECT body, key_generation FROM notes WHERE id = ?")
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        let body = self
            .keys_for(generation)?
            .open(place("notes", "body", id), &body)?;
        let mut tx = begin_write(&self.pool).await?;
        sqlx::query(
            "UPDATE notes SET entered_in_error = 1, body = ?, error_reason = ?, key_generation = ? WHERE id = ?",
        )
        .bind(self.keys.seal(place("notes", "body", id), &body))
        .bind(
            self.keys
                .seal(place("notes", "error_reason", id), reason.trim().as_bytes()),
        )
        .bind(self.generation)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            now,
            self.entry(
                actor,
                auth,
                "note.entered_in_error",
                &pid,
                1,
                Some(format!("note={id}")),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads one note, entered-in-error ones included (with the flag), checking its content
    /// hash against the row and the signed audit entry.
    pub async fn get_note(&self, actor: &Actor, id: &str, now: Millis) -> Result<Note, VaultError> {
        let (pid, _, _) = self.note_meta(id).await?;
        let auth = self
            .authorize(actor, Action::ReadChart, Some(&pid), now)
            .await?;
        let note = self.load_note(id).await?;
        self.audit_alone(
            now,
            self.entry(
                actor,
                auth,
                "note.read",
                &pid,
                1,
                Some(format!("note={id}")),
            ),
        )
        .await?;
        Ok(note)
    }

    async fn load_note(&self, id: &str) -> Result<Note, VaultError> {
        let r = sqlx::query(
            "SELECT patient_id, encounter_id, body, author, created_at, signed_at, signed_by, content_hash,
                    entered_in_error, key_generation
             FROM notes WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(VaultError::NotFound { what: "note" })?;
        let pid: String = r.get(0);
        let body: Vec<u8> = r.get(2);
        let content: NoteContent = serde_json::from_slice(
            &self
                .keys_for(r.get(9))?
                .open(place("notes", "body", id), &body)?,
        )
        .map_err(|_| VaultError::Integrity)?;
        let signed_at: Option<i64> = r.get(5);
        if signed_at.is_some() {
            let stored: Option<Vec<u8>> = r.get(7);
            let hash = self.content_hash(&content);
            if stored.as_deref() != Some(hash.as_slice()) {
                tracing::error!(note = id, "signed note content does not match its hash");
                return Err(VaultError::Integrity);
            }
            let signed_entry: Option<String> = sqlx::query_scalar(
                "SELECT detail FROM audit WHERE action = 'note.sign' AND patient = ? AND detail LIKE ? ORDER BY seq DESC LIMIT 1",
            )
            .bind(&pid)
            .bind(format!("note={id} %"))
            .fetch_optional(&self.pool)
            .await?;
            let expected = format!("hash={}", hex::encode(&hash));
            if !signed_entry.is_some_and(|d| d.split(' ').any(|t| t == expected)) {
                tracing::error!(
                    note = id,
                    "signed note hash is not the one in the audit log"
                );
                return Err(VaultError::Integrity);
            }
        }
        let rows = sqlx::query(
            "SELECT id, body, author, signed_at, content_hash, key_generation FROM note_addenda
             WHERE note_id = ? ORDER BY signed_at, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut addenda = Vec::with_capacity(rows.len());
        for a in &rows {
            let aid: String = a.get(0);
            let body: Vec<u8> = a.get(1);
            let text = self
                .keys_for(a.get(5))?
                .open_string(place("note_addenda", "body", &aid), &body)?;
            if self.keys.blind_index("addendum-content/v1", &text) != a.get::<Vec<u8>, _>(4) {
                return Err(VaultError::Integrity);
            }
            addenda.push(Addendum {
                id: aid,
                author: a.get(2),
                signed_at: a.get(3),
                text,
            });
        }
        Ok(Note {
            id: id.to_string(),
            encounter_id: r.get(1),
            content,
            author: r.get(3),
            created_at: r.get(4),
            signed_at,
            signed_by: r.get(6),
            addenda,
            entered_in_error: r.get::<i64, _>(8) != 0,
        })
    }
}

fn check_reason(reason: &str) -> Result<(), VaultError> {
    let n = reason.trim().chars().count();
    if n < 5 {
        return Err(VaultError::invalid("reason", "min_length_5"));
    }
    if n > 500 {
        return Err(VaultError::invalid("reason", "max_length_500"));
    }
    Ok(())
}
