//! Finding a commune from what a citizen types: a name (or its beginning), a postcode, an INSEE
//! code.
//!
//! Names are compared on [`place_key`](crate::normalize::place_key) (accents, case, hyphens,
//! apostrophes and `st`/`ste` folded). Keys are kept sorted, so every lookup is a binary search for
//! a prefix range: fast enough to run on every keystroke, in the browser, over 35,000 communes.
//! Ranking: the exact code, then exact names, then names starting with the query, then postcodes,
//! then names with a later word starting with the query; larger communes first within each group.
//!
//! A complete five-character code is a postcode *or* an INSEE code (`2A`/`2B` for Corsica), and
//! sometimes both: 14360 is Trouville-sur-Mer's postcode and Leffard's INSEE code.
//! [`Territory::communes_with_code`] says everything a typed code can mean, so the portal can go
//! straight to the commune or ask which one.

use super::{AliasKind, Commune, CommuneInfo, Territory};
use crate::normalize::place_key;

/// An entry in a sorted key list: a commune or an alias, packed in a `u32`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry(u32);

const ALIAS_BIT: u32 = 1 << 31;

impl Entry {
    fn commune(i: u32) -> Self {
        Entry(i)
    }
    fn alias(i: u32) -> Self {
        Entry(i | ALIAS_BIT)
    }
    fn alias_index(self) -> Option<u32> {
        (self.0 & ALIAS_BIT != 0).then_some(self.0 & !ALIAS_BIT)
    }
}

/// Sorted keys for prefix search.
#[derive(Clone, Debug, Default)]
pub(super) struct SearchKeys {
    names: Vec<(String, Entry)>,
    words: Vec<(String, Entry)>,
    postcodes: Vec<(String, u32)>,
}

/// Words that do not start a useful word match ("de" would match half of France).
const SKIPPED_WORD_STARTS: &[&str] = &[
    "de", "d", "du", "des", "la", "le", "les", "l", "sur", "sous", "en", "et", "a", "aux", "lez",
    "les",
];

impl SearchKeys {
    pub(super) fn build(communes: &[Commune], aliases: &[super::Alias]) -> Self {
        let mut names = Vec::with_capacity(communes.len() + aliases.len());
        let mut words = Vec::with_capacity(communes.len() * 2);
        let mut add = |name: &str, entry: Entry| {
            let key = place_key(name);
            let mut offset = 0;
            for (i, word) in key.split(' ').enumerate() {
                if i > 0 && !SKIPPED_WORD_STARTS.contains(&word) {
                    words.push((key[offset..].to_owned(), entry));
                }
                offset += word.len() + 1;
            }
            names.push((key, entry));
        };
        for (i, c) in communes.iter().enumerate() {
            add(&c.name, Entry::commune(i as u32));
        }
        for (i, a) in aliases.iter().enumerate() {
            add(&a.name, Entry::alias(i as u32));
        }
        names.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut postcodes: Vec<(String, u32)> = communes
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.postcodes.iter().map(move |p| (p.clone(), i as u32)))
            .collect();
        postcodes.sort_unstable();
        SearchKeys {
            names,
            words,
            postcodes,
        }
    }
}

/// Entries whose key starts with `prefix`.
fn prefix_range<'k, T>(keys: &'k [(String, T)], prefix: &str) -> &'k [(String, T)] {
    let start = keys.partition_point(|(k, _)| k.as_str() < prefix);
    let len = keys[start..].partition_point(|(k, _)| k.starts_with(prefix));
    &keys[start..start + len]
}

/// Why a commune was proposed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatchKind {
    /// The INSEE code typed.
    Code,
    /// Its name equals what was typed.
    ExactName,
    /// Its name starts with what was typed.
    NamePrefix,
    /// One of its postcodes (given) starts with what was typed.
    Postcode(String),
    /// A later word of its name starts with what was typed.
    Word,
    /// A former or infra-communal name (commune déléguée, arrondissement…) matched.
    Alias {
        name: String,
        kind: AliasKind,
        exact: bool,
    },
}

impl MatchKind {
    fn rank(&self) -> u8 {
        match self {
            MatchKind::Code => 0,
            MatchKind::ExactName => 1,
            MatchKind::Alias { exact: true, .. } => 2,
            MatchKind::NamePrefix => 3,
            MatchKind::Postcode(_) => 4,
            MatchKind::Alias { exact: false, .. } => 5,
            MatchKind::Word => 6,
        }
    }
}

/// A proposed commune.
#[derive(Clone, Debug)]
pub struct CommuneMatch<'t> {
    pub info: CommuneInfo<'t>,
    pub matched: MatchKind,
}

/// What a citizen typed, best matches first, each commune once: a code (INSEE code or the start
/// of a postcode) when the query has the shape of one, else names, aliases and words.
pub(super) fn search<'t>(
    territory: &'t Territory,
    query: &str,
    limit: usize,
) -> Vec<CommuneMatch<'t>> {
    let query = query.trim();
    if query.is_empty() || limit == 0 {
        return Vec::new();
    }
    let compact = compact(query);
    let found = if looks_like_code(&compact) {
        code_matches(territory, &compact)
    } else {
        let key = place_key(query);
        if key.is_empty() {
            return Vec::new();
        }
        name_matches(territory, &key)
    };
    best_first(territory, found, limit)
}

/// The text upper-cased without spaces, as codes are compared.
fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Two to five characters of a code being typed: a digit first, then digits, `A` or `B`
/// (Corsica's `2A`, `2B`).
fn looks_like_code(compact: &str) -> bool {
    (2..=5).contains(&compact.len())
        && compact
            .chars()
            .all(|c| c.is_ascii_digit() || c == 'A' || c == 'B')
        && compact.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// A complete INSEE code's commune (and the communes whose former commune had it), then every
/// commune whose postcode starts with the digits typed.
fn code_matches(territory: &Territory, compact: &str) -> Vec<(MatchKind, u32)> {
    let mut found = Vec::new();
    if compact.len() == 5 {
        found.extend(territory.with_insee_code(compact));
    }
    if compact.chars().all(|c| c.is_ascii_digit()) {
        for (postcode, i) in prefix_range(&territory.search.postcodes, compact) {
            found.push((MatchKind::Postcode(postcode.clone()), *i));
        }
    }
    found
}

/// Names and aliases starting with the key, then (from three letters) names with a word that
/// does.
fn name_matches(territory: &Territory, key: &str) -> Vec<(MatchKind, u32)> {
    let keys = &territory.search;
    let mut found = Vec::new();
    for (name, entry) in prefix_range(&keys.names, key) {
        let exact = *name == key;
        found.push(match entry.alias_index() {
            Some(a) => {
                let alias = &territory.aliases[a as usize];
                (
                    MatchKind::Alias {
                        name: alias.name.clone(),
                        kind: alias.kind,
                        exact,
                    },
                    alias.commune,
                )
            }
            None if exact => (MatchKind::ExactName, entry.0),
            None => (MatchKind::NamePrefix, entry.0),
        });
    }
    if key.len() >= 3 {
        for (_, entry) in prefix_range(&keys.words, key) {
            let commune = match entry.alias_index() {
                Some(a) => territory.aliases[a as usize].commune,
                None => entry.0,
            };
            found.push((MatchKind::Word, commune));
        }
    }
    found
}

/// The matches by kind, larger communes first within a kind, each commune once (its best match),
/// at most `limit`.
fn best_first(
    territory: &Territory,
    mut found: Vec<(MatchKind, u32)>,
    limit: usize,
) -> Vec<CommuneMatch<'_>> {
    let size = |i: u32| territory.communes[i as usize].size;
    found.sort_by(|(ka, a), (kb, b)| {
        ka.rank()
            .cmp(&kb.rank())
            .then(size(*b).cmp(&size(*a)))
            .then(a.cmp(b))
    });
    let mut seen = std::collections::HashSet::new();
    found
        .into_iter()
        .filter(|(_, i)| seen.insert(*i))
        .take(limit)
        .map(|(matched, i)| CommuneMatch {
            info: territory.info(i),
            matched,
        })
        .collect()
}

/// A complete code as typed ("14 715", "2a004"), upper-cased without spaces, if it has the
/// shape of a postcode or an INSEE code.
fn complete_code(text: &str) -> Option<String> {
    let compact = compact(text);
    let digits = compact.chars().filter(char::is_ascii_digit).count();
    let corsica = compact.starts_with("2A") || compact.starts_with("2B");
    (compact.len() == 5 && (digits == 5 || (corsica && digits == 4))).then_some(compact)
}

impl Territory {
    /// The commune with this INSEE code, then the communes whose former commune had it.
    fn with_insee_code<'a>(&'a self, code: &'a str) -> impl Iterator<Item = (MatchKind, u32)> + 'a {
        let current = self.by_code.get(code).map(|&i| (MatchKind::Code, i));
        let former = self
            .aliases_with_code(code)
            .map(|alias| (MatchKind::Code, alias.commune));
        current.into_iter().chain(former)
    }

    /// Every commune a complete code designates: the commune with this INSEE code (or whose
    /// former commune had it), tagged [`MatchKind::Code`], then the communes with this postcode,
    /// tagged [`MatchKind::Postcode`], larger first. Each commune once. `None` when `text` is not
    /// five characters of a code.
    pub fn communes_with_code(&self, text: &str) -> Option<Vec<CommuneMatch<'_>>> {
        let code = complete_code(text)?;
        let mut found: Vec<(MatchKind, u32)> = self.with_insee_code(&code).collect();
        let mut by_postcode: Vec<u32> = prefix_range(&self.search.postcodes, &code)
            .iter()
            .filter(|(p, _)| *p == code)
            .map(|(_, i)| *i)
            .collect();
        by_postcode.sort_by_key(|i| (std::cmp::Reverse(self.communes[*i as usize].size), *i));
        found.extend(
            by_postcode
                .into_iter()
                .map(|i| (MatchKind::Postcode(code.clone()), i)),
        );
        let mut seen = std::collections::HashSet::new();
        Some(
            found
                .into_iter()
                .filter(|(_, i)| seen.insert(*i))
                .map(|(matched, i)| CommuneMatch {
                    info: self.info(i),
                    matched,
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_five_characters_of_a_code_are_a_complete_code() {
        assert_eq!(complete_code("14715").as_deref(), Some("14715"));
        assert_eq!(complete_code(" 14 715 ").as_deref(), Some("14715"));
        assert_eq!(complete_code("2a004").as_deref(), Some("2A004"));
        assert_eq!(complete_code("2B033").as_deref(), Some("2B033"));
        assert_eq!(complete_code("1471"), None);
        assert_eq!(complete_code("147155"), None);
        assert_eq!(complete_code("3A004"), None);
        assert_eq!(complete_code("gien"), None);
    }

    #[test]
    fn prefix_ranges_are_exact() {
        let keys: Vec<(String, u32)> = ["gien", "gievres", "gif sur yvette", "giens", "poilly"]
            .iter()
            .map(|s| (s.to_string(), 0))
            .collect::<Vec<_>>();
        let mut keys = keys;
        keys.sort();
        let got: Vec<_> = prefix_range(&keys, "gien")
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(got, ["gien", "giens"]);
        assert!(prefix_range(&keys, "zz").is_empty());
    }
}
