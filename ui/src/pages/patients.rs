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
    let family = RwSignal::new(String::new());
    let given = RwSignal::new(String::new());
    let birth = RwSignal::new(String::new());
    let sex = RwSignal::new("female".to_string());
    let mrn = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let phone_v = phone.get_untracked();
        let req = PatientInput {
            family: family.get_untracked(),
            given: given
                .get_untracked()
                .split_whitespace()
                .map(String::from)
                .collect(),
            birth_date: birth.get_untracked(),
            sex: sex.get_untracked(),
            mrn: mrn.get_untracked(),
            phone: (!phone_v.trim().is_empty()).then_some(phone_v),
            ..PatientInput::default()
        };
        spawn_local(async move {
            match ipc::call::<CreatePatient>(&req).await {
                Ok(p) => open.run(p.id),
                Err(e) => {
                    if !ctx.check(&e) {
                        error.set(Some(e));
                    }
                }
            }
        });
    };
    view! {
        <section class="card">
            <h2>"Register a patient"</h2>
            <form id="new-patient-form" class="grid-form" on:submit=submit>
                <div><label for="np-family">"Family name"</label><input id="np-family" required bind:value=family/></div>
                <div><label for="np-given">"Given names"</label><input id="np-given" bind:value=given/></div>
                <div><label for="np-birth">"Birth date"</label><input id="np-birth" type="date" required bind:value=birth/></div>
                <div>
                    <label for="np-sex">"Sex"</label>
                    <select id="np-sex" bind:value=sex>
                        <option value="female">"Female"</option>
                        <option value="male">"Male"</option>
                        <option value="other">"Other"</option>
                        <option value="unknown">"Unknown"</option>
                    </select>
                </div>
                <div><label for="np-mrn">"MRN"</label><input id="np-mrn" required bind:value=mrn/></div>
                <div><label for="np-phone">"Phone"</label><input id="np-phone" type="tel" bind:value=phone/></div>
                <div class="form-actions"><button id="np-submit" class="primary" type="submit">"Register and open chart"</button></div>
            </form>
            {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
        </section>
    }
}
