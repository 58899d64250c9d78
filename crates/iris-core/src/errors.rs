//! The one place where storage errors become API errors.
//!
//! (A `From<VaultError> for ApiError` impl cannot live here: both types belong to other crates,
//! and iris-vault must not depend on the wire types nor iris-types on the vault. So the
//! conversion is this function, and every command maps through it.)

use iris_types::{ApiError, ErrorCode};
use iris_vault::VaultError;

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

/// "The vault is not open": no vault in memory although the data dir may hold one.
pub(crate) fn not_open() -> ApiError {
    ApiError::new(ErrorCode::KeyUnavailable, "The vault is not open.")
}

#[cfg(test)]
mod tests {
    use super::*;

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
