//! The Iris desktop shell: a Tauri 2 window over `AppCore`.
//!
//! Commands are one line each: take the request DTO, call the core, return its result. There is
//! no logic here to test separately; `tests/ipc.rs` drives every command through Tauri's mock
//! runtime and `tests/e2e` drives the real window.

use iris_core::AppCore;
use iris_types::{
    AboutDto, AboutRequest, AddUserRequest, ApiError, ChangePasswordRequest, ChangeUserRequest,
    ChartDto, Empty, InitDto, InitRequest, LoginRequest, PatientDto, PatientInput, PatientRef,
    PatientSummaryDto, RecordVitalsRequest, SearchPatientsRequest, SessionDto, TrendDto,
    TrendsRequest, UpdatePatientRequest, UserDto, VaultStatusDto,
};
use iris_types::{
    AddAddendumRequest, AddMedicationRequest, AddendumDto, CdsInput, EnteredInErrorRequest,
    EvaluationDto, MedicationCheckDto, MedicationCheckRequest, MedsCheckDto, MedsCheckRequest,
    NoteRef, SaveNoteRequest, SaveTriageRequest, SavedTriageDto, StartEncounterRequest,
    StartedEncounterDto, TriageDto, TriageRequest,
};
use tauri::ipc::Channel;
use tauri::{Builder, Runtime, State};

/// The core, or why it could not start. A configuration error must reach the person at the
/// screen (often hospital IT), so the window still opens and every command returns the error.
#[derive(Debug)]
pub struct Core(Result<AppCore, ApiError>);

impl Core {
    pub fn new(core: Result<AppCore, ApiError>) -> Self {
        Core(core)
    }

    fn get(&self) -> Result<&AppCore, ApiError> {
        self.0.as_ref().map_err(Clone::clone)
    }
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn about(core: State<'_, Core>, req: AboutRequest) -> Result<AboutDto, ApiError> {
    core.get()?.about(req)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn vault_status(core: State<'_, Core>, req: Empty) -> Result<VaultStatusDto, ApiError> {
    let Empty {} = req;
    core.get().map(AppCore::vault_status)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn init_vault(core: State<'_, Core>, req: InitRequest) -> Result<InitDto, ApiError> {
    core.get()?.init_vault(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn login(core: State<'_, Core>, req: LoginRequest) -> Result<SessionDto, ApiError> {
    core.get()?.login(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn logout(core: State<'_, Core>, req: Empty) -> Result<Empty, ApiError> {
    core.get()?.logout();
    Ok(req)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn lock_session(core: State<'_, Core>, req: Empty) -> Result<Empty, ApiError> {
    core.get()?.lock_session("manual").await.map(|()| req)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn change_password(
    core: State<'_, Core>,
    req: ChangePasswordRequest,
) -> Result<SessionDto, ApiError> {
    core.get()?.change_password(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn list_users(core: State<'_, Core>, req: Empty) -> Result<Vec<UserDto>, ApiError> {
    let Empty {} = req;
    core.get()?.list_users().await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn add_user(core: State<'_, Core>, req: AddUserRequest) -> Result<Vec<UserDto>, ApiError> {
    core.get()?.add_user(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn change_user(
    core: State<'_, Core>,
    req: ChangeUserRequest,
) -> Result<Vec<UserDto>, ApiError> {
    core.get()?.change_user(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn search_patients(
    core: State<'_, Core>,
    req: SearchPatientsRequest,
) -> Result<Vec<PatientSummaryDto>, ApiError> {
    core.get()?.search_patients(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn recent_patients(
    core: State<'_, Core>,
    req: Empty,
) -> Result<Vec<PatientSummaryDto>, ApiError> {
    let Empty {} = req;
    core.get()?.recent_patients().await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn create_patient(core: State<'_, Core>, req: PatientInput) -> Result<PatientDto, ApiError> {
    core.get()?.create_patient(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn update_patient(
    core: State<'_, Core>,
    req: UpdatePatientRequest,
) -> Result<PatientDto, ApiError> {
    core.get()?.update_patient(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn open_chart(core: State<'_, Core>, req: PatientRef) -> Result<ChartDto, ApiError> {
    core.get()?.open_chart(&req.id).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn chart_trends(
    core: State<'_, Core>,
    req: TrendsRequest,
) -> Result<Vec<TrendDto>, ApiError> {
    core.get()?.chart_trends(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn record_vitals(
    core: State<'_, Core>,
    req: RecordVitalsRequest,
) -> Result<Vec<String>, ApiError> {
    core.get()?.record_vitals(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn start_encounter(
    core: State<'_, Core>,
    req: StartEncounterRequest,
) -> Result<StartedEncounterDto, ApiError> {
    core.get()?.start_encounter(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn save_note(core: State<'_, Core>, req: SaveNoteRequest) -> Result<Empty, ApiError> {
    core.get()?.save_note(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn sign_note(core: State<'_, Core>, req: NoteRef) -> Result<Empty, ApiError> {
    core.get()?.sign_note(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn add_addendum(
    core: State<'_, Core>,
    req: AddAddendumRequest,
) -> Result<AddendumDto, ApiError> {
    core.get()?.add_addendum(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn note_entered_in_error(
    core: State<'_, Core>,
    req: EnteredInErrorRequest,
) -> Result<Empty, ApiError> {
    core.get()?.note_entered_in_error(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn record_entered_in_error(
    core: State<'_, Core>,
    req: EnteredInErrorRequest,
) -> Result<Empty, ApiError> {
    core.get()?.record_entered_in_error(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn cds_evaluate(core: State<'_, Core>, req: CdsInput) -> Result<EvaluationDto, ApiError> {
    core.get().and_then(|_| iris_core::cds::evaluate(&req))
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn triage(core: State<'_, Core>, req: TriageRequest) -> Result<TriageDto, ApiError> {
    core.get().and_then(|_| iris_core::cds::triage(&req))
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn meds_check(
    core: State<'_, Core>,
    req: MedsCheckRequest,
) -> Result<MedsCheckDto, ApiError> {
    core.get().and_then(|_| iris_core::cds::meds_check(&req))
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn medication_check(
    core: State<'_, Core>,
    req: MedicationCheckRequest,
) -> Result<MedicationCheckDto, ApiError> {
    core.get()?.medication_check(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn add_medication(
    core: State<'_, Core>,
    req: AddMedicationRequest,
) -> Result<MedicationCheckDto, ApiError> {
    core.get()?.add_medication(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn save_triage(
    core: State<'_, Core>,
    req: SaveTriageRequest,
) -> Result<SavedTriageDto, ApiError> {
    core.get()?.save_triage(req).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Display))]
async fn import_fhir(
    core: State<'_, Core>,
    req: iris_types::ImportRequest,
    channel: Channel<iris_types::ImportProgressDto>,
) -> Result<iris_types::ImportReportDto, ApiError> {
    core.get()?.import_fhir(req, |p| stream(&channel, p)).await
}

/// Sends one item of a stream command. A webview that went away (the window closed mid-import)
/// loses the item; the command itself runs on and returns its reply.
fn stream<T: tauri::ipc::IpcResponse>(channel: &Channel<T>, item: T) {
    if channel.send(item).is_err() {
        tracing::debug!("a stream item was not delivered (the window is gone)");
    }
}

/// Registers every command. Shared by `main` and the tests so both run the same app.
pub fn builder<R: Runtime>(b: Builder<R>) -> Builder<R> {
    b.invoke_handler(tauri::generate_handler![
        about,
        vault_status,
        init_vault,
        login,
        logout,
        lock_session,
        change_password,
        list_users,
        add_user,
        change_user,
        search_patients,
        recent_patients,
        create_patient,
        update_patient,
        open_chart,
        chart_trends,
        record_vitals,
        start_encounter,
        save_note,
        sign_note,
        add_addendum,
        note_entered_in_error,
        record_entered_in_error,
        cds_evaluate,
        triage,
        meds_check,
        medication_check,
        add_medication,
        save_triage,
        import_fhir,
    ])
}

/// How this launch reaches the vault key: a demo launch (`--demo`) uses the documented demo
/// passphrase unless `IRIS_PASSPHRASE` says otherwise; otherwise the environment decides.
pub fn key_source_for(demo: bool) -> iris_core::KeySource {
    if demo && std::env::var_os("IRIS_PASSPHRASE").is_none() {
        iris_core::KeySource::Passphrase(iris_config::demo::DEMO_PASSPHRASE.into())
    } else {
        iris_config::env::key_source()
    }
}

/// Seeds demo data into a fresh data dir (see `AppCore::seed_demo`); failures are logged and
/// shown by the UI through the vault status.
pub fn seed_demo(core: &Core, unlock: &iris_core::Unlock) {
    if let Ok(c) = core.get() {
        match tauri::async_runtime::block_on(c.seed_demo(unlock)) {
            Ok(true) => eprintln!("iris-desktop: seeded synthetic demo data"),
            Ok(false) => {}
            Err(e) => eprintln!("iris-desktop: demo data not seeded: {e}"),
        }
    }
}

/// Opens the data dir's vault if there is one (OS keyring, or `IRIS_PASSPHRASE` /
/// `IRIS_RECOVERY_KEY`). A failure is kept by the core and shown by the UI.
pub fn open_vault_at_start(core: &Core, unlock: &iris_core::Unlock) {
    if let Ok(c) = core.get() {
        let s = c.vault_status();
        if s.initialized && !s.open {
            let _ = tauri::async_runtime::block_on(c.open_vault(unlock));
        }
    }
}

/// The Tauri context (config, assets, ACL) compiled from tauri.conf.json and ../ui/dist.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}
