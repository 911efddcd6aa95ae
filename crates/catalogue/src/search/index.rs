//! Building the index: every service's texts cut into words, each word filed under its stem with
//! the fields it occurs in, plus the lexicon's everyday words filed under the services whose text
//! has what they mean.
//!
//! Two sorted vocabularies: *stems* (what word forms meet on, with the postings) and *surfaces*
//! (the words as written, folded and with doubled letters once, each pointing to its stem) — a
//! word being typed, or mistyped, is compared with what people write, not with a stem.

use super::Field;
use super::lexicon::Lexicon;
use super::text::{analyse, terms, word_ranges};
use super::typo::letters;
use crate::labels::LifeEvent;
use crate::model::Service;
use crate::values::markdown::plain_text;
use std::borrow::Cow;
use std::collections::HashMap;

/// A service and the fields (bit set of [`Field`]) where a stem occurs in it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Posting {
    pub service: u32,
    pub fields: u8,
}

/// A word as people write it, and its stem.
#[derive(Clone, Debug)]
pub(super) struct Surface {
    pub text: Box<str>,
    pub chars: Box<[char]>,
    pub letters: u32,
    pub stem: u32,
    /// The word as first seen in a text (accents kept), for "did you mean".
    pub display: Box<str>,
    /// In a service's text, not only a lexicon key: typos may meet it (a typo of an everyday
    /// word standing for another word would be two guesses in a row).
    pub in_text: bool,
}

/// What a lexicon key means in the services it was filed under.
#[derive(Clone, Debug)]
pub(super) struct SynonymTarget {
    pub text: Box<str>,
    pub stems: Vec<u32>,
}

/// The texts of a service that search reads, with their field.
pub(super) fn service_texts(service: &Service) -> Vec<(Field, Cow<'_, str>)> {
    let mut out = vec![(Field::Title, Cow::Borrowed(service.title.fr.as_str()))];
    out.extend(
        service
            .keywords
            .iter()
            .map(|k| (Field::Keyword, Cow::Borrowed(k.as_str()))),
    );
    for event in &service.life_events {
        out.push((Field::LifeEvent, Cow::Borrowed(event.label_fr())));
        out.push((Field::LifeEvent, Cow::Borrowed(event.id())));
    }
    out.push((Field::Category, Cow::Borrowed(service.category.label_fr())));
    out.push((Field::Summary, Cow::Borrowed(service.summary.fr.as_str())));
    if !service.description_blocks.is_empty() {
        out.push((
            Field::Description,
            Cow::Owned(plain_text(&service.description_blocks)),
        ));
    }
    out
}

/// A set of life events as bits (bit `i` for `LifeEvent::ALL[i]`).
fn life_event_bits(events: &[LifeEvent]) -> u16 {
    events
        .iter()
        .filter_map(|e| LifeEvent::ALL.iter().position(|x| x == e))
        .fold(0, |bits, i| bits | 1 << i)
}

/// Collects words and postings with provisional stem ids (in order of first appearance).
#[derive(Default)]
pub(super) struct Builder {
    stem_ids: HashMap<String, u32>,
    pub stems: Vec<String>,
    pub postings: Vec<Vec<Posting>>,
    surfaces: HashMap<String, (u32, String, bool)>,
    pub synonyms: HashMap<u32, Vec<SynonymTarget>>,
    pub title_words: Vec<u8>,
    /// Per service: its life events (bit `i` for `LifeEvent::ALL[i]`).
    pub life_events: Vec<u16>,
    /// Each distinct word as written → its stem id and whether it is optional (`None`: a stop
    /// word). Federations repeat the same words thousands of times: each is analysed once.
    words: HashMap<String, Option<(u32, bool)>>,
}

impl Builder {
    fn stem_id(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.stem_ids.get(stem) {
            return id;
        }
        let id = self.stems.len() as u32;
        self.stem_ids.insert(stem.to_owned(), id);
        self.stems.push(stem.to_owned());
        self.postings.push(Vec::new());
        id
    }

    /// The stem id of a word as written, analysing it the first time it is met.
    fn word(&mut self, text: &str, range: std::ops::Range<usize>) -> Option<(u32, bool)> {
        let word = &text[range.clone()];
        if let Some(known) = self.words.get(word) {
            return *known;
        }
        let analysed = analyse(word, range).map(|term| {
            let id = self.stem_id(&term.stem);
            self.surfaces
                .entry(term.surface)
                .or_insert_with(|| (id, word.to_lowercase(), true));
            (id, term.optional)
        });
        self.words.insert(word.to_owned(), analysed);
        analysed
    }

    /// Files a service's words; services must come in order.
    pub fn add_service(&mut self, service_id: u32, service: &Service) {
        let mut title = Vec::new();
        for (field, text) in service_texts(service) {
            for range in word_ranges(&text) {
                let Some((id, optional)) = self.word(&text, range) else {
                    continue;
                };
                if field == Field::Title && !optional && !title.contains(&id) {
                    title.push(id);
                }
                let postings = &mut self.postings[id as usize];
                match postings.last_mut() {
                    Some(last) if last.service == service_id => last.fields |= field.bit(),
                    _ => postings.push(Posting {
                        service: service_id,
                        fields: field.bit(),
                    }),
                }
            }
        }
        self.title_words.push(title.len().min(255) as u8);
        self.life_events.push(life_event_bits(&service.life_events));
    }

    /// For each life event (in the order of `LifeEvent::ALL`), the provisional ids of the required
    /// stems of its label that some service has.
    pub fn life_event_stems(&self) -> Vec<Vec<u32>> {
        LifeEvent::ALL
            .iter()
            .map(|event| {
                terms(event.label_fr())
                    .into_iter()
                    .filter(|t| !t.optional)
                    .filter_map(|t| self.stem_ids.get(&t.stem).copied())
                    .collect()
            })
            .collect()
    }

    /// The fields where a service has a stem (0: nowhere).
    fn fields_of(&self, stem: u32, service: u32) -> u8 {
        let postings = &self.postings[stem as usize];
        postings
            .binary_search_by_key(&service, |p| p.service)
            .map_or(0, |i| postings[i].fields)
    }

    /// Files each lexicon key under the services having one of its targets: as a strong synonym
    /// when the target is in the title or keywords, a weak one otherwise.
    pub fn add_lexicon(&mut self, lexicon: &Lexicon) {
        let strong_fields = Field::Title.bit() | Field::Keyword.bit();
        for entry in &lexicon.entries {
            let mut filed: HashMap<u32, u8> = HashMap::new();
            let mut targets = Vec::new();
            for target in &entry.targets {
                let Some(ids) = target
                    .stems
                    .iter()
                    .map(|s| self.stem_ids.get(s).copied())
                    .collect::<Option<Vec<u32>>>()
                else {
                    continue;
                };
                let Some((&first, rest)) = ids.split_first() else {
                    continue;
                };
                for posting in self.postings[first as usize].clone() {
                    let fields = rest.iter().try_fold(posting.fields, |acc, &id| {
                        let f = self.fields_of(id, posting.service);
                        (f != 0).then_some(acc | f)
                    });
                    // A theme's label is shared by a dozen services: a key meaning one of its
                    // words would find the whole theme.
                    let Some(fields) = fields.map(|f| f & !Field::Category.bit()) else {
                        continue;
                    };
                    if fields == 0 {
                        continue;
                    }
                    let bit = if fields & strong_fields != 0 {
                        Field::Synonym.bit()
                    } else {
                        Field::WeakSynonym.bit()
                    };
                    *filed.entry(posting.service).or_default() |= bit;
                }
                targets.push(SynonymTarget {
                    text: target.text.clone().into_boxed_str(),
                    stems: ids,
                });
            }
            if filed.is_empty() {
                continue;
            }
            for term in terms(&entry.key.text) {
                let id = self.stem_id(&term.stem);
                self.surfaces
                    .entry(term.surface)
                    .or_insert_with(|| (id, entry.key.text[term.range].to_lowercase(), false));
                let postings = &mut self.postings[id as usize];
                for (&service, &bit) in &filed {
                    postings.push(Posting {
                        service,
                        fields: bit,
                    });
                }
                postings.sort_unstable_by_key(|p| p.service);
                postings.dedup_by(|later, earlier| {
                    let same = later.service == earlier.service;
                    if same {
                        earlier.fields |= later.fields;
                    }
                    same
                });
                self.synonyms
                    .entry(id)
                    .or_default()
                    .extend(targets.iter().cloned());
            }
        }
    }

    /// The surfaces, sorted, with their stems renumbered by `renumber`.
    pub fn surfaces(&mut self, renumber: &[u32]) -> Vec<Surface> {
        let mut out: Vec<Surface> = std::mem::take(&mut self.surfaces)
            .into_iter()
            .map(|(text, (stem, display, in_text))| {
                let chars: Box<[char]> = text.chars().collect();
                Surface {
                    letters: letters(&chars),
                    chars,
                    text: text.into_boxed_str(),
                    stem: renumber[stem as usize],
                    display: display.into_boxed_str(),
                    in_text,
                }
            })
            .collect();
        out.sort_unstable_by(|a, b| a.text.cmp(&b.text));
        out
    }
}
