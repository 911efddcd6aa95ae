//! Which members and services apply where a citizen lives, on the demo federation and the real COG.

mod common;

use catalogue::MemberKind;
use catalogue::coverage::coverage;
use catalogue::parse::{ParseOptions, parse_root};
use catalogue::validate::check_territory;
use common::{demo_catalogue, territory};

fn level_members(insee: &str) -> Vec<(MemberKind, Vec<String>)> {
    let catalogue = demo_catalogue();
    let cov = coverage(&catalogue, territory(), insee).expect("a current commune");
    cov.levels
        .iter()
        .map(|l| {
            (
                l.kind,
                l.members.iter().map(|(m, _)| m.id.clone()).collect(),
            )
        })
        .collect()
}

#[test]
fn gien_gets_its_commune_its_epci_and_the_loiret() {
    assert_eq!(
        level_members("45155"),
        vec![
            (MemberKind::Commune, vec!["gien".to_string()]),
            (MemberKind::Epci, vec!["cc-giennoises".to_string()]),
            (MemberKind::Departement, vec!["loiret".to_string()]),
            (MemberKind::Region, vec![]),
        ]
    );
}

#[test]
fn a_member_commune_of_the_epci_gets_the_epci_and_departement_but_not_gien() {
    let levels = level_members("45108"); // Coullons
    assert!(levels[0].1.is_empty());
    assert_eq!(levels[1].1, ["cc-giennoises"]);
    assert_eq!(levels[2].1, ["loiret"]);
}

#[test]
fn a_loiret_commune_outside_the_epci_gets_only_the_departement() {
    let levels = level_members("45234"); // Orléans
    assert!(levels[0].1.is_empty() && levels[1].1.is_empty());
    assert_eq!(levels[2].1, ["loiret"]);
}

#[test]
fn a_commune_outside_the_federation_is_uncovered() {
    let catalogue = demo_catalogue();
    assert!(
        coverage(&catalogue, territory(), "75056")
            .unwrap()
            .is_uncovered()
    );
    assert!(coverage(&catalogue, territory(), "99999").is_none());
}

#[test]
fn deauville_gets_the_calvados_stack() {
    let levels = level_members("14220");
    assert_eq!(levels[0].1, ["deauville"]);
    assert_eq!(levels[1].1, ["cc-coeur-cote-fleurie"]);
    assert_eq!(levels[2].1, ["calvados"]);
}

#[test]
fn eligibility_narrows_a_service_to_some_communes() {
    let catalogue = demo_catalogue();
    let tad = "cc-giennoises/transport-a-la-demande";
    let has = |insee: &str| {
        coverage(&catalogue, territory(), insee)
            .unwrap()
            .services()
            .any(|s| s.id == tad)
    };
    assert!(has("45254"), "Poilly-lez-Gien is eligible");
    assert!(!has("45155"), "Gien is not");
    assert!(!has("45108"), "Coullons is not");
}

#[test]
fn metropole_de_lyon_replaces_the_rhone_on_its_communes() {
    let text = r#"
[federation]
name = "Rhône"
[[member]]
id = "rhone"
kind = "departement"
code = "69"
name = "Département du Rhône"
territory.except_epcis = ["200046977"]
[[member]]
id = "metropole-lyon"
kind = "epci"
code = "200046977"
name = "Métropole de Lyon"
"#;
    let parsed = parse_root("lyon.toml", text, ParseOptions::default());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let catalogue = parsed.value.unwrap();
    assert!(check_territory(&catalogue, &parsed.locations, territory(), "lyon.toml").is_empty());
    let ids = |insee: &str| -> Vec<String> {
        coverage(&catalogue, territory(), insee)
            .unwrap()
            .levels
            .iter()
            .flat_map(|l| l.members.iter().map(|(m, _)| m.id.clone()))
            .collect()
    };
    assert_eq!(
        ids("69123"),
        ["metropole-lyon"],
        "Lyon: the Métropole, not the Rhône"
    );
    assert_eq!(
        ids("69003"),
        ["metropole-lyon"],
        "Albigny-sur-Saône is in the Métropole"
    );
    assert_eq!(
        ids("69264"),
        ["rhone"],
        "Villefranche-sur-Saône stays with the Rhône"
    );
}

#[test]
fn official_codes_are_checked_against_the_cog() {
    let text = r#"
[federation]
name = "Codes"
[[member]]
id = "arbignieu"
kind = "commune"
code = "01015"
name = "Arbignieu"
[[member]]
id = "pas-epci"
kind = "epci"
code = "214501553"
name = "SIREN d'une commune"
[[member]]
id = "nulle-part"
kind = "departement"
code = "99"
name = "Nulle part"
[[member]]
id = "commune-deleguee"
kind = "commune"
code = "01120"
name = "Cordieux"
"#;
    let parsed = parse_root("codes.toml", text, ParseOptions::default());
    let catalogue = parsed.value.unwrap();
    // 01015 is both Arbignieu's code (commune déléguée) and its commune nouvelle's: valid.
    let messages: Vec<String> =
        check_territory(&catalogue, &parsed.locations, territory(), "codes.toml")
            .iter()
            .map(ToString::to_string)
            .collect();
    assert_eq!(
        messages,
        [
            "codes.toml:12:8: member `pas-epci` field `code`: `214501553` is not the SIREN of an EPCI (COG 2026); check the SIREN on https://www.banatic.interieur.gouv.fr",
            "codes.toml:17:8: member `nulle-part` field `code`: `99` is not a département code; e.g. `45` (Loiret), `2A` (Corse-du-Sud), `974` (La Réunion)",
            "codes.toml:22:8: member `commune-deleguee` field `code`: `01120` (Cordieux) is a commune associée, not a current commune; use the current commune `01262` (Montluel)",
        ]
    );
}
