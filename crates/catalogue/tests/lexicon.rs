//! The shared lexicon (`crates/catalogue/lexicon.toml`): every entry can match, and the index uses
//! it — an everyday word finds the service whose text has what it means, and says so.

mod common;

use catalogue::search::lexicon::Lexicon;
use catalogue::search::{Field, SearchIndex, SearchOptions};
use common::demo_catalogue;

#[test]
fn the_shared_lexicon_parses_and_has_no_entry_that_can_never_match() {
    let text = std::fs::read_to_string(common::repo_root().join(catalogue::search::lexicon::PATH))
        .unwrap_or_else(|e| panic!("{e}"));
    let lexicon = Lexicon::parse(&text).unwrap_or_else(|e| panic!("lexicon.toml: {e}"));
    assert!(
        lexicon.entries.len() >= 100,
        "{} entries",
        lexicon.entries.len()
    );
    assert_eq!(
        Lexicon::shared().entries.len(),
        lexicon.entries.len(),
        "the embedded copy is the file"
    );
    let problems: Vec<String> = lexicon.problems().iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn entries_that_can_never_match_are_reported_with_their_line() {
    let lexicon = Lexicon::parse(
        "# comment\n\"pour\" = [\"aide\"]\nvoter = [\"vote\"]\n\"frigo\" = [\"réfrigérateur\", \"de\"]\nfrigos = [\"électroménager\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let problems: Vec<String> = lexicon.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "crates/catalogue/lexicon.toml:2: `pour`: only stop words: dropped from every query; use a word that means something on its own",
            "crates/catalogue/lexicon.toml:3: `voter`: target `vote` is the same word once stemmed: search finds it already; remove the target (or the entry)",
            "crates/catalogue/lexicon.toml:4: `frigo`: target `de` has no searchable word; remove it",
            "crates/catalogue/lexicon.toml:5: `frigos`: the same word as another entry ([\"frigo\"]); merge the two entries",
        ]
    );
}

#[test]
fn the_validator_warns_about_entries_no_service_of_the_catalogue_can_trigger() {
    let catalogue = demo_catalogue();
    let lexicon = Lexicon::parse(
        "frigo = [\"réfrigérateur\"]\npiscine = [\"bassin olympique\"]\n\"carte grise\" = [\"immatriculation\", \"véhicule\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = lexicon
        .unmatched(&catalogue.services)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("crates/catalogue/lexicon.toml:2: `piscine`: no service of this catalogue has `bassin olympique`"),
        "{warnings:?}"
    );
}

#[test]
fn an_everyday_word_finds_the_service_and_says_what_it_stands_for() {
    let catalogue = demo_catalogue();
    let index = SearchIndex::build(&catalogue.services);
    let hits = index.search("obsèques", &SearchOptions::default());
    assert_eq!(catalogue.services[hits[0].service].slug(), "acte-deces");
    let m = &hits[0].matched[0];
    assert!(m.field.is_synonym(), "{m:?}");
    assert_eq!(m.synonym_of.as_deref(), Some("décès"));
    assert_eq!(
        m.highlight,
        ["dec"],
        "the service's own word is highlighted"
    );
    // The description of the Giennoises' bulky waste service names the fridge ("réfrigérateur"):
    // a weaker synonym than a keyword, but found.
    let hits = index.search("frigo", &SearchOptions::default());
    let ids: Vec<&str> = hits
        .iter()
        .map(|h| catalogue.services[h.service].id.as_str())
        .collect();
    assert!(ids.contains(&"cc-giennoises/encombrants"), "{ids:?}");
    assert!(hits.iter().all(|h| h.matched[0].field != Field::Title));
}

#[test]
fn catalogue_check_prints_unmatched_entries_as_warnings_and_still_passes() {
    let dir = std::env::temp_dir().join(format!("guichet-lexicon-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("services.toml");
    std::fs::write(
        &file,
        "[federation]\nname = \"Test\"\n\n[[member]]\nid = \"gien\"\nkind = \"commune\"\ncode = \"45155\"\nname = \"Ville de Gien\"\n\n[[service]]\nid = \"gien/salle\"\ntitle = \"Réserver une salle\"\nsummary = \"Pour une fête familiale.\"\ncategory = \"equipements\"\n\n[service.channels.counter]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_catalogue"))
        .arg("check")
        .arg(&file)
        .arg("--dev")
        .current_dir(common::repo_root())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: crates/catalogue/lexicon.toml:")
            && stderr.contains("`obsèques`: no service of this catalogue has `décès`"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("`baptême`"),
        "a fête familiale is there: {stderr}"
    );
}
