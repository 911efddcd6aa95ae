//! What the commune chooser asks of the territory index — read it, propose communes for what was
//! typed, decide what a submitted text designates — as plain functions reached through
//! [`TerritoryCode`].
//!
//! The index reader and the commune search weigh about 30 KB of code that no one needs before a
//! citizen starts typing their commune: they live in their own chunk (`lazy::start::territory_code`),
//! downloaded while the index itself downloads, and the chooser, in the first page, only holds the
//! pointers the chunk hands back. Nothing here touches the DOM: it is tested natively.

use crate::i18n::texts;
use catalogue::Territory;
use catalogue::territory::{CommuneMatch, MatchKind, TerritoryError};

const SUGGESTIONS: usize = 8;

/// The territory functions, handed over by the chunk that holds their code.
#[derive(Clone, Copy)]
pub struct TerritoryCode {
    pub read: fn(&str) -> Result<Territory, TerritoryError>,
    /// The suggestions for what is typed (at most eight).
    pub propose: fn(&Territory, &str) -> Vec<Proposal>,
    /// What the submitted text designates.
    pub submit: fn(&Territory, &str) -> Submitted,
}

/// The functions themselves: to be called only from the chunk's split point, so that their code
/// goes with it.
pub fn code() -> TerritoryCode {
    TerritoryCode {
        read: Territory::from_index,
        propose,
        submit,
    }
}

/// One proposed commune, as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub code: String,
    pub name: String,
    /// "45500 — Loiret", "via Arbignieu (commune déléguée)".
    pub detail: String,
}

impl Proposal {
    fn from_match(m: &CommuneMatch<'_>) -> Proposal {
        let c = m.info.commune;
        let postcode = match &m.matched {
            MatchKind::Postcode(p) => p.clone(),
            _ => c.postcodes.first().cloned().unwrap_or_default(),
        };
        let departement = m
            .info
            .departement
            .map(|d| format!("{} ({})", d.name, d.code))
            .unwrap_or_default();
        let via = match &m.matched {
            MatchKind::Alias { name, kind, .. } => format!(" — {} {name}", kind.label_fr()),
            MatchKind::Code => format!(" — {} {}", texts().chooser.insee_code, c.code),
            _ => String::new(),
        };
        Proposal {
            code: c.code.clone(),
            name: c.name.clone(),
            detail: format!("{postcode} — {departement}{via}"),
        }
    }
}

/// What to do with a complete code: go to the one commune it designates, or ask which one (with
/// the question to ask), or say no commune has it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum CodeAnswer {
    Go(Proposal),
    Ask(String, Vec<Proposal>),
    Unknown,
}

fn answer_code(code: &str, found: &[CommuneMatch<'_>]) -> CodeAnswer {
    let t = &texts().chooser;
    let insee: Vec<&CommuneMatch<'_>> = found
        .iter()
        .filter(|m| m.matched == MatchKind::Code)
        .collect();
    let postal = found.len() - insee.len();
    let all: Vec<Proposal> = found.iter().map(Proposal::from_match).collect();
    match (insee.first(), postal) {
        (None, 0) => CodeAnswer::Unknown,
        _ if all.len() == 1 => CodeAnswer::Go(all[0].clone()),
        (Some(commune), n) if n > 0 => {
            CodeAnswer::Ask(t.code_both(code, &commune.info.commune.name, n), all)
        }
        _ => CodeAnswer::Ask(t.postcode_shared(code, all.len()), all),
    }
}

/// What a submitted text designates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submitted {
    /// One commune: go there.
    Go(Proposal),
    /// A code shared by several communes: ask which one, with this question.
    Ask(String, Vec<Proposal>),
    /// A name several communes match: show the suggestions.
    Several,
    /// No commune has this name or code.
    Unknown,
}

fn propose(index: &Territory, query: &str) -> Vec<Proposal> {
    if query.trim().is_empty() {
        return Vec::new();
    }
    index
        .search(query, SUGGESTIONS)
        .iter()
        .map(Proposal::from_match)
        .collect()
}

fn submit(index: &Territory, query: &str) -> Submitted {
    if let Some(found) = index.communes_with_code(query) {
        let code: String = query.split_whitespace().collect();
        return match answer_code(&code, &found) {
            CodeAnswer::Go(p) => Submitted::Go(p),
            CodeAnswer::Ask(question, options) => Submitted::Ask(question, options),
            CodeAnswer::Unknown => Submitted::Unknown,
        };
    }
    let found = index.search(query, 2);
    match found.first() {
        Some(m)
            if found.len() == 1 || matches!(m.matched, MatchKind::ExactName | MatchKind::Code) =>
        {
            Submitted::Go(Proposal::from_match(m))
        }
        Some(_) => Submitted::Several,
        None => Submitted::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// The real COG territory, as the tools build it (`npm ci` provides the data).
    fn territory() -> &'static Territory {
        static T: OnceLock<Territory> = OnceLock::new();
        T.get_or_init(|| {
            catalogue::territory::build::load_for_tools(std::path::Path::new(env!(
                "CARGO_MANIFEST_DIR"
            )))
            .unwrap_or_else(|e| panic!("{e}"))
        })
    }

    fn go_to(submitted: Submitted) -> String {
        match submitted {
            Submitted::Go(p) => p.code,
            other => panic!("expected one commune, got {other:?}"),
        }
    }

    #[test]
    fn proposes_communes_with_their_postcode_and_departement() {
        let found = propose(territory(), "gien");
        assert_eq!(found[0].code, "45155");
        assert_eq!(found[0].name, "Gien");
        assert!(
            found[0].detail.starts_with("45500 — Loiret (45)"),
            "{:?}",
            found[0]
        );
        assert!(found.len() <= SUGGESTIONS);
        assert!(propose(territory(), "  ").is_empty());
    }

    #[test]
    fn a_submitted_name_or_code_goes_to_its_one_commune() {
        assert_eq!(go_to(submit(territory(), "Gien")), "45155");
        assert_eq!(go_to(submit(territory(), "45155")), "45155");
    }

    #[test]
    fn a_shared_code_asks_which_commune_and_a_vague_name_shows_the_list() {
        match submit(territory(), "45500") {
            Submitted::Ask(question, options) => {
                assert!(question.contains("45500"), "{question}");
                assert!(options.iter().any(|p| p.name == "Gien"));
                assert!(options.iter().any(|p| p.name == "Nevoy"));
            }
            other => panic!("45500 is shared: {other:?}"),
        }
        // The postcode of Trouville-sur-Mer and the INSEE code of Leffard.
        match submit(territory(), "14360") {
            Submitted::Ask(_, options) => {
                assert!(options.iter().any(|p| p.name == "Leffard"));
                assert!(options.iter().any(|p| p.name == "Trouville-sur-Mer"));
            }
            other => panic!("14360 is two things: {other:?}"),
        }
        assert_eq!(submit(territory(), "saint"), Submitted::Several);
        assert_eq!(submit(territory(), "zzzzqx"), Submitted::Unknown);
        assert_eq!(submit(territory(), "99999"), Submitted::Unknown);
    }

    #[test]
    fn the_reader_refuses_what_is_not_an_index() {
        assert!((code().read)("not an index\n").is_err());
    }
}
