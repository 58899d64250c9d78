//! The vault end to end on a real SQLite file: keys, roles, lockout, break-glass, search,
//! audit tamper detection and the PHI-at-rest scan.

use std::path::Path;

use iris_record::Sex;
use iris_record::{Address, PatientRecord};
use iris_vault::{Actor, AuditFilter, InitArgs, Lockout, Role, Unlock, Vault, VaultError, Verdict};
use proptest::prelude::*;

const T0: i64 = 1_795_000_000_000; // 2026-11-18
const MIN: i64 = 60_000;
const PASS: &str = "vault passphrase for tests";

struct Fx {
    dir: tempfile::TempDir,
    vault: Vault,
    admin: Actor,
    doc: Actor,
    nurse: Actor,
    analyst: Actor,
}

async fn user(v: &Vault, admin: &Actor, name: &str, role: Role) -> Actor {
    v.add_user(admin, name, role, "initial password 1", T0)
        .await
        .unwrap();
    v.change_password(name, "initial password 1", "chosen password 1", T0)
        .await
        .unwrap()
}

async fn fixture() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _rk) = Vault::init(
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
    let admin = vault.login("admin", "admin password 1", T0).await.unwrap();
    let doc = user(&vault, &admin, "dr.grey", Role::Physician).await;
    let nurse = user(&vault, &admin, "n.joy", Role::Nurse).await;
    let analyst = user(&vault, &admin, "a.lytic", Role::Analyst).await;
    Fx {
        dir,
        vault,
        admin,
        doc,
        nurse,
        analyst,
    }
}

/// Synthea-style identities: Synthea appends digits to generated names ("Ana761 Smith204"),
/// uses 555 phone numbers, 999- social security numbers and UUID medical record numbers.
fn synthea_patient(i: u32) -> PatientRecord {
    let given = [
        "Ana", "Bruno", "Chiara", "Dmitri", "Elif", "Farah", "Goran", "Hana",
    ];
    let family = [
        "Smith",
        "Okafor",
        "Lindqvist",
        "Tanaka",
        "Moreau",
        "Quispe",
        "Novak",
        "Haddad",
    ];
    let k = (i as usize) % 8;
    PatientRecord {
        family: format!("{}{}", family[k], 100 + i * 7),
        given: vec![format!("{}{}", given[k], 300 + i * 13)],
        birth_date: format!("19{:02}-0{}-1{}", 40 + i % 60, 1 + i % 9, i % 10),
        sex: if i.is_multiple_of(2) {
            Sex::Female
        } else {
            Sex::Male
        },
        mrn: format!("SYN{:05}X{}", 31_337 + i * 11, i),
        address: Some(Address {
            lines: vec![format!("{} Quarry Lane Apt {}", 700 + i, i + 2)],
            city: "Marblehead".into(),
            state: "MA".into(),
            postal_code: format!("019{:02}", 40 + i % 50),
            country: "US".into(),
        }),
        phone: Some(format!("555-{:03}-{:04}", 200 + i, 4_000 + i * 3)),
        email: Some(format!(
            "{}{}.{}@example.org",
            given[k].to_lowercase(),
            300 + i * 13,
            i
        )),
        pregnancy: None,
    }
}

fn phi_strings(p: &PatientRecord) -> Vec<String> {
    let a = p.address.as_ref().unwrap();
    vec![
        p.family.clone(),
        p.given[0].clone(),
        p.mrn.clone(),
        p.phone.clone().unwrap(),
        p.email.clone().unwrap(),
        a.lines[0].clone(),
        p.birth_date.clone(),
    ]
}

/// Every file under `dir`, recursively, with its bytes.
fn all_files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn phi_never_reaches_the_disk_in_clear() {
    let fx = fixture().await;
    let mut secrets = Vec::new();
    for i in 0..24 {
        let p = synthea_patient(i);
        secrets.extend(phi_strings(&p));
        let id = fx.vault.create_patient(&fx.doc, &p, T0).await.unwrap();
        assert_eq!(fx.vault.get_patient(&fx.nurse, &id, T0).await.unwrap(), p);
    }
    let found = fx
        .vault
        .search_patients(&fx.doc, "smi", 50, T0)
        .await
        .unwrap();
    assert_eq!(found.len(), 3);
    // While open (WAL and shared memory present) and after closing (checkpointed).
    let dir = fx.dir;
    let scan = |when: &str| {
        let files = all_files(dir.path());
        assert!(files.iter().any(|(p, _)| p.ends_with("vault.sqlite")));
        for (path, bytes) in &files {
            for s in &secrets {
                assert!(
                    !contains(bytes, s.as_bytes()),
                    "{when}: a patient identifier is in clear in {}",
                    path.display()
                );
            }
        }
        files.len()
    };
    assert!(scan("open") >= 2, "expected the WAL beside the database");
    fx.vault.close().await;
    scan("closed");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("vault.sqlite"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "vault.sqlite must be owner-only");
    }
}

#[tokio::test]
async fn a_ciphertext_copied_to_another_row_fails_with_an_integrity_error() {
    let fx = fixture().await;
    let a = fx
        .vault
        .create_patient(&fx.doc, &synthea_patient(1), T0)
        .await
        .unwrap();
    let b = fx
        .vault
        .create_patient(&fx.doc, &synthea_patient(2), T0)
        .await
        .unwrap();
    sqlx::query("UPDATE patients SET name = (SELECT name FROM patients WHERE id = ?) WHERE id = ?")
        .bind(&a)
        .bind(&b)
        .execute(fx.vault.pool())
        .await
        .unwrap();
    let e = fx.vault.get_patient(&fx.doc, &b, T0).await.unwrap_err();
    assert!(matches!(e, VaultError::Integrity), "{e:?}");
    // The untouched row still reads.
    fx.vault.get_patient(&fx.doc, &a, T0).await.unwrap();
}

#[tokio::test]
async fn a_wrong_passphrase_is_a_clear_error_and_modifies_nothing_and_recovery_opens() {
    let dir = tempfile::tempdir().unwrap();
    let (v, rk) = Vault::init(
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
    v.close().await;
    let before = all_files(dir.path());
    let e = Vault::open(
        dir.path(),
        &Unlock::Passphrase("not the vault passphrase".into()),
        Lockout::default(),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, VaultError::WrongKey), "{e:?}");
    assert!(
        e.to_string()
            .contains("not the one this vault was sealed with")
    );
    let e = Vault::open(
        dir.path(),
        &Unlock::Recovery(iris_vault::RecoveryKey::generate().display()),
        Lockout::default(),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, VaultError::WrongKey), "{e:?}");
    // Opening a WAL database may leave an empty -wal/-shm beside it; no byte of data changes.
    let after = all_files(dir.path());
    for (path, bytes) in &after {
        match before.iter().find(|(p, _)| p == path) {
            Some((_, old)) => assert!(old == bytes, "{} changed", path.display()),
            None => assert!(
                path.to_string_lossy().ends_with("-shm") || bytes.is_empty(),
                "{} appeared with content",
                path.display()
            ),
        }
    }
    // The recovery key shown at init opens the same vault.
    let v = Vault::open(
        dir.path(),
        &Unlock::Recovery(rk.display()),
        Lockout::default(),
    )
    .await
    .unwrap();
    assert!(matches!(
        v.verify_chain(None).await.unwrap(),
        Verdict::Intact { .. }
    ));
    let _ = admin;
}

#[tokio::test]
async fn init_refuses_an_initialised_dir_and_bad_input_leaves_nothing() {
    let fx = fixture().await;
    let e = Vault::init(
        fx.dir.path(),
        InitArgs {
            admin: "other",
            admin_password: "admin password 1",
            unlock: Unlock::Passphrase(PASS.into()),
            now: T0,
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(e, VaultError::AlreadyInitialized));
    let empty = tempfile::tempdir().unwrap();
    let e = Vault::init(
        empty.path(),
        InitArgs {
            admin: "Admin User",
            admin_password: "admin password 1",
            unlock: Unlock::Passphrase(PASS.into()),
            now: T0,
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(e, VaultError::Invalid(_)));
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn five_failures_lock_the_account_for_fifteen_minutes_and_a_success_resets_the_count() {
    let fx = fixture().await;
    let v = &fx.vault;
    for _ in 0..4 {
        assert!(matches!(
            v.login("dr.grey", "wrong password!", T0).await,
            Err(VaultError::BadCredentials)
        ));
    }
    // The fifth attempt is correct: the count resets.
    v.login("dr.grey", "chosen password 1", T0).await.unwrap();
    for _ in 0..4 {
        assert!(v.login("dr.grey", "wrong password!", T0).await.is_err());
    }
    v.login("dr.grey", "chosen password 1", T0).await.unwrap();
    for _ in 0..5 {
        assert!(matches!(
            v.login("dr.grey", "wrong password!", T0).await,
            Err(VaultError::BadCredentials)
        ));
    }
    // Locked: even the right password is refused, with the remaining wait.
    let e = v
        .login("dr.grey", "chosen password 1", T0 + MIN)
        .await
        .unwrap_err();
    assert!(matches!(e, VaultError::LockedOut { minutes: 14 }), "{e:?}");
    let e = v
        .login("dr.grey", "chosen password 1", T0 + 14 * MIN + 1)
        .await
        .unwrap_err();
    assert!(matches!(e, VaultError::LockedOut { minutes: 1 }), "{e:?}");
    v.login("dr.grey", "chosen password 1", T0 + 15 * MIN)
        .await
        .unwrap();
    // An admin can clear a lockout early.
    for _ in 0..5 {
        let _ = v.login("n.joy", "wrong password!", T0).await;
    }
    assert!(matches!(
        v.login("n.joy", "chosen password 1", T0).await,
        Err(VaultError::LockedOut { .. })
    ));
    v.unlock_user(&fx.admin, "n.joy", T0).await.unwrap();
    v.login("n.joy", "chosen password 1", T0).await.unwrap();
    // Every attempt is in the audit log.
    let log = v
        .audit_list(&fx.admin, &AuditFilter::User("dr.grey".into()), T0)
        .await
        .unwrap();
    let failed = log
        .iter()
        .filter(|e| e.action == "login" && e.outcome == "failed")
        .count();
    assert_eq!(failed, 13);
    assert_eq!(log.iter().filter(|e| e.action == "user.lockout").count(), 1);
}

#[tokio::test]
async fn lockout_thresholds_come_from_policy() {
    let fx = fixture().await;
    let v = Vault::open(
        fx.dir.path(),
        &Unlock::Passphrase(PASS.into()),
        Lockout {
            max_failures: 2,
            minutes: 60,
        },
    )
    .await
    .unwrap();
    for _ in 0..2 {
        let _ = v.login("dr.grey", "wrong password!", T0).await;
    }
    let e = v
        .login("dr.grey", "chosen password 1", T0 + MIN)
        .await
        .unwrap_err();
    assert!(matches!(e, VaultError::LockedOut { minutes: 59 }), "{e:?}");
}

#[tokio::test]
async fn disabled_users_and_first_login_password_change() {
    let fx = fixture().await;
    let v = &fx.vault;
    v.set_disabled(&fx.admin, "dr.grey", true, T0)
        .await
        .unwrap();
    assert!(matches!(
        v.login("dr.grey", "chosen password 1", T0).await,
        Err(VaultError::Disabled)
    ));
    v.set_disabled(&fx.admin, "dr.grey", false, T0)
        .await
        .unwrap();
    v.login("dr.grey", "chosen password 1", T0).await.unwrap();
    // A new account must change its initial password before doing anything.
    v.add_user(
        &fx.admin,
        "dr.new",
        Role::Physician,
        "initial password 1",
        T0,
    )
    .await
    .unwrap();
    let fresh = v.login("dr.new", "initial password 1", T0).await.unwrap();
    assert!(fresh.must_change_password);
    let e = v
        .create_patient(&fresh, &synthea_patient(1), T0)
        .await
        .unwrap_err();
    assert!(matches!(e, VaultError::PasswordChangeRequired));
    // Only admins manage users.
    let e = v
        .add_user(&fx.doc, "x.y", Role::Admin, "initial password 1", T0)
        .await
        .unwrap_err();
    assert!(matches!(e, VaultError::Forbidden { .. }));
}

#[tokio::test]
async fn each_role_is_denied_what_it_may_not_do_and_denials_are_audited() {
    let fx = fixture().await;
    let v = &fx.vault;
    let id = v
        .create_patient(&fx.doc, &synthea_patient(3), T0)
        .await
        .unwrap();
    // Nurse: reads, but does not create or edit patients.
    v.get_patient(&fx.nurse, &id, T0).await.unwrap();
    assert!(matches!(
        v.create_patient(&fx.nurse, &synthea_patient(4), T0).await,
        Err(VaultError::Forbidden { role: "nurse", .. })
    ));
    assert!(matches!(
        v.update_patient(&fx.nurse, &id, &synthea_patient(4), T0)
            .await,
        Err(VaultError::Forbidden { role: "nurse", .. })
    ));
    // Analyst: no chart access at all, and no break-glass.
    assert!(matches!(
        v.get_patient(&fx.analyst, &id, T0).await,
        Err(VaultError::Forbidden {
            role: "analyst",
            ..
        })
    ));
    assert!(matches!(
        v.search_patients(&fx.analyst, "smi", 10, T0).await,
        Err(VaultError::Forbidden { .. })
    ));
    assert!(
        v.break_glass(&fx.analyst, &id, "emergency, patient unresponsive", 30, T0)
            .await
            .is_err()
    );
    // Admin: runs the system, does not read charts by role.
    assert!(matches!(
        v.get_patient(&fx.admin, &id, T0).await,
        Err(VaultError::Forbidden { role: "admin", .. })
    ));
    // Clinicians cannot read the audit log.
    assert!(matches!(
        v.audit_list(&fx.doc, &AuditFilter::All, T0).await,
        Err(VaultError::Forbidden { .. })
    ));
    let denied = v
        .audit_list(&fx.admin, &AuditFilter::All, T0)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "access.denied")
        .count();
    assert_eq!(denied, 6);
}

#[tokio::test]
async fn break_glass_needs_a_reason_is_flagged_and_expires() {
    let fx = fixture().await;
    let v = &fx.vault;
    let id = v
        .create_patient(&fx.doc, &synthea_patient(5), T0)
        .await
        .unwrap();
    assert!(matches!(
        v.break_glass(&fx.admin, &id, "  ", 30, T0).await,
        Err(VaultError::Invalid(_))
    ));
    let until = v
        .break_glass(
            &fx.admin,
            &id,
            "ED physician unavailable, cardiac arrest",
            30,
            T0,
        )
        .await
        .unwrap();
    assert_eq!(until, T0 + 30 * MIN);
    v.get_patient(&fx.admin, &id, T0 + 29 * MIN).await.unwrap();
    let e = v
        .get_patient(&fx.admin, &id, T0 + 30 * MIN)
        .await
        .unwrap_err();
    assert!(matches!(e, VaultError::Forbidden { .. }));
    // The grant does not extend to other patients.
    let other = v
        .create_patient(&fx.doc, &synthea_patient(6), T0)
        .await
        .unwrap();
    assert!(v.get_patient(&fx.admin, &other, T0 + MIN).await.is_err());
    let log = v
        .audit_list(&fx.admin, &AuditFilter::Patient(id.clone()), T0)
        .await
        .unwrap();
    assert!(log.iter().any(|e| e.action == "break_glass"));
    assert!(log.iter().any(|e| {
        e.action == "patient.read"
            && e.detail
                .as_deref()
                .unwrap_or("")
                .starts_with("break_glass=")
    }));
    // The reason is sealed: it is nowhere in the file in clear.
    let raw = std::fs::read(fx.dir.path().join("vault.sqlite")).unwrap();
    let wal = std::fs::read(fx.dir.path().join("vault.sqlite-wal")).unwrap_or_default();
    for bytes in [raw, wal] {
        assert!(!contains(&bytes, b"cardiac arrest"));
    }
}

#[tokio::test]
async fn prefix_search_finds_patients_without_decrypting_the_table() {
    let fx = fixture().await;
    let v = &fx.vault;
    for i in 0..16 {
        v.create_patient(&fx.doc, &synthea_patient(i), T0)
            .await
            .unwrap();
    }
    let p0 = synthea_patient(0);
    let names =
        |r: Vec<(String, PatientRecord)>| r.into_iter().map(|(_, p)| p.family).collect::<Vec<_>>();
    // "smi" finds both Smiths (i = 0 and 8), and only them.
    let found = names(v.search_patients(&fx.doc, "smi", 50, T0).await.unwrap());
    assert_eq!(found, vec!["Smith100".to_string(), "Smith156".to_string()]);
    // Case and accents do not matter; two words must both match.
    let found = names(
        v.search_patients(&fx.doc, &format!("SMITH100 {}", &p0.given[0][..3]), 50, T0)
            .await
            .unwrap(),
    );
    assert_eq!(found, vec!["Smith100".to_string()]);
    assert_eq!(
        names(
            v.search_patients(&fx.doc, &p0.mrn.to_lowercase(), 50, T0)
                .await
                .unwrap()
        ),
        vec!["Smith100".to_string()]
    );
    assert_eq!(
        names(
            v.search_patients(&fx.doc, &p0.birth_date, 50, T0)
                .await
                .unwrap()
        )
        .len(),
        1
    );
    assert!(
        v.search_patients(&fx.doc, "zzz", 50, T0)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        v.search_patients(&fx.doc, "s", 50, T0).await,
        Err(VaultError::Invalid(_))
    ));
}

#[tokio::test]
async fn invalid_records_are_rejected_with_field_errors_and_nothing_is_written() {
    let fx = fixture().await;
    let v = &fx.vault;
    let mut p = synthea_patient(1);
    p.birth_date = "2999-01-01".into();
    p.phone = Some("12".into());
    let e = v.create_patient(&fx.doc, &p, T0).await.unwrap_err();
    let VaultError::Invalid(fields) = e else {
        panic!("{e:?}")
    };
    let f: Vec<_> = fields
        .iter()
        .map(|f| (f.field.as_str(), f.rule.as_str()))
        .collect();
    assert_eq!(
        f,
        vec![("birth_date", "not_in_future"), ("phone", "phone_format")]
    );
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM patients")
        .fetch_one(v.pool())
        .await
        .unwrap();
    assert_eq!(n, 0);
}

// ----- audit -----------------------------------------------------------------------------

async fn populated() -> Fx {
    let fx = fixture().await;
    for i in 0..4 {
        let id = fx
            .vault
            .create_patient(&fx.doc, &synthea_patient(i), T0)
            .await
            .unwrap();
        fx.vault.get_patient(&fx.nurse, &id, T0).await.unwrap();
    }
    fx
}

async fn exec(v: &Vault, sql: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(v.pool())
        .await
        .unwrap();
}

async fn verdict(v: &Vault) -> Verdict {
    v.verify_chain(None).await.unwrap()
}

#[tokio::test]
async fn an_intact_chain_verifies() {
    let fx = populated().await;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM audit")
        .fetch_one(fx.vault.pool())
        .await
        .unwrap();
    assert!(n > 15);
    assert_eq!(
        fx.vault.audit_verify(&fx.admin, None, T0).await.unwrap(),
        Verdict::Intact {
            entries: n,
            head_seq: n
        }
    );
}

#[tokio::test]
async fn an_edited_entry_is_found() {
    let fx = populated().await;
    exec(
        &fx.vault,
        "UPDATE audit SET user_name = 'someone.else' WHERE seq = 12",
    )
    .await;
    assert!(matches!(
        verdict(&fx.vault).await,
        Verdict::Tampered {
            first_bad_seq: 12,
            ..
        }
    ));
}

#[tokio::test]
async fn an_edited_entry_with_recomputed_hashes_is_still_found() {
    let fx = populated().await;
    let v = &fx.vault;
    exec(v, "UPDATE audit SET count = 0 WHERE seq = 10").await;
    // Rehash the chain from 10 on, as an attacker with SQL access but no signing key could.
    let mut entries = sqlx::query("SELECT * FROM audit ORDER BY seq")
        .fetch_all(v.pool())
        .await
        .unwrap();
    let mut prev: Vec<u8> = Vec::new();
    for (i, r) in entries.drain(..).enumerate() {
        use sqlx::Row;
        let mut e = iris_vault::AuditEntry {
            seq: r.get("seq"),
            at: r.get("at"),
            user: r.get("user_name"),
            role: r.get("role"),
            action: r.get("action"),
            patient: r.get("patient"),
            outcome: r.get("outcome"),
            count: r.get("count"),
            detail: r.get("detail"),
            prev_hash: r.get("prev_hash"),
            hash: r.get("hash"),
        };
        if i > 0 {
            e.prev_hash = prev.clone();
        }
        e.hash = e.compute_hash().to_vec();
        sqlx::query("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?")
            .bind(&e.prev_hash)
            .bind(&e.hash)
            .bind(e.seq)
            .execute(v.pool())
            .await
            .unwrap();
        prev = e.hash;
    }
    assert!(matches!(verdict(v).await, Verdict::Tampered { .. }));
}

#[tokio::test]
async fn a_deleted_entry_is_found() {
    let fx = populated().await;
    exec(&fx.vault, "DELETE FROM audit WHERE seq = 7").await;
    assert!(matches!(
        verdict(&fx.vault).await,
        Verdict::Tampered {
            first_bad_seq: 7,
            ..
        }
    ));
}

#[tokio::test]
async fn reordered_entries_are_found() {
    let fx = populated().await;
    // Swap the contents of 8 and 9, keeping their sequence numbers in place.
    exec(&fx.vault, "UPDATE audit SET seq = -8 WHERE seq = 8").await;
    exec(&fx.vault, "UPDATE audit SET seq = 8 WHERE seq = 9").await;
    exec(&fx.vault, "UPDATE audit SET seq = 9 WHERE seq = -8").await;
    assert!(matches!(
        verdict(&fx.vault).await,
        Verdict::Tampered {
            first_bad_seq: 8,
            ..
        }
    ));
}

#[tokio::test]
async fn an_inserted_entry_is_found() {
    let fx = populated().await;
    let v = &fx.vault;
    // A well-formed entry appended after the signed head, with a correct hash link.
    let last: (i64, Vec<u8>) =
        sqlx::query_as("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
            .fetch_one(v.pool())
            .await
            .unwrap();
    let mut e = iris_vault::AuditEntry {
        seq: last.0 + 1,
        at: T0,
        user: "dr.grey".into(),
        role: "physician".into(),
        action: "patient.read".into(),
        patient: None,
        outcome: "ok".into(),
        count: 1,
        detail: None,
        prev_hash: last.1,
        hash: vec![],
    };
    e.hash = e.compute_hash().to_vec();
    sqlx::query("INSERT INTO audit (seq, at, user_name, role, action, patient, outcome, count, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
        .bind(e.seq).bind(e.at).bind(&e.user).bind(&e.role).bind(&e.action).bind(&e.patient)
        .bind(&e.outcome).bind(e.count).bind(&e.detail).bind(&e.prev_hash).bind(&e.hash)
        .execute(v.pool()).await.unwrap();
    assert_eq!(
        verdict(v).await,
        Verdict::Tampered {
            first_bad_seq: last.0 + 1,
            why: "entries after the signed head were added without the key"
        }
    );
    // One inserted in the middle (renumbering what follows) breaks the link there.
    let fx = populated().await;
    exec(
        &fx.vault,
        "UPDATE audit SET seq = seq + 1000 WHERE seq >= 5",
    )
    .await;
    exec(
        &fx.vault,
        "UPDATE audit SET seq = seq - 999 WHERE seq >= 1005",
    )
    .await;
    exec(&fx.vault, "INSERT INTO audit SELECT 5, at, user_name, role, action, patient, outcome, count, detail, prev_hash, hash FROM audit WHERE seq = 4").await;
    assert!(matches!(
        verdict(&fx.vault).await,
        Verdict::Tampered {
            first_bad_seq: 5,
            ..
        }
    ));
}

#[tokio::test]
async fn truncation_is_found_even_with_an_old_signed_head_restored_given_an_exported_head() {
    let fx = populated().await;
    let v = &fx.vault;
    // Keep an old (validly signed) head as an attacker could, then let the log grow.
    let old: (i64, Vec<u8>, Vec<u8>) =
        sqlx::query_as("SELECT head_seq, head_hash, head_sig FROM vault_meta")
            .fetch_one(v.pool())
            .await
            .unwrap();
    let exported = v.audit_head(&fx.admin, T0).await.unwrap();
    assert!(exported.seq > old.0);
    for i in 10..12 {
        v.create_patient(&fx.doc, &synthea_patient(i), T0)
            .await
            .unwrap();
    }
    assert!(matches!(
        v.verify_chain(Some(&exported)).await.unwrap(),
        Verdict::Intact { .. }
    ));
    // Plain truncation: the stored head no longer matches.
    exec(
        v,
        &format!("DELETE FROM audit WHERE seq > {}", exported.seq + 1),
    )
    .await;
    assert!(matches!(verdict(v).await, Verdict::Tampered { .. }));
    // Truncate to before the exported head and restore the old signed head.
    exec(v, &format!("DELETE FROM audit WHERE seq > {}", old.0)).await;
    sqlx::query("UPDATE vault_meta SET head_seq = ?, head_hash = ?, head_sig = ?")
        .bind(old.0)
        .bind(&old.1)
        .bind(&old.2)
        .execute(v.pool())
        .await
        .unwrap();
    assert!(
        matches!(verdict(v).await, Verdict::Intact { .. }),
        "undetectable without an exported head"
    );
    assert_eq!(
        v.verify_chain(Some(&exported)).await.unwrap(),
        Verdict::Tampered {
            first_bad_seq: old.0 + 1,
            why: "entries recorded in the exported head are missing (truncated)"
        }
    );
}

#[derive(Debug, Clone)]
enum Op {
    Create(u32),
    Read(usize),
    Update(usize, u32),
    Search(u32),
    Denied,
    FailedLogin,
    BreakGlass(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u32..50).prop_map(Op::Create),
        (0usize..8).prop_map(Op::Read),
        ((0usize..8), (0u32..50)).prop_map(|(a, b)| Op::Update(a, b)),
        (0u32..8).prop_map(Op::Search),
        Just(Op::Denied),
        Just(Op::FailedLogin),
        (0usize..8).prop_map(Op::BreakGlass),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    #[test]
    fn any_sequence_of_operations_keeps_the_chain_valid(ops in proptest::collection::vec(op(), 1..14)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let fx = fixture().await;
            let v = &fx.vault;
            let mut ids: Vec<String> = Vec::new();
            for (t, op) in ops.iter().enumerate() {
                let now = T0 + t as i64 * MIN;
                let pick = |i: usize| ids.get(i % ids.len().max(1)).cloned();
                let _ = match op {
                    Op::Create(i) => v.create_patient(&fx.doc, &synthea_patient(*i), now).await.map(|id| ids.push(id)),
                    Op::Read(i) => match pick(*i) { Some(id) => v.get_patient(&fx.nurse, &id, now).await.map(drop), None => Ok(()) },
                    Op::Update(i, j) => match pick(*i) { Some(id) => v.update_patient(&fx.doc, &id, &synthea_patient(*j), now).await, None => Ok(()) },
                    Op::Search(i) => v.search_patients(&fx.doc, &synthea_patient(*i).family[..3], 10, now).await.map(drop),
                    Op::Denied => v.search_patients(&fx.analyst, "smi", 10, now).await.map(drop),
                    Op::FailedLogin => v.login("dr.grey", "wrong password!", now).await.map(drop),
                    Op::BreakGlass(i) => match pick(*i) { Some(id) => v.break_glass(&fx.nurse, &id, "covering for a colleague", 5, now).await.map(drop), None => Ok(()) },
                };
                prop_assert!(matches!(verdict(v).await, Verdict::Intact { .. }), "after {op:?}");
            }
            Ok(())
        })?;
    }
}

#[tokio::test]
async fn break_glass_grants_reading_and_bedside_records_but_not_chart_edits() {
    let fx = fixture().await;
    let v = &fx.vault;
    let id = v
        .create_patient(&fx.doc, &synthea_patient(7), T0)
        .await
        .unwrap();
    v.break_glass(
        &fx.admin,
        &id,
        "ED physician unavailable, cardiac arrest",
        30,
        T0,
    )
    .await
    .unwrap();
    v.get_patient(&fx.admin, &id, T0).await.unwrap();
    assert!(matches!(
        v.update_patient(&fx.admin, &id, &synthea_patient(8), T0)
            .await,
        Err(VaultError::Forbidden { .. })
    ));
}
