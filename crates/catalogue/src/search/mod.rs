//! Service search: what matches what a citizen typed, best first, and why.
//!
//! Citizens do not type titles. They ask questions ("où louer la salle des fêtes pour un
//! baptême"), use the verb when the title has the noun, everyday words ("frigo", "obsèques"),
//! and make typos on phones. So:
//!
//! * words are folded, stop and question words dropped, doubled letters written once, and
//!   stemmed by a light French stemmer that joins verbs and nouns ([`text`], [`stem`]);
//! * the index holds each service's title, keywords, life events, theme, summary and description
//!   (that order of weight), plus the everyday words of the shared [`lexicon`] filed under the
//!   services whose text has what they mean;
//! * a query word matches exactly, as a prefix (while typing, or a cut word), with typos (1 from 5
//!   letters, 2 from 9) or through the lexicon; rarer words weigh more (inverse document frequency);
//! * a service is a result when it has every required word (people, places and generic verbs are
//!   optional, see [`text`]). When none has them all, the services that have most of what the
//!   query means (at least half of its weight, from two required words up) are returned as
//!   **approximate**, and the portal labels them so. A query whose main words match nothing gets
//!   nothing: no junk for a question no service answers;
//! * a query naming a life situation with the words of its label ("on attend un bébé" has the
//!   *attend* of "J’attends un enfant") also gets, as approximate results after the exact ones,
//!   the other services of that life event — what a counsellor would point to — unless one of its
//!   words matches nothing at all (then the federation may simply not do what is asked);
//! * equal scores are ordered by how much of the title the query covers, then online services
//!   first — relevance signals, not the catalogue's order.
//!
//! Each hit says which word matched what, where and how, so the portal can highlight it and say
//! why ("synonyme de « décès »", "orthographe approchée").

mod index;
pub mod lexicon;
mod query;
pub mod stem;
pub mod text;
pub mod typo;

use crate::model::Service;
use index::{Builder, Posting, Surface, SynonymTarget};
use std::collections::HashMap;
use std::ops::Range;

pub use typo::bounded_distance;

/// Where a word was found, with its weight in ranking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Title,
    Keyword,
    LifeEvent,
    Category,
    Summary,
    Description,
    /// An everyday word of the lexicon for a word of the title or keywords.
    Synonym,
    /// An everyday word of the lexicon for a word found elsewhere.
    WeakSynonym,
}

const FIELDS: [Field; 8] = [
    Field::Title,
    Field::Keyword,
    Field::LifeEvent,
    Field::Category,
    Field::Summary,
    Field::Description,
    Field::Synonym,
    Field::WeakSynonym,
];

impl Field {
    fn weight(self) -> f32 {
        match self {
            Field::Title => 10.0,
            Field::Keyword => 7.0,
            Field::Synonym => 6.0,
            Field::LifeEvent => 5.0,
            Field::Category => 3.0,
            Field::Summary => 3.0,
            Field::WeakSynonym => 2.0,
            Field::Description => 1.5,
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// Whether the match came through the lexicon.
    pub fn is_synonym(self) -> bool {
        matches!(self, Field::Synonym | Field::WeakSynonym)
    }
}

/// The heaviest field of a bit set, and the set's score: its heaviest weight plus a fifth of the
/// others (a word in the title *and* the keywords is a little more telling than in the title only).
fn field_score(fields: u8) -> (Field, f32) {
    let mut best = (Field::Description, 0.0f32);
    let mut sum = 0.0;
    for field in FIELDS.iter().filter(|f| fields & f.bit() != 0) {
        let w = field.weight();
        sum += w;
        if w > best.1 {
            best = (*field, w);
        }
    }
    (best.0, best.1 + 0.2 * (sum - best.1))
}

/// How a query word met an indexed word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchQuality {
    Exact,
    Prefix,
    Typo,
}

/// Search options.
#[derive(Clone, Copy, Debug)]
pub struct SearchOptions<'a> {
    /// Only these services (by index in the slice given to [`SearchIndex::build`]), e.g. those
    /// applying to the citizen's commune. `None`: the whole federation.
    pub restrict_to: Option<&'a [bool]>,
    pub limit: usize,
}

impl Default for SearchOptions<'_> {
    fn default() -> Self {
        SearchOptions {
            restrict_to: None,
            limit: 20,
        }
    }
}

/// How one query word matched a hit.
#[derive(Clone, Debug, PartialEq)]
pub struct WordMatch {
    /// The query word, as typed.
    pub word: String,
    /// The indexed stem it met.
    pub term: String,
    pub field: Field,
    pub quality: MatchQuality,
    /// Through the lexicon: the service's word or phrase the query word stands for.
    pub synonym_of: Option<String>,
    /// Stems to highlight in the service's texts.
    pub highlight: Vec<String>,
}

/// One result.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    /// Index of the service in the slice given to [`SearchIndex::build`].
    pub service: usize,
    pub score: f32,
    /// Has only part of what was asked (shown apart, as "Résultats approchants").
    pub approximate: bool,
    /// For each query word this service has, how it matched.
    pub matched: Vec<WordMatch>,
    /// Query words this service does not have (approximate hits only).
    pub missing: Vec<String>,
}

impl SearchHit {
    /// Every stem to highlight in the service's title and summary.
    pub fn highlight_terms(&self) -> Vec<String> {
        self.matched
            .iter()
            .flat_map(|m| m.highlight.iter().cloned())
            .collect()
    }
}

/// The index of a federation's services.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    /// Sorted stems; `postings[i]` (sorted by service) belongs to `stems[i]`.
    stems: Vec<Box<str>>,
    postings: Vec<Vec<Posting>>,
    /// Sorted surfaces (words as written, folded, doubled letters once).
    surfaces: Vec<Surface>,
    /// Lexicon keys (stem index) → what they mean.
    synonyms: HashMap<u32, Vec<SynonymTarget>>,
    /// Per service: distinct required stems of its title; whether it can be done online.
    title_words: Vec<u8>,
    online: Vec<bool>,
    /// Per service: its life events as bits; per life event: the required stems of its label
    /// (see `query::SearchIndex::situations`).
    life_events: Vec<u16>,
    event_stems: Vec<Vec<u32>>,
    /// Score of each field bit set (see [`field_score`]).
    field_scores: Vec<f32>,
}

impl SearchIndex {
    /// Indexes `services` with the shared lexicon.
    pub fn build(services: &[Service]) -> SearchIndex {
        Self::build_with(services, lexicon::Lexicon::shared())
    }

    /// Indexes `services` with a given lexicon.
    pub fn build_with(services: &[Service], lexicon: &lexicon::Lexicon) -> SearchIndex {
        let mut builder = Builder::default();
        for (i, service) in services.iter().enumerate() {
            builder.add_service(i as u32, service);
        }
        builder.add_lexicon(lexicon);
        let mut order: Vec<u32> = (0..builder.stems.len() as u32).collect();
        order.sort_unstable_by(|a, b| builder.stems[*a as usize].cmp(&builder.stems[*b as usize]));
        let mut renumber = vec![0u32; order.len()];
        for (new, old) in order.iter().enumerate() {
            renumber[*old as usize] = new as u32;
        }
        let surfaces = builder.surfaces(&renumber);
        let event_stems = builder
            .life_event_stems()
            .into_iter()
            .map(|ids| ids.into_iter().map(|id| renumber[id as usize]).collect())
            .collect();
        let mut stems = std::mem::take(&mut builder.stems);
        let mut postings = std::mem::take(&mut builder.postings);
        let (stems, postings) = order
            .iter()
            .map(|&old| {
                (
                    std::mem::take(&mut stems[old as usize]).into_boxed_str(),
                    std::mem::take(&mut postings[old as usize]),
                )
            })
            .unzip();
        let synonyms = std::mem::take(&mut builder.synonyms)
            .into_iter()
            .map(|(key, targets)| {
                let targets = targets
                    .into_iter()
                    .map(|mut t| {
                        t.stems.iter_mut().for_each(|s| *s = renumber[*s as usize]);
                        t
                    })
                    .collect();
                (renumber[key as usize], targets)
            })
            .collect();
        SearchIndex {
            stems,
            postings,
            surfaces,
            synonyms,
            title_words: builder.title_words,
            life_events: builder.life_events,
            event_stems,
            online: services.iter().map(|s| s.form().is_some()).collect(),
            field_scores: (0..=255u8).map(|f| field_score(f).1).collect(),
        }
    }

    /// Number of distinct stems.
    pub fn vocabulary_len(&self) -> usize {
        self.stems.len()
    }

    fn services(&self) -> usize {
        self.online.len()
    }
}

/// Byte ranges of `text` whose words have one of the `matched` stems, for highlighting.
pub fn highlights(text: &str, matched: &[String]) -> Vec<Range<usize>> {
    text::terms(text)
        .into_iter()
        .filter(|t| matched.contains(&t.stem))
        .map(|t| t.range)
        .collect()
}
