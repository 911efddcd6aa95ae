//! Search as you type over the services that apply to the citizen (or the whole federation).
//!
//! Each result says why it is there — where the words were found, which everyday word stood for
//! which word of the service ("« frigo » : synonyme de « réfrigérateur »"), which word was
//! recognised despite its spelling. Results that have only part of what was asked are shown apart,
//! under "Résultats approchants", with the words they lack, so a citizen never mistakes them for
//! an answer. When nothing matches, close words are suggested and the whole list of the commune's
//! services is one link away.

use crate::components::service_card::ServiceCard;
use crate::i18n::texts;
use crate::state::federation::Federation;
use catalogue::search::{Field, MatchQuality, SearchHit, SearchOptions, highlights};
use leptos::prelude::*;
use std::sync::Arc;

/// Where the commune page lists every service (the target of "Voir tous les services").
pub const ALL_SERVICES_ID: &str = "tous-les-services";

fn field_label(field: Field) -> &'static str {
    let t = &texts().search;
    match field {
        Field::Title => t.in_title,
        Field::Keyword => t.in_keywords,
        Field::LifeEvent => t.in_life_events,
        Field::Category => t.in_theme,
        Field::Summary => t.in_summary,
        Field::Description => t.in_description,
        Field::Synonym | Field::WeakSynonym => t.in_keywords,
    }
}

/// The line under a hit's title: who provides it, where the words were found, synonyms and
/// approximate spellings, and for an approximate hit the words it lacks.
pub fn why(hit: &SearchHit, member: &str) -> String {
    let t = &texts().search;
    let mut fields: Vec<&str> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for m in &hit.matched {
        match (&m.synonym_of, m.quality) {
            (Some(of), _) => notes.push(t.synonym(&m.word, of)),
            (None, MatchQuality::Typo) => notes.push(t.typo(&m.word)),
            (None, _) => {}
        }
        if m.synonym_of.is_none() {
            let label = field_label(m.field);
            if !fields.contains(&label) {
                fields.push(label);
            }
        }
    }
    let mut parts = vec![member.to_owned()];
    if !fields.is_empty() {
        parts.push(format!("{} {}", t.matched_in, fields.join(", ")));
    }
    parts.extend(notes);
    if hit.approximate && !hit.missing.is_empty() {
        parts.push(t.missing(&hit.missing));
    }
    parts.join(" — ")
}

/// Moves the focus (and the view) to the list of every service of the commune.
fn show_all_services() {
    use wasm_bindgen::JsCast;
    let list = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(ALL_SERVICES_ID))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(list) = list {
        let _ = list.focus();
    }
}

/// One hit as a card, with its highlights and its "why" line.
fn card(federation: &Federation, hit: &SearchHit) -> Option<impl IntoView + use<>> {
    let service = federation.catalogue.services.get(hit.service)?.clone();
    let terms = hit.highlight_terms();
    let member = federation
        .catalogue
        .member(&service.member)
        .map(|m| m.name.fr.clone())
        .unwrap_or_default();
    let why = why(hit, &member);
    let title_marks = highlights(&service.title.fr, &terms);
    let summary_marks = highlights(&service.summary.fr, &terms);
    Some(view! { <ServiceCard service title_marks summary_marks why /> })
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
            let options = SearchOptions {
                restrict_to: restrict,
                limit: 20,
            };
            let (exact, approximate): (Vec<SearchHit>, Vec<SearchHit>) = federation
                .search
                .search(&q, &options)
                .into_iter()
                .partition(|h| !h.approximate);
            let suggestions = if exact.is_empty() && approximate.is_empty() {
                federation.search.suggestions(&q, 3)
            } else {
                Vec::new()
            };
            Some((q, exact, approximate, suggestions))
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
                results.get().map(|(q, exact, approximate, suggestions)| {
                    let t = &texts().search;
                    let summary = if exact.is_empty() && !approximate.is_empty() {
                        t.only_approximate(approximate.len(), &q)
                    } else {
                        t.results(exact.len(), &q)
                    };
                    let nothing = exact.is_empty() && approximate.is_empty();
                    let cards = exact.iter().filter_map(|hit| card(&federation, hit)).collect_view();
                    let approximate_cards = approximate.iter().filter_map(|hit| card(&federation, hit)).collect_view();
                    view! {
                        <div class="gu-search__results">
                            <p role="status" aria-live="polite" class="gu-search__count">{summary}</p>
                            <ul class="gu-cards">{cards}</ul>
                            {(!approximate.is_empty()).then(|| view! {
                                <section class="gu-search__approximate" aria-labelledby="recherche-approchants">
                                    <h2 id="recherche-approchants">{t.approximate_heading}</h2>
                                    <p class="gu-hint">{t.approximate_hint}</p>
                                    <ul class="gu-cards">{approximate_cards}</ul>
                                </section>
                            })}
                            {(!suggestions.is_empty()).then(|| view! {
                                <p>{t.suggestions} " " {suggestions.join(", ")}</p>
                            })}
                            {nothing.then(|| view! {
                                <p>{t.browse_instead}</p>
                                <p><button type="button" class="gu-button gu-button--secondary" on:click=move |_| show_all_services()>{t.see_all}</button></p>
                            })}
                        </div>
                    }
                })
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use catalogue::search::WordMatch;

    fn word(word: &str, field: Field, quality: MatchQuality, of: Option<&str>) -> WordMatch {
        WordMatch {
            word: word.into(),
            term: word.into(),
            field,
            quality,
            synonym_of: of.map(Into::into),
            highlight: Vec::new(),
        }
    }

    #[test]
    fn the_why_line_names_fields_synonyms_typos_and_missing_words() {
        let hit = SearchHit {
            service: 0,
            score: 1.0,
            approximate: true,
            matched: vec![
                word("salle", Field::Title, MatchQuality::Exact, None),
                word(
                    "frigo",
                    Field::Synonym,
                    MatchQuality::Exact,
                    Some("réfrigérateur"),
                ),
                word("encombrnats", Field::Keyword, MatchQuality::Typo, None),
            ],
            missing: vec!["loto".into()],
        };
        assert_eq!(
            why(&hit, "Ville de Gien"),
            "Ville de Gien — trouvé dans le titre, les mots-clés — « frigo » : synonyme de « réfrigérateur » — « encombrnats » : orthographe approchée — mot absent : « loto »"
        );
    }

    #[test]
    fn an_exact_hit_does_not_list_missing_words() {
        let hit = SearchHit {
            service: 0,
            score: 1.0,
            approximate: false,
            matched: vec![word("acte", Field::Summary, MatchQuality::Exact, None)],
            missing: vec![],
        };
        assert_eq!(
            why(&hit, "Ville de Gien"),
            "Ville de Gien — trouvé dans le résumé"
        );
    }
}
