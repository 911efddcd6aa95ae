//! The files of drafts in IndexedDB: one database (`guichet`), one object store (`blobs`) of
//! byte arrays keyed by strings.
//!
//! Written over web-sys rather than with a wrapper crate: four operations are needed, each awaited
//! through a `Promise` whose `resolve`/`reject` are the request's own handlers, and the wasm stays
//! smaller. A write resolves only when its transaction *completes* (the data is committed, not just
//! queued), and every failure keeps the browser's reason (`QuotaExceededError`…) for the citizen.

use super::StoreError;
use js_sys::{Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbKeyRange, IdbObjectStore, IdbRequest, IdbTransactionMode};

const DATABASE: &str = "guichet";
const STORE: &str = "blobs";
const VERSION: u32 = 1;

fn factory() -> Result<web_sys::IdbFactory, StoreError> {
    crate::browser::window()
        .ok_or(StoreError::Unavailable)?
        .indexed_db()
        .map_err(|e| StoreError::from_js(&e))?
        .ok_or(StoreError::Unavailable)
}

/// Waits for a request's `success`; on `error`, the request's own error explains.
async fn request(request: &IdbRequest) -> Result<JsValue, StoreError> {
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    let outcome = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    match outcome {
        Ok(_) => request.result().map_err(|e| StoreError::from_js(&e)),
        Err(_) => Err(request
            .error()
            .ok()
            .flatten()
            .map_or(StoreError::Unavailable, |e| StoreError::from_js(&e))),
    }
}

async fn open() -> Result<IdbDatabase, StoreError> {
    let opening = factory()?
        .open_with_u32(DATABASE, VERSION)
        .map_err(|e| StoreError::from_js(&e))?;
    let upgrade = {
        let opening = opening.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if let Ok(db) = opening.result().and_then(|r| r.dyn_into::<IdbDatabase>())
                && !db.object_store_names().contains(STORE)
            {
                let _ = db.create_object_store(STORE);
            }
        })
    };
    opening.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let opened = request(&opening).await;
    opening.set_onupgradeneeded(None);
    opened?
        .dyn_into::<IdbDatabase>()
        .map_err(|_| StoreError::Unavailable)
}

/// Runs `operation` on the store in one transaction and waits for the transaction to complete.
async fn transaction(
    mode: IdbTransactionMode,
    operation: impl FnOnce(&IdbObjectStore) -> Result<IdbRequest, JsValue>,
) -> Result<JsValue, StoreError> {
    let db = open().await?;
    let tx = db
        .transaction_with_str_and_mode(STORE, mode)
        .map_err(|e| StoreError::from_js(&e))?;
    let store = tx
        .object_store(STORE)
        .map_err(|e| StoreError::from_js(&e))?;
    let req = operation(&store).map_err(|e| StoreError::from_js(&e))?;
    let done = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    });
    let committed = JsFuture::from(done).await;
    tx.set_oncomplete(None);
    tx.set_onerror(None);
    tx.set_onabort(None);
    db.close();
    if committed.is_err() {
        let reason = tx.error().or_else(|| req.error().ok().flatten());
        return Err(
            reason.map_or(StoreError::Refused("AbortError".into()), |e| {
                StoreError::from_js(&e)
            }),
        );
    }
    req.result().map_err(|e| StoreError::from_js(&e))
}

pub async fn put(key: &str, bytes: &[u8]) -> Result<(), StoreError> {
    let value = Uint8Array::from(bytes);
    transaction(IdbTransactionMode::Readwrite, |store| {
        store.put_with_key(&value, &JsValue::from_str(key))
    })
    .await
    .map(|_| ())
}

pub async fn get(key: &str) -> Result<Option<Vec<u8>>, StoreError> {
    let value = transaction(IdbTransactionMode::Readonly, |store| {
        store.get(&JsValue::from_str(key))
    })
    .await?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .dyn_into::<Uint8Array>()
        .map(|a| Some(a.to_vec()))
        .map_err(|_| StoreError::NotVerified)
}

/// Deletes every key that starts with `prefix`.
pub async fn remove_prefix(prefix: &str) -> Result<(), StoreError> {
    // Every key with the prefix sorts between the prefix and the prefix followed by U+FFFF.
    let range = IdbKeyRange::bound(
        &JsValue::from_str(prefix),
        &JsValue::from_str(&format!("{prefix}\u{ffff}")),
    )
    .map_err(|e| StoreError::from_js(&e))?;
    transaction(IdbTransactionMode::Readwrite, |store| store.delete(&range))
        .await
        .map(|_| ())
}

/// Deletes the whole database (the wipe); does not wait.
pub fn delete_database() {
    if let Ok(factory) = factory() {
        let _ = factory.delete_database(DATABASE);
    }
}
