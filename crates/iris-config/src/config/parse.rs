//! Reading configuration layers into typed values, with file/line/key on every error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use toml::Spanned;

use super::keys::{Key, Kind, Value};
use super::{ConfigError, Origin, Sources};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Policy,
    User,
}

#[derive(Debug)]
pub(crate) struct FileLayer {
    pub path: PathBuf,
    pub values: BTreeMap<Key, Value>,
    pub locked: Vec<Key>,
}

const LOCKED: &str = "locked";

pub(crate) fn read_file(
    path: &Path,
    kind: FileKind,
    required: bool,
    src: &Sources,
) -> Result<Option<FileLayer>, ConfigError> {
    let origin = |line: Option<usize>| match kind {
        FileKind::Policy => Origin::Policy {
            path: path.to_path_buf(),
            line,
        },
        FileKind::User => Origin::UserConfig {
            path: path.to_path_buf(),
            line,
        },
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(None),
        Err(e) => {
            return Err(ConfigError {
                origin: origin(None),
                key: None,
                problem: io_problem(&e),
            });
        }
    };
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;

    let table: BTreeMap<Spanned<String>, Spanned<toml::Value>> =
        toml::from_str(&text).map_err(|e| ConfigError {
            origin: origin(e.span().map(|s| line_of(s.start))),
            key: None,
            problem: format!("not valid TOML: {}", e.message().trim_end()),
        })?;

    let mut layer = FileLayer {
        path: path.to_path_buf(),
        values: BTreeMap::new(),
        locked: vec![],
    };
    for (name, value) in &table {
        let line = Some(line_of(name.span().start));
        let err = |problem: String| ConfigError {
            origin: origin(line),
            key: Some(name.get_ref().clone()),
            problem,
        };
        if name.get_ref() == LOCKED {
            if kind == FileKind::User {
                return Err(err("only the system policy can lock settings".into()));
            }
            layer.locked = parse_locked(value.get_ref()).map_err(err)?;
            continue;
        }
        let Some(key) = Key::from_name(name.get_ref()) else {
            let hint = Key::suggest(name.get_ref())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(err(format!("unknown setting{hint}")));
        };
        let parsed = from_toml(key, value.get_ref(), src).map_err(err)?;
        layer.values.insert(key, parsed);
    }
    Ok(Some(layer))
}

fn parse_locked(value: &toml::Value) -> Result<Vec<Key>, String> {
    let toml::Value::Array(items) = value else {
        return Err("must be a list of setting names, e.g. [\"idle_lock_minutes\"]".into());
    };
    let mut keys = Vec::new();
    for item in items {
        let Some(name) = item.as_str() else {
            return Err("must list setting names as strings".into());
        };
        let Some(key) = Key::from_name(name) else {
            let hint = Key::suggest(name)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!("cannot lock unknown setting `{name}`{hint}"));
        };
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    Ok(keys)
}

fn from_toml(key: Key, value: &toml::Value, src: &Sources) -> Result<Value, String> {
    let wrong = || format!("expected {}, found {}", key.expectation(), value.type_str());
    match key.kind() {
        Kind::Dir => {
            let s = value.as_str().ok_or_else(wrong)?;
            file_path(key, s, src)
        }
        Kind::Choice(_) => choice(key, value.as_str().ok_or_else(wrong)?),
        Kind::Int { .. } => int(key, value.as_integer().ok_or_else(wrong)?),
        Kind::Bool => Ok(Value::Bool(value.as_bool().ok_or_else(wrong)?)),
    }
}

/// Directory paths in files must be absolute (or start with `~/`): a relative path would mean
/// something different for every process that reads the file.
fn file_path(key: Key, s: &str, src: &Sources) -> Result<Value, String> {
    let p = match (s.strip_prefix("~/"), &src.defaults.home) {
        (Some(rest), Some(home)) => home.join(rest),
        (Some(_), None) => return Err("`~/` used but the home directory is unknown".into()),
        (None, _) => PathBuf::from(s),
    };
    if s.is_empty() || !p.is_absolute() {
        return Err(format!(
            "expected {}, absolute or starting with `~/`",
            key.expectation()
        ));
    }
    Ok(Value::Path(p))
}

fn choice(key: Key, s: &str) -> Result<Value, String> {
    let Kind::Choice(choices) = key.kind() else {
        unreachable!()
    };
    let lower = s.trim().to_ascii_lowercase();
    if choices.contains(&lower.as_str()) {
        Ok(Value::Text(lower))
    } else {
        Err(format!("expected {}, found \"{s}\"", key.expectation()))
    }
}

fn int(key: Key, i: i64) -> Result<Value, String> {
    let Kind::Int { min, max } = key.kind() else {
        unreachable!()
    };
    if (min..=max).contains(&i) {
        Ok(Value::Int(i))
    } else {
        Err(format!("expected {}, found {i}", key.expectation()))
    }
}

/// Parses a value given as text (environment variable or flag).
fn from_text(key: Key, raw: &str, src: &Sources) -> Result<Value, String> {
    match key.kind() {
        Kind::Dir => {
            if raw.trim().is_empty() {
                return Err(format!(
                    "expected {}, found an empty value",
                    key.expectation()
                ));
            }
            Ok(Value::Path(
                src.cwd.join(expand_home(raw, src.defaults.home.as_deref())),
            ))
        }
        Kind::Choice(_) => choice(key, raw),
        Kind::Bool => match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(Value::Bool(true)),
            "false" | "0" | "no" | "off" => Ok(Value::Bool(false)),
            _ => Err(format!("expected {}, found \"{raw}\"", key.expectation())),
        },
        Kind::Int { .. } => {
            let i: i64 = raw
                .trim()
                .parse()
                .map_err(|_| format!("expected {}, found \"{raw}\"", key.expectation()))?;
            int(key, i)
        }
    }
}

/// `~/x` means the home directory, as a shell would expand it (a quoted value or a systemd
/// unit does not expand it, and a literal directory named `~` is never what IT meant).
fn expand_home(raw: &str, home: Option<&Path>) -> PathBuf {
    match (raw.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        (None, Some(home)) if raw == "~" => home.to_path_buf(),
        _ => raw.into(),
    }
}

/// `IRIS_*` variables that are not settings but are read elsewhere (credentials for the CLI,
/// the config and policy paths, test harness switches).
pub const NON_SETTING_ENV: &[&str] = &[
    "IRIS_CONFIG",
    "IRIS_POLICY_FILE",
    "IRIS_USER",
    "IRIS_PASSWORD",
    "IRIS_NEW_PASSWORD",
    "IRIS_PASSPHRASE",
    "IRIS_NEW_PASSPHRASE",
    "IRIS_RECOVERY_KEY",
];

/// What `cargo xtask test` hands to the test suite (the generated FHIR populations and the R4
/// validator's Python, read by `iris_tests::fhir`); tests start the app and the CLI with the
/// environment they inherited.
pub const TEST_HARNESS_ENV: &[&str] = &["IRIS_FHIR_POPULATIONS", "IRIS_FHIR_R4_PYTHON"];

fn is_known_env(var: &str) -> bool {
    NON_SETTING_ENV.contains(&var)
        || TEST_HARNESS_ENV.contains(&var)
        || ["IRIS_E2E_", "IRIS_TEST_", "IRIS_BENCH_"]
            .iter()
            .any(|p| var.starts_with(p))
        || Key::ALL.iter().any(|k| k.env_var() == var)
}

pub(crate) fn env_values(src: &Sources) -> Result<BTreeMap<Key, Value>, ConfigError> {
    // A misspelt variable would otherwise be silently ignored: name it, with a suggestion.
    if let Some(var) = src.env.keys().find(|v| !is_known_env(v)) {
        let name = var.trim_start_matches("IRIS_").to_ascii_lowercase();
        let hint = Key::suggest(&name)
            .map(|s| format!(" (did you mean `IRIS_{}`?)", s.to_ascii_uppercase()))
            .unwrap_or_default();
        return Err(ConfigError {
            origin: Origin::Environment { var: var.clone() },
            key: None,
            problem: format!("unknown Iris environment variable{hint}"),
        });
    }
    let mut out = BTreeMap::new();
    for key in Key::ALL {
        let var = key.env_var();
        if let Some(raw) = src.env.get(&var) {
            let v = from_text(key, raw, src).map_err(|problem| ConfigError {
                origin: Origin::Environment { var: var.clone() },
                key: Some(key.name().into()),
                problem,
            })?;
            out.insert(key, v);
        }
    }
    Ok(out)
}

pub(crate) fn flag_values(src: &Sources) -> Result<BTreeMap<Key, Value>, ConfigError> {
    let mut out = BTreeMap::new();
    for (flag, key, raw) in &src.flags {
        let v = from_text(*key, raw, src).map_err(|problem| ConfigError {
            origin: Origin::Flag { flag: flag.clone() },
            key: Some(key.name().into()),
            problem,
        })?;
        out.insert(*key, v);
    }
    Ok(out)
}

/// Parses `KEY=VALUE` as given to `--set`.
pub fn parse_assignment(s: &str) -> Result<(Key, String), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| format!("expected KEY=VALUE, found \"{s}\""))?;
    let name = name.trim();
    let key = Key::from_name(name).ok_or_else(|| {
        let hint = Key::suggest(name)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        format!("unknown setting `{name}`{hint}")
    })?;
    Ok((key, value.to_string()))
}

fn io_problem(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "file not found".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::InvalidData => "not valid UTF-8 text".into(),
        _ => format!("could not be read ({e})"),
    }
}
