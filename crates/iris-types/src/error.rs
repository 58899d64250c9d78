use std::fmt;

use serde::{Deserialize, Serialize};

/// The only error shape that crosses a process boundary.
///
/// `message` is written for a person and never contains patient data: errors from SQLite, crypto
/// or serde can echo the values they choke on, so the core logs the chain (minus PHI) and
/// returns a code with a fixed message. `fields` names the offending request fields and the rule
/// each broke, never their values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// Machine-readable error class. A code exists only where a caller branches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// The request could not be decoded (wrong shape or types).
    BadRequest,
    /// The transport does not know the command name.
    UnknownCommand,
    /// The transport refused the command for this window (capability / ACL).
    NotAllowed,
    /// The request decoded but broke field rules; see `fields`.
    Validation,
    /// Configuration or policy is invalid; start-up could not complete.
    Config,
    /// The backend could not be reached (no IPC bridge, channel closed).
    Transport,
    /// A bug or an environment failure; details are in the log.
    Internal,
    /// The data dir has no vault yet (first run: set one up).
    NotInitialized,
    /// The data dir already holds a vault.
    AlreadyInitialized,
    /// The key, passphrase or recovery key does not open this vault.
    WrongKey,
    /// No usable key source (no keyring entry, no passphrase given).
    KeyUnavailable,
    /// Stored data failed an integrity check (ciphertext, content hash, signature).
    Integrity,
    /// Sign-in needed, or user name or password incorrect.
    Unauthenticated,
    /// Too many failed sign-ins; the message says how long to wait.
    LockedOut,
    /// The account is disabled.
    Disabled,
    /// The user must change their password first.
    PasswordChangeRequired,
    /// The session locked (idle); sign in again.
    SessionLocked,
    /// The signed-in role may not do this.
    Forbidden,
    NotFound,
    Conflict,
    /// The audit log failed verification.
    Tampered,
}

impl ErrorCode {
    /// Process exit status for command-line faces: 2 for the caller's mistakes, 1 otherwise.
    pub const fn exit_code(self) -> i32 {
        match self {
            Self::BadRequest | Self::UnknownCommand | Self::Validation | Self::Config => 2,
            Self::Tampered => 3,
            _ => 1,
        }
    }
}

/// One broken rule on one request field. `rule` is a stable identifier (`max_length`,
/// `not_in_future`, …) documented by the crate that enforces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub rule: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn validation(fields: Vec<FieldError>) -> Self {
        Self {
            code: ErrorCode::Validation,
            message: "Some fields are not valid.".into(),
            fields,
        }
    }

    pub fn internal() -> Self {
        Self::new(
            ErrorCode::Internal,
            "Something went wrong inside Iris; the log has details.",
        )
    }

    /// Classifies an error string produced by the transport itself rather than by an Iris
    /// command (Tauri rejects unknown commands, undecodable arguments and ACL denials with plain
    /// strings before any handler runs).
    ///
    /// The transport's text is deliberately dropped: a deserialization error quotes the value it
    /// failed on, and that value may be patient data.
    pub fn from_transport(text: &str) -> Self {
        let lower = text.to_ascii_lowercase();
        if lower.contains("invalid args") || lower.contains("missing required key") {
            Self::new(
                ErrorCode::BadRequest,
                "The request was malformed and was not processed.",
            )
        } else if lower.contains("command not found") {
            Self::new(
                ErrorCode::UnknownCommand,
                "The backend does not know that command.",
            )
        } else if lower.contains("not allowed") {
            Self::new(
                ErrorCode::NotAllowed,
                "This window is not allowed to run that command.",
            )
        } else {
            Self::new(
                ErrorCode::Transport,
                "The request could not reach the Iris backend.",
            )
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        for field in &self.fields {
            write!(f, "\n  {}: {}", field.field, field.rule)?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The serde name is the stable external spelling.
        let s = match self {
            Self::BadRequest => "BAD_REQUEST",
            Self::UnknownCommand => "UNKNOWN_COMMAND",
            Self::NotAllowed => "NOT_ALLOWED",
            Self::Validation => "VALIDATION",
            Self::Config => "CONFIG",
            Self::Transport => "TRANSPORT",
            Self::Internal => "INTERNAL",
            Self::NotInitialized => "NOT_INITIALIZED",
            Self::AlreadyInitialized => "ALREADY_INITIALIZED",
            Self::WrongKey => "WRONG_KEY",
            Self::KeyUnavailable => "KEY_UNAVAILABLE",
            Self::Integrity => "INTEGRITY",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::LockedOut => "LOCKED_OUT",
            Self::Disabled => "DISABLED",
            Self::PasswordChangeRequired => "PASSWORD_CHANGE_REQUIRED",
            Self::SessionLocked => "SESSION_LOCKED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::Conflict => "CONFLICT",
            Self::Tampered => "TAMPERED",
        };
        f.write_str(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_shape_is_stable() {
        let e = ApiError::validation(vec![FieldError {
            field: "birth_date".into(),
            rule: "not_in_future".into(),
        }]);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "VALIDATION",
                "message": "Some fields are not valid.",
                "fields": [{"field": "birth_date", "rule": "not_in_future"}]
            })
        );
        let back: ApiError = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn display_matches_serde_name_for_every_code() {
        use ErrorCode::*;
        for c in [
            BadRequest,
            UnknownCommand,
            NotAllowed,
            Validation,
            Config,
            Transport,
            Internal,
            NotInitialized,
            AlreadyInitialized,
            WrongKey,
            KeyUnavailable,
            Integrity,
            Unauthenticated,
            LockedOut,
            Disabled,
            PasswordChangeRequired,
            SessionLocked,
            Forbidden,
            NotFound,
            Conflict,
            Tampered,
        ] {
            assert_eq!(serde_json::to_value(c).unwrap(), c.to_string());
        }
    }

    #[test]
    fn fields_are_optional_on_the_wire() {
        let e: ApiError = serde_json::from_str(r#"{"code":"INTERNAL","message":"x"}"#).unwrap();
        assert!(e.fields.is_empty());
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"code":"INTERNAL","message":"x"}"#
        );
    }

    /// Strings Tauri 2 produces before any handler runs (checked against the mock runtime in
    /// src-tauri/tests/ipc.rs, which asserts the real strings classify the same way).
    #[test]
    fn transport_strings_map_to_codes_and_drop_their_text() {
        let cases = [
            (
                "drop_all_tables not allowed. Command not found",
                ErrorCode::UnknownCommand,
            ),
            (
                "invalid args `req` for command `about`: invalid type: string \"Jane Doe\", expected struct AboutRequest",
                ErrorCode::BadRequest,
            ),
            (
                "about not allowed on window \"main\", webview \"main\", URL: https://evil.example/",
                ErrorCode::NotAllowed,
            ),
            (
                "TypeError: window.__TAURI__ is undefined",
                ErrorCode::Transport,
            ),
        ];
        for (text, code) in cases {
            let e = ApiError::from_transport(text);
            assert_eq!(e.code, code, "{text}");
            assert!(
                !e.message.contains("Jane"),
                "transport text must not leak: {}",
                e.message
            );
        }
    }

    #[test]
    fn exit_codes_follow_the_cli_contract() {
        assert_eq!(ErrorCode::Validation.exit_code(), 2);
        assert_eq!(ErrorCode::Config.exit_code(), 2);
        assert_eq!(ErrorCode::Internal.exit_code(), 1);
        assert_eq!(ErrorCode::Tampered.exit_code(), 3);
        assert_eq!(ErrorCode::Forbidden.exit_code(), 1);
    }
}
