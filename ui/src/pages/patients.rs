//! The patient list: search by name prefix, MRN or birth date (`/` focuses the search box),
//! recent patients, and registering a new patient.

use iris_types::{
    ApiError, CreatePatient, Empty, PatientInput, PatientSummaryDto, RecentPatients,
    SearchPatients, SearchPatientsRequest,
};
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::error_panel::ErrorPanel;
use crate::ipc;
use crate::session::SessionCtx;

#[component]
pub fn PatientsPage(open: Callback<String>, can_write: bool) -> impl IntoView {
    let ctx = SessionCtx::get();
    let query = RwSignal::new(String::new());
    let results = RwSignal::new(None::<Vec<PatientSummaryDto>>);
    let recent = RwSignal::new(Vec::<PatientSummaryDto>::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let search_box = NodeRef::<Input>::new();
    let fail = move |e: ApiError| {
        if !ctx.check(&e) {
            error.set(Some(e));
        }
    };
    spawn_local(async move {
        match ipc::call::<RecentPatients>(&Empty {}).await {
            Ok(r) => recent.set(r),
            Err(e) => fail(e),
        }
    });
    // `/` anywhere (outside a text field) focuses the search box.
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if ev.key() == "/" && !typing {
            ev.prevent_default();
            if let Some(input) = search_box.get() {
                let _ = input.focus();
            }
        }
    });
    on_cleanup(move || handle.remove());

    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = query.get_untracked();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match ipc::call::<SearchPatients>(&SearchPatientsRequest { query: q }).await {
                Ok(r) => results.set(Some(r)),
                Err(e) => fail(e),
            }
            busy.set(false);
        });
    };

    view! {
        <h1>"Patients"</h1>
        <section class="card">
            <form id="patient-search-form" class="search-form" role="search" on:submit=search>
                <label for="patient-search">"Find a patient"</label>
                <div class="search-row">
                    <input
                        id="patient-search"
                        node_ref=search_box
                        placeholder="Name (e.g. smi ana), MRN or birth date YYYY-MM-DD"
                        autocomplete="off"
                        bind:value=query
                    />
                    <button id="patient-search-submit" class="primary" type="submit" disabled=move || busy.get()>
                        "Search"
                    </button>
                </div>
                <p class="field-help">"Press / to search from anywhere on this page."</p>
            </form>
            {move || busy.get().then(|| view! { <p class="loading" aria-live="polite">"Searching…"</p> })}
            {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
            {move || results.get().map(|r| {
                if r.is_empty() {
                    view! { <p id="no-results" class="empty">"No patient matches."</p> }.into_any()
                } else {
                    view! { <PatientTable id="search-results" rows=r open=open/> }.into_any()
                }
            })}
        </section>
        <section class="card">
            <h2>"Recent patients"</h2>
            {move || {
                let r = recent.get();
                if r.is_empty() {
                    view! { <p class="empty">"Charts you open appear here."</p> }.into_any()
                } else {
                    view! { <PatientTable id="recent-patients" rows=r open=open/> }.into_any()
                }
            }}
        </section>
        {can_write.then(|| view! { <NewPatient open=open/> })}
    }
}

#[component]
fn PatientTable(
    id: &'static str,
    rows: Vec<PatientSummaryDto>,
    open: Callback<String>,
) -> impl IntoView {
    view! {
        <table class="settings patient-table" id=id>
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Born"</th>
                    <th scope="col">"Age"</th>
                    <th scope="col">"Sex"</th>
                    <th scope="col">"MRN"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|p| {
                    let pid = p.id.clone();
                    view! {
                        <tr data-patient=p.id.clone()>
                            <th scope="row">
                                <button class="link" on:click=move |_| open.run(pid.clone())>{p.name.clone()}</button>
                            </th>
                            <td>{p.birth_date.clone()}</td>
                            <td>{p.age}</td>
                            <td>{crate::pages::chart::sex_label(&p.sex)}</td>
                            <td><code>{p.mrn.clone()}</code></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn NewPatient(open: Callback<String>) -> impl IntoView {
    let ctx = SessionCtx::get();
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let submit = Callback::new(move |req: PatientInput| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match ipc::call::<CreatePatient>(&req).await {
                Ok(p) => open.run(p.id),
                Err(e) => {
                    if !ctx.check(&e) {
                        error.set(Some(e));
                    }
                }
            }
            busy.set(false);
        });
    });
    view! {
        <section class="card">
            <h2>"Register a patient"</h2>
            <PatientForm prefix="np" initial=PatientInput { sex: "female".into(), ..PatientInput::default() }
                submit_label="Register and open chart" busy=busy submit=submit/>
            {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
        </section>
    }
}

/// The demographics form, for registering (`np-…` ids) and for editing (`ep-…`). Address and
/// email are kept as they are (not edited here).
#[component]
pub fn PatientForm(
    prefix: &'static str,
    initial: PatientInput,
    submit_label: &'static str,
    busy: RwSignal<bool>,
    submit: Callback<PatientInput>,
) -> impl IntoView {
    let family = RwSignal::new(initial.family.clone());
    let given = RwSignal::new(initial.given.join(" "));
    let birth = RwSignal::new(initial.birth_date.clone());
    let sex = RwSignal::new(initial.sex.clone());
    let mrn = RwSignal::new(initial.mrn.clone());
    let phone = RwSignal::new(initial.phone.clone().unwrap_or_default());
    let pregnancy = RwSignal::new(
        initial
            .pregnancy
            .clone()
            .unwrap_or_else(|| "unknown".into()),
    );
    let initial = StoredValue::new(initial);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let phone_v = phone.get_untracked();
        let sex_v = sex.get_untracked();
        let req = PatientInput {
            family: family.get_untracked(),
            given: given
                .get_untracked()
                .split_whitespace()
                .map(String::from)
                .collect(),
            birth_date: birth.get_untracked(),
            pregnancy: (sex_v == "female").then(|| pregnancy.get_untracked()),
            sex: sex_v,
            mrn: mrn.get_untracked(),
            phone: (!phone_v.trim().is_empty()).then_some(phone_v),
            ..initial.get_value()
        };
        submit.run(req);
    };
    let id = move |f: &str| format!("{prefix}-{f}");
    view! {
        <form id=id("form") class="grid-form" on:submit=on_submit>
            <div><label for=id("family")>"Family name"</label><input id=id("family") required maxlength="100" bind:value=family/></div>
            <div><label for=id("given")>"Given names"</label><input id=id("given") maxlength="100" bind:value=given/></div>
            <div><label for=id("birth")>"Birth date"</label><input id=id("birth") type="date" required bind:value=birth/></div>
            <div>
                <label for=id("sex")>"Sex"</label>
                <select id=id("sex") bind:value=sex>
                    <option value="female">"Female"</option>
                    <option value="male">"Male"</option>
                    <option value="other">"Other"</option>
                    <option value="unknown">"Unknown"</option>
                </select>
            </div>
            <div><label for=id("mrn")>"MRN"</label><input id=id("mrn") required maxlength="64" bind:value=mrn/></div>
            <div><label for=id("phone")>"Phone"</label><input id=id("phone") type="tel" maxlength="40" bind:value=phone/></div>
            {move || (sex.get() == "female").then(|| view! {
                <div>
                    <label for=id("pregnancy")>"Pregnancy"</label>
                    <select id=id("pregnancy") bind:value=pregnancy>
                        <option value="unknown">"Unknown"</option>
                        <option value="not-pregnant">"Not pregnant"</option>
                        <option value="pregnant">"Pregnant"</option>
                    </select>
                </div>
            })}
            <div class="form-actions">
                <button id=id("submit") class="primary" type="submit" disabled=move || busy.get()>
                    {move || if busy.get() { "Saving…" } else { submit_label }}
                </button>
            </div>
        </form>
    }
}
