//! The vault through AppCore: opening it, the signed-in session (with idle lock), user
//! administration and the audit log. Both faces call these; permission checks happen in the
//! vault, session checks here.

use std::sync::{Arc, Mutex, RwLock};

use iris_types::Command as _;
use iris_types::{
    AddUserRequest, ApiError, AuditEntryDto, AuditListRequest, AuditVerifyDto,
    ChangePasswordRequest, ChangeUserRequest, ErrorCode, InitDto, InitRequest, LoginRequest,
    SessionDto, UserChange, UserDto, VaultStatusDto,
};
use iris_vault::{Actor, AuditFilter, InitArgs, Lockout, Role, Unlock, Vault, VaultError, Verdict};

use crate::AppCore;

/// Time source for everything time-dependent (lockout, idle lock, break-glass expiry), so
/// tests can move time instead of sleeping.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
}

#[derive(Debug, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}

#[derive(Debug)]
struct Session {
    actor: Actor,
    last_active: i64,
    locked: bool,
}

/// The open vault (if any) and the signed-in session (if any).
#[derive(Debug, Default)]
pub(crate) struct VaultState {
    vault: RwLock<Option<Arc<Vault>>>,
    unlocked_with: Mutex<Option<&'static str>>,
    open_error: Mutex<Option<ApiError>>,
    session: Mutex<Option<Session>>,
    demo: Mutex<bool>,
    /// Progress of the FHIR import running now, or of the last one.
    pub(crate) import: Arc<Mutex<iris_types::ImportStatusDto>>,
}

/// How the vault key is reached, from the environment: `IRIS_PASSPHRASE` (the passphrase
/// slot), `IRIS_RECOVERY_KEY` (the recovery slot), otherwise the OS keyring.
pub fn unlock_from_env() -> Unlock {
    if let Ok(p) = std::env::var("IRIS_PASSPHRASE") {
        return Unlock::Passphrase(p);
    }
    if let Ok(r) = std::env::var("IRIS_RECOVERY_KEY") {
        return Unlock::Recovery(r);
    }
    Unlock::Keyring
}

/// Vault errors as API errors. Every `VaultError` message is PHI-free by construction.
pub fn api_error(e: VaultError) -> ApiError {
    let code = match &e {
        VaultError::NotInitialized => ErrorCode::NotInitialized,
        VaultError::AlreadyInitialized => ErrorCode::AlreadyInitialized,
        VaultError::WrongKey => ErrorCode::WrongKey,
        VaultError::KeyUnavailable(_) => ErrorCode::KeyUnavailable,
        VaultError::Integrity => ErrorCode::Integrity,
        VaultError::BadCredentials => ErrorCode::Unauthenticated,
        VaultError::LockedOut { .. } => ErrorCode::LockedOut,
        VaultError::Disabled => ErrorCode::Disabled,
        VaultError::PasswordChangeRequired => ErrorCode::PasswordChangeRequired,
        VaultError::SessionLocked => ErrorCode::SessionLocked,
        VaultError::Forbidden { .. } => ErrorCode::Forbidden,
        VaultError::NotFound { .. } => ErrorCode::NotFound,
        VaultError::Conflict(_) => ErrorCode::Conflict,
        VaultError::Invalid(fields) => {
            return ApiError::validation(
                fields
                    .iter()
                    .map(|f| iris_types::FieldError {
                        field: f.field.clone(),
                        rule: f.rule.clone(),
                    })
                    .collect(),
            );
        }
        VaultError::Storage { .. } => {
            return ApiError::new(
                ErrorCode::Internal,
                "A storage error occurred; details are in the log.",
            );
        }
    };
    let mut message = e.to_string();
    if let Some(first) = message.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    ApiError::new(code, format!("{message}."))
}

fn user_dto(u: iris_vault::UserInfo) -> UserDto {
    UserDto {
        name: u.name,
        role: u.role.as_str().to_string(),
        disabled: u.disabled,
        locked_until: u.locked_until,
        must_change_password: u.must_change_password,
    }
}

fn entry_dto(e: iris_vault::AuditEntry) -> AuditEntryDto {
    AuditEntryDto {
        seq: e.seq,
        at: e.at,
        user: e.user,
        role: e.role,
        action: e.action,
        patient: e.patient,
        outcome: e.outcome,
        count: e.count,
        detail: e.detail,
        prev_hash: hex(&e.prev_hash),
        hash: hex(&e.hash),
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl AppCore {
    fn lockout(&self) -> Lockout {
        Lockout {
            max_failures: self.config().lockout_attempts(),
            minutes: self.config().lockout_minutes(),
        }
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    fn vault(&self) -> Result<Arc<Vault>, ApiError> {
        if let Some(v) = self.vault_state.vault.read().expect("not poisoned").clone() {
            return Ok(v);
        }
        if let Some(e) = self
            .vault_state
            .open_error
            .lock()
            .expect("not poisoned")
            .clone()
        {
            return Err(e);
        }
        if Vault::exists(self.config().data_dir()) {
            Err(ApiError::new(
                ErrorCode::KeyUnavailable,
                "The vault is not open.",
            ))
        } else {
            Err(api_error(VaultError::NotInitialized))
        }
    }

    async fn note_demo(&self, v: &Vault) {
        let demo = v.is_demo().await.unwrap_or(false);
        *self.vault_state.demo.lock().expect("not poisoned") = demo;
    }

    /// First launch of a fresh data dir with demo data allowed (policy `demo_data`): creates a
    /// vault keyed by `unlock`, the demo accounts and the synthetic cohort. Returns whether it
    /// seeded (an existing vault is left alone).
    pub async fn seed_demo(&self, unlock: &Unlock) -> Result<bool, ApiError> {
        if Vault::exists(self.config().data_dir()) {
            return Ok(false);
        }
        if !self.config().demo_data() {
            tracing::info!("demo data is turned off by configuration; not seeding");
            return Ok(false);
        }
        let now = self.now_ms();
        let (admin_name, admin_pw, _) = iris_config::demo::DEMO_ACCOUNTS[0];
        let (vault, _recovery) = Vault::init(
            self.config().data_dir(),
            InitArgs {
                admin: admin_name,
                admin_password: admin_pw,
                unlock: unlock.clone(),
                now,
            },
        )
        .await
        .map_err(api_error)?;
        let admin = vault
            .login(admin_name, admin_pw, now)
            .await
            .map_err(api_error)?;
        let mut doc = None;
        for (name, pw, role) in &iris_config::demo::DEMO_ACCOUNTS[1..] {
            let role = Role::parse(role).expect("demo roles are valid");
            vault
                .add_user(&admin, name, role, "temporary demo password", now)
                .await
                .map_err(api_error)?;
            let actor = vault
                .change_password(name, "temporary demo password", pw, now)
                .await
                .map_err(api_error)?;
            if role == Role::Physician {
                doc = Some(actor);
            }
        }
        vault.mark_demo().await.map_err(api_error)?;
        let doc = doc.expect("a demo physician");
        let ids = iris_vault::demo::seed(&vault, &doc, iris_config::demo::DEMO_PATIENTS, now)
            .await
            .map_err(api_error)?;
        tracing::info!(patients = ids.len(), "demo data seeded");
        self.note_demo(&vault).await;
        self.set_vault(vault, unlock.slot().as_str());
        Ok(true)
    }

    fn set_vault(&self, v: Vault, with: &'static str) {
        *self.vault_state.vault.write().expect("not poisoned") = Some(Arc::new(v));
        *self.vault_state.unlocked_with.lock().expect("not poisoned") = Some(with);
        *self.vault_state.open_error.lock().expect("not poisoned") = None;
    }

    /// Opens the data dir's vault with `unlock`. A failure is kept and reported by
    /// `vault_status` and by every vault command, so a desktop can show why.
    pub async fn open_vault(&self, unlock: &Unlock) -> Result<(), ApiError> {
        match Vault::open(self.config().data_dir(), unlock, self.lockout()).await {
            Ok(v) => {
                tracing::info!(slot = unlock.slot().as_str(), "vault opened");
                self.note_demo(&v).await;
                self.set_vault(v, unlock.slot().as_str());
                Ok(())
            }
            Err(e) => {
                let e = api_error(e);
                tracing::warn!(code = %e.code, "vault not opened");
                if e.code != ErrorCode::NotInitialized {
                    *self.vault_state.open_error.lock().expect("not poisoned") = Some(e.clone());
                }
                Err(e)
            }
        }
    }

    /// First run: creates the vault and its administrator. With a passphrase (request or
    /// `IRIS_PASSPHRASE`) the vault key comes from it; otherwise the OS keyring must work.
    pub async fn init_vault(&self, req: InitRequest) -> Result<InitDto, ApiError> {
        self.served(iris_types::InitVault::NAME);
        let unlock = match req.passphrase.clone() {
            Some(p) => Unlock::Passphrase(p),
            None => match unlock_from_env() {
                Unlock::Recovery(_) => Unlock::Keyring,
                u => u,
            },
        };
        if matches!(unlock, Unlock::Keyring) && !iris_vault::keys::keyring_available() {
            return Err(ApiError::new(
                ErrorCode::KeyUnavailable,
                "No OS keyring is available in this session; set a vault passphrase (IRIS_PASSPHRASE) instead.",
            ));
        }
        let (vault, recovery) = Vault::init(
            self.config().data_dir(),
            InitArgs {
                admin: &req.admin,
                admin_password: &req.password,
                unlock: unlock.clone(),
                now: self.now_ms(),
            },
        )
        .await
        .map_err(api_error)?;
        let slots = vault.slots().await.map_err(api_error)?;
        let dto = InitDto {
            vault_id: vault.vault_id().to_string(),
            recovery_key: recovery.display(),
            slots,
        };
        tracing::info!(slot = unlock.slot().as_str(), "vault initialised");
        self.set_vault(vault, unlock.slot().as_str());
        Ok(dto)
    }

    pub fn vault_status(&self) -> VaultStatusDto {
        let open = self
            .vault_state
            .vault
            .read()
            .expect("not poisoned")
            .is_some();
        let session = self.session_dto();
        VaultStatusDto {
            initialized: Vault::exists(self.config().data_dir()),
            open,
            unlocked_with: self
                .vault_state
                .unlocked_with
                .lock()
                .expect("not poisoned")
                .map(String::from),
            session,
            open_error: self
                .vault_state
                .open_error
                .lock()
                .expect("not poisoned")
                .as_ref()
                .map(|e| e.message.clone()),
            demo: *self.vault_state.demo.lock().expect("not poisoned"),
        }
    }

    fn session_dto(&self) -> Option<SessionDto> {
        let s = self.vault_state.session.lock().expect("not poisoned");
        s.as_ref().filter(|s| !s.locked).map(|s| SessionDto {
            user: s.actor.name.clone(),
            role: s.actor.role.as_str().to_string(),
            must_change_password: s.actor.must_change_password,
            idle_lock_minutes: self.config().idle_lock_minutes(),
        })
    }

    pub async fn login(&self, req: LoginRequest) -> Result<SessionDto, ApiError> {
        self.served(iris_types::Login::NAME);
        let vault = self.vault()?;
        let now = self.now_ms();
        let actor = vault
            .login(&req.user, &req.password, now)
            .await
            .map_err(api_error)?;
        *self.vault_state.session.lock().expect("not poisoned") = Some(Session {
            actor,
            last_active: now,
            locked: false,
        });
        Ok(self.session_dto().expect("just signed in"))
    }

    pub fn logout(&self) {
        *self.vault_state.session.lock().expect("not poisoned") = None;
    }

    /// Locks the session (idle or by hand): PHI must leave the screen until the same user (or
    /// another) signs in again.
    pub async fn lock_session(&self, reason: &str) -> Result<(), ApiError> {
        let actor = {
            let mut s = self.vault_state.session.lock().expect("not poisoned");
            match s.as_mut() {
                Some(s) if !s.locked => {
                    s.locked = true;
                    s.actor.clone()
                }
                _ => return Ok(()),
            }
        };
        let vault = self.vault()?;
        vault
            .record_lock(&actor, reason, self.now_ms())
            .await
            .map_err(api_error)
    }

    /// The signed-in actor, after the idle check; refreshes the activity time.
    pub async fn actor(&self) -> Result<(Arc<Vault>, Actor), ApiError> {
        let vault = self.vault()?;
        let now = self.now_ms();
        let idle_ms = i64::from(self.config().idle_lock_minutes()) * 60_000;
        let idle_actor = {
            let mut guard = self.vault_state.session.lock().expect("not poisoned");
            let Some(s) = guard.as_mut() else {
                return Err(ApiError::new(ErrorCode::Unauthenticated, "Sign in first."));
            };
            if s.locked {
                return Err(api_error(VaultError::SessionLocked));
            }
            if now - s.last_active >= idle_ms {
                s.locked = true;
                Some(s.actor.clone())
            } else {
                s.last_active = now;
                return Ok((vault, s.actor.clone()));
            }
        };
        if let Some(actor) = idle_actor {
            vault
                .record_lock(&actor, "idle", now)
                .await
                .map_err(api_error)?;
        }
        Err(api_error(VaultError::SessionLocked))
    }

    pub async fn change_password(
        &self,
        req: ChangePasswordRequest,
    ) -> Result<SessionDto, ApiError> {
        let vault = self.vault()?;
        let name = {
            let s = self.vault_state.session.lock().expect("not poisoned");
            match s.as_ref() {
                Some(s) if !s.locked => s.actor.name.clone(),
                _ => return Err(ApiError::new(ErrorCode::Unauthenticated, "Sign in first.")),
            }
        };
        let now = self.now_ms();
        let actor = vault
            .change_password(&name, &req.current, &req.new, now)
            .await
            .map_err(api_error)?;
        *self.vault_state.session.lock().expect("not poisoned") = Some(Session {
            actor,
            last_active: now,
            locked: false,
        });
        Ok(self.session_dto().expect("signed in"))
    }

    pub async fn list_users(&self) -> Result<Vec<UserDto>, ApiError> {
        let (v, actor) = self.actor().await?;
        Ok(v.list_users(&actor, self.now_ms())
            .await
            .map_err(api_error)?
            .into_iter()
            .map(user_dto)
            .collect())
    }

    pub async fn add_user(&self, req: AddUserRequest) -> Result<Vec<UserDto>, ApiError> {
        let (v, actor) = self.actor().await?;
        let role = Role::parse(&req.role).ok_or_else(|| {
            api_error(VaultError::invalid("role", "admin|physician|nurse|analyst"))
        })?;
        v.add_user(
            &actor,
            &req.name,
            role,
            &req.initial_password,
            self.now_ms(),
        )
        .await
        .map_err(api_error)?;
        self.list_users().await
    }

    pub async fn change_user(&self, req: ChangeUserRequest) -> Result<Vec<UserDto>, ApiError> {
        let (v, actor) = self.actor().await?;
        let now = self.now_ms();
        match req.change {
            UserChange::Disable => v.set_disabled(&actor, &req.name, true, now).await,
            UserChange::Enable => v.set_disabled(&actor, &req.name, false, now).await,
            UserChange::Unlock => v.unlock_user(&actor, &req.name, now).await,
        }
        .map_err(api_error)?;
        self.list_users().await
    }

    /// Verifies the audit chain; `head_json` is a head exported earlier by `audit_head`.
    pub async fn audit_verify(&self, head_json: Option<&str>) -> Result<AuditVerifyDto, ApiError> {
        let head = head_json
            .map(iris_vault::parse_head)
            .transpose()
            .map_err(api_error)?;
        let (v, actor) = self.actor().await?;
        let verdict = v
            .audit_verify(&actor, head.as_ref(), self.now_ms())
            .await
            .map_err(api_error)?;
        Ok(match verdict {
            Verdict::Intact { entries, head_seq } => AuditVerifyDto {
                intact: true,
                entries,
                head_seq,
                first_bad_seq: None,
                problem: None,
            },
            Verdict::Tampered { first_bad_seq, why } => AuditVerifyDto {
                intact: false,
                entries: 0,
                head_seq: 0,
                first_bad_seq: Some(first_bad_seq),
                problem: Some(why.to_string()),
            },
        })
    }

    /// The current signed chain head as JSON, for safekeeping away from the workstation.
    pub async fn audit_head(&self) -> Result<String, ApiError> {
        let (v, actor) = self.actor().await?;
        let head = v
            .audit_head(&actor, self.now_ms())
            .await
            .map_err(api_error)?;
        Ok(serde_json::to_string_pretty(&head).expect("a head always serializes"))
    }

    pub async fn audit_list(&self, req: AuditListRequest) -> Result<Vec<AuditEntryDto>, ApiError> {
        let filter = match (req.patient, req.user) {
            (Some(_), Some(_)) => {
                return Err(api_error(VaultError::invalid("filter", "patient_or_user")));
            }
            (Some(p), None) => AuditFilter::Patient(p),
            (None, Some(u)) => AuditFilter::User(u),
            (None, None) => AuditFilter::All,
        };
        let (v, actor) = self.actor().await?;
        Ok(v.audit_list(&actor, &filter, self.now_ms())
            .await
            .map_err(api_error)?
            .into_iter()
            .map(entry_dto)
            .collect())
    }

    /// Re-wraps the vault key under a new keyring secret, or under a new passphrase if given.
    pub async fn rekey(&self, new_passphrase: Option<String>) -> Result<Vec<String>, ApiError> {
        let (v, actor) = self.actor().await?;
        let to = match new_passphrase {
            Some(p) => Unlock::Passphrase(p),
            None => Unlock::Keyring,
        };
        v.rekey(&actor, &to, self.now_ms())
            .await
            .map_err(api_error)?;
        v.slots().await.map_err(api_error)
    }

    /// Writes an encrypted online backup to `out` (admin).
    pub async fn backup(&self, out: &std::path::Path) -> Result<u64, ApiError> {
        let (v, actor) = self.actor().await?;
        v.backup(&actor, out, self.now_ms())
            .await
            .map_err(api_error)
    }

    /// Restores a backup into this data dir, which must hold no vault, with the passphrase or
    /// recovery key (`unlock`). The vault is open afterwards.
    pub async fn restore(&self, backup: &std::path::Path, unlock: &Unlock) -> Result<(), ApiError> {
        let v = Vault::restore(
            backup,
            self.config().data_dir(),
            unlock,
            self.lockout(),
            self.now_ms(),
        )
        .await
        .map_err(api_error)?;
        tracing::info!(
            slot = unlock.slot().as_str(),
            "vault restored from a backup"
        );
        self.set_vault(v, unlock.slot().as_str());
        Ok(())
    }

    /// Re-encrypts every value under a new data key (admin); resumable, at most
    /// `max_batches` batches per call.
    pub async fn reencrypt(
        &self,
        max_batches: Option<u32>,
    ) -> Result<iris_vault::maintenance::Reencrypted, ApiError> {
        let (v, actor) = self.actor().await?;
        drop(v);
        let taken = self.vault_state.vault.write().expect("not poisoned").take();
        let Some(arc) = taken else {
            return Err(ApiError::new(
                ErrorCode::KeyUnavailable,
                "The vault is not open.",
            ));
        };
        let mut vault = match Arc::try_unwrap(arc) {
            Ok(v) => v,
            Err(arc) => {
                *self.vault_state.vault.write().expect("not poisoned") = Some(arc);
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "The vault is busy; try again when other work has finished.",
                ));
            }
        };
        let result = vault.reencrypt(&actor, max_batches, self.now_ms()).await;
        *self.vault_state.vault.write().expect("not poisoned") = Some(Arc::new(vault));
        result.map_err(api_error)
    }

    /// Closes the vault (the CLI does this before exiting so the WAL is checkpointed).
    pub async fn close_vault(&self) {
        let v = self.vault_state.vault.write().expect("not poisoned").take();
        if let Some(v) = v.and_then(|a| Arc::try_unwrap(a).ok()) {
            v.close().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicI64, Ordering};

    use super::*;
    use iris_config::config::{Config, Sources};

    /// A clock the test moves by hand.
    #[derive(Debug)]
    struct TestClock(AtomicI64);

    impl Clock for TestClock {
        fn now_ms(&self) -> i64 {
            self.0.load(Ordering::SeqCst)
        }
    }

    const T0: i64 = 1_795_000_000_000;

    fn core(dir: &std::path::Path, policy: &str) -> (AppCore, Arc<TestClock>) {
        std::fs::write(dir.join("policy.toml"), policy).unwrap();
        let clock = Arc::new(TestClock(AtomicI64::new(T0)));
        let config = Config::resolve(&Sources::isolated(dir)).unwrap();
        let core = AppCore::open(config, std::time::Instant::now())
            .unwrap()
            .with_clock(clock.clone());
        (core, clock)
    }

    async fn signed_in(core: &AppCore) {
        core.init_vault(InitRequest {
            admin: "root".into(),
            password: "admin password 1".into(),
            passphrase: Some("core test passphrase".into()),
        })
        .await
        .unwrap();
        core.login(LoginRequest {
            user: "root".into(),
            password: "admin password 1".into(),
        })
        .await
        .unwrap();
    }

    #[tokio::test]
    async fn the_session_locks_after_the_policy_idle_time_and_activity_resets_it() {
        let tmp = tempfile::tempdir().unwrap();
        let (core, clock) = core(
            tmp.path(),
            "locked = [\"idle_lock_minutes\"]\nidle_lock_minutes = 10\n",
        );
        signed_in(&core).await;
        assert_eq!(core.vault_status().session.unwrap().idle_lock_minutes, 10);
        // Activity every 9 minutes keeps the session open.
        for _ in 0..3 {
            clock.0.fetch_add(9 * 60_000, Ordering::SeqCst);
            core.list_users().await.unwrap();
        }
        // Ten idle minutes lock it: PHI-bearing commands refuse, the status shows no session.
        clock.0.fetch_add(10 * 60_000, Ordering::SeqCst);
        let e = core.list_users().await.unwrap_err();
        assert_eq!(e.code, ErrorCode::SessionLocked);
        assert!(core.vault_status().session.is_none());
        assert_eq!(
            core.list_users().await.unwrap_err().code,
            ErrorCode::SessionLocked
        );
        // Signing in again unlocks; the lock is in the audit log with its reason.
        core.login(LoginRequest {
            user: "root".into(),
            password: "admin password 1".into(),
        })
        .await
        .unwrap();
        let log = core
            .audit_list(AuditListRequest {
                patient: None,
                user: Some("root".into()),
            })
            .await
            .unwrap();
        assert!(
            log.iter()
                .any(|e| e.action == "session.lock" && e.detail.as_deref() == Some("idle"))
        );
    }

    #[tokio::test]
    async fn a_manual_lock_and_logout_end_access() {
        let tmp = tempfile::tempdir().unwrap();
        let (core, _clock) = core(tmp.path(), "");
        signed_in(&core).await;
        core.lock_session("manual").await.unwrap();
        assert_eq!(
            core.list_users().await.unwrap_err().code,
            ErrorCode::SessionLocked
        );
        core.logout();
        assert_eq!(
            core.list_users().await.unwrap_err().code,
            ErrorCode::Unauthenticated
        );
    }

    #[test]
    fn vault_errors_map_to_codes_with_phi_free_messages() {
        let e = api_error(VaultError::LockedOut { minutes: 12 });
        assert_eq!(e.code, ErrorCode::LockedOut);
        assert_eq!(
            e.message,
            "Account is locked after repeated failed logins; try again in 12 minute(s)."
        );
        let e = api_error(VaultError::Storage {
            kind: "database error (code 19)".into(),
        });
        assert_eq!(e.code, ErrorCode::Internal);
        let e = api_error(VaultError::invalid("birth_date", "not_in_future"));
        assert_eq!(e.code, ErrorCode::Validation);
        assert_eq!(e.fields[0].rule, "not_in_future");
    }
}
