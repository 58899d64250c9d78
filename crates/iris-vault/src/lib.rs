//! The encrypted patient vault: one SQLite file (`vault.sqlite`) in the data dir.
//!
//! * Records are sealed value by value (AES-256-GCM, bound to table/column/row) under keys
//!   derived from a random data key; see [`crypto`].
//! * The data key is stored only wrapped, by the OS keyring, a passphrase or the recovery key;
//!   see [`keys`].
//! * Every PHI access, login, user change and key operation appends to a hash-chained audit
//!   log in the same transaction as the change, with `synchronous=FULL`; see [`audit`].
//! * Staff accounts, roles and lockout; see [`users`].
//!
//! Queries are runtime-checked `sqlx::query` calls: nearly every column is an opaque blob, so
//! compile-time checking would add an offline-data step to every build for little gain. Each
//! query runs in the crate's tests.

pub mod audit;
pub mod chart;
pub mod crypto;
pub mod error;
pub mod import;
pub mod keys;
pub mod maintenance;
pub mod patients;
pub mod users;

use std::path::{Path, PathBuf};
use std::time::Duration;

use ed25519_dalek::SigningKey;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Row, SqliteConnection};

pub use audit::{Entry as AuditEntry, SignedHead, Verdict};
pub use chart::{Addendum, AllergyState, Chart, Note, POINT_OF_CARE, RawResource, StoredRecord};
pub use crypto::{DataKeys, Place};
pub use error::VaultError;
pub use keys::{RecoveryKey, SlotKind, Unlock};
pub use users::{Action, Lockout, Role};

use audit::{NewEntry, Outcome};

pub const DB_FILE: &str = "vault.sqlite";

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/local");

/// A signed-in user, as established by [`Vault::login`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub name: String,
    pub role: Role,
    pub must_change_password: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    pub locked_until: Option<i64>,
    pub must_change_password: bool,
}

/// Filter for the accounting of disclosures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditFilter {
    All,
    Patient(String),
    User(String),
}

/// An open, unlocked vault.
pub struct Vault {
    pool: SqlitePool,
    dir: PathBuf,
    vault_id: String,
    /// Keys of the current data-key generation (new writes).
    keys: DataKeys,
    generation: u32,
    /// Keys of every generation still in use (more than one only during a re-encryption).
    keysets: std::collections::BTreeMap<u32, DataKeys>,
    signer: SigningKey,
    material: keys::KeyMaterial,
    lockout: Lockout,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.dir)
            .field("vault_id", &self.vault_id)
            .finish_non_exhaustive()
    }
}

/// Milliseconds since the Unix epoch: the time type of the vault. Callers pass it in (a
/// clock), so lockout, break-glass expiry and idle lock are testable.
pub type Millis = i64;

fn connect_options(path: &Path, create: bool) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(create)
        .journal_mode(SqliteJournalMode::Wal)
        // Every commit, audit rows included, is on disk before it is reported.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        // Sorts and temporary tables stay in memory: no temp files next to the database.
        .pragma("temp_store", "memory")
        .pragma("secure_delete", "on")
        // 32 MiB of page cache per connection (the default is 2 MiB): bulk imports insert into
        // indexes keyed by random tokens, which otherwise read and write pages all over the
        // file. The cache holds pages as stored: ciphertext.
        .pragma("cache_size", "-32768")
}

async fn pool(path: &Path, create: bool) -> Result<SqlitePool, VaultError> {
    Ok(SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(connect_options(path, create))
        .await?)
}

pub(crate) async fn begin_write(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, VaultError> {
    // IMMEDIATE takes the write lock up front: the audit sequence read and the insert that
    // follows can never race another writer.
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Arguments of [`Vault::init`].
#[derive(Debug)]
pub struct InitArgs<'a> {
    pub admin: &'a str,
    pub admin_password: &'a str,
    /// [`Unlock::Keyring`] or [`Unlock::Passphrase`].
    pub unlock: Unlock,
    pub now: Millis,
}

impl Vault {
    pub fn db_path(dir: &Path) -> PathBuf {
        dir.join(DB_FILE)
    }

    pub fn exists(dir: &Path) -> bool {
        Vault::db_path(dir).exists()
    }

    /// Creates the vault and its first administrator. Returns the recovery key, to be shown
    /// once. On any failure nothing is left behind (no database file, no keyring entry).
    pub async fn init(dir: &Path, args: InitArgs<'_>) -> Result<(Vault, RecoveryKey), VaultError> {
        users::validate_user_name(args.admin)?;
        users::validate_password(args.admin_password)?;
        if matches!(args.unlock, Unlock::Recovery(_)) {
            return Err(VaultError::invalid("unlock", "keyring_or_passphrase"));
        }
        if let Unlock::Passphrase(p) = &args.unlock {
            keys::validate_passphrase(p)?;
        }
        let path = Vault::db_path(dir);
        if path.exists() {
            return Err(VaultError::AlreadyInitialized);
        }
        ensure_dir(dir)?;
        let vault_id = new_id();
        let result = Vault::init_inner(dir, &vault_id, &args).await;
        if result.is_err() {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            if matches!(args.unlock, Unlock::Keyring) {
                let _ = keys::keyring_delete(&vault_id);
            }
        }
        result
    }

    async fn init_inner(
        dir: &Path,
        vault_id: &str,
        args: &InitArgs<'_>,
    ) -> Result<(Vault, RecoveryKey), VaultError> {
        let material = keys::KeyMaterial::generate();
        let recovery = RecoveryKey::generate();
        let primary = keys::seal_slot(vault_id, &args.unlock, &material)?;
        let rslot = keys::seal_slot(vault_id, &Unlock::Recovery(recovery.display()), &material)?;
        let path = Vault::db_path(dir);
        let pool = pool(&path, true).await?;
        restrict_file(&path)?;
        MIGRATOR.run(&pool).await.map_err(sqlx::Error::from)?;
        let dek = crypto::Secret32::random();
        let vault = Vault::from_material(
            pool,
            dir,
            vault_id.to_string(),
            &material,
            std::iter::once((1, dek.clone())).collect(),
            1,
        );
        let mut tx = begin_write(&vault.pool).await?;
        sqlx::query("INSERT INTO data_keys (generation, wrapped, created_at) VALUES (1, ?, ?)")
            .bind(material.wrap_data_key(vault_id, 1, &dek))
            .bind(args.now)
            .execute(&mut *tx)
            .await?;
        let sig = audit::sign_head(&vault.signer, vault_id, 0, &audit::GENESIS);
        sqlx::query(
            "INSERT INTO vault_meta (id, vault_id, created_at, key_generation, head_seq, head_hash, head_sig)
             VALUES (1, ?, ?, ?, 0, ?, ?)",
        )
        .bind(vault_id)
        .bind(args.now)
        .bind(1)
        .bind(audit::GENESIS.as_slice())
        .bind(sig)
        .execute(&mut *tx)
        .await?;
        for slot in [&primary, &rslot] {
            insert_slot(&mut tx, slot, args.now).await?;
        }
        sqlx::query(
            "INSERT INTO users (name, role, password_hash, must_change_password, created_at)
             VALUES (?, 'admin', ?, 0, ?)",
        )
        .bind(args.admin)
        .bind(users::hash_password(args.admin_password))
        .bind(args.now)
        .execute(&mut *tx)
        .await?;
        for action in ["vault.init", "user.add"] {
            vault
                .audit(
                    &mut tx,
                    args.now,
                    NewEntry {
                        user: args.admin,
                        role: "admin",
                        action,
                        patient: None,
                        outcome: Outcome::Ok,
                        count: 1,
                        detail: (action == "vault.init")
                            .then(|| format!("slots={},recovery", primary.kind.as_str())),
                    },
                )
                .await?;
        }
        tx.commit().await?;
        Ok((vault, recovery))
    }

    /// Opens an initialised vault with one of its key slots.
    pub async fn open(dir: &Path, unlock: &Unlock, lockout: Lockout) -> Result<Vault, VaultError> {
        let path = Vault::db_path(dir);
        if !path.exists() {
            return Err(VaultError::NotInitialized);
        }
        let pool = pool(&path, false).await?;
        // The key is checked before any migration runs: a wrong key changes nothing.
        let vault_id: String = sqlx::query_scalar("SELECT vault_id FROM vault_meta WHERE id = 1")
            .fetch_optional(&pool)
            .await?
            .ok_or(VaultError::NotInitialized)?;
        let slot = load_slot(&pool, unlock.slot()).await?.ok_or_else(|| {
            VaultError::KeyUnavailable(format!(
                "this vault has no {} key slot",
                unlock.slot().as_str()
            ))
        })?;
        let material = keys::open_slot(&vault_id, unlock, &slot)?;
        MIGRATOR.run(&pool).await.map_err(sqlx::Error::from)?;
        let (deks, current) = load_data_keys(&pool, &vault_id, &material).await?;
        let mut v = Vault::from_material(pool, dir, vault_id, &material, deks, current);
        v.lockout = lockout;
        Ok(v)
    }

    fn from_material(
        pool: SqlitePool,
        dir: &Path,
        vault_id: String,
        m: &keys::KeyMaterial,
        deks: std::collections::BTreeMap<u32, crypto::Secret32>,
        generation: u32,
    ) -> Vault {
        let keysets: std::collections::BTreeMap<u32, DataKeys> = deks
            .iter()
            .map(|(g, k)| (*g, DataKeys::derive(k, &m.master)))
            .collect();
        Vault {
            pool,
            dir: dir.to_path_buf(),
            vault_id,
            keys: keysets[&generation].clone(),
            keysets,
            generation,
            signer: SigningKey::from_bytes(m.signing_seed.expose()),
            material: m.clone(),
            lockout: Lockout::default(),
        }
    }

    pub fn vault_id(&self) -> &str {
        &self.vault_id
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The keys of the current generation.
    pub fn keys(&self) -> &DataKeys {
        &self.keys
    }

    /// The keys a row sealed under `generation` opens with.
    pub(crate) fn keys_for(&self, generation: i64) -> Result<&DataKeys, VaultError> {
        u32::try_from(generation)
            .ok()
            .and_then(|g| self.keysets.get(&g))
            .ok_or(VaultError::Integrity)
    }

    pub async fn close(self) {
        self.pool.close().await;
    }

    pub(crate) async fn audit(
        &self,
        conn: &mut SqliteConnection,
        now: Millis,
        e: NewEntry<'_>,
    ) -> Result<AuditEntry, VaultError> {
        audit::append(conn, &self.signer, &self.vault_id, now, &e).await
    }

    /// Appends one audit entry in its own transaction (for events that change nothing else).
    pub(crate) async fn audit_alone(&self, now: Millis, e: NewEntry<'_>) -> Result<(), VaultError> {
        let mut tx = begin_write(&self.pool).await?;
        self.audit(&mut tx, now, e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Checks `action` for `actor`, recording a denial in the audit log.
    pub(crate) async fn authorize(
        &self,
        actor: &Actor,
        action: Action,
        patient: Option<&str>,
        now: Millis,
    ) -> Result<Authorized, VaultError> {
        if actor.must_change_password {
            return Err(VaultError::PasswordChangeRequired);
        }
        if users::permits(actor.role, action) {
            return Ok(Authorized::ByRole);
        }
        if let (true, Some(pid)) = (action.is_chart_access(), patient) {
            let grant: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM break_glass WHERE user_id = ? AND patient_id = ? AND expires_at > ?
                 ORDER BY expires_at DESC LIMIT 1",
            )
            .bind(actor.user_id)
            .bind(pid)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
            if let Some(id) = grant {
                return Ok(Authorized::BreakGlass(id));
            }
        }
        self.audit_alone(
            now,
            NewEntry {
                user: &actor.name,
                role: actor.role.as_str(),
                action: "access.denied",
                patient,
                outcome: Outcome::Denied,
                count: 0,
                detail: Some(action_code(action).into()),
            },
        )
        .await?;
        Err(VaultError::Forbidden {
            role: actor.role.as_str(),
            action: action.as_str(),
        })
    }

    // ----- keys --------------------------------------------------------------------------

    /// Re-wraps the key material under a new key-encryption key: a fresh keyring secret, or a
    /// new passphrase. The data key and every record stay as they are. The recovery slot is
    /// kept; a rekey to the other primary kind removes the old primary slot.
    pub async fn rekey(&self, actor: &Actor, to: &Unlock, now: Millis) -> Result<(), VaultError> {
        self.authorize(actor, Action::KeyOps, None, now).await?;
        if matches!(to, Unlock::Recovery(_)) {
            return Err(VaultError::invalid("unlock", "keyring_or_passphrase"));
        }
        let slot = keys::seal_slot(&self.vault_id, to, &self.material)?;
        let mut tx = begin_write(&self.pool).await?;
        insert_slot(&mut tx, &slot, now).await?;
        let other = match to.slot() {
            SlotKind::Keyring => SlotKind::Passphrase,
            _ => SlotKind::Keyring,
        };
        sqlx::query("DELETE FROM key_slots WHERE kind = ?")
            .bind(other.as_str())
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            now,
            NewEntry {
                user: &actor.name,
                role: actor.role.as_str(),
                action: "key.rekey",
                patient: None,
                outcome: Outcome::Ok,
                count: 1,
                detail: Some(format!("slot={}", slot.kind.as_str())),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks the vault as holding synthetic demo data (shown on every screen).
    pub async fn mark_demo(&self) -> Result<(), VaultError> {
        sqlx::query("INSERT OR REPLACE INTO vault_settings (key, value) VALUES ('demo', 'true')")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn is_demo(&self) -> Result<bool, VaultError> {
        let v: Option<String> =
            sqlx::query_scalar("SELECT value FROM vault_settings WHERE key = 'demo'")
                .fetch_optional(&self.pool)
                .await?;
        Ok(v.as_deref() == Some("true"))
    }

    /// Which key slots the vault has.
    pub async fn slots(&self) -> Result<Vec<String>, VaultError> {
        Ok(
            sqlx::query_scalar("SELECT kind FROM key_slots ORDER BY kind")
                .fetch_all(&self.pool)
                .await?,
        )
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Authorized {
    ByRole,
    BreakGlass(i64),
}

fn action_code(a: Action) -> &'static str {
    match a {
        Action::ReadChart => "read_chart",
        Action::WriteChart => "write_chart",
        Action::RecordVitals => "record_vitals",
        Action::RecordMedications => "record_medications",
        Action::DraftNote => "draft_note",
        Action::SignNote => "sign_note",
        Action::ManageUsers => "manage_users",
        Action::ImportExport => "import_export",
        Action::Erase => "erase",
        Action::ReadAudit => "read_audit",
        Action::Backup => "backup",
        Action::KeyOps => "key_ops",
    }
}

async fn insert_slot(
    conn: &mut SqliteConnection,
    slot: &keys::Slot,
    now: Millis,
) -> Result<(), VaultError> {
    let (salt, params) = match &slot.kdf {
        Some((s, p)) => (Some(s.clone()), Some(*p)),
        None => (None, None),
    };
    sqlx::query(
        "INSERT OR REPLACE INTO key_slots (kind, kdf_salt, kdf_m_kib, kdf_t, kdf_p, wrapped, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(slot.kind.as_str())
    .bind(salt)
    .bind(params.map(|p| p.m_kib))
    .bind(params.map(|p| p.t))
    .bind(params.map(|p| p.p))
    .bind(&slot.wrapped)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Every stored data-key generation, unwrapped, and the current one.
async fn load_data_keys(
    pool: &SqlitePool,
    vault_id: &str,
    material: &keys::KeyMaterial,
) -> Result<(std::collections::BTreeMap<u32, crypto::Secret32>, u32), VaultError> {
    let current: i64 = sqlx::query_scalar("SELECT key_generation FROM vault_meta WHERE id = 1")
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query("SELECT generation, wrapped FROM data_keys")
        .fetch_all(pool)
        .await?;
    let mut out = std::collections::BTreeMap::new();
    for r in &rows {
        let g = u32::try_from(r.get::<i64, _>(0)).map_err(|_| VaultError::Integrity)?;
        out.insert(
            g,
            material.unwrap_data_key(vault_id, g, &r.get::<Vec<u8>, _>(1))?,
        );
    }
    let current = u32::try_from(current).map_err(|_| VaultError::Integrity)?;
    if !out.contains_key(&current) {
        return Err(VaultError::Integrity);
    }
    Ok((out, current))
}

async fn load_slot(pool: &SqlitePool, kind: SlotKind) -> Result<Option<keys::Slot>, VaultError> {
    let row = sqlx::query("SELECT * FROM key_slots WHERE kind = ?")
        .bind(kind.as_str())
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| keys::Slot {
        kind,
        kdf: r.get::<Option<Vec<u8>>, _>("kdf_salt").map(|salt| {
            (
                salt,
                crypto::KdfParams {
                    m_kib: r.get::<i64, _>("kdf_m_kib") as u32,
                    t: r.get::<i64, _>("kdf_t") as u32,
                    p: r.get::<i64, _>("kdf_p") as u32,
                },
            )
        }),
        wrapped: r.get("wrapped"),
    }))
}

/// Creates `dir` owner-only if it does not exist.
pub(crate) fn ensure_dir(dir: &Path) -> Result<(), VaultError> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

fn restrict_file(path: &Path) -> Result<(), VaultError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

/// Parses a signed head file as written by `iris audit head --out`.
pub fn parse_head(text: &str) -> Result<SignedHead, VaultError> {
    serde_json::from_str(text).map_err(|_| VaultError::invalid("head", "signed_head_json"))
}
