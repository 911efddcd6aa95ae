//! "Mes démarches": every demande from every member, fetched in parallel and kept up to date.
//!
//! Each provider is polled on its own, within its own deadline and byte cap: a slow provider shows
//! its rows as pending, a provider that is down, too slow, too large or answers garbage shows a
//! notice with a retry — and never delays the others. **At most one request per provider is in
//! flight**: a poll that finds one running is skipped, so a stalled provider can never pile up
//! requests; a write asks for one more round once the running one ends (it may have left before the
//! write). Polls send `If-None-Match`, so an unchanged provider answers `304` and costs almost
//! nothing; polling pauses while the tab is hidden. Lists are decoded row by row: a bad row is
//! dropped and counted, never the whole list.
//!
//! **Never behind the citizen**: a demande the citizen just sent is listed at once, from the
//! provider's own answer ([`Tracking::record_written`]), and stays listed until the provider's list
//! has it; a reply asks that provider again ([`Tracking::record_reply`]); a demande opened shows its
//! fresh state in the list ([`Tracking::record_read`]); opening Mes démarches asks again every
//! provider whose answer is older than [`STALE_AFTER`]. What changed since the citizen last looked
//! is computed against "seen" markers kept on the device (in memory on a kiosk).

use crate::auth::Auth;
use crate::providers::{Conditional, ProviderClient, ProviderError, decode, endpoint, limits};
use crate::state::device::DeviceStore;
use catalogue::Catalogue;
use contract::DemandeSummary;
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::time::Duration;

mod rows;

pub use rows::{Row, Written, in_bucket};
use rows::{is_stale, prune_written, rows, upsert};

/// How often demandes are refreshed while the tab is visible.
pub const POLL_EVERY: Duration = Duration::from_secs(30);
/// Opening Mes démarches asks again every provider whose last answer is older than this.
pub const STALE_AFTER: Duration = Duration::from_secs(5);
/// How long a demande just sent stays listed while the provider's list does not have it yet.
pub const WRITTEN_GRACE: Duration = Duration::from_secs(120);

/// Where one provider stands.
#[derive(Clone, Debug, PartialEq)]
pub enum ProviderState {
    /// Asked, no answer yet (first load).
    Pending,
    Loaded {
        demandes: Vec<DemandeSummary>,
        etag: Option<String>,
        /// Rows of the provider's answer that could not be read (not following the contract).
        dropped: usize,
    },
    Failed(ProviderError),
}

/// One member of the federation with a provider API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub member: String,
    pub name: String,
    pub api: String,
}

/// A provider's fresh list and its ETag (`None` from [`Tracking::fetch`]: not modified).
type Listed = (decode::Tolerant<DemandeSummary>, Option<String>);

/// What drives no view: whether a request is running, when the last answer came.
#[derive(Clone, Debug, Default)]
struct Exchange {
    in_flight: bool,
    /// A write happened while a request was running: ask once more when it ends.
    again: bool,
    answered_at: Option<f64>,
}

#[derive(Clone, Copy)]
pub struct Tracking {
    pub sources: RwSignal<Vec<Source>>,
    pub states: RwSignal<BTreeMap<String, ProviderState>>,
    /// Demandes just sent, per member, until the provider lists them.
    pub written: RwSignal<BTreeMap<String, Vec<Written>>>,
    /// Every demande to show, sorted — computed once per change and shared by the dashboard, its
    /// filters and the header badge (with 20 providers answering one after the other, computing
    /// it once per answer instead of once per reader keeps each answer cheap to show).
    pub all_rows: Memo<Vec<Row>>,
    /// The "seen" markers of the signed-in citizen (`member/id` → the state they last saw), read
    /// from the device when polling starts: the markers' JSON is read and written by the polling
    /// and page code, never by the first page's.
    seen: RwSignal<BTreeMap<String, String>>,
    exchanges: StoredValue<BTreeMap<String, Exchange>>,
    /// Bumped when the session ends: answers to requests of an earlier session are ignored.
    generation: StoredValue<u64>,
    client: ProviderClient,
    auth: Auth,
    store: DeviceStore,
    started: StoredValue<bool>,
}

pub fn provide_tracking(client: ProviderClient, auth: Auth, store: DeviceStore) -> Tracking {
    let sources = RwSignal::new(Vec::new());
    let states = RwSignal::new(BTreeMap::new());
    let written = RwSignal::new(BTreeMap::new());
    let seen = RwSignal::new(BTreeMap::new());
    let all_rows = Memo::new(move |_| {
        let names: BTreeMap<String, String> = sources.with(|s: &Vec<Source>| {
            s.iter()
                .map(|s| (s.member.clone(), s.name.clone()))
                .collect()
        });
        states.with(|states| {
            written.with(|written| seen.with(|seen| rows(states, written, &names, seen)))
        })
    });
    let tracking = Tracking {
        sources,
        states,
        written,
        all_rows,
        seen,
        exchanges: StoredValue::new(BTreeMap::new()),
        generation: StoredValue::new(0),
        client,
        auth,
        store,
        started: StoredValue::new(false),
    };
    provide_context(tracking);
    tracking
}

pub fn expect_tracking() -> Tracking {
    expect_context::<Tracking>()
}

fn seen_key(auth: Auth) -> Option<String> {
    Some(format!("seen.{}", auth.session.get_untracked()?.account))
}

fn read_seen(auth: Auth, store: DeviceStore) -> BTreeMap<String, String> {
    seen_key(auth)
        .and_then(|k| store.get(&k))
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default()
}

fn tab_visible() -> bool {
    crate::browser::tab_visible()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Tracking {
    /// The members to ask, from the catalogue.
    pub fn set_sources(&self, catalogue: &Catalogue) {
        let sources: Vec<Source> = catalogue
            .members
            .iter()
            .filter_map(|m| {
                m.api.as_ref().map(|api| Source {
                    member: m.id.clone(),
                    name: m.name.fr.clone(),
                    api: api.as_str().trim_end_matches('/').to_owned(),
                })
            })
            .collect();
        if self.sources.with_untracked(|s| *s != sources) {
            self.sources.set(sources);
        }
    }

    /// Starts polling (once per signed-in session).
    pub fn start(&self) {
        if self.started.get_value() {
            return;
        }
        self.started.set_value(true);
        self.seen.set(read_seen(self.auth, self.store));
        self.refresh_all();
        let tracking = *self;
        leptos::task::spawn_local(async move {
            loop {
                gloo_timers_sleep(POLL_EVERY).await;
                if tracking.auth.session.get_untracked().is_none() {
                    tracking.forget();
                    return;
                }
                if tab_visible() {
                    tracking.refresh_all();
                }
            }
        });
    }

    /// The session ended: nothing of it stays, and answers still on their way are ignored.
    fn forget(&self) {
        self.generation.update_value(|g| *g += 1);
        self.started.set_value(false);
        self.exchanges.set_value(BTreeMap::new());
        self.states.set(BTreeMap::new());
        self.written.set(BTreeMap::new());
        self.seen.set(BTreeMap::new());
    }

    /// Asks every provider now, each independently (those already being asked are left alone).
    pub fn refresh_all(&self) {
        for source in self.sources.get_untracked() {
            self.ask(&source.member, false);
        }
    }

    /// Asks every provider whose last answer is older than [`STALE_AFTER`] (opening the page).
    pub fn refresh_stale(&self) {
        let now = now_ms();
        for source in self.sources.get_untracked() {
            let answered = self
                .exchanges
                .with_value(|e| e.get(&source.member).and_then(|x| x.answered_at));
            if is_stale(answered, now, STALE_AFTER) {
                self.ask(&source.member, false);
            }
        }
    }

    /// Asks one provider (used by "Réessayer"); nothing if a request to it is running.
    pub fn refresh(&self, member: &str) {
        self.ask(member, false);
    }

    /// A demande the citizen just sent, from the provider's answer: listed at once (and marked
    /// seen: the citizen knows about it), kept listed until the provider's list has it, and that
    /// provider asked again.
    pub fn record_written(&self, member: &str, summary: DemandeSummary) {
        self.mark_seen(member, &summary);
        let now = now_ms();
        self.written.update(|w| {
            let list = w.entry(member.to_owned()).or_default();
            list.retain(|x| x.summary.id != summary.id);
            list.push(Written { summary, at: now });
        });
        self.ask(member, true);
    }

    /// A reply the citizen just sent to one of `member`'s demandes: that provider is asked again
    /// at once (its answer is a message; the demande's new state comes with the list).
    pub fn record_reply(&self, member: &str) {
        self.ask(member, true);
    }

    /// A demande the citizen opened: the list shows the state they just saw, marked seen.
    pub fn record_read(&self, member: &str, summary: &DemandeSummary) {
        self.states.update(|s| {
            if let Some(ProviderState::Loaded { demandes, .. }) = s.get_mut(member) {
                upsert(demandes, summary);
            }
        });
        self.mark_seen(member, summary);
    }

    /// Starts a request to `member`'s provider unless one is running; `after_write` asks for one
    /// more round when the running one ends.
    fn ask(&self, member: &str, after_write: bool) {
        let Some(source) = self
            .sources
            .with_untracked(|s| s.iter().find(|s| s.member == member).cloned())
        else {
            return;
        };
        let busy = self
            .exchanges
            .try_update_value(|e| {
                let x = e.entry(member.to_owned()).or_default();
                if x.in_flight {
                    x.again |= after_write;
                    true
                } else {
                    x.in_flight = true;
                    false
                }
            })
            .unwrap_or(true);
        if busy {
            return;
        }
        let (loaded, etag) = self.states.with_untracked(|s| match s.get(member) {
            Some(ProviderState::Loaded { etag, .. }) => (true, etag.clone()),
            _ => (false, None),
        });
        if !loaded {
            self.states.update(|s| {
                s.insert(member.to_owned(), ProviderState::Pending);
            });
        }
        let tracking = *self;
        let generation = self.generation.get_value();
        leptos::task::spawn_local(async move {
            let outcome = tracking.fetch(&source.api, etag.as_deref()).await;
            if tracking.generation.get_value() != generation {
                return;
            }
            tracking.settle(&source.member, outcome);
        });
    }

    async fn fetch(&self, api: &str, etag: Option<&str>) -> Result<Option<Listed>, ProviderError> {
        match self
            .client
            .get_conditional(&endpoint::demandes(api), etag, limits::LIST)
            .await?
        {
            Conditional::NotModified => Ok(None),
            Conditional::Fresh { value, etag } => Ok(Some((decode::demande_list(&value)?, etag))),
        }
    }

    /// Records a provider's answer, and asks again if a write happened meanwhile.
    fn settle(&self, member: &str, outcome: Result<Option<Listed>, ProviderError>) {
        let now = now_ms();
        let again = self
            .exchanges
            .try_update_value(|e| {
                let x = e.entry(member.to_owned()).or_default();
                x.in_flight = false;
                x.answered_at = Some(now);
                std::mem::take(&mut x.again)
            })
            .unwrap_or(false);
        match outcome {
            Ok(None) => {}
            Ok(Some((list, etag))) => {
                self.written.update(|w| {
                    if let Some(mine) = w.get_mut(member) {
                        prune_written(mine, &list.rows, now);
                    }
                });
                self.states.update(|s| {
                    s.insert(
                        member.to_owned(),
                        ProviderState::Loaded {
                            demandes: list.rows,
                            etag,
                            dropped: list.dropped,
                        },
                    );
                });
            }
            Err(e) => self.states.update(|s| {
                s.insert(member.to_owned(), ProviderState::Failed(e));
            }),
        }
        if again {
            self.ask(member, false);
        }
    }

    /// Marks a demande as seen at its current state.
    pub fn mark_seen(&self, member: &str, demande: &DemandeSummary) {
        let Some(key) = seen_key(self.auth) else {
            return;
        };
        let mut seen = read_seen(self.auth, self.store);
        seen.insert(
            format!("{member}/{}", demande.id),
            demande.updated_at.clone(),
        );
        if let Ok(json) = serde_json::to_string(&seen) {
            // Not kept (storage full or disabled): the demande shows as new again next visit.
            let _ = self.store.set(&key, &json);
        }
        self.seen.set(seen);
    }

    /// How many demandes changed since last seen (the header badge).
    pub fn changed_count(&self) -> usize {
        self.all_rows
            .with(|rows| rows.iter().filter(|r| r.changed).count())
    }
}

/// Sleeps without blocking the page.
pub async fn gloo_timers_sleep(duration: Duration) {
    let (tx, rx) = futures::channel::oneshot::channel::<()>();
    let _ = leptos::prelude::set_timeout_with_handle(
        move || {
            let _ = tx.send(());
        },
        duration,
    );
    let _ = rx.await;
}

#[cfg(test)]
mod tests;
