//! Patients in the vault: sealed column by column, findable through keyed blind indexes
//! (the record and its validation are `iris_record::patient`).
//!
//! Blind indexes (HMAC-SHA256 under a key derived from the data key): the normalized MRN
//! (upper case, no dashes), the birth date, every name token, and every prefix of at least
//! two characters of every name token. Normalization lowercases and folds common Latin accents.
//! What this reveals to someone holding the file but not the key: how many index tokens a
//! patient has and which patients share a token, not the tokens themselves.

use std::collections::BTreeSet;

use sqlx::{Row, SqliteConnection};

use crate::audit::{NewEntry, Outcome};
use crate::crypto::Place;
use crate::error::VaultError;
use crate::users::Action;
use crate::{Actor, Authorized, Millis, Vault, begin_write, new_id};
// The record model is iris-record's; the vault seals and stores it.
use iris_record::{Address, Date, PatientRecord, Pregnancy, Sex};

/// Lowercase, common Latin accents folded, everything but letters and digits a separator.
pub fn normalize_tokens(s: &str) -> Vec<String> {
    let folded: String = s
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            c => c,
        })
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

pub fn normalize_mrn(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Minimum characters of a name prefix that is indexed and searchable.
pub const MIN_PREFIX: usize = 2;

/// The (kind, normalized value) pairs indexed for a patient.
pub fn index_terms(p: &PatientRecord) -> BTreeSet<(&'static str, String)> {
    let mut out = BTreeSet::new();
    out.insert(("mrn", normalize_mrn(&p.mrn)));
    out.insert(("dob", p.birth_date.clone()));
    let names = std::iter::once(p.family.as_str()).chain(p.given.iter().map(String::as_str));
    for token in names.flat_map(normalize_tokens) {
        let cs: Vec<char> = token.chars().collect();
        for n in MIN_PREFIX.min(cs.len())..=cs.len() {
            out.insert(("name-prefix", cs[..n].iter().collect()));
        }
    }
    out
}

/// What a search text asks for: a birth date, an MRN and/or name prefixes (all must match).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms {
    pub dob: Option<String>,
    pub mrn: Option<String>,
    pub name_prefixes: Vec<String>,
}

pub fn search_terms(query: &str) -> Result<SearchTerms, VaultError> {
    let q = query.trim();
    if q.is_empty() || q.chars().count() > 100 {
        return Err(VaultError::invalid("query", "length_1_100"));
    }
    if Date::parse(q).is_some() {
        return Ok(SearchTerms {
            dob: Some(q.to_string()),
            mrn: None,
            name_prefixes: vec![],
        });
    }
    let tokens = normalize_tokens(q);
    if tokens.iter().all(|t| t.chars().count() < MIN_PREFIX) {
        return Err(VaultError::invalid("query", "min_prefix_2"));
    }
    let mrn = normalize_mrn(q);
    Ok(SearchTerms {
        dob: None,
        // One word with a digit may be an MRN; it is also tried as a name.
        mrn: (!q.contains(char::is_whitespace) && mrn.bytes().any(|b| b.is_ascii_digit()))
            .then_some(mrn),
        name_prefixes: tokens
            .into_iter()
            .filter(|t| t.chars().count() >= MIN_PREFIX)
            .collect(),
    })
}

impl Vault {
    pub(crate) async fn require_patient(&self, id: &str) -> Result<(), VaultError> {
        let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM patients WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        found
            .map(|_| ())
            .ok_or(VaultError::NotFound { what: "patient" })
    }

    fn chart_entry<'a>(
        &self,
        actor: &'a Actor,
        auth: &Authorized,
        action: &'static str,
        patient: Option<&'a str>,
        count: i64,
    ) -> NewEntry<'a> {
        NewEntry {
            user: &actor.name,
            role: actor.role.as_str(),
            action,
            patient,
            outcome: Outcome::Ok,
            count,
            detail: match auth {
                Authorized::ByRole => None,
                Authorized::BreakGlass(id) => Some(format!("break_glass={id}")),
            },
        }
    }

    /// Stores a new patient; returns its opaque id.
    pub async fn create_patient(
        &self,
        actor: &Actor,
        p: &PatientRecord,
        now: Millis,
    ) -> Result<String, VaultError> {
        let auth = self.authorize(actor, Action::WriteChart, None, now).await?;
        p.validate(Date::from_unix_ms(now))
            .map_err(VaultError::Invalid)?;
        let id = new_id();
        let mut tx = begin_write(&self.pool).await?;
        self.write_patient(&mut tx, &id, p, now, true).await?;
        self.audit(
            &mut tx,
            now,
            self.chart_entry(actor, &auth, "patient.create", Some(&id), 1),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_patient(
        &self,
        actor: &Actor,
        id: &str,
        p: &PatientRecord,
        now: Millis,
    ) -> Result<(), VaultError> {
        let auth = self
            .authorize(actor, Action::WriteChart, Some(id), now)
            .await?;
        p.validate(Date::from_unix_ms(now))
            .map_err(VaultError::Invalid)?;
        self.require_patient(id).await?;
        let mut tx = begin_write(&self.pool).await?;
        self.write_patient(&mut tx, id, p, now, false).await?;
        self.audit(
            &mut tx,
            now,
            self.chart_entry(actor, &auth, "patient.update", Some(id), 1),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The sealed columns of a patient row: name, birth_date, sex, mrn, address, phone, email,
    /// pregnancy (in that order; None where the record has no value).
    pub(crate) fn patient_columns(&self, id: &str, p: &PatientRecord) -> [Option<Vec<u8>>; 8] {
        let seal = |column: &str, v: &str| {
            self.keys.seal(
                Place {
                    table: "patients",
                    column,
                    row: id,
                },
                v.as_bytes(),
            )
        };
        let name = serde_json::json!({"family": p.family, "given": p.given}).to_string();
        let address = p.address.as_ref().map(|a| {
            serde_json::json!({"line": a.lines, "city": a.city, "state": a.state,
                               "postalCode": a.postal_code, "country": a.country})
            .to_string()
        });
        [
            Some(seal("name", &name)),
            Some(seal("birth_date", &p.birth_date)),
            Some(seal("sex", p.sex.as_str())),
            Some(seal("mrn", &p.mrn)),
            address.map(|a| seal("address", &a)),
            p.phone.as_deref().map(|v| seal("phone", v)),
            p.email.as_deref().map(|v| seal("email", v)),
            p.pregnancy.map(|v| seal("pregnancy", v.as_str())),
        ]
    }

    /// Seals and writes every column and the blind indexes, in the caller's transaction.
    pub async fn write_patient(
        &self,
        conn: &mut SqliteConnection,
        id: &str,
        p: &PatientRecord,
        now: Millis,
        insert: bool,
    ) -> Result<(), VaultError> {
        let values = self.patient_columns(id, p);
        let sql = if insert {
            "INSERT INTO patients (name, birth_date, sex, mrn, address, phone, email, pregnancy,
                                   key_generation, updated_at, id, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        } else {
            "UPDATE patients SET name = ?, birth_date = ?, sex = ?, mrn = ?, address = ?, phone = ?,
                    email = ?, pregnancy = ?, key_generation = ?, updated_at = ?
             WHERE id = ?"
        };
        let mut q = sqlx::query(sql);
        for v in values {
            q = q.bind(v);
        }
        q = q.bind(self.generation).bind(now).bind(id);
        if insert {
            q = q.bind(now);
        }
        q.execute(&mut *conn).await?;
        sqlx::query("DELETE FROM patient_index WHERE patient_id = ?")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        for (kind, value) in index_terms(p) {
            sqlx::query("INSERT OR IGNORE INTO patient_index (token, patient_id) VALUES (?, ?)")
                .bind(self.keys.blind_index(kind, &value))
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    pub(crate) fn decode_patient(
        &self,
        r: &sqlx::sqlite::SqliteRow,
    ) -> Result<(String, PatientRecord), VaultError> {
        let id: String = r.get("id");
        let keys = self.keys_for(r.get("key_generation"))?;
        let open = |column: &str| -> Result<Option<String>, VaultError> {
            let blob: Option<Vec<u8>> = r.get(column);
            blob.map(|b| {
                keys.open_string(
                    Place {
                        table: "patients",
                        column,
                        row: &id,
                    },
                    &b,
                )
            })
            .transpose()
        };
        let need = |column: &str| open(column)?.ok_or(VaultError::Integrity);
        let name: serde_json::Value =
            serde_json::from_str(&need("name")?).map_err(|_| VaultError::Integrity)?;
        let strs = |v: &serde_json::Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
        let address = open("address")?
            .map(|a| {
                serde_json::from_str::<serde_json::Value>(&a).map_err(|_| VaultError::Integrity)
            })
            .transpose()?
            .map(|a| Address {
                lines: strs(&a["line"]),
                city: text(&a, "city"),
                state: text(&a, "state"),
                postal_code: text(&a, "postalCode"),
                country: text(&a, "country"),
            });
        let rec = PatientRecord {
            family: text(&name, "family"),
            given: strs(&name["given"]),
            birth_date: need("birth_date")?,
            sex: Sex::parse(&need("sex")?).ok_or(VaultError::Integrity)?,
            mrn: need("mrn")?,
            address,
            phone: open("phone")?,
            email: open("email")?,
            pregnancy: open("pregnancy")?
                .map(|v| Pregnancy::parse(&v).ok_or(VaultError::Integrity))
                .transpose()?,
        };
        Ok((id, rec))
    }

    /// Erases a patient and everything charted for them (admin; for records created in error
    /// or a lawful erasure request). The reason is required; the audit entries about the
    /// patient stay (they hold only the opaque id), plus one for the erasure with its counts.
    pub async fn erase_patient(
        &self,
        actor: &Actor,
        id: &str,
        reason: &str,
        now: Millis,
    ) -> Result<i64, VaultError> {
        self.authorize(actor, Action::Erase, Some(id), now).await?;
        let n = reason.trim().chars().count();
        if !(10..=500).contains(&n) {
            return Err(VaultError::invalid("reason", "length_10_500"));
        }
        self.require_patient(id).await?;
        let mut tx = begin_write(&self.pool).await?;
        let mut count = 1;
        for sql in [
            "DELETE FROM note_addenda WHERE note_id IN (SELECT id FROM notes WHERE patient_id = ?)",
            "DELETE FROM notes WHERE patient_id = ?",
            "DELETE FROM records WHERE patient_id = ?",
            "DELETE FROM allergy_status WHERE patient_id = ?",
            "DELETE FROM break_glass WHERE patient_id = ?",
            "DELETE FROM patient_index WHERE patient_id = ?",
            "DELETE FROM patient_identifiers WHERE patient_id = ?",
            "DELETE FROM fhir_resources WHERE patient_id = ?",
            "DELETE FROM gold_features WHERE patient_id = ?",
        ] {
            count += sqlx::query(sql)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected() as i64;
        }
        sqlx::query("DELETE FROM patients WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            now,
            NewEntry {
                user: &actor.name,
                role: actor.role.as_str(),
                action: "patient.erase",
                patient: Some(id),
                outcome: Outcome::Ok,
                count,
                detail: None,
            },
        )
        .await?;
        tx.commit().await?;
        // secure_delete zeroed the freed cells in the pages this transaction wrote; the WAL
        // still holds the older page images until a checkpoint copies the new ones back and
        // truncates it. After this, the ciphertexts are in no file.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await?;
        Ok(count)
    }

    /// Reads one patient (audited as a PHI read).
    pub async fn get_patient(
        &self,
        actor: &Actor,
        id: &str,
        now: Millis,
    ) -> Result<PatientRecord, VaultError> {
        let auth = self
            .authorize(actor, Action::ReadChart, Some(id), now)
            .await?;
        let row = sqlx::query("SELECT * FROM patients WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(VaultError::NotFound { what: "patient" })?;
        let (_, rec) = self.decode_patient(&row)?;
        self.audit_alone(
            now,
            self.chart_entry(actor, &auth, "patient.read", Some(id), 1),
        )
        .await?;
        Ok(rec)
    }

    /// Finds patients by name prefixes ("smi ana"), MRN or birth date, through the blind
    /// indexes only; decrypts just the matches. One audit entry with the number of matches.
    pub async fn search_patients(
        &self,
        actor: &Actor,
        query: &str,
        limit: u32,
        now: Millis,
    ) -> Result<Vec<(String, PatientRecord)>, VaultError> {
        let auth = self.authorize(actor, Action::ReadChart, None, now).await?;
        let terms = search_terms(query)?;
        let mut ids: Option<BTreeSet<String>> = None;
        let lookup = |kind: &'static str, v: String| {
            let token = self.keys.blind_index(kind, &v);
            async move {
                let rows: Vec<String> =
                    sqlx::query_scalar("SELECT patient_id FROM patient_index WHERE token = ?")
                        .bind(token)
                        .fetch_all(&self.pool)
                        .await?;
                Ok::<_, VaultError>(rows.into_iter().collect::<BTreeSet<_>>())
            }
        };
        if let Some(dob) = terms.dob {
            ids = Some(lookup("dob", dob).await?);
        }
        for prefix in terms.name_prefixes {
            let found = lookup("name-prefix", prefix).await?;
            ids = Some(match ids {
                None => found,
                Some(prev) => prev.intersection(&found).cloned().collect(),
            });
        }
        let mut ids = ids.unwrap_or_default();
        if let Some(mrn) = terms.mrn {
            ids.extend(lookup("mrn", mrn).await?);
        }
        let mut out = Vec::new();
        for id in ids.into_iter().take(limit as usize) {
            if let Some(row) = sqlx::query("SELECT * FROM patients WHERE id = ?")
                .bind(&id)
                .fetch_optional(&self.pool)
                .await?
            {
                out.push(self.decode_patient(&row)?);
            }
        }
        out.sort_by(|a, b| (&a.1.family, &a.1.given).cmp(&(&b.1.family, &b.1.given)));
        self.audit_alone(
            now,
            self.chart_entry(actor, &auth, "patient.search", None, out.len() as i64),
        )
        .await?;
        Ok(out)
    }

    /// The patients `actor` opened most recently (their own `chart.open` entries in the audit
    /// log), newest first, skipping erased ones. Audited as one list read.
    pub async fn recent_patients(
        &self,
        actor: &Actor,
        limit: u32,
        now: Millis,
    ) -> Result<Vec<(String, PatientRecord)>, VaultError> {
        let auth = self.authorize(actor, Action::ReadChart, None, now).await?;
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT patient FROM audit WHERE user_name = ? AND action = 'chart.open' AND patient IS NOT NULL
             GROUP BY patient ORDER BY max(seq) DESC LIMIT ?",
        )
        .bind(&actor.name)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in &ids {
            if let Some(row) = sqlx::query("SELECT * FROM patients WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
            {
                out.push(self.decode_patient(&row)?);
            }
        }
        self.audit_alone(
            now,
            self.chart_entry(actor, &auth, "patient.recent", None, out.len() as i64),
        )
        .await?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iris_record::{Address, PatientRecord};

    pub(crate) fn sample() -> PatientRecord {
        PatientRecord {
            family: "Smith".into(),
            given: vec!["Ana".into(), "María".into()],
            birth_date: "1980-04-12".into(),
            sex: Sex::Female,
            mrn: "MRN-0042".into(),
            address: Some(Address {
                lines: vec!["12 Elm St".into()],
                city: "Boston".into(),
                state: "MA".into(),
                postal_code: "02118".into(),
                country: "US".into(),
            }),
            phone: Some("+1 (617) 555-0199".into()),
            email: Some("ana.smith@example.org".into()),
            pregnancy: Some(Pregnancy::NotPregnant),
        }
    }

    #[test]
    fn names_index_their_prefixes_with_accents_folded() {
        let t = index_terms(&sample());
        for prefix in ["sm", "smi", "smith", "an", "ana", "ma", "mar", "maria"] {
            assert!(t.contains(&("name-prefix", prefix.to_string())), "{prefix}");
        }
        assert!(!t.contains(&("name-prefix", "s".to_string())));
        assert!(t.contains(&("mrn", "MRN0042".to_string())));
        assert!(t.contains(&("dob", "1980-04-12".to_string())));
    }

    #[test]
    fn search_text_becomes_terms() {
        assert_eq!(
            search_terms("Smi ana").unwrap().name_prefixes,
            vec!["smi".to_string(), "ana".to_string()]
        );
        assert_eq!(
            search_terms("1980-04-12").unwrap().dob.as_deref(),
            Some("1980-04-12")
        );
        assert_eq!(
            search_terms("mrn-0042").unwrap().mrn.as_deref(),
            Some("MRN0042")
        );
        assert!(search_terms("s").is_err());
        assert!(search_terms("  ").is_err());
    }
}
