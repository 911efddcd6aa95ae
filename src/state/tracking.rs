//! "Mes démarches": every demande from every member, fetched in parallel and kept up to date.
//!
//! Each provider is polled on its own, with its own timeout: a slow provider shows its rows as
//! pending, a provider that is down or answers garbage shows a notice with a retry — and never
//! delays the others. Polls send `If-None-Match`, so an unchanged provider answers `304` and costs
//! almost nothing; polling pauses while the tab is hidden. What changed since the citizen last
//! looked is computed against "seen" markers kept on the device (in memory on a kiosk).

use crate::auth::Auth;
use crate::providers::{Conditional, ProviderClient, ProviderError};
use crate::state::device::DeviceStore;
use crate::state::drafts::account_key;
use catalogue::Catalogue;
use contract::{DemandeList, DemandeSummary};
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::time::Duration;

/// How long one provider may take to list demandes before its rows are shown as failed.
pub const PROVIDER_TIMEOUT: Duration = Duration::from_secs(8);
/// How often demandes are refreshed while the tab is visible.
pub const POLL_EVERY: Duration = Duration::from_secs(30);

/// Where one provider stands.
#[derive(Clone, Debug, PartialEq)]
pub enum ProviderState {
    /// Asked, no answer yet (first load).
    Pending,
    Loaded {
        demandes: Vec<DemandeSummary>,
        etag: Option<String>,
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

/// A demande with the member it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub member: String,
    pub member_name: String,
    pub demande: DemandeSummary,
    /// Changed since the citizen last looked at it.
    pub changed: bool,
}

#[derive(Clone, Copy)]
pub struct Tracking {
    pub sources: RwSignal<Vec<Source>>,
    pub states: RwSignal<BTreeMap<String, ProviderState>>,
    /// Every loaded demande, sorted — computed once per change and shared by the dashboard, its
    /// filters and the header badge (with 20 providers answering one after the other, computing
    /// it once per answer instead of once per reader keeps each answer cheap to show).
    pub all_rows: Memo<Vec<Row>>,
    seen_version: RwSignal<u64>,
    client: ProviderClient,
    auth: Auth,
    store: DeviceStore,
    started: StoredValue<bool>,
}

pub fn provide_tracking(client: ProviderClient, auth: Auth, store: DeviceStore) -> Tracking {
    let sources = RwSignal::new(Vec::new());
    let states = RwSignal::new(BTreeMap::new());
    let seen_version = RwSignal::new(0);
    let inputs = RowInputs {
        sources,
        states,
        seen_version,
        auth,
        store,
    };
    let tracking = Tracking {
        sources,
        states,
        all_rows: Memo::new(move |_| inputs.rows()),
        seen_version,
        client,
        auth,
        store,
        started: StoredValue::new(false),
    };
    provide_context(tracking);
    tracking
}

/// What the list of rows is computed from.
#[derive(Clone, Copy)]
struct RowInputs {
    sources: RwSignal<Vec<Source>>,
    states: RwSignal<BTreeMap<String, ProviderState>>,
    seen_version: RwSignal<u64>,
    auth: Auth,
    store: DeviceStore,
}

fn seen_key(auth: Auth) -> Option<String> {
    Some(format!(
        "seen.{}",
        account_key(&auth.session.get_untracked()?.subject)
    ))
}

impl RowInputs {
    fn seen(&self) -> BTreeMap<String, String> {
        self.seen_version.track();
        seen_key(self.auth)
            .and_then(|k| self.store.get(&k))
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default()
    }

    /// Every loaded demande: action required first, then most recently updated.
    fn rows(&self) -> Vec<Row> {
        let seen = self.seen();
        let names: BTreeMap<String, String> = self.sources.with(|s| {
            s.iter()
                .map(|s| (s.member.clone(), s.name.clone()))
                .collect()
        });
        let mut rows: Vec<Row> = self.states.with(|states| {
            states
                .iter()
                .flat_map(|(member, state)| match state {
                    ProviderState::Loaded { demandes, .. } => demandes
                        .iter()
                        .map(|d| Row {
                            member: member.clone(),
                            member_name: names.get(member).cloned().unwrap_or_default(),
                            changed: seen
                                .get(&format!("{member}/{}", d.id))
                                .is_none_or(|at| *at < d.updated_at),
                            demande: d.clone(),
                        })
                        .collect::<Vec<_>>(),
                    _ => Vec::new(),
                })
                .collect()
        });
        sort_rows(&mut rows);
        rows
    }
}

pub fn expect_tracking() -> Tracking {
    expect_context::<Tracking>()
}

fn tab_visible() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

impl Tracking {
    /// The members to ask, from the catalogue.
    pub fn set_sources(&self, catalogue: &Catalogue) {
        let sources = catalogue
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
        self.sources.set(sources);
    }

    /// Starts polling (once per signed-in session).
    pub fn start(&self) {
        if self.started.get_value() {
            return;
        }
        self.started.set_value(true);
        self.refresh_all();
        let tracking = *self;
        leptos::task::spawn_local(async move {
            loop {
                gloo_timers_sleep(POLL_EVERY).await;
                if tracking.auth.session.get_untracked().is_none() {
                    tracking.started.set_value(false);
                    tracking.states.set(BTreeMap::new());
                    return;
                }
                if tab_visible() {
                    tracking.refresh_all();
                }
            }
        });
    }

    /// Asks every provider now, each independently.
    pub fn refresh_all(&self) {
        for source in self.sources.get_untracked() {
            self.refresh(&source.member);
        }
    }

    /// Asks one provider (used by "Réessayer").
    pub fn refresh(&self, member: &str) {
        let Some(source) = self
            .sources
            .with_untracked(|s| s.iter().find(|s| s.member == member).cloned())
        else {
            return;
        };
        let etag = self.states.with_untracked(|s| match s.get(member) {
            Some(ProviderState::Loaded { etag, .. }) => etag.clone(),
            _ => None,
        });
        if !self
            .states
            .with_untracked(|s| matches!(s.get(member), Some(ProviderState::Loaded { .. })))
        {
            self.states.update(|s| {
                s.insert(member.to_owned(), ProviderState::Pending);
            });
        }
        let tracking = *self;
        leptos::task::spawn_local(async move {
            let url = format!("{}/v1/demandes", source.api);
            let outcome = tracking
                .client
                .get_personal::<DemandeList>(&url, etag.as_deref(), PROVIDER_TIMEOUT)
                .await;
            tracking.states.update(|s| match outcome {
                Ok(Conditional::NotModified) => {}
                Ok(Conditional::Fresh { value, etag }) => {
                    s.insert(
                        source.member.clone(),
                        ProviderState::Loaded {
                            demandes: value.demandes,
                            etag,
                        },
                    );
                }
                Err(e) => {
                    s.insert(source.member.clone(), ProviderState::Failed(e));
                }
            });
        });
    }

    /// Marks a demande as seen at its current state.
    pub fn mark_seen(&self, member: &str, demande: &DemandeSummary) {
        let Some(key) = seen_key(self.auth) else {
            return;
        };
        let mut seen: BTreeMap<String, String> = self
            .store
            .get(&key)
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default();
        seen.insert(
            format!("{member}/{}", demande.id),
            demande.updated_at.clone(),
        );
        if let Ok(json) = serde_json::to_string(&seen) {
            // Not kept (storage full or disabled): the demande shows as new again next visit.
            let _ = self.store.set(&key, &json);
        }
        self.seen_version.update(|v| *v += 1);
    }

    /// How many demandes changed since last seen (the header badge).
    pub fn changed_count(&self) -> usize {
        self.all_rows
            .with(|rows| rows.iter().filter(|r| r.changed).count())
    }
}

/// Action required first, then most recently updated.
pub fn sort_rows(rows: &mut [Row]) {
    rows.sort_by(|a, b| {
        a.demande
            .status
            .bucket
            .urgency()
            .cmp(&b.demande.status.bucket.urgency())
            .then_with(|| b.demande.updated_at.cmp(&a.demande.updated_at))
    });
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
mod tests {
    use super::*;
    use contract::{StatusBucket, StatusEntry};

    fn row(id: &str, bucket: StatusBucket, updated: &str) -> Row {
        Row {
            member: "m".into(),
            member_name: "M".into(),
            changed: false,
            demande: DemandeSummary {
                id: id.into(),
                reference: id.into(),
                form_id: "f".into(),
                form_title: "F".into(),
                status: StatusEntry {
                    bucket,
                    label: "x".into(),
                    at: updated.into(),
                    comment: None,
                },
                created_at: updated.into(),
                updated_at: updated.into(),
                expected: vec![],
            },
        }
    }

    #[test]
    fn action_required_first_then_most_recent_finished_last() {
        let mut rows = vec![
            row("old-review", StatusBucket::InReview, "2026-01-01"),
            row("accepted", StatusBucket::Accepted, "2026-11-01"),
            row("action", StatusBucket::ActionRequired, "2025-06-01"),
            row("new-review", StatusBucket::Submitted, "2026-10-01"),
        ];
        sort_rows(&mut rows);
        let order: Vec<&str> = rows.iter().map(|r| r.demande.id.as_str()).collect();
        assert_eq!(order, ["action", "new-review", "old-review", "accepted"]);
    }
}
