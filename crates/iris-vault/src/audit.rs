//! The tamper-evident audit log.
//!
//! Entries form a hash chain: `hash = SHA-256("iris-audit/v1" || canonical(entry) || prev_hash)`
//! where `canonical` length-prefixes every column (NULL has its own marker), so no two different
//! entries encode alike. The first entry's `prev_hash` is 32 zero bytes. After every append the
//! chain head (sequence, hash) is signed with the vault's Ed25519 key in the same transaction,
//! so rewriting the chain, even with recomputed hashes, needs the key. `audit head --out`
//! exports a signed head; verifying against an exported head also catches truncation back to
//! an older, still validly signed head.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{Row, SqliteConnection};

use crate::error::VaultError;
use crate::users::Action;
use crate::{Actor, AuditFilter, Millis, Vault, begin_write};

pub const GENESIS: [u8; 32] = [0; 32];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Denied,
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }
}

/// What an entry records. Free of PHI by type: the patient is an opaque id and the detail is
/// a fixed code chosen by the vault, never user text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry<'a> {
    pub user: &'a str,
    pub role: &'a str,
    pub action: &'static str,
    pub patient: Option<&'a str>,
    pub outcome: Outcome,
    pub count: i64,
    pub detail: Option<String>,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: i64,
    pub at: i64,
    pub user: String,
    pub role: String,
    pub action: String,
    pub patient: Option<String>,
    pub outcome: String,
    pub count: i64,
    pub detail: Option<String>,
    #[serde(with = "hex_bytes")]
    pub prev_hash: Vec<u8>,
    #[serde(with = "hex_bytes")]
    pub hash: Vec<u8>,
}

fn put(buf: &mut Vec<u8>, field: Option<&[u8]>) {
    match field {
        Some(b) => {
            buf.extend_from_slice(&(b.len() as u32).to_be_bytes());
            buf.extend_from_slice(b);
        }
        None => buf.extend_from_slice(&u32::MAX.to_be_bytes()),
    }
}

impl Entry {
    pub fn compute_hash(&self) -> [u8; 32] {
        let mut buf = Vec::with_capacity(256);
        put(&mut buf, Some(&self.seq.to_be_bytes()));
        put(&mut buf, Some(&self.at.to_be_bytes()));
        put(&mut buf, Some(self.user.as_bytes()));
        put(&mut buf, Some(self.role.as_bytes()));
        put(&mut buf, Some(self.action.as_bytes()));
        put(&mut buf, self.patient.as_deref().map(str::as_bytes));
        put(&mut buf, Some(self.outcome.as_bytes()));
        put(&mut buf, Some(&self.count.to_be_bytes()));
        put(&mut buf, self.detail.as_deref().map(str::as_bytes));
        put(&mut buf, Some(&self.prev_hash));
        let mut h = Sha256::new();
        h.update(b"iris-audit/v1");
        h.update(&buf);
        h.finalize().into()
    }
}

/// A signed chain head, as exported by `iris audit head`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedHead {
    pub vault_id: String,
    pub seq: i64,
    #[serde(with = "hex_bytes")]
    pub hash: Vec<u8>,
    #[serde(with = "hex_bytes")]
    pub signature: Vec<u8>,
    #[serde(with = "hex_bytes")]
    pub public_key: Vec<u8>,
}

fn head_message(vault_id: &str, seq: i64, hash: &[u8]) -> Vec<u8> {
    let mut m = b"iris-audit-head/v1".to_vec();
    put(&mut m, Some(vault_id.as_bytes()));
    put(&mut m, Some(&seq.to_be_bytes()));
    put(&mut m, Some(hash));
    m
}

pub fn sign_head(key: &SigningKey, vault_id: &str, seq: i64, hash: &[u8]) -> Vec<u8> {
    key.sign(&head_message(vault_id, seq, hash))
        .to_bytes()
        .to_vec()
}

pub fn head_signature_valid(
    key: &VerifyingKey,
    vault_id: &str,
    seq: i64,
    hash: &[u8],
    sig: &[u8],
) -> bool {
    let Ok(sig) = Signature::from_slice(sig) else {
        return false;
    };
    key.verify(&head_message(vault_id, seq, hash), &sig).is_ok()
}

/// Appends one entry and re-signs the head, inside the caller's transaction.
pub async fn append(
    conn: &mut SqliteConnection,
    signer: &SigningKey,
    vault_id: &str,
    at: i64,
    e: &NewEntry<'_>,
) -> Result<Entry, VaultError> {
    let (seq, prev_hash): (i64, Vec<u8>) =
        match sqlx::query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?
        {
            Some(r) => (r.get::<i64, _>(0) + 1, r.get(1)),
            None => (1, GENESIS.to_vec()),
        };
    let mut entry = Entry {
        seq,
        at,
        user: e.user.to_string(),
        role: e.role.to_string(),
        action: e.action.to_string(),
        patient: e.patient.map(String::from),
        outcome: e.outcome.as_str().to_string(),
        count: e.count,
        detail: e.detail.clone(),
        prev_hash,
        hash: Vec::new(),
    };
    entry.hash = entry.compute_hash().to_vec();
    sqlx::query(
        "INSERT INTO audit (seq, at, user_name, role, action, patient, outcome, count, detail, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(entry.seq)
    .bind(entry.at)
    .bind(&entry.user)
    .bind(&entry.role)
    .bind(&entry.action)
    .bind(&entry.patient)
    .bind(&entry.outcome)
    .bind(entry.count)
    .bind(&entry.detail)
    .bind(&entry.prev_hash)
    .bind(&entry.hash)
    .execute(&mut *conn)
    .await?;
    let sig = sign_head(signer, vault_id, entry.seq, &entry.hash);
    sqlx::query("UPDATE vault_meta SET head_seq = ?, head_hash = ?, head_sig = ? WHERE id = 1")
        .bind(entry.seq)
        .bind(&entry.hash)
        .bind(sig)
        .execute(&mut *conn)
        .await?;
    Ok(entry)
}

pub(crate) fn entry_from_row(r: &sqlx::sqlite::SqliteRow) -> Entry {
    Entry {
        seq: r.get("seq"),
        at: r.get("at"),
        user: r.get("user_name"),
        role: r.get("role"),
        action: r.get("action"),
        patient: r.get("patient"),
        outcome: r.get("outcome"),
        count: r.get("count"),
        detail: r.get("detail"),
        prev_hash: r.get("prev_hash"),
        hash: r.get("hash"),
    }
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Intact {
        entries: i64,
        head_seq: i64,
    },
    /// The first sequence number at which the log stops being what was signed.
    Tampered {
        first_bad_seq: i64,
        why: &'static str,
    },
}

/// Checks a full chain (ordered by seq as stored) against the stored signed head and, if
/// given, an exported head.
pub fn verify_chain(
    entries: &[Entry],
    key: &VerifyingKey,
    vault_id: &str,
    stored_head: (i64, &[u8], &[u8]),
    exported: Option<&SignedHead>,
) -> Verdict {
    let mut prev = GENESIS.to_vec();
    for (i, e) in entries.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        if e.seq != expected_seq {
            // A gap (deleted entry) or a foreign sequence number: the first missing position.
            return Verdict::Tampered {
                first_bad_seq: expected_seq.min(e.seq),
                why: "sequence gap",
            };
        }
        if e.prev_hash != prev {
            return Verdict::Tampered {
                first_bad_seq: e.seq,
                why: "broken link to the previous entry",
            };
        }
        if e.compute_hash().as_slice() != e.hash.as_slice() {
            return Verdict::Tampered {
                first_bad_seq: e.seq,
                why: "entry does not match its hash",
            };
        }
        prev = e.hash.clone();
    }
    let last = entries.len() as i64;
    let (head_seq, head_hash, head_sig) = stored_head;
    let head_ok = head_signature_valid(key, vault_id, head_seq, head_hash, head_sig);
    if !head_ok {
        return Verdict::Tampered {
            first_bad_seq: head_seq.clamp(1, last.max(1)),
            why: "the stored head is not signed by this vault",
        };
    }
    if head_seq > last {
        return Verdict::Tampered {
            first_bad_seq: last + 1,
            why: "entries after the last one are missing (truncated)",
        };
    }
    if head_seq < last {
        return Verdict::Tampered {
            first_bad_seq: head_seq + 1,
            why: "entries after the signed head were added without the key",
        };
    }
    if head_seq > 0 && entries[head_seq as usize - 1].hash != head_hash {
        // Every link verified, yet the head differs: the whole chain was recomputed.
        return Verdict::Tampered {
            first_bad_seq: 1,
            why: "the chain was rewritten",
        };
    }
    if let Some(h) = exported {
        if h.vault_id != vault_id
            || h.public_key != key.to_bytes()
            || !head_signature_valid(key, vault_id, h.seq, &h.hash, &h.signature)
        {
            return Verdict::Tampered {
                first_bad_seq: 0,
                why: "the exported head was not signed by this vault",
            };
        }
        if h.seq > last {
            return Verdict::Tampered {
                first_bad_seq: last + 1,
                why: "entries recorded in the exported head are missing (truncated)",
            };
        }
        if h.seq > 0 && entries[h.seq as usize - 1].hash != h.hash {
            return Verdict::Tampered {
                first_bad_seq: h.seq,
                why: "the log differs from the exported head",
            };
        }
    }
    Verdict::Intact {
        entries: last,
        head_seq,
    }
}

impl Vault {
    async fn stored_head(&self) -> Result<(i64, Vec<u8>, Vec<u8>), VaultError> {
        let r = sqlx::query("SELECT head_seq, head_hash, head_sig FROM vault_meta WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok((r.get(0), r.get(1), r.get(2)))
    }

    /// Verifies the whole chain against the signed head (and an exported head if given).
    /// The check itself is audited after it ran.
    pub async fn audit_verify(
        &self,
        actor: &Actor,
        exported: Option<&SignedHead>,
        now: Millis,
    ) -> Result<Verdict, VaultError> {
        self.authorize(actor, Action::ReadAudit, None, now).await?;
        let verdict = self.verify_chain(exported).await?;
        let (outcome, detail) = match &verdict {
            Verdict::Intact { .. } => (Outcome::Ok, "intact".to_string()),
            Verdict::Tampered { first_bad_seq, .. } => (
                Outcome::Failed,
                format!("tampered first_bad_seq={first_bad_seq}"),
            ),
        };
        // A tampered chain cannot be appended to meaningfully; record only intact checks.
        if outcome == Outcome::Ok {
            self.audit_alone(
                now,
                NewEntry {
                    user: &actor.name,
                    role: actor.role.as_str(),
                    action: "audit.verify",
                    patient: None,
                    outcome,
                    count: 0,
                    detail: Some(detail),
                },
            )
            .await?;
        }
        Ok(verdict)
    }

    /// Verification without an actor or audit entry (used by tests and crash recovery checks).
    pub async fn verify_chain(&self, exported: Option<&SignedHead>) -> Result<Verdict, VaultError> {
        let rows = sqlx::query("SELECT * FROM audit ORDER BY seq")
            .fetch_all(&self.pool)
            .await?;
        let entries: Vec<Entry> = rows.iter().map(entry_from_row).collect();
        let (seq, hash, sig) = self.stored_head().await?;
        Ok(verify_chain(
            &entries,
            &self.signer.verifying_key(),
            &self.vault_id,
            (seq, &hash, &sig),
            exported,
        ))
    }

    /// The current signed head, for safekeeping outside the workstation.
    pub async fn audit_head(&self, actor: &Actor, now: Millis) -> Result<SignedHead, VaultError> {
        self.authorize(actor, Action::ReadAudit, None, now).await?;
        let mut tx = begin_write(&self.pool).await?;
        let e = self
            .audit(
                &mut tx,
                now,
                NewEntry {
                    user: &actor.name,
                    role: actor.role.as_str(),
                    action: "audit.head",
                    patient: None,
                    outcome: Outcome::Ok,
                    count: 0,
                    detail: None,
                },
            )
            .await?;
        tx.commit().await?;
        Ok(SignedHead {
            vault_id: self.vault_id.clone(),
            seq: e.seq,
            signature: sign_head(&self.signer, &self.vault_id, e.seq, &e.hash),
            hash: e.hash,
            public_key: self.signer.verifying_key().to_bytes().to_vec(),
        })
    }

    /// Accounting of disclosures: entries for one patient or one user, oldest first.
    pub async fn audit_list(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        now: Millis,
    ) -> Result<Vec<Entry>, VaultError> {
        self.authorize(actor, Action::ReadAudit, None, now).await?;
        let q = match filter {
            AuditFilter::All => sqlx::query("SELECT * FROM audit ORDER BY seq"),
            AuditFilter::Patient(p) => {
                sqlx::query("SELECT * FROM audit WHERE patient = ? ORDER BY seq").bind(p)
            }
            AuditFilter::User(u) => {
                sqlx::query("SELECT * FROM audit WHERE user_name = ? ORDER BY seq").bind(u)
            }
        };
        let rows = q.fetch_all(&self.pool).await?;
        let out: Vec<Entry> = rows.iter().map(entry_from_row).collect();
        self.audit_alone(
            now,
            NewEntry {
                user: &actor.name,
                role: actor.role.as_str(),
                action: "audit.list",
                patient: match filter {
                    AuditFilter::Patient(p) => Some(p),
                    _ => None,
                },
                outcome: Outcome::Ok,
                count: out.len() as i64,
                detail: None,
            },
        )
        .await?;
        Ok(out)
    }
}

mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(b))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        hex::decode(s).map_err(serde::de::Error::custom)
    }
}
