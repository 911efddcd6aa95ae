//! The home page: what Guichet is and what this federation offers.

use crate::components::{Notice, NoticeKind, PageTitle};
use crate::i18n::texts;
use crate::state::federation::{Federation, LoadError, expect_federation};
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = &texts().home;
    view! {
        <PageTitle title=t.page_title.to_string() />
        <section class="gu-hero">
            <div class="gu-container">
                <h1>{t.title}</h1>
                <p class="gu-hero__lead">{t.lead}</p>
            </div>
        </section>
        <div class="gu-container">
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
            <Transition fallback=|| view! { <p class="gu-loading">{texts().site.loading}</p> }>
                <ErrorBoundary fallback=|errors| view! { <CatalogueError errors /> }>
                    {move || Suspend::new(async move {
                        federation.resource.await.map(|f| view! { <Figures federation=f /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn Figures(federation: std::sync::Arc<Federation>) -> impl IntoView {
    let t = &texts().home;
    view! {
        <ul class="gu-figures">
            <li class="gu-figures__item">
                <span class="gu-figures__value">{federation.catalogue.members.len()}</span>
                " "
                <span class="gu-figures__label">{t.members_label}</span>
            </li>
            <li class="gu-figures__item">
                <span class="gu-figures__value">{federation.catalogue.services.len()}</span>
                " "
                <span class="gu-figures__label">{t.services_label}</span>
            </li>
            <li class="gu-figures__item">
                <span class="gu-figures__value">{federation.catalogue.online_count()}</span>
                " "
                <span class="gu-figures__label">{t.online_label}</span>
            </li>
        </ul>
    }
}

#[component]
fn CatalogueError(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let t = &texts().home;
    let details = move || {
        errors.with(|errors| {
            errors
                .iter()
                .map(|(_, e)| {
                    let lines = e
                        .downcast_ref::<LoadError>()
                        .and_then(|e| match e {
                            LoadError::Invalid(lines) => Some(lines.clone()),
                            LoadError::Fetch(_) => None,
                        })
                        .unwrap_or_default();
                    view! {
                        <p>{e.to_string()}</p>
                        {(!lines.is_empty()).then(|| view! {
                            <ul>{lines.into_iter().map(|l| view! { <li><code>{l}</code></li> }).collect_view()}</ul>
                        })}
                    }
                })
                .collect_view()
        })
    };
    view! {
        <Notice kind=NoticeKind::Error title=t.catalogue_error_title>
            {details}
            <p>{t.catalogue_error_help}</p>
        </Notice>
    }
}
