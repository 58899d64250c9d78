//! Staff accounts, roles and what each role may do.

use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};

use crate::crypto::KdfParams;
use crate::error::VaultError;

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
