//! Sets `document.title` for the page being shown: each page has a unique, relevant title
//! (RGAA 8.6), which is also what a screen reader announces after navigation.

use crate::i18n::texts;
use leptos::prelude::*;

#[component]
pub fn PageTitle(
    /// The page's own title, without the site name (it is appended).
    #[prop(into)]
    title: Signal<String>,
) -> impl IntoView {
    Effect::new(move |_| {
        let full = format!("{}{}", title.get(), texts().site.title_suffix);
        if let Some(document) = crate::browser::document() {
            document.set_title(&full);
        }
    });
}
