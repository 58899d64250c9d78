//! `AppCore`: the one API of Iris, shared by the desktop shell (Tauri commands) and the `iris`
//! CLI. Faces translate transport details (IPC, argv, exit codes) and nothing else; everything
//! a command does happens here, returning DTOs from `iris-types` and `ApiError`s whose messages
//! hold no patient data.

//!
//! Modules by command group: [`session`] (opening the vault, signing in, the idle lock),
//! [`users`], [`audit`], [`maintenance`], [`chart`], [`encounters`], [`medications`] and
//! [`cds`] (decision support), [`trends`], the FHIR [`import_pipeline`] and [`fhir_import`]
//! (listing, export, erasure), and [`ai`]. [`dto`] is the one boundary between records and
//! wire DTOs, [`errors`] the one place storage errors become API errors, [`state`] the one lock.

pub mod ai;
pub mod audit;
pub mod cds;
pub mod chart;
pub mod clock;
pub mod demo;
mod dto;
pub mod encounters;
pub mod errors;
pub mod fhir_import;
mod fhir_map;
pub mod gold;
pub mod import_pipeline;
pub mod maintenance;
pub mod medications;
pub mod session;
mod state;
pub mod trends;
pub mod users;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use iris_config::{args, logging};
use iris_types::{AboutDto, AboutRequest, ApiError, ErrorCode, PolicyDto, SettingDto};

pub use clock::{Clock, SystemClock};
pub use errors::api_error;
pub use iris_config::env::KeySource;
pub use iris_config::{Config, ConfigError};
pub use iris_vault::Unlock;
pub use session::unlock_of;

/// Version of this build (the workspace version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The transport-neutral application core.
#[derive(Debug)]
pub struct AppCore {
    config: Config,
    started: Instant,
    first_call_logged: AtomicBool,
    clock: std::sync::Arc<dyn Clock>,
    /// How the face said to reach the vault key (read from its environment, not here).
    key_source: KeySource,
    state: state::Shared,
    ai: ai::Ai,
}

impl AppCore {
    /// Opens the core over a resolved configuration: prepares the data directory (owner-only).
    ///
    /// `started` is when the process started, so the first command can log how long start-up
    /// took (the desktop's first IPC marks the UI's first paint).
    pub fn open(config: Config, started: Instant) -> Result<AppCore, ApiError> {
        iris_config::restrict_new_files();
        iris_config::ensure_private_dir(config.data_dir()).map_err(|e| {
            tracing::error!(dir = %config.data_dir().display(), error = %e, "cannot prepare data dir");
            ApiError::new(
                ErrorCode::Internal,
                format!("The data directory {} could not be prepared: {}", config.data_dir().display(), e.kind()),
            )
        })?;
        for ignored in config.ignored() {
            tracing::warn!(key = %ignored.key, from = ignored.source.label(), "setting is locked by the system policy; value ignored");
        }
        Ok(AppCore {
            ai: ai::Ai::from_config(&config),
            config,
            started,
            first_call_logged: AtomicBool::new(false),
            clock: std::sync::Arc::new(SystemClock),
            key_source: KeySource::Keyring,
            state: state::Shared::default(),
        })
    }

    /// Replaces the clock (tests move time instead of sleeping).
    pub fn with_clock(mut self, clock: std::sync::Arc<dyn Clock>) -> AppCore {
        self.clock = clock;
        self
    }

    /// Sets how the vault key is reached when a command does not say (the faces read it from
    /// their environment with [`iris_config::env::key_source`]).
    pub fn with_key_source(mut self, key_source: KeySource) -> AppCore {
        self.key_source = key_source;
        self
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The local inference runtime (models load on first use).
    pub fn ai(&self) -> &ai::Ai {
        &self.ai
    }

    pub(crate) fn served(&self, command: &'static str) {
        if !self.first_call_logged.swap(true, Ordering::Relaxed) {
            let ms = self.started.elapsed().as_secs_f64() * 1000.0;
            tracing::info!(
                command,
                since_start_ms = format!("{ms:.1}"),
                "first command served"
            );
        }
    }

    /// `about`: version, build, directories, policy and its locked keys, compiled-in devices.
    pub fn about(&self, _req: AboutRequest) -> Result<AboutDto, ApiError> {
        self.served(iris_types::About::NAME);
        let c = &self.config;
        Ok(AboutDto {
            version: VERSION.to_string(),
            build_profile: if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            }
            .to_string(),
            target: format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH),
            data_dir: c.data_dir().display().to_string(),
            models_dir: c.models_dir().display().to_string(),
            log_dir: c.log_dir().display().to_string(),
            config_file: c.user_config().map(|p| p.display().to_string()),
            policy: PolicyDto {
                path: c.policy_path().display().to_string(),
                present: c.policy_present(),
                locked: c
                    .locked_keys()
                    .iter()
                    .map(|k| k.name().to_string())
                    .collect(),
            },
            settings: c
                .settings()
                .map(|(k, s)| SettingDto {
                    key: k.name().to_string(),
                    value: s.value.to_string(),
                    source: s.source,
                    locked: s.locked,
                })
                .collect(),
            inference_devices: inference_devices(),
            inference: self.ai.status(),
        })
    }
}

use iris_types::Command as _;

/// Inference devices compiled into this build, most preferred first (GPU back ends with the
/// `cuda` and `metal` features); CPU is always there.
pub fn inference_devices() -> Vec<String> {
    ai::compiled_devices()
}

/// Everything a face does at start-up: resolve configuration, start logging, open the core
/// with the key source the face read from its environment.
/// On failure the error is returned for the face to show (the desktop shows it in the window,
/// the CLI on stderr); logging may still be missing then, as the log dir may be the problem.
pub fn start(
    args: &args::ConfigArgs,
    face: &str,
    mirror_stderr: bool,
    started: Instant,
    key_source: KeySource,
) -> (Result<AppCore, ApiError>, Option<logging::LogGuard>) {
    let config = match Config::resolve(&args.sources()) {
        Ok(c) => c,
        Err(e) => return (Err(e.into()), None),
    };
    let guard = match logging::init(&config, face, mirror_stderr) {
        Ok(g) => g,
        Err(e) => {
            let msg = format!(
                "The log directory {} could not be prepared: {}",
                config.log_dir().display(),
                e.kind()
            );
            return (Err(ApiError::new(ErrorCode::Internal, msg)), None);
        }
    };
    tracing::info!(version = VERSION, face, "starting");
    (
        AppCore::open(config, started).map(|c| c.with_key_source(key_source)),
        Some(guard),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use iris_config::config::Sources;

    fn core_in(dir: &std::path::Path, policy: &str) -> AppCore {
        std::fs::write(dir.join("policy.toml"), policy).unwrap();
        let config = Config::resolve(&Sources::isolated(dir)).unwrap();
        AppCore::open(config, Instant::now()).unwrap()
    }

    #[test]
    fn about_reports_build_dirs_policy_and_devices() {
        let tmp = tempfile::tempdir().unwrap();
        let core = core_in(
            tmp.path(),
            "locked = [\"idle_lock_minutes\"]\nidle_lock_minutes = 5\n",
        );
        let about = core.about(AboutRequest {}).unwrap();
        assert_eq!(about.version, VERSION);
        assert_eq!(about.build_profile, "debug");
        assert_eq!(
            about.data_dir,
            tmp.path().join("data").display().to_string()
        );
        assert!(about.policy.present);
        assert_eq!(about.policy.locked, vec!["idle_lock_minutes"]);
        let idle = about
            .settings
            .iter()
            .find(|s| s.key == "idle_lock_minutes")
            .unwrap();
        assert_eq!((idle.value.as_str(), idle.locked), ("5", true));
        assert_eq!(
            about.inference_devices.last().map(String::as_str),
            Some("cpu")
        );
        assert!(
            tmp.path().join("data").is_dir(),
            "open creates the data dir"
        );
    }
}
