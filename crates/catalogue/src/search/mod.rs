//! Service search: what matches what a citizen typed, best first, and why.
//!
//! An inverted index over each service's title, keywords, life events, category and summary.
//! Queries are folded and stemmed like the index (see [`text`]); every query word must match
//! (exactly, as a prefix while typing, or with a typo: 1 edit from 4 letters, 2 from 8). A title hit
//! outweighs a keyword hit, which outweighs a summary hit. Each hit says which words matched so the
//! SPA can highlight them.

pub mod text;

use crate::model::Service;
use std::collections::HashMap;
use std::ops::Range;
use text::{allowed_typos, query_stems, terms};

/// Where a term was found, with its weight in ranking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Title,
    Keyword,
    LifeEvent,
    Category,
    Summary,
}

impl Field {
    fn weight(self) -> f32 {
        match self {
            Field::Title => 10.0,
            Field::Keyword => 6.0,
            Field::LifeEvent => 5.0,
            Field::Category => 4.0,
            Field::Summary => 2.0,
        }
    }
}

/// How a query word met an indexed term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchQuality {
    Exact,
    Prefix,
    Typo,
}

impl MatchQuality {
    fn factor(self) -> f32 {
        match self {
            MatchQuality::Exact => 1.0,
            MatchQuality::Prefix => 0.75,
            MatchQuality::Typo => 0.6,
        }
    }
}

/// A service and the fields (bit set of [`Field`]) where a term occurs in it.
#[derive(Clone, Copy, Debug)]
struct Posting {
    service: u32,
    fields: u8,
}

const FIELDS: [Field; 5] = [
    Field::Title,
    Field::Keyword,
    Field::LifeEvent,
    Field::Category,
    Field::Summary,
];

impl Field {
    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The heaviest field of a bit set, with its weight.
fn best_field(fields: u8) -> (Field, f32) {
    FIELDS
        .iter()
        .filter(|f| fields & f.bit() != 0)
        .map(|f| (*f, f.weight()))
        .fold(
            (Field::Summary, 0.0),
            |best, x| if x.1 > best.1 { x } else { best },
        )
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

/// One result.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    /// Index of the service in the slice given to [`SearchIndex::build`].
    pub service: usize,
    pub score: f32,
    /// For each query word, the indexed term that matched it best, in which field, and how.
    pub matched: Vec<(String, Field, MatchQuality)>,
}

/// The inverted index.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    /// Sorted vocabulary; `postings[i]` (sorted by service) belongs to `vocabulary[i]`.
    vocabulary: Vec<String>,
    /// The vocabulary as characters, for typo matching without allocating.
    vocabulary_chars: Vec<Box<[char]>>,
    postings: Vec<Vec<Posting>>,
    services: usize,
}

impl SearchIndex {
    pub fn build(services: &[Service]) -> SearchIndex {
        let mut map: HashMap<String, Vec<Posting>> = HashMap::new();
        // Labels are shared by many services: tokenise each once.
        let mut label_terms: HashMap<&'static str, Vec<String>> = HashMap::new();
        let mut label = |text: &'static str| -> Vec<String> {
            label_terms
                .entry(text)
                .or_insert_with(|| terms(text).into_iter().map(|t| t.stem).collect())
                .clone()
        };
        for (i, service) in services.iter().enumerate() {
            let service_id = i as u32;
            let mut add = |stem: String, field: Field| {
                let postings = map.entry(stem).or_default();
                match postings.last_mut() {
                    Some(last) if last.service == service_id => last.fields |= field.bit(),
                    _ => postings.push(Posting {
                        service: service_id,
                        fields: field.bit(),
                    }),
                }
            };
            for t in terms(&service.title.fr) {
                add(t.stem, Field::Title);
            }
            for keyword in &service.keywords {
                for t in terms(keyword) {
                    add(t.stem, Field::Keyword);
                }
            }
            for event in &service.life_events {
                for stem in label(event.label_fr()).into_iter().chain(label(event.id())) {
                    add(stem, Field::LifeEvent);
                }
            }
            for stem in label(service.category.label_fr()) {
                add(stem, Field::Category);
            }
            for t in terms(&service.summary.fr) {
                add(t.stem, Field::Summary);
            }
        }
        let mut entries: Vec<(String, Vec<Posting>)> = map.into_iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let (vocabulary, postings): (Vec<String>, Vec<Vec<Posting>>) = entries.into_iter().unzip();
        let vocabulary_chars = vocabulary
            .iter()
            .map(|v| v.chars().collect::<Vec<_>>().into_boxed_slice())
            .collect();
        SearchIndex {
            vocabulary,
            vocabulary_chars,
            postings,
            services: services.len(),
        }
    }

    pub fn vocabulary_len(&self) -> usize {
        self.vocabulary.len()
    }

    /// Vocabulary indexes matching one query word, with how.
    fn candidates(
        &self,
        word: &str,
        allow_prefix: bool,
        scratch: &mut text::Scratch,
    ) -> Vec<(usize, MatchQuality)> {
        let start = self.vocabulary.partition_point(|v| v.as_str() < word);
        let mut out = Vec::new();
        if allow_prefix && word.len() >= 2 {
            for (offset, v) in self.vocabulary[start..].iter().enumerate() {
                if !v.starts_with(word) {
                    break;
                }
                let quality = if v == word {
                    MatchQuality::Exact
                } else {
                    MatchQuality::Prefix
                };
                out.push((start + offset, quality));
            }
        } else if self.vocabulary.get(start).is_some_and(|v| v == word) {
            out.push((start, MatchQuality::Exact));
        }
        if out.iter().any(|(_, q)| *q == MatchQuality::Exact) {
            return out;
        }
        let typos = allowed_typos(word);
        if typos == 0 {
            return out;
        }
        let word_chars: Vec<char> = word.chars().collect();
        for (i, v) in self.vocabulary_chars.iter().enumerate() {
            // Numbers are identifiers, not words: no typo tolerance.
            if v.first().is_some_and(char::is_ascii_digit) {
                continue;
            }
            let whole = v.len().abs_diff(word_chars.len()) <= typos
                && scratch.within(&word_chars, v, typos);
            // A slip in a partly typed word: compare with the same-length beginning.
            let partial = !whole
                && allow_prefix
                && v.len() > word_chars.len()
                && scratch.within(&word_chars, &v[..word_chars.len()], typos);
            if (whole || partial) && !out.iter().any(|(j, _)| *j == i) {
                out.push((i, MatchQuality::Typo));
            }
        }
        out
    }

    /// Services matching `query`, best first.
    pub fn search(&self, query: &str, options: &SearchOptions<'_>) -> Vec<SearchHit> {
        let words = query_stems(query);
        if words.is_empty() || self.services == 0 {
            return Vec::new();
        }
        // The last word may be incomplete while the citizen types; earlier ones get prefix
        // matching too when they are long enough to be meaningful.
        let typing_ends_with_word = !query.ends_with(char::is_whitespace);
        let mut scratch = text::Scratch::default();
        let mut total = vec![0.0f32; self.services];
        let mut word_best = vec![0.0f32; self.services];
        let mut per_word_candidates = Vec::with_capacity(words.len());
        for (w, word) in words.iter().enumerate() {
            let allow_prefix = (w + 1 == words.len() && typing_ends_with_word) || word.len() >= 4;
            let candidates = self.candidates(word, allow_prefix, &mut scratch);
            word_best.iter_mut().for_each(|x| *x = 0.0);
            for &(v, quality) in &candidates {
                for posting in &self.postings[v] {
                    let score = best_field(posting.fields).1 * quality.factor();
                    let slot = &mut word_best[posting.service as usize];
                    if score > *slot {
                        *slot = score;
                    }
                }
            }
            for (t, best) in total.iter_mut().zip(&word_best) {
                // Every word must match: a miss excludes the service for good.
                *t = if *best > 0.0 && *t >= 0.0 {
                    *t + best
                } else {
                    -1.0
                };
            }
            per_word_candidates.push(candidates);
        }
        let mut ranked: Vec<(usize, f32)> = total
            .iter()
            .enumerate()
            .filter(|(i, score)| {
                **score > 0.0
                    && options
                        .restrict_to
                        .is_none_or(|allowed| allowed.get(*i).copied().unwrap_or(false))
            })
            .map(|(i, score)| (i, *score))
            .collect();
        ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(options.limit);
        ranked
            .into_iter()
            .map(|(service, score)| SearchHit {
                service,
                score,
                matched: self.explain(service as u32, &per_word_candidates),
            })
            .collect()
    }

    /// For each query word, the candidate term that gave `service` its best score.
    fn explain(
        &self,
        service: u32,
        per_word: &[Vec<(usize, MatchQuality)>],
    ) -> Vec<(String, Field, MatchQuality)> {
        per_word
            .iter()
            .filter_map(|candidates| {
                candidates
                    .iter()
                    .filter_map(|&(v, quality)| {
                        let postings = &self.postings[v];
                        let at = postings
                            .binary_search_by_key(&service, |p| p.service)
                            .ok()?;
                        let (field, weight) = best_field(postings[at].fields);
                        Some((weight * quality.factor(), v, field, quality))
                    })
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, v, field, quality)| (self.vocabulary[v].clone(), field, quality))
            })
            .collect()
    }

    /// Closest vocabulary words to a query with no result ("did you mean"), most used first.
    pub fn suggestions(&self, query: &str, limit: usize) -> Vec<String> {
        let mut scratch = text::Scratch::default();
        let mut out: Vec<(usize, usize, &str)> = Vec::new();
        for word in query_stems(query) {
            let chars: Vec<char> = word.chars().collect();
            let max = 3.min(chars.len().saturating_sub(1)).max(1);
            for (i, v) in self.vocabulary_chars.iter().enumerate() {
                if v.len().abs_diff(chars.len()) <= max && scratch.within(&chars, v, max) {
                    let d = scratch.last_distance;
                    out.push((
                        d,
                        usize::MAX - self.postings[i].len(),
                        self.vocabulary[i].as_str(),
                    ));
                }
            }
        }
        out.sort();
        let mut words: Vec<String> = out.into_iter().map(|(_, _, w)| w.to_owned()).collect();
        words.dedup();
        words.truncate(limit);
        words
    }
}

/// Byte ranges of `text` whose terms are among `matched` (stems), for highlighting.
pub fn highlights(text: &str, matched: &[String]) -> Vec<Range<usize>> {
    terms(text)
        .into_iter()
        .filter(|t| {
            matched
                .iter()
                .any(|m| t.stem == *m || (t.stem.starts_with(m.as_str()) && m.len() >= 2))
        })
        .map(|t| t.range)
        .collect()
}
