//! A light French stemmer for service search: one plural step, then the longest matching suffix.
//!
//! Why not Snowball? Snowball's French stemmer is made for running text: it keeps "inscription" and
//! "inscrire" apart, and "déchèterie" from "déchets", which is exactly what citizens mix up (they
//! type the verb when the title has the noun, and the other way round). This stemmer is smaller
//! (a table of 34 suffixes; Snowball's French weighs more in the browser's wasm, see
//! `docs/benchmarks.md`) and conflates the verb/noun families of administrative French:
//! *réserver/réservation*, *enlever/enlèvement*, *déménager/déménagement*, *inscrire/inscrit/
//! inscription*, *construire/construction*, *composter/composteur*, *élection/électeur*,
//! *garder/garderie*, *scolaire/scolarité*, *agréé/agréée/agrément*. `tests/stemmer.rs` compares
//! it with Snowball word by word and lists where, and why, they differ.
//!
//! The input is a folded word (lower case, no accents). A suffix is removed only if enough of the
//! word remains, so short words are left alone ("site", "maire", "garage").

/// (suffix, replacement, least number of letters that must remain before the replacement).
/// Ordered longest first: the first suffix the word ends with decides (no fallback to a shorter
/// one when too little would remain: "maire" is not "mai" + "re").
const SUFFIXES: &[(&str, &str, usize)] = &[
    ("issement", "i", 3), // assainissement → assaini(r), établissement → établi(r)
    ("atrice", "", 3),
    ("uction", "ui", 3), // construction → construi(re), réduction → rédui(re)
    ("arite", "", 4),    // scolarité → scol(aire), solidarité → solid(aire)
    ("ateur", "", 3),
    ("ation", "", 3), // réservation → réserv(er)
    ("ative", "", 3), // associative → associ(ation)
    ("ement", "", 3), // enlèvement → enlev(er), déménagement → déménag(er)
    ("ption", "", 3), // inscription → inscri(re)
    ("aire", "", 4),  // scolaire → scol
    ("ance", "", 4),  // dépendance → dépend(re)
    ("atif", "", 3),
    ("elle", "el", 3),
    ("ence", "", 4),
    ("erie", "", 4), // déchèterie → déchet, garderie → gard(er)
    ("euse", "", 3),
    ("iere", "i", 3), // première → premi(er)
    ("isme", "", 4),
    ("iste", "", 4),
    ("tion", "t", 3),  // élection → élect(eur)
    ("uite", "ui", 3), // gratuite → gratui(t), conduite → condui(re)
    ("age", "", 4),    // ramassage → ramass(er), mariage → mari(er)
    ("eee", "", 3),    // agréée → agr
    ("eur", "", 3),    // composteur → compost(er), électeur → élect(ion)
    ("ire", "i", 3),   // inscrire → inscri
    ("ite", "", 4),    // mobilité → mobil(e)
    ("ive", "", 4),    // sportive → sport
    ("ee", "", 3),     // agréé, handicapée
    ("er", "", 3),
    ("ez", "", 3),
    ("if", "", 4),  // collectif → collect(e)
    ("ir", "i", 3), // assainir → assaini
    ("it", "i", 3), // inscrit → inscri
    ("e", "", 3),
];

/// The plural removed: `-aux` → `-al`, a final `s` or `x` dropped (not after `s`, `u`, `c` or
/// `y`: "bus", "pacs", "pays").
fn singular(word: &str) -> &str {
    let letters = word.chars().count();
    if letters < 4 {
        return word;
    }
    if let Some(rest) = word.strip_suffix('x') {
        return rest;
    }
    match word.strip_suffix('s') {
        Some(rest) if !rest.ends_with(['s', 'u', 'c', 'y']) => rest,
        _ => word,
    }
}

/// The stem of a folded word (see the module documentation). Words with digits are kept whole.
pub fn stem(word: &str) -> String {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return word.to_owned();
    }
    let mut word = singular(word).to_owned();
    if word.ends_with("au") && word.len() >= 5 && !word.ends_with("eau") {
        // "municipaux" → "municipau" → "municipal"
        word.truncate(word.len() - 1);
        word.push('l');
    }
    for (suffix, replacement, keep) in SUFFIXES {
        if let Some(rest) = word.strip_suffix(suffix) {
            if rest.chars().count() >= *keep {
                let mut stem = rest.to_owned();
                stem.push_str(replacement);
                word = stem;
            }
            break;
        }
    }
    // Verbs whose root ends in -ag- ("déménag-er", "déménag-ement") meet the present tense
    // ("déménage"), which the -age rule of nouns ("ramass-age") cut shorter.
    match word.strip_suffix("ag") {
        Some(rest) if rest.chars().count() >= 4 => rest.to_owned(),
        _ => word,
    }
}

#[cfg(test)]
mod tests {
    use super::stem;

    fn same(a: &str, b: &str) {
        assert_eq!(stem(a), stem(b), "{a} / {b}");
    }

    #[test]
    fn suffixes_are_ordered_longest_first() {
        assert!(
            super::SUFFIXES
                .windows(2)
                .all(|w| w[0].0.len() >= w[1].0.len())
        );
    }

    #[test]
    fn verbs_and_nouns_of_a_family_meet() {
        same("reservation", "reserver");
        same("enlevement", "enlever");
        same("demenagement", "demenage");
        same("demenager", "demenage");
        same("inscription", "inscrire");
        same("inscrit", "inscriptions");
        same("construction", "construire");
        same("composteur", "composter");
        same("election", "electeur");
        same("garderie", "garder");
        same("scolaire", "scolarite");
        same("agree", "agrement");
        same("agreee", "agree");
        same("assainissement", "assainir");
        same("decheterie", "dechets");
        same("ramassage", "ramasser");
        same("dependance", "depend");
        same("collectif", "collecte");
        same("associative", "association");
    }

    #[test]
    fn plurals_and_feminines_meet() {
        same("encombrants", "encombrant");
        same("eaux", "eau");
        same("municipaux", "municipal");
        same("maternelle", "maternel");
        same("handicapee", "handicap");
        same("pacs", "pacser");
        same("premiere", "premier");
        same("gratuite", "gratuit");
        same("nominative", "nominatif");
    }

    #[test]
    fn short_words_are_left_alone() {
        assert_eq!(stem("maire"), "maire");
        assert_eq!(stem("site"), "site");
        assert_eq!(stem("bus"), "bus");
        assert_eq!(stem("garage"), "garage");
        assert_eq!(stem("2024"), "2024");
    }
}
