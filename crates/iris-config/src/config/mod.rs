//! Configuration: built-in defaults < system policy < user config < environment < command-line
//! flags, with any key the system policy lists in `locked` beating all of them.
//!
//! # Files
//!
//! Both files are TOML with the setting keys at the top level (see [`Key`]). The system policy,
//! written by hospital IT, may also hold `locked = ["key", …]`:
//!
//! ```toml
//! # /etc/iris/policy.toml
//! locked = ["idle_lock_minutes", "models_dir"]
//! idle_lock_minutes = 10
//! models_dir = "/opt/iris/models"
//! ```
//!
//! An unlocked policy value is a site default: users may still change it. A locked key without a
//! value in the policy locks the built-in default. Unknown keys, wrong types, out-of-range values
//! and `locked` in a user config are errors that stop start-up, naming the file, line and key:
//! a misspelt locked key must never silently leave a workstation unlocked.
//!
//! | file | Linux | macOS | Windows |
//! |---|---|---|---|
//! | system policy | `/etc/iris/policy.toml` | `/Library/Application Support/Iris/policy.toml` | `%ProgramData%\Iris\policy.toml` |
//! | user config | `$XDG_CONFIG_HOME/iris/config.toml` | `~/Library/Application Support/iris/config.toml` | `%APPDATA%\iris\config\config.toml` |
//!
//! The user config path can be changed with `IRIS_CONFIG` or `--config`. The policy path is fixed
//! in release builds; debug builds (tests) honour `IRIS_POLICY_FILE`.

mod keys;
mod parse;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use iris_types::SettingSource as Source;
pub use keys::{Key, Value};
pub use parse::parse_assignment;

/// Where a configuration problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Policy {
        path: PathBuf,
        line: Option<usize>,
    },
    UserConfig {
        path: PathBuf,
        line: Option<usize>,
    },
    Environment {
        var: String,
    },
    Flag {
        flag: String,
    },
    /// A default could not be computed (no home directory, say).
    Defaults,
}

/// A configuration error: where, which key, and what is wrong. Configuration never holds patient
/// data, so the message may quote what it read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub origin: Origin,
    pub key: Option<String>,
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.origin {
            Origin::Policy { path, line } | Origin::UserConfig { path, line } => {
                let what = if matches!(self.origin, Origin::Policy { .. }) {
                    "system policy"
                } else {
                    "user config"
                };
                write!(f, "{what} {}", path.display())?;
                if let Some(line) = line {
                    write!(f, ", line {line}")?;
                }
            }
            Origin::Environment { var } => write!(f, "environment variable {var}")?,
            Origin::Flag { flag } => write!(f, "command-line option {flag}")?,
            Origin::Defaults => write!(f, "built-in defaults")?,
        }
        if let Some(key) = &self.key {
            write!(f, ", key `{key}`")?;
        }
        write!(f, ": {}", self.problem)
    }
}

/// The inputs of configuration resolution, gathered by the process face (or a test) so that
/// resolution itself reads no global state.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Where this build looks for the system policy; a missing file means no policy.
    pub policy_path: PathBuf,
    /// The user config file; a missing file is fine unless `user_config_required`.
    pub user_config_path: Option<PathBuf>,
    /// True when the path was given explicitly (`--config`, `IRIS_CONFIG`): then it must exist.
    pub user_config_required: bool,
    /// `IRIS_*` environment variables.
    pub env: BTreeMap<String, String>,
    /// Command-line overrides in the order given: the flag's spelling and the key and raw value.
    pub flags: Vec<(String, Key, String)>,
    /// Directory relative paths from the environment and flags are resolved against.
    pub cwd: PathBuf,
    /// Built-in default locations (from the OS conventions).
    pub defaults: Defaults,
}

/// Per-OS default locations.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    pub data_dir: Option<PathBuf>,
    pub models_dir: Option<PathBuf>,
    pub home: Option<PathBuf>,
}

impl Sources {
    /// Gathers sources the way both faces do: OS paths, the process environment, and the given
    /// command-line overrides.
    pub fn from_process(flags: Vec<(String, Key, String)>, config_flag: Option<PathBuf>) -> Self {
        let env: BTreeMap<String, String> = std::env::vars()
            .filter(|(k, _)| k.starts_with("IRIS_"))
            .collect();
        let project = directories::ProjectDirs::from("", "", "iris");
        let base = directories::BaseDirs::new();
        let explicit = config_flag.or_else(|| env.get("IRIS_CONFIG").map(PathBuf::from));
        let user_config_required = explicit.is_some();
        let user_config_path =
            explicit.or_else(|| project.as_ref().map(|p| p.config_dir().join("config.toml")));
        let policy_path = match env.get("IRIS_POLICY_FILE") {
            Some(p) if cfg!(debug_assertions) => PathBuf::from(p),
            _ => system_policy_path(),
        };
        Sources {
            policy_path,
            user_config_path,
            user_config_required,
            env,
            flags,
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
            defaults: Defaults {
                data_dir: project.as_ref().map(|p| p.data_dir().to_path_buf()),
                models_dir: project.as_ref().map(|p| p.data_local_dir().join("models")),
                home: base.map(|b| b.home_dir().to_path_buf()),
            },
        }
    }
}

impl Sources {
    /// Sources confined to `dir`, reading nothing from the process or the user's account: the
    /// policy is `dir/policy.toml` (absent unless written), no user config, no environment, and
    /// defaults under `dir` (`data`, `models`). For tests and embedding.
    pub fn isolated(dir: &Path) -> Sources {
        Sources {
            policy_path: dir.join("policy.toml"),
            user_config_path: None,
            user_config_required: false,
            env: BTreeMap::new(),
            flags: vec![],
            cwd: dir.to_path_buf(),
            defaults: Defaults {
                data_dir: Some(dir.join("data")),
                models_dir: Some(dir.join("models")),
                home: None,
            },
        }
    }
}

/// The system policy location for this OS.
pub fn system_policy_path() -> PathBuf {
    if cfg!(target_os = "windows") {
        let base = std::env::var_os("ProgramData").unwrap_or_else(|| r"C:\ProgramData".into());
        PathBuf::from(base).join("Iris").join("policy.toml")
    } else if cfg!(target_os = "macos") {
        PathBuf::from("/Library/Application Support/Iris/policy.toml")
    } else {
        PathBuf::from("/etc/iris/policy.toml")
    }
}

/// One effective setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub value: Value,
    pub source: Source,
    pub locked: bool,
}

/// A value that a lower layer tried to set for a key the policy locks; it was ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    pub key: Key,
    pub source: Source,
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    settings: BTreeMap<Key, Setting>,
    policy_path: PathBuf,
    policy_present: bool,
    user_config: Option<PathBuf>,
    ignored: Vec<Ignored>,
}

impl Config {
    /// Resolves every key from the sources.
    pub fn resolve(src: &Sources) -> Result<Config, ConfigError> {
        let policy = parse::read_file(&src.policy_path, parse::FileKind::Policy, false, src)?;
        let user = match &src.user_config_path {
            Some(p) => parse::read_file(p, parse::FileKind::User, src.user_config_required, src)?,
            None => None,
        };

        let locked: Vec<Key> = policy
            .as_ref()
            .map(|p| p.locked.clone())
            .unwrap_or_default();
        let mut layers: Vec<(Source, BTreeMap<Key, Value>)> = Vec::new();
        if let Some(p) = &policy {
            layers.push((Source::Policy, p.values.clone()));
        }
        if let Some(u) = &user {
            layers.push((Source::UserConfig, u.values.clone()));
        }
        layers.push((Source::Environment, parse::env_values(src)?));
        layers.push((Source::Flag, parse::flag_values(src)?));

        let mut settings = BTreeMap::new();
        let mut ignored = Vec::new();
        for key in Key::ALL {
            let is_locked = locked.contains(&key);
            let mut chosen: Option<(Source, Value)> = None;
            for (source, values) in &layers {
                let Some(v) = values.get(&key) else { continue };
                if is_locked && *source != Source::Policy {
                    ignored.push(Ignored {
                        key,
                        source: *source,
                    });
                    continue;
                }
                chosen = Some((*source, v.clone()));
            }
            let (source, value) = match chosen {
                Some(c) => c,
                None => (Source::Default, default_value(key, &settings, src)?),
            };
            settings.insert(
                key,
                Setting {
                    value,
                    source,
                    locked: is_locked,
                },
            );
        }

        Ok(Config {
            settings,
            policy_path: src.policy_path.clone(),
            policy_present: policy.is_some(),
            user_config: user.map(|u| u.path),
            ignored,
        })
    }

    pub fn get(&self, key: Key) -> &Setting {
        // Resolution inserts every key in Key::ALL.
        &self.settings[&key]
    }

    pub fn settings(&self) -> impl Iterator<Item = (Key, &Setting)> {
        self.settings.iter().map(|(k, s)| (*k, s))
    }

    fn path(&self, key: Key) -> &Path {
        match &self.get(key).value {
            Value::Path(p) => p,
            other => unreachable!("{key} holds a directory, not {other:?}"),
        }
    }

    fn int(&self, key: Key) -> i64 {
        match &self.get(key).value {
            Value::Int(i) => *i,
            other => unreachable!("{key} holds an integer, not {other:?}"),
        }
    }

    fn text(&self, key: Key) -> &str {
        match &self.get(key).value {
            Value::Text(s) => s,
            other => unreachable!("{key} holds text, not {other:?}"),
        }
    }

    pub fn data_dir(&self) -> &Path {
        self.path(Key::DataDir)
    }

    pub fn models_dir(&self) -> &Path {
        self.path(Key::ModelsDir)
    }

    pub fn log_dir(&self) -> &Path {
        self.path(Key::LogDir)
    }

    pub fn log_level(&self) -> &str {
        self.text(Key::LogLevel)
    }

    pub fn log_max_files(&self) -> usize {
        usize::try_from(self.int(Key::LogMaxFiles)).unwrap_or(1)
    }

    pub fn demo_data(&self) -> bool {
        matches!(self.get(Key::DemoData).value, Value::Bool(true))
    }

    pub fn lockout_attempts(&self) -> u32 {
        u32::try_from(self.int(Key::LockoutAttempts)).unwrap_or(5)
    }

    pub fn lockout_minutes(&self) -> u32 {
        u32::try_from(self.int(Key::LockoutMinutes)).unwrap_or(15)
    }

    /// `auto`, `cpu`, `cuda` or `metal`.
    pub fn inference_device(&self) -> &str {
        self.text(Key::InferenceDevice)
    }

    pub fn model_idle_minutes(&self) -> u32 {
        u32::try_from(self.int(Key::ModelIdleMinutes)).unwrap_or(10)
    }

    pub fn model_memory_mb(&self) -> u64 {
        u64::try_from(self.int(Key::ModelMemoryMb)).unwrap_or(4096)
    }

    pub fn idle_lock_minutes(&self) -> u32 {
        u32::try_from(self.int(Key::IdleLockMinutes)).unwrap_or(15)
    }

    pub fn policy_path(&self) -> &Path {
        &self.policy_path
    }

    pub fn policy_present(&self) -> bool {
        self.policy_present
    }

    pub fn locked_keys(&self) -> Vec<Key> {
        self.settings
            .iter()
            .filter(|(_, s)| s.locked)
            .map(|(k, _)| *k)
            .collect()
    }

    pub fn user_config(&self) -> Option<&Path> {
        self.user_config.as_deref()
    }

    /// Values from lower layers that a locked policy key overrode.
    pub fn ignored(&self) -> &[Ignored] {
        &self.ignored
    }
}

fn default_value(
    key: Key,
    resolved: &BTreeMap<Key, Setting>,
    src: &Sources,
) -> Result<Value, ConfigError> {
    let missing = |what: &str| ConfigError {
        origin: Origin::Defaults,
        key: Some(key.name().into()),
        problem: format!(
            "no {what} could be determined for this account; set {} or --{}",
            key.env_var(),
            key.name().replace('_', "-")
        ),
    };
    Ok(match key {
        Key::DataDir => Value::Path(
            src.defaults
                .data_dir
                .clone()
                .ok_or_else(|| missing("data directory"))?,
        ),
        Key::ModelsDir => Value::Path(
            src.defaults
                .models_dir
                .clone()
                .ok_or_else(|| missing("models directory"))?,
        ),
        // Logs follow the data dir so that one directory holds everything a workstation
        // writes (and a PHI scan of that directory covers the logs too).
        Key::LogDir => match resolved.get(&Key::DataDir).map(|s| &s.value) {
            Some(Value::Path(d)) => Value::Path(d.join("logs")),
            _ => return Err(missing("log directory")),
        },
        Key::LogLevel => Value::Text("info".into()),
        Key::LogMaxFiles => Value::Int(14),
        Key::IdleLockMinutes => Value::Int(15),
        Key::LockoutAttempts => Value::Int(5),
        Key::LockoutMinutes => Value::Int(15),
        Key::DemoData => Value::Bool(true),
        Key::InferenceDevice => Value::Text("auto".into()),
        Key::ModelIdleMinutes => Value::Int(10),
        Key::ModelMemoryMb => Value::Int(4096),
    })
}

#[cfg(test)]
mod tests;
