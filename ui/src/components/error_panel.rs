use iris_types::{ApiError, ErrorCode};
use leptos::prelude::*;

/// Shows an `ApiError` as a person can act on it: what happened, and for configuration
/// problems that it is a workstation setting for IT, not something the user did.
#[component]
pub fn ErrorPanel(error: ApiError) -> impl IntoView {
    let title = match error.code {
        ErrorCode::Config => "Iris could not start: configuration problem",
        ErrorCode::Validation => "Please check the highlighted fields",
        ErrorCode::Transport => "The Iris backend is not reachable",
        _ => "Something went wrong",
    };
    let hint = (error.code == ErrorCode::Config).then_some(
        "This is a workstation setting. Contact your IT service desk and quote the message above.",
    );
    view! {
        <section class="error-panel" role="alert" data-code=error.code.to_string()>
            <h2>{title}</h2>
            <p class="error-message">{error.message.clone()}</p>
            {hint.map(|h| view! { <p class="error-hint">{h}</p> })}
            <p class="error-code">"Code: " {error.code.to_string()}</p>
        </section>
    }
}
