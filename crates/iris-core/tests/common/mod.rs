//! Shared by iris-core's integration tests and benches (`#[path]`-included): AppCore over a
//! fresh vault, with its administrator or a physician signed in.

#![allow(dead_code)]

use std::path::Path;
use std::time::Instant;

use iris_config::config::{Config, Sources};
use iris_core::AppCore;
use iris_types::{AddUserRequest, ChangePasswordRequest, InitRequest, LoginRequest};

pub const ADMIN_PASSWORD: &str = "admin password 1";

/// A new vault in `dir` (passphrase-keyed), its administrator `admin` signed in.
pub async fn signed_in_admin(dir: &Path) -> AppCore {
    let config = Config::resolve(&Sources::isolated(dir)).unwrap();
    let core = AppCore::open(config, Instant::now()).unwrap();
    core.init_vault(InitRequest {
        admin: "admin".into(),
        password: ADMIN_PASSWORD.into(),
        passphrase: Some("test passphrase for iris-core".into()),
    })
    .await
    .unwrap();
    sign_in_admin(&core).await;
    core
}

pub async fn sign_in_admin(core: &AppCore) {
    core.login(LoginRequest {
        user: "admin".into(),
        password: ADMIN_PASSWORD.into(),
    })
    .await
    .unwrap();
}

/// The administrator adds physician `name`, who signs in and sets a password (and stays
/// signed in).
pub async fn signed_in_physician(core: &AppCore, name: &str) {
    core.add_user(AddUserRequest {
        name: name.into(),
        role: "physician".into(),
        initial_password: "initial password 1".into(),
    })
    .await
    .unwrap();
    core.login(LoginRequest {
        user: name.into(),
        password: "initial password 1".into(),
    })
    .await
    .unwrap();
    core.change_password(ChangePasswordRequest {
        current: "initial password 1".into(),
        new: "chosen password 1".into(),
    })
    .await
    .unwrap();
}
