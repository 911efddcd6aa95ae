//! The accessibility statement, a legal obligation for public-service sites in France.

use crate::components::PageTitle;
use crate::i18n::texts;
use leptos::prelude::*;

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let t = &texts().accessibility;
    view! {
        <PageTitle title=t.title.to_string() />
        <div class="gu-container">
            <h1>{t.title}</h1>
            {t.paragraphs.iter().map(|p| view! { <p>{*p}</p> }).collect_view()}
        </div>
    }
}
