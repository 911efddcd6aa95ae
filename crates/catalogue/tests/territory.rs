//! Territory cases on the real COG 2026 data.

mod common;

use catalogue::territory::{AliasKind, MatchKind};
use common::territory;

fn codes(query: &str, limit: usize) -> Vec<String> {
    territory()
        .search(query, limit)
        .iter()
        .map(|m| m.info.commune.code.clone())
        .collect()
}

#[test]
fn resolves_every_current_commune() {
    let t = territory();
    assert_eq!(t.communes.len(), 34_969);
    assert_eq!(t.epcis.len(), 1_255);
    for commune in &t.communes {
        let info = t
            .commune(&commune.code)
            .expect("each current commune resolves");
        assert!(
            info.departement.is_some(),
            "{} has a département",
            commune.code
        );
    }
}

#[test]
fn gien_by_name_postcode_and_insee_code() {
    assert_eq!(codes("Gien", 1), ["45155"]);
    assert_eq!(codes("gien", 1), ["45155"]);
    assert_eq!(codes("45155", 1), ["45155"]);
    let info = territory().commune("45155").unwrap();
    assert_eq!(info.epci.map(|e| e.siren.as_str()), Some("244500211"));
    assert_eq!(info.departement.map(|d| d.name.as_str()), Some("Loiret"));
    assert_eq!(
        info.region.map(|r| r.name.as_str()),
        Some("Centre-Val de Loire")
    );
}

#[test]
fn a_shared_postcode_returns_every_commune_largest_first() {
    let found = territory().search("45500", 20);
    let names: Vec<_> = found.iter().map(|m| m.info.commune.name.as_str()).collect();
    assert_eq!(names.first(), Some(&"Gien"));
    for expected in [
        "Poilly-lez-Gien",
        "Nevoy",
        "Saint-Martin-sur-Ocre",
        "Saint-Gondon",
        "Autry-le-Châtel",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} shares 45500: {names:?}"
        );
    }
    assert!(
        found
            .iter()
            .all(|m| matches!(&m.matched, MatchKind::Postcode(p) if p == "45500"))
    );
}

#[test]
fn names_are_accent_case_hyphen_and_saint_insensitive() {
    assert_eq!(codes("st jean de braye", 1), ["45284"]);
    assert_eq!(codes("SAINT JEAN DE BRAYE", 1), ["45284"]);
    assert_eq!(codes("trouville sur mer", 1), ["14715"]);
    assert_eq!(codes("ile d yeu", 1), ["85113"]);
    assert_eq!(codes("L’Île-d’Yeu", 1), ["85113"]);
    assert_eq!(
        codes("ste genevieve des bois", 2).len(),
        2,
        "there are two Sainte-Geneviève-des-Bois"
    );
}

#[test]
fn exact_and_larger_communes_come_first() {
    // "Paris" the commune before every "Paris-l'Hôpital"-like prefix match.
    assert_eq!(codes("paris", 1), ["75056"]);
    // Among communes called Saint-Denis, the largest (Seine-Saint-Denis) comes first.
    assert_eq!(codes("saint denis", 1), ["93066"]);
}

#[test]
fn arrondissements_map_to_their_commune() {
    assert_eq!(codes("75001", 1), ["75056"]);
    // 69003 is both Lyon 3e's postcode and the INSEE code of Albigny-sur-Saône: both are offered.
    assert_eq!(codes("69003", 2), ["69003", "69123"]);
    assert_eq!(
        codes("13008", 2),
        ["13008", "13055"],
        "Aurons (INSEE 13008), then Marseille (postcode)"
    );
    let found = territory().search("Marseille 8e Arrondissement", 1);
    assert_eq!(found[0].info.commune.code, "13055");
    assert!(matches!(
        found[0].matched,
        MatchKind::Alias {
            kind: AliasKind::Arrondissement,
            ..
        }
    ));
    assert_eq!(
        territory()
            .commune("75108")
            .map(|i| i.commune.name.as_str()),
        Some("Paris")
    );
}

#[test]
fn communes_deleguees_and_associees_map_to_their_current_commune() {
    let found = territory().search("Arbignieu", 1);
    assert_eq!(found[0].info.commune.name, "Arboys en Bugey");
    assert!(
        matches!(&found[0].matched, MatchKind::Alias { name, kind: AliasKind::Deleguee, .. } if name == "Arbignieu")
    );
    // Cordieux is a commune associée of Montluel (01262).
    assert_eq!(codes("Cordieux", 1), ["01262"]);
}

#[test]
fn communes_in_no_epci_are_handled() {
    for code in ["29083", "29155", "85113", "22016", "97502"] {
        let info = territory().commune(code).unwrap();
        assert!(info.epci.is_none(), "{code} is in no EPCI");
        assert!(info.departement.is_some());
    }
}

#[test]
fn corsica_and_overseas_codes_work() {
    assert_eq!(codes("2A004", 1), ["2A004"]);
    assert_eq!(
        territory()
            .commune("2A004")
            .unwrap()
            .departement
            .unwrap()
            .code,
        "2A"
    );
    assert_eq!(
        territory()
            .commune("2B033")
            .unwrap()
            .departement
            .unwrap()
            .code,
        "2B"
    );
    assert_eq!(codes("20000", 1), ["2A004"]);
    let mayotte = territory().commune("97611").unwrap();
    assert_eq!(mayotte.departement.unwrap().name, "Mayotte");
    assert_eq!(codes("97400", 1), ["97411"]);
}

#[test]
fn partial_postcodes_and_words_inside_names() {
    assert!(codes("455", 50).contains(&"45155".to_string()));
    // "braye" is a later word of Saint-Jean-de-Braye.
    assert!(codes("braye", 10).contains(&"45284".to_string()));
    assert!(codes("zzzz", 5).is_empty());
    assert!(codes("   ", 5).is_empty());
}

#[test]
fn the_index_round_trips() {
    let t = territory();
    let reread = catalogue::Territory::from_index(&t.to_index()).unwrap();
    assert_eq!(reread.communes, t.communes);
    assert_eq!(reread.aliases.len(), t.aliases.len());
    assert!(catalogue::Territory::from_index("not an index").is_err());
    assert!(catalogue::Territory::from_index("#guichet-territory\t1\nC\t1\t2").is_err());
}
