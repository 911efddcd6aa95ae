//! Back link (GOV.UK *back link*): the way back to where the citizen came from, above the page's
//! heading.
//!
//! Parameters: `href` (a [`crate::routes::Page`] link) and the text as children.
//!
//! Accessibility: a real link (`<a>`, followed with Enter, listed among the page's links) whose
//! text says where it goes ("Retour à mes démarches"), never an arrow alone; not printed.

use leptos::prelude::*;
use leptos_router::components::A;

/// A link back, left out of print.
#[component]
pub fn BackLink(#[prop(into)] href: String, children: Children) -> impl IntoView {
    view! {
        <p class="gu-no-print">
            <A href=href attr:class="gu-back-link">{children()}</A>
        </p>
    }
}
