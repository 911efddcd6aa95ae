//! Differential test of the light stemmer against Snowball's French stemmer (`rust-stemmers`,
//! a test-only dependency) over every word of the demo federation, the lexicon and the judged
//! queries: where one joins two words and the other does not, the difference must be one we chose.

mod common;

use catalogue::normalize::fold;
use catalogue::search::stem::stem;
use catalogue::search::text::{is_stop_word, undouble};
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::{BTreeMap, BTreeSet};

/// Every lower-case word of the demo catalogue files, the lexicon and the query set.
fn words() -> BTreeSet<String> {
    let root = common::repo_root();
    let files = [
        "services.toml",
        "public/catalogue/cc-giennoises.toml",
        "public/catalogue/cc-coeur-cote-fleurie.toml",
        "crates/catalogue/lexicon.toml",
        "crates/catalogue/tests/queries/tuning.toml",
        "crates/catalogue/tests/queries/held-out.toml",
    ];
    let mut out = BTreeSet::new();
    for file in files {
        let text =
            std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        for word in text.split(|c: char| !c.is_alphabetic()) {
            let lower = word.to_lowercase();
            if lower.chars().count() >= 3 && !is_stop_word(&fold(&lower)) {
                out.insert(lower);
            }
        }
    }
    out
}

/// Pairs of distinct words (by folded form) that a stemmer joins.
fn joined(
    words: &BTreeSet<String>,
    stem_of: impl Fn(&str) -> String,
) -> BTreeSet<(String, String)> {
    let mut groups: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for w in words {
        groups.entry(stem_of(w)).or_default().insert(fold(w));
    }
    let mut pairs = BTreeSet::new();
    for group in groups.values() {
        for a in group {
            for b in
                group.range::<String, _>((std::ops::Bound::Excluded(a), std::ops::Bound::Unbounded))
            {
                pairs.insert((a.clone(), b.clone()));
            }
        }
    }
    pairs
}

/// Families we join on purpose, Snowball does not: the verb/noun pairs citizens mix up.
const INTENDED: &[(&str, &str)] = &[
    ("inscription", "inscrire"),
    ("inscriptions", "inscrit"),
    ("construction", "construire"),
    ("decheterie", "dechets"),
    ("composteur", "composter"),
    ("electeur", "elections"),
    ("garderie", "garder"),
    ("mariage", "marier"),
    ("agrement", "agree"),
    ("scolaire", "scolarite"),
    ("demandeur", "demander"),
    ("pacs", "pacser"),
];

/// Joined by us, wrongly, known and accepted: rare enough, and the lexicon or ranking copes.
const FALSE_FRIENDS: &[(&str, &str)] = &[("primaire", "prime"), ("ville", "villers")];

#[test]
fn differs_from_snowball_only_where_intended() {
    let words = words();
    let snowball = Stemmer::create(Algorithm::French);
    let theirs = joined(&words, |w| undouble(&fold(&snowball.stem(w))));
    let ours = joined(&words, |w| undouble(&stem(&fold(w))));
    let only_theirs: Vec<_> = theirs.difference(&ours).collect();
    let only_ours: Vec<_> = ours.difference(&theirs).collect();
    println!(
        "{} words; Snowball joins {} pairs, we join {}; {} only Snowball, {} only ours",
        words.len(),
        theirs.len(),
        ours.len(),
        only_theirs.len(),
        only_ours.len()
    );
    for p in &only_theirs {
        println!("  only Snowball: {} / {}", p.0, p.1);
    }
    for p in &only_ours {
        println!("  only ours: {} / {}", p.0, p.1);
    }
    let pair = |(a, b): &(&str, &str)| (a.min(b).to_string(), a.max(b).to_string());
    for p in INTENDED.iter().chain(FALSE_FRIENDS) {
        assert!(
            only_ours.contains(&&pair(p)),
            "{p:?} should be joined by us and not by Snowball"
        );
    }
    // Everything else Snowball joins, we join too, but for a few (accueil/accueillir,
    // restaurant/restauration — where prefix matching meets them anyway).
    let agreement = 1.0 - only_theirs.len() as f64 / theirs.len() as f64;
    assert!(
        agreement >= 0.85,
        "we join only {agreement:.2} of Snowball's pairs"
    );
    // And what we join beyond Snowball is mostly on purpose: at most a quarter of our pairs.
    assert!(
        only_ours.len() * 4 <= ours.len(),
        "{} of our {} pairs are not Snowball's",
        only_ours.len(),
        ours.len()
    );
}
