//! Vault, session, user administration and audit DTOs.

use serde::{Deserialize, Serialize};

use crate::Command;

/// Whether the data dir has a vault, whether it is open, and who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultStatusDto {
    pub initialized: bool,
    pub open: bool,
    /// Which key-encryption key opened it: `keyring`, `passphrase` or `recovery`.
    pub unlocked_with: Option<String>,
    pub session: Option<SessionDto>,
    /// Why the vault could not be opened at start-up (a PHI-free message), if it was not.
    pub open_error: Option<String>,
    /// The vault holds synthetic demo patients only (shown on every screen).
    #[serde(default)]
    pub demo: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDto {
    pub user: String,
    pub role: String,
    pub must_change_password: bool,
    /// Minutes of inactivity before the session locks.
    pub idle_lock_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitRequest {
    pub admin: String,
    pub password: String,
    /// Required where no OS keyring is available; when given, the vault key is derived from it.
    #[serde(default)]
    pub passphrase: Option<String>,
}

/// The recovery key is shown once, here, and never stored in clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitDto {
    pub vault_id: String,
    pub recovery_key: String,
    pub slots: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub user: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current: String,
    pub new: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDto {
    pub name: String,
    pub role: String,
    pub disabled: bool,
    /// Unix ms until which the account is locked out, if it is.
    pub locked_until: Option<i64>,
    pub must_change_password: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddUserRequest {
    pub name: String,
    pub role: String,
    pub initial_password: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserChange {
    Disable,
    Enable,
    Unlock,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeUserRequest {
    pub name: String,
    pub change: UserChange,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryDto {
    pub seq: i64,
    /// Unix ms.
    pub at: i64,
    pub user: String,
    pub role: String,
    pub action: String,
    /// Opaque patient id.
    pub patient: Option<String>,
    pub outcome: String,
    pub count: i64,
    pub detail: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditListRequest {
    #[serde(default)]
    pub patient: Option<String>,
    #[serde(default)]
    pub user: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditVerifyDto {
    pub intact: bool,
    pub entries: i64,
    pub head_seq: i64,
    pub first_bad_seq: Option<i64>,
    pub problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultStatus;
impl Command for VaultStatus {
    const NAME: &'static str = "vault_status";
    type Req = Empty;
    type Res = VaultStatusDto;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitVault;
impl Command for InitVault {
    const NAME: &'static str = "init_vault";
    type Req = InitRequest;
    type Res = InitDto;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Login;
impl Command for Login {
    const NAME: &'static str = "login";
    type Req = LoginRequest;
    type Res = SessionDto;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logout;
impl Command for Logout {
    const NAME: &'static str = "logout";
    type Req = Empty;
    type Res = Empty;
}

/// Locks the session now (the UI calls it on idle or by hand); PHI leaves the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockSession;
impl Command for LockSession {
    const NAME: &'static str = "lock_session";
    type Req = Empty;
    type Res = Empty;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangePassword;
impl Command for ChangePassword {
    const NAME: &'static str = "change_password";
    type Req = ChangePasswordRequest;
    type Res = SessionDto;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListUsers;
impl Command for ListUsers {
    const NAME: &'static str = "list_users";
    type Req = Empty;
    type Res = Vec<UserDto>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddUser;
impl Command for AddUser {
    const NAME: &'static str = "add_user";
    type Req = AddUserRequest;
    type Res = Vec<UserDto>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeUser;
impl Command for ChangeUser {
    const NAME: &'static str = "change_user";
    type Req = ChangeUserRequest;
    type Res = Vec<UserDto>;
}
