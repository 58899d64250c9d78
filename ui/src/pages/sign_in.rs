//! Sign-in, the lock screen (the same form, naming the user whose session locked), and the
//! password change a new account must make first.

use iris_types::{ChangePassword, ChangePasswordRequest, Login, LoginRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::error_panel::ErrorPanel;
use crate::ipc;
use crate::session::SessionCtx;

#[component]
pub fn SignInPage(locked_user: Option<String>) -> impl IntoView {
    let ctx = SessionCtx::get();
    let locked = locked_user.is_some();
    let user = RwSignal::new(locked_user.clone().unwrap_or_default());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = LoginRequest {
            user: user.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match ipc::call::<Login>(&req).await {
                Ok(s) => ctx.signed_in(s),
                Err(e) => {
                    password.set(String::new());
                    error.set(Some(e));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="centered-panel card" aria-labelledby="sign-in-title">
            {if locked {
                view! {
                    <h1 id="sign-in-title">"Session locked"</h1>
                    <p class="lead" id="lock-message">
                        "This workstation was locked. Sign in again to continue; "
                        "another user may sign in instead."
                    </p>
                }
                .into_any()
            } else {
                view! { <h1 id="sign-in-title">"Sign in to Iris"</h1> }.into_any()
            }}
            <form id="sign-in-form" on:submit=submit>
                <label for="sign-in-user">"User name"</label>
                <input id="sign-in-user" autocomplete="username" required bind:value=user/>
                <label for="sign-in-password">"Password"</label>
                <input id="sign-in-password" type="password" autocomplete="current-password" required bind:value=password/>
                <button id="sign-in-submit" class="primary" type="submit" disabled=move || busy.get()>
                    "Sign in"
                </button>
            </form>
            {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
        </section>
    }
}

#[component]
pub fn ChangePasswordPage(first_time: bool) -> impl IntoView {
    let ctx = SessionCtx::get();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let error = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if new.get_untracked() != confirm.get_untracked() {
            error.set(Some(iris_types::ApiError::validation(vec![
                iris_types::FieldError {
                    field: "confirm".into(),
                    rule: "matches_password".into(),
                },
            ])));
            return;
        }
        let req = ChangePasswordRequest {
            current: current.get_untracked(),
            new: new.get_untracked(),
        };
        spawn_local(async move {
            match ipc::call::<ChangePassword>(&req).await {
                Ok(s) => ctx.signed_in(s),
                Err(e) => {
                    if !ctx.check(&e) {
                        error.set(Some(e));
                    }
                }
            }
        });
    };
    view! {
        <section class="centered-panel card" aria-labelledby="passwd-title">
            <h1 id="passwd-title">"Choose a new password"</h1>
            {first_time.then(|| view! {
                <p class="lead">"Your account was created with a temporary password. Choose your own to continue."</p>
            })}
            <form id="passwd-form" on:submit=submit>
                <label for="passwd-current">"Current password"</label>
                <input id="passwd-current" type="password" autocomplete="current-password" required bind:value=current/>
                <label for="passwd-new">"New password"</label>
                <input id="passwd-new" type="password" autocomplete="new-password" required bind:value=new/>
                <p class="field-help">"At least 10 characters."</p>
                <label for="passwd-confirm">"Confirm new password"</label>
                <input id="passwd-confirm" type="password" autocomplete="new-password" required bind:value=confirm/>
                <button id="passwd-submit" class="primary" type="submit">"Change password"</button>
            </form>
            {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
        </section>
    }
}
