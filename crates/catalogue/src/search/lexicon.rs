//! The shared lexicon: everyday words citizens type, and the words services are written with.
//!
//! `crates/catalogue/lexicon.toml` is reviewed like code and embedded at build time, so every
//! federation gets the same everyday French ("frigo" means a service about *électroménager*,
//! "obsèques" one about a *décès*) without each member stuffing keywords into every service. The
//! index adds a key's words to every service whose text has one of its targets (see
//! [`super::SearchIndex::build`]).
//!
//! An entry that can never match is a mistake someone should hear about: [`Lexicon::problems`]
//! finds the ones that cannot match anywhere (tested in CI), [`Lexicon::unmatched`] the ones no
//! service of a given catalogue can trigger (`catalogue check` prints them as warnings).

#![cfg_attr(feature = "plain-search", allow(dead_code, unused_imports))]

use super::text::stems;
use crate::model::Service;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

/// Where the lexicon lives in the repository (for messages).
pub const PATH: &str = "crates/catalogue/lexicon.toml";
const SOURCE: &str = include_str!("../../lexicon.toml");

/// A word or phrase as written, and its stems.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phrase {
    pub text: String,
    pub stems: Vec<String>,
}

impl Phrase {
    fn new(text: &str) -> Phrase {
        Phrase {
            text: text.to_owned(),
            stems: stems(text),
        }
    }
}

/// "A citizen who types `key` means one of `targets`".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: Phrase,
    pub targets: Vec<Phrase>,
    /// 1-based line in the lexicon file.
    pub line: usize,
}

/// Something wrong with a lexicon entry, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexiconProblem {
    pub line: usize,
    pub key: String,
    pub message: String,
    pub fix: String,
}

impl fmt::Display for LexiconProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{PATH}:{}: `{}`: {}; {}",
            self.line, self.key, self.message, self.fix
        )
    }
}

#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    pub entries: Vec<Entry>,
}

impl Lexicon {
    /// The lexicon embedded in this build.
    #[cfg(not(feature = "plain-search"))]
    pub fn shared() -> &'static Lexicon {
        static SHARED: OnceLock<Lexicon> = OnceLock::new();
        // The file is part of the build and tested: a broken one fails `cargo test`, not a
        // citizen's page, which then simply searches without synonyms.
        SHARED.get_or_init(|| Lexicon::parse(SOURCE).unwrap_or_default())
    }

    /// No lexicon: the cargo feature `plain-search`, only to weigh it in the portal's wasm.
    #[cfg(feature = "plain-search")]
    pub fn shared() -> &'static Lexicon {
        static EMPTY: Lexicon = Lexicon {
            entries: Vec::new(),
        };
        &EMPTY
    }

    /// Reads a lexicon (`"key" = ["target", …]` lines).
    pub fn parse(text: &str) -> Result<Lexicon, toml::de::Error> {
        let table: BTreeMap<String, Vec<String>> = toml::from_str(text)?;
        let line_of = |key: &str| {
            let quoted = format!("\"{key}\"");
            text.lines()
                .position(|l| l.starts_with(&quoted) || l.starts_with(&format!("{key} ")))
                .map_or(0, |i| i + 1)
        };
        let mut entries: Vec<Entry> = table
            .iter()
            .map(|(key, targets)| Entry {
                key: Phrase::new(key),
                targets: targets.iter().map(|t| Phrase::new(t)).collect(),
                line: line_of(key),
            })
            .collect();
        entries.sort_by_key(|e| e.line);
        Ok(Lexicon { entries })
    }

    /// Entries that can never match, whatever the catalogue: a key made only of stop words, a
    /// target with no searchable word, a target that already means the key (useless), a key whose
    /// words another entry already has.
    pub fn problems(&self) -> Vec<LexiconProblem> {
        let mut out = Vec::new();
        let mut seen: HashSet<&[String]> = HashSet::new();
        for entry in &self.entries {
            let problem = |message: String, fix: &str| LexiconProblem {
                line: entry.line,
                key: entry.key.text.clone(),
                message,
                fix: fix.to_owned(),
            };
            if entry.key.stems.is_empty() {
                out.push(problem(
                    "only stop words: dropped from every query".into(),
                    "use a word that means something on its own",
                ));
                continue;
            }
            if !seen.insert(&entry.key.stems) {
                out.push(problem(
                    format!("the same word as another entry ({:?})", entry.key.stems),
                    "merge the two entries",
                ));
            }
            for target in &entry.targets {
                if target.stems.is_empty() {
                    out.push(problem(
                        format!("target `{}` has no searchable word", target.text),
                        "remove it",
                    ));
                } else if target.stems == entry.key.stems {
                    out.push(problem(
                        format!(
                            "target `{}` is the same word once stemmed: search finds it already",
                            target.text
                        ),
                        "remove the target (or the entry)",
                    ));
                }
            }
        }
        out
    }

    /// Entries none of `services` can trigger: no service has any of their targets.
    pub fn unmatched(&self, services: &[Service]) -> Vec<LexiconProblem> {
        let mut words: HashSet<String> = HashSet::new();
        for service in services {
            // Theme labels are left out, as when the index files the lexicon.
            for (field, text) in super::index::service_texts(service) {
                if field != super::Field::Category {
                    words.extend(stems(&text));
                }
            }
        }
        self.entries
            .iter()
            .filter(|e| {
                !e.targets
                    .iter()
                    .any(|t| !t.stems.is_empty() && t.stems.iter().all(|s| words.contains(s)))
            })
            .map(|e| LexiconProblem {
                line: e.line,
                key: e.key.text.clone(),
                message: format!(
                    "no service of this catalogue has {}: the entry never matches here",
                    e.targets
                        .iter()
                        .map(|t| format!("`{}`", t.text))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
                fix: "fine if the federation has no such service; otherwise use these words in its text or keywords".into(),
            })
            .collect()
    }
}
