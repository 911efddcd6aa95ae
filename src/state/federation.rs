//! The federation's catalogue, loaded progressively at start-up and shared by every page.
//!
//! `services.toml` is a static file next to the app, read within [`net::ROOT_CATALOGUE`]'s
//! deadline and byte cap and parsed from its bytes by the `catalogue` core crate (the same code as
//! the `catalogue check` CLI: same size limits, same diagnostics for a file that is not UTF-8). **The portal renders as soon as the root is parsed**: members who
//! publish their services in a fragment are fetched in parallel, each within
//! [`net::FRAGMENT`]'s deadline (over headers *and* body) and byte cap, and each fragment is
//! merged **as it arrives** — the search index and coverage follow. A fragment that is late,
//! stalled, too large, unreachable or invalid is reported for its member only ([`Fragments`]);
//! a member's host that sends headers and then nothing can no longer leave the portal blank.
//!
//! The merged catalogue lives in a `LocalResource` read through `Transition` + `ErrorBoundary`; it
//! changes only when a fragment adds services. Where each fragment stands is a separate signal,
//! so a fragment that fails rebuilds no page: only the notices that report it change.

use crate::i18n::texts;
use crate::net::{self, FetchError};
use catalogue::parse::{Locations, ParseOptions, parse_fragment_bytes, parse_root_bytes};
use catalogue::search::SearchIndex;
use catalogue::validate::merge_fragment;
use catalogue::values::UrlPolicy;
use catalogue::values::url::resolve;
use catalogue::{Catalogue, Diagnostic};
use futures::{FutureExt, StreamExt};
use leptos::prelude::*;
use std::fmt;
use std::sync::Arc;

/// Where the root catalogue is served, relative to the app.
pub const CATALOGUE_PATH: &str = "/services.toml";

/// What went wrong loading the root catalogue (the portal cannot work without it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    Fetch(FetchError),
    /// The file was fetched but is not a usable catalogue; each line is one diagnostic.
    Invalid(Vec<String>),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Fetch(e) => write!(f, "{e}"),
            LoadError::Invalid(_) => write!(f, "{}.", texts().errors.catalogue_invalid),
        }
    }
}

impl std::error::Error for LoadError {}

/// Why a member's own catalogue could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FragmentProblem {
    /// Not fetched: unreachable, too slow (headers or body), too large, refused.
    Unreachable(FetchError),
    /// Fetched, but (partly) invalid: each line is one diagnostic.
    Invalid(Vec<String>),
}

/// A member whose fragment was skipped (or partly skipped), shown discreetly to citizens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberProblem {
    pub member_id: String,
    pub member_name: String,
    pub problem: FragmentProblem,
}

/// Where the members' fragments stand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragments {
    /// Members whose fragment has not arrived yet: (id, name).
    pub pending: Vec<(String, String)>,
    /// Members whose fragment could not be (wholly) used, in catalogue order.
    pub problems: Vec<MemberProblem>,
}

/// The federation as merged so far.
#[derive(Debug)]
pub struct Federation {
    pub catalogue: Catalogue,
    pub search: SearchIndex,
    /// Origins a bearer token may be sent to (provider APIs and the issuer).
    pub token_origins: Vec<String>,
}

/// Handle to the federation, provided at the root of the app.
#[derive(Clone, Copy)]
pub struct FederationContext {
    /// The catalogue: resolves once the root is parsed, then changes as fragments add services.
    pub resource: LocalResource<Result<Arc<Federation>, LoadError>>,
    /// Where each member's fragment stands (changes without rebuilding pages).
    pub fragments: RwSignal<Fragments>,
}

impl FederationContext {
    /// Whether `member`'s fragment is still awaited (tracks the fragments' state).
    pub fn is_pending(&self, member: &str) -> bool {
        self.fragments
            .with(|f| f.pending.iter().any(|(id, _)| id == member))
    }

    /// What went wrong with `member`'s fragment, if anything (tracks the fragments' state).
    pub fn problem_of(&self, member: &str) -> Option<MemberProblem> {
        self.fragments
            .with(|f| f.problems.iter().find(|p| p.member_id == member).cloned())
    }
}

pub fn provide_federation() -> FederationContext {
    let latest = RwSignal::new(None::<Arc<Federation>>);
    let fragments = RwSignal::new(Fragments::default());
    let resource = LocalResource::new(move || {
        let now = latest.get();
        async move {
            match now {
                Some(federation) => Ok(federation),
                None => crate::lazy::start::load_federation(latest, fragments).await,
            }
        }
    });
    let context = FederationContext {
        resource,
        fragments,
    };
    provide_context(context);
    context
}

pub fn expect_federation() -> FederationContext {
    expect_context::<FederationContext>()
}

/// `http://localhost` and `http://127.0.0.1` links are accepted only when the portal itself runs
/// there (a demo or a test); a portal served over HTTPS accepts HTTPS only.
pub fn url_policy() -> UrlPolicy {
    let origin = crate::browser::current_origin();
    if origin.starts_with("http://localhost") || origin.starts_with("http://127.0.0.1") {
        UrlPolicy::Development
    } else {
        UrlPolicy::Production
    }
}

fn lines(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics.iter().map(ToString::to_string).collect()
}

/// The catalogue being merged, with what merging needs.
struct Merging {
    catalogue: Catalogue,
    locations: Locations,
    /// Services declared in the root itself (they keep their place, first).
    root_services: usize,
    token_origins: Vec<String>,
}

impl Merging {
    fn snapshot(&self) -> Arc<Federation> {
        Arc::new(Federation {
            catalogue: self.catalogue.clone(),
            search: SearchIndex::build(&self.catalogue.services),
            token_origins: self.token_origins.clone(),
        })
    }

    /// Merges one member's fetched fragment; what went wrong with it, if anything.
    fn merge(
        &mut self,
        member_id: &str,
        url: &str,
        fetched: Result<Vec<u8>, FetchError>,
        options: ParseOptions,
    ) -> Option<MemberProblem> {
        let problem = match fetched {
            Err(e) => FragmentProblem::Unreachable(e),
            Ok(bytes) => {
                let parsed = parse_fragment_bytes(url, &bytes, member_id, options);
                let diagnostics = merge_fragment(&mut self.catalogue, &mut self.locations, parsed);
                if diagnostics.is_empty() {
                    return None;
                }
                FragmentProblem::Invalid(lines(&diagnostics))
            }
        };
        Some(MemberProblem {
            member_id: member_id.to_owned(),
            member_name: self
                .catalogue
                .member(member_id)
                .map(|m| m.name.fr.clone())
                .unwrap_or_default(),
            problem,
        })
    }

    /// Fragments' services in member order, whatever order they arrived in.
    fn order(&mut self) {
        let members: Vec<String> = self
            .catalogue
            .members
            .iter()
            .map(|m| m.id.clone())
            .collect();
        let rank = |member: &str| members.iter().position(|m| m == member);
        if let Some(tail) = self.catalogue.services.get_mut(self.root_services..) {
            tail.sort_by_key(|s| rank(&s.member));
        }
    }
}

/// Fetches and parses the root, starts fetching the fragments, and returns the root's federation.
/// Called through `lazy::start` (this code is downloaded apart from the first page's).
pub(crate) async fn load_root(
    latest: RwSignal<Option<Arc<Federation>>>,
    fragments: RwSignal<Fragments>,
) -> Result<Arc<Federation>, LoadError> {
    let options = ParseOptions {
        policy: url_policy(),
    };
    let bytes = net::get_bytes(CATALOGUE_PATH, net::ROOT_CATALOGUE)
        .await
        .map_err(LoadError::Fetch)?;
    let parsed = parse_root_bytes("services.toml", &bytes, options);
    let Some(catalogue) = parsed.value else {
        return Err(LoadError::Invalid(lines(&parsed.diagnostics)));
    };
    for d in &parsed.diagnostics {
        web_sys::console::warn_1(&format!("catalogue: {d}").into());
    }
    let mut token_origins = catalogue.declared_api_origins();
    if let Some(issuer) = catalogue
        .federation
        .identity
        .as_ref()
        .map(|i| i.issuer.origin())
    {
        token_origins.push(issuer);
    }
    let merging = Merging {
        root_services: catalogue.services.len(),
        catalogue,
        locations: parsed.locations,
        token_origins,
    };
    let first = merging.snapshot();
    let root_url = format!("{}{CATALOGUE_PATH}", crate::browser::current_origin());
    let with_fragment = || {
        merging
            .catalogue
            .members
            .iter()
            .filter(|m| m.fragment.is_some())
    };
    let wanted: Vec<(String, String)> = with_fragment()
        .filter_map(|m| Some((m.id.clone(), resolve(&root_url, m.fragment.as_ref()?))))
        .collect();
    fragments.set(Fragments {
        pending: with_fragment()
            .map(|m| (m.id.clone(), m.name.fr.clone()))
            .collect(),
        problems: Vec::new(),
    });
    if !wanted.is_empty() {
        leptos::task::spawn_local(merge_fragments(merging, wanted, options, latest, fragments));
    }
    Ok(first)
}

/// Merges fragments as they arrive; those arriving together are merged and published at once.
async fn merge_fragments(
    mut merging: Merging,
    wanted: Vec<(String, String)>,
    options: ParseOptions,
    latest: RwSignal<Option<Arc<Federation>>>,
    fragments: RwSignal<Fragments>,
) {
    let mut arriving: futures::stream::FuturesUnordered<_> = wanted
        .into_iter()
        .map(|(member, url)| async move {
            let outcome = net::get_bytes(&url, net::FRAGMENT).await;
            (member, url, outcome)
        })
        .collect();
    while let Some(first) = arriving.next().await {
        let mut batch = vec![first];
        while let Some(Some(more)) = arriving.next().now_or_never() {
            batch.push(more);
        }
        let before = merging.catalogue.services.len();
        let mut problems = Vec::new();
        let mut arrived = Vec::new();
        for (member_id, url, outcome) in batch {
            if let Some(problem) = merging.merge(&member_id, &url, outcome, options) {
                web_sys::console::warn_1(
                    &format!("catalogue fragment of {member_id}: {:?}", problem.problem).into(),
                );
                problems.push(problem);
            }
            arrived.push(member_id);
        }
        if merging.catalogue.services.len() > before {
            merging.order();
            latest.set(Some(merging.snapshot()));
        }
        let members = &merging.catalogue.members;
        fragments.update(|f| {
            f.pending.retain(|(id, _)| !arrived.contains(id));
            f.problems.extend(problems);
            f.problems
                .sort_by_key(|p| members.iter().position(|m| m.id == p.member_id));
        });
    }
}

#[cfg(test)]
mod tests;
