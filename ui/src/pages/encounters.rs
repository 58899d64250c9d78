//! Encounters and notes: start an encounter, write its SOAP note, sign it (physicians), add
//! signed addenda, mark a note entered in error with a reason, print a note.
//!
//! The editor's text lives in [`EncounterUi`], owned by the chart page, so re-reading the chart
//! after a save (which rebuilds every tab) keeps what is being written.

use iris_types::{
    AddAddendum, AddAddendumRequest, ApiError, ChartDto, EncounterDto, EnteredInErrorRequest,
    NoteDto, NoteEnteredInError, NoteRef, SaveNote, SaveNoteRequest, SignNote, SoapDto,
    StartEncounter, StartEncounterRequest,
};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::error_panel::ErrorPanel;
use crate::ipc;
use crate::pages::chart::{ChartVersion, format_time};
use crate::session::SessionCtx;

/// Encounter classes (HL7 v3 ActCode) as the start form offers them.
pub const CLASSES: [(&str, &str); 4] = [
    ("AMB", "Clinic visit"),
    ("EMER", "Emergency"),
    ("IMP", "Inpatient"),
    ("HH", "Home visit"),
];

fn class_label(code: &str) -> &str {
    CLASSES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, l)| l)
}

fn status_label(s: &str) -> &str {
    match s {
        "in-progress" => "In progress",
        "finished" => "Finished",
        "planned" => "Planned",
        "cancelled" => "Cancelled",
        other => other,
    }
}

fn kind_label(k: &str) -> &str {
    match k {
        "progress" => "Progress note",
        "nursing" => "Nursing note",
        "history-and-physical" => "History and physical",
        "discharge" => "Discharge summary",
        "consult" => "Consultation",
        "triage" => "Triage note",
        other => other,
    }
}

/// Editor and form state that outlives a re-read of the chart.
#[derive(Debug, Clone, Copy)]
pub struct EncounterUi {
    /// The start-encounter form is open.
    pub starting: RwSignal<bool>,
    /// The draft note open in the editor.
    pub editing: RwSignal<Option<String>>,
    /// The note the editor's fields were filled from (None: fill on next render).
    loaded: RwSignal<Option<String>>,
    kind: RwSignal<String>,
    title: RwSignal<String>,
    text: RwSignal<String>,
    soap: [RwSignal<String>; 4],
    /// Fields changed since the last save.
    dirty: RwSignal<bool>,
    saved_at: RwSignal<Option<f64>>,
    /// The sign confirmation is showing.
    pub confirm_sign: RwSignal<bool>,
}

impl EncounterUi {
    pub fn new() -> EncounterUi {
        EncounterUi {
            starting: RwSignal::new(false),
            editing: RwSignal::new(None),
            loaded: RwSignal::new(None),
            kind: RwSignal::new(String::new()),
            title: RwSignal::new(String::new()),
            text: RwSignal::new(String::new()),
            soap: std::array::from_fn(|_| RwSignal::new(String::new())),
            dirty: RwSignal::new(false),
            saved_at: RwSignal::new(None),
            confirm_sign: RwSignal::new(false),
        }
    }

    /// Opens a draft in the editor.
    pub fn edit(self, note_id: String) {
        self.loaded.set(None);
        self.confirm_sign.set(false);
        self.editing.set(Some(note_id));
    }

    fn fill(self, n: &NoteDto) {
        let s = n.soap.clone().unwrap_or_default();
        self.kind.set(n.kind.clone());
        self.title.set(n.title.clone());
        self.text.set(n.text.clone());
        for (sig, v) in self
            .soap
            .iter()
            .zip([s.subjective, s.objective, s.assessment, s.plan])
        {
            sig.set(v);
        }
        self.dirty.set(false);
        self.saved_at.set(None);
        self.loaded.set(Some(n.id.clone()));
    }

    fn request(self, id: String) -> SaveNoteRequest {
        let [s, o, a, p] = self.soap.map(|x| x.get_untracked());
        SaveNoteRequest {
            id,
            kind: self.kind.get_untracked(),
            title: self.title.get_untracked(),
            text: self.text.get_untracked(),
            soap: Some(SoapDto {
                subjective: s,
                objective: o,
                assessment: a,
                plan: p,
            }),
        }
    }
}

/// The signed-in user's role.
fn role() -> String {
    match SessionCtx::get().stage.get_untracked() {
        crate::session::Stage::SignedIn(s) => s.role,
        _ => String::new(),
    }
}

/// What a printed note names at its top: the patient, as on any clinical document.
#[derive(Debug, Clone)]
struct PrintHeader {
    name: String,
    birth_date: String,
    mrn: String,
}

#[component]
pub fn Encounters(chart: ChartDto) -> impl IntoView {
    let ui = expect_context::<EncounterUi>();
    let p = &chart.patient;
    let header = PrintHeader {
        name: if p.patient.given.is_empty() {
            p.patient.family.clone()
        } else {
            format!("{}, {}", p.patient.family, p.patient.given.join(" "))
        },
        birth_date: p.patient.birth_date.clone(),
        mrn: p.patient.mrn.clone(),
    };
    let can_start = matches!(role().as_str(), "physician" | "nurse");
    let notes = chart.notes.clone();
    let loose: Vec<NoteDto> = notes
        .iter()
        .filter(|n| {
            n.encounter_id
                .as_ref()
                .is_none_or(|e| !chart.encounters.iter().any(|x| &x.id == e))
        })
        .cloned()
        .collect();
    let empty = chart.encounters.is_empty() && loose.is_empty();
    let patient_id = chart.patient.id.clone();
    let encounter_items = chart
        .encounters
        .into_iter()
        .map(|e| {
            let enc_notes: Vec<NoteDto> = notes
                .iter()
                .filter(|n| n.encounter_id.as_deref() == Some(e.id.as_str()))
                .cloned()
                .collect();
            view! { <EncounterItem encounter=e notes=enc_notes header=header.clone()/> }
        })
        .collect_view();
    view! {
        {can_start.then(|| view! {
            <div class="encounter-actions">
                <button id="start-encounter" class="secondary" aria-keyshortcuts="Alt+N" on:click=move |_| ui.starting.set(true)>
                    "New encounter " <kbd>"Alt+N"</kbd>
                </button>
            </div>
        })}
        {move || ui.starting.get().then(|| view! { <StartForm patient_id=patient_id.clone()/> })}
        {empty.then(|| view! { <p class="empty">"No encounters recorded."</p> })}
        <ul class="plain encounters" id="encounters">{encounter_items}</ul>
        {(!loose.is_empty()).then(|| view! {
            <h2 class="section-gap">"Other notes"</h2>
            {loose.into_iter().map(|n| view! { <NoteCard note=n header=header.clone()/> }).collect_view()}
        })}
    }
}

#[component]
fn EncounterItem(
    encounter: EncounterDto,
    notes: Vec<NoteDto>,
    header: PrintHeader,
) -> impl IntoView {
    let e = encounter;
    let when = match e.end {
        Some(end) => format!("{} – {}", format_time(e.start), format_time(end)),
        None => format_time(e.start),
    };
    let heading = if e.reason.is_empty() {
        format!("{when} · {}", class_label(&e.class))
    } else {
        format!("{when} · {} · {}", class_label(&e.class), e.reason)
    };
    view! {
        <li class="encounter" data-encounter=e.id.clone() data-status=e.status.clone()>
            <h3>
                {heading}
                <span class=format!("status-badge {}", e.status)>{status_label(&e.status).to_string()}</span>
            </h3>
            {notes.into_iter().map(|n| view! { <NoteCard note=n header=header.clone()/> }).collect_view()}
        </li>
    }
}

#[component]
fn StartForm(patient_id: String) -> impl IntoView {
    let ctx = SessionCtx::get();
    let ui = expect_context::<EncounterUi>();
    let ChartVersion(version, _) = expect_context::<ChartVersion>();
    let class = RwSignal::new("AMB".to_string());
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let first = NodeRef::<html::Select>::new();
    Effect::new(move |_| {
        if let Some(el) = first.get() {
            let _ = el.focus();
        }
    });
    let patient_id = StoredValue::new(patient_id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let req = StartEncounterRequest {
            patient_id: patient_id.get_value(),
            class: class.get_untracked(),
            reason: reason.get_untracked(),
        };
        spawn_local(async move {
            match ipc::call::<StartEncounter>(&req).await {
                Ok(started) => {
                    ui.starting.set(false);
                    ui.edit(started.note_id);
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
    };
    view! {
        <form id="start-encounter-form" class="card inline-panel" on:submit=submit>
            <h2>"New encounter"</h2>
            <div class="field-row">
                <label for="encounter-class">"Type"</label>
                <select id="encounter-class" node_ref=first bind:value=class>
                    {CLASSES.iter().map(|(c, l)| view! { <option value=*c>{*l}</option> }).collect_view()}
                </select>
                <label for="encounter-reason">"Reason for visit"</label>
                <input id="encounter-reason" maxlength="500" autocomplete="off" bind:value=reason/>
            </div>
            <div class="form-actions">
                <button id="start-encounter-submit" class="primary" type="submit" disabled=move || busy.get()>
                    {move || if busy.get() { "Starting…" } else { "Start encounter" }}
                </button>
                <button type="button" class="secondary" on:click=move |_| ui.starting.set(false)>"Cancel"</button>
            </div>
            {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
        </form>
    }
}

#[component]
fn NoteCard(note: NoteDto, header: PrintHeader) -> impl IntoView {
    let ui = expect_context::<EncounterUi>();
    let note = StoredValue::new(note);
    let header = StoredValue::new(header);
    move || {
        let n = note.get_value();
        if n.signed_at.is_none() && ui.editing.get().as_deref() == Some(n.id.as_str()) {
            if ui.loaded.get_untracked().as_deref() != Some(n.id.as_str()) {
                ui.fill(&n);
            }
            view! { <NoteEditor note=n/> }.into_any()
        } else {
            view! { <NoteView note=n header=header.get_value()/> }.into_any()
        }
    }
}

const SECTIONS: [(&str, &str, &str); 4] = [
    (
        "soap-subjective",
        "Subjective",
        "History, symptoms, what the patient reports",
    ),
    (
        "soap-objective",
        "Objective",
        "Examination, vitals, results",
    ),
    (
        "soap-assessment",
        "Assessment",
        "Diagnoses and differential",
    ),
    ("soap-plan", "Plan", "Tests, treatment, follow-up"),
];

#[component]
fn NoteEditor(note: NoteDto) -> impl IntoView {
    let ctx = SessionCtx::get();
    let ui = expect_context::<EncounterUi>();
    let ChartVersion(version, _) = expect_context::<ChartVersion>();
    let physician = role() == "physician";
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let id = StoredValue::new(note.id.clone());
    let confirm_ref = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let Some(el) = confirm_ref.get() {
            let _ = el.focus();
        }
    });
    let fail = move |e: ApiError| {
        if !ctx.check(&e) {
            error.set(Some(e));
        }
    };
    // Saves the draft; with `sign`, signs it right after (the saved text is what is signed).
    let save = move |sign: bool| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let req = ui.request(id.get_value());
        spawn_local(async move {
            match ipc::call::<SaveNote>(&req).await {
                Ok(_) => {
                    ui.dirty.set(false);
                    ui.saved_at.set(Some(js_sys::Date::now()));
                    if sign {
                        match ipc::call::<SignNote>(&NoteRef { id: req.id.clone() }).await {
                            Ok(_) => {
                                ui.confirm_sign.set(false);
                                ui.editing.set(None);
                            }
                            Err(e) => {
                                ui.confirm_sign.set(false);
                                fail(e);
                            }
                        }
                    }
                    version.update(|n| *n += 1);
                }
                Err(e) => fail(e),
            }
            busy.set(false);
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save(false);
    };
    view! {
        <form class="note-editor" id="note-editor" data-note=note.id.clone() on:submit=submit
            on:input=move |_| ui.dirty.set(true)>
            <div class="note-editor-head">
                <label for="note-title">"Title"</label>
                <input id="note-title" maxlength="200" autocomplete="off" bind:value=ui.title/>
                <span class="muted">{format!("{} · draft by {}", kind_label(&note.kind), note.author)}</span>
            </div>
            {SECTIONS.iter().enumerate().map(|(i, (fid, label, hint))| {
                let sig = ui.soap[i];
                view! {
                    <div class="soap-field">
                        <label for=*fid>{*label}<span class="hint">{*hint}</span></label>
                        <textarea id=*fid rows="4" maxlength="20000" bind:value=sig></textarea>
                    </div>
                }
            }).collect_view()}
            <div class="form-actions note-actions">
                <button id="note-save" class="secondary" type="submit" disabled=move || busy.get()>"Save draft"</button>
                {if physician {
                    view! {
                        <button id="note-sign" class="primary" type="button" aria-keyshortcuts="Alt+S"
                            disabled=move || busy.get()
                            on:click=move |_| ui.confirm_sign.set(true)>
                            "Sign note " <kbd>"Alt+S"</kbd>
                        </button>
                    }.into_any()
                } else {
                    view! { <p class="muted" id="sign-needs-physician">"A physician signs this note."</p> }.into_any()
                }}
                <span class="save-state" role="status" id="note-save-state">
                    {move || if busy.get() {
                        "Saving…".to_string()
                    } else if ui.dirty.get() {
                        "Unsaved changes".to_string()
                    } else {
                        ui.saved_at.get().map(|t| format!("Draft saved {}", format_time(t as i64))).unwrap_or_default()
                    }}
                </span>
            </div>
            {move || (physician && ui.confirm_sign.get()).then(|| view! {
                <div class="confirm-panel" role="alertdialog" aria-labelledby="sign-confirm-text" id="sign-confirm">
                    <p id="sign-confirm-text">
                        "Sign this note? A signed note is locked: later changes are added as signed addenda."
                    </p>
                    <button id="note-sign-confirm" class="primary" type="button" node_ref=confirm_ref
                        on:click=move |_| save(true)>"Sign now"</button>
                    <button type="button" class="secondary" on:click=move |_| ui.confirm_sign.set(false)>"Cancel"</button>
                </div>
            })}
            {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
        </form>
    }
}

/// What a note's action area is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    None,
    Addendum,
    EnteredInError,
}

#[component]
fn NoteView(note: NoteDto, header: PrintHeader) -> impl IntoView {
    let ctx = SessionCtx::get();
    let ui = expect_context::<EncounterUi>();
    let ChartVersion(version, _) = expect_context::<ChartVersion>();
    let role = role();
    let physician = role == "physician";
    let can_draft = physician || role == "nurse";
    let signed = note.signed_at.is_some();
    let panel = RwSignal::new(Panel::None);
    let input = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let id = StoredValue::new(note.id.clone());
    let article_id = format!("note-{}", note.id);
    let meta = match (&note.signed_by, note.signed_at) {
        (Some(by), Some(at)) => format!("Signed by {by} · {}", format_time(at)),
        _ => format!(
            "Draft by {} · started {} · not signed",
            note.author,
            format_time(note.created_at)
        ),
    };
    let print = {
        let article_id = article_id.clone();
        move |_| {
            // The print stylesheet prints only the marked note (with its patient header).
            let doc = document();
            while let Ok(Some(el)) = doc.query_selector(".print-target") {
                let _ = el.class_list().remove_1("print-target");
            }
            if let Some(el) = doc.get_element_by_id(&article_id) {
                let _ = el.class_list().add_1("print-target");
            }
            if let Some(body) = doc.body() {
                let _ = body.class_list().add_1("printing-note");
            }
            let _ = window().print();
        }
    };
    let open = move |p: Panel| {
        input.set(String::new());
        error.set(None);
        panel.set(p);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let text = input.get_untracked();
        let which = panel.get_untracked();
        spawn_local(async move {
            let r = match which {
                Panel::Addendum => ipc::call::<AddAddendum>(&AddAddendumRequest {
                    note_id: id.get_value(),
                    text,
                })
                .await
                .map(|_| ()),
                Panel::EnteredInError => ipc::call::<NoteEnteredInError>(&EnteredInErrorRequest {
                    id: id.get_value(),
                    reason: text,
                })
                .await
                .map(|_| ()),
                Panel::None => Ok(()),
            };
            busy.set(false);
            match r {
                Ok(()) => {
                    panel.set(Panel::None);
                    version.update(|n| *n += 1);
                }
                Err(e) => {
                    if !ctx.check(&e) {
                        error.set(Some(e));
                    }
                }
            }
        });
    };
    let soap = note.soap.clone().filter(|s| {
        [&s.subjective, &s.objective, &s.assessment, &s.plan]
            .iter()
            .any(|t| !t.trim().is_empty())
    });
    let addenda = note.addenda.clone();
    view! {
        <article class="note" id=article_id data-note=note.id.clone() data-signed=signed.to_string()>
            <div class="print-only print-header">
                <strong>{header.name}</strong>
                <span>{format!("Born {}", header.birth_date)}</span>
                <span>{format!("MRN {}", header.mrn)}</span>
            </div>
            <h4>{note.title.clone()} <span class="note-kind">{kind_label(&note.kind).to_string()}</span></h4>
            <p class=if signed { "note-meta signed" } else { "note-meta draft" }>{meta}</p>
            {soap.map(|s| view! {
                <dl class="soap">
                    <dt>"Subjective"</dt><dd class="soap-s">{s.subjective}</dd>
                    <dt>"Objective"</dt><dd class="soap-o">{s.objective}</dd>
                    <dt>"Assessment"</dt><dd class="soap-a">{s.assessment}</dd>
                    <dt>"Plan"</dt><dd class="soap-p">{s.plan}</dd>
                </dl>
            })}
            {(!note.text.trim().is_empty()).then(|| view! { <p class="note-text">{note.text.clone()}</p> })}
            {(!addenda.is_empty()).then(|| view! {
                <section class="addenda">
                    <h5>"Addenda"</h5>
                    <ul class="plain">
                        {addenda.into_iter().map(|a| view! {
                            <li class="addendum" data-addendum=a.id.clone()>
                                <p class="addendum-meta">{format!("Addendum signed by {} · {}", a.author, format_time(a.signed_at))}</p>
                                <p class="addendum-text">{a.text}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <div class="note-actions no-print">
                {(!signed && can_draft).then(|| {
                    let nid = note.id.clone();
                    view! { <button class="secondary note-continue" on:click=move |_| ui.edit(nid.clone())>"Continue editing"</button> }
                })}
                {(signed && physician).then(|| view! {
                    <button class="secondary note-addendum" on:click=move |_| open(Panel::Addendum)>"Add addendum"</button>
                })}
                {signed.then(|| view! { <button class="secondary note-print" on:click=print>"Print"</button> })}
                {physician.then(|| view! {
                    <button class="secondary danger note-eie" on:click=move |_| open(Panel::EnteredInError)>"Entered in error…"</button>
                })}
            </div>
            {move || match panel.get() {
                Panel::None => None,
                p => Some(view! {
                    <form class="note-panel no-print" on:submit=submit>
                        {if p == Panel::Addendum {
                            view! {
                                <label for="addendum-text">"Addendum (signed with your name when added)"</label>
                                <textarea id="addendum-text" rows="3" maxlength="20000" bind:value=input></textarea>
                                <div class="form-actions">
                                    <button id="addendum-submit" class="primary" type="submit" disabled=move || busy.get()>"Sign addendum"</button>
                                    <button type="button" class="secondary" on:click=move |_| panel.set(Panel::None)>"Cancel"</button>
                                </div>
                            }.into_any()
                        } else {
                            view! {
                                <label for="eie-reason">"Why is this note entered in error? (kept with the note)"</label>
                                <input id="eie-reason" maxlength="500" autocomplete="off" bind:value=input/>
                                <div class="form-actions">
                                    <button id="eie-submit" class="primary danger" type="submit" disabled=move || busy.get()>"Mark entered in error"</button>
                                    <button type="button" class="secondary" on:click=move |_| panel.set(Panel::None)>"Cancel"</button>
                                </div>
                            }.into_any()
                        }}
                        {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
                    </form>
                }),
            }}
        </article>
    }
}

/// "Entered in error…" for one chart record (problem, medication, allergy, encounter):
/// physicians only; asks for the reason, which is kept encrypted with the record.
#[component]
pub fn RecordErrorAction(record_id: String, what: &'static str) -> impl IntoView {
    let ctx = SessionCtx::get();
    let ChartVersion(version, _) = expect_context::<ChartVersion>();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let input = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let id = StoredValue::new(record_id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let req = EnteredInErrorRequest {
            id: id.get_value(),
            reason: reason.get_untracked(),
        };
        spawn_local(async move {
            match ipc::call::<iris_types::RecordEnteredInError>(&req).await {
                Ok(_) => {
                    open.set(false);
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
    };
    if role() != "physician" {
        return None;
    }
    Some(view! {
        <div class="record-eie">
            {move || (!open.get()).then(|| view! {
                <button class="link record-eie-open" aria-label=format!("Mark this {what} entered in error")
                    on:click=move |_| { reason.set(String::new()); open.set(true); }>"Entered in error…"</button>
            })}
            {move || open.get().then(|| view! {
                <form class="record-eie-form" on:submit=submit>
                    <label class="visually-hidden" for=format!("eie-{}", id.get_value())>"Reason"</label>
                    <input id=format!("eie-{}", id.get_value()) class="record-eie-reason" node_ref=input maxlength="500"
                        placeholder="Reason (kept with the record)" autocomplete="off" bind:value=reason/>
                    <button class="primary danger record-eie-submit" type="submit" disabled=move || busy.get()>"Mark"</button>
                    <button class="secondary" type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                    {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
                </form>
            })}
        </div>
    })
}
