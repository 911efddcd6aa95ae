//! Search ranking on the demo federation: typos, accents, plurals, prefixes, life events.

mod common;

use catalogue::coverage::coverage;
use catalogue::search::{Field, MatchQuality, SearchIndex, SearchOptions, highlights};
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
    let term = &hit.matched[0].term;
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

fn first_slug(catalogue: &catalogue::Catalogue, index: &SearchIndex, query: &str) -> String {
    index
        .search(query, &SearchOptions::default())
        .first()
        .map(|h| catalogue.services[h.service].slug().to_owned())
        .unwrap_or_default()
}

#[test]
fn questions_are_answered_without_their_question_words() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    for (question, expected) in [
        (
            "comment faire pour inscrire ma fille en maternelle ?",
            "inscription-scolaire",
        ),
        (
            "où louer la salle des fêtes pour un baptême",
            "reservation-salle",
        ),
        (
            "qui peut m'aider à payer mon loyer en retard",
            "fonds-solidarite-logement",
        ),
    ] {
        let hits = index.search(question, &SearchOptions::default());
        assert!(!hits.is_empty(), "{question}");
        assert_eq!(
            catalogue.services[hits[0].service].slug(),
            expected,
            "{question}"
        );
        assert!(
            !hits[0].approximate,
            "{question}: every required word is there"
        );
    }
}

#[test]
fn verbs_find_nouns_and_plurals_find_singulars() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    assert_eq!(
        first_slug(&catalogue, &index, "réservation de salle"),
        "reservation-salle"
    );
    assert_eq!(
        first_slug(&catalogue, &index, "enlèvement des encombrants"),
        "encombrants"
    );
    assert_eq!(
        first_slug(&catalogue, &index, "inscriptions ecole"),
        "inscription-scolaire"
    );
    assert_eq!(first_slug(&catalogue, &index, "composter"), "composteur");
}

#[test]
fn a_doubled_letter_left_out_or_added_is_not_a_typo() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    for query in ["dechetterie", "stationement", "recensemment"] {
        let hits = index.search(query, &SearchOptions::default());
        assert!(!hits.is_empty(), "{query}");
        assert_eq!(hits[0].matched[0].quality, MatchQuality::Exact, "{query}");
    }
}

#[test]
fn when_no_service_has_every_word_the_closest_are_labelled_approximate() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    let hits = index.search("salle des fêtes pour un loto", &SearchOptions::default());
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(
        catalogue.services[hits[0].service].id,
        "gien/reservation-salle"
    );
    assert!(hits[0].approximate);
    assert_eq!(hits[0].missing, ["loto"], "the hit says what it lacks");
}

#[test]
fn a_question_no_service_answers_gets_nothing_rather_than_junk() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    for query in [
        "permis de construire",
        "carte grise",
        "horaires de la piscine",
        "déclarer mes impôts",
        "réserver un court de tennis",
    ] {
        let hits = index.search(query, &SearchOptions::default());
        let ids: Vec<&str> = hits
            .iter()
            .map(|h| catalogue.services[h.service].id.as_str())
            .collect();
        assert!(ids.is_empty(), "{query}: {ids:?}");
    }
}

/// A federation of one commune whose services are written for these tests.
fn small_catalogue(services: &str) -> catalogue::Catalogue {
    let text = format!(
        "[federation]\nname = \"Test\"\n\n[[member]]\nid = \"gien\"\nkind = \"commune\"\ncode = \"45155\"\nname = \"Ville de Gien\"\napi = \"http://127.0.0.1:8101\"\n{services}"
    );
    let parsed = catalogue::parse_root("test.toml", &text, catalogue::ParseOptions::dev());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    parsed.value.unwrap_or_else(|| panic!("no catalogue"))
}

fn service(slug: &str, title: &str, summary: &str, more: &str) -> String {
    format!(
        "\n[[service]]\nid = \"gien/{slug}\"\ntitle = \"{title}\"\nsummary = \"{summary}\"\ncategory = \"voirie\"\n{more}\n[service.channels.counter]\n"
    )
}

#[test]
fn equal_scores_are_ordered_by_relevance_not_by_catalogue_order() {
    let catalogue = small_catalogue(&format!(
        "{}{}{}",
        service(
            "carte-longue",
            "Demander la carte de stationnement des commerçants du marché couvert",
            "Pour les marchés.",
            ""
        ),
        service(
            "carte-resident",
            "Carte de stationnement",
            "Pour les habitants.",
            ""
        ),
        service(
            "carte-en-ligne",
            "Carte de stationnement",
            "Pour les habitants.",
            "[service.channels.online]\nform = \"stationnement\"\n"
        ),
    ));
    let index = SearchIndex::build(&catalogue.services);
    let order: Vec<&str> = index
        .search("carte stationnement", &SearchOptions::default())
        .iter()
        .map(|h| catalogue.services[h.service].slug())
        .collect();
    // Same words in every title: the titles the query covers best first, the one that can be
    // done online before the other, the long title last, although the catalogue lists it first.
    assert_eq!(order, ["carte-en-ligne", "carte-resident", "carte-longue"]);
}

#[test]
fn the_description_is_searched_with_a_lower_weight_than_the_title() {
    let catalogue = small_catalogue(&format!(
        "{}{}",
        service(
            "terrasse",
            "Installer une terrasse",
            "Pour les cafés.",
            "description = \"Une terrasse fermée demande aussi un permis de construire.\"\n"
        ),
        service("permis", "Permis de construire", "Pour bâtir.", ""),
    ));
    let index = SearchIndex::build(&catalogue.services);
    let hits = index.search("permis construire", &SearchOptions::default());
    let slugs: Vec<&str> = hits
        .iter()
        .map(|h| catalogue.services[h.service].slug())
        .collect();
    assert_eq!(
        slugs,
        ["permis", "terrasse"],
        "found in the description, after the title"
    );
    assert_eq!(hits[1].matched[0].field, Field::Description);
}

#[test]
fn words_met_only_in_descriptions_are_no_answer_when_no_service_is_about_them() {
    let catalogue = small_catalogue(&format!(
        "{}{}",
        service(
            "apa",
            "Allocation personnalisée d’autonomie",
            "Pour les personnes âgées.",
            "description = \"Un travailleur social vient voir comment adapter le logement.\"\n"
        ),
        service("permis", "Permis de construire", "Pour bâtir.", ""),
    ));
    let index = SearchIndex::build(&catalogue.services);
    let hits = index.search("demande de logement social", &SearchOptions::default());
    assert!(
        hits.is_empty(),
        "prose using the words in passing is not an answer: {:?}",
        hits.iter()
            .map(|h| catalogue.services[h.service].slug())
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_life_situation_brings_the_other_services_of_that_life_event_as_approximate() {
    let catalogue = small_catalogue(&format!(
        "{}{}{}",
        service(
            "declaration-naissance",
            "Déclarer une naissance",
            "Dans les cinq jours après la venue au monde du bébé.",
            "life_events = [\"naissance\"]"
        ),
        service(
            "acte-naissance",
            "Demander un acte de naissance",
            "Une copie intégrale ou un extrait.",
            "life_events = [\"naissance\"]"
        ),
        service(
            "reservation-salle",
            "Réserver une salle",
            "Pour une fête familiale.",
            ""
        ),
    ));
    let index = SearchIndex::build(&catalogue.services);
    // "attend" is a word of the label "J’attends un enfant"; only one service has "bébé".
    let hits = index.search("on attend un bébé", &SearchOptions::default());
    let found: Vec<(&str, bool)> = hits
        .iter()
        .map(|h| (catalogue.services[h.service].slug(), h.approximate))
        .collect();
    assert_eq!(
        found,
        [("declaration-naissance", false), ("acte-naissance", true)],
        "exact first, then the rest of the situation, labelled"
    );
    assert_eq!(hits[1].missing, ["bébé"], "the hit says what it lacks");
    // A word no service has at all: the federation may not do what is asked, so no situation.
    assert!(
        index
            .search("on attend une licorne", &SearchOptions::default())
            .is_empty()
    );
    // Through a typo, a word is not taken as naming a situation.
    let typo: Vec<&str> = index
        .search("attenfs bébé", &SearchOptions::default())
        .iter()
        .map(|h| catalogue.services[h.service].slug())
        .collect();
    assert_eq!(typo, ["declaration-naissance"]);
}

#[test]
fn a_verb_no_service_has_does_not_veto_what_the_other_words_agree_on() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    for (query, verb) in [
        ("refaire mon passeport", "refaire"),
        ("vieux canapé à jeter", "jeter"),
    ] {
        let hits = index.search(query, &SearchOptions::default());
        assert!(!hits.is_empty(), "{query}: nothing");
        assert!(
            hits.iter().all(|h| h.approximate && h.missing == [verb]),
            "{query}: every hit is approximate and says it lacks `{verb}`: {hits:?}"
        );
    }
    let first = index.search("refaire mon passeport", &SearchOptions::default())[0].service;
    assert_eq!(catalogue.services[first].slug(), "carte-identite");
}

#[test]
fn an_unknown_noun_or_adjective_still_vetoes_the_query() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    // "carte" and "location" name services; "grise" and "vélo" are what the federation lacks.
    for query in ["carte grise", "location de vélo", "adopter un chien"] {
        let hits = index.search(query, &SearchOptions::default());
        assert!(hits.is_empty(), "{query}: {hits:?}");
    }
}

#[test]
fn words_naming_different_services_give_no_approximate_results() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    // "allocation" names the APA, "familial" the canteen (its quotient familial): neither is it.
    let hits = index.search("allocations familiales", &SearchOptions::default());
    assert!(hits.is_empty(), "{hits:?}");
    // Each word alone still finds its service.
    assert!(
        !index
            .search("allocation", &SearchOptions::default())
            .is_empty()
    );
    assert!(
        !index
            .search("familial", &SearchOptions::default())
            .is_empty()
    );
}

#[test]
fn the_noun_after_quel_is_what_is_asked_not_what_is_searched() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    let hits = index.search("à quel âge se faire recenser", &SearchOptions::default());
    assert_eq!(
        hits.first().map(|h| catalogue.services[h.service].slug()),
        Some("recensement-citoyen"),
        "{hits:?}"
    );
}
