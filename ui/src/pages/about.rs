//! About: what is running, where it keeps its files, and which policy governs it.

use iris_types::{About, AboutDto, AboutRequest, ModelStatusDto, SettingDto};
use leptos::prelude::*;

use crate::components::error_panel::ErrorPanel;
use crate::ipc;

#[component]
pub fn AboutPage() -> impl IntoView {
    let about = LocalResource::new(|| ipc::call::<About>(&AboutRequest {}));
    view! {
        <h1>"About Iris"</h1>
        <Suspense fallback=|| view! { <p class="loading" aria-live="polite">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match about.await {
                    Ok(a) => view! { <AboutDetails about=a/> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AboutDetails(about: AboutDto) -> impl IntoView {
    let policy = if about.policy.present {
        format!("{} (in effect)", about.policy.path)
    } else {
        format!("{} (not present)", about.policy.path)
    };
    let locked = if about.policy.locked.is_empty() {
        "None".to_string()
    } else {
        about.policy.locked.join(", ")
    };
    let rows: Vec<(&'static str, &'static str, String)> = vec![
        ("Version", "about-version", about.version.clone()),
        (
            "Build",
            "about-build",
            format!("{} · {}", about.build_profile, about.target),
        ),
        ("Data directory", "about-data-dir", about.data_dir.clone()),
        (
            "Models directory",
            "about-models-dir",
            about.models_dir.clone(),
        ),
        ("Log directory", "about-log-dir", about.log_dir.clone()),
        (
            "Config file",
            "about-config",
            about.config_file.clone().unwrap_or_else(|| "None".into()),
        ),
        ("System policy", "about-policy", policy),
        ("Locked settings", "about-locked", locked),
        (
            "Inference devices",
            "about-devices",
            about.inference_devices.join(", "),
        ),
        (
            "Models run on",
            "about-inference-device",
            format!(
                "{} ({}; configured: {})",
                about.inference.device, about.inference.reason, about.inference.configured
            ),
        ),
    ];
    let models = about.inference.models.clone();
    view! {
        <section class="card" aria-labelledby="about-build-heading">
            <h2 id="about-build-heading">"This workstation"</h2>
            <dl class="facts">
                {rows
                    .into_iter()
                    .map(|(label, id, value)| {
                        view! {
                            <div class="fact">
                                <dt>{label}</dt>
                                <dd id=id>{value}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
        <section class="card" aria-labelledby="about-models-heading">
            <h2 id="about-models-heading">"Local AI models"</h2>
            <p class="hint">
                "Models run on this workstation only; they load when first used and unload when idle. "
                "Decision support, charting and import work without them."
            </p>
            <table class="settings models">
                <thead>
                    <tr>
                        <th scope="col">"Model"</th>
                        <th scope="col">"Task"</th>
                        <th scope="col">"Installed"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Memory"</th>
                    </tr>
                </thead>
                <tbody>{models.into_iter().map(model_row).collect_view()}</tbody>
            </table>
        </section>
        <section class="card" aria-labelledby="about-settings-heading">
            <h2 id="about-settings-heading">"Settings"</h2>
            <table class="settings">
                <thead>
                    <tr>
                        <th scope="col">"Setting"</th>
                        <th scope="col">"Value"</th>
                        <th scope="col">"Source"</th>
                    </tr>
                </thead>
                <tbody>
                    {about.settings.into_iter().map(setting_row).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

fn model_row(m: ModelStatusDto) -> impl IntoView {
    let state = if m.loaded {
        format!("Loaded on {}", m.device.clone().unwrap_or_default())
    } else if let Some(e) = &m.last_error {
        format!("Not loaded: {e}")
    } else {
        "Not loaded".to_string()
    };
    let memory = if m.loaded {
        format!("{} MiB", m.memory_mib)
    } else {
        "—".to_string()
    };
    view! {
        <tr data-model=m.name.clone()>
            <th scope="row"><code>{m.name.clone()}</code></th>
            <td>{m.task.clone()}</td>
            <td>{if m.installed { "Yes" } else { "No — run the model installer" }}</td>
            <td>{state}</td>
            <td>{memory}</td>
        </tr>
    }
}

fn setting_row(s: SettingDto) -> impl IntoView {
    view! {
        <tr data-key=s.key.clone()>
            <th scope="row"><code>{s.key.clone()}</code></th>
            <td class="value">{s.value.clone()}</td>
            <td>
                {s.source.label()}
                {s.locked.then(|| view! { <span class="badge locked">"Locked by policy"</span> })}
            </td>
        </tr>
    }
}
