//! Decision support on the chart: the ED triage panel (chief complaint, vitals and the ESI
//! questions → the level with its reasons, an override with a reason) and medication entry
//! with its safety alerts inline.

use iris_types::{
    AddMedication, AddMedicationRequest, AlertDto, ApiError, ErrorCode, MedicationCheck,
    MedicationCheckDto, MedicationCheckRequest, PatientDto, SaveTriage, SaveTriageRequest, Triage,
    TriageDto, TriageRequest,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::error_panel::ErrorPanel;
use crate::ipc;
use crate::pages::chart::ChartVersion;
use crate::session::SessionCtx;

/// Whole days from a `YYYY-MM-DD` birth date to now (the triage rules for infants are in days).
fn age_days(birth: &str) -> Option<f64> {
    let born = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&format!(
        "{birth}T00:00:00Z"
    )));
    let ms = born.get_time();
    (!ms.is_nan()).then(|| ((js_sys::Date::now() - ms) / 86_400_000.0).floor())
}

fn number(s: &str) -> Result<Option<f64>, ()> {
    let t = s.trim().replace(',', ".");
    if t.is_empty() {
        Ok(None)
    } else {
        t.parse::<f64>().map(Some).map_err(|_| ())
    }
}

fn yes_no(s: &str) -> Option<bool> {
    match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// One of the ESI questions, answered yes / no / not answered.
#[component]
fn Question(id: &'static str, label: &'static str, value: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="triage-question">
            <label for=id>{label}</label>
            <select id=id bind:value=value>
                <option value="">"Not answered"</option>
                <option value="yes">"Yes"</option>
                <option value="no">"No"</option>
            </select>
        </div>
    }
}

#[component]
pub fn TriagePanel(patient: PatientDto) -> impl IntoView {
    let ctx = SessionCtx::get();
    let ChartVersion(version, flash) = expect_context::<ChartVersion>();
    let complaint = RwSignal::new(String::new());
    let hr = RwSignal::new(String::new());
    let rr = RwSignal::new(String::new());
    let spo2 = RwSignal::new(String::new());
    let sbp = RwSignal::new(String::new());
    let temp = RwSignal::new(String::new());
    let temp_unit = RwSignal::new("Cel".to_string());
    let acvpu = RwSignal::new(String::new());
    let lsi = RwSignal::new(String::new());
    let high_risk = RwSignal::new(String::new());
    let confused = RwSignal::new(String::new());
    let pain = RwSignal::new(String::new());
    let resources = RwSignal::new(String::new());
    let result = RwSignal::new(None::<TriageDto>);
    let problem = RwSignal::new(None::<ApiError>);
    let assigned = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let patient_id = StoredValue::new(patient.id.clone());
    let days = age_days(&patient.patient.birth_date);

    // The request as the inputs stand; a number that does not parse is an error by field.
    let request = move || -> Result<TriageRequest, ApiError> {
        let mut bad = Vec::new();
        let mut read = |field: &str, s: RwSignal<String>| {
            number(&s.get()).unwrap_or_else(|()| {
                bad.push(iris_types::FieldError {
                    field: field.into(),
                    rule: "number".into(),
                });
                None
            })
        };
        let heart_rate = read("heart_rate", hr);
        let respiratory_rate = read("respiratory_rate", rr);
        let spo2_v = read("spo2", spo2);
        let systolic_bp = read("systolic_bp", sbp);
        let t = read("temperature", temp);
        if !bad.is_empty() {
            return Err(ApiError::validation(bad));
        }
        // °F → °C; the engine then refuses what is impossible.
        let temperature_c = t.map(|v| {
            if temp_unit.get() == "[degF]" {
                (v - 32.0) * 5.0 / 9.0
            } else {
                v
            }
        });
        Ok(TriageRequest {
            age_days: days,
            heart_rate,
            respiratory_rate,
            spo2: spo2_v,
            systolic_bp,
            temperature_c,
            consciousness: Some(acvpu.get()).filter(|s| !s.is_empty()),
            chief_complaint: Some(complaint.get().trim().to_string()).filter(|s| !s.is_empty()),
            life_saving_intervention: yes_no(&lsi.get()),
            high_risk: yes_no(&high_risk.get()),
            confused_lethargic_disoriented: yes_no(&confused.get()),
            severe_pain_distress: yes_no(&pain.get()),
            expected_resources: match resources.get().as_str() {
                "0" => Some(0),
                "1" => Some(1),
                "2" => Some(2),
                _ => None,
            },
            ..TriageRequest::default()
        })
    };
    // Recomputed on every change: the engine is local and fast. Only the reply to the newest
    // request is shown, so a slow answer to an older edit never overwrites a newer one.
    let latest = ipc::Latest::new();
    Effect::new(move |_| match request() {
        Err(e) => {
            latest.invalidate();
            result.set(None);
            problem.set(Some(e));
        }
        Ok(req) => {
            let ticket = latest.ticket();
            spawn_local(async move {
                let reply = ipc::call::<Triage>(&req).await;
                if !latest.is_current(ticket) {
                    return;
                }
                match reply {
                    Ok(t) => {
                        problem.set(None);
                        assigned.set(t.esi.to_string());
                        result.set(Some(t));
                    }
                    Err(e) => {
                        result.set(None);
                        problem.set(Some(e));
                    }
                }
            });
        }
    });
    let overridden = move || {
        result
            .get()
            .is_some_and(|t| assigned.get() != t.esi.to_string())
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(triage), Ok(esi)) = (request(), assigned.get_untracked().parse::<u8>()) else {
            return;
        };
        busy.set(true);
        flash.set(None);
        let req = SaveTriageRequest {
            patient_id: patient_id.get_value(),
            triage,
            esi,
            override_reason: Some(reason.get_untracked()).filter(|r| !r.trim().is_empty()),
        };
        spawn_local(async move {
            match ipc::call::<SaveTriage>(&req).await {
                Ok(s) => {
                    flash.set(Some(if s.esi == s.computed_esi {
                        "triage"
                    } else {
                        "triage-override"
                    }));
                    version.update(|n| *n += 1);
                }
                Err(e) => {
                    if !ctx.check(&e) {
                        problem.set(Some(e));
                    }
                }
            }
            busy.set(false);
        });
    };
    let vital =
        |id: &'static str, label: &'static str, unit: &'static str, sig: RwSignal<String>| {
            view! {
                <div class="vital-field">
                    <label for=id>{label}</label>
                    <div class="vital-input">
                        <input id=id inputmode="decimal" autocomplete="off" bind:value=sig/>
                        <span class="unit">{unit}</span>
                    </div>
                </div>
            }
        };
    view! {
        <form id="triage-form" class="triage" on:submit=save>
            <h2>"ED triage (ESI v4)"</h2>
            <label for="triage-complaint">"Chief complaint"</label>
            <input id="triage-complaint" maxlength="500" autocomplete="off" bind:value=complaint/>
            <div class="vitals-grid section-gap">
                {vital("triage-hr", "Heart rate", "/min", hr)}
                {vital("triage-rr", "Respiratory rate", "/min", rr)}
                {vital("triage-spo2", "SpO2", "%", spo2)}
                {vital("triage-sbp", "Systolic BP", "mmHg", sbp)}
                <div class="vital-field">
                    <label for="triage-temp">"Temperature"</label>
                    <div class="vital-input">
                        <input id="triage-temp" inputmode="decimal" autocomplete="off" bind:value=temp/>
                        <select id="triage-temp-unit" aria-label="Temperature unit" bind:value=temp_unit>
                            <option value="Cel">"°C"</option>
                            <option value="[degF]">"°F"</option>
                        </select>
                    </div>
                </div>
                <div class="vital-field">
                    <label for="triage-acvpu">"Consciousness (ACVPU)"</label>
                    <select id="triage-acvpu" class="acvpu" bind:value=acvpu>
                        <option value="">"—"</option>
                        <option value="A">"A · alert"</option>
                        <option value="C">"C · new confusion"</option>
                        <option value="V">"V · voice"</option>
                        <option value="P">"P · pain"</option>
                        <option value="U">"U · unresponsive"</option>
                    </select>
                </div>
            </div>
            <div class="triage-questions section-gap">
                <Question id="triage-a" label="A · Needs an immediate life-saving intervention?" value=lsi/>
                <Question id="triage-b-risk" label="B · High-risk situation?" value=high_risk/>
                <Question id="triage-b-confused" label="B · New confusion, lethargy or disorientation?" value=confused/>
                <Question id="triage-b-pain" label="B · Severe pain or distress?" value=pain/>
                <div class="triage-question">
                    <label for="triage-resources">"C · Expected resources"</label>
                    <select id="triage-resources" bind:value=resources>
                        <option value="">"Not answered"</option>
                        <option value="0">"None"</option>
                        <option value="1">"One"</option>
                        <option value="2">"Two or more"</option>
                    </select>
                </div>
            </div>
            {move || problem.get().map(|e| view! { <div id="triage-problem"><ErrorPanel error=e/></div> })}
            {move || result.get().map(|t| view! {
                <section class=format!("triage-result esi-{}", t.esi) id="triage-result" aria-live="polite" data-esi=t.esi>
                    <p class="esi-level">
                        <span class="esi-badge">{format!("ESI {}", t.esi)}</span>
                        {format!(" decision point {}", t.decision_point)}
                    </p>
                    <ul class="triage-reasons">{t.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                </section>
            })}
            {move || result.get().is_some().then(|| view! {
                <div class="triage-assign">
                    <label for="triage-esi">"Assign"</label>
                    <select id="triage-esi" bind:value=assigned>
                        {(1..=5).map(|n| view! { <option value=n.to_string()>{format!("ESI {n}")}</option> }).collect_view()}
                    </select>
                    {move || overridden().then(|| view! {
                        <label for="triage-reason">"Reason for overriding the engine's level"</label>
                        <input id="triage-reason" maxlength="500" autocomplete="off" bind:value=reason/>
                    })}
                    <button id="triage-save" class="primary" type="submit" disabled=move || busy.get()>
                        {move || if overridden() { "Save triage (override)" } else { "Save triage" }}
                    </button>
                </div>
            })}
            {move || flash.get().filter(|f| f.starts_with("triage")).map(|_| view! {
                <p class="saved" id="triage-saved" role="status">"Triage saved: the emergency encounter and its triage note are under Encounters."</p>
            })}
        </form>
    }
}

fn severity_rank(s: &str) -> u8 {
    match s {
        "contraindicated" => 0,
        "major" => 1,
        "moderate" => 2,
        _ => 3,
    }
}

#[component]
fn Alerts(alerts: Vec<AlertDto>) -> impl IntoView {
    let mut alerts = alerts;
    alerts.sort_by_key(|a| severity_rank(&a.severity));
    view! {
        <ul class="plain med-alerts" id="med-alerts" role="alert">
            {alerts.into_iter().map(|a| view! {
                <li class=format!("med-alert {}", a.severity) data-kind=a.kind.clone() data-severity=a.severity.clone()>
                    <span class="alert-severity">{a.severity.to_uppercase()}</span>
                    <span class="alert-kind">{a.kind.replace('-', " ")}</span>
                    <p class="alert-message">{a.message}</p>
                    <p class="alert-source">{format!("Source: {}", a.source)}</p>
                </li>
            }).collect_view()}
        </ul>
    }
}

const ROUTES: [&str; 13] = [
    "oral",
    "sublingual",
    "intravenous",
    "intramuscular",
    "subcutaneous",
    "inhalation",
    "topical",
    "transdermal",
    "rectal",
    "nasal",
    "ophthalmic",
    "otic",
    "other",
];

/// Adds an active medication (physicians): the name is checked against the chart as it is
/// entered, alerts show inline, and a major or contraindicated one needs a reason to save.
#[component]
pub fn AddMedicationForm(patient_id: String) -> impl IntoView {
    let ctx = SessionCtx::get();
    let ChartVersion(version, saved) = expect_context::<ChartVersion>();
    let name = RwSignal::new(String::new());
    let dose = RwSignal::new(String::new());
    let unit = RwSignal::new("mg".to_string());
    let route = RwSignal::new("oral".to_string());
    let frequency = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let check = RwSignal::new(None::<MedicationCheckDto>);
    let checking = RwSignal::new(false);
    let saving = RwSignal::new(false);
    // Checks re-run on every change of the name: only the newest one's reply is shown.
    let latest = ipc::Latest::new();
    let error = RwSignal::new(None::<ApiError>);
    let patient_id = StoredValue::new(patient_id);
    let fail = move |e: ApiError| {
        if !ctx.check(&e) {
            error.set(Some(e));
        }
    };
    let run_check = move || {
        let n = name.get_untracked();
        check.set(None);
        error.set(None);
        let ticket = latest.ticket();
        if n.trim().is_empty() {
            checking.set(false);
            return;
        }
        checking.set(true);
        let req = MedicationCheckRequest {
            patient_id: patient_id.get_value(),
            name: n,
        };
        spawn_local(async move {
            let reply = ipc::call::<MedicationCheck>(&req).await;
            if !latest.is_current(ticket) {
                return;
            }
            match reply {
                Ok(c) => check.set(Some(c)),
                Err(e) => fail(e),
            }
            checking.set(false);
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        let dose_value = match number(&dose.get_untracked()) {
            Ok(v) => v,
            Err(()) => {
                error.set(Some(ApiError::validation(vec![iris_types::FieldError {
                    field: "dose".into(),
                    rule: "number".into(),
                }])));
                return;
            }
        };
        let req = AddMedicationRequest {
            patient_id: patient_id.get_value(),
            name: name.get_untracked(),
            dose_value,
            dose_unit: dose_value.map(|_| unit.get_untracked()),
            route: route.get_untracked(),
            frequency: frequency.get_untracked(),
            override_reason: Some(reason.get_untracked()).filter(|r| !r.trim().is_empty()),
        };
        // Saving does not wait for a check still running: the backend runs the same engines
        // again and refuses a major alert without a reason.
        saving.set(true);
        spawn_local(async move {
            match ipc::call::<AddMedication>(&req).await {
                Ok(_) => {
                    saved.set(Some("medication"));
                    version.update(|n| *n += 1);
                }
                Err(e) if e.code == ErrorCode::Conflict => {
                    error.set(Some(e));
                }
                Err(e) => fail(e),
            }
            saving.set(false);
        });
    };
    view! {
        <details class="med-entry" open>
            <summary>"Add medication"</summary>
            <form id="med-form" class="grid-form" on:submit=submit>
                <div>
                    <label for="med-name">"Medication (ingredient or brand)"</label>
                    <input id="med-name" maxlength="200" autocomplete="off" bind:value=name
                        on:change=move |_| run_check()/>
                </div>
                <div class="dose-row">
                    <label for="med-dose">"Dose"</label>
                    <div class="vital-input">
                        <input id="med-dose" inputmode="decimal" autocomplete="off" bind:value=dose/>
                        <select id="med-dose-unit" aria-label="Dose unit" bind:value=unit>
                            {["mg", "g", "mcg", "mL", "[iU]", "{puff}", "{tbl}"].into_iter().map(|u| view! {
                                <option value=u>{u.trim_start_matches('{').trim_end_matches('}')}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <div>
                    <label for="med-route">"Route"</label>
                    <select id="med-route" bind:value=route>
                        {ROUTES.into_iter().map(|r| view! { <option value=r>{r}</option> }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="med-frequency">"Frequency"</label>
                    <input id="med-frequency" maxlength="100" autocomplete="off" placeholder="e.g. twice daily" bind:value=frequency/>
                </div>
                <div class="form-actions">
                    {move || checking.get().then(|| view! { <p class="loading" aria-live="polite">"Checking…"</p> })}
                    {move || check.get().map(|c| {
                        if c.alerts.is_empty() {
                            view! { <p class="saved" id="med-no-alerts">{format!("No interaction, allergy or renal alerts{}.", c.egfr.map(|e| format!(" (eGFR {e:.0})")).unwrap_or_default())}</p> }.into_any()
                        } else {
                            view! { <Alerts alerts=c.alerts/> }.into_any()
                        }
                    })}
                    {move || check.get().is_some_and(|c| c.needs_override).then(|| view! {
                        <label for="med-override">"Override reason (required to save with these alerts)"</label>
                        <input id="med-override" maxlength="500" autocomplete="off" bind:value=reason/>
                    })}
                    <button id="med-submit" class="primary" type="submit" disabled=move || saving.get()>
                        {move || if check.get().is_some_and(|c| c.needs_override) { "Override and save" } else { "Save medication" }}
                    </button>
                </div>
            </form>
            {move || error.get().map(|e| view! { <div id="med-error"><ErrorPanel error=e/></div> })}
            {move || (saved.get() == Some("medication")).then(|| view! { <p class="saved" id="med-saved" role="status">"Medication saved."</p> })}
        </details>
    }
}
