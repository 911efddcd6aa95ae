//! Search ranking on the demo federation: typos, accents, plurals, prefixes, life events.

mod common;

use catalogue::coverage::coverage;
use catalogue::search::{SearchIndex, SearchOptions, highlights};
use common::{demo_catalogue, territory};

/// (query, slug expected first) — slugs, since most services exist for several members.
const TOP_RESULTS: &[(&str, &str)] = &[
    ("encombrants", "encombrants"),
    ("encombrnats", "encombrants"),
    ("encom", "encombrants"),
    ("ENCOMBRANT", "encombrants"),
    ("ecole", "inscription-scolaire"),
    ("école maternelle", "inscription-scolaire"),
    ("naissance", "acte-naissance"),
    ("acte de naissance", "acte-naissance"),
    ("acte de naisance", "acte-naissance"),
    ("cantine", "restauration-scolaire"),
    ("decheteries", "badge-decheterie"),
    ("dechetterie", "badge-decheterie"),
    ("transport scolaire", "transport-scolaire"),
    ("transprot scolaire", "transport-scolaire"),
    ("inscriptoin ecole", "inscription-scolaire"),
    ("apa", "apa"),
    ("allocation autonomie", "apa"),
    ("assistante maternelle", "agrement-assistant-maternel"),
    ("crêche", "multi-accueil"),
    ("creche", "multi-accueil"),
    ("fosse septique", "assainissement-non-collectif"),
    ("passeport", "carte-identite"),
    ("salle des fêtes", "reservation-salle"),
];

#[test]
fn top_results_match_what_citizens_mean() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    let mut failures = Vec::new();
    for (query, expected) in TOP_RESULTS {
        let hits = index.search(query, &SearchOptions::default());
        let first = hits
            .first()
            .map(|h| catalogue.services[h.service].slug().to_owned());
        if first.as_deref() != Some(*expected) {
            let top: Vec<_> = hits
                .iter()
                .take(3)
                .map(|h| catalogue.services[h.service].id.as_str())
                .collect();
            failures.push(format!("{query:?}: expected {expected}, got {top:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_life_event_finds_the_services_tagged_with_it() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    let hits = index.search(
        "je déménage",
        &SearchOptions {
            limit: 100,
            ..Default::default()
        },
    );
    let ids: Vec<&str> = hits
        .iter()
        .map(|h| catalogue.services[h.service].id.as_str())
        .collect();
    for expected in [
        "cc-giennoises/encombrants",
        "deauville/liste-electorale",
        "loiret/fonds-solidarite-logement",
    ] {
        assert!(
            ids.contains(&expected),
            "{expected} is tagged `demenagement`: {ids:?}"
        );
    }
}

#[test]
fn search_can_be_restricted_to_the_citizens_territory() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    let cov = coverage(&catalogue, territory(), "45155").unwrap();
    let local: Vec<bool> = catalogue
        .services
        .iter()
        .map(|s| cov.services().any(|c| c.id == s.id))
        .collect();
    let hits = index.search(
        "encombrants",
        &SearchOptions {
            restrict_to: Some(&local),
            limit: 10,
        },
    );
    let ids: Vec<&str> = hits
        .iter()
        .map(|h| catalogue.services[h.service].id.as_str())
        .collect();
    assert_eq!(ids, ["cc-giennoises/encombrants"]);
}

#[test]
fn hits_say_why_they_matched_and_where_to_highlight() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    let hit = &index.search("encombrnats", &SearchOptions::default())[0];
    let (term, _, _) = &hit.matched[0];
    assert_eq!(term, "encombrant");
    let title = &catalogue.services[hit.service].title.fr;
    let ranges = highlights(title, std::slice::from_ref(term));
    assert_eq!(&title[ranges[0].clone()], "encombrants");
}

#[test]
fn every_query_word_must_match() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    assert!(
        index
            .search("encombrants piscine", &SearchOptions::default())
            .is_empty()
    );
    assert!(index.search("", &SearchOptions::default()).is_empty());
    assert!(
        index.search("de la", &SearchOptions::default()).is_empty(),
        "stop words alone match nothing"
    );
}

#[test]
fn an_empty_result_suggests_close_words() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    assert!(
        index
            .search("ancombremants", &SearchOptions::default())
            .is_empty(),
        "three slips: beyond typo tolerance"
    );
    let suggestions = index.suggestions("ancombremants", 3);
    assert!(
        suggestions.iter().any(|s| s.starts_with("encombr")),
        "{suggestions:?}"
    );
}
