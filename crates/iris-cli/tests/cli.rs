//! The `iris` binary's contract: exit codes, stdout/stderr discipline, `--json`, and configuration
//! precedence as seen from outside the process.

use std::path::Path;
use std::process::{Command, Output};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn path(&self, p: &str) -> std::path::PathBuf {
        self.dir.path().join(p)
    }
    /// A command isolated from the developer's own configuration: its own data dir, user config
    /// and (debug builds only) policy file.
    fn iris(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_iris"));
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("IRIS_")) {
            c.env_remove(k);
        }
        c.env("IRIS_DATA_DIR", self.path("data"))
            .env("IRIS_MODELS_DIR", self.path("models"))
            .env("IRIS_CONFIG", self.path("config.toml"))
            .env("IRIS_POLICY_FILE", self.path("policy.toml"));
        std::fs::write(self.path("config.toml"), "").unwrap();
        c
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}
fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn version_prints_the_workspace_version() {
    let env = Env::new();
    let o = env.iris().arg("--version").output().unwrap();
    assert!(o.status.success());
    assert_eq!(
        stdout(&o).trim(),
        format!("iris {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn about_human_and_json() {
    let env = Env::new();
    let o = env.iris().arg("about").output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with(&format!("Iris {} (debug build", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(
        text.contains(&env.path("data").display().to_string()),
        "{text}"
    );
    assert!(
        stderr(&o).is_empty(),
        "nothing on stderr on success: {}",
        stderr(&o)
    );

    let o = env.iris().args(["about", "--json"]).output().unwrap();
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["policy"]["present"], false);
    assert_eq!(v["inference_devices"], serde_json::json!(["cpu"]));
    assert!(Path::new(v["data_dir"].as_str().unwrap()).is_dir());
}

#[test]
fn flags_beat_environment() {
    let env = Env::new();
    let o = env
        .iris()
        .args(["--json", "--data-dir"])
        .arg(env.path("other"))
        .arg("about")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["data_dir"], env.path("other").display().to_string());
}

#[test]
fn a_locked_policy_key_wins_over_config_env_and_flags() {
    let env = Env::new();
    std::fs::write(
        env.path("policy.toml"),
        "locked = [\"idle_lock_minutes\"]\nidle_lock_minutes = 10\n",
    )
    .unwrap();
    let mut cmd = env.iris();
    std::fs::write(env.path("config.toml"), "idle_lock_minutes = 60\n").unwrap();
    let o = cmd
        .env("IRIS_IDLE_LOCK_MINUTES", "90")
        .args(["--json", "--set", "idle_lock_minutes=120", "about"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["policy"]["locked"],
        serde_json::json!(["idle_lock_minutes"])
    );
    let idle = v["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "idle_lock_minutes")
        .unwrap();
    assert_eq!(idle["value"], "10");
    assert_eq!(idle["source"], "policy");
    assert_eq!(idle["locked"], true);
    // Each overridden layer is reported on stderr, without failing the command.
    let err = stderr(&o);
    for layer in ["user config", "environment", "command line"] {
        assert!(err.contains(layer), "{layer} not reported: {err}");
    }
}

#[test]
fn a_malformed_policy_stops_with_file_line_and_key_and_exit_2() {
    let env = Env::new();
    std::fs::write(
        env.path("policy.toml"),
        "# site policy\nidle_lock_minutes = \"ten\"\n",
    )
    .unwrap();
    let o = env.iris().arg("about").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(
        err.contains("policy.toml, line 2, key `idle_lock_minutes`"),
        "{err}"
    );
}

#[test]
fn an_unknown_config_key_is_reported_not_ignored() {
    let env = Env::new();
    let mut cmd = env.iris();
    std::fs::write(env.path("config.toml"), "log_levle = \"debug\"\n").unwrap();
    let o = cmd.args(["--json", "about"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(e["code"], "CONFIG");
    let msg = e["message"].as_str().unwrap();
    assert!(
        msg.contains("config.toml, line 1, key `log_levle`")
            && msg.contains("did you mean `log_level`"),
        "{msg}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    for args in [
        &["frobnicate"][..],
        &["--as", "Dr House", "about"],
        &["--set", "nope=1", "about"],
        &[],
    ] {
        let o = env.iris().args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{args:?}");
    }
}

#[cfg(unix)]
#[test]
fn data_and_log_dirs_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let o = env.iris().arg("about").output().unwrap();
    assert!(o.status.success());
    for d in ["data", "data/logs"] {
        let mode = std::fs::metadata(env.path(d)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{d}");
    }
    let logs: Vec<_> = std::fs::read_dir(env.path("data/logs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!logs.is_empty(), "a log file is written");
    for l in logs {
        assert_eq!(
            std::fs::metadata(&l).unwrap().permissions().mode() & 0o077,
            0,
            "{}",
            l.display()
        );
    }
}
