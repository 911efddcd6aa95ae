//! The rows of Mes démarches, computed from the providers' lists and what the citizen just sent —
//! pure functions, unit-tested natively (`tracking/tests.rs`).

use super::{ProviderState, WRITTEN_GRACE};
use contract::{DemandeSummary, StatusBucket};
use std::collections::BTreeMap;
use std::time::Duration;

/// A demande with the member it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub member: String,
    pub member_name: String,
    pub demande: DemandeSummary,
    /// Changed since the citizen last looked at it.
    pub changed: bool,
}

/// A demande the citizen just sent, as the provider's answer described it.
#[derive(Clone, Debug, PartialEq)]
pub struct Written {
    pub summary: DemandeSummary,
    /// When it was recorded (ms since the epoch).
    pub at: f64,
}

/// Every demande to show: each provider's list, plus what was just sent and is not in it yet;
/// action required first, then most recently updated.
pub(super) fn rows(
    states: &BTreeMap<String, ProviderState>,
    written: &BTreeMap<String, Vec<Written>>,
    names: &BTreeMap<String, String>,
    seen: &BTreeMap<String, String>,
) -> Vec<Row> {
    let members = states.keys().chain(written.keys());
    let mut done: Vec<&String> = Vec::new();
    let mut rows = Vec::new();
    for member in members {
        if done.contains(&member) {
            continue;
        }
        done.push(member);
        let listed: &[DemandeSummary] = match states.get(member) {
            Some(ProviderState::Loaded { demandes, .. }) => demandes,
            _ => &[],
        };
        let just_sent = written
            .get(member)
            .into_iter()
            .flatten()
            .map(|w| &w.summary)
            .filter(|w| listed.iter().all(|d| d.id != w.id));
        for d in listed.iter().chain(just_sent) {
            rows.push(Row {
                member: member.clone(),
                member_name: names.get(member).cloned().unwrap_or_default(),
                changed: seen
                    .get(&format!("{member}/{}", d.id))
                    .is_none_or(|at| *at < d.updated_at),
                demande: d.clone(),
            });
        }
    }
    sort_rows(&mut rows);
    rows
}

/// Replaces the demande with the same id, if listed.
pub(super) fn upsert(list: &mut [DemandeSummary], summary: &DemandeSummary) {
    if let Some(found) = list.iter_mut().find(|d| d.id == summary.id) {
        *found = summary.clone();
    }
}

/// Forgets what the provider now lists, and what has waited longer than [`WRITTEN_GRACE`].
pub(super) fn prune_written(written: &mut Vec<Written>, listed: &[DemandeSummary], now: f64) {
    let grace = WRITTEN_GRACE.as_millis() as f64;
    written.retain(|w| now - w.at < grace && listed.iter().all(|d| d.id != w.summary.id));
}

/// Whether an answer received at `answered` (ms) is older than `max` at `now` (never: stale).
pub(super) fn is_stale(answered: Option<f64>, now: f64, max: Duration) -> bool {
    answered.is_none_or(|at| now - at >= max.as_millis() as f64)
}

/// Whether a row belongs under a status filter: a bucket this version does not know is shown,
/// and filtered, as in progress.
pub fn in_bucket(row: StatusBucket, filter: StatusBucket) -> bool {
    let shown = |b| match b {
        StatusBucket::Unknown => StatusBucket::InReview,
        b => b,
    };
    shown(row) == shown(filter)
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
