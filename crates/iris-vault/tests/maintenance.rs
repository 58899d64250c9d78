//! Re-encryption (resumable), online backup and restore.

use iris_record::{NoteContent, ObsValue, Observation, PatientRecord, Record};
use iris_record::{NoteKind, ObsCategory, ObservationStatus, Pregnancy, Sex};
use iris_vault::{Actor, InitArgs, Lockout, Role, Unlock, Vault, VaultError, Verdict};

const T0: i64 = 1_795_000_000_000;
const PASS: &str = "maintenance passphrase";

fn patient(i: u32) -> PatientRecord {
    PatientRecord {
        family: format!("Backupova{i}"),
        given: vec![format!("Vera{i}")],
        birth_date: "1977-09-10".into(),
        sex: Sex::Female,
        mrn: format!("BK{i:04}"),
        address: None,
        phone: Some(format!("555-777-{:04}", 1000 + i)),
        email: Some(format!("vera{i}@example.net")),
        pregnancy: Some(Pregnancy::NotPregnant),
    }
}

fn hr(i: i64) -> Record {
    Record::Observation(Observation {
        code: "8867-4".into(),
        display: "Heart rate".into(),
        status: ObservationStatus::Final,
        category: vec![ObsCategory::VitalSigns],
        value: Some(ObsValue::Quantity {
            value: 70.0 + (i % 20) as f64,
            unit: "/min".into(),
        }),
        data_absent: None,
        components: vec![],
        reference_low: None,
        reference_high: None,
        effective_at: T0 - i * 1000,
        interpretation: None,
    })
}

async fn setup(dir: &std::path::Path) -> (Vault, Actor, Actor, iris_vault::RecoveryKey) {
    let (v, rk) = Vault::init(
        dir,
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
    v.add_user(&admin, "dr.grey", Role::Physician, "initial password 1", T0)
        .await
        .unwrap();
    let doc = v
        .change_password("dr.grey", "initial password 1", "chosen password 1", T0)
        .await
        .unwrap();
    (v, admin, doc, rk)
}

async fn populate(v: &Vault, doc: &Actor, n: u32) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let id = v.create_patient(doc, &patient(i), T0).await.unwrap();
        v.add_records(doc, &id, (0..100).map(hr).collect(), T0)
            .await
            .unwrap();
        let note = v
            .create_note(
                doc,
                &id,
                None,
                &NoteContent {
                    kind: NoteKind::Progress,
                    title: "Visit".into(),
                    text: format!("Seen today ({i})."),
                    soap: None,
                },
                T0,
            )
            .await
            .unwrap();
        v.sign_note(doc, &note, T0).await.unwrap();
        v.add_addendum(doc, &note, "Addendum text.", T0)
            .await
            .unwrap();
        v.record_no_known_allergies(doc, &id, T0).await.unwrap();
        ids.push(id);
    }
    ids
}

#[tokio::test]
async fn reencryption_is_resumable_and_everything_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let (mut v, admin, doc, _) = setup(dir.path()).await;
    let ids = populate(&v, &doc, 6).await;
    // A break-glass grant holds a sealed reason in a table with integer ids.
    v.break_glass(&admin, &ids[0], "covering the ward overnight", 30, T0)
        .await
        .unwrap();
    let before: Vec<_> = {
        let mut c = Vec::new();
        for id in &ids {
            c.push(v.open_chart(&doc, id, T0).await.unwrap());
        }
        c
    };
    // Clinicians may not; admins may.
    assert!(matches!(
        v.reencrypt(&doc, None, T0).await,
        Err(VaultError::Forbidden { .. })
    ));
    // Interrupted after one batch: reads still work across both generations.
    let step = v.reencrypt(&admin, Some(1), T0).await.unwrap();
    assert_eq!((step.generation, step.rows), (2, 500));
    assert!(step.remaining > 0);
    // Writes during the re-encryption use the new key.
    let extra = v.create_patient(&doc, &patient(99), T0).await.unwrap();
    for (id, chart) in ids.iter().zip(&before) {
        assert_eq!(&v.open_chart(&doc, id, T0).await.unwrap(), chart);
    }
    v.close().await;
    // Resume in a new process (reopen), finish.
    let mut v = Vault::open(
        dir.path(),
        &Unlock::Passphrase(PASS.into()),
        Lockout::default(),
    )
    .await
    .unwrap();
    let admin = v.login("admin", "admin password 1", T0).await.unwrap();
    let done = v.reencrypt(&admin, None, T0).await.unwrap();
    assert_eq!(done.remaining, 0);
    assert_eq!(done.generation, 2);
    let behind: i64 =
        sqlx::query_scalar("SELECT count(*) FROM break_glass WHERE key_generation < 2")
            .fetch_one(v.pool())
            .await
            .unwrap();
    assert_eq!(behind, 0, "break-glass reasons are re-encrypted too");
    let gens: Vec<i64> = sqlx::query_scalar("SELECT generation FROM data_keys")
        .fetch_all(v.pool())
        .await
        .unwrap();
    assert_eq!(
        gens,
        vec![2],
        "the old data key is deleted once nothing uses it"
    );
    let doc = v.login("dr.grey", "chosen password 1", T0).await.unwrap();
    for (id, chart) in ids.iter().zip(&before) {
        assert_eq!(&v.open_chart(&doc, id, T0).await.unwrap(), chart);
    }
    v.get_patient(&doc, &extra, T0).await.unwrap();
    // Search still works (blind indexes are keyed by the master key, not the data key).
    assert_eq!(
        v.search_patients(&doc, "backupova3", 10, T0)
            .await
            .unwrap()
            .len(),
        1
    );
    // A second run starts generation 3.
    assert_eq!(v.reencrypt(&admin, None, T0).await.unwrap().generation, 3);
    assert!(matches!(
        v.verify_chain(None).await.unwrap(),
        Verdict::Intact { .. }
    ));
    let batches: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit WHERE action = 'key.reencrypt.batch'")
            .fetch_one(v.pool())
            .await
            .unwrap();
    assert!(batches >= 4, "one audit entry per batch");
}

fn files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
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

#[tokio::test]
async fn an_online_backup_restores_with_the_recovery_key_or_passphrase_and_holds_no_phi() {
    let dir = tempfile::tempdir().unwrap();
    let (v, admin, doc, rk) = setup(&dir.path().join("data")).await;
    let ids = populate(&v, &doc, 5).await;
    let chart = v.open_chart(&doc, &ids[2], T0).await.unwrap();
    // Online: the vault stays open and in use while the backup runs.
    let out = dir.path().join("backups/monday.irisbak");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    assert!(matches!(
        v.backup(&doc, &out, T0).await,
        Err(VaultError::Forbidden { .. })
    ));
    let writer = async {
        for i in 0..20 {
            v.add_record(&doc, &ids[0], hr(i), T0).await.unwrap();
        }
    };
    let (bytes, ()) = tokio::join!(v.backup(&admin, &out, T0), writer);
    let bytes = bytes.unwrap();
    assert!(bytes > 10_000);
    assert!(matches!(
        v.backup(&admin, &out, T0).await,
        Err(VaultError::Conflict(_))
    ));
    // Only the backup itself is left beside it, owner-only.
    assert_eq!(files(out.parent().unwrap()), vec![out.clone()]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let raw = std::fs::read(&out).unwrap();
    for p in (0..5).map(patient) {
        for s in [
            p.family.as_str(),
            p.mrn.as_str(),
            p.phone.as_deref().unwrap(),
            p.email.as_deref().unwrap(),
        ] {
            assert!(
                !raw.windows(s.len()).any(|w| w == s.as_bytes()),
                "PHI in the backup file"
            );
        }
    }
    assert!(
        !raw.windows(6).any(|w| w == b"SQLite"),
        "the snapshot is encrypted as a whole"
    );

    // Restore with the recovery key into an empty data dir.
    let r1 = dir.path().join("restored-1");
    let restored = Vault::restore(
        &out,
        &r1,
        &Unlock::Recovery(rk.display()),
        Lockout::default(),
        T0,
    )
    .await
    .unwrap();
    let d = restored
        .login("dr.grey", "chosen password 1", T0)
        .await
        .unwrap();
    assert_eq!(
        restored.open_chart(&d, &ids[2], T0).await.unwrap().records,
        chart.records
    );
    assert!(matches!(
        restored.verify_chain(None).await.unwrap(),
        Verdict::Intact { .. }
    ));
    restored.close().await;
    // ... and with the passphrase.
    let r2 = dir.path().join("restored-2");
    Vault::restore(
        &out,
        &r2,
        &Unlock::Passphrase(PASS.into()),
        Lockout::default(),
        T0,
    )
    .await
    .unwrap()
    .close()
    .await;
    // Not over an existing vault.
    assert!(matches!(
        Vault::restore(
            &out,
            &r2,
            &Unlock::Passphrase(PASS.into()),
            Lockout::default(),
            T0
        )
        .await,
        Err(VaultError::AlreadyInitialized)
    ));
}

#[tokio::test]
async fn a_wrong_key_or_an_altered_backup_restores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (v, admin, doc, _) = setup(&dir.path().join("data")).await;
    populate(&v, &doc, 2).await;
    let out = dir.path().join("b.irisbak");
    v.backup(&admin, &out, T0).await.unwrap();
    let target = dir.path().join("r");
    let e = Vault::restore(
        &out,
        &target,
        &Unlock::Passphrase("not the passphrase".into()),
        Lockout::default(),
        T0,
    )
    .await
    .unwrap_err();
    assert!(matches!(e, VaultError::WrongKey), "{e:?}");
    let e = Vault::restore(
        &out,
        &target,
        &Unlock::Recovery(iris_vault::RecoveryKey::generate().display()),
        Lockout::default(),
        T0,
    )
    .await
    .unwrap_err();
    assert!(matches!(e, VaultError::WrongKey), "{e:?}");
    let raw = std::fs::read(&out).unwrap();
    // A flipped byte in the middle, a truncated file, a dropped final chunk.
    let mut flipped = raw.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    let truncated = raw[..raw.len() - 100].to_vec();
    for (name, bytes) in [("flipped", flipped), ("truncated", truncated)] {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let e = Vault::restore(
            &p,
            &target,
            &Unlock::Passphrase(PASS.into()),
            Lockout::default(),
            T0,
        )
        .await
        .unwrap_err();
        assert!(matches!(e, VaultError::Integrity), "{name}: {e:?}");
    }
    assert!(!target.join("vault.sqlite").exists());
    assert!(
        std::fs::read_dir(&target).map(|d| d.count()).unwrap_or(0) == 0,
        "nothing left behind"
    );
    let p = dir.path().join("not-a-backup");
    std::fs::write(&p, b"hello").unwrap();
    assert!(matches!(
        Vault::restore(
            &p,
            &target,
            &Unlock::Passphrase(PASS.into()),
            Lockout::default(),
            T0
        )
        .await,
        Err(VaultError::Invalid(_))
    ));
}
