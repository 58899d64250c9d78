//! Key maintenance and copies of the vault: re-encryption under a new data key (resumable),
//! encrypted online backups, and restore into an empty data dir.
//!
//! # Backup file format (`IRISBAK1`)
//!
//! ```text
//! "IRISBAK1" | u32 BE header length | header (JSON) | chunk*
//! chunk = u32 BE length | nonce (12) | AES-256-GCM ciphertext + tag
//! ```
//!
//! The header holds the vault id, the creation time, a random salt and copies of the vault's
//! passphrase and recovery key slots (the keyring slot is bound to one machine's keyring and
//! is left out). The file key is HKDF-SHA256(master key, salt). Each chunk's associated data is
//! `SHA-256(header) | chunk index | last-chunk flag`, so chunks cannot be reordered, dropped,
//! truncated or moved to another backup. The plaintext is a consistent `VACUUM INTO` snapshot
//! of `vault.sqlite`, itself holding only sealed values.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::{NewEntry, Outcome};
use crate::crypto::{Place, Sealer, Secret32, fill_random};
use crate::error::VaultError;
use crate::keys::{self, KeyMaterial, Slot, SlotKind, Unlock};
use crate::users::Action;
use crate::{Actor, DB_FILE, Lockout, Millis, Vault, begin_write};

const MAGIC: &[u8; 8] = b"IRISBAK1";
const CHUNK: usize = 1 << 20;
/// Rows re-encrypted per transaction (and per audit entry).
pub const REENCRYPT_BATCH: i64 = 500;

/// Every sealed column: table, id column, and (column, how its AAD names the column).
/// `None` as AAD column name means "the value of the `kind` column" (records bodies).
struct Sealed {
    table: &'static str,
    id: &'static str,
    columns: &'static [(&'static str, Option<&'static str>)],
}

const SEALED: &[Sealed] = &[
    Sealed {
        table: "patients",
        id: "id",
        columns: &[
            ("name", Some("name")),
            ("birth_date", Some("birth_date")),
            ("sex", Some("sex")),
            ("mrn", Some("mrn")),
            ("address", Some("address")),
            ("phone", Some("phone")),
            ("email", Some("email")),
            ("pregnancy", Some("pregnancy")),
        ],
    },
    Sealed {
        table: "records",
        id: "id",
        columns: &[("body", None), ("error_reason", Some("error_reason"))],
    },
    Sealed {
        table: "notes",
        id: "id",
        columns: &[
            ("body", Some("body")),
            ("error_reason", Some("error_reason")),
        ],
    },
    Sealed {
        table: "note_addenda",
        id: "id",
        columns: &[("body", Some("body"))],
    },
    Sealed {
        table: "allergy_status",
        id: "patient_id",
        columns: &[("body", Some("body"))],
    },
    Sealed {
        table: "break_glass",
        id: "id",
        columns: &[("reason", Some("reason"))],
    },
    Sealed {
        table: "patient_identifiers",
        id: "id",
        columns: &[("value", Some("value"))],
    },
    Sealed {
        table: "fhir_resources",
        id: "id",
        columns: &[("body", Some("body"))],
    },
    Sealed {
        table: "quarantine",
        id: "id",
        columns: &[("body", Some("body"))],
    },
    Sealed {
        table: "gold_features",
        id: "patient_id",
        columns: &[("body", Some("body"))],
    },
];

/// Progress of a re-encryption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reencrypted {
    pub generation: u32,
    /// Rows moved by this call.
    pub rows: i64,
    /// Rows still under an older key (0 when done).
    pub remaining: i64,
}

impl Vault {
    async fn rows_behind(&self, generation: u32) -> Result<i64, VaultError> {
        let mut n = 0;
        for t in SEALED {
            let sql = format!("SELECT count(*) FROM {} WHERE key_generation < ?", t.table);
            n += sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
                .bind(generation)
                .fetch_one(&self.pool)
                .await?;
        }
        Ok(n)
    }

    /// Re-encrypts every sealed value under a new data key. Resumable: the first call creates
    /// the new generation (new writes use it at once), then rows move in batches of
    /// [`REENCRYPT_BATCH`], each batch its own transaction with its own audit entry; at most
    /// `max_batches` run per call (`None`: until done). When no row is left under an older
    /// key, the older keys are deleted. A later call after an interruption continues.
    pub async fn reencrypt(
        &mut self,
        actor: &Actor,
        max_batches: Option<u32>,
        now: Millis,
    ) -> Result<Reencrypted, VaultError> {
        self.authorize(actor, Action::KeyOps, None, now).await?;
        let oldest = *self.keysets.keys().next().expect("a generation");
        if oldest == self.generation {
            // Nothing pending: start a new generation.
            let g = self.generation + 1;
            let dek = Secret32::random();
            let mut tx = begin_write(&self.pool).await?;
            sqlx::query("INSERT INTO data_keys (generation, wrapped, created_at) VALUES (?, ?, ?)")
                .bind(g)
                .bind(self.material.wrap_data_key(&self.vault_id, g, &dek))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE vault_meta SET key_generation = ? WHERE id = 1")
                .bind(g)
                .execute(&mut *tx)
                .await?;
            self.audit(
                &mut tx,
                now,
                key_entry(actor, "key.reencrypt.start", 0, format!("generation={g}")),
            )
            .await?;
            tx.commit().await?;
            let keys = crate::DataKeys::derive(&dek, &self.material.master);
            self.keysets.insert(g, keys.clone());
            self.keys = keys;
            self.generation = g;
        }
        let mut moved = 0;
        let mut batches = 0;
        loop {
            if max_batches.is_some_and(|m| batches >= m) {
                break;
            }
            let n = self.reencrypt_batch(actor, now).await?;
            if n == 0 {
                break;
            }
            moved += n;
            batches += 1;
        }
        let remaining = self.rows_behind(self.generation).await?;
        if remaining == 0 && self.keysets.len() > 1 {
            let mut tx = begin_write(&self.pool).await?;
            sqlx::query("DELETE FROM data_keys WHERE generation < ?")
                .bind(self.generation)
                .execute(&mut *tx)
                .await?;
            self.audit(
                &mut tx,
                now,
                key_entry(
                    actor,
                    "key.reencrypt.done",
                    0,
                    format!("generation={}", self.generation),
                ),
            )
            .await?;
            tx.commit().await?;
            let g = self.generation;
            self.keysets.retain(|k, _| *k == g);
        }
        Ok(Reencrypted {
            generation: self.generation,
            rows: moved,
            remaining,
        })
    }

    /// Moves up to one batch of rows to the current generation; returns how many moved.
    async fn reencrypt_batch(&self, actor: &Actor, now: Millis) -> Result<i64, VaultError> {
        let mut tx = begin_write(&self.pool).await?;
        let mut moved = 0;
        for t in SEALED {
            if moved >= REENCRYPT_BATCH {
                break;
            }
            let cols: Vec<&str> = t.columns.iter().map(|c| c.0).collect();
            let kind = if t.table == "records" { ", kind" } else { "" };
            let sql = format!(
                // Ids are read as text whatever their column type (break_glass ids are integers).
                "SELECT CAST({id} AS TEXT), key_generation, {cols}{kind} FROM {table} WHERE key_generation < ? LIMIT ?",
                id = t.id,
                cols = cols.join(", "),
                table = t.table
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(self.generation)
                .bind(REENCRYPT_BATCH - moved)
                .fetch_all(&mut *tx)
                .await?;
            for r in &rows {
                let id: String = r.get(0);
                let old = self.keys_for(r.get(1))?;
                let kind: Option<String> = (t.table == "records").then(|| r.get(cols.len() + 2));
                let mut sets = Vec::new();
                let mut values: Vec<Option<Vec<u8>>> = Vec::new();
                for (i, (col, aad_col)) in t.columns.iter().enumerate() {
                    let blob: Option<Vec<u8>> = r.get(i + 2);
                    let aad_col = aad_col.unwrap_or_else(|| kind.as_deref().unwrap_or(""));
                    let place = Place {
                        table: t.table,
                        column: aad_col,
                        row: &id,
                    };
                    let resealed = match blob {
                        // break_glass rows are inserted empty then sealed in the same transaction.
                        Some(b) if b.is_empty() => Some(b),
                        Some(b) => Some(self.keys.seal(place, &old.open(place, &b)?)),
                        None => None,
                    };
                    sets.push(format!("{col} = ?"));
                    values.push(resealed);
                }
                let sql = format!(
                    "UPDATE {} SET {}, key_generation = ? WHERE {} = ?",
                    t.table,
                    sets.join(", "),
                    t.id
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for v in values {
                    q = q.bind(v);
                }
                q.bind(self.generation).bind(&id).execute(&mut *tx).await?;
                moved += 1;
            }
        }
        if moved > 0 {
            self.audit(
                &mut tx,
                now,
                key_entry(
                    actor,
                    "key.reencrypt.batch",
                    moved,
                    format!("generation={}", self.generation),
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(moved)
    }

    /// Writes an encrypted, consistent snapshot of the vault to `out` while it stays in use.
    /// Returns the bytes written.
    pub async fn backup(&self, actor: &Actor, out: &Path, now: Millis) -> Result<u64, VaultError> {
        self.authorize(actor, Action::Backup, None, now).await?;
        if out.exists() {
            return Err(VaultError::Conflict(
                "the backup file exists; choose a new name".into(),
            ));
        }
        let out_dir = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // The snapshot holds only sealed values, but it is still a vault: owner-only, deleted
        // after use, never left in the data dir.
        let snapshot = tempfile::Builder::new()
            .prefix(".iris-backup-")
            .tempfile_in(out_dir)?
            .into_temp_path();
        std::fs::remove_file(&snapshot)?;
        let snap = snapshot.to_string_lossy().replace('\'', "''");
        sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{snap}'")))
            .execute(&self.pool)
            .await?;
        let slots = sqlx::query("SELECT * FROM key_slots WHERE kind != 'keyring'")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(slot_json)
            .collect::<Vec<_>>();
        let mut salt = [0u8; 32];
        fill_random(&mut salt);
        let header = serde_json::json!({
            "format": "iris-backup/1",
            "vault_id": self.vault_id,
            "created_at": now,
            "salt": hex::encode(salt),
            "slots": slots,
        })
        .to_string();
        let sealer = file_sealer(&self.material.master, &salt);
        let header_hash: [u8; 32] = Sha256::digest(header.as_bytes()).into();
        let partial = PathBuf::from(format!("{}.partial", out.display()));
        let written = (|| -> Result<u64, VaultError> {
            let mut input = std::fs::File::open(&snapshot)?;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode_owner_only()
                .open(&partial)?;
            f.write_all(MAGIC)?;
            f.write_all(&(header.len() as u32).to_be_bytes())?;
            f.write_all(header.as_bytes())?;
            let total = input.metadata()?.len();
            let mut buf = vec![0u8; CHUNK];
            let mut done = 0u64;
            let mut index = 0u64;
            loop {
                let n = read_full(&mut input, &mut buf)?;
                done += n as u64;
                let last = done >= total;
                let sealed = sealer.seal_aad(&chunk_aad(&header_hash, index, last), &buf[..n]);
                f.write_all(&(sealed.len() as u32).to_be_bytes())?;
                f.write_all(&sealed)?;
                index += 1;
                if last {
                    break;
                }
            }
            f.sync_all()?;
            Ok(f.metadata()?.len())
        })();
        let _ = std::fs::remove_file(&snapshot);
        let written = match written {
            Ok(n) => n,
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        };
        std::fs::rename(&partial, out)?;
        self.audit_alone(
            now,
            key_entry(actor, "backup", 1, format!("bytes={written}")),
        )
        .await?;
        Ok(written)
    }

    /// Restores a backup into `dir`, which must hold no vault, using the backup's passphrase
    /// or recovery slot. Nothing is left in `dir` if anything fails (wrong key, a damaged or
    /// altered file). The restored vault opens with the same slot; run `rekey` afterwards to
    /// enroll this machine's keyring.
    pub async fn restore(
        backup: &Path,
        dir: &Path,
        unlock: &Unlock,
        lockout: Lockout,
        now: Millis,
    ) -> Result<Vault, VaultError> {
        if matches!(unlock, Unlock::Keyring) {
            return Err(VaultError::invalid("unlock", "passphrase_or_recovery_key"));
        }
        if Vault::exists(dir) {
            return Err(VaultError::AlreadyInitialized);
        }
        let mut f = std::fs::File::open(backup)?;
        let mut magic = [0u8; 8];
        if f.read_exact(&mut magic).is_err() || &magic != MAGIC {
            return Err(VaultError::invalid("backup", "not_an_iris_backup"));
        }
        let mut len = [0u8; 4];
        f.read_exact(&mut len).map_err(|_| VaultError::Integrity)?;
        let len = u32::from_be_bytes(len) as usize;
        if len > 1 << 20 {
            return Err(VaultError::Integrity);
        }
        let mut header = vec![0u8; len];
        f.read_exact(&mut header)
            .map_err(|_| VaultError::Integrity)?;
        let h: serde_json::Value =
            serde_json::from_slice(&header).map_err(|_| VaultError::Integrity)?;
        let vault_id = h["vault_id"]
            .as_str()
            .ok_or(VaultError::Integrity)?
            .to_string();
        let salt = hex::decode(h["salt"].as_str().unwrap_or_default())
            .map_err(|_| VaultError::Integrity)?;
        let slot = h["slots"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(slot_from_json)
            .find(|s| s.kind == unlock.slot())
            .ok_or_else(|| {
                VaultError::KeyUnavailable(format!(
                    "this backup has no {} slot",
                    unlock.slot().as_str()
                ))
            })?;
        let material: KeyMaterial = keys::open_slot(&vault_id, unlock, &slot)?;
        let sealer = file_sealer(&material.master, &salt);
        let header_hash: [u8; 32] = Sha256::digest(&header).into();
        crate::ensure_dir(dir)?;
        let target = Vault::db_path(dir);
        let partial = dir.join(format!("{DB_FILE}.restoring"));
        let result = (|| -> Result<(), VaultError> {
            let mut out = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode_owner_only()
                .open(&partial)?;
            let mut index = 0u64;
            loop {
                let mut len = [0u8; 4];
                f.read_exact(&mut len).map_err(|_| VaultError::Integrity)?;
                let len = u32::from_be_bytes(len) as usize;
                if len > CHUNK + 64 {
                    return Err(VaultError::Integrity);
                }
                let mut sealed = vec![0u8; len];
                f.read_exact(&mut sealed)
                    .map_err(|_| VaultError::Integrity)?;
                // Try "not last" first; the final chunk authenticates only with the flag set.
                if let Ok(plain) = sealer.open_aad(&chunk_aad(&header_hash, index, false), &sealed)
                {
                    out.write_all(&plain)?;
                    index += 1;
                    continue;
                }
                let plain = sealer.open_aad(&chunk_aad(&header_hash, index, true), &sealed)?;
                out.write_all(&plain)?;
                let mut rest = [0u8; 1];
                if f.read(&mut rest)? != 0 {
                    return Err(VaultError::Integrity);
                }
                break;
            }
            out.sync_all()?;
            Ok(())
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
        std::fs::rename(&partial, &target)?;
        match Vault::open(dir, unlock, lockout).await {
            Ok(v) if v.vault_id == vault_id => {
                v.audit_alone(
                    now,
                    NewEntry {
                        user: "-",
                        role: "-",
                        action: "restore",
                        patient: None,
                        outcome: Outcome::Ok,
                        count: 1,
                        detail: Some(format!("slot={}", unlock.slot().as_str())),
                    },
                )
                .await?;
                Ok(v)
            }
            other => {
                if let Ok(v) = other {
                    v.close().await;
                }
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
                }
                Err(VaultError::Integrity)
            }
        }
    }
}

/// Backups and restore files are owner-only whatever the process umask.
trait OwnerOnly {
    fn mode_owner_only(&mut self) -> &mut Self;
}

impl OwnerOnly for std::fs::OpenOptions {
    fn mode_owner_only(&mut self) -> &mut Self {
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            self.mode(0o600);
        }
        self
    }
}

fn key_entry<'a>(
    actor: &'a Actor,
    action: &'static str,
    count: i64,
    detail: String,
) -> NewEntry<'a> {
    NewEntry {
        user: &actor.name,
        role: actor.role.as_str(),
        action,
        patient: None,
        outcome: Outcome::Ok,
        count,
        detail: Some(detail),
    }
}

fn file_sealer(master: &Secret32, salt: &[u8]) -> Sealer {
    let hk = hkdf::Hkdf::<Sha256>::new(Some(salt), master.expose());
    let mut k = [0u8; 32];
    hk.expand(b"iris-backup/v1", &mut k).expect("valid length");
    Sealer::new(&Secret32(k))
}

fn chunk_aad(header_hash: &[u8; 32], index: u64, last: bool) -> Vec<u8> {
    let mut aad = Vec::with_capacity(14 + 32 + 9);
    aad.extend_from_slice(b"iris-backup/v1");
    aad.extend_from_slice(header_hash);
    aad.extend_from_slice(&index.to_be_bytes());
    aad.push(u8::from(last));
    aad
}

fn read_full(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn slot_json(r: &sqlx::sqlite::SqliteRow) -> serde_json::Value {
    serde_json::json!({
        "kind": r.get::<String, _>("kind"),
        "kdf_salt": r.get::<Option<Vec<u8>>, _>("kdf_salt").map(hex::encode),
        "kdf_m_kib": r.get::<Option<i64>, _>("kdf_m_kib"),
        "kdf_t": r.get::<Option<i64>, _>("kdf_t"),
        "kdf_p": r.get::<Option<i64>, _>("kdf_p"),
        "wrapped": hex::encode(r.get::<Vec<u8>, _>("wrapped")),
    })
}

fn slot_from_json(v: &serde_json::Value) -> Option<Slot> {
    let kind = match v["kind"].as_str()? {
        "passphrase" => SlotKind::Passphrase,
        "recovery" => SlotKind::Recovery,
        _ => return None,
    };
    let kdf = match v["kdf_salt"].as_str() {
        Some(s) => Some((
            hex::decode(s).ok()?,
            crate::crypto::KdfParams {
                m_kib: u32::try_from(v["kdf_m_kib"].as_i64()?).ok()?,
                t: u32::try_from(v["kdf_t"].as_i64()?).ok()?,
                p: u32::try_from(v["kdf_p"].as_i64()?).ok()?,
            },
        )),
        None => None,
    };
    Some(Slot {
        kind,
        kdf,
        wrapped: hex::decode(v["wrapped"].as_str()?).ok()?,
    })
}
