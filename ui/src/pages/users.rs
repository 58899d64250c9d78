//! User administration (admins): who can sign in, in which role, and account state.

use iris_types::{
    AddUser, AddUserRequest, ApiError, ChangeUser, ChangeUserRequest, Empty, ListUsers, UserChange,
    UserDto,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::role_label;
use crate::components::error_panel::ErrorPanel;
use crate::ipc;
use crate::session::{SessionCtx, Stage};

#[component]
pub fn UsersPage() -> impl IntoView {
    let ctx = SessionCtx::get();
    let me = match ctx.stage.get_untracked() {
        Stage::SignedIn(s) => s.user,
        _ => String::new(),
    };
    let users = RwSignal::new(None::<Vec<UserDto>>);
    let error = RwSignal::new(None::<ApiError>);
    let done = move |r: Result<Vec<UserDto>, ApiError>| match r {
        Ok(list) => {
            users.set(Some(list));
            error.set(None);
        }
        Err(e) => {
            if !ctx.check(&e) {
                error.set(Some(e));
            }
        }
    };
    spawn_local(async move { done(ipc::call::<ListUsers>(&Empty {}).await) });
    let me = StoredValue::new(me);

    let name = RwSignal::new(String::new());
    let role = RwSignal::new("physician".to_string());
    let initial = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = AddUserRequest {
            name: name.get_untracked().trim().to_string(),
            role: role.get_untracked(),
            initial_password: initial.get_untracked(),
        };
        spawn_local(async move {
            let r = ipc::call::<AddUser>(&req).await;
            if r.is_ok() {
                name.set(String::new());
                initial.set(String::new());
            }
            done(r);
        });
    };
    let change = move |user: String, change: UserChange| {
        spawn_local(async move {
            done(ipc::call::<ChangeUser>(&ChangeUserRequest { name: user, change }).await)
        });
    };

    view! {
        <h1>"Users"</h1>
        {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
        <section class="card">
            <h2>"Accounts"</h2>
            <table class="settings" id="users-table">
                <thead>
                    <tr><th scope="col">"User"</th><th scope="col">"Role"</th><th scope="col">"State"</th><th scope="col">"Actions"</th></tr>
                </thead>
                <tbody>
                    {move || users.get().unwrap_or_default().into_iter().map(|u| {
                        let state = user_state(&u);
                        let n1 = u.name.clone();
                        let n2 = u.name.clone();
                        let locked = u.locked_until.is_some();
                        let disabled = u.disabled;
                        let is_me = me.with_value(|m| *m == u.name);
                        view! {
                            <tr data-user=u.name.clone()>
                                <th scope="row">{u.name.clone()}</th>
                                <td>{role_label(&u.role)}</td>
                                <td class="user-state">{state}</td>
                                <td class="row-actions">
                                    {(!is_me).then(|| view! {
                                        <button class="secondary" on:click=move |_| change(n1.clone(), if disabled { UserChange::Enable } else { UserChange::Disable })>
                                            {if disabled { "Enable" } else { "Disable" }}
                                        </button>
                                    })}
                                    {locked.then(|| view! {
                                        <button class="secondary" on:click=move |_| change(n2.clone(), UserChange::Unlock)>"Unlock"</button>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class="card">
            <h2>"Add a user"</h2>
            <form id="add-user-form" class="inline-form" on:submit=add>
                <div>
                    <label for="add-user-name">"User name"</label>
                    <input id="add-user-name" required bind:value=name/>
                </div>
                <div>
                    <label for="add-user-role">"Role"</label>
                    <select id="add-user-role" bind:value=role>
                        <option value="physician">"Physician"</option>
                        <option value="nurse">"Nurse"</option>
                        <option value="analyst">"Analyst"</option>
                        <option value="admin">"Administrator"</option>
                    </select>
                </div>
                <div>
                    <label for="add-user-password">"Temporary password"</label>
                    <input id="add-user-password" type="password" autocomplete="new-password" required bind:value=initial/>
                </div>
                <button id="add-user-submit" class="primary" type="submit">"Add user"</button>
            </form>
            <p class="field-help">"The user chooses their own password at first sign-in."</p>
        </section>
    }
}

fn user_state(u: &UserDto) -> String {
    let mut s = Vec::new();
    if u.disabled {
        s.push("Disabled");
    }
    if u.locked_until.is_some() {
        s.push("Locked out");
    }
    if u.must_change_password {
        s.push("Must change password");
    }
    if s.is_empty() {
        "Active".into()
    } else {
        s.join(", ")
    }
}
