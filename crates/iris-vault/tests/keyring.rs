//! The OS keyring path against a real Secret Service (gnome-keyring on a private D-Bus
//! session bus), not only the passphrase fallback.
//!
//! The parent test starts `dbus-run-session` with an unlocked gnome-keyring-daemon whose
//! keyring files live in a temporary XDG_DATA_HOME, and re-runs this test binary inside it in
//! child mode; the child does the work. (The keyring crate binds to the session bus once per
//! process, so the bus must exist before the process starts.) Needs the apt packages
//! dbus-daemon and gnome-keyring, which `cargo xtask setup` installs.

use std::process::Command;

use iris_record::PatientRecord;
use iris_record::Sex;
use iris_vault::{InitArgs, Lockout, Role, Unlock, Vault, VaultError};

const CHILD: &str = "IRIS_TEST_KEYRING_CHILD";
const T0: i64 = 1_795_000_000_000;

#[test]
fn the_keyring_path_works_against_a_real_secret_service() {
    if std::env::var_os(CHILD).is_some() {
        return; // this process is the child; the work is in `keyring_child`
    }
    let xdg = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("dbus-run-session")
        .args([
            "--",
            "sh",
            "-c",
            "printf 'keyring test password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
             && exec \"$0\" --exact keyring_child --nocapture --test-threads=1",
        ])
        .arg(&exe)
        .env(CHILD, "1")
        .env("XDG_DATA_HOME", xdg.path())
        .env("HOME", xdg.path())
        .output()
        .expect("dbus-run-session (apt package dbus-daemon; `cargo xtask setup` installs it)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("test keyring_child ... ok"),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn keyring_child() {
    if std::env::var_os(CHILD).is_none() {
        return; // run only inside the private Secret Service set up by the test above
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        assert!(
            iris_vault::keys::keyring_available(),
            "no Secret Service on the private bus"
        );
        let dir = tempfile::tempdir().unwrap();
        let (v, rk) = Vault::init(
            dir.path(),
            InitArgs {
                admin: "admin",
                admin_password: "admin password 1",
                unlock: Unlock::Keyring,
                now: T0,
            },
        )
        .await
        .unwrap();
        assert_eq!(v.slots().await.unwrap(), vec!["keyring", "recovery"]);
        let id = v.vault_id().to_string();
        let admin = v.login("admin", "admin password 1", T0).await.unwrap();
        v.add_user(&admin, "dr.grey", Role::Physician, "initial password 1", T0)
            .await
            .unwrap();
        let doc = v
            .change_password("dr.grey", "initial password 1", "chosen password 1", T0)
            .await
            .unwrap();
        let p = PatientRecord {
            family: "Keyringson".into(),
            given: vec!["Kay".into()],
            birth_date: "1970-01-02".into(),
            sex: Sex::Female,
            mrn: "K1".into(),
            address: None,
            phone: None,
            email: None,
            pregnancy: None,
        };
        let pid = v.create_patient(&doc, &p, T0).await.unwrap();
        v.close().await;

        // The key is in the Secret Service under this vault's own entry.
        let found = Command::new("secret-tool")
            .args(["search", "--all", "service", "iris-vault"])
            .output()
            .unwrap();
        let listing = String::from_utf8_lossy(&found.stdout).to_string()
            + &String::from_utf8_lossy(&found.stderr);
        assert!(listing.contains(&format!("vault-{id}")), "{listing}");

        // Reopen through the keyring alone.
        let v = Vault::open(dir.path(), &Unlock::Keyring, Lockout::default())
            .await
            .unwrap();
        let doc = v.login("dr.grey", "chosen password 1", T0).await.unwrap();
        assert_eq!(v.get_patient(&doc, &pid, T0).await.unwrap(), p);
        v.close().await;

        // A second vault on the same machine gets its own entry and does not disturb the first.
        let dir2 = tempfile::tempdir().unwrap();
        let (v2, _) = Vault::init(
            dir2.path(),
            InitArgs {
                admin: "admin",
                admin_password: "admin password 1",
                unlock: Unlock::Keyring,
                now: T0,
            },
        )
        .await
        .unwrap();
        assert_ne!(v2.vault_id(), id);
        v2.close().await;
        Vault::open(dir.path(), &Unlock::Keyring, Lockout::default())
            .await
            .unwrap()
            .close()
            .await;

        // IT keeps a backup.
        let v = Vault::open(dir.path(), &Unlock::Keyring, Lockout::default())
            .await
            .unwrap();
        let admin = v.login("admin", "admin password 1", T0).await.unwrap();
        let backup = dir2.path().join("nightly.irisbak");
        v.backup(&admin, &backup, T0).await.unwrap();
        v.close().await;

        // The OS profile is reset: the keyring entry is gone.
        iris_vault::keys::keyring_delete(&id).unwrap();
        let e = Vault::open(dir.path(), &Unlock::Keyring, Lockout::default())
            .await
            .unwrap_err();
        assert!(matches!(e, VaultError::KeyUnavailable(_)), "{e:?}");
        assert!(e.to_string().contains("recovery key"), "{e}");

        // IT recovers with the recovery key and enrolls a new keyring entry.
        let v = Vault::open(
            dir.path(),
            &Unlock::Recovery(rk.display()),
            Lockout::default(),
        )
        .await
        .unwrap();
        let admin = v.login("admin", "admin password 1", T0).await.unwrap();
        v.rekey(&admin, &Unlock::Keyring, T0).await.unwrap();
        v.close().await;
        let v = Vault::open(dir.path(), &Unlock::Keyring, Lockout::default())
            .await
            .unwrap();
        let doc = v.login("dr.grey", "chosen password 1", T0).await.unwrap();
        assert_eq!(v.get_patient(&doc, &pid, T0).await.unwrap(), p);
        assert!(matches!(
            v.verify_chain(None).await.unwrap(),
            iris_vault::Verdict::Intact { .. }
        ));
        v.close().await;

        // A moved workstation: the backup restores on a machine whose keyring never held the
        // key, with the recovery key, and then enrolls that keyring.
        iris_vault::keys::keyring_delete(&id).unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let v = Vault::restore(
            &backup,
            elsewhere.path(),
            &Unlock::Recovery(rk.display()),
            Lockout::default(),
            T0,
        )
        .await
        .unwrap();
        let doc = v.login("dr.grey", "chosen password 1", T0).await.unwrap();
        assert_eq!(v.get_patient(&doc, &pid, T0).await.unwrap(), p);
        let admin = v.login("admin", "admin password 1", T0).await.unwrap();
        v.rekey(&admin, &Unlock::Keyring, T0).await.unwrap();
        v.close().await;
        Vault::open(elsewhere.path(), &Unlock::Keyring, Lockout::default())
            .await
            .unwrap();
    });
}
