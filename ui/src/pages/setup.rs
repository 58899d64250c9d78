//! First run: create the vault and its administrator, then show the recovery key once.

use iris_types::{InitRequest, InitVault};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::error_panel::ErrorPanel;
use crate::ipc;
use crate::session::SessionCtx;

#[component]
pub fn SetupPage() -> impl IntoView {
    let admin = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let passphrase = RwSignal::new(String::new());
    let error = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let recovery = RwSignal::new(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if password.get_untracked() != confirm.get_untracked() {
            error.set(Some(iris_types::ApiError::validation(vec![
                iris_types::FieldError {
                    field: "confirm".into(),
                    rule: "matches_password".into(),
                },
            ])));
            return;
        }
        let p = passphrase.get_untracked();
        let req = InitRequest {
            admin: admin.get_untracked().trim().to_string(),
            password: password.get_untracked(),
            passphrase: (!p.is_empty()).then_some(p),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match ipc::call::<InitVault>(&req).await {
                Ok(dto) => recovery.set(Some(dto.recovery_key)),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="centered-panel card" aria-labelledby="setup-title">
            {move || match recovery.get() {
                Some(key) => view! { <RecoveryKey key=key/> }.into_any(),
                None => view! {
                    <h1 id="setup-title">"Set up this workstation"</h1>
                    <p class="lead">
                        "Iris keeps charts in an encrypted vault on this computer. Create the "
                        "administrator account that manages users, backups and keys."
                    </p>
                    <form id="setup-form" on:submit=submit>
                        <label for="setup-admin">"Administrator user name"</label>
                        <input id="setup-admin" autocomplete="username" required bind:value=admin/>
                        <p class="field-help">"Lower-case letters, digits, '.', '_' or '-'."</p>
                        <label for="setup-password">"Password"</label>
                        <input id="setup-password" type="password" autocomplete="new-password" required bind:value=password/>
                        <p class="field-help">"At least 10 characters."</p>
                        <label for="setup-confirm">"Confirm password"</label>
                        <input id="setup-confirm" type="password" autocomplete="new-password" required bind:value=confirm/>
                        <label for="setup-passphrase">"Vault passphrase (optional)"</label>
                        <input id="setup-passphrase" type="password" autocomplete="off" bind:value=passphrase/>
                        <p class="field-help">
                            "Leave empty to keep the vault key in this computer's keyring. "
                            "Required where there is no keyring (at least 12 characters)."
                        </p>
                        <button id="setup-submit" class="primary" type="submit" disabled=move || busy.get()>
                            "Create vault"
                        </button>
                    </form>
                    {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
                }
                .into_any(),
            }}
        </section>
    }
}

/// Shown exactly once. Continuing needs an explicit confirmation.
#[component]
fn RecoveryKey(key: String) -> impl IntoView {
    let stored = RwSignal::new(false);
    let ctx = SessionCtx::get();
    view! {
        <h1 id="setup-title">"Store the recovery key"</h1>
        <p class="lead">
            "If this computer's keyring is reset or the vault moves to another workstation, IT "
            "needs this key to open it. It is shown only now and is not stored anywhere in clear."
        </p>
        <p class="recovery-key" id="recovery-key">{key}</p>
        <label class="check">
            <input id="recovery-stored" type="checkbox" bind:checked=stored/>
            "I have stored the recovery key in a safe place, away from this computer"
        </label>
        <button
            id="setup-continue"
            class="primary"
            disabled=move || !stored.get()
            on:click=move |_| ctx.refresh()
        >
            "Continue to sign in"
        </button>
    }
}
