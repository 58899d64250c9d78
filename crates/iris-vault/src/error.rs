//! Vault errors. Messages never contain patient data: database and crypto errors can echo
//! values, so their detail goes to the log as a PHI-free kind and the caller gets a code.

use std::fmt;

pub use iris_record::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The data dir holds no vault yet.
    #[error("this data directory has no vault; initialise it first (iris init)")]
    NotInitialized,
    #[error("this data directory already holds a vault")]
    AlreadyInitialized,
    /// A key, passphrase or recovery key did not unwrap the data key.
    #[error("the key, passphrase or recovery key is not the one this vault was sealed with")]
    WrongKey,
    /// No key-encryption key source is usable (no keyring entry and no passphrase given).
    #[error("{0}")]
    KeyUnavailable(String),
    /// A ciphertext, content hash or signature did not verify.
    #[error("stored data failed its integrity check")]
    Integrity,
    #[error("user name or password is incorrect")]
    BadCredentials,
    #[error("account is locked after repeated failed logins; try again in {minutes} minute(s)")]
    LockedOut { minutes: u64 },
    #[error("account is disabled")]
    Disabled,
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("the session is locked; sign in again")]
    SessionLocked,
    #[error("the role {role} may not {action}")]
    Forbidden {
        role: &'static str,
        action: &'static str,
    },
    #[error("{what} not found")]
    NotFound { what: &'static str },
    #[error("{0}")]
    Conflict(String),
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Database or file failure; `kind` is a PHI-free description.
    #[error("storage error: {kind}")]
    Storage { kind: String },
}

impl VaultError {
    pub fn invalid(field: &str, rule: &str) -> VaultError {
        VaultError::Invalid(vec![FieldError::new(field, rule)])
    }
}

impl From<sqlx::Error> for VaultError {
    fn from(e: sqlx::Error) -> VaultError {
        // sqlx messages can quote values from a failing statement; keep only the kind.
        let kind = match &e {
            sqlx::Error::Database(db) => match db.code() {
                Some(code) => format!("database error (code {code})"),
                None => "database error".into(),
            },
            sqlx::Error::Io(io) => format!("I/O error ({:?})", io.kind()),
            sqlx::Error::RowNotFound => "row not found".into(),
            sqlx::Error::PoolTimedOut => "database busy (pool timed out)".into(),
            sqlx::Error::Migrate(_) => "database migration failed".into(),
            other => format!("{}", ErrKind(other)),
        };
        tracing::error!(kind = %kind, "vault storage error");
        VaultError::Storage { kind }
    }
}

impl From<std::io::Error> for VaultError {
    fn from(e: std::io::Error) -> VaultError {
        VaultError::Storage {
            kind: format!("I/O error ({:?})", e.kind()),
        }
    }
}

/// The variant name of a sqlx error, without its payload.
struct ErrKind<'a>(&'a sqlx::Error);

impl fmt::Display for ErrKind<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dbg = format!("{:?}", self.0);
        let name: String = dbg
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        write!(f, "database error ({name})")
    }
}
