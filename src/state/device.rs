//! What this device remembers, and the guarantee that a kiosk remembers nothing.
//!
//! Every piece of the app that wants to keep something between visits (the chosen commune, drafts,
//! their files, the transparency log, "last seen" markers) goes through [`DeviceStore`]. On a
//! personal device, small values go to `localStorage` under the `guichet.` prefix and files
//! (blobs) to one IndexedDB database (`localStorage` holds a few megabytes of strings; a 10 MiB
//! attachment in base64 would not fit). On a shared kiosk everything stays in memory, so a wipe (or
//! closing the tab) leaves nothing behind. Choosing the mode is the deployment's job
//! (`portail.toml`), not a passer-by's.
//!
//! A write is never assumed to have worked: [`DeviceStore::set`] and [`DeviceStore::put_blob`]
//! read back what they wrote and report a [`StoreError`] (storage full, disabled, or not what was
//! written), so a page never says "saved" when it was not.

mod idb;

use crate::i18n::texts;
use leptos::prelude::*;
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;

/// Prefix of every key the app writes, so a wipe can find them all.
pub const PREFIX: &str = "guichet.";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persistence {
    /// `localStorage` and IndexedDB: survives reloads and restarts.
    Device,
    /// In memory only: gone on wipe, reload or close (kiosk mode).
    MemoryOnly,
}

/// Why something could not be kept on the device (shown after "Brouillon non enregistré : ").
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The origin's quota is used up (`QuotaExceededError`).
    #[error("{}", texts().drafts.store_full)]
    Full,
    /// Storage is disabled, blocked or absent (private browsing, browser settings).
    #[error("{}", texts().drafts.store_unavailable)]
    Unavailable,
    /// Too large to be kept (a file over what any provider accepts).
    #[error("{}", texts().drafts.store_too_large)]
    TooLarge,
    /// Reading back did not give what was written.
    #[error("{}", texts().drafts.store_not_verified)]
    NotVerified,
    /// Any other refusal by the browser (its error name).
    #[error("{} ({})", texts().drafts.store_refused, .0)]
    Refused(String),
}

impl StoreError {
    /// The error a browser storage call threw (a `DOMException`, usually).
    pub fn from_js(error: &JsValue) -> StoreError {
        // `DOMException` and `Error` both carry a `name`.
        let name = js_sys::Reflect::get(error, &JsValue::from_str("name"))
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        match name.as_str() {
            "QuotaExceededError" => StoreError::Full,
            "SecurityError" | "InvalidStateError" => StoreError::Unavailable,
            "" => StoreError::Refused("?".into()),
            _ => StoreError::Refused(name),
        }
    }
}

/// Key-value storage with a mode fixed at start-up.
#[derive(Clone, Copy)]
pub struct DeviceStore {
    persistence: Persistence,
    memory: StoredValue<BTreeMap<String, String>>,
    blobs: StoredValue<BTreeMap<String, Vec<u8>>>,
    /// Bumped on every write, so views that read the store can re-render.
    version: RwSignal<u64>,
}

impl DeviceStore {
    pub fn new(persistence: Persistence) -> Self {
        DeviceStore {
            persistence,
            memory: StoredValue::new(BTreeMap::new()),
            blobs: StoredValue::new(BTreeMap::new()),
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
            Persistence::Device => local_storage().ok()?.get_item(&key).ok().flatten(),
        }
    }

    /// Writes a value and reads it back. On failure nothing is assumed kept: the caller tells the
    /// citizen (the previous value, if any, may still be there).
    pub fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let key = format!("{PREFIX}{key}");
        let written = match self.persistence {
            Persistence::MemoryOnly => {
                self.memory.update_value(|m| {
                    m.insert(key, value.to_owned());
                });
                Ok(())
            }
            Persistence::Device => local_storage().and_then(|storage| {
                storage
                    .set_item(&key, value)
                    .map_err(|e| StoreError::from_js(&e))?;
                match storage.get_item(&key) {
                    Ok(Some(read)) if read == value => Ok(()),
                    _ => Err(StoreError::NotVerified),
                }
            }),
        };
        self.version.update(|v| *v += 1);
        written
    }

    pub fn remove(&self, key: &str) {
        let key = format!("{PREFIX}{key}");
        self.memory.update_value(|m| {
            m.remove(&key);
        });
        if let (Persistence::Device, Ok(storage)) = (self.persistence, local_storage()) {
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

    /// Keeps a file's bytes under `key`, then reads them back and compares.
    pub async fn put_blob(&self, key: &str, bytes: &[u8]) -> Result<(), StoreError> {
        match self.persistence {
            Persistence::MemoryOnly => {
                self.blobs.update_value(|b| {
                    b.insert(key.to_owned(), bytes.to_vec());
                });
                Ok(())
            }
            Persistence::Device => {
                idb::put(key, bytes).await?;
                match idb::get(key).await? {
                    Some(read) if read == bytes => Ok(()),
                    _ => Err(StoreError::NotVerified),
                }
            }
        }
    }

    /// A file's bytes kept under `key`.
    pub async fn get_blob(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match self.persistence {
            Persistence::MemoryOnly => Ok(self.blobs.with_value(|b| b.get(key).cloned())),
            Persistence::Device => idb::get(key).await,
        }
    }

    /// Forgets the files whose key starts with `prefix` (best effort: a failure leaves bytes that
    /// nothing refers to, which the next removal of the same prefix or a wipe takes away).
    pub async fn remove_blobs(&self, prefix: &str) {
        self.blobs
            .update_value(|b| b.retain(|k, _| !k.starts_with(prefix)));
        if self.persistence == Persistence::Device {
            let _ = idb::remove_prefix(prefix).await;
        }
    }

    /// Forgets everything the app ever stored on this device, in every storage it can reach.
    pub fn wipe(&self) {
        self.memory.update_value(|m| m.clear());
        self.blobs.update_value(|b| b.clear());
        if let Ok(storage) = local_storage() {
            for key in storage_keys().into_iter().filter(|k| k.starts_with(PREFIX)) {
                let _ = storage.remove_item(&key);
            }
        }
        if let Some(storage) = crate::browser::session_storage() {
            let _ = storage.clear();
        }
        idb::delete_database();
        self.version.update(|v| *v += 1);
    }
}

fn local_storage() -> Result<web_sys::Storage, StoreError> {
    crate::browser::window()
        .ok_or(StoreError::Unavailable)?
        .local_storage()
        .map_err(|e| StoreError::from_js(&e))?
        .ok_or(StoreError::Unavailable)
}

fn storage_keys() -> Vec<String> {
    let Ok(storage) = local_storage() else {
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
