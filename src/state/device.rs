//! What this device remembers, and the guarantee that a kiosk remembers nothing.
//!
//! Every piece of the app that wants to keep something between visits (the chosen commune, drafts,
//! the transparency log, "last seen" markers) goes through [`DeviceStore`]. On a personal device it
//! writes to `localStorage` under the `guichet.` prefix; on a shared kiosk it keeps everything in
//! memory, so a wipe (or closing the tab) leaves nothing behind. Choosing the mode is the
//! deployment's job (`portail.toml`), not a passer-by's.

use leptos::prelude::*;
use std::collections::BTreeMap;

/// Prefix of every key the app writes, so a wipe can find them all.
pub const PREFIX: &str = "guichet.";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persistence {
    /// `localStorage`: survives reloads and restarts.
    Device,
    /// In memory only: gone on wipe, reload or close (kiosk mode).
    MemoryOnly,
}

/// Key-value storage with a mode fixed at start-up.
#[derive(Clone, Copy)]
pub struct DeviceStore {
    persistence: Persistence,
    memory: StoredValue<BTreeMap<String, String>>,
    /// Bumped on every write, so views that read the store can re-render.
    version: RwSignal<u64>,
}

impl DeviceStore {
    pub fn new(persistence: Persistence) -> Self {
        DeviceStore {
            persistence,
            memory: StoredValue::new(BTreeMap::new()),
            version: RwSignal::new(0),
        }
    }

    pub fn persistence(&self) -> Persistence {
        self.persistence
    }

    /// Reads a value; tracks changes when called inside a reactive scope.
    pub fn get(&self, key: &str) -> Option<String> {
        self.version.track();
        let key = format!("{PREFIX}{key}");
        match self.persistence {
            Persistence::MemoryOnly => self.memory.with_value(|m| m.get(&key).cloned()),
            Persistence::Device => local_storage()?.get_item(&key).ok().flatten(),
        }
    }

    pub fn set(&self, key: &str, value: &str) {
        let key = format!("{PREFIX}{key}");
        match self.persistence {
            Persistence::MemoryOnly => {
                self.memory.update_value(|m| {
                    m.insert(key, value.to_owned());
                });
            }
            Persistence::Device => {
                if let Some(storage) = local_storage() {
                    // A full or disabled storage must not break the page: the value just is not kept.
                    let _ = storage.set_item(&key, value);
                }
            }
        }
        self.version.update(|v| *v += 1);
    }

    pub fn remove(&self, key: &str) {
        let key = format!("{PREFIX}{key}");
        self.memory.update_value(|m| {
            m.remove(&key);
        });
        if let (Persistence::Device, Some(storage)) = (self.persistence, local_storage()) {
            let _ = storage.remove_item(&key);
        }
        self.version.update(|v| *v += 1);
    }

    /// Keys (without prefix) that start with `prefix`.
    pub fn keys_with_prefix(&self, prefix: &str) -> Vec<String> {
        self.version.track();
        let full = format!("{PREFIX}{prefix}");
        let keys: Vec<String> = match self.persistence {
            Persistence::MemoryOnly => self.memory.with_value(|m| m.keys().cloned().collect()),
            Persistence::Device => storage_keys(),
        };
        keys.into_iter()
            .filter(|k| k.starts_with(&full))
            .map(|k| k[PREFIX.len()..].to_owned())
            .collect()
    }

    /// Forgets everything the app ever stored on this device, in every storage it can reach.
    pub fn wipe(&self) {
        self.memory.update_value(|m| m.clear());
        if let Some(storage) = local_storage() {
            for key in storage_keys().into_iter().filter(|k| k.starts_with(PREFIX)) {
                let _ = storage.remove_item(&key);
            }
        }
        if let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
            let _ = storage.clear();
        }
        self.version.update(|v| *v += 1);
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn storage_keys() -> Vec<String> {
    let Some(storage) = local_storage() else {
        return Vec::new();
    };
    let length = storage.length().unwrap_or(0);
    (0..length)
        .filter_map(|i| storage.key(i).ok().flatten())
        .collect()
}

pub fn provide_device_store(persistence: Persistence) -> DeviceStore {
    let store = DeviceStore::new(persistence);
    provide_context(store);
    store
}

pub fn expect_device_store() -> DeviceStore {
    expect_context::<DeviceStore>()
}
