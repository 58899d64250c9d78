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
pub mod demo;
pub mod error;
pub mod import;
pub mod keys;
pub mod maintenance;
pub mod patients;
pub mod users;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use ed25519_dalek::SigningKey;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Row, SqliteConnection};

pub use audit::{Entry as AuditEntry, SignedHead, Verdict};
pub use chart::{Addendum, AllergyState, Chart, Note, POINT_OF_CARE, StoredRecord};
pub use crypto::{DataKeys, Place};
pub use error::VaultError;
pub use keys::{RecoveryKey, SlotKind, Unlock};
pub use users::{Action, Lockout, Role};

// The record model is iris-record's; the vault seals and stores it.
use iris_record::{Address, Date, PatientRecord};

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

    // ----- users -------------------------------------------------------------------------

    /// Verifies a password, applying lockout. Every outcome is audited.
    pub async fn login(
        &self,
        name: &str,
        password: &str,
        now: Millis,
    ) -> Result<Actor, VaultError> {
        let row = sqlx::query(
            "SELECT id, role, password_hash, must_change_password, disabled, failed_logins, locked_until
             FROM users WHERE name = ?",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            // Burn the same time as a real check so timing does not reveal which names exist.
            let _ = users::verify_password(password, DUMMY_HASH.as_str());
            self.audit_alone(
                now,
                NewEntry {
                    user: "-",
                    role: "-",
                    action: "login",
                    patient: None,
                    outcome: Outcome::Failed,
                    count: 0,
                    detail: Some("unknown_user".into()),
                },
            )
            .await?;
            return Err(VaultError::BadCredentials);
        };
        let id: i64 = row.get("id");
        let role = Role::parse(row.get::<&str, _>("role")).ok_or(VaultError::Integrity)?;
        let entry = |action: &'static str, outcome, detail: &str| NewEntry {
            user: name,
            role: role.as_str(),
            action,
            patient: None,
            outcome,
            count: 0,
            detail: Some(detail.to_string()),
        };
        if row.get::<i64, _>("disabled") != 0 {
            self.audit_alone(now, entry("login", Outcome::Denied, "disabled"))
                .await?;
            return Err(VaultError::Disabled);
        }
        if let Some(until) = row.get::<Option<i64>, _>("locked_until")
            && until > now
        {
            self.audit_alone(now, entry("login", Outcome::Denied, "locked_out"))
                .await?;
            let minutes = (until - now + 59_999) as u64 / 60_000;
            return Err(VaultError::LockedOut { minutes });
        }
        let ok = users::verify_password(password, row.get::<&str, _>("password_hash"));
        let mut tx = begin_write(&self.pool).await?;
        if ok {
            sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            self.audit(&mut tx, now, entry("login", Outcome::Ok, "password"))
                .await?;
            tx.commit().await?;
            return Ok(Actor {
                user_id: id,
                name: name.to_string(),
                role,
                must_change_password: row.get::<i64, _>("must_change_password") != 0,
            });
        }
        let failures: i64 = sqlx::query_scalar(
            "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            now,
            entry("login", Outcome::Failed, "bad_password"),
        )
        .await?;
        if failures >= i64::from(self.lockout.max_failures) {
            let until = now + i64::from(self.lockout.minutes) * 60_000;
            sqlx::query("UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?")
                .bind(until)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            self.audit(
                &mut tx,
                now,
                entry("user.lockout", Outcome::Ok, "failed_logins"),
            )
            .await?;
        }
        tx.commit().await?;
        Err(VaultError::BadCredentials)
    }

    /// Records that a session was locked (idle or by hand).
    pub async fn record_lock(
        &self,
        actor: &Actor,
        reason: &str,
        now: Millis,
    ) -> Result<(), VaultError> {
        let detail = match reason {
            "idle" | "manual" => reason,
            _ => "other",
        };
        self.audit_alone(
            now,
            NewEntry {
                user: &actor.name,
                role: actor.role.as_str(),
                action: "session.lock",
                patient: None,
                outcome: Outcome::Ok,
                count: 0,
                detail: Some(detail.into()),
            },
        )
        .await
    }

    pub async fn add_user(
        &self,
        actor: &Actor,
        name: &str,
        role: Role,
        initial_password: &str,
        now: Millis,
    ) -> Result<(), VaultError> {
        self.authorize(actor, Action::ManageUsers, None, now)
            .await?;
        users::validate_user_name(name)?;
        users::validate_password(initial_password)?;
        let hash = users::hash_password(initial_password);
        let mut tx = begin_write(&self.pool).await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE name = ?")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(VaultError::Conflict("a user with this name exists".into()));
        }
        sqlx::query(
            "INSERT INTO users (name, role, password_hash, must_change_password, created_at)
             VALUES (?, ?, ?, 1, ?)",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        self.audit(
            &mut tx,
            now,
            self.user_change(actor, "user.add", format!("{name} role={}", role.as_str())),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    fn user_change<'a>(
        &self,
        actor: &'a Actor,
        action: &'static str,
        detail: String,
    ) -> NewEntry<'a> {
        NewEntry {
            user: &actor.name,
            role: actor.role.as_str(),
            action,
            patient: None,
            outcome: Outcome::Ok,
            count: 1,
            detail: Some(detail),
        }
    }

    /// Disables or re-enables an account.
    pub async fn set_disabled(
        &self,
        actor: &Actor,
        name: &str,
        disabled: bool,
        now: Millis,
    ) -> Result<(), VaultError> {
        self.authorize(actor, Action::ManageUsers, None, now)
            .await?;
        if disabled && name == actor.name {
            return Err(VaultError::Conflict(
                "you cannot disable your own account".into(),
            ));
        }
        let mut tx = begin_write(&self.pool).await?;
        let n = sqlx::query("UPDATE users SET disabled = ? WHERE name = ?")
            .bind(i64::from(disabled))
            .bind(name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(VaultError::NotFound { what: "user" });
        }
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        self.audit(
            &mut tx,
            now,
            self.user_change(actor, action, name.to_string()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Clears a lockout.
    pub async fn unlock_user(
        &self,
        actor: &Actor,
        name: &str,
        now: Millis,
    ) -> Result<(), VaultError> {
        self.authorize(actor, Action::ManageUsers, None, now)
            .await?;
        let mut tx = begin_write(&self.pool).await?;
        let n =
            sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE name = ?")
                .bind(name)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if n == 0 {
            return Err(VaultError::NotFound { what: "user" });
        }
        self.audit(
            &mut tx,
            now,
            self.user_change(actor, "user.unlock", name.to_string()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes the acting user's own password (the current one is checked again).
    pub async fn change_password(
        &self,
        name: &str,
        current: &str,
        new: &str,
        now: Millis,
    ) -> Result<Actor, VaultError> {
        users::validate_password(new)?;
        if new == current {
            return Err(VaultError::invalid("new_password", "differs_from_current"));
        }
        let mut actor = self.login(name, current, now).await?;
        let mut tx = begin_write(&self.pool).await?;
        sqlx::query("UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?")
            .bind(users::hash_password(new))
            .bind(actor.user_id)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            now,
            self.user_change(&actor, "user.passwd", name.to_string()),
        )
        .await?;
        tx.commit().await?;
        actor.must_change_password = false;
        Ok(actor)
    }

    pub async fn list_users(
        &self,
        actor: &Actor,
        now: Millis,
    ) -> Result<Vec<UserInfo>, VaultError> {
        self.authorize(actor, Action::ManageUsers, None, now)
            .await?;
        let rows = sqlx::query(
            "SELECT name, role, disabled, locked_until, must_change_password FROM users ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(UserInfo {
                    name: r.get("name"),
                    role: Role::parse(r.get::<&str, _>("role")).ok_or(VaultError::Integrity)?,
                    disabled: r.get::<i64, _>("disabled") != 0,
                    locked_until: r.get::<Option<i64>, _>("locked_until").filter(|&t| t > now),
                    must_change_password: r.get::<i64, _>("must_change_password") != 0,
                })
            })
            .collect()
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

    // ----- break-glass -------------------------------------------------------------------

    /// Grants `actor` chart access to one patient outside their role, for `minutes`. The
    /// reason is required, kept sealed, and the grant is flagged in the audit log.
    pub async fn break_glass(
        &self,
        actor: &Actor,
        patient_id: &str,
        reason: &str,
        minutes: u32,
        now: Millis,
    ) -> Result<Millis, VaultError> {
        if actor.role == Role::Analyst {
            return Err(VaultError::Forbidden {
                role: "analyst",
                action: "use break-glass access",
            });
        }
        let reason = reason.trim();
        if reason.chars().count() < 10 {
            return Err(VaultError::invalid("reason", "min_length_10"));
        }
        if reason.chars().count() > 500 {
            return Err(VaultError::invalid("reason", "max_length_500"));
        }
        if !(1..=240).contains(&minutes) {
            return Err(VaultError::invalid("minutes", "range_1_240"));
        }
        self.require_patient(patient_id).await?;
        let expires = now + i64::from(minutes) * 60_000;
        let mut tx = begin_write(&self.pool).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO break_glass (user_id, patient_id, key_generation, reason, granted_at, expires_at)
             VALUES (?, ?, ?, x'', ?, ?) RETURNING id",
        )
        .bind(actor.user_id)
        .bind(patient_id)
        .bind(self.generation)
        .bind(now)
        .bind(expires)
        .fetch_one(&mut *tx)
        .await?;
        let row = id.to_string();
        let sealed = self.keys.seal(
            Place {
                table: "break_glass",
                column: "reason",
                row: &row,
            },
            reason.as_bytes(),
        );
        sqlx::query("UPDATE break_glass SET reason = ? WHERE id = ?")
            .bind(sealed)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            now,
            NewEntry {
                user: &actor.name,
                role: actor.role.as_str(),
                action: "break_glass",
                patient: Some(patient_id),
                outcome: Outcome::Ok,
                count: 1,
                detail: Some(format!("grant={id} minutes={minutes}")),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(expires)
    }

    // ----- patients ----------------------------------------------------------------------

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
            Some(seal("sex", &p.sex)),
            Some(seal("mrn", &p.mrn)),
            address.map(|a| seal("address", &a)),
            p.phone.as_deref().map(|v| seal("phone", v)),
            p.email.as_deref().map(|v| seal("email", v)),
            p.pregnancy.as_deref().map(|v| seal("pregnancy", v)),
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
        for (kind, value) in patients::index_terms(p) {
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
            sex: need("sex")?,
            mrn: need("mrn")?,
            address,
            phone: open("phone")?,
            email: open("email")?,
            pregnancy: open("pregnancy")?,
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
        let terms = patients::search_terms(query)?;
        let mut ids: Option<std::collections::BTreeSet<String>> = None;
        let lookup = |kind: &'static str, v: String| {
            let token = self.keys.blind_index(kind, &v);
            async move {
                let rows: Vec<String> =
                    sqlx::query_scalar("SELECT patient_id FROM patient_index WHERE token = ?")
                        .bind(token)
                        .fetch_all(&self.pool)
                        .await?;
                Ok::<_, VaultError>(rows.into_iter().collect::<std::collections::BTreeSet<_>>())
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

    // ----- audit -------------------------------------------------------------------------

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
        let entries: Vec<AuditEntry> = rows.iter().map(audit::entry_from_row).collect();
        let (seq, hash, sig) = self.stored_head().await?;
        Ok(audit::verify_chain(
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
            signature: audit::sign_head(&self.signer, &self.vault_id, e.seq, &e.hash),
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
    ) -> Result<Vec<AuditEntry>, VaultError> {
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
        let out: Vec<AuditEntry> = rows.iter().map(audit::entry_from_row).collect();
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

static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| users::hash_password("not a real password"));

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

impl FromStr for Role {
    type Err = VaultError;
    fn from_str(s: &str) -> Result<Role, VaultError> {
        Role::parse(s).ok_or_else(|| VaultError::invalid("role", "admin|physician|nurse|analyst"))
    }
}
