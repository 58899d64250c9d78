use iris_types::{ApiError, ErrorCode};
use leptos::prelude::*;

/// Shows an `ApiError` as a person can act on it: what happened, and for configuration
/// problems that it is a workstation setting for IT, not something the user did.
#[component]
pub fn ErrorPanel(error: ApiError) -> impl IntoView {
    let title = match error.code {
        ErrorCode::Config => "Iris could not start: configuration problem",
        ErrorCode::Validation => "Please check these fields",
        ErrorCode::Transport => "The Iris backend is not reachable",
        ErrorCode::Unauthenticated => "Sign-in failed",
        ErrorCode::LockedOut => "Account locked",
        ErrorCode::Disabled => "Account disabled",
        ErrorCode::Forbidden => "Not permitted",
        ErrorCode::Conflict => "Not possible right now",
        ErrorCode::KeyUnavailable | ErrorCode::WrongKey => "The vault key is not available",
        ErrorCode::Integrity => "Stored data failed an integrity check",
        _ => "Something went wrong",
    };
    let fields = error.fields.clone();
    let hint = (error.code == ErrorCode::Config).then_some(
        "This is a workstation setting. Contact your IT service desk and quote the message above.",
    );
    view! {
        <section class="error-panel" role="alert" data-code=error.code.to_string()>
            <h2>{title}</h2>
            <p class="error-message">{error.message.clone()}</p>
            {(!fields.is_empty()).then(|| view! {
                <ul class="error-fields">
                    {fields.into_iter().map(|f| view! {
                        <li data-field=f.field.clone()>
                            <span class="error-field">{field_label(&f.field)}</span>
                            ": "
                            {rule_text(&f.rule)}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {hint.map(|h| view! { <p class="error-hint">{h}</p> })}
            <p class="error-code">"Code: " {error.code.to_string()}</p>
        </section>
    }
}

/// Field names as a person reads them.
fn field_label(field: &str) -> String {
    let label = match field {
        "name" => "User name",
        "admin" => "Administrator user name",
        "password" | "new_password" => "Password",
        "confirm" => "Confirm password",
        "passphrase" => "Vault passphrase",
        "role" => "Role",
        other => return other.replace(['_', '.'], " "),
    };
    label.to_string()
}

/// Rule identifiers (documented in iris-vault) as sentences.
fn rule_text(rule: &str) -> String {
    if let Some(n) = rule.strip_prefix("min_length_") {
        return format!("at least {n} characters");
    }
    if let Some(n) = rule.strip_prefix("max_length_") {
        return format!("at most {n} characters");
    }
    match rule {
        "required" => "required".into(),
        "matches_password" => "does not match the password".into(),
        "differs_from_current" => "must differ from the current password".into(),
        r if r.starts_with("user_name") => {
            "2 to 32 lower-case letters, digits, '.', '_' or '-', starting with a letter".into()
        }
        other => other.replace('_', " "),
    }
}
