//! `iris init`, `user`, `audit` and `vault` as IT scripts use them: credentials from the
//! environment or stdin, exit codes 0/1/2/3, nothing secret or identifying in output or logs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PASSPHRASE: &str = "correct horse battery staple";

struct Env {
    dir: tempfile::TempDir,
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

impl Env {
    fn new() -> Env {
        let env = Env {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::write(env.path("config.toml"), "").unwrap();
        env
    }
    fn path(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }
    fn data(&self) -> PathBuf {
        self.path("data")
    }
    /// `iris` isolated from the developer's configuration, keyed by the passphrase.
    fn iris(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_iris"));
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("IRIS_")) {
            c.env_remove(k);
        }
        c.args(args)
            .env("IRIS_DATA_DIR", self.data())
            .env("IRIS_MODELS_DIR", self.path("models"))
            .env("IRIS_CONFIG", self.path("config.toml"))
            .env("IRIS_POLICY_FILE", self.path("policy.toml"))
            .env("IRIS_PASSPHRASE", PASSPHRASE)
            .stdin(Stdio::null());
        c
    }
    /// Runs with `stdin` as the process's standard input.
    fn run(&self, mut c: Command, stdin: &str) -> Output {
        c.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
    fn init(&self) -> String {
        let o = self.run(
            self.iris(&["init", "--admin", "root"]),
            "admin password 1\n",
        );
        assert!(o.status.success(), "{}", err(&o));
        out(&o)
    }
    fn admin(&self, args: &[&str], stdin: &str) -> Output {
        let mut a = vec!["--as", "root"];
        a.extend_from_slice(args);
        self.run(self.iris(&a), &format!("admin password 1\n{stdin}"))
    }
}

fn recovery_key(init_out: &str) -> String {
    init_out
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 64 && l.matches('-').count() == 12)
        .expect("recovery key line")
        .to_string()
}

#[test]
fn init_shows_the_recovery_key_once_and_refuses_a_second_time() {
    let env = Env::new();
    let text = env.init();
    let key = recovery_key(&text);
    assert!(text.contains("passphrase, recovery"), "{text}");
    // Never stored in clear anywhere under the data dir.
    for f in files(&env.data()) {
        assert!(
            !contains(&std::fs::read(&f).unwrap(), key.as_bytes()),
            "{}",
            f.display()
        );
    }
    let o = env.run(env.iris(&["init", "--admin", "root"]), "admin password 1\n");
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("already holds a vault"), "{}", err(&o));
    // JSON form on a fresh dir.
    let env = Env::new();
    let o = env.run(
        env.iris(&["--json", "init", "--admin", "root"]),
        "admin password 1\n",
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["slots"], serde_json::json!(["passphrase", "recovery"]));
}

#[test]
fn bad_input_to_init_is_exit_2_and_leaves_no_vault() {
    let env = Env::new();
    let o = env.run(env.iris(&["init", "--admin", "root"]), "short\n");
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("password: min_length_10"), "{}", err(&o));
    assert!(!env.data().join("vault.sqlite").exists());
    let o = env.run(
        env.iris(&["init", "--admin", "Root User"]),
        "admin password 1\n",
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn users_are_added_disabled_unlocked_and_change_their_password() {
    let env = Env::new();
    env.init();
    let o = env.admin(
        &["user", "add", "dr.grey", "--role", "physician"],
        "first password 1\n",
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("must change password"), "{}", out(&o));
    // Until the initial password is changed, vault work is refused.
    let o = env.run(
        env.iris(&["--as", "dr.grey", "user", "list"]),
        "first password 1\n",
    );
    assert_eq!(o.status.code(), Some(1));
    // passwd: current from IRIS_PASSWORD, new from the next stdin line.
    let mut c = env.iris(&["--as", "dr.grey", "user", "passwd"]);
    c.env("IRIS_PASSWORD", "first password 1");
    let o = env.run(c, "second password 2\n");
    assert!(o.status.success(), "{}", err(&o));
    // A physician is not an admin.
    let o = env.run(
        env.iris(&["--as", "dr.grey", "user", "list"]),
        "second password 2\n",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("may not manage users"), "{}", err(&o));
    // Disable and enable.
    assert!(
        env.admin(&["user", "disable", "dr.grey"], "")
            .status
            .success()
    );
    let o = env.run(
        env.iris(&["--as", "dr.grey", "user", "passwd"]),
        "second password 2\nthird password 3\n",
    );
    assert!(err(&o).contains("disabled"), "{}", err(&o));
    assert!(
        env.admin(&["user", "enable", "dr.grey"], "")
            .status
            .success()
    );
    let o = env.admin(&["--json", "user", "list"], "");
    let users: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(users[0]["name"], "dr.grey");
    assert_eq!(users[0]["disabled"], false);
}

#[test]
fn lockout_is_reported_with_the_remaining_wait_instead_of_sleeping() {
    let env = Env::new();
    env.init();
    env.admin(
        &["user", "add", "n.joy", "--role", "nurse"],
        "first password 1\n",
    );
    for _ in 0..5 {
        let o = env.run(
            env.iris(&["--as", "n.joy", "user", "list"]),
            "wrong password!!\n",
        );
        assert_eq!(o.status.code(), Some(1));
        assert!(err(&o).contains("incorrect"), "{}", err(&o));
    }
    let started = std::time::Instant::now();
    let o = env.run(
        env.iris(&["--as", "n.joy", "user", "passwd"]),
        "first password 1\nnew password 1\n",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("try again in 15 minute(s)"), "{}", err(&o));
    assert!(
        started.elapsed().as_secs() < 10,
        "the CLI must not sleep out the lockout"
    );
    assert!(env.admin(&["user", "unlock", "n.joy"], "").status.success());
    let o = env.run(
        env.iris(&["--as", "n.joy", "user", "passwd"]),
        "first password 1\nnew password 11\n",
    );
    assert!(o.status.success(), "{}", err(&o));
}

#[test]
fn a_locked_policy_sets_the_lockout_threshold() {
    let env = Env::new();
    std::fs::write(
        env.path("policy.toml"),
        "locked = [\"lockout_attempts\"]\nlockout_attempts = 2\n",
    )
    .unwrap();
    env.init();
    env.admin(
        &["user", "add", "n.joy", "--role", "nurse"],
        "first password 1\n",
    );
    for _ in 0..2 {
        env.run(
            env.iris(&["--as", "n.joy", "user", "list"]),
            "wrong password!!\n",
        );
    }
    let mut c = env.iris(&[
        "--as",
        "n.joy",
        "--set",
        "lockout_attempts=10",
        "user",
        "passwd",
    ]);
    c.env("IRIS_LOCKOUT_ATTEMPTS", "10");
    let o = env.run(c, "first password 1\nnew password 11\n");
    assert!(
        err(&o).contains("locked after repeated failed logins"),
        "{}",
        err(&o)
    );
}

#[test]
fn a_wrong_passphrase_is_a_clear_error_and_the_recovery_key_opens() {
    let env = Env::new();
    let key = recovery_key(&env.init());
    let before = std::fs::read(env.data().join("vault.sqlite")).unwrap();
    let mut c = env.iris(&["--as", "root", "user", "list"]);
    c.env("IRIS_PASSPHRASE", "this is the wrong passphrase");
    let o = env.run(c, "admin password 1\n");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).contains("not the one this vault was sealed with"),
        "{}",
        err(&o)
    );
    assert_eq!(
        std::fs::read(env.data().join("vault.sqlite")).unwrap(),
        before
    );
    let mut c = env.iris(&["--as", "root", "user", "list"]);
    c.env_remove("IRIS_PASSPHRASE")
        .env("IRIS_RECOVERY_KEY", &key);
    let o = env.run(c, "admin password 1\n");
    assert!(o.status.success(), "{}", err(&o));
    // Rekey to a new passphrase; the old one stops working.
    let mut c = env.iris(&["--as", "root", "vault", "rekey"]);
    c.env("IRIS_NEW_PASSPHRASE", "a brand new vault passphrase");
    assert!(env.run(c, "admin password 1\n").status.success());
    let o = env.admin(&["user", "list"], "");
    assert!(
        err(&o).contains("not the one this vault was sealed with"),
        "{}",
        err(&o)
    );
    let mut c = env.iris(&["vault", "status"]);
    c.env("IRIS_PASSPHRASE", "a brand new vault passphrase");
    assert!(out(&env.run(c, "")).contains("opens with the passphrase key"));
}

#[test]
fn missing_acting_user_is_a_usage_error() {
    let env = Env::new();
    env.init();
    let o = env.run(env.iris(&["user", "list"]), "admin password 1\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--as USER"), "{}", err(&o));
}

fn sql(env: &Env, statements: &[&str]) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::ConnectOptions;
        let mut c = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(env.data().join("vault.sqlite"))
            .connect()
            .await
            .unwrap();
        for s in statements {
            sqlx::query(sqlx::AssertSqlSafe(s.to_string()))
                .execute(&mut c)
                .await
                .unwrap();
        }
    });
}

#[test]
fn audit_verify_exits_3_on_tampering_with_the_first_broken_entry() {
    let env = Env::new();
    env.init();
    env.admin(
        &["user", "add", "dr.grey", "--role", "physician"],
        "first password 1\n",
    );
    let o = env.admin(&["audit", "verify"], "");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("audit log intact"), "{}", out(&o));
    let head = env.path("head.json");
    assert!(
        env.admin(&["audit", "head", "--out", head.to_str().unwrap()], "")
            .status
            .success()
    );
    let o = env.admin(&["audit", "verify", "--head", head.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    // Edit entry 2.
    sql(
        &env,
        &["UPDATE audit SET detail = 'dr.grey role=admin' WHERE seq = 2"],
    );
    let o = env.admin(&["audit", "verify"], "");
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(err(&o).contains("first broken entry 2"), "{}", err(&o));
    let o = env.admin(&["--json", "audit", "verify"], "");
    assert_eq!(o.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["first_bad_seq"], 2);
    // A head file that is not a signed head is a usage error, not tampering.
    std::fs::write(env.path("bad.json"), "{}").unwrap();
    let o = env.admin(
        &[
            "audit",
            "verify",
            "--head",
            env.path("bad.json").to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
}

#[test]
fn audit_list_by_user_as_json() {
    let env = Env::new();
    env.init();
    env.run(
        env.iris(&["--as", "root", "user", "list"]),
        "wrong password!!\n",
    );
    let o = env.admin(&["--json", "audit", "list", "--user", "root"], "");
    assert!(o.status.success(), "{}", err(&o));
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    let actions: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        vec![
            ("vault.init", "ok"),
            ("user.add", "ok"),
            ("login", "failed"),
            ("login", "ok")
        ]
    );
    assert_eq!(entries[1]["seq"], 2);
    assert_eq!(entries[1]["prev_hash"], entries[0]["hash"]);
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(files(&p));
        } else {
            v.push(p);
        }
    }
    v
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The PHI-at-rest scenario: Synthea-style patients with charts and notes are stored, searched,
/// read, backed up, re-encrypted and restored, with trace logging and failed sign-ins along the
/// way; then no identifying string appears in any file under the data dirs: database, WAL,
/// shared memory, logs, backups.
#[test]
fn phi_is_in_no_file_under_the_data_dir_after_a_scenario() {
    let env = Env::new();
    env.init();
    env.admin(
        &["user", "add", "dr.grey", "--role", "physician"],
        "first password 1\n",
    );
    let mut c = env.iris(&["--as", "dr.grey", "user", "passwd"]);
    c.env("IRIS_PASSWORD", "first password 1");
    assert!(env.run(c, "chosen password 1\n").status.success());

    // 25 synthetic patients (the generator's Synthea-style bundles), imported by the
    // administrator through the CLI with trace logging.
    const SEED: u64 = 25;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let bundles = env.path("bundles");
    std::fs::create_dir_all(&bundles).unwrap();
    for (i, b) in iris_fhir::synthetic::population(25, SEED, now).enumerate() {
        std::fs::write(
            bundles.join(format!("p{i}.json")),
            iris_fhir::synthetic::bundle_string(&b),
        )
        .unwrap();
    }
    let o = env.run(
        env.iris(&[
            "--as",
            "root",
            "--set",
            "log_level=trace",
            "import",
            bundles.to_str().unwrap(),
        ]),
        "admin password 1\n",
    );
    assert!(o.status.success(), "{}", err(&o));
    std::fs::remove_dir_all(&bundles).unwrap();
    let mut secrets: Vec<String> = (0..25)
        .flat_map(|i| iris_fhir::synthetic::identity(SEED, i).0.strings())
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use iris_record::{NoteContent, NoteKind};
        use iris_vault::{Lockout, Unlock, Vault};
        let v = Vault::open(
            &env.data(),
            &Unlock::Passphrase(PASSPHRASE.into()),
            Lockout::default(),
        )
        .await
        .unwrap();
        let doc = v.login("dr.grey", "chosen password 1", now).await.unwrap();
        let patients = v.list_patients(&doc, 100, 0, now).await.unwrap();
        assert_eq!(patients.len(), 25);
        for (id, p) in &patients {
            secrets.push(p.birth_date.clone());
            // A progress note that names the patient, as real notes do.
            let note = NoteContent {
                kind: NoteKind::Progress,
                title: "Clinic follow-up".into(),
                text: format!(
                    "{} {} seen for follow-up. Reachable at {}. No acute distress.",
                    p.given.join(" "),
                    p.family,
                    p.phone.as_deref().unwrap_or("-")
                ),
                soap: None,
            };
            secrets.push(note.text.clone());
            let n = v.create_note(&doc, id, None, &note, now).await.unwrap();
            v.sign_note(&doc, &n, now).await.unwrap();
            v.open_chart(&doc, id, now).await.unwrap();
        }
        assert!(
            !v.search_patients(&doc, &patients[4].1.family[..4], 50, now)
                .await
                .unwrap()
                .is_empty()
        );
        v.close().await;
    });

    let traced = |args: &[&str], stdin: &str| {
        let mut a = vec!["--as", "root", "--set", "log_level=trace"];
        a.extend_from_slice(args);
        env.run(env.iris(&a), &format!("admin password 1\n{stdin}"))
    };
    let backup = env.data().join("backups");
    std::fs::create_dir_all(&backup).unwrap();
    let backup = backup.join("scenario.irisbak");
    for args in [
        vec!["audit", "list", "--json"],
        vec!["audit", "verify"],
        vec!["backup", "--out", backup.to_str().unwrap()],
        vec!["vault", "reencrypt", "--batches", "1"],
        vec!["vault", "reencrypt"],
        vec!["user", "list"],
    ] {
        let o = traced(&args, "");
        assert!(o.status.success(), "{args:?}: {}", err(&o));
        let text = out(&o);
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{args:?} printed an identifier");
        }
    }
    // Failed sign-ins and a wrong passphrase log errors too.
    let mut c = env.iris(&[
        "--as",
        "dr.grey",
        "--set",
        "log_level=trace",
        "user",
        "list",
    ]);
    c.env("IRIS_PASSPHRASE", "not the passphrase at all");
    env.run(c, "chosen password 1\n");
    env.run(
        env.iris(&[
            "--as",
            "dr.grey",
            "--set",
            "log_level=trace",
            "user",
            "list",
        ]),
        "wrong password!!\n",
    );
    // Restore into a second data dir under the same root, scanned too.
    let mut c = env.iris(&[
        "--set",
        "log_level=trace",
        "restore",
        backup.to_str().unwrap(),
    ]);
    c.env("IRIS_DATA_DIR", env.path("restored"));
    let o = env.run(c, "");
    assert!(o.status.success(), "{}", err(&o));

    let mut scanned = 0;
    let mut kinds = std::collections::BTreeSet::new();
    for root in [env.data(), env.path("restored")] {
        for f in files(&root) {
            let bytes = std::fs::read(&f).unwrap();
            for s in &secrets {
                assert!(
                    !contains(&bytes, s.as_bytes()),
                    "an identifier is in clear in {}",
                    f.display()
                );
            }
            scanned += 1;
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            kinds.insert(if name.starts_with("iris-cli") {
                "log".to_string()
            } else {
                name
            });
        }
    }
    for expected in ["vault.sqlite", "log", "scenario.irisbak"] {
        assert!(
            kinds.contains(expected),
            "the scan must cover {expected}: saw {kinds:?}"
        );
    }
    let logs: u64 = files(&env.data().join("logs"))
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    assert!(
        logs > 10_000,
        "trace logging wrote only {logs} bytes: the scan would prove little"
    );
    assert!(scanned >= 4);
}
