//! The home page: what Guichet is and what this federation offers.

use crate::components::commune_chooser::CommuneChooser;
use crate::components::load_errors::LoadErrors;
use crate::components::{Notice, NoticeKind, PageTitle};
use crate::i18n::texts;
use crate::state::federation::{Federation, expect_federation};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = &texts().home;
    let ended = use_query_map().with_untracked(|q| q.get("session").as_deref() == Some("terminee"));
    // The painted shell showed this page's first screen: hand what was typed there to this one.
    Effect::new(|_| crate::shell::take_over());
    view! {
        <PageTitle title=t.page_title.to_string() />
        <section class="gu-hero">
            <div class="gu-container">
                <h1>{t.title}</h1>
                <p class="gu-hero__lead">{t.lead}</p>
            </div>
        </section>
        <div class="gu-container">
            {ended.then(|| view! { <Notice kind=NoticeKind::Success title=texts().kiosk.ended /> })}
            <CommuneChooser />
            <FederationSummary />
        </div>
    }
}

/// Key figures of the federation, or a plain explanation of why they cannot be shown.
#[component]
fn FederationSummary() -> impl IntoView {
    let t = &texts().home;
    let federation = expect_federation();
    view! {
        <section aria-labelledby="federation-heading">
            <h2 id="federation-heading">{t.federation_heading}</h2>
            <Transition fallback=BuiltFigures>
                <ErrorBoundary fallback=|errors| view! { <LoadErrors errors /> }>
                    {move || Suspend::new(async move {
                        federation.resource.await.map(|f| view! { <Figures counts=counts(&f) /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// While the catalogue is read: the figures the build counted in the same root catalogue (the
/// ones the live catalogue gives before members' fragments arrive), or "Chargement…".
#[component]
fn BuiltFigures() -> impl IntoView {
    match crate::shell::built_figures() {
        Some(counts) => view! { <Figures counts /> }.into_any(),
        None => view! { <p class="gu-loading">{texts().site.loading}</p> }.into_any(),
    }
}

/// Members, services, services online.
fn counts(federation: &Federation) -> [usize; 3] {
    let catalogue = &federation.catalogue;
    [
        catalogue.members.len(),
        catalogue.services.len(),
        catalogue.online_count(),
    ]
}

#[component]
fn Figures(counts: [usize; 3]) -> impl IntoView {
    let t = &texts().home;
    let [members, services, online] = counts;
    view! {
        <ul class="gu-figures">
            <li class="gu-figures__item">
                <span class="gu-figures__value">{members}</span>
                " "
                <span>{t.members_label}</span>
            </li>
            <li class="gu-figures__item">
                <span class="gu-figures__value">{services}</span>
                " "
                <span>{t.services_label}</span>
            </li>
            <li class="gu-figures__item">
                <span class="gu-figures__value">{online}</span>
                " "
                <span>{t.online_label}</span>
            </li>
        </ul>
    }
}
