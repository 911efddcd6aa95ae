//! Drafts: what a citizen typed, saved as they type, so nothing is ever lost.
//!
//! A draft belongs to an account (keyed by a hash of the OIDC subject, so another citizen on the
//! same device never sees it) and a service. It carries the idempotency key of its submission,
//! chosen once: every retry sends the same key, so a retry can never create a second demande.
//! Attached files are kept with the draft when they are small enough for the device's storage
//! (in memory only on a kiosk); otherwise the citizen is asked to add them again after a reload.

use crate::state::device::DeviceStore;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use contract::Answers;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Files larger than this are not copied to the device's storage.
pub const MAX_STORED_FILE_BYTES: usize = 2 * 1024 * 1024;

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
    /// Sent with every attempt to submit this draft.
    pub idempotency_key: String,
    /// Milliseconds since the epoch.
    pub updated_at: f64,
}

/// A stable, non-reversible key for an account on this device.
pub fn account_key(subject: &str) -> String {
    hex_prefix(&Sha256::digest(subject.as_bytes()))
}

fn hex_prefix(bytes: &[u8]) -> String {
    bytes.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

fn draft_key(account: &str, service_id: &str) -> String {
    format!("draft.{account}.{service_id}")
}

fn file_key(account: &str, service_id: &str, part: &str) -> String {
    format!("draftfile.{account}.{service_id}.{part}")
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

    pub fn load(&self, account: &str, service_id: &str) -> Option<Draft> {
        serde_json::from_str(&self.store.get(&draft_key(account, service_id))?).ok()
    }

    pub fn save(&self, account: &str, draft: &Draft) {
        if let Ok(json) = serde_json::to_string(draft) {
            self.store
                .set(&draft_key(account, &draft.service_id), &json);
        }
    }

    /// Every draft of the account, most recent first.
    pub fn list(&self, account: &str) -> Vec<Draft> {
        let prefix = format!("draft.{account}.");
        let mut drafts: Vec<Draft> = self
            .store
            .keys_with_prefix(&prefix)
            .into_iter()
            .filter_map(|k| serde_json::from_str(&self.store.get(&k)?).ok())
            .collect();
        drafts.sort_by(|a, b| b.updated_at.total_cmp(&a.updated_at));
        drafts
    }

    /// Forgets a draft and its files (after submission, or when the citizen discards it).
    pub fn remove(&self, account: &str, service_id: &str) {
        self.store.remove(&draft_key(account, service_id));
        for key in self
            .store
            .keys_with_prefix(&format!("draftfile.{account}.{service_id}."))
        {
            self.store.remove(&key);
        }
    }

    /// Keeps a file's bytes with the draft when they fit; returns whether they were kept.
    pub fn save_file(&self, account: &str, service_id: &str, part: &str, bytes: &[u8]) -> bool {
        if bytes.len() > MAX_STORED_FILE_BYTES {
            return false;
        }
        self.store.set(
            &file_key(account, service_id, part),
            &STANDARD.encode(bytes),
        );
        self.store
            .get(&file_key(account, service_id, part))
            .is_some()
    }

    pub fn load_file(&self, account: &str, service_id: &str, part: &str) -> Option<Vec<u8>> {
        STANDARD
            .decode(self.store.get(&file_key(account, service_id, part))?)
            .ok()
    }
}

/// A fresh idempotency key: 128 random bits.
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    format!(
        "guichet-{}",
        hex_prefix(&bytes[..]).get(..24).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_keys_are_stable_and_do_not_reveal_the_subject() {
        let a = account_key("demo-camille-martin");
        assert_eq!(a, account_key("demo-camille-martin"));
        assert_ne!(a, account_key("demo-jean-lefebvre"));
        assert_eq!(a.len(), 24);
        assert!(!a.contains("camille"));
    }

    #[test]
    fn drafts_round_trip_as_json() {
        let draft = Draft {
            service_id: "gien/acte-naissance".into(),
            service_title: "Acte".into(),
            form_id: "acte-naissance".into(),
            form_version: 1,
            answers: [(
                "prenom".to_string(),
                contract::Answer::Text("Camille".into()),
            )]
            .into(),
            step: Step::Page,
            page: 1,
            idempotency_key: "k".into(),
            updated_at: 1.0,
        };
        let json = serde_json::to_string(&draft).unwrap();
        assert_eq!(serde_json::from_str::<Draft>(&json).unwrap(), draft);
    }
}
