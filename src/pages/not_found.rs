//! The page shown for any URL that matches no route.

use crate::components::PageTitle;
use crate::i18n::texts;
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let t = &texts().not_found;
    view! {
        <PageTitle title=t.title.to_string() />
        <div class="gu-container">
            <h1>{t.title}</h1>
            <p>{t.body}</p>
            <p>
                <A href=Page::Home.href() attr:class="gu-button">{t.back_home}</A>
            </p>
        </div>
    }
}
