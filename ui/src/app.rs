//! The app frame: header (product, user area), navigation, and the current page, all driven
//! by the session stage: first-run setup, sign-in / lock screen, or the signed-in workstation.

use leptos::prelude::*;

use crate::components::error_panel::ErrorPanel;
use crate::pages::about::AboutPage;
use crate::pages::chart::ChartPage;
use crate::pages::patients::PatientsPage;
use crate::pages::setup::SetupPage;
use crate::pages::sign_in::{ChangePasswordPage, SignInPage};
use crate::pages::users::UsersPage;
use crate::session::{IdleLock, SessionCtx, Stage};

/// The pages reachable from the navigation. A page is listed only once it works, and only to
/// those who may use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    /// Setup, sign-in or the signed-in summary, depending on the stage.
    Home,
    /// Patient list and, once one is opened, the chart (clinicians).
    Patients,
    Users,
    /// FHIR import (administrators).
    Import,
    About,
}

impl Page {
    fn label(self, stage: &Stage) -> &'static str {
        match (self, stage) {
            (Page::Home, Stage::Setup) => "Set up",
            (Page::Home, Stage::SignedIn(_)) => "Workstation",
            (Page::Home, _) => "Sign in",
            (Page::Patients, _) => "Patients",
            (Page::Users, _) => "Users",
            (Page::Import, _) => "Import",
            (Page::About, _) => "About",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Page::Home => "nav-home",
            Page::Patients => "nav-patients",
            Page::Users => "nav-users",
            Page::Import => "nav-import",
            Page::About => "nav-about",
        }
    }
}

fn pages_for(stage: &Stage) -> Vec<Page> {
    match stage {
        Stage::SignedIn(s) if s.must_change_password => vec![Page::Home, Page::About],
        Stage::SignedIn(s) if s.role == "admin" => {
            vec![Page::Home, Page::Users, Page::Import, Page::About]
        }
        Stage::SignedIn(s) if s.role == "physician" || s.role == "nurse" => {
            vec![Page::Patients, Page::Home, Page::About]
        }
        _ => vec![Page::Home, Page::About],
    }
}

#[component]
pub fn App() -> impl IntoView {
    let ctx = SessionCtx::provide();
    let (page, set_page) = signal(Page::Home);
    // The chart open on the Patients page, if any.
    let open_chart = RwSignal::new(None::<String>);
    // Any change of who is at the screen returns to the first page of that stage, and closes
    // any chart (a lock must leave no PHI on screen).
    Effect::new(move |_| {
        let stage = ctx.stage.get();
        open_chart.set(None);
        set_page.set(pages_for(&stage)[0]);
    });
    let open = Callback::new(move |id: String| {
        open_chart.set(Some(id));
        set_page.set(Page::Patients);
    });
    let back = Callback::new(move |()| open_chart.set(None));
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="app-header">
            <div class="brand">
                <Logo/>
                <span class="brand-name">"Iris"</span>
                <span class="brand-tag">"Clinician workstation"</span>
                {move || ctx.demo.get().then(|| view! {
                    <span class="demo-badge" id="demo-badge" title="Every patient in this vault is synthetic">
                        "DEMO · synthetic patients"
                    </span>
                })}
            </div>
            <UserArea/>
        </header>
        <div class="app-body">
            <nav class="app-nav" aria-label="Main">
                <ul>
                    {move || {
                        let stage = ctx.stage.get();
                        pages_for(&stage)
                            .into_iter()
                            .map(|p| {
                                view! {
                                    <li>
                                        <button
                                            id=p.id()
                                            class="nav-item"
                                            aria-current=move || (page.get() == p).then_some("page")
                                            on:click=move |_| {
                                                open_chart.set(None);
                                                set_page.set(p);
                                            }
                                        >
                                            {p.label(&stage)}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </nav>
            <main id="main" class="app-main" tabindex="-1">
                {move || match page.get() {
                    Page::About => view! { <AboutPage/> }.into_any(),
                    Page::Users => view! { <UsersPage/> }.into_any(),
                    Page::Import => view! { <crate::pages::import::ImportPage/> }.into_any(),
                    Page::Patients => match open_chart.get() {
                        Some(id) => view! { <ChartPage id=id back=back/> }.into_any(),
                        None => {
                            let can_write = matches!(ctx.stage.get_untracked(), Stage::SignedIn(s) if s.role == "physician");
                            view! { <PatientsPage open=open can_write=can_write/> }.into_any()
                        }
                    },
                    Page::Home => view! { <Home/> }.into_any(),
                }}
            </main>
        </div>
        {move || match ctx.stage.get() {
            Stage::SignedIn(s) => Some(view! { <IdleLock minutes=s.idle_lock_minutes/> }),
            _ => None,
        }}
    }
}

#[component]
fn Home() -> impl IntoView {
    let ctx = SessionCtx::get();
    move || {
        match ctx.stage.get() {
        Stage::Loading => view! { <p class="loading" aria-live="polite">"Loading…"</p> }.into_any(),
        Stage::Failed(e) => view! { <ErrorPanel error=e/> }.into_any(),
        Stage::Setup => view! { <SetupPage/> }.into_any(),
        Stage::Unavailable(why) => view! {
            <section class="error-panel" role="alert" data-code="KEY_UNAVAILABLE">
                <h2>"The vault on this workstation cannot be opened"</h2>
                <p class="error-message">{why}</p>
                <p class="error-hint">
                    "IT can open it with the vault passphrase or the recovery key "
                    "(see the administrator guide: iris restore, iris vault rekey)."
                </p>
            </section>
        }
        .into_any(),
        Stage::SignIn { locked_user } => view! { <SignInPage locked_user=locked_user/> }.into_any(),
        Stage::SignedIn(s) if s.must_change_password => {
            view! { <ChangePasswordPage first_time=true/> }.into_any()
        }
        Stage::SignedIn(s) => view! {
            <h1>"Workstation"</h1>
            <section class="card">
                <dl class="facts">
                    <div class="fact"><dt>"Signed in as"</dt><dd id="home-user">{s.user.clone()}</dd></div>
                    <div class="fact"><dt>"Role"</dt><dd id="home-role">{role_label(&s.role)}</dd></div>
                    <div class="fact"><dt>"Locks after"</dt><dd>{format!("{} minutes without activity", s.idle_lock_minutes)}</dd></div>
                </dl>
            </section>
        }
        .into_any(),
    }
    }
}

pub fn role_label(role: &str) -> &'static str {
    match role {
        "admin" => "Administrator",
        "physician" => "Physician",
        "nurse" => "Nurse",
        "analyst" => "Analyst",
        _ => "Unknown role",
    }
}

#[component]
fn UserArea() -> impl IntoView {
    let ctx = SessionCtx::get();
    view! {
        <div class="user-area" aria-label="User">
            {move || match ctx.stage.get() {
                Stage::SignedIn(s) => view! {
                    <span class="user-status" id="user-status">{format!("{} · {}", s.user, role_label(&s.role))}</span>
                    <button id="lock-button" class="header-button" on:click=move |_| ctx.lock()>"Lock"</button>
                    <button id="sign-out" class="header-button" on:click=move |_| ctx.sign_out()>"Sign out"</button>
                }
                .into_any(),
                _ => view! { <span class="user-status" id="user-status">"Not signed in"</span> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Logo() -> impl IntoView {
    view! {
        <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
            <rect x="1" y="1" width="30" height="30" rx="7" class="logo-bg"></rect>
            <path d="M4 16 Q16 5 28 16 Q16 27 4 16 Z" class="logo-eye"></path>
            <circle cx="16" cy="16" r="5" class="logo-iris"></circle>
            <circle cx="16" cy="16" r="2" class="logo-pupil"></circle>
        </svg>
    }
}
