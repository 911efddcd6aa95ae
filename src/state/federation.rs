//! The federation's catalogue, loaded once at start-up and shared by every page.
//!
//! `services.toml` is a static file next to the app. It is fetched with a timeout and parsed by
//! the `catalogue` core crate (the same code as the `catalogue check` CLI). Members that publish
//! their services in a fragment are then fetched **in parallel**, each with its own timeout; a
//! fragment that is unreachable or invalid is reported for that member only and skipped — the
//! rest of the portal works. The result lives in a `LocalResource` read through `Transition` +
//! `ErrorBoundary`.

use crate::i18n::texts;
use crate::net::{self, FetchError};
use catalogue::parse::{ParseOptions, parse_fragment, parse_root};
use catalogue::search::SearchIndex;
use catalogue::validate::merge_fragment;
use catalogue::values::UrlPolicy;
use catalogue::values::url::resolve;
use catalogue::{Catalogue, Diagnostic};
use leptos::prelude::*;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Where the root catalogue is served, relative to the app.
pub const CATALOGUE_PATH: &str = "/services.toml";

/// How long one member's fragment may take before it is reported as unreachable.
pub const FRAGMENT_TIMEOUT: Duration = Duration::from_secs(5);

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
    Unreachable(FetchError),
    Invalid(Vec<String>),
}

/// A member whose fragment was skipped (or partly skipped), shown discreetly to citizens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberProblem {
    pub member_id: String,
    pub member_name: String,
    pub problem: FragmentProblem,
}

/// The loaded federation.
#[derive(Debug)]
pub struct Federation {
    pub catalogue: Catalogue,
    pub search: SearchIndex,
    pub problems: Vec<MemberProblem>,
    /// Origins a bearer token may be sent to (provider APIs and the issuer).
    pub token_origins: Vec<String>,
}

/// Handle to the federation resource, provided at the root of the app.
#[derive(Clone, Copy)]
pub struct FederationContext {
    pub resource: LocalResource<Result<Arc<Federation>, LoadError>>,
}

pub fn provide_federation() -> FederationContext {
    let context = FederationContext {
        resource: LocalResource::new(load),
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
    let origin = crate::auth::session::current_origin();
    if origin.starts_with("http://localhost") || origin.starts_with("http://127.0.0.1") {
        UrlPolicy::Development
    } else {
        UrlPolicy::Production
    }
}

fn lines(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics.iter().map(ToString::to_string).collect()
}

async fn load() -> Result<Arc<Federation>, LoadError> {
    let options = ParseOptions {
        policy: url_policy(),
    };
    let root_url = format!("{}{CATALOGUE_PATH}", crate::auth::session::current_origin());
    let text = net::get_text(CATALOGUE_PATH, net::DEFAULT_TIMEOUT)
        .await
        .map_err(LoadError::Fetch)?;
    let parsed = parse_root("services.toml", &text, options);
    let Some(mut catalogue) = parsed.value else {
        return Err(LoadError::Invalid(lines(&parsed.diagnostics)));
    };
    let mut locations = parsed.locations;
    for d in &parsed.diagnostics {
        web_sys::console::warn_1(&format!("catalogue: {d}").into());
    }

    let fetches = catalogue.members.iter().filter_map(|member| {
        let reference = member.fragment.as_ref()?;
        let url = resolve(&root_url, reference);
        let member_id = member.id.clone();
        Some(async move {
            let outcome = net::get_text(&url, FRAGMENT_TIMEOUT).await;
            (member_id, url, outcome)
        })
    });
    let fetched = futures::future::join_all(fetches).await;

    let mut problems = Vec::new();
    for (member_id, url, outcome) in fetched {
        let member_name = catalogue
            .member(&member_id)
            .map(|m| m.name.fr.clone())
            .unwrap_or_default();
        let problem = match outcome {
            Err(e) => Some(FragmentProblem::Unreachable(e)),
            Ok(text) => {
                let parsed = parse_fragment(&url, &text, &member_id, options);
                let diagnostics = merge_fragment(&mut catalogue, &mut locations, parsed);
                (!diagnostics.is_empty()).then(|| FragmentProblem::Invalid(lines(&diagnostics)))
            }
        };
        if let Some(problem) = problem {
            web_sys::console::warn_1(
                &format!("catalogue fragment of {member_id}: {problem:?}").into(),
            );
            problems.push(MemberProblem {
                member_id,
                member_name,
                problem,
            });
        }
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
    let search = SearchIndex::build(&catalogue.services);
    Ok(Arc::new(Federation {
        catalogue,
        search,
        problems,
        token_origins,
    }))
}
