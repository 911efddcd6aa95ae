//! Search as you type over the services that apply to the citizen (or the whole federation),
//! with the matching words highlighted and alternatives when nothing matches.

use crate::components::service_card::ServiceCard;
use crate::i18n::texts;
use crate::state::federation::Federation;
use catalogue::search::{Field, SearchOptions, highlights};
use leptos::prelude::*;
use std::sync::Arc;

fn field_label(field: Field) -> &'static str {
    let t = &texts().search;
    match field {
        Field::Title => t.in_title,
        Field::Keyword => t.in_keywords,
        Field::LifeEvent => t.in_life_events,
        Field::Category => t.in_theme,
        Field::Summary => t.in_summary,
    }
}

#[component]
pub fn SearchBox(
    federation: Arc<Federation>,
    /// Which services apply where the citizen lives (by index in the catalogue).
    local: Arc<Vec<bool>>,
) -> impl IntoView {
    let t = &texts().search;
    let query = RwSignal::new(String::new());
    let everywhere = RwSignal::new(false);
    let results = {
        let federation = Arc::clone(&federation);
        Memo::new(move |_| {
            let q = query.get();
            if q.trim().is_empty() {
                return None;
            }
            let restrict = (!everywhere.get()).then_some(local.as_slice());
            let hits = federation.search.search(
                &q,
                &SearchOptions {
                    restrict_to: restrict,
                    limit: 20,
                },
            );
            let suggestions = if hits.is_empty() {
                federation.search.suggestions(&q, 3)
            } else {
                Vec::new()
            };
            Some((q, hits, suggestions))
        })
    };
    let on_input = move |ev: leptos::ev::Event| {
        query.set(event_target_value(&ev));
    };
    view! {
        <section class="gu-search" aria-labelledby="search-label">
            <div class="gu-search__field">
                <label class="gu-label" id="search-label" for="recherche">{t.label}</label>
                <p class="gu-hint" id="recherche-aide">{t.hint}</p>
                <input id="recherche" class="gu-input" type="search" aria-describedby="recherche-aide" prop:value=move || query.get() on:input=on_input />
                <div class="gu-checkbox">
                    <input type="checkbox" id="recherche-partout" class="gu-checkbox__input" prop:checked=move || everywhere.get() on:change=move |ev| everywhere.set(event_target_checked(&ev)) />
                    <label class="gu-checkbox__label" for="recherche-partout">{t.whole_federation}</label>
                </div>
            </div>
            {move || {
                let federation = Arc::clone(&federation);
                results.get().map(|(q, hits, suggestions)| {
                    let t = &texts().search;
                    let summary = t.results(hits.len(), &q);
                    let empty = hits.is_empty();
                    let cards = hits
                        .into_iter()
                        .filter_map(|hit| {
                            let service = federation.catalogue.services.get(hit.service)?.clone();
                            let terms: Vec<String> = hit.matched.iter().map(|(term, _, _)| term.clone()).collect();
                            let fields: Vec<&str> = {
                                let mut f: Vec<&str> = hit.matched.iter().map(|(_, field, _)| field_label(*field)).collect();
                                f.dedup();
                                f
                            };
                            let member = federation.catalogue.member(&service.member).map(|m| m.name.fr.clone()).unwrap_or_default();
                            let why = format!("{} — {} {}", member, t.matched_in, fields.join(", "));
                            let title_marks = highlights(&service.title.fr, &terms);
                            let summary_marks = highlights(&service.summary.fr, &terms);
                            Some(view! { <ServiceCard service title_marks summary_marks why /> })
                        })
                        .collect_view();
                    view! {
                        <div class="gu-search__results">
                            <p role="status" aria-live="polite" class="gu-search__count">{summary}</p>
                            {(!suggestions.is_empty()).then(|| view! {
                                <p>{t.suggestions} " " {suggestions.join(", ")}</p>
                            })}
                            {empty.then(|| view! { <p>{t.browse_instead}</p> })}
                            <ul class="gu-cards">{cards}</ul>
                        </div>
                    }
                })
            }}
        </section>
    }
}
