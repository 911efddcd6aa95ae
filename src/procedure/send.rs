//! The one idempotent send path of submissions and replies: an attempt, then — when its outcome
//! is unknown — the question to the provider, with the write's state saved at each step (see
//! [`super::outcome`] for the rules).
//!
//! A write is not aborted when the citizen leaves the page: what they wanted is for it to arrive.
//! Its draft, saved as "outcome unknown" before the attempt left, makes the next visit ask the
//! provider; the code below only stops touching the page's state once that page is gone.

use super::outcome::{Attempt, Lookup, Next, Write};
use crate::providers::{Conditional, ProviderClient, ProviderError, endpoint, limits};
use contract::{IdempotencyRecord, WriteKind};
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// How long to wait before asking about a key after an attempt failed in this page: a provider
/// still finishing the request when the browser gave up has time to commit or roll back.
pub const LOOKUP_DELAY: Duration = Duration::from_secs(2);

/// How a send (or a check) ended, for the caller to show.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolution<T> {
    /// Written now: the provider's answer.
    Written(T),
    /// Written by an earlier attempt, found by the lookup.
    Found(Box<IdempotencyRecord>),
    /// Refused: nothing written (the status says why).
    Refused(ProviderError),
    /// Still unknown, not written, or diverged: the write's status says which.
    Pending,
}

/// What a write needs: the client, its state, where to ask about keys, and how to save the draft.
#[derive(Clone)]
pub struct Sending<S: Fn() + Clone + 'static> {
    pub client: ProviderClient,
    pub write: RwSignal<Write>,
    /// The provider's API base (no trailing slash).
    pub api: String,
    pub kind: WriteKind,
    /// Saves the draft with the write's state (called before the attempt leaves, and after).
    pub save: S,
}

impl<S: Fn() + Clone + 'static> Sending<S> {
    /// One attempt of `body` to `url` with the write's key; an unknown outcome is looked up.
    pub async fn send<T: DeserializeOwned>(
        &self,
        url: &str,
        body: web_sys::FormData,
    ) -> Resolution<T> {
        let Some(key) = self.write.try_update(Write::begin_send).flatten() else {
            return Resolution::Pending;
        };
        // Saved before it leaves: if the page dies now, the next visit knows to ask.
        (self.save)();
        let attempt = Attempt::of(self.client.upload::<T>(url, &key, body).await);
        if self.write.is_disposed() {
            // The citizen left the page: the saved draft says the outcome is unknown, and the
            // next visit asks the provider.
            return Resolution::Pending;
        }
        let next = self
            .write
            .try_update(|w| w.after_send(&attempt))
            .unwrap_or(Next::Wait);
        (self.save)();
        match attempt {
            Attempt::Written(value) => Resolution::Written(value),
            Attempt::Refused(e) => Resolution::Refused(e),
            _ if next == Next::Lookup => {
                crate::state::tracking::gloo_timers_sleep(LOOKUP_DELAY).await;
                if self.write.is_disposed() {
                    return Resolution::Pending;
                }
                self.check().await
            }
            _ => Resolution::Pending,
        }
    }

    /// Asks the provider whether the write's key was used.
    pub async fn check<T>(&self) -> Resolution<T> {
        let Some(key) = self.write.try_update(Write::begin_lookup).flatten() else {
            return Resolution::Pending;
        };
        let lookup = lookup(self.client, &self.api, &key, self.kind).await;
        if self.write.is_disposed() {
            return Resolution::Pending;
        }
        let found = match &lookup {
            Lookup::Written(record) => Some(record.clone()),
            _ => None,
        };
        let next = self.write.try_update(|w| w.after_lookup(lookup));
        (self.save)();
        match (next, found) {
            (Some(Next::Done), Some(record)) => Resolution::Found(record),
            _ => Resolution::Pending,
        }
    }
}

/// `GET {api}/v1/idempotency-keys/{key}`, sorted.
pub async fn lookup(client: ProviderClient, api: &str, key: &str, kind: WriteKind) -> Lookup {
    let result = match endpoint::idempotency_key(api, key) {
        Ok(url) => client
            .get_personal::<IdempotencyRecord>(&url, None, limits::LOOKUP)
            .await
            .and_then(|c| match c {
                Conditional::Fresh { value, .. } => Ok(value),
                Conditional::NotModified => Err(ProviderError::Status(304)),
            }),
        Err(_) => Err(ProviderError::InvalidId),
    };
    Lookup::of(result, key, kind)
}
