//! Command wiring on Tauri's mock runtime: every registered command answers through the real
//! IPC path (ACL included), and transport-level failures come back as errors, never panics.

use std::time::Instant;

use iris_config::config::{Config, Sources};
use iris_core::AppCore;
use iris_types::{AboutDto, ApiError, Command, ErrorCode};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

fn core(dir: &std::path::Path, policy: &str) -> Result<AppCore, ApiError> {
    std::fs::write(dir.join("policy.toml"), policy).unwrap();
    AppCore::open(Config::resolve(&Sources::isolated(dir))?, Instant::now())
}

fn app(core: Result<AppCore, ApiError>) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = iris_desktop::builder(mock_builder())
        .manage(iris_desktop::Core::new(core))
        .build(iris_desktop::context())
        .expect("app builds");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, window)
}

/// The origin the app's own pages have on Linux (the `tauri` custom protocol).
const APP_ORIGIN: &str = "tauri://localhost";

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, body: Value) -> Result<Value, Value> {
    invoke_from(window, APP_ORIGIN, cmd, body)
}

fn invoke_from(
    window: &WebviewWindow<MockRuntime>,
    origin: &str,
    cmd: &str,
    body: Value,
) -> Result<Value, Value> {
    tauri::test::get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: origin.parse().unwrap(),
            body: InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().unwrap())
}

#[test]
fn about_answers_through_ipc() {
    let tmp = tempfile::tempdir().unwrap();
    let (_app, w) = app(core(tmp.path(), "locked = [\"idle_lock_minutes\"]\n"));
    let res = invoke(&w, iris_types::About::NAME, json!({"req": {}})).expect("about succeeds");
    let about: AboutDto = serde_json::from_value(res).unwrap();
    assert_eq!(about.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(about.policy.locked, vec!["idle_lock_minutes"]);
}

#[test]
fn every_declared_command_is_registered_and_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    let (_app, w) = app(core(tmp.path(), ""));
    for name in iris_types::COMMANDS {
        let err =
            invoke(&w, name, json!({"req": {"__probe": true}})).expect_err("unknown field refused");
        let text = err.as_str().unwrap_or_default().to_string();
        // Reaching argument decoding proves the command exists and the ACL let it through.
        assert_eq!(
            ApiError::from_transport(&text).code,
            ErrorCode::BadRequest,
            "{name}: {err}"
        );
    }
}

#[test]
fn an_unknown_command_is_an_error_with_a_code() {
    let tmp = tempfile::tempdir().unwrap();
    let (_app, w) = app(core(tmp.path(), ""));
    let err = invoke(&w, "drop_all_tables", json!({})).expect_err("unknown command");
    let text = err
        .as_str()
        .expect("Tauri reports transport errors as strings");
    assert_eq!(
        ApiError::from_transport(text).code,
        ErrorCode::UnknownCommand,
        "{text}"
    );
}

#[test]
fn a_remote_origin_is_refused_by_the_acl() {
    let tmp = tempfile::tempdir().unwrap();
    let (_app, w) = app(core(tmp.path(), ""));
    let err = invoke_from(&w, "https://evil.example", "about", json!({"req": {}}))
        .expect_err("remote origin refused");
    let text = err.as_str().expect("ACL errors are strings");
    assert_eq!(
        ApiError::from_transport(text).code,
        ErrorCode::NotAllowed,
        "{text}"
    );
}

#[test]
fn malformed_request_json_is_bad_request_and_does_not_leak_values() {
    let tmp = tempfile::tempdir().unwrap();
    let (_app, w) = app(core(tmp.path(), ""));
    for body in [
        json!({}),
        json!({"req": "Jane Doe"}),
        json!({"req": [1, 2]}),
        json!("not an object"),
    ] {
        let err = invoke(&w, "about", body.clone()).expect_err("malformed request refused");
        let api = ApiError::from_transport(err.as_str().unwrap_or_default());
        assert_eq!(api.code, ErrorCode::BadRequest, "{body} -> {err}");
        assert!(!api.message.contains("Jane"));
    }
}

#[test]
fn a_startup_error_is_returned_by_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let (_app, w) = app(core(tmp.path(), "idle_lock_minutes = \"ten\"\n"));
    let err = invoke(&w, "about", json!({"req": {}})).expect_err("config error surfaces");
    let api: ApiError = serde_json::from_value(err).expect("an ApiError, not a string");
    assert_eq!(api.code, ErrorCode::Config);
    assert!(
        api.message.contains("line 1, key `idle_lock_minutes`"),
        "{}",
        api.message
    );
}

fn api_err(err: Value) -> ApiError {
    serde_json::from_value(err).expect("an ApiError, not a transport string")
}

/// The vault commands in the order a first run uses them: status, setup, sign-in, user
/// administration, password change, lock and sign-out.
#[test]
fn vault_commands_answer_through_ipc() {
    let tmp = tempfile::tempdir().unwrap();
    let (_app, w) = app(core(tmp.path(), ""));
    let status: iris_types::VaultStatusDto =
        serde_json::from_value(invoke(&w, "vault_status", json!({"req": {}})).unwrap()).unwrap();
    assert!(!status.initialized && status.session.is_none());
    // Not signed in yet: the user commands refuse with a code.
    let e = api_err(invoke(&w, "list_users", json!({"req": {}})).unwrap_err());
    assert_eq!(e.code, ErrorCode::NotInitialized);

    let init: iris_types::InitDto = serde_json::from_value(
        invoke(
            &w,
            "init_vault",
            json!({"req": {"admin": "root", "password": "admin password 1",
                           "passphrase": "correct horse battery staple"}}),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(init.slots, vec!["passphrase", "recovery"]);
    assert_eq!(init.recovery_key.len(), 64);
    let e = api_err(invoke(&w, "list_users", json!({"req": {}})).unwrap_err());
    assert_eq!(e.code, ErrorCode::Unauthenticated);

    let e = api_err(
        invoke(
            &w,
            "login",
            json!({"req": {"user": "root", "password": "wrong password"}}),
        )
        .unwrap_err(),
    );
    assert_eq!(e.code, ErrorCode::Unauthenticated);
    let session: iris_types::SessionDto = serde_json::from_value(
        invoke(
            &w,
            "login",
            json!({"req": {"user": "root", "password": "admin password 1"}}),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (session.user.as_str(), session.role.as_str()),
        ("root", "admin")
    );

    let users: Vec<iris_types::UserDto> = serde_json::from_value(
        invoke(
            &w,
            "add_user",
            json!({"req": {"name": "dr.grey", "role": "physician", "initial_password": "first password 1"}}),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(users.len(), 2);
    let e = api_err(
        invoke(
            &w,
            "add_user",
            json!({"req": {"name": "Dr Grey", "role": "physician", "initial_password": "x"}}),
        )
        .unwrap_err(),
    );
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(e.fields[0].field, "name");
    let users: Vec<iris_types::UserDto> = serde_json::from_value(
        invoke(
            &w,
            "change_user",
            json!({"req": {"name": "dr.grey", "change": "disable"}}),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(users.iter().any(|u| u.name == "dr.grey" && u.disabled));
    let listed: Vec<iris_types::UserDto> =
        serde_json::from_value(invoke(&w, "list_users", json!({"req": {}})).unwrap()).unwrap();
    assert_eq!(listed, users);

    let s: iris_types::SessionDto = serde_json::from_value(
        invoke(
            &w,
            "change_password",
            json!({"req": {"current": "admin password 1", "new": "admin password 2"}}),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(s.user, "root");

    invoke(&w, "lock_session", json!({"req": {}})).unwrap();
    let e = api_err(invoke(&w, "list_users", json!({"req": {}})).unwrap_err());
    assert_eq!(e.code, ErrorCode::SessionLocked);
    invoke(
        &w,
        "login",
        json!({"req": {"user": "root", "password": "admin password 2"}}),
    )
    .unwrap();
    invoke(&w, "logout", json!({"req": {}})).unwrap();
    let e = api_err(invoke(&w, "list_users", json!({"req": {}})).unwrap_err());
    assert_eq!(e.code, ErrorCode::Unauthenticated);
}

/// Patients and charts: create (with field errors for bad input), search by prefix, open the
/// chart (audited), recent list, edit.
#[test]
fn patient_and_chart_commands_answer_through_ipc() {
    let tmp = tempfile::tempdir().unwrap();
    let (_app, w) = app(core(tmp.path(), ""));
    invoke(
        &w,
        "init_vault",
        json!({"req": {"admin": "root", "password": "admin password 1", "passphrase": "correct horse battery staple"}}),
    )
    .unwrap();
    invoke(
        &w,
        "login",
        json!({"req": {"user": "root", "password": "admin password 1"}}),
    )
    .unwrap();
    invoke(
        &w,
        "add_user",
        json!({"req": {"name": "dr.grey", "role": "physician", "initial_password": "first password 1"}}),
    )
    .unwrap();
    invoke(
        &w,
        "login",
        json!({"req": {"user": "dr.grey", "password": "first password 1"}}),
    )
    .unwrap();
    invoke(
        &w,
        "change_password",
        json!({"req": {"current": "first password 1", "new": "second password 2"}}),
    )
    .unwrap();

    let e = api_err(
        invoke(
            &w,
            "create_patient",
            json!({"req": {"family": "Smith", "birth_date": "2999-01-01", "sex": "female", "mrn": "M 1"}}),
        )
        .unwrap_err(),
    );
    assert_eq!(e.code, ErrorCode::Validation);
    let rules: Vec<(&str, &str)> = e
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.rule.as_str()))
        .collect();
    assert_eq!(
        rules,
        vec![("birth_date", "not_in_future"), ("mrn", "mrn_format")]
    );
    assert!(!e.message.contains("Smith"));

    let p: iris_types::PatientDto = serde_json::from_value(
        invoke(
            &w,
            "create_patient",
            json!({"req": {"family": "Smith", "given": ["Ana"], "birth_date": "1980-04-12", "sex": "female", "mrn": "M-1"}}),
        )
        .unwrap(),
    )
    .unwrap();
    assert!(p.age >= 46);
    let found: Vec<iris_types::PatientSummaryDto> = serde_json::from_value(
        invoke(&w, "search_patients", json!({"req": {"query": "smi"}})).unwrap(),
    )
    .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name, "Smith, Ana");
    let chart: iris_types::ChartDto =
        serde_json::from_value(invoke(&w, "open_chart", json!({"req": {"id": p.id}})).unwrap())
            .unwrap();
    assert_eq!(chart.patient.patient.family, "Smith");
    assert_eq!(chart.allergy_status, iris_types::AllergyStatus::NotRecorded);
    let recent: Vec<iris_types::PatientSummaryDto> =
        serde_json::from_value(invoke(&w, "recent_patients", json!({"req": {}})).unwrap()).unwrap();
    assert_eq!(recent[0].id, p.id);
    let mut edited = p.patient.clone();
    edited.phone = Some("555-010-9999".into());
    let updated: iris_types::PatientDto = serde_json::from_value(
        invoke(
            &w,
            "update_patient",
            json!({"req": {"id": p.id, "patient": edited}}),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(updated.patient.phone.as_deref(), Some("555-010-9999"));
    let e = api_err(invoke(&w, "open_chart", json!({"req": {"id": "nope"}})).unwrap_err());
    assert_eq!(e.code, ErrorCode::NotFound);
}

/// A stream command answers through IPC with its channel argument: the import runs to its
/// report (progress goes to the webview's channel; the core's stream is tested in iris-core).
#[test]
fn the_import_stream_command_answers_through_ipc() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("fhir");
    std::fs::create_dir_all(&folder).unwrap();
    for (i, b) in iris_fhir::synthetic::population(2, 9, 1_795_000_000_000).enumerate() {
        std::fs::write(
            folder.join(format!("p{i}.json")),
            iris_fhir::synthetic::bundle_string(&b),
        )
        .unwrap();
    }
    let (_app, w) = app(core(tmp.path(), ""));
    invoke(
        &w,
        "init_vault",
        json!({"req": {"admin": "root", "password": "admin password 1", "passphrase": "correct horse battery staple"}}),
    )
    .unwrap();
    invoke(
        &w,
        "login",
        json!({"req": {"user": "root", "password": "admin password 1"}}),
    )
    .unwrap();
    let report: iris_types::ImportReportDto = serde_json::from_value(
        invoke(
            &w,
            iris_types::ImportFhir::NAME,
            json!({"req": {"paths": [folder.display().to_string()]}, iris_types::STREAM_ARG: "__CHANNEL__:7"}),
        )
        .expect("the import answers"),
    )
    .unwrap();
    assert_eq!((report.patients, report.quarantined), (2, 0));
    // Without its channel the command is refused as a bad request (nothing runs).
    let err = invoke(
        &w,
        iris_types::ImportFhir::NAME,
        json!({"req": {"paths": [folder.display().to_string()]}}),
    )
    .expect_err("a stream command needs its channel");
    assert_eq!(
        ApiError::from_transport(err.as_str().unwrap_or_default()).code,
        ErrorCode::BadRequest
    );
}
