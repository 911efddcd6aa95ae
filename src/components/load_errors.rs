//! What a page shows when what it needs could not be loaded: the reasons in plain French, the
//! catalogue's diagnostics when the catalogue is invalid (for the people who maintain it), and
//! what the citizen can do meanwhile.

use crate::components::{Notice, NoticeKind};
use crate::i18n::texts;
use crate::state::federation::LoadError;
use leptos::prelude::*;

#[component]
pub fn LoadErrors(errors: ArcRwSignal<Errors>) -> impl IntoView {
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
                            <details>
                                <summary>{texts().errors.details_for_maintainers}</summary>
                                <ul>{lines.into_iter().map(|l| view! { <li><code>{l}</code></li> }).collect_view()}</ul>
                            </details>
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
