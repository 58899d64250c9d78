//! FHIR import for administrators: paths on this workstation (files or folders of Bundles and
//! NDJSON), progress streamed while it runs, and the report with every quarantined resource
//! (where and why, never its content).

use iris_types::{ApiError, ImportFhir, ImportProgressDto, ImportReportDto, ImportRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::error_panel::ErrorPanel;
use crate::ipc;
use crate::session::SessionCtx;

#[component]
pub fn ImportPage() -> impl IntoView {
    let ctx = SessionCtx::get();
    let paths = RwSignal::new(String::new());
    let running = RwSignal::new(false);
    let status = RwSignal::new(None::<ImportProgressDto>);
    let report = RwSignal::new(None::<ImportReportDto>);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if running.get_untracked() {
            return;
        }
        let list: Vec<String> = paths
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        report.set(None);
        error.set(None);
        status.set(None);
        running.set(true);
        spawn_local(async move {
            // Progress arrives on the command's stream while it runs.
            let on_progress = move |p: ImportProgressDto| {
                let _ = status.try_set(Some(p));
            };
            match ipc::stream::<ImportFhir>(
                &ImportRequest {
                    paths: list,
                    atomic: false,
                },
                on_progress,
            )
            .await
            {
                Ok(r) => report.set(Some(r)),
                Err(e) => {
                    if !ctx.check(&e) {
                        error.set(Some(e));
                    }
                }
            }
            running.set(false);
        });
    };
    view! {
        <h1>"Import FHIR"</h1>
        <section class="card">
            <form id="import-form" on:submit=submit>
                <label for="import-paths">"Files or folders on this workstation, one per line"</label>
                <textarea id="import-paths" rows="3" placeholder="/mnt/transfer/synthea/fhir" bind:value=paths></textarea>
                <p class="field-help">"FHIR R4 Bundles (transaction, batch, collection, searchset) as .json, bulk data as .ndjson. What R4 refuses is quarantined with where and why, and so is what references it; everything else is imported, and what Iris does not chart is kept as imported. Importing the same data again adds nothing."</p>
                <button id="import-submit" class="primary" type="submit" disabled=move || running.get()>
                    {move || if running.get() { "Importing…" } else { "Import" }}
                </button>
            </form>
            {move || running.get().then(|| {
                let s = status.get().unwrap_or_default();
                view! {
                    <div class="import-progress" id="import-progress" role="status" aria-live="polite">
                        <progress max=s.files_total.max(1) value=s.files_done></progress>
                        <span>{format!(
                            "File {} of {} · {} resources read · {} quarantined",
                            (s.files_done + 1).min(s.files_total.max(1)), s.files_total, s.resources_read, s.quarantined
                        )}</span>
                    </div>
                }
            })}
            {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
        </section>
        {move || report.get().map(|r| view! { <Report report=r progress=status.get_untracked()/> })}
    }
}

#[component]
fn Report(report: ImportReportDto, progress: Option<ImportProgressDto>) -> impl IntoView {
    let r = report;
    view! {
        <section class="card" id="import-report">
            <h2>"Import report"</h2>
            {progress.map(|p| view! {
                <p class="muted" id="import-streamed">{format!(
                    "Read {} of {} files as they were imported.",
                    p.files_done, p.files_total
                )}</p>
            })}
            <dl class="facts">
                <div class="fact"><dt>"Resources read"</dt><dd id="report-read">{r.resources_read}</dd></div>
                <div class="fact"><dt>"Imported"</dt><dd id="report-imported">{r.resources_imported}</dd></div>
                <div class="fact"><dt>"Quarantined"</dt><dd id="report-quarantined">{r.quarantined}</dd></div>
                <div class="fact"><dt>"Patients"</dt><dd id="report-patients">{r.patients}</dd></div>
                <div class="fact"><dt>"Patients complete"</dt><dd id="report-whole">{r.patients_whole}</dd></div>
                <div class="fact"><dt>"Warnings"</dt><dd id="report-warnings">{r.warnings}</dd></div>
                <div class="fact"><dt>"Time"</dt><dd>{format!("{:.1} s", r.seconds)}</dd></div>
            </dl>
            <h3>"By resource type"</h3>
            <table class="settings" id="report-by-type">
                <thead><tr><th scope="col">"Type"</th><th scope="col">"Imported"</th><th scope="col">"Not structured (kept as imported)"</th></tr></thead>
                <tbody>
                    {r.by_type.into_iter().map(|(t, n)| {
                        let kept = r.kept_whole.get(&t).copied().unwrap_or(0);
                        view! { <tr><th scope="row">{t}</th><td>{n}</td><td>{kept}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
            {(!r.quarantine_report.is_empty()).then(|| view! {
                <h3>"Quarantined (kept encrypted; fix the source and import again)"</h3>
                <table class="settings" id="report-quarantine">
                    <thead><tr><th scope="col">"File"</th><th scope="col">"Where"</th><th scope="col">"Why"</th></tr></thead>
                    <tbody>
                        {r.quarantine_report.into_iter().map(|q| view! {
                            <tr><td><code>{q.file}</code></td><td><code>{q.path}</code></td><td>{q.reason}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {(!r.warning_report.is_empty()).then(|| view! {
                <h3>"Warnings (imported; something left out or not structured)"</h3>
                <table class="settings" id="report-warning-list">
                    <thead><tr><th scope="col">"File"</th><th scope="col">"Where"</th><th scope="col">"What"</th></tr></thead>
                    <tbody>
                        {r.warning_report.into_iter().map(|q| view! {
                            <tr><td><code>{q.file}</code></td><td><code>{q.path}</code></td><td>{q.reason}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}
