use std::path::PathBuf;

use proptest::prelude::*;

use super::*;

struct Fixture {
    dir: tempfile::TempDir,
    src: Sources,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut src = Sources::isolated(dir.path());
        src.user_config_path = Some(dir.path().join("config.toml"));
        src.defaults = Defaults {
            data_dir: Some(PathBuf::from("/home/dr/.local/share/iris")),
            models_dir: Some(PathBuf::from("/home/dr/.local/share/iris/models")),
            home: Some(PathBuf::from("/home/dr")),
        };
        Fixture { dir, src }
    }
    fn policy(&self, text: &str) -> &Self {
        std::fs::write(&self.src.policy_path, text).unwrap();
        self
    }
    fn user(&self, text: &str) -> &Self {
        std::fs::write(self.src.user_config_path.as_ref().unwrap(), text).unwrap();
        self
    }
    fn env(&mut self, key: Key, v: &str) -> &mut Self {
        self.src.env.insert(key.env_var(), v.into());
        self
    }
    fn flag(&mut self, key: Key, v: &str) -> &mut Self {
        self.src
            .flags
            .push((format!("--set {}", key.name()), key, v.into()));
        self
    }
    fn resolve(&self) -> Result<Config, ConfigError> {
        Config::resolve(&self.src)
    }
}

#[test]
fn defaults_apply_without_any_file() {
    let f = Fixture::new();
    let c = f.resolve().unwrap();
    assert_eq!(c.data_dir(), Path::new("/home/dr/.local/share/iris"));
    assert_eq!(c.log_dir(), Path::new("/home/dr/.local/share/iris/logs"));
    assert_eq!(c.idle_lock_minutes(), 15);
    assert_eq!(c.log_level(), "info");
    assert!(!c.policy_present());
    assert!(c.user_config().is_none());
    assert!(
        c.settings()
            .all(|(_, s)| s.source == Source::Default && !s.locked)
    );
}

#[test]
fn each_layer_beats_the_one_below() {
    let mut f = Fixture::new();
    f.policy("idle_lock_minutes = 20\n");
    assert_eq!(
        f.resolve().unwrap().get(Key::IdleLockMinutes).source,
        Source::Policy
    );
    f.user("idle_lock_minutes = 25\n");
    let c = f.resolve().unwrap();
    assert_eq!(
        (c.idle_lock_minutes(), c.get(Key::IdleLockMinutes).source),
        (25, Source::UserConfig)
    );
    f.env(Key::IdleLockMinutes, "30");
    let c = f.resolve().unwrap();
    assert_eq!(
        (c.idle_lock_minutes(), c.get(Key::IdleLockMinutes).source),
        (30, Source::Environment)
    );
    f.flag(Key::IdleLockMinutes, "35");
    let c = f.resolve().unwrap();
    assert_eq!(
        (c.idle_lock_minutes(), c.get(Key::IdleLockMinutes).source),
        (35, Source::Flag)
    );
    assert!(c.ignored().is_empty());
}

#[test]
fn a_locked_policy_key_wins_over_user_config_environment_and_flags() {
    let mut f = Fixture::new();
    f.policy("locked = [\"idle_lock_minutes\"]\nidle_lock_minutes = 10\n")
        .user("idle_lock_minutes = 60\n");
    f.env(Key::IdleLockMinutes, "90")
        .flag(Key::IdleLockMinutes, "120");
    let c = f.resolve().unwrap();
    let s = c.get(Key::IdleLockMinutes);
    assert_eq!(s.value, Value::Int(10));
    assert_eq!(s.source, Source::Policy);
    assert!(s.locked);
    assert_eq!(c.locked_keys(), vec![Key::IdleLockMinutes]);
    let ignored: Vec<Source> = c.ignored().iter().map(|i| i.source).collect();
    assert_eq!(
        ignored,
        vec![Source::UserConfig, Source::Environment, Source::Flag]
    );
    // Unlocked keys are unaffected by the lock.
    f.flag(Key::LogLevel, "debug");
    assert_eq!(f.resolve().unwrap().log_level(), "debug");
}

#[test]
fn locking_without_a_value_locks_the_built_in_default() {
    let mut f = Fixture::new();
    f.policy("locked = [\"idle_lock_minutes\"]\n");
    f.flag(Key::IdleLockMinutes, "240");
    let c = f.resolve().unwrap();
    assert_eq!(c.idle_lock_minutes(), 15);
    assert_eq!(c.get(Key::IdleLockMinutes).source, Source::Default);
    assert!(c.get(Key::IdleLockMinutes).locked);
}

#[test]
fn a_locked_data_dir_also_moves_the_default_log_dir() {
    let mut f = Fixture::new();
    f.policy("locked = [\"data_dir\"]\ndata_dir = \"/srv/iris\"\n");
    f.flag(Key::DataDir, "elsewhere");
    let c = f.resolve().unwrap();
    assert_eq!(c.data_dir(), Path::new("/srv/iris"));
    assert_eq!(c.log_dir(), Path::new("/srv/iris/logs"));
}

#[test]
fn relative_paths_from_flags_resolve_against_cwd_and_tilde_expands_in_files() {
    let mut f = Fixture::new();
    f.user("models_dir = \"~/models\"\n");
    f.flag(Key::DataDir, "chart-data");
    let c = f.resolve().unwrap();
    assert_eq!(c.data_dir(), f.dir.path().join("chart-data"));
    assert_eq!(c.models_dir(), Path::new("/home/dr/models"));
}

fn err_of(f: &Fixture) -> ConfigError {
    f.resolve()
        .expect_err("configuration should have been refused")
}

#[test]
fn malformed_files_name_the_file_line_and_key() {
    let f = Fixture::new();
    // Each case: file contents, expected line, expected key, a fragment of the problem.
    let cases: &[(&str, usize, Option<&str>, &str)] = &[
        (
            "log_level = \"info\"\nidle_lock_minutes = \"ten\"\n",
            2,
            Some("idle_lock_minutes"),
            "found string",
        ),
        (
            "\n\nidle_lock_minutes = 0\n",
            3,
            Some("idle_lock_minutes"),
            "from 1 to 480",
        ),
        (
            "idle_lock_minuts = 5\n",
            1,
            Some("idle_lock_minuts"),
            "did you mean `idle_lock_minutes`",
        ),
        (
            "log_level = \"loud\"\n",
            1,
            Some("log_level"),
            "one of error, warn",
        ),
        (
            "data_dir = \"relative/path\"\n",
            1,
            Some("data_dir"),
            "absolute",
        ),
        (
            "locked = [\"idle_lock_minutes\", \"colour\"]\n",
            1,
            Some("locked"),
            "unknown setting `colour`",
        ),
        (
            "locked = \"idle_lock_minutes\"\n",
            1,
            Some("locked"),
            "must be a list",
        ),
        (
            "[window]\nwidth = 3\n",
            1,
            Some("window"),
            "unknown setting",
        ),
        (
            "idle_lock_minutes = 10\nlog_level = \n",
            2,
            None,
            "not valid TOML",
        ),
    ];
    for (text, line, key, fragment) in cases {
        f.policy(text);
        let e = err_of(&f);
        assert_eq!(
            e.origin,
            Origin::Policy {
                path: f.src.policy_path.clone(),
                line: Some(*line)
            },
            "{text:?} -> {e}"
        );
        assert_eq!(e.key.as_deref(), *key, "{text:?} -> {e}");
        assert!(e.to_string().contains(fragment), "{text:?} -> {e}");
        assert!(e.to_string().contains("policy.toml"), "{e}");
    }
}

#[test]
fn a_user_config_cannot_lock() {
    let f = Fixture::new();
    f.user("\nlocked = [\"idle_lock_minutes\"]\n");
    let e = err_of(&f);
    assert!(
        matches!(e.origin, Origin::UserConfig { line: Some(2), .. }),
        "{e}"
    );
    assert!(
        e.to_string().contains("only the system policy can lock"),
        "{e}"
    );
}

#[test]
fn an_explicit_config_path_must_exist_but_the_default_may_be_missing() {
    let mut f = Fixture::new();
    assert!(f.resolve().is_ok());
    f.src.user_config_required = true;
    let e = err_of(&f);
    assert!(e.to_string().contains("file not found"), "{e}");
}

#[test]
fn bad_environment_and_flag_values_name_their_origin() {
    let mut f = Fixture::new();
    f.env(Key::LogMaxFiles, "many");
    let e = err_of(&f);
    assert_eq!(
        e.origin,
        Origin::Environment {
            var: "IRIS_LOG_MAX_FILES".into()
        }
    );
    let mut f = Fixture::new();
    f.flag(Key::IdleLockMinutes, "9999");
    let e = err_of(&f);
    assert!(matches!(e.origin, Origin::Flag { .. }), "{e}");
    assert!(e.to_string().contains("idle_lock_minutes"), "{e}");
}

#[test]
fn tilde_expands_in_environment_and_flag_paths() {
    let mut f = Fixture::new();
    f.env(Key::ModelsDir, "~/m");
    f.flag(Key::DataDir, "~/d");
    let c = f.resolve().unwrap();
    assert_eq!(c.models_dir(), Path::new("/home/dr/m"));
    assert_eq!(c.data_dir(), Path::new("/home/dr/d"));
}

#[test]
fn an_unknown_iris_environment_variable_is_reported_with_a_suggestion() {
    let mut f = Fixture::new();
    f.src.env.insert("IRIS_DATADIR".into(), "/x".into());
    let e = err_of(&f);
    assert_eq!(
        e.origin,
        Origin::Environment {
            var: "IRIS_DATADIR".into()
        }
    );
    assert!(e.to_string().contains("IRIS_DATA_DIR"), "{e}");
    // Credentials and paths read elsewhere are not settings and are accepted.
    let mut f = Fixture::new();
    for v in [
        "IRIS_USER",
        "IRIS_PASSWORD",
        "IRIS_PASSPHRASE",
        "IRIS_E2E_X",
        "IRIS_FHIR_POPULATIONS",
        "IRIS_FHIR_R4_PYTHON",
    ] {
        f.src.env.insert(v.into(), "x".into());
    }
    f.resolve().unwrap();
}

#[test]
fn missing_home_is_a_clear_error() {
    let mut f = Fixture::new();
    f.src.defaults = Defaults::default();
    let e = err_of(&f);
    assert_eq!(e.origin, Origin::Defaults);
    assert!(e.to_string().contains("IRIS_DATA_DIR"), "{e}");
}

#[test]
fn set_assignments_parse_and_reject_unknown_keys() {
    assert_eq!(
        parse_assignment("log_level=debug").unwrap(),
        (Key::LogLevel, "debug".into())
    );
    assert!(
        parse_assignment("log_level")
            .unwrap_err()
            .contains("KEY=VALUE")
    );
    assert!(
        parse_assignment("loglevel=x")
            .unwrap_err()
            .contains("did you mean `log_level`")
    );
}

proptest! {
    /// Whatever subset of layers sets a key, the effective value is the policy's when the key is
    /// locked and otherwise the highest layer's.
    #[test]
    fn precedence_holds_for_any_combination(
        policy in proptest::option::of(1i64..=480),
        user in proptest::option::of(1i64..=480),
        env in proptest::option::of(1i64..=480),
        flag in proptest::option::of(1i64..=480),
        locked in any::<bool>(),
    ) {
        let mut f = Fixture::new();
        let mut ptext = String::new();
        if locked { ptext.push_str("locked = [\"idle_lock_minutes\"]\n"); }
        if let Some(p) = policy { ptext.push_str(&format!("idle_lock_minutes = {p}\n")); }
        f.policy(&ptext);
        if let Some(u) = user { f.user(&format!("idle_lock_minutes = {u}\n")); }
        if let Some(e) = env { f.env(Key::IdleLockMinutes, &e.to_string()); }
        if let Some(fl) = flag { f.flag(Key::IdleLockMinutes, &fl.to_string()); }
        let c = f.resolve().unwrap();
        let expected = if locked {
            policy.unwrap_or(15)
        } else {
            flag.or(env).or(user).or(policy).unwrap_or(15)
        };
        prop_assert_eq!(i64::from(c.idle_lock_minutes()), expected);
        prop_assert_eq!(c.get(Key::IdleLockMinutes).locked, locked);
    }
}

#[test]
fn demo_data_is_a_boolean_that_policy_can_turn_off() {
    let f = Fixture::new();
    assert!(f.resolve().unwrap().demo_data());
    let mut f = Fixture::new();
    f.policy("locked = [\"demo_data\"]\ndemo_data = false\n");
    f.env(Key::DemoData, "true");
    let c = f.resolve().unwrap();
    assert!(!c.demo_data());
    let f = Fixture::new();
    f.user("demo_data = \"maybe\"\n");
    assert!(err_of(&f).to_string().contains("true or false"));
}
