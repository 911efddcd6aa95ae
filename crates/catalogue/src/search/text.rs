//! French words for service search: folding, elision, stop words, optional words, doubled letters.
//!
//! Citizens ask questions ("comment faire pour inscrire ma fille en maternelle ?"): the question
//! words, articles and auxiliaries carry no meaning for finding a service, so they are dropped from
//! queries and from the index alike ([`STOP_WORDS`]). Some other words matter when a service has
//! them but must not exclude the ones that do not — who the citizen is talking about ("mon père",
//! "ma fille"), where ("la mairie"), the generic verbs of procedures ("obtenir", "demander"): those
//! are *optional* ([`OPTIONAL_WORDS`]); they add to a service's score but are not required.
//!
//! Every word is compared folded (no accents, lower case) and with doubled letters written once:
//! "dechetterie", "stationement" and "pasport" are how people write "déchèterie", "stationnement"
//! and "passeport".

#![cfg_attr(feature = "plain-search", allow(dead_code, unused_imports))]

use super::stem::stem;
use crate::normalize::fold;
use std::ops::Range;

/// Words dropped from queries and from the index: articles, prepositions, pronouns, auxiliaries,
/// question words and the verbs of questions ("faut", "peux", "voudrais"), and the adverbs of
/// negation, degree and time ("ne … plus", "très", "hier"): "ma mère ne peut plus" is about the
/// mother, not about a service that says "60 ans et plus".
const STOP_WORDS: &[&str] = &[
    "a",
    "ai",
    "as",
    "au",
    "aussi",
    "aux",
    "avec",
    "avez",
    "avoir",
    "avons",
    "bientot",
    "c",
    "ca",
    "ce",
    "cela",
    "ces",
    "cet",
    "cette",
    "chez",
    "combien",
    "comment",
    "d",
    "dans",
    "de",
    "deja",
    "demain",
    "des",
    "devez",
    "devons",
    "dois",
    "doit",
    "doivent",
    "donc",
    "dont",
    "du",
    "elle",
    "elles",
    "en",
    "encore",
    "es",
    "est",
    "et",
    "etre",
    "faire",
    "fais",
    "faisons",
    "fait",
    "faites",
    "faut",
    "font",
    "hier",
    "il",
    "ils",
    "j",
    "jamais",
    "je",
    "l",
    "la",
    "laquelle",
    "le",
    "lequel",
    "les",
    "leur",
    "leurs",
    "lui",
    "m",
    "ma",
    "mais",
    "me",
    "mes",
    "moi",
    "mon",
    "n",
    "ne",
    "nos",
    "notre",
    "nous",
    "on",
    "ont",
    "ou",
    "par",
    "pas",
    "peut",
    "peuvent",
    "peux",
    "plus",
    "possible",
    "pour",
    "pourquoi",
    "pouvez",
    "pouvoir",
    "pouvons",
    "puis",
    "qu",
    "quand",
    "que",
    "quel",
    "quelle",
    "quelles",
    "quels",
    "qui",
    "quoi",
    "rien",
    "s",
    "sa",
    "sais",
    "sait",
    "sans",
    "savez",
    "savons",
    "se",
    "ses",
    "si",
    "sommes",
    "son",
    "sont",
    "suis",
    "sur",
    "t",
    "ta",
    "te",
    "tes",
    "toi",
    "ton",
    "tous",
    "tout",
    "toute",
    "toutes",
    "tres",
    "trop",
    "tu",
    "un",
    "une",
    "veulent",
    "veut",
    "veux",
    "vos",
    "votre",
    "voudrais",
    "voudrait",
    "voudriez",
    "voudrions",
    "voulez",
    "vouloir",
    "voulons",
    "vous",
    "y",
];

/// Words that add to a service's score when it has them, without being required: people,
/// places of the administration, generic verbs of procedures and light verbs ("prendre le car",
/// "passer à la mairie": the noun says what), degree adjectives.
const OPTIONAL_WORDS: &[&str] = &[
    "aller",
    "allez",
    "allons",
    "ami",
    "besoin",
    "communaute",
    "commune",
    "conjoint",
    "demande",
    "demander",
    "demandes",
    "departement",
    "donner",
    "dossier",
    "enfant",
    "enfants",
    "epouse",
    "epoux",
    "famille",
    "femme",
    "fille",
    "filles",
    "fils",
    "formulaire",
    "frere",
    "gens",
    "grand",
    "grande",
    "internet",
    "ligne",
    "maintenant",
    "mairie",
    "maman",
    "mari",
    "mere",
    "mettre",
    "nouveau",
    "nouvelle",
    "obtenir",
    "obtenons",
    "obtiens",
    "obtient",
    "papa",
    "parent",
    "parents",
    "passer",
    "pere",
    "personne",
    "personnes",
    "petit",
    "petite",
    "prendre",
    "proche",
    "proches",
    "rapidement",
    "savoir",
    "site",
    "soeur",
    "svp",
    "trouver",
    "urgent",
    "va",
    "vais",
    "vas",
    "venez",
    "venir",
    "venons",
    "vieille",
    "viennent",
    "viens",
    "vient",
    "vieux",
    "ville",
    "vont",
];

/// Determiners. In what citizens type, a word directly followed by one is a verb ("refaire mon
/// passeport", "adopter un chien"): a noun takes "de" or "à" before its complement.
const DETERMINERS: &[&str] = &[
    "ce", "ces", "cet", "cette", "l", "la", "le", "les", "leur", "leurs", "ma", "mes", "mon",
    "nos", "notre", "sa", "ses", "son", "ta", "tes", "ton", "un", "une", "vos", "votre",
];

/// A word of a text or a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// Folded, doubled letters written once: what typing and typos are compared on.
    pub surface: String,
    /// The surface reduced to its stem (see [`super::stem`]): what word forms are compared on.
    pub stem: String,
    /// Not required in a query (see [`OPTIONAL_WORDS`]).
    pub optional: bool,
    /// Where the word is in the original text.
    pub range: Range<usize>,
}

/// `word` with every run of the same letter written once ("stationnement" → "stationement").
pub fn undouble(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut last = None;
    for c in word.chars() {
        if Some(c) != last || c.is_ascii_digit() {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

/// Whether a folded word is dropped from queries and the index.
pub fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.binary_search(&folded).is_ok()
}

/// Whether a folded word is optional in a query.
pub fn is_optional(folded: &str) -> bool {
    OPTIONAL_WORDS.binary_search(&folded).is_ok()
}

/// Whether `term`, a word of `query`, reads as a verb: an infinitive of the first or second group
/// ("jeter", "choisir") or a word directly followed by a determiner ("refaire mon …"). Used only
/// for query words the index does not know (see `query::SearchIndex::requirements`).
pub fn reads_as_verb(query: &str, term: &Term) -> bool {
    let infinitive = term.surface.chars().count() >= 5
        && (term.surface.ends_with("er") || term.surface.ends_with("ir"));
    infinitive
        || word_ranges(query)
            .find(|r| r.start >= term.range.end)
            .is_some_and(|r| DETERMINERS.binary_search(&fold(&query[r]).as_str()).is_ok())
}

/// Whether `term`, a word of `query`, directly follows an interrogative determiner ("à quel âge",
/// "quelle heure"): it names what is asked about the service (when, how much), not the service.
pub fn follows_interrogative(query: &str, term: &Term) -> bool {
    word_ranges(query)
        .take_while(|r| r.end <= term.range.start)
        .last()
        .is_some_and(|r| {
            matches!(
                fold(&query[r]).as_str(),
                "quel" | "quelle" | "quels" | "quelles"
            )
        })
}

/// Byte ranges of the words of `text` (runs of letters and digits).
pub fn word_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start: Option<usize> = None;
    text.char_indices()
        .map(Some)
        .chain(std::iter::once(None))
        .filter_map(move |item| match item {
            Some((i, c)) if c.is_alphanumeric() => {
                start.get_or_insert(i);
                None
            }
            Some((i, _)) => start.take().map(|s| s..i),
            None => start.take().map(|s| s..text.len()),
        })
}

/// One word of a text analysed: `None` for a stop word.
#[cfg(not(feature = "plain-search"))]
pub fn analyse(word: &str, range: Range<usize>) -> Option<Term> {
    let folded = fold(word);
    if is_stop_word(&folded) {
        return None;
    }
    Some(Term {
        surface: undouble(&folded),
        stem: undouble(&stem(&folded)),
        optional: is_optional(&folded),
        range,
    })
}

/// One word kept as written (folded, doubled letters once): the cargo feature `plain-search`,
/// which exists only to weigh the French analysis in the portal's wasm.
#[cfg(feature = "plain-search")]
pub fn analyse(word: &str, range: Range<usize>) -> Option<Term> {
    let surface = undouble(&fold(word));
    Some(Term {
        stem: surface.clone(),
        surface,
        optional: false,
        range,
    })
}

/// The searchable words of `text`, with where each comes from (for highlighting).
pub fn terms(text: &str) -> Vec<Term> {
    word_ranges(text)
        .filter_map(|r| analyse(&text[r.clone()], r))
        .collect()
}

/// The stems of a text, in order (stop words dropped).
pub fn stems(text: &str) -> Vec<String> {
    terms(text).into_iter().map(|t| t.stem).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(OPTIONAL_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(OPTIONAL_WORDS.iter().all(|w| !is_stop_word(w)));
        assert!(DETERMINERS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn questions_lose_their_question_words() {
        assert_eq!(
            stems("Comment faire pour inscrire ma fille en maternelle ?"),
            ["inscri", "fil", "maternel"]
        );
        assert_eq!(stems("où louer la salle des fêtes"), ["lou", "sal", "fet"]);
    }

    #[test]
    fn people_and_generic_verbs_are_optional() {
        let t = terms("obtenir l’acte de mon père");
        let optional: Vec<bool> = t.iter().map(|t| t.optional).collect();
        assert_eq!(optional, [true, false, true]);
    }

    #[test]
    fn infinitives_and_words_before_a_determiner_read_as_verbs() {
        let reads = |query: &str| -> Vec<bool> {
            terms(query)
                .iter()
                .map(|t| reads_as_verb(query, t))
                .collect()
        };
        assert_eq!(reads("refaire mon passeport"), [true, false]);
        assert_eq!(reads("un canapé à jeter"), [false, true]);
        assert_eq!(reads("carte grise"), [false, false]);
        assert_eq!(reads("location de vélo"), [false, false]);
        assert_eq!(reads("objets trouvés"), [false, false]);
    }

    #[test]
    fn a_word_after_quel_is_what_is_asked() {
        let query = "à quel âge se faire recenser";
        let after: Vec<bool> = terms(query)
            .iter()
            .map(|t| follows_interrogative(query, t))
            .collect();
        assert_eq!(after, [true, false]);
    }

    #[test]
    fn doubled_letters_are_written_once() {
        assert_eq!(undouble("dechetterie"), "decheterie");
        assert_eq!(undouble("stationnement"), "stationement");
        assert_eq!(undouble("2002"), "2002", "digits are kept as they are");
        assert_eq!(stems("Déchèterie")[0], stems("dechetterie")[0]);
    }

    #[test]
    fn terms_keep_their_place_in_the_original_text() {
        let text = "Collecte des encombrants";
        let t = terms(text);
        assert_eq!(&text[t[1].range.clone()], "encombrants");
    }
}
