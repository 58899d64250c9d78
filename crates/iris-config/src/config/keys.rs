//! The settings Iris knows, their types, ranges and built-in defaults.

use std::fmt;
use std::path::PathBuf;

/// One configurable setting. The snake_case [`Key::name`] is the spelling in TOML files and
/// `--set`, and `IRIS_` + its upper-case form is the environment variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    /// Where the vault and other per-workstation state live (PHI: owner-only).
    DataDir,
    /// Where model weights live; shared by all data dirs of a user or machine.
    ModelsDir,
    /// Where rotating log files go. Defaults to `<data_dir>/logs`.
    LogDir,
    /// `error`, `warn`, `info`, `debug` or `trace`.
    LogLevel,
    /// How many daily log files are kept before the oldest is deleted.
    LogMaxFiles,
    /// Minutes of inactivity before the workstation locks and hides PHI.
    IdleLockMinutes,
    /// Consecutive failed sign-ins that lock an account.
    LockoutAttempts,
    /// Minutes an account stays locked after too many failed sign-ins.
    LockoutMinutes,
    /// Whether demo data may be seeded into a fresh data dir (`cargo xtask run`). Production
    /// installs set `demo_data = false` and lock it.
    DemoData,
    /// Where local models run: `auto` (CUDA, then Metal, then CPU), `cpu`, `cuda`, `metal`.
    InferenceDevice,
    /// Minutes a loaded model may stay unused before it is unloaded.
    ModelIdleMinutes,
    /// Memory the loaded models may use together (MiB); the least recently used are unloaded
    /// to make room.
    ModelMemoryMb,
}

/// What values a key takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Dir,
    Choice(&'static [&'static str]),
    Int { min: i64, max: i64 },
    Bool,
}

pub(crate) const LOG_LEVELS: &[&str] = &["error", "warn", "info", "debug", "trace"];
pub(crate) const INFERENCE_DEVICES: &[&str] = &["auto", "cpu", "cuda", "metal"];

impl Key {
    pub const ALL: [Key; 12] = [
        Key::DataDir,
        Key::ModelsDir,
        Key::LogDir,
        Key::LogLevel,
        Key::LogMaxFiles,
        Key::IdleLockMinutes,
        Key::LockoutAttempts,
        Key::LockoutMinutes,
        Key::DemoData,
        Key::InferenceDevice,
        Key::ModelIdleMinutes,
        Key::ModelMemoryMb,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Key::DataDir => "data_dir",
            Key::ModelsDir => "models_dir",
            Key::LogDir => "log_dir",
            Key::LogLevel => "log_level",
            Key::LogMaxFiles => "log_max_files",
            Key::IdleLockMinutes => "idle_lock_minutes",
            Key::LockoutAttempts => "lockout_attempts",
            Key::LockoutMinutes => "lockout_minutes",
            Key::DemoData => "demo_data",
            Key::InferenceDevice => "inference_device",
            Key::ModelIdleMinutes => "model_idle_minutes",
            Key::ModelMemoryMb => "model_memory_mb",
        }
    }

    pub fn env_var(self) -> String {
        format!("IRIS_{}", self.name().to_ascii_uppercase())
    }

    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.name() == name)
    }

    pub(crate) const fn kind(self) -> Kind {
        match self {
            Key::DataDir | Key::ModelsDir | Key::LogDir => Kind::Dir,
            Key::LogLevel => Kind::Choice(LOG_LEVELS),
            Key::LogMaxFiles => Kind::Int { min: 1, max: 3650 },
            Key::IdleLockMinutes => Kind::Int { min: 1, max: 480 },
            Key::LockoutAttempts => Kind::Int { min: 1, max: 20 },
            Key::LockoutMinutes => Kind::Int { min: 1, max: 1440 },
            Key::DemoData => Kind::Bool,
            Key::InferenceDevice => Kind::Choice(INFERENCE_DEVICES),
            Key::ModelIdleMinutes => Kind::Int { min: 1, max: 1440 },
            Key::ModelMemoryMb => Kind::Int {
                min: 256,
                max: 1_048_576,
            },
        }
    }

    /// A human description of the accepted values, used in error messages.
    pub(crate) fn expectation(self) -> String {
        match self.kind() {
            Kind::Dir => "a directory path".to_string(),
            Kind::Choice(choices) => format!("one of {}", choices.join(", ")),
            Kind::Int { min, max } => format!("a whole number from {min} to {max}"),
            Kind::Bool => "true or false".to_string(),
        }
    }

    /// The closest known key name, for "did you mean" hints on typos.
    pub(crate) fn suggest(unknown: &str) -> Option<&'static str> {
        Key::ALL
            .into_iter()
            .map(|k| (edit_distance(unknown, k.name()), k.name()))
            .filter(|(d, _)| *d <= 3)
            .min()
            .map(|(_, n)| n)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A typed setting value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Path(PathBuf),
    Text(String),
    Int(i64),
    Bool(bool),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Path(p) => write!(f, "{}", p.display()),
            Value::Text(s) => f.write_str(s),
            Value::Int(i) => write!(f, "{i}"),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_env_vars_are_prefixed() {
        for k in Key::ALL {
            assert_eq!(Key::from_name(k.name()), Some(k));
            assert!(k.env_var().starts_with("IRIS_"));
        }
        assert_eq!(Key::IdleLockMinutes.env_var(), "IRIS_IDLE_LOCK_MINUTES");
    }

    #[test]
    fn typos_get_a_suggestion_and_nonsense_does_not() {
        assert_eq!(Key::suggest("idle_lock_minute"), Some("idle_lock_minutes"));
        assert_eq!(Key::suggest("datadir"), Some("data_dir"));
        assert_eq!(Key::suggest("colour_scheme"), None);
    }
}
