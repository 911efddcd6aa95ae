use super::*;

const ROOT: &str = r#"
[federation]
name = "Test"

[[member]]
id = "gien"
kind = "commune"
code = "45155"
name = "Ville de Gien"
fragment = "gien.toml"

[[member]]
id = "loiret"
kind = "departement"
code = "45"
name = "Département du Loiret"
fragment = "loiret.toml"
"#;

fn fragment(member: &str, slugs: &[&str]) -> String {
    let mut text = format!("member = \"{member}\"\n");
    for slug in slugs {
        text.push_str(&format!(
            "[[service]]\nid = \"{member}/{slug}\"\ntitle = \"Service {slug}\"\nsummary = \"Un service.\"\ncategory = \"etat-civil\"\n[service.channels.phone]\nnumber = \"02 61 91 10 00\"\n"
        ));
    }
    text
}

fn merging() -> Merging {
    let parsed = parse_root_bytes("services.toml", ROOT.as_bytes(), ParseOptions::dev());
    let catalogue = parsed.value.expect("the test root parses");
    Merging {
        root_services: catalogue.services.len(),
        catalogue,
        locations: parsed.locations,
        token_origins: Vec::new(),
    }
}

fn ids(merging: &Merging) -> Vec<&str> {
    merging
        .catalogue
        .services
        .iter()
        .map(|s| s.id.as_str())
        .collect()
}

#[test]
fn fragments_arriving_in_any_order_are_listed_in_member_order() {
    let mut m = merging();
    let options = ParseOptions::dev();
    assert_eq!(
        m.merge(
            "loiret",
            "loiret.toml",
            Ok(fragment("loiret", &["apa"]).into_bytes()),
            options
        ),
        None
    );
    m.order();
    assert_eq!(ids(&m), ["loiret/apa"], "merged as soon as it arrived");
    assert_eq!(
        m.merge(
            "gien",
            "gien.toml",
            Ok(fragment("gien", &["b", "a"]).into_bytes()),
            options
        ),
        None
    );
    m.order();
    assert_eq!(ids(&m), ["gien/b", "gien/a", "loiret/apa"]);
    let federation = m.snapshot();
    let hits = federation.search.search("service", &Default::default());
    assert_eq!(
        hits.len(),
        3,
        "the search index follows the merged services"
    );
}

#[test]
fn a_late_or_broken_fragment_is_reported_for_its_member_and_the_others_stay() {
    let mut m = merging();
    let options = ParseOptions::dev();
    assert_eq!(
        m.merge(
            "gien",
            "gien.toml",
            Ok(fragment("gien", &["a"]).into_bytes()),
            options
        ),
        None
    );
    let late = m.merge("loiret", "loiret.toml", Err(FetchError::Timeout), options);
    assert_eq!(
        late,
        Some(MemberProblem {
            member_id: "loiret".into(),
            member_name: "Département du Loiret".into(),
            problem: FragmentProblem::Unreachable(FetchError::Timeout),
        })
    );
    let spoofing = m.merge(
        "loiret",
        "loiret.toml",
        Ok(fragment("gien", &["faux"]).into_bytes()),
        options,
    );
    assert!(matches!(
        spoofing,
        Some(MemberProblem {
            problem: FragmentProblem::Invalid(_),
            ..
        })
    ));
    assert_eq!(
        ids(&m),
        ["gien/a"],
        "another member's services cannot be declared"
    );
}
