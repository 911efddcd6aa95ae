//! Answering a query: candidates for each word, scores accumulated service by service, exact and
//! approximate results, explanations for the hits returned.
//!
//! Work is proportional to the postings the query touches, not to the size of the federation:
//! per-word scores live in reused arrays and only the services a word reached are visited.

use super::text::{Term, follows_interrogative, reads_as_verb, terms};
use super::typo::{Scratch, allowed_typos, letters, may_be_within};
use super::{Field, MatchQuality, SearchHit, SearchIndex, SearchOptions, WordMatch, field_score};
use std::cell::RefCell;
use std::cmp::Ordering;

/// Share of a query's weight a service must have to be an approximate result.
const APPROXIMATE_COVERAGE: f32 = 0.5;
/// A match scoring this much (a keyword, exactly) or more covers its word fully; weaker ones
/// (summary, description, typos, synonyms of a summary word) cover it in proportion.
const STRONG_MATCH: f32 = 7.0;
/// A word being typed is compared with the beginnings of longer words from this many letters
/// (shorter beginnings look like too many words).
const PARTIAL_TYPO_LETTERS: usize = 6;
/// At most this many query words are considered (a pasted paragraph is not a query).
const MAX_WORDS: usize = 12;

/// An indexed stem a query word may mean, and how much a match through it is worth.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    stem: u32,
    quality: MatchQuality,
    factor: f32,
}

/// The candidates of one query word, each stem once with the best way it was reached.
#[derive(Debug, Default)]
struct Candidates(Vec<Candidate>);

impl Candidates {
    fn add(&mut self, stem: u32, quality: MatchQuality, factor: f32) {
        let candidate = Candidate {
            stem,
            quality,
            factor,
        };
        match self.0.iter_mut().find(|c| c.stem == stem) {
            Some(c) if c.factor < factor => *c = candidate,
            Some(_) => {}
            None => self.0.push(candidate),
        }
    }
}

/// What a query has gathered about one service.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    score: f32,
    /// Weight of the required words the service has, each counted by how well it matched (see
    /// [`STRONG_MATCH`]).
    cover: f32,
    /// The current word's best match in this service.
    best: f32,
    /// Bit set of the query words the service has.
    words: u32,
    /// Query words found in its title (not through a typo).
    title_hits: u8,
    in_title: bool,
    /// A required word was found somewhere else than in its long description (see
    /// [`SearchIndex::rank`]).
    beyond_description: bool,
}

impl Slot {
    /// Whether the service has every required word.
    fn has_every_word(&self, required: u32) -> bool {
        self.words & required == required
    }
}

/// Per-service accumulators, kept between queries (one per thread) and reset only where a query
/// wrote: a keystroke over 10,000 services must not allocate and clear megabytes.
#[derive(Debug, Default)]
struct Tally {
    slots: Vec<Slot>,
    /// Services reached by any word of the current query.
    reached: Vec<u32>,
    /// Services reached by the current word.
    touched: Vec<u32>,
    /// Bit set of the query words some service has in its title, keywords or theme (see
    /// [`SearchIndex::rank`]).
    named: u32,
}

impl Tally {
    fn slot(&self, s: u32) -> &Slot {
        &self.slots[s as usize]
    }

    fn clear(&mut self) {
        for &s in &self.reached {
            self.slots[s as usize] = Slot::default();
        }
        self.reached.clear();
        self.named = 0;
    }
}

thread_local! {
    static TALLY: RefCell<Tally> = RefCell::new(Tally::default());
}

impl SearchIndex {
    /// Stems a query word may mean: its own, words starting with it (while typing, or a cut word
    /// of four letters or more), and — when its own stem is not in the index — close words.
    fn candidates(&self, term: &Term, typing: bool, scratch: &mut Scratch) -> Vec<Candidate> {
        let mut out = Candidates::default();
        let exact = self
            .stems
            .binary_search_by(|s| (**s).cmp(term.stem.as_str()))
            .ok();
        if let Some(stem) = exact {
            out.add(stem as u32, MatchQuality::Exact, 1.0);
        }
        let word: &str = &term.surface;
        let length = word.chars().count();
        if (typing && length >= 2) || length >= 4 {
            self.add_prefixed(word, &mut out);
        }
        let typos = allowed_typos(length);
        if exact.is_some() || typos == 0 || word.chars().any(|c| c.is_ascii_digit()) {
            return out.0;
        }
        self.add_close(word, typos, typing, scratch, &mut out);
        out.0
    }

    /// Every indexed word starting with `word` (the word itself counts as exact).
    fn add_prefixed(&self, word: &str, out: &mut Candidates) {
        let start = self.surfaces.partition_point(|s| &*s.text < word);
        for surface in self.surfaces[start..]
            .iter()
            .take_while(|s| s.text.starts_with(word))
        {
            if &*surface.text == word {
                out.add(surface.stem, MatchQuality::Exact, 1.0);
            } else {
                out.add(surface.stem, MatchQuality::Prefix, 0.75);
            }
        }
    }

    /// Every word of the services' texts within `typos` edits of `word` — or, while it is typed,
    /// whose beginning is.
    fn add_close(
        &self,
        word: &str,
        typos: usize,
        typing: bool,
        scratch: &mut Scratch,
        out: &mut Candidates,
    ) {
        let chars: Vec<char> = word.chars().collect();
        let length = chars.len();
        let mask = letters(&chars);
        for surface in self.surfaces.iter().filter(|s| s.in_text) {
            let candidate = &surface.chars;
            let whole = candidate.len().abs_diff(length) <= typos
                && may_be_within(mask, surface.letters, typos)
                && scratch.within(&chars, candidate, typos);
            if whole {
                let factor = if scratch.last_distance <= 1 {
                    0.6
                } else {
                    0.45
                };
                out.add(surface.stem, MatchQuality::Typo, factor);
            } else if typing
                && length >= PARTIAL_TYPO_LETTERS
                && candidate.len() > length
                && may_be_within(mask, letters(&candidate[..length]), typos)
                && scratch.within(&chars, &candidate[..length], typos)
            {
                // A slip in a word still being typed: compare with the same-length beginning.
                out.add(surface.stem, MatchQuality::Typo, 0.5);
            }
        }
    }

    /// Services matching `query`, best first: those with every required word, then (labelled
    /// approximate) those with most of it.
    pub fn search(&self, query: &str, options: &SearchOptions<'_>) -> Vec<SearchHit> {
        let mut words = terms(query);
        words.dedup_by(|a, b| a.stem == b.stem);
        words.truncate(MAX_WORDS);
        let n = self.services();
        if words.is_empty() || n == 0 || options.limit == 0 {
            return Vec::new();
        }
        let typing = !query.ends_with(char::is_whitespace);
        let last = words.len() - 1;
        let mut scratch = Scratch::default();
        let candidates: Vec<Vec<Candidate>> = words
            .iter()
            .enumerate()
            .map(|(i, w)| self.candidates(w, typing && i == last, &mut scratch))
            .collect();
        let (required, unknown_verbs) = requirements(query, &words, &candidates);
        TALLY.with_borrow_mut(|tally| {
            if tally.slots.len() < n {
                tally.slots.resize(n, Slot::default());
            }
            let (weights, unmatched) =
                self.tally(tally, &candidates, required, options.restrict_to);
            let situations = if unmatched & required == 0 {
                self.situations(&candidates, required)
            } else {
                0
            };
            let ranked = self.rank(tally, required, &weights, situations, options.limit);
            let hits = ranked
                .into_iter()
                .map(|r| {
                    let mut hit = self.explain(r, query, &words, &candidates, tally);
                    hit.approximate |= unknown_verbs != 0;
                    hit
                })
                .collect();
            tally.clear();
            hits
        })
    }

    /// Life events (bits, see [`super::index`]) whose label has a required word of the query,
    /// met exactly or as a prefix (not through a typo).
    fn situations(&self, candidates: &[Vec<Candidate>], required: u32) -> u16 {
        let mut events = 0u16;
        for (w, word) in candidates.iter().enumerate() {
            if required & 1 << w == 0 {
                continue;
            }
            for c in word.iter().filter(|c| c.quality != MatchQuality::Typo) {
                for (e, stems) in self.event_stems.iter().enumerate() {
                    if stems.contains(&c.stem) {
                        events |= 1 << e;
                    }
                }
            }
        }
        events
    }

    /// The services to return, in order: those with every required word then, labelled
    /// approximate, the other services of a life situation the query names and, when nothing
    /// has every word, those covering enough of the query.
    fn rank(
        &self,
        tally: &Tally,
        required: u32,
        weights: &[f32],
        situations: u16,
        limit: usize,
    ) -> Vec<Ranked> {
        let required_weight: f32 = (0..weights.len())
            .filter(|i| required & 1 << i != 0)
            .map(|i| weights[i])
            .sum();
        let complete = |s: &u32| tally.slot(*s).has_every_word(required);
        let may_approximate = required.count_ones() >= 2 && !tally.reached.iter().any(complete);
        // The description is searched so that what a service says only there is found — next
        // to services that are about the query. When no service has the query's words beyond its
        // prose, the federation does not do what was asked, and prose that uses the words in
        // passing is not an answer: "demande de logement social" met "logement" and "social" only
        // in the APA's description ("adapter le logement", "travailleur social").
        // Likewise a service lacking a word that other services are named by (title, keywords,
        // theme) is no approximate answer: the words point at different services and the query
        // means something none of them is — "allocations familiales" is neither the APA (an
        // *allocation*) nor the canteen (its *quotient familial*).
        let answered = tally
            .reached
            .iter()
            .any(|s| complete(s) && tally.slot(*s).beyond_description);
        let mut ranked: Vec<Ranked> = tally
            .reached
            .iter()
            .filter_map(|&s| {
                let slot = tally.slot(s);
                let exact = slot.has_every_word(required) && answered;
                let cover = slot.cover / required_weight;
                let situation = self.life_events[s as usize] & situations != 0;
                let enough = may_approximate
                    && cover >= APPROXIMATE_COVERAGE
                    && required & !slot.words & tally.named == 0;
                (exact || enough || situation).then(|| Ranked {
                    service: s,
                    exact,
                    coverage: cover,
                    score: slot.score,
                    title: f32::from(slot.title_hits)
                        / f32::from(self.title_words[s as usize].max(1)),
                    online: self.online[s as usize],
                })
            })
            .collect();
        let limit = limit.min(ranked.len());
        if limit < ranked.len() {
            ranked.select_nth_unstable_by(limit, Ranked::order);
            ranked.truncate(limit);
        }
        ranked.sort_unstable_by(Ranked::order);
        ranked
    }

    /// Scores every service reached by the query's words into `tally`; returns each word's
    /// weight (inverse document frequency; a word matching nothing weighs as much as the rarest)
    /// and the bit set of the words that matched nothing.
    fn tally(
        &self,
        tally: &mut Tally,
        candidates: &[Vec<Candidate>],
        required: u32,
        restrict_to: Option<&[bool]>,
    ) -> (Vec<f32>, u32) {
        let mut unmatched = 0u32;
        let n = self.services() as f32;
        let mut weights = Vec::with_capacity(candidates.len());
        let title_bit = Field::Title.bit();
        let description_bit = Field::Description.bit();
        let naming = Field::Title.bit() | Field::Keyword.bit() | Field::Category.bit();
        let Tally {
            slots,
            reached,
            touched,
            named,
        } = tally;
        for (w, word) in candidates.iter().enumerate() {
            touched.clear();
            for c in word {
                let in_title = c.quality != MatchQuality::Typo;
                for p in &self.postings[c.stem as usize] {
                    if restrict_to
                        .is_some_and(|a| !a.get(p.service as usize).copied().unwrap_or(false))
                    {
                        continue;
                    }
                    let slot = &mut slots[p.service as usize];
                    let score = self.field_scores[p.fields as usize] * c.factor;
                    if slot.best == 0.0 {
                        touched.push(p.service);
                    }
                    if score > slot.best {
                        slot.best = score;
                    }
                    slot.in_title |= in_title && p.fields & title_bit != 0;
                    slot.beyond_description |=
                        required & 1 << w != 0 && p.fields & !description_bit != 0;
                    if c.quality == MatchQuality::Exact && p.fields & naming != 0 {
                        *named |= 1 << w;
                    }
                }
            }
            let weight = if touched.is_empty() {
                unmatched |= 1 << w;
                (1.0 + 2.0 * n).ln()
            } else {
                (1.0 + n / touched.len() as f32).ln()
            };
            weights.push(weight);
            for &s in touched.iter() {
                let slot = &mut slots[s as usize];
                if slot.words == 0 {
                    reached.push(s);
                }
                slot.score += weight * slot.best;
                if required & 1 << w != 0 {
                    slot.cover += weight * (slot.best / STRONG_MATCH).min(1.0);
                }
                slot.words |= 1 << w;
                slot.title_hits += u8::from(slot.in_title);
                slot.best = 0.0;
                slot.in_title = false;
            }
        }
        (weights, unmatched)
    }

    /// The hit for a ranked service, with how each query word matched it.
    fn explain(
        &self,
        r: Ranked,
        query: &str,
        words: &[Term],
        candidates: &[Vec<Candidate>],
        tally: &Tally,
    ) -> SearchHit {
        let mask = tally.slot(r.service).words;
        let mut matched = Vec::new();
        let mut missing = Vec::new();
        for (w, (word, cands)) in words.iter().zip(candidates).enumerate() {
            if mask & 1 << w == 0 {
                if !word.optional {
                    missing.push(query_word(query, word));
                }
                continue;
            }
            let best = cands
                .iter()
                .filter_map(|c| {
                    let postings = &self.postings[c.stem as usize];
                    let at = postings
                        .binary_search_by_key(&r.service, |p| p.service)
                        .ok()?;
                    let (field, weight) = field_score(postings[at].fields);
                    Some((weight * c.factor, *c, field))
                })
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((_, c, field)) = best {
                matched.push(self.word_match(query_word(query, word), c, field, r.service));
            }
        }
        SearchHit {
            service: r.service as usize,
            score: r.score,
            approximate: !r.exact,
            matched,
            missing,
        }
    }

    fn word_match(&self, word: String, c: Candidate, field: Field, service: u32) -> WordMatch {
        let term = self.stems[c.stem as usize].to_string();
        let target = field
            .is_synonym()
            .then(|| self.synonyms.get(&c.stem))
            .flatten()
            .and_then(|targets| {
                targets.iter().find(|t| {
                    t.stems.iter().all(|s| {
                        self.postings[*s as usize]
                            .binary_search_by_key(&service, |p| p.service)
                            .is_ok()
                    })
                })
            });
        WordMatch {
            word,
            highlight: match target {
                Some(t) => t
                    .stems
                    .iter()
                    .map(|s| self.stems[*s as usize].to_string())
                    .collect(),
                None => vec![term.clone()],
            },
            synonym_of: target.map(|t| t.text.to_string()),
            term,
            field,
            quality: c.quality,
        }
    }

    /// Closest indexed words to a query with no result ("did you mean"), most used first: for the
    /// query words the index does not know, words of the services' texts (not lexicon keys)
    /// within one edit more than typo matching allows.
    pub fn suggestions(&self, query: &str, limit: usize) -> Vec<String> {
        let mut scratch = Scratch::default();
        let mut out: Vec<(usize, usize, &str)> = Vec::new();
        for word in terms(query) {
            let known = self
                .stems
                .binary_search_by(|s| (**s).cmp(word.stem.as_str()))
                .is_ok();
            if known {
                continue;
            }
            let chars: Vec<char> = word.surface.chars().collect();
            let max = (allowed_typos(chars.len()) + 1).min(3);
            let mask = letters(&chars);
            for surface in self.surfaces.iter().filter(|s| s.in_text) {
                if may_be_within(mask, surface.letters, max)
                    && scratch.within(&chars, &surface.chars, max)
                {
                    let uses = self.postings[surface.stem as usize].len();
                    out.push((scratch.last_distance, usize::MAX - uses, &surface.display));
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

/// The bit set of the query's required words, and of its unknown verbs.
///
/// People, places, generic verbs and what a question asks ("à quel *âge*") are optional (see
/// [`super::text`]); the other words are
/// required — unless the index has no word like them (no exact, prefix or typo candidate) and they
/// read as verbs ([`reads_as_verb`]): "refaire mon passeport", "un vieux canapé à jeter". Such a
/// verb says what the citizen wants to do, the other words what about; it must not veto the
/// services they agree on, which are returned as approximate and say what they lack. An unknown
/// noun or adjective still vetoes ("carte grise", "location de vélo": the federation does not do
/// that), and so do unknown verbs when the query has nothing else.
fn requirements(query: &str, words: &[Term], candidates: &[Vec<Candidate>]) -> (u32, u32) {
    let bits = |keep: &dyn Fn(usize, &Term) -> bool| {
        words
            .iter()
            .enumerate()
            .filter(|(i, w)| keep(*i, w))
            .fold(0u32, |m, (i, _)| m | 1 << i)
    };
    let content = bits(&|_, w| !w.optional && !follows_interrogative(query, w));
    if content == 0 {
        return ((1 << words.len()) - 1, 0);
    }
    let unknown_verbs =
        bits(&|i, w| !w.optional && candidates[i].is_empty() && reads_as_verb(query, w));
    if unknown_verbs == content {
        (content, 0)
    } else {
        (content & !unknown_verbs, unknown_verbs)
    }
}

/// The query word as the citizen wrote it (lower case).
fn query_word(query: &str, term: &Term) -> String {
    query
        .get(term.range.clone())
        .unwrap_or_default()
        .to_lowercase()
}

/// A service selected for the results, with what orders it.
#[derive(Clone, Copy, Debug)]
struct Ranked {
    service: u32,
    exact: bool,
    coverage: f32,
    score: f32,
    title: f32,
    online: bool,
}

impl Ranked {
    /// Exact results first; approximate ones by how much of the query they have; then score, then
    /// how much of the title the query covers, then services that can be done online.
    fn order(a: &Ranked, b: &Ranked) -> Ordering {
        b.exact
            .cmp(&a.exact)
            .then_with(|| {
                if a.exact {
                    Ordering::Equal
                } else {
                    b.coverage.total_cmp(&a.coverage)
                }
            })
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| b.title.total_cmp(&a.title))
            .then_with(|| b.online.cmp(&a.online))
            .then_with(|| a.service.cmp(&b.service))
    }
}
