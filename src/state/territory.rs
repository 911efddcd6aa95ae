//! Where the citizen lives: the official territory index (loaded only when needed) and their
//! chosen commune (remembered on this device, in memory only on a kiosk).
//!
//! The index is large (every commune of France), so it is never part of the first page: it is
//! fetched the first time a citizen starts typing their commune, or opens a commune's page —
//! together with the code that reads and searches it ([`finder`], its own chunk).

use crate::net::{self, FetchError};
use crate::state::device::DeviceStore;
use catalogue::Territory;
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

pub mod finder;

use finder::{Proposal, Submitted, TerritoryCode};

pub const INDEX_PATH: &str = "/data/territory.idx";
const CHOSEN_KEY: &str = "commune";

/// The index may take a while on a slow connection (360 KB compressed, 1.3 MB as read); the cap
/// leaves room for growth and stops a broken or hostile host from filling a phone's memory.
const INDEX_LIMITS: net::Limits = net::Limits::new(Duration::from_secs(45), 8 * 1024 * 1024);

/// The commune a citizen chose, with its name so the header can show it without the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChosenCommune {
    pub code: String,
    pub name: String,
}

impl ChosenCommune {
    fn encode(&self) -> String {
        format!("{}\t{}", self.code, self.name)
    }

    fn decode(text: &str) -> Option<Self> {
        let (code, name) = text.split_once('\t')?;
        Some(ChosenCommune {
            code: code.to_owned(),
            name: name.to_owned(),
        })
    }
}

/// Where loading the index stands.
#[derive(Clone, Debug, Default)]
pub enum IndexState {
    /// Nobody needed it yet.
    #[default]
    Idle,
    Loading,
    Ready(Arc<Territory>),
    Failed(FetchError),
}

/// The territory context. The index is a plain signal filled by a background task, not a
/// resource: reading it must not suspend the page around the commune field while it loads.
#[derive(Clone, Copy)]
pub struct TerritoryContext {
    pub index: RwSignal<IndexState>,
    /// The chosen commune.
    pub chosen: RwSignal<Option<ChosenCommune>>,
    /// The reader and search, set (from their chunk) before `index` becomes `Ready`.
    code: StoredValue<Option<TerritoryCode>>,
    store: DeviceStore,
}

pub fn provide_territory(store: DeviceStore) -> TerritoryContext {
    let context = TerritoryContext {
        index: RwSignal::new(IndexState::Idle),
        chosen: RwSignal::new(
            store
                .get(CHOSEN_KEY)
                .as_deref()
                .and_then(ChosenCommune::decode),
        ),
        code: StoredValue::new(None),
        store,
    };
    provide_context(context);
    context
}

pub fn expect_territory() -> TerritoryContext {
    expect_context::<TerritoryContext>()
}

/// The index and the code to read it, downloaded side by side; a chunk that cannot be downloaded
/// is reported like an index that cannot: the network failed.
async fn load() -> Result<(Arc<Territory>, TerritoryCode), FetchError> {
    let (text, code) = futures::join!(
        net::get_text(INDEX_PATH, INDEX_LIMITS),
        crate::lazy::start::territory_code()
    );
    let code = code.map_err(|_| FetchError::Unreachable)?;
    let territory = (code.read)(&text?).map_err(|e| FetchError::Undecodable(e.to_string()))?;
    Ok((Arc::new(territory), code))
}

impl TerritoryContext {
    /// Starts loading the index, once (again after a failure).
    pub fn want(&self) {
        if matches!(
            self.index.get_untracked(),
            IndexState::Idle | IndexState::Failed(_)
        ) {
            self.index.set(IndexState::Loading);
            let (index, code) = (self.index, self.code);
            leptos::task::spawn_local(async move {
                index.set(match load().await {
                    Ok((territory, functions)) => {
                        code.set_value(Some(functions));
                        IndexState::Ready(territory)
                    }
                    Err(e) => IndexState::Failed(e),
                });
            });
        }
    }

    /// The loaded index, if it is there (tracks the state).
    pub fn loaded(&self) -> Option<Arc<Territory>> {
        match self.index.get() {
            IndexState::Ready(t) => Some(t),
            _ => None,
        }
    }

    /// The communes to propose for `query` (none until the index is loaded; tracks the state).
    pub fn propose(&self, query: &str) -> Vec<Proposal> {
        match (self.loaded(), self.code.get_value()) {
            (Some(index), Some(code)) => (code.propose)(&index, query),
            _ => Vec::new(),
        }
    }

    /// What a submitted text designates, or `None` while the index is not loaded.
    pub fn submit(&self, query: &str) -> Option<Submitted> {
        let index = self.loaded_untracked()?;
        let code = self.code.get_value()?;
        Some((code.submit)(&index, query))
    }

    fn loaded_untracked(&self) -> Option<Arc<Territory>> {
        match self.index.get_untracked() {
            IndexState::Ready(t) => Some(t),
            _ => None,
        }
    }

    /// The loading error, if loading failed.
    pub fn failure(&self) -> Option<FetchError> {
        match self.index.get() {
            IndexState::Failed(e) => Some(e),
            _ => None,
        }
    }

    /// Remembers the citizen's commune (on this device, unless it is a kiosk).
    pub fn choose(&self, commune: ChosenCommune) {
        // Not kept (storage full or disabled): the choice holds for this visit, and the commune
        // is asked again next time — nothing the citizen typed is lost.
        let _ = self.store.set(CHOSEN_KEY, &commune.encode());
        self.chosen.set(Some(commune));
    }
}
