//! The federation's catalogue, loaded once at start-up and shared by every page.
//!
//! `services.toml` is a static file next to the app. It is fetched with a timeout, parsed and
//! validated by the `catalogue` core crate (the same code as the `catalogue check` CLI), and kept in
//! a `LocalResource` that pages read through `Transition` + `ErrorBoundary`.

use crate::i18n::texts;
use crate::net::{self, FetchError};
use leptos::prelude::*;
use std::fmt;
use std::sync::Arc;

/// Where the root catalogue is served, relative to the app.
pub const CATALOGUE_URL: &str = "/services.toml";

/// What went wrong loading the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    Fetch(FetchError),
    /// The file was fetched but is not a valid catalogue; each line is one diagnostic.
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

/// The loaded federation.
#[derive(Debug)]
pub struct Federation {
    pub members: usize,
    pub services: usize,
    pub online_services: usize,
}

/// Handle to the federation resource, provided at the root of the app.
#[derive(Clone, Copy)]
pub struct FederationContext {
    pub resource: LocalResource<Result<Arc<Federation>, LoadError>>,
}

pub fn provide_federation() {
    let resource = LocalResource::new(load);
    provide_context(FederationContext { resource });
}

pub fn expect_federation() -> FederationContext {
    expect_context::<FederationContext>()
}

async fn load() -> Result<Arc<Federation>, LoadError> {
    let text = net::get_text(CATALOGUE_URL, net::DEFAULT_TIMEOUT)
        .await
        .map_err(LoadError::Fetch)?;
    summarise(&text).map(Arc::new)
}

// Provisional: replaced by the catalogue crate's parser as soon as it lands (issue 3).
fn summarise(text: &str) -> Result<Federation, LoadError> {
    let count = |header: &str| text.lines().filter(|l| l.trim() == header).count();
    if !text.contains("[federation]") {
        return Err(LoadError::Invalid(vec!["missing [federation]".into()]));
    }
    Ok(Federation {
        members: count("[[member]]"),
        services: count("[[service]]"),
        online_services: 0,
    })
}
