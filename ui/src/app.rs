//! The app frame: header (product, user area), navigation, and the current page.

use leptos::prelude::*;

use crate::pages::about::AboutPage;

/// The pages reachable from the navigation. A page is listed only once it works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    About,
}

impl Page {
    const ALL: [Page; 1] = [Page::About];

    fn label(self) -> &'static str {
        match self {
            Page::About => "About",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Page::About => "nav-about",
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let (page, set_page) = signal(Page::About);
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="app-header">
            <div class="brand">
                <Logo/>
                <span class="brand-name">"Iris"</span>
                <span class="brand-tag">"Clinician workstation"</span>
            </div>
            <div class="user-area" aria-label="User">
                <span class="user-status">"Not signed in"</span>
            </div>
        </header>
        <div class="app-body">
            <nav class="app-nav" aria-label="Main">
                <ul>
                    {Page::ALL
                        .into_iter()
                        .map(|p| {
                            view! {
                                <li>
                                    <button
                                        id=p.id()
                                        class="nav-item"
                                        aria-current=move || (page.get() == p).then_some("page")
                                        on:click=move |_| set_page.set(p)
                                    >
                                        {p.label()}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            <main id="main" class="app-main" tabindex="-1">
                {move || match page.get() {
                    Page::About => view! { <AboutPage/> }.into_any(),
                }}
            </main>
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
