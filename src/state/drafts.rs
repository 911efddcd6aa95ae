//! Drafts: what a citizen typed, saved as they type, so nothing is ever lost — and never said to
//! be saved when it was not.
//!
//! A draft belongs to an account (keyed by a hash of the OIDC subject, so another citizen on the
//! same device never sees it) and a service, or a demande for a reply. It carries the state of its
//! write ([`WriteState`]: the idempotency key, whether it was used, whether an attempt's outcome is
//! still unknown), so a reload in the middle of sending freezes the answers until the provider has
//! said whether the demande arrived (see [`crate::procedure::outcome`]).
//!
//! Answers go to the device store as JSON; attached files go to its blob store (IndexedDB on a
//! personal device, memory on a kiosk), each under a fresh key, and the draft records which key
//! holds which file with the file's SHA-256. A file is restored only if the bytes read back have
//! that digest, name and size: after a failed write, the draft simply has no file for that answer
//! (the citizen is asked to add it again), so another file's bytes can never come back under the
//! new file's name.
//!
//! Drafts expire [`KEEP_DRAFTS_DAYS`] days after their last change: personal data should not stay
//! on a phone for ever, and a form left that long has often changed. The citizen is told when one
//! is removed.

mod files;

pub use files::StoredFile;

use crate::procedure::outcome::WriteState;
use crate::state::device::{DeviceStore, StoreError};
use contract::Answers;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// How long a draft is kept after its last change.
pub const KEEP_DRAFTS_DAYS: u32 = 30;
const DAY_MS: f64 = 24.0 * 3600.0 * 1000.0;

/// When a draft last changed at `updated_at` (ms since the epoch) will be removed.
pub fn expires_at(updated_at: f64) -> f64 {
    updated_at + f64::from(KEEP_DRAFTS_DAYS) * DAY_MS
}

/// Whether a draft last changed at `updated_at` has expired at `now`.
pub fn is_expired(updated_at: f64, now: f64) -> bool {
    now >= expires_at(updated_at)
}

/// Where the citizen is in a procedure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Choosing what of their profile pre-fills the form.
    #[default]
    Consent,
    /// Filling page `page` of the form.
    Page,
    /// Checking the answers before sending.
    Review,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub service_id: String,
    pub service_title: String,
    pub form_id: String,
    pub form_version: u32,
    pub answers: Answers,
    pub step: Step,
    pub page: usize,
    /// The key sent with every attempt of these answers, and what became of them.
    #[serde(flatten)]
    pub write: WriteState,
    /// Fields filled from the citizen's account (shown as such, also after a reload).
    #[serde(default)]
    pub prefilled: Vec<String>,
    /// Files kept on the device, by their part name.
    #[serde(default)]
    pub files: BTreeMap<String, StoredFile>,
    /// Milliseconds since the epoch.
    pub updated_at: f64,
}

/// A reply being written to a demande.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReplyDraft {
    pub body: String,
    /// Ids of the expectations the attached documents answer.
    #[serde(default)]
    pub answered: Vec<String>,
    #[serde(default)]
    pub files: Vec<ReplyFile>,
    #[serde(flatten)]
    pub write: WriteState,
    #[serde(default)]
    pub updated_at: f64,
    /// When the previous reply was sent (ms since the epoch): the page that shows the demande
    /// again still says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<f64>,
}

/// A document attached to a reply; `stored` when its bytes are kept on the device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplyFile {
    pub part: String,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    #[serde(default)]
    pub stored: Option<StoredFile>,
}

/// A draft removed because it was too old (to tell the citizen).
#[derive(Clone, Debug, PartialEq)]
pub struct ExpiredDraft {
    pub service_title: String,
    pub updated_at: f64,
}

/// A stable, non-reversible key for an account on this device.
pub fn account_key(subject: &str) -> String {
    hex(&Sha256::digest(subject.as_bytes())[..12])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn draft_key(account: &str, service_id: &str) -> String {
    format!("draft.{account}.{service_id}")
}

fn reply_key(account: &str, member: &str, demande: &str) -> String {
    format!("reply.{account}.{member}.{demande}")
}

/// Where the files of a draft are kept: every key under it goes when the draft goes.
pub fn files_scope(account: &str, scope: &str) -> String {
    format!("draftfile.{account}.{scope}.")
}

/// The scope of a reply draft's files.
pub fn reply_scope(member: &str, demande: &str) -> String {
    format!("reply.{member}.{demande}")
}

/// Drafts of one account.
#[derive(Clone, Copy)]
pub struct Drafts {
    store: DeviceStore,
}

impl Drafts {
    pub fn new(store: DeviceStore) -> Self {
        Drafts { store }
    }

    /// The draft of a service, unless there is none, it is unreadable, or it has expired.
    pub fn load(&self, account: &str, service_id: &str) -> Option<Draft> {
        let draft: Draft =
            serde_json::from_str(&self.store.get(&draft_key(account, service_id))?).ok()?;
        (!is_expired(draft.updated_at, js_sys::Date::now())).then_some(draft)
    }

    /// Removes the draft of a service if it has expired, and says so.
    pub fn take_expired(&self, account: &str, service_id: &str) -> Option<ExpiredDraft> {
        let draft: Draft =
            serde_json::from_str(&self.store.get(&draft_key(account, service_id))?).ok()?;
        if !is_expired(draft.updated_at, js_sys::Date::now()) {
            return None;
        }
        self.remove(account, service_id);
        Some(ExpiredDraft {
            service_title: draft.service_title,
            updated_at: draft.updated_at,
        })
    }

    /// Saves a draft, read back to be sure.
    pub fn save(&self, account: &str, draft: &Draft) -> Result<(), StoreError> {
        let json = serde_json::to_string(draft).map_err(|_| StoreError::NotVerified)?;
        self.store
            .set(&draft_key(account, &draft.service_id), &json)
    }

    /// Every draft of the account that has not expired, most recent first.
    pub fn list(&self, account: &str) -> Vec<Draft> {
        let now = js_sys::Date::now();
        let mut drafts: Vec<Draft> = self
            .all(account)
            .into_iter()
            .filter(|d| !is_expired(d.updated_at, now))
            .collect();
        drafts.sort_by(|a, b| b.updated_at.total_cmp(&a.updated_at));
        drafts
    }

    fn all(&self, account: &str) -> Vec<Draft> {
        self.store
            .keys_with_prefix(&format!("draft.{account}."))
            .into_iter()
            .filter_map(|k| serde_json::from_str(&self.store.get(&k)?).ok())
            .collect()
    }

    /// Removes the account's expired drafts (answers, files, reply drafts) and says which.
    pub fn purge_expired(&self, account: &str) -> Vec<ExpiredDraft> {
        let now = js_sys::Date::now();
        let expired: Vec<ExpiredDraft> = self
            .all(account)
            .into_iter()
            .filter(|d| is_expired(d.updated_at, now))
            .map(|d| {
                self.remove(account, &d.service_id);
                ExpiredDraft {
                    service_title: d.service_title,
                    updated_at: d.updated_at,
                }
            })
            .collect();
        for key in self.store.keys_with_prefix(&format!("reply.{account}.")) {
            let old = self
                .store
                .get(&key)
                .and_then(|j| serde_json::from_str::<ReplyDraft>(&j).ok())
                .is_none_or(|r| is_expired(r.updated_at, now));
            if old {
                self.store.remove(&key);
            }
        }
        expired
    }

    /// Forgets a draft and its files (after submission, or when the citizen discards it).
    pub fn remove(&self, account: &str, service_id: &str) {
        self.store.remove(&draft_key(account, service_id));
        // Files of drafts saved before files moved to IndexedDB.
        for key in self
            .store
            .keys_with_prefix(&format!("draftfile.{account}.{service_id}."))
        {
            self.store.remove(&key);
        }
        self.forget_files(&files_scope(account, service_id));
    }

    fn forget_files(&self, scope: &str) {
        let (store, scope) = (self.store, scope.to_owned());
        leptos::task::spawn_local(async move { store.remove_blobs(&scope).await });
    }

    pub fn load_reply(&self, account: &str, member: &str, demande: &str) -> Option<ReplyDraft> {
        let draft: ReplyDraft =
            serde_json::from_str(&self.store.get(&reply_key(account, member, demande))?).ok()?;
        (draft.updated_at == 0.0 || !is_expired(draft.updated_at, js_sys::Date::now()))
            .then_some(draft)
    }

    pub fn save_reply(
        &self,
        account: &str,
        member: &str,
        demande: &str,
        draft: &ReplyDraft,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(draft).map_err(|_| StoreError::NotVerified)?;
        self.store.set(&reply_key(account, member, demande), &json)
    }

    pub fn remove_reply(&self, account: &str, member: &str, demande: &str) {
        self.store.remove(&reply_key(account, member, demande));
        self.forget_files(&files_scope(account, &reply_scope(member, demande)));
    }

    /// Keeps a file's bytes under a fresh key in `scope` (see [`files_scope`]), verified.
    pub async fn keep_file(
        &self,
        scope: &str,
        name: &str,
        bytes: &[u8],
    ) -> Result<StoredFile, StoreError> {
        let stored = StoredFile::describe(scope, &new_idempotency_key(), name, bytes)?;
        self.store.put_blob(&stored.blob, bytes).await?;
        Ok(stored)
    }

    /// A kept file's bytes, only if they are exactly the file `stored` describes.
    pub async fn file(&self, stored: &StoredFile) -> Option<Vec<u8>> {
        let bytes = self.store.get_blob(&stored.blob).await.ok()??;
        stored.matches(&bytes).then_some(bytes)
    }

    /// Forgets one kept file (replaced or removed by the citizen).
    pub fn forget_file(&self, stored: &StoredFile) {
        self.forget_files(&stored.blob);
    }
}

/// A fresh idempotency key: 128 random bits from the browser's cryptographic generator (also
/// used to name stored files). Without one (no browser), it falls back to the clock and
/// `Math.random`, never to a constant.
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok());
    if crypto.is_none() {
        let seed = format!("{}{}", js_sys::Date::now(), js_sys::Math::random());
        bytes.copy_from_slice(&Sha256::digest(seed.as_bytes())[..16]);
    }
    format!("guichet-{}", hex(&bytes))
}

#[cfg(test)]
#[path = "drafts_tests.rs"]
mod tests;
