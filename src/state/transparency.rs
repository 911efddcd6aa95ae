//! "Qui a reçu mes données ?": a log, on this device, of what was sent to whom.
//!
//! Each submission records the collectivity, the form, which fields were sent (their labels, not
//! their values) and when. It belongs to the account (hashed subject), stays on the device (in
//! memory on a kiosk) and the citizen can clear it at any time.

use crate::state::device::{DeviceStore, StoreError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Milliseconds since the epoch.
    pub at: f64,
    pub member: String,
    pub form_title: String,
    pub reference: String,
    /// Labels of the fields sent.
    pub fields: Vec<String>,
}

fn key(account: &str) -> String {
    format!("log.{account}")
}

#[derive(Clone, Copy)]
pub struct TransparencyLog {
    store: DeviceStore,
}

impl TransparencyLog {
    pub fn new(store: DeviceStore) -> Self {
        TransparencyLog { store }
    }

    /// Entries, most recent first.
    pub fn entries(&self, account: &str) -> Vec<LogEntry> {
        let mut entries: Vec<LogEntry> = self
            .store
            .get(&key(account))
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default();
        entries.sort_by(|a, b| b.at.total_cmp(&a.at));
        entries
    }

    /// Adds an entry; says when the device could not keep it (the receipt tells the citizen).
    pub fn record(&self, account: &str, entry: LogEntry) -> Result<(), StoreError> {
        let mut entries = self.entries(account);
        entries.push(entry);
        let json = serde_json::to_string(&entries).map_err(|_| StoreError::NotVerified)?;
        self.store.set(&key(account), &json)
    }

    pub fn clear(&self, account: &str) {
        self.store.remove(&key(account));
    }
}
