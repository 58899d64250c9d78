//! Opening the vault (first run, start-up, demo seeding) and the signed-in session with its
//! idle lock. Permission checks happen in the vault; session checks here.

use std::sync::Arc;

use iris_config::env::KeySource;
use iris_types::Command as _;
use iris_types::{
    ApiError, ChangePasswordRequest, ErrorCode, InitDto, InitRequest, LoginRequest, SessionDto,
    VaultStatusDto,
};
use iris_vault::{Actor, InitArgs, Lockout, Role, Unlock, Vault, VaultError};

use crate::AppCore;
use crate::errors::{api_error, not_open};
use crate::state::Session;

/// The vault unlock a key source names.
pub fn unlock_of(k: &KeySource) -> Unlock {
    match k {
        KeySource::Passphrase(p) => Unlock::Passphrase(p.clone()),
        KeySource::Recovery(r) => Unlock::Recovery(r.clone()),
        KeySource::Keyring => Unlock::Keyring,
    }
}

impl AppCore {
    pub(crate) fn lockout(&self) -> Lockout {
        Lockout {
            max_failures: self.config().lockout_attempts(),
            minutes: self.config().lockout_minutes(),
        }
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// How the face said to reach the vault key (see [`iris_config::env::key_source`]).
    pub fn default_unlock(&self) -> Unlock {
        unlock_of(&self.key_source)
    }

    pub(crate) fn vault(&self) -> Result<Arc<Vault>, ApiError> {
        let s = self.state.lock();
        if let Some(v) = &s.vault {
            return Ok(v.clone());
        }
        if let Some(e) = &s.open_error {
            return Err(e.clone());
        }
        drop(s);
        if Vault::exists(self.config().data_dir()) {
            Err(not_open())
        } else {
            Err(api_error(VaultError::NotInitialized))
        }
    }

    async fn opened(&self, v: Vault, with: &'static str) {
        let demo = v.is_demo().await.unwrap_or(false);
        self.state.set_vault(v, with, demo);
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
        let report = crate::demo::seed(self, &vault, &admin, &doc).await?;
        tracing::info!(
            patients = report.patients,
            resources = report.resources_imported,
            quarantined = report.quarantined,
            "demo data seeded"
        );
        self.opened(vault, unlock.slot().as_str()).await;
        Ok(true)
    }

    /// Opens the data dir's vault with `unlock`. A failure is kept and reported by
    /// `vault_status` and by every vault command, so a desktop can show why.
    pub async fn open_vault(&self, unlock: &Unlock) -> Result<(), ApiError> {
        match Vault::open(self.config().data_dir(), unlock, self.lockout()).await {
            Ok(v) => {
                tracing::info!(slot = unlock.slot().as_str(), "vault opened");
                self.opened(v, unlock.slot().as_str()).await;
                Ok(())
            }
            Err(e) => {
                let e = api_error(e);
                tracing::warn!(code = %e.code, "vault not opened");
                if e.code != ErrorCode::NotInitialized {
                    self.state.lock().open_error = Some(e.clone());
                }
                Err(e)
            }
        }
    }

    /// First run: creates the vault and its administrator. With a passphrase (in the request,
    /// else the face's key source) the vault key comes from it; otherwise the OS keyring must
    /// work.
    pub async fn init_vault(&self, req: InitRequest) -> Result<InitDto, ApiError> {
        self.served(iris_types::InitVault::NAME);
        let unlock = match (req.passphrase.clone(), &self.key_source) {
            (Some(p), _) => Unlock::Passphrase(p),
            (None, KeySource::Passphrase(p)) => Unlock::Passphrase(p.clone()),
            // A recovery key opens an existing vault; a new one gets a keyring slot.
            (None, KeySource::Recovery(_) | KeySource::Keyring) => Unlock::Keyring,
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
        self.state.set_vault(vault, unlock.slot().as_str(), false);
        Ok(dto)
    }

    pub fn vault_status(&self) -> VaultStatusDto {
        let initialized = Vault::exists(self.config().data_dir());
        let s = self.state.lock();
        VaultStatusDto {
            initialized,
            open: s.vault.is_some(),
            unlocked_with: s.unlocked_with.map(String::from),
            session: self.session_dto(s.session.as_ref()),
            open_error: s.open_error.as_ref().map(|e| e.message.clone()),
            demo: s.demo,
        }
    }

    fn session_dto(&self, s: Option<&Session>) -> Option<SessionDto> {
        s.filter(|s| !s.locked).map(|s| SessionDto {
            user: s.actor.name.clone(),
            role: s.actor.role.as_str().to_string(),
            must_change_password: s.actor.must_change_password,
            idle_lock_minutes: self.config().idle_lock_minutes(),
        })
    }

    /// A fresh session for `actor`, as the DTO the face shows.
    fn begin_session(&self, actor: Actor, now: i64) -> SessionDto {
        let mut s = self.state.lock();
        let session = s.session.insert(Session {
            actor,
            last_active: now,
            locked: false,
        });
        self.session_dto(Some(session))
            .expect("an unlocked session")
    }

    pub async fn login(&self, req: LoginRequest) -> Result<SessionDto, ApiError> {
        self.served(iris_types::Login::NAME);
        let vault = self.vault()?;
        let now = self.now_ms();
        let actor = vault
            .login(&req.user, &req.password, now)
            .await
            .map_err(api_error)?;
        Ok(self.begin_session(actor, now))
    }

    pub fn logout(&self) {
        self.state.lock().session = None;
    }

    /// Locks the session (idle or by hand): PHI must leave the screen until the same user (or
    /// another) signs in again.
    pub async fn lock_session(&self, reason: &str) -> Result<(), ApiError> {
        let actor = {
            let mut s = self.state.lock();
            match s.session.as_mut() {
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
            let mut guard = self.state.lock();
            let Some(s) = guard.session.as_mut() else {
                return Err(ApiError::new(ErrorCode::Unauthenticated, "Sign in first."));
            };
            if s.locked {
                return Err(api_error(VaultError::SessionLocked));
            }
            if now - s.last_active >= idle_ms {
                s.locked = true;
                s.actor.clone()
            } else {
                s.last_active = now;
                return Ok((vault, s.actor.clone()));
            }
        };
        vault
            .record_lock(&idle_actor, "idle", now)
            .await
            .map_err(api_error)?;
        Err(api_error(VaultError::SessionLocked))
    }

    pub async fn change_password(
        &self,
        req: ChangePasswordRequest,
    ) -> Result<SessionDto, ApiError> {
        let vault = self.vault()?;
        let name = match self.state.lock().session.as_ref() {
            Some(s) if !s.locked => s.actor.name.clone(),
            _ => return Err(ApiError::new(ErrorCode::Unauthenticated, "Sign in first.")),
        };
        let now = self.now_ms();
        let actor = vault
            .change_password(&name, &req.current, &req.new, now)
            .await
            .map_err(api_error)?;
        Ok(self.begin_session(actor, now))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicI64, Ordering};

    use super::*;
    use crate::clock::Clock;
    use iris_config::config::{Config, Sources};
    use iris_types::{AuditListRequest, InitRequest, LoginRequest};

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
}
