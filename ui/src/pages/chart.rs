//! The patient chart: demographics header, allergy banner, and tabs for the summary, vitals
//! and labs, problems, medications, allergies and encounters.

use iris_types::{
    AllergyDto, AllergyStatus, ApiError, ChartDto, ChartTrends, ErrorCode, ObservationDto,
    OpenChart, PatientDto, PatientRef, RecordVitals, RecordVitalsRequest, TrendDto, TrendsRequest,
    UpdatePatient, UpdatePatientRequest, VitalInput, loinc,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::error_panel::ErrorPanel;
use crate::ipc;
use crate::pages::cds::{AddMedicationForm, TriagePanel};
use crate::pages::encounters::{EncounterUi, Encounters, RecordErrorAction};
use crate::pages::patients::PatientForm;
use crate::session::{SessionCtx, Stage};

/// Lets a form on the chart ask for the chart to be read again after it wrote.
#[derive(Debug, Clone, Copy)]
pub struct ChartVersion(pub RwSignal<u32>, pub RwSignal<Option<&'static str>>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Summary,
    Vitals,
    Problems,
    Medications,
    Allergies,
    Encounters,
    Triage,
}

impl Tab {
    const ALL: [Tab; 7] = [
        Tab::Summary,
        Tab::Vitals,
        Tab::Problems,
        Tab::Medications,
        Tab::Allergies,
        Tab::Encounters,
        Tab::Triage,
    ];
    fn label(self) -> &'static str {
        match self {
            Tab::Summary => "Summary",
            Tab::Vitals => "Vitals & labs",
            Tab::Problems => "Problems",
            Tab::Medications => "Medications",
            Tab::Allergies => "Allergies",
            Tab::Encounters => "Encounters",
            Tab::Triage => "Triage",
        }
    }
    fn id(self) -> &'static str {
        match self {
            Tab::Summary => "tab-summary",
            Tab::Vitals => "tab-vitals",
            Tab::Problems => "tab-problems",
            Tab::Medications => "tab-medications",
            Tab::Allergies => "tab-allergies",
            Tab::Encounters => "tab-encounters",
            Tab::Triage => "tab-triage",
        }
    }
}

#[component]
pub fn ChartPage(id: String, back: Callback<()>) -> impl IntoView {
    let ctx = SessionCtx::get();
    let chart = RwSignal::new(None::<ChartDto>);
    let error = RwSignal::new(None::<ApiError>);
    // Bumped after a write so the chart is read again.
    let version = RwSignal::new(0u32);
    let id = StoredValue::new(id);
    Effect::new(move |_| {
        version.track();
        let req = PatientRef { id: id.get_value() };
        spawn_local(async move {
            match ipc::call::<OpenChart>(&req).await {
                Ok(c) => chart.set(Some(c)),
                Err(e) => {
                    if !ctx.check(&e) {
                        error.set(Some(e));
                    }
                }
            }
        });
    });
    // "Saved" outlives the re-read of the chart that rebuilds the form.
    provide_context(ChartVersion(version, RwSignal::new(None)));
    let tab = RwSignal::new(Tab::Summary);
    let encounters = EncounterUi::new();
    provide_context(encounters);
    // Alt+N: new encounter; Alt+S: sign the note being edited (physicians). `code` is the
    // physical key, so the shortcuts work on any keyboard layout.
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if !ev.alt_key() || ev.ctrl_key() || ev.meta_key() || chart.with_untracked(Option::is_none)
        {
            return;
        }
        match ev.code().as_str() {
            "KeyN" => {
                ev.prevent_default();
                tab.set(Tab::Encounters);
                encounters.starting.set(true);
            }
            "KeyT" => {
                ev.prevent_default();
                tab.set(Tab::Triage);
            }
            "KeyS" if encounters.editing.get_untracked().is_some() => {
                ev.prevent_default();
                tab.set(Tab::Encounters);
                encounters.confirm_sign.set(true);
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
    view! {
        <button id="back-to-patients" class="link back" on:click=move |_| back.run(())>"← Patients"</button>
        {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
        {move || match chart.get() {
            None if error.get().is_none() => Some(view! { <p class="loading" aria-live="polite">"Opening chart…"</p> }.into_any()),
            None => None,
            Some(c) => Some(view! { <Chart chart=c tab=tab/> }.into_any()),
        }}
    }
}

pub fn sex_label(s: &str) -> &'static str {
    match s {
        "female" => "Female",
        "male" => "Male",
        "other" => "Other",
        _ => "Unknown sex",
    }
}

pub fn format_time(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

fn value_text(o: &ObservationDto) -> String {
    match (o.value, &o.unit, &o.text) {
        (Some(v), Some(u), _) => format!("{} {}", trim_number(v), unit_label(u)),
        (_, _, Some(t)) => t.clone(),
        _ => "—".into(),
    }
}

fn trim_number(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(String::from).unwrap_or(s)
}

/// UCUM codes as clinicians write them.
pub fn unit_label(u: &str) -> &str {
    match u {
        "Cel" => "°C",
        "mm[Hg]" => "mmHg",
        "/min" => "/min",
        "kg/m2" => "kg/m²",
        // UCUM annotations ({puff}, {tbl}) are words.
        other => other.trim_start_matches('{').trim_end_matches('}'),
    }
}

fn flag(o: &ObservationDto) -> Option<&'static str> {
    match o.interpretation.as_deref() {
        Some("H") => Some("High"),
        Some("HH") => Some("Critically high"),
        Some("L") => Some("Low"),
        Some("LL") => Some("Critically low"),
        Some("A") => Some("Abnormal"),
        _ => None,
    }
}

#[component]
fn Chart(chart: ChartDto, tab: RwSignal<Tab>) -> impl IntoView {
    let p = &chart.patient;
    let name = if p.patient.given.is_empty() {
        p.patient.family.clone()
    } else {
        format!("{}, {}", p.patient.family, p.patient.given.join(" "))
    };
    // Relevant for a woman of child-bearing age, or whenever she is recorded as pregnant.
    let relevant = p.patient.sex == "female"
        && ((12..=55).contains(&p.age) || p.patient.pregnancy.as_deref() == Some("pregnant"));
    let pregnancy = relevant
        .then(|| p.patient.pregnancy.clone())
        .flatten()
        .map(|s| match s.as_str() {
            "pregnant" => "Pregnant",
            "not-pregnant" => "Not pregnant",
            _ => "Pregnancy unknown",
        });
    let physician = matches!(SessionCtx::get().stage.get_untracked(), Stage::SignedIn(s) if s.role == "physician");
    let editing = RwSignal::new(false);
    let chart = StoredValue::new(chart.clone());
    view! {
        <header class="chart-header card" id="chart-header">
            {physician.then(|| view! {
                <button id="edit-patient" class="secondary header-action" aria-expanded=move || editing.get().to_string()
                    on:click=move |_| editing.update(|e| *e = !*e)>"Edit details"</button>
            })}
            <h1 id="chart-name">{name}</h1>
            <p class="demographics">
                <span>{format!("{} y", p.age)}</span>
                <span>{sex_label(&p.patient.sex)}</span>
                <span>{format!("Born {}", p.patient.birth_date)}</span>
                <span>"MRN "<code>{p.patient.mrn.clone()}</code></span>
                {pregnancy.map(|t| view! { <span class="pregnancy" id="pregnancy-status">{t}</span> })}
            </p>
            {chart.with_value(|c| c.early_warning.clone()).map(|ew| view! { <EarlyWarning ew=ew/> })}
            {move || editing.get().then(|| chart.with_value(|c| view! { <EditPatient patient=c.patient.clone() done=editing/> }))}
        </header>
        {chart.with_value(|c| view! { <AllergyBanner status=c.allergy_status allergies=c.allergies.clone()/> })}
        <div class="tabs" role="tablist" aria-label="Chart sections">
            {Tab::ALL.into_iter().map(|t| view! {
                <button
                    role="tab"
                    id=t.id()
                    class="tab"
                    aria-selected=move || (tab.get() == t).to_string()
                    on:click=move |_| tab.set(t)
                >
                    {t.label()}
                </button>
            }).collect_view()}
        </div>
        <section class="tab-panel card" role="tabpanel">
            {move || chart.with_value(|c| match tab.get() {
                Tab::Summary => view! { <Summary chart=c.clone()/> }.into_any(),
                Tab::Vitals => view! {
                    <VitalsForm patient_id=c.patient.id.clone()/>
                    <Trends id=c.patient.id.clone()/>
                    <h2 class="section-gap">"All observations"</h2>
                    <ObservationTable id="observations" rows=c.observations.clone()/>
                }.into_any(),
                Tab::Problems => view! { <Problems chart=c.clone()/> <History chart=c.clone()/> }.into_any(),
                Tab::Medications => view! {
                    {physician.then(|| view! { <AddMedicationForm patient_id=c.patient.id.clone()/> })}
                    <Medications chart=c.clone()/>
                }.into_any(),
                Tab::Allergies => view! { <AllergyList status=c.allergy_status allergies=c.allergies.clone()/> }.into_any(),
                Tab::Encounters => view! { <Encounters chart=c.clone()/> }.into_any(),
                Tab::Triage => view! { <TriagePanel patient=c.patient.clone()/> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn AllergyBanner(status: AllergyStatus, allergies: Vec<AllergyDto>) -> impl IntoView {
    let high = allergies.iter().any(|a| a.criticality == "high");
    let (class, text) = match status {
        AllergyStatus::NotRecorded => (
            "allergy-banner not-recorded",
            "Allergies: NOT RECORDED — ask the patient and record them".to_string(),
        ),
        AllergyStatus::NoKnown => ("allergy-banner no-known", "No known allergies".to_string()),
        AllergyStatus::Recorded => (
            if high {
                "allergy-banner high"
            } else {
                "allergy-banner recorded"
            },
            format!(
                "Allergies: {}",
                allergies
                    .iter()
                    .map(|a| match &a.reaction {
                        Some(r) => format!(
                            "{} ({}{})",
                            a.display,
                            r,
                            if a.criticality == "high" {
                                ", high risk"
                            } else {
                                ""
                            }
                        ),
                        None => a.display.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(" · ")
            ),
        ),
    };
    view! { <div id="allergy-banner" class=class role="note">{text}</div> }
}

#[component]
fn Summary(chart: ChartDto) -> impl IntoView {
    // A problem or drug recorded at several visits is listed once (the newest).
    let mut seen = std::collections::HashSet::new();
    let active_problems: Vec<_> = chart
        .problems
        .iter()
        .filter(|p| {
            p.clinical_status == "active" && seen.insert((p.system.clone(), p.code.clone()))
        })
        .cloned()
        .collect();
    let mut seen = std::collections::HashSet::new();
    let active_meds: Vec<_> = chart
        .medications
        .iter()
        .filter(|m| m.status == "active" && seen.insert(m.display.clone()))
        .cloned()
        .collect();
    view! {
        <div class="summary-grid">
            <section>
                <h2>"Active problems"</h2>
                {if active_problems.is_empty() {
                    view! { <p class="empty">"None recorded."</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain" id="summary-problems">
                            {active_problems.into_iter().map(|p| view! {
                                <li>{p.display}" "<code class="muted">{p.code}</code></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section>
                <h2>"Active medications"</h2>
                {if active_meds.is_empty() {
                    view! { <p class="empty">"None recorded."</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain" id="summary-medications">
                            {active_meds.into_iter().map(|m| view! {
                                <li>
                                    <strong>{m.display}</strong>
                                    <span class="muted">{format!(
                                        " — {}{} {} {}",
                                        m.dose_value.map(trim_number).unwrap_or_default(),
                                        m.dose_unit.map(|u| format!(" {}", unit_label(&u))).unwrap_or_default(),
                                        if m.route == "other" { "" } else { m.route.as_str() },
                                        m.frequency
                                    ).replace("  ", " ").trim_end().to_string()}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </div>
        {(!chart.risk_flags.is_empty()).then(|| view! { <RiskFlags flags=chart.risk_flags.clone()/> })}
        <h2 class="section-gap">"Latest vitals"</h2>
        <ObservationTable id="latest-vitals" rows=chart.latest_vitals.clone()/>
    }
}

/// Rows drawn before "Show all": a chart with thousands of results opens fast, newest first.
const FIRST_ROWS: usize = 100;

#[component]
fn ObservationTable(id: &'static str, rows: Vec<ObservationDto>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"No observations recorded."</p> }.into_any();
    }
    let total = rows.len();
    let all = RwSignal::new(total <= FIRST_ROWS);
    let rows = StoredValue::new(rows);
    view! {
        <table class="settings obs-table" id=id data-total=total>
            <thead>
                <tr>
                    <th scope="col">"Observation"</th>
                    <th scope="col">"Value"</th>
                    <th scope="col">"Reference"</th>
                    <th scope="col">"Flag"</th>
                    <th scope="col">"Time"</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    let n = if all.get() { total } else { FIRST_ROWS };
                    rows.with_value(|r| r.iter().take(n).map(observation_row).collect_view())
                }}
            </tbody>
        </table>
        {move || (!all.get()).then(|| view! {
            <button class="secondary show-all" id=format!("{id}-show-all") on:click=move |_| all.set(true)>
                {format!("Show all {total} observations")}
            </button>
        })}
    }
    .into_any()
}

fn observation_row(o: &ObservationDto) -> impl IntoView + use<> {
    let flag = flag(o);
    let reference = match (o.reference_low, o.reference_high) {
        (Some(l), Some(h)) => format!("{}–{}", trim_number(l), trim_number(h)),
        (Some(l), None) => format!("≥ {}", trim_number(l)),
        (None, Some(h)) => format!("≤ {}", trim_number(h)),
        _ => "—".into(),
    };
    view! {
        <tr data-code=o.code.clone() class=flag.map(|_| "abnormal")>
            <th scope="row">{if o.display.is_empty() { o.code.clone() } else { o.display.clone() }}</th>
            <td class="value">{value_text(o)}</td>
            <td>{reference}</td>
            <td>{flag.map(|f| view! { <span class="badge flag">{f}</span> })}</td>
            <td>{format_time(o.effective_at)}</td>
        </tr>
    }
}

#[component]
fn Problems(chart: ChartDto) -> impl IntoView {
    if chart.problems.is_empty() {
        return view! { <p class="empty">"No problems recorded."</p> }.into_any();
    }
    view! {
        <table class="settings" id="problems">
            <thead><tr><th scope="col">"Problem"</th><th scope="col">"Code"</th><th scope="col">"Onset"</th><th scope="col">"Status"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
            <tbody>
                {chart.problems.into_iter().map(|p| view! {
                    <tr data-record=p.id.clone()>
                        <th scope="row">{p.display}</th>
                        <td><code>{p.code}</code></td>
                        <td>{p.onset.unwrap_or_else(|| "—".into())}</td>
                        <td>{p.clinical_status}</td>
                        <td class="row-actions"><RecordErrorAction record_id=p.id.clone() what="problem"/></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Procedures, immunizations and the resources imported whole (imported history), under the
/// problem list.
#[component]
fn History(chart: ChartDto) -> impl IntoView {
    view! {
        {(!chart.procedures.is_empty()).then(|| view! {
            <h2 class="section-gap">"Procedures"</h2>
            <table class="settings" id="procedures">
                <thead><tr><th scope="col">"Procedure"</th><th scope="col">"Code"</th><th scope="col">"Date"</th><th scope="col">"Status"</th></tr></thead>
                <tbody>
                    {chart.procedures.iter().map(|p| view! {
                        <tr><th scope="row">{p.display.clone()}</th><td><code>{p.code.clone()}</code></td>
                        <td>{format_time(p.performed_at)[..10].to_string()}</td><td>{p.status.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        {(!chart.immunizations.is_empty()).then(|| view! {
            <h2 class="section-gap">"Immunizations"</h2>
            <table class="settings" id="immunizations">
                <thead><tr><th scope="col">"Vaccine"</th><th scope="col">"CVX"</th><th scope="col">"Date"</th><th scope="col">"Status"</th></tr></thead>
                <tbody>
                    {chart.immunizations.iter().map(|i| view! {
                        <tr><th scope="row">{i.display.clone()}</th><td><code>{i.code.clone()}</code></td>
                        <td>{i.date.clone()}</td><td>{i.status.clone()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        {(!chart.unstructured.is_empty()).then(|| view! {
            <h2 class="section-gap">"Imported, not structured"</h2>
            <p class="field-help">"Kept as they were imported; Iris does not chart these yet."</p>
            <table class="settings" id="unstructured">
                <thead><tr><th scope="col">"Type"</th><th scope="col">"Count"</th><th scope="col">"Latest"</th></tr></thead>
                <tbody>
                    {chart.unstructured.iter().map(|u| view! {
                        <tr><th scope="row">{u.resource_type.clone()}</th><td>{u.count}</td>
                        <td>{u.latest.clone().unwrap_or_else(|| "—".into())}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}

#[component]
fn Medications(chart: ChartDto) -> impl IntoView {
    if chart.medications.is_empty() {
        return view! { <p class="empty">"No medications recorded."</p> }.into_any();
    }
    view! {
        <table class="settings" id="medications">
            <thead><tr><th scope="col">"Medication"</th><th scope="col">"Dose"</th><th scope="col">"Route"</th><th scope="col">"Frequency"</th><th scope="col">"Status"</th><th scope="col">"Since"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
            <tbody>
                {chart.medications.into_iter().map(|m| view! {
                    <tr data-record=m.id.clone()>
                        <th scope="row">{m.display}</th>
                        <td>{format!("{}{}", m.dose_value.map(trim_number).unwrap_or_default(), m.dose_unit.map(|u| format!(" {}", unit_label(&u))).unwrap_or_default())}</td>
                        <td>{m.route}</td>
                        <td>{m.frequency}</td>
                        <td>{m.status}</td>
                        <td>{m.start.unwrap_or_else(|| "—".into())}</td>
                        <td class="row-actions"><RecordErrorAction record_id=m.id.clone() what="medication"/></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn AllergyList(status: AllergyStatus, allergies: Vec<AllergyDto>) -> impl IntoView {
    match status {
        AllergyStatus::NotRecorded => view! { <p class="empty">"Allergies have not been recorded."</p> }.into_any(),
        AllergyStatus::NoKnown => view! { <p>"No known allergies (recorded)."</p> }.into_any(),
        AllergyStatus::Recorded => view! {
            <table class="settings" id="allergies">
                <thead><tr><th scope="col">"Substance"</th><th scope="col">"Reaction"</th><th scope="col">"Criticality"</th><th scope="col">"Recorded"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>
                    {allergies.into_iter().map(|a| view! {
                        <tr data-record=a.id.clone()>
                            <th scope="row">{a.display}</th>
                            <td>{a.reaction.unwrap_or_else(|| "—".into())}</td>
                            <td>{a.criticality}</td>
                            <td>{a.recorded}</td>
                            <td class="row-actions"><RecordErrorAction record_id=a.id.clone() what="allergy"/></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }.into_any(),
    }
}

/// Trend charts for a selectable window; the SVG comes from the backend (numbers, dates and
/// fixed labels only, never record text).
#[component]
fn Trends(id: String) -> impl IntoView {
    let ctx = SessionCtx::get();
    let days = RwSignal::new("1095".to_string());
    let trends = RwSignal::new(None::<Vec<TrendDto>>);
    let error = RwSignal::new(None::<ApiError>);
    let id = StoredValue::new(id);
    Effect::new(move |_| {
        let d = days.get();
        let req = TrendsRequest {
            id: id.get_value(),
            days: d.parse().ok(),
        };
        trends.set(None);
        spawn_local(async move {
            match ipc::call::<ChartTrends>(&req).await {
                Ok(t) => trends.set(Some(t)),
                Err(e) => {
                    if !ctx.check(&e) {
                        error.set(Some(e));
                    }
                }
            }
        });
    });
    view! {
        <div class="trend-controls">
            <label for="trend-window">"Show"</label>
            <select id="trend-window" bind:value=days>
                <option value="90">"Last 3 months"</option>
                <option value="365">"Last year"</option>
                <option value="1095">"Last 3 years"</option>
                <option value="all">"Everything"</option>
            </select>
        </div>
        {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
        {move || match trends.get() {
            None => view! { <p class="loading" aria-live="polite">"Drawing trends…"</p> }.into_any(),
            Some(t) if t.is_empty() => view! { <p class="empty">"Nothing measured in this window."</p> }.into_any(),
            Some(t) => view! {
                <div class="trend-grid">
                    {t.into_iter().map(|tr| view! {
                        <figure class="trend" id=format!("trend-{}", tr.key) data-points=tr.points data-abnormal=tr.abnormal>
                            <div class="trend-svg" inner_html=tr.svg></div>
                            <figcaption class="visually-hidden">{format!("{}: {} values, {} abnormal", tr.title, tr.points, tr.abnormal)}</figcaption>
                        </figure>
                    }).collect_view()}
                </div>
            }.into_any(),
        }}
    }
}

/// The vitals a form offers: (key, label, LOINC, unit choices (UCUM, label)).
const VITALS: [(&str, &str, &str, &[(&str, &str)]); 10] = [
    (
        "sbp",
        "Systolic BP",
        loinc::SYSTOLIC_BP,
        &[("mm[Hg]", "mmHg")],
    ),
    (
        "dbp",
        "Diastolic BP",
        loinc::DIASTOLIC_BP,
        &[("mm[Hg]", "mmHg")],
    ),
    ("hr", "Heart rate", loinc::HEART_RATE, &[("/min", "/min")]),
    (
        "rr",
        "Respiratory rate",
        loinc::RESPIRATORY_RATE,
        &[("/min", "/min")],
    ),
    ("spo2", "SpO2", loinc::SPO2, &[("%", "%")]),
    (
        "temp",
        "Temperature",
        loinc::BODY_TEMPERATURE,
        &[("Cel", "°C"), ("[degF]", "°F")],
    ),
    (
        "weight",
        "Weight",
        loinc::BODY_WEIGHT,
        &[("kg", "kg"), ("[lb_av]", "lb")],
    ),
    (
        "height",
        "Height",
        loinc::BODY_HEIGHT,
        &[("cm", "cm"), ("[in_i]", "in")],
    ),
    (
        "o2",
        "Oxygen (0 = room air)",
        loinc::OXYGEN_FLOW,
        &[("L/min", "L/min")],
    ),
    (
        "glucose",
        "Glucose (bedside)",
        loinc::GLUCOSE_BLOOD,
        &[("mg/dL", "mg/dL"), ("mmol/L", "mmol/L")],
    ),
];

fn vital_rule(rule: &str) -> &'static str {
    match rule {
        "impossible" => "outside what is physiologically possible; check the value and unit",
        "unit" => "this unit is not accepted",
        "number" => "not a number",
        "not_in_future" => "the time is in the future",
        _ => "not accepted",
    }
}

/// Vital signs entry: any subset, each in the unit chosen; checked for plausibility by the
/// vault and stored in canonical units. One bad value saves nothing.
#[component]
fn VitalsForm(patient_id: String) -> impl IntoView {
    let ctx = SessionCtx::get();
    let nurse = matches!(ctx.stage.get_untracked(), Stage::SignedIn(s) if s.role == "nurse");
    let ChartVersion(version, saved) = expect_context::<ChartVersion>();
    let values: Vec<RwSignal<String>> = VITALS
        .iter()
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let units: Vec<RwSignal<String>> = VITALS
        .iter()
        .map(|v| RwSignal::new(v.3[0].0.to_string()))
        .collect();
    let problems = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<ApiError>);
    let consciousness = RwSignal::new(String::new());
    let (vals, unts) = (values.clone(), units.clone());
    let patient_id = StoredValue::new(patient_id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut vitals = Vec::new();
        let mut labels = Vec::new();
        let mut bad = Vec::new();
        for (i, v) in VITALS.iter().enumerate() {
            let raw = vals[i].get_untracked();
            if raw.trim().is_empty() {
                continue;
            }
            match raw.trim().replace(',', ".").parse::<f64>() {
                Ok(value) => {
                    vitals.push(VitalInput {
                        code: v.2.to_string(),
                        value,
                        unit: unts[i].get_untracked(),
                    });
                    labels.push(v.1);
                }
                Err(_) => bad.push(format!("{}: not a number", v.1)),
            }
        }
        saved.set(None);
        error.set(None);
        let level = consciousness.get_untracked();
        if !bad.is_empty() || (vitals.is_empty() && level.is_empty()) {
            if vitals.is_empty() && bad.is_empty() {
                bad.push("Enter at least one value.".into());
            }
            problems.set(bad);
            return;
        }
        problems.set(Vec::new());
        let req = RecordVitalsRequest {
            patient_id: patient_id.get_value(),
            vitals,
            consciousness: (!level.is_empty()).then_some(level),
            at: None,
        };
        let vals = vals.clone();
        spawn_local(async move {
            match ipc::call::<RecordVitals>(&req).await {
                Ok(_) => {
                    for v in &vals {
                        v.set(String::new());
                    }
                    consciousness.set(String::new());
                    saved.set(Some("vitals"));
                    version.update(|n| *n += 1);
                }
                Err(e) if e.code == ErrorCode::Validation => {
                    problems.set(
                        e.fields
                            .iter()
                            .map(|f| {
                                let index = f
                                    .field
                                    .strip_prefix("vitals.")
                                    .and_then(|r| r.split('.').next())
                                    .and_then(|n| n.parse::<usize>().ok());
                                let label = index
                                    .and_then(|n| labels.get(n))
                                    .copied()
                                    .unwrap_or("Vitals");
                                format!("{label}: {}", vital_rule(&f.rule))
                            })
                            .collect(),
                    );
                }
                Err(e) => {
                    if !ctx.check(&e) {
                        error.set(Some(e));
                    }
                }
            }
        });
    };
    view! {
        // Open for nurses, who record vitals; physicians come here for results and trends.
        <details class="vitals-entry" open=nurse>
            <summary>"Record vitals"</summary>
            <form id="vitals-form" class="vitals-grid" on:submit=submit>
                {VITALS.iter().enumerate().map(|(i, v)| {
                    let value = values[i];
                    let unit = units[i];
                    let id = format!("vital-{}", v.0);
                    view! {
                        <div class="vital-field">
                            <label for=id.clone()>{v.1}</label>
                            <div class="vital-input">
                                <input id=id inputmode="decimal" autocomplete="off" bind:value=value/>
                                {if v.3.len() > 1 {
                                    view! {
                                        <select id=format!("vital-{}-unit", v.0) aria-label=format!("{} unit", v.1) bind:value=unit>
                                            {v.3.iter().map(|(code, label)| view! { <option value=*code>{*label}</option> }).collect_view()}
                                        </select>
                                    }.into_any()
                                } else {
                                    view! { <span class="unit">{v.3[0].1}</span> }.into_any()
                                }}
                            </div>
                        </div>
                    }
                }).collect_view()}
                <div class="vital-field">
                    <label for="vital-acvpu">"Consciousness (ACVPU)"</label>
                    <select id="vital-acvpu" class="acvpu" bind:value=consciousness>
                        <option value="">"—"</option>
                        <option value="A">"A · alert"</option>
                        <option value="C">"C · new confusion"</option>
                        <option value="V">"V · responds to voice"</option>
                        <option value="P">"P · responds to pain"</option>
                        <option value="U">"U · unresponsive"</option>
                    </select>
                </div>
                <div class="form-actions"><button id="vitals-submit" class="primary" type="submit">"Save vitals"</button></div>
            </form>
            {move || {
                let p = problems.get();
                (!p.is_empty()).then(|| view! {
                    <section class="error-panel" role="alert" id="vitals-errors" data-code="VALIDATION">
                        <h2>"Not saved: please check these values"</h2>
                        <ul class="error-fields">{p.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                    </section>
                })
            }}
            {move || (saved.get() == Some("vitals")).then(|| view! { <p class="saved" id="vitals-saved" role="status">"Vitals saved."</p> })}
            {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
        </details>
    }
}

/// Corrects demographics in place (physicians); the chart is read again after saving.
#[component]
fn EditPatient(patient: PatientDto, done: RwSignal<bool>) -> impl IntoView {
    let ctx = SessionCtx::get();
    let ChartVersion(version, _) = expect_context::<ChartVersion>();
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let id = StoredValue::new(patient.id.clone());
    let submit = Callback::new(move |p| {
        busy.set(true);
        error.set(None);
        let req = UpdatePatientRequest {
            id: id.get_value(),
            patient: p,
        };
        spawn_local(async move {
            match ipc::call::<UpdatePatient>(&req).await {
                Ok(_) => {
                    done.set(false);
                    version.update(|n| *n += 1);
                }
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
        <div class="edit-patient">
            <PatientForm prefix="ep" initial=patient.patient submit_label="Save details" busy=busy submit=submit/>
            {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
        </div>
    }
}

/// Input names of the scores as a clinician reads them.
fn part_label(input: &str) -> &str {
    match input {
        "respiratory_rate" => "RR",
        "spo2" => "SpO2",
        "on_oxygen" => "O2",
        "systolic_bp" => "SBP",
        "heart_rate" => "HR",
        "consciousness" => "ACVPU",
        "gcs" => "GCS",
        "temperature_c" => "Temp",
        other => other,
    }
}

fn risk_label(risk: &str) -> String {
    let mut r = risk.replace('-', " ");
    if let Some(first) = r.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    r
}

/// NEWS2 and qSOFA from the newest set of vitals, with the parameters that scored, or what is
/// missing. A missing vital is never assumed normal.
#[component]
fn EarlyWarning(ew: iris_types::EarlyWarningDto) -> impl IntoView {
    let item = |name: &'static str, id: &'static str, s: iris_types::ScoreDto, of: Option<u8>| {
        let level = s.risk.clone().unwrap_or_else(|| "none".into());
        let head = match (s.score, of) {
            (Some(v), Some(max)) => format!("{name} {v}/{max}"),
            (Some(v), None) => format!("{name} {v}"),
            (None, _) => format!("{name} —"),
        };
        let detail = if s.score.is_some() {
            let scored: Vec<String> = s
                .parts
                .iter()
                .filter(|(_, p)| **p > 0.0)
                .map(|(k, p)| format!("{} +{p}", part_label(k)))
                .collect();
            if scored.is_empty() {
                "all parameters normal".to_string()
            } else {
                scored.join(" · ")
            }
        } else {
            format!(
                "not scored: {} not recorded with these vitals",
                s.missing
                    .iter()
                    .map(|m| part_label(m))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        view! {
            <div class=format!("ews ews-{level}") id=id data-score=s.score.map(|v| v.to_string()).unwrap_or_default()>
                <span class="ews-head">{head}</span>
                {s.risk.as_deref().map(|r| view! { <span class="ews-risk">{risk_label(r)}</span> })}
                <span class="ews-detail">{detail}</span>
            </div>
        }
    };
    view! {
        <div class="early-warning" aria-label="Early warning scores">
            {item("NEWS2", "news2", ew.news2, None)}
            {item("qSOFA", "qsofa", ew.qsofa, Some(3))}
            <span class="muted ews-at">{format!("vitals of {}", format_time(ew.at))}</span>
        </div>
    }
}

/// Chronic-disease flags with the values they were derived from (the newest of each shown).
#[component]
fn RiskFlags(flags: Vec<iris_types::RiskFlagDto>) -> impl IntoView {
    view! {
        <h2 class="section-gap">"Risk flags"</h2>
        <ul class="plain risk-flags" id="risk-flags">
            {flags.into_iter().map(|f| {
                let n = f.evidence.len();
                let newest = f.evidence.iter().max_by_key(|e| e.at).cloned();
                let title = match f.kind.as_str() {
                    "diabetes" => "Diabetes",
                    "hypertension" => "Hypertension",
                    "cardiovascular" => "Cardiovascular risk",
                    _ => "Flag",
                };
                view! {
                    <li data-flag=f.kind.clone()>
                        <strong>{title}</strong>
                        <span class="muted">{format!(" — {}", f.rule.replace(">=", "≥"))}</span>
                        {newest.map(|e| view! {
                            <span class="flag-evidence">{format!(
                                " · {} {} {} on {}{}",
                                e.label,
                                trim_number(e.value),
                                e.unit,
                                &format_time(e.at)[..10],
                                if n > 1 { format!(" ({n} values)") } else { String::new() }
                            )}</span>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
