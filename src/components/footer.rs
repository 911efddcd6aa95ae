//! The site footer: accessibility status (a legal mention in France) and what Guichet is.

use crate::i18n::texts;
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Footer() -> impl IntoView {
    let t = &texts().site;
    view! {
        <footer class="gu-footer" aria-label=t.footer_label>
            <div class="gu-container">
                <p>{t.footer_about}</p>
                <ul>
                    <li>
                        <A href=Page::Accessibility.href()>{t.footer_accessibility}</A>
                    </li>
                </ul>
            </div>
        </footer>
    }
}
