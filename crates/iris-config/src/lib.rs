//! Configuration of an Iris workstation, shared by both faces (desktop and CLI) and the build
//! tool: the layered settings and system policy ([`config`]), the flags every face accepts
//! ([`args`]), owner-only directories ([`ensure_private_dir`]), logging ([`logging`]) and the
//! demo mode's documented credentials ([`demo`]) and what a face reads from its environment
//! about the vault key ([`env`]).
//!
//! Nothing here touches the vault, models or the network, so `cargo xtask` builds on it
//! without compiling candle, sqlx or keyring (checked by `cargo xtask check-boundaries`).

pub mod args;
pub mod config;
pub mod demo;
pub mod env;
pub mod logging;
mod private_dir;

pub use config::{Config, ConfigError};
pub use private_dir::{ensure_private_dir, restrict_new_files};

impl From<ConfigError> for iris_types::ApiError {
    fn from(e: ConfigError) -> Self {
        // Configuration holds no patient data, so its full text is safe and what IT needs.
        iris_types::ApiError::new(iris_types::ErrorCode::Config, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iris_types::{ApiError, ErrorCode};

    #[test]
    fn config_errors_become_config_api_errors_with_the_location() {
        let e = ConfigError {
            origin: config::Origin::Policy {
                path: "/etc/iris/policy.toml".into(),
                line: Some(3),
            },
            key: Some("idle_lock_minutes".into()),
            problem: "expected a whole number".into(),
        };
        let api: ApiError = e.into();
        assert_eq!(api.code, ErrorCode::Config);
        assert!(
            api.message
                .contains("/etc/iris/policy.toml, line 3, key `idle_lock_minutes`")
        );
    }
}
