//! Crash safety: a writer is killed with SIGKILL at a random moment, 50 times. After each kill
//! the database passes `PRAGMA integrity_check`, the audit chain verifies, and every write the
//! writer reported as committed is there and decrypts.
//!
//! The writer is this test binary re-run in child mode (`IRIS_TEST_CRASH_CHILD=<dir>`): it
//! opens the vault, then creates and updates patients in a loop, printing `committed <id>` to
//! stdout only after each commit returned.

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use iris_record::PatientRecord;
use iris_record::Sex;
use iris_vault::{InitArgs, Lockout, Role, Unlock, Vault, Verdict};

const CHILD: &str = "IRIS_TEST_CRASH_CHILD";
const PASS: &str = "crash test passphrase";
const T0: i64 = 1_795_000_000_000;
const TRIALS: usize = 50;

fn patient(i: u64) -> PatientRecord {
    PatientRecord {
        family: format!("Crashworth{i}"),
        given: vec![format!("Kim{i}")],
        birth_date: format!("19{:02}-03-04", 30 + i % 70),
        sex: Sex::Other,
        mrn: format!("CR{i}"),
        address: None,
        phone: Some(format!("555-01{:02}-{:04}", i % 100, i % 10_000)),
        email: None,
        pregnancy: None,
    }
}

fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).unwrap();
    u64::from_le_bytes(b)
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn crash_writer_child() {
    let Some(dir) = std::env::var_os(CHILD) else {
        return; // only meaningful as the child of the trial below
    };
    rt().block_on(async {
        let v = Vault::open(
            std::path::Path::new(&dir),
            &Unlock::Passphrase(PASS.into()),
            Lockout::default(),
        )
        .await
        .unwrap();
        let doc = v.login("dr.crash", "chosen password 1", T0).await.unwrap();
        println!("ready");
        let mut i = random_u64() % 1_000_000;
        loop {
            i += 1;
            let id = v.create_patient(&doc, &patient(i), T0).await.unwrap();
            println!("committed {id} {i}");
            v.update_patient(&doc, &id, &patient(i + 7), T0)
                .await
                .unwrap();
            println!("updated {id} {}", i + 7);
        }
    });
}

#[test]
fn fifty_kill_9_trials_lose_nothing_committed_and_keep_the_chain_valid() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let rt = rt();
    rt.block_on(async {
        let (v, _) = Vault::init(
            dir.path(),
            InitArgs {
                admin: "admin",
                admin_password: "admin password 1",
                unlock: Unlock::Passphrase(PASS.into()),
                now: T0,
            },
        )
        .await
        .unwrap();
        let admin = v.login("admin", "admin password 1", T0).await.unwrap();
        v.add_user(
            &admin,
            "dr.crash",
            Role::Physician,
            "initial password 1",
            T0,
        )
        .await
        .unwrap();
        v.change_password("dr.crash", "initial password 1", "chosen password 1", T0)
            .await
            .unwrap();
        v.close().await;
    });
    let exe = std::env::current_exe().unwrap();
    let logs = tempfile::tempdir().unwrap();
    let mut expected: Vec<(String, u64)> = Vec::new();
    let mut killed_mid_write = 0;
    for trial in 0..TRIALS {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash_writer_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, dir.path())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(logs.path().join("stderr")).unwrap())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Wait until the writer is writing, then kill it 0–120 ms later.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| {
                    panic!(
                        "the writer did not become ready; its stderr:\n{}",
                        std::fs::read_to_string(logs.path().join("stderr")).unwrap_or_default()
                    )
                });
            // libtest may print "test crash_writer_child ... " on the same line first.
            if line.ends_with("ready") {
                break;
            }
        }
        std::thread::sleep(Duration::from_micros(random_u64() % 120_000));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();
        let mut last_update: std::collections::HashMap<String, u64> = Default::default();
        let mut lines = 0;
        for line in rx.try_iter() {
            lines += 1;
            let parts: Vec<&str> = line
                .split(' ')
                .rev()
                .take(3)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if let ["committed" | "updated", id, i] = parts.as_slice() {
                last_update.insert(id.to_string(), i.parse().unwrap());
            }
        }
        if lines > 0 {
            killed_mid_write += 1;
        }
        // Every reported write is present, at least as new as reported.
        rt.block_on(async {
            let v = Vault::open(
                dir.path(),
                &Unlock::Passphrase(PASS.into()),
                Lockout::default(),
            )
            .await
            .unwrap();
            let check: String = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(v.pool())
                .await
                .unwrap();
            assert_eq!(check, "ok", "trial {trial}");
            assert!(
                matches!(v.verify_chain(None).await.unwrap(), Verdict::Intact { .. }),
                "trial {trial}: chain broken"
            );
            let doc = v.login("dr.crash", "chosen password 1", T0).await.unwrap();
            for (id, i) in &last_update {
                let p = v.get_patient(&doc, id, T0).await.unwrap();
                // The kill may land after the update committed but before it was printed.
                assert!(
                    p == patient(*i) || p == patient(*i + 7),
                    "trial {trial}: patient {id} is not what was committed"
                );
            }
            for (id, _) in &expected {
                v.get_patient(&doc, id, T0).await.unwrap();
            }
            v.close().await;
        });
        expected.extend(last_update);
    }
    assert!(
        killed_mid_write >= TRIALS * 9 / 10,
        "only {killed_mid_write} of {TRIALS} kills landed while writing"
    );
    assert!(expected.len() > TRIALS, "too few writes to mean anything");
}
