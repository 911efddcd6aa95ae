//! A five-character code typed in the commune chooser is a postcode or an INSEE code (2A/2B for
//! Corsica), sometimes both — over the real COG data. Regression: 14715 (Trouville-sur-Mer's
//! INSEE code) was read as a postcode only and answered "Aucune commune ne correspond".

mod common;

use catalogue::territory::MatchKind;
use common::territory;

fn meanings(code: &str) -> Vec<(String, String)> {
    territory()
        .communes_with_code(code)
        .unwrap_or_else(|| panic!("{code} is a complete code"))
        .iter()
        .map(|m| {
            let how = match &m.matched {
                MatchKind::Code => "INSEE".to_owned(),
                MatchKind::Postcode(p) => format!("postcode {p}"),
                other => format!("{other:?}"),
            };
            (m.info.commune.name.clone(), how)
        })
        .collect()
}

#[test]
fn an_insee_code_that_is_no_postcode_designates_its_commune() {
    assert_eq!(
        meanings("14715"),
        [("Trouville-sur-Mer".to_owned(), "INSEE".to_owned())]
    );
    assert_eq!(meanings("45155"), [("Gien".to_owned(), "INSEE".to_owned())]);
}

#[test]
fn corsican_insee_codes_are_codes_too() {
    assert_eq!(
        meanings("2A004"),
        [("Ajaccio".to_owned(), "INSEE".to_owned())]
    );
    assert_eq!(meanings("2a004"), meanings("2A004"));
}

#[test]
fn a_code_that_is_both_gives_the_insee_commune_then_the_postcode_ones() {
    assert_eq!(
        meanings("14360"),
        [
            ("Leffard".to_owned(), "INSEE".to_owned()),
            ("Trouville-sur-Mer".to_owned(), "postcode 14360".to_owned()),
        ]
    );
}

#[test]
fn a_shared_postcode_gives_every_commune_larger_first() {
    let found = meanings("45500");
    assert!(found.len() >= 6, "{found:?}");
    assert_eq!(found[0].0, "Gien");
    assert!(found.iter().all(|(_, how)| how == "postcode 45500"));
}

#[test]
fn anything_else_is_not_a_complete_code() {
    for text in ["gien", "1471", "147150", "3A004", ""] {
        assert!(territory().communes_with_code(text).is_none(), "{text}");
    }
    assert_eq!(
        territory().communes_with_code("99999").map(|m| m.len()),
        Some(0)
    );
}
