//! French terms for service search: folding, elision, stop words, light plural stemming.

use crate::normalize::fold;
use std::ops::Range;

/// Words too common to mean anything in a query.
const STOP_WORDS: &[&str] = &[
    "le", "la", "les", "un", "une", "des", "de", "du", "et", "ou", "en", "au", "aux", "a", "pour",
    "par", "sur", "dans", "mon", "ma", "mes", "je", "j", "l", "d", "qu", "que", "qui", "son", "sa",
    "ses", "se", "ce", "cette", "il", "elle", "est", "avec", "votre", "vos", "nous", "vous", "ne",
    "pas", "y", "n", "s", "c", "m", "t",
];

/// Reduces a folded word to its search stem: plural `s`/`x` removed on words of four letters or
/// more ("encombrants" → "encombrant", "eaux" → "eau").
pub fn stem(word: &str) -> String {
    if word.len() >= 4 && (word.ends_with('s') || word.ends_with('x')) && !word.ends_with("ss") {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

/// A term of a text with its byte range in the original text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub stem: String,
    pub range: Range<usize>,
}

/// The searchable terms of `text`, with where each comes from (for highlighting).
pub fn terms(text: &str) -> Vec<Term> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let push = |s: usize, e: usize, out: &mut Vec<Term>| {
        let word = fold(&text[s..e]);
        if !STOP_WORDS.contains(&word.as_str()) {
            out.push(Term {
                stem: stem(&word),
                range: s..e,
            });
        }
    };
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            push(s, i, &mut out);
        }
    }
    if let Some(s) = start {
        push(s, text.len(), &mut out);
    }
    out
}

/// The stems of a query, in order.
pub fn query_stems(query: &str) -> Vec<String> {
    terms(query).into_iter().map(|t| t.stem).collect()
}

/// Edit distance (optimal string alignment: insert, delete, substitute, swap two neighbours)
/// between `a` and `b` if it is at most `max`.
pub fn bounded_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut scratch = Scratch::default();
    scratch.within(&a, &b, max).then_some(scratch.last_distance)
}

/// Reusable buffers for [`Scratch::within`]: typo matching runs over the whole vocabulary on
/// every keystroke, so it must not allocate per comparison.
#[derive(Debug, Default)]
pub struct Scratch {
    rows: [Vec<usize>; 3],
    /// Distance found by the last successful [`Scratch::within`].
    pub last_distance: usize,
}

impl Scratch {
    /// Whether the optimal-string-alignment distance between `a` and `b` is at most `max`.
    pub fn within(&mut self, a: &[char], b: &[char], max: usize) -> bool {
        if a.len().abs_diff(b.len()) > max {
            return false;
        }
        let width = b.len() + 1;
        for row in &mut self.rows {
            row.clear();
            row.resize(width, 0);
        }
        let [before, previous, current] = &mut self.rows;
        for (j, cell) in previous.iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            current[0] = i;
            let mut row_min = i;
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut d = (previous[j] + 1)
                    .min(current[j - 1] + 1)
                    .min(previous[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d = d.min(before[j - 2] + 1);
                }
                current[j] = d;
                row_min = row_min.min(d);
            }
            if row_min > max {
                return false;
            }
            std::mem::swap(before, previous);
            std::mem::swap(previous, current);
        }
        self.last_distance = previous[b.len()];
        self.last_distance <= max
    }
}

/// Typos tolerated for a query word: none under 4 letters, 1 from 4, 2 from 8.
pub fn allowed_typos(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_fold_elide_and_stem() {
        let t: Vec<_> = query_stems("L'état civil des Encombrants à Gien");
        assert_eq!(t, ["etat", "civil", "encombrant", "gien"]);
    }

    #[test]
    fn terms_keep_their_place_in_the_original_text() {
        let text = "Collecte des encombrants";
        let t = terms(text);
        assert_eq!(&text[t[1].range.clone()], "encombrants");
    }

    #[test]
    fn distance_is_bounded_and_counts_transpositions_once() {
        assert_eq!(bounded_distance("encombrant", "encombrant", 2), Some(0));
        assert_eq!(bounded_distance("ecombrant", "encombrant", 2), Some(1));
        assert_eq!(bounded_distance("acte", "acre", 1), Some(1));
        assert_eq!(bounded_distance("naissance", "niassance", 1), Some(1));
        assert_eq!(bounded_distance("naissance", "mariage", 2), None);
    }

    #[test]
    fn typo_allowance_grows_with_length() {
        assert_eq!(allowed_typos("eau"), 0);
        assert_eq!(allowed_typos("acte"), 1);
        assert_eq!(allowed_typos("inscription"), 2);
    }
}
