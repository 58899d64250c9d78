//! Staff accounts, roles and what each role may do.

use std::str::FromStr;

use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use sqlx::Row;

use crate::audit::{NewEntry, Outcome};
use crate::crypto::{KdfParams, Place};
use crate::error::VaultError;
use crate::{Actor, Millis, UserInfo, Vault, begin_write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Admin,
    Physician,
    Nurse,
    Analyst,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Physician, Role::Nurse, Role::Analyst];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Physician => "physician",
            Role::Nurse => "nurse",
            Role::Analyst => "analyst",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Everything a permission check can be asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    ReadChart,
    WriteChart,
    RecordVitals,
    RecordMedications,
    DraftNote,
    SignNote,
    ManageUsers,
    ImportExport,
    Erase,
    ReadAudit,
    Backup,
    KeyOps,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::ReadChart => "read charts",
            Action::WriteChart => "write charts",
            Action::RecordVitals => "record vitals",
            Action::RecordMedications => "record medications",
            Action::DraftNote => "draft notes",
            Action::SignNote => "sign notes",
            Action::ManageUsers => "manage users",
            Action::ImportExport => "import or export records",
            Action::Erase => "erase records",
            Action::ReadAudit => "read the audit log",
            Action::Backup => "back up or restore",
            Action::KeyOps => "manage keys",
        }
    }

    /// What break-glass can grant outside a role: reading the chart and the bedside records of
    /// an emergency (vitals, medications given, a draft note). Editing demographics or
    /// diagnoses, signing and erasing stay with the roles that own them.
    pub fn is_chart_access(self) -> bool {
        matches!(
            self,
            Action::ReadChart
                | Action::RecordVitals
                | Action::RecordMedications
                | Action::DraftNote
        )
    }
}

/// The role matrix. Admins run the system (users, import/export/erase, audit, backups, keys)
/// but do not read charts except by break-glass; analysts never touch charts.
pub fn permits(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Admin => matches!(
            action,
            ManageUsers | ImportExport | Erase | ReadAudit | Backup | KeyOps
        ),
        Role::Physician => matches!(
            action,
            ReadChart | WriteChart | RecordVitals | RecordMedications | DraftNote | SignNote
        ),
        Role::Nurse => matches!(
            action,
            ReadChart | RecordVitals | RecordMedications | DraftNote
        ),
        Role::Analyst => false,
    }
}

pub fn validate_user_name(name: &str) -> Result<(), VaultError> {
    let ok = (2..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && name.as_bytes()[0].is_ascii_lowercase();
    if ok {
        Ok(())
    } else {
        Err(VaultError::invalid(
            "name",
            "user_name: 2-32 of a-z 0-9 . _ -, starting with a letter",
        ))
    }
}

pub fn validate_password(p: &str) -> Result<(), VaultError> {
    let n = p.chars().count();
    if n < 10 {
        return Err(VaultError::invalid("password", "min_length_10"));
    }
    if n > 256 {
        return Err(VaultError::invalid("password", "max_length_256"));
    }
    Ok(())
}

fn hasher() -> argon2::Argon2<'static> {
    let p = KdfParams::LOGIN;
    argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(p.m_kib, p.t, p.p, None).expect("valid parameters"),
    )
}

/// PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`).
pub fn hash_password(p: &str) -> String {
    hasher()
        .hash_password(p.as_bytes())
        .expect("hashing with a generated salt")
        .to_string()
}

pub fn verify_password(p: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => hasher().verify_password(p.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// Lockout rule, from policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lockout {
    pub max_failures: u32,
    pub minutes: u32,
}

impl Default for Lockout {
    fn default() -> Lockout {
        Lockout {
            max_failures: 5,
            minutes: 15,
        }
    }
}

impl FromStr for Role {
    type Err = VaultError;
    fn from_str(s: &str) -> Result<Role, VaultError> {
        Role::parse(s).ok_or_else(|| VaultError::invalid("role", "admin|physician|nurse|analyst"))
    }
}

static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("not a real password"));

impl Vault {
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
            let _ = verify_password(password, DUMMY_HASH.as_str());
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
        let ok = verify_password(password, row.get::<&str, _>("password_hash"));
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
        validate_user_name(name)?;
        validate_password(initial_password)?;
        let hash = hash_password(initial_password);
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
        validate_password(new)?;
        if new == current {
            return Err(VaultError::invalid("new_password", "differs_from_current"));
        }
        let mut actor = self.login(name, current, now).await?;
        let mut tx = begin_write(&self.pool).await?;
        sqlx::query("UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?")
            .bind(hash_password(new))
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_matrix_matches_the_issue() {
        use Action::*;
        // Physician: read/write charts, sign notes.
        for a in [ReadChart, WriteChart, SignNote, DraftNote] {
            assert!(permits(Role::Physician, a), "{a:?}");
        }
        // Nurse: read, vitals, medications, draft; cannot sign or write other chart data.
        for a in [ReadChart, RecordVitals, RecordMedications, DraftNote] {
            assert!(permits(Role::Nurse, a), "{a:?}");
        }
        assert!(!permits(Role::Nurse, SignNote));
        assert!(!permits(Role::Nurse, WriteChart));
        // Analyst: nothing in the chart.
        for a in [ReadChart, WriteChart, RecordVitals, DraftNote, SignNote] {
            assert!(!permits(Role::Analyst, a), "{a:?}");
        }
        // Admin: system work, no chart reading.
        for a in [ManageUsers, ImportExport, Erase, ReadAudit, Backup, KeyOps] {
            assert!(permits(Role::Admin, a), "{a:?}");
        }
        assert!(!permits(Role::Admin, ReadChart));
        // Only admins manage users or read the audit log.
        for r in [Role::Physician, Role::Nurse, Role::Analyst] {
            assert!(!permits(r, ManageUsers) && !permits(r, ReadAudit));
        }
    }

    #[test]
    fn password_hashes_use_the_required_argon2id_parameters() {
        let h = hash_password("a long enough password");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("a long enough password", &h));
        assert!(!verify_password("a long enough passwore", &h));
        assert!(!verify_password("x", "not a phc string"));
    }

    #[test]
    fn names_and_passwords_are_validated() {
        assert!(validate_user_name("dr.house").is_ok());
        for bad in ["A", "Dr House", "1abc", "x", &"a".repeat(33)] {
            assert!(validate_user_name(bad).is_err(), "{bad}");
        }
        assert!(validate_password("short").is_err());
        assert!(validate_password("0123456789").is_ok());
    }
}
