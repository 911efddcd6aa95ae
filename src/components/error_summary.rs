//! The error summary (GOV.UK pattern): a titled box at the top of a form listing every problem,
//! each a link that moves the focus to the field concerned. `role="alert"` makes screen readers
//! announce it when it appears; it takes the focus itself so keyboard users start from it.

use crate::i18n::texts;
use leptos::html;
use leptos::prelude::*;

/// One problem: the id of the field it concerns and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field_id: String,
    pub message: String,
}

#[component]
pub fn ErrorSummary(
    /// The problems, in the order of the fields on the page.
    problems: Vec<Problem>,
) -> impl IntoView {
    let node = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            let _ = el.focus();
        }
    });
    view! {
        <div class="gu-error-summary" role="alert" tabindex="-1" node_ref=node>
            <h2 class="gu-error-summary__title">{texts().chooser.error_summary_title}</h2>
            <ul class="gu-error-summary__list">
                {problems
                    .into_iter()
                    .map(|p| {
                        let target = p.field_id.clone();
                        view! {
                            <li>
                                <a href=format!("#{}", p.field_id) on:click=move |ev| {
                                    ev.prevent_default();
                                    focus_field(&target);
                                }>{p.message}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// Focuses and scrolls to the element with this id (the router must not treat `#id` as a route).
pub fn focus_field(id: &str) {
    crate::browser::focus_element(id);
}
