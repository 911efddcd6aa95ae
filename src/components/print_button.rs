//! Print button: opens the browser's print dialog for the page (a receipt, a service's details).
//!
//! Parameters: the button's text as children.
//!
//! Accessibility: a `<button type="button">` (Space and Enter), named by its text; it is itself
//! left out of the printed page, as is everything marked `gu-no-print` (see `style/print.css`).

use leptos::prelude::*;

/// "Imprimer": prints the page.
#[component]
pub fn PrintButton(children: Children) -> impl IntoView {
    view! {
        <p class="gu-no-print">
            <button type="button" class="gu-button gu-button--secondary" on:click=|_| crate::browser::print()>
                {children()}
            </button>
        </p>
    }
}
