//! Who is at the screen: the vault and session state the whole app follows, the idle timer
//! that locks the workstation, and the lock itself (which drops every page, and with them any
//! PHI on screen, before showing the sign-in form again).

use std::time::Duration;

use iris_types::{ApiError, Empty, ErrorCode, LockSession, Logout, SessionDto, VaultStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::ipc;

/// Where the app is.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    Loading,
    /// Could not even ask the backend (or start-up failed).
    Failed(ApiError),
    /// First run: no vault in the data dir.
    Setup,
    /// A vault exists but could not be opened (no key); the message says why.
    Unavailable(String),
    /// Sign-in; `locked_user` is set when a session was locked (idle or by hand).
    SignIn {
        locked_user: Option<String>,
    },
    /// Signed in; the first sign-in of a new account must change its password first.
    SignedIn(SessionDto),
}

/// Shared by every page through context.
#[derive(Debug, Clone, Copy)]
pub struct SessionCtx {
    pub stage: RwSignal<Stage>,
    /// The vault holds synthetic demo data.
    pub demo: RwSignal<bool>,
}

impl SessionCtx {
    pub fn provide() -> SessionCtx {
        let ctx = SessionCtx {
            stage: RwSignal::new(Stage::Loading),
            demo: RwSignal::new(false),
        };
        provide_context(ctx);
        ctx.refresh();
        ctx
    }

    pub fn get() -> SessionCtx {
        expect_context::<SessionCtx>()
    }

    /// Re-reads the vault status and moves to the stage it implies.
    pub fn refresh(self) {
        spawn_local(async move {
            let status = ipc::call::<VaultStatus>(&Empty {}).await;
            if let Ok(s) = &status {
                self.demo.set(s.demo);
            }
            let next = match status {
                Err(e) => Stage::Failed(e),
                Ok(s) if !s.initialized => Stage::Setup,
                Ok(s) if !s.open => Stage::Unavailable(
                    s.open_error
                        .unwrap_or_else(|| "The vault key is not available.".into()),
                ),
                Ok(s) => match s.session {
                    Some(session) => Stage::SignedIn(session),
                    None => Stage::SignIn { locked_user: None },
                },
            };
            self.stage.set(next);
        });
    }

    pub fn signed_in(self, s: SessionDto) {
        self.stage.set(Stage::SignedIn(s));
    }

    fn user(self) -> Option<String> {
        match self.stage.get_untracked() {
            Stage::SignedIn(s) => Some(s.user),
            _ => None,
        }
    }

    /// Locks now: the backend ends the session (and audits it), the screen drops everything.
    pub fn lock(self) {
        let user = self.user();
        self.stage.set(Stage::SignIn { locked_user: user });
        spawn_local(async move {
            let _ = ipc::call::<LockSession>(&Empty {}).await;
        });
    }

    pub fn sign_out(self) {
        self.stage.set(Stage::SignIn { locked_user: None });
        spawn_local(async move {
            let _ = ipc::call::<Logout>(&Empty {}).await;
        });
    }

    /// Pages pass their errors through here: a session the backend has locked (idle) or ended
    /// sends the app to the lock screen instead of showing an error.
    pub fn check(self, e: &ApiError) -> bool {
        match e.code {
            ErrorCode::SessionLocked => {
                let user = self.user();
                self.stage.set(Stage::SignIn { locked_user: user });
                true
            }
            ErrorCode::Unauthenticated if self.user().is_some() => {
                self.stage.set(Stage::SignIn { locked_user: None });
                true
            }
            _ => false,
        }
    }
}

/// While signed in: any key, pointer or wheel activity resets the idle timer; after
/// `minutes` without any, the session locks.
#[component]
pub fn IdleLock(minutes: u32) -> impl IntoView {
    let ctx = SessionCtx::get();
    let last = StoredValue::new(js_sys::Date::now());
    let touch = move || last.set_value(js_sys::Date::now());
    let handles = vec![
        window_event_listener(leptos::ev::keydown, move |_| touch()),
        window_event_listener(leptos::ev::mousedown, move |_| touch()),
        window_event_listener(leptos::ev::mousemove, move |_| touch()),
        window_event_listener(leptos::ev::wheel, move |_| touch()),
        window_event_listener(leptos::ev::touchstart, move |_| touch()),
    ];
    let limit = f64::from(minutes) * 60_000.0;
    let interval = set_interval_with_handle(
        move || {
            if js_sys::Date::now() - last.get_value() >= limit {
                ctx.lock();
            }
        },
        Duration::from_secs(5),
    )
    .ok();
    on_cleanup(move || {
        for h in handles {
            h.remove();
        }
        if let Some(i) = interval {
            i.clear();
        }
    });
}
