//! The one place the app reaches the browser's globals (`window`, `document`, `location`, storage,
//! the cryptographic generator).
//!
//! Why one module: outside a page (a worker, a test harness) these globals are missing, and each
//! caller used to decide on its own what that meant. Here every accessor says it in its type: an
//! `Option` where doing nothing is safe (focus, print, a title), a `Result` where the caller must
//! not carry on as if it had worked. The random source in particular is **fail-closed**: without
//! `crypto.getRandomValues` there is an error to handle, never zeros, the clock or `Math.random`
//! standing in for secrets and idempotency keys.

use wasm_bindgen::JsCast;

/// The page's window, if there is one.
pub(crate) fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The page's document, if there is one.
pub(crate) fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// The element with this id, as an `HtmlElement`.
pub(crate) fn html_element_by_id(id: &str) -> Option<web_sys::HtmlElement> {
    document()?.get_element_by_id(id)?.dyn_into().ok()
}

/// Moves the keyboard focus to the element with this id and brings it into view.
pub(crate) fn focus_element(id: &str) {
    if let Some(element) = html_element_by_id(id) {
        let _ = element.focus();
        element.scroll_into_view();
    }
}

/// The path of the current page (`/service/gien/x`), `/` if it cannot be read.
pub(crate) fn current_path() -> String {
    window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".into())
}

/// The page's origin (`https://guichet.example`), empty if it cannot be read.
pub(crate) fn current_origin() -> String {
    window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The query string of the current page, with its `?`, empty if none.
pub(crate) fn current_query() -> String {
    window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Leaves for `url` (a new history entry).
pub(crate) fn go_to(url: &str) {
    if let Some(w) = window() {
        let _ = w.location().assign(url);
    }
}

/// Leaves for `url` in place of the current history entry.
pub(crate) fn replace_with(url: &str) {
    if let Some(w) = window() {
        let _ = w.location().replace(url);
    }
}

/// Opens the browser's print dialog for the page.
pub(crate) fn print() {
    if let Some(w) = window() {
        let _ = w.print();
    }
}

/// Scrolls the page back to its top (a new step of a form).
pub(crate) fn scroll_to_top() {
    if let Some(w) = window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Whether the tab is shown (a hidden tab does not poll providers). Without a document: yes.
pub(crate) fn tab_visible() -> bool {
    document().is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

/// This tab's `sessionStorage`, if the browser gives it.
pub(crate) fn session_storage() -> Option<web_sys::Storage> {
    window()?.session_storage().ok().flatten()
}

/// The browser could not give cryptographic random numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the browser cannot generate random numbers (crypto.getRandomValues)")]
pub(crate) struct NoRandom;

/// `N` bytes from the browser's cryptographic generator, or [`NoRandom`]: never a weaker stand-in.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], NoRandom> {
    let mut bytes = [0u8; N];
    window()
        .and_then(|w| w.crypto().ok())
        .ok_or(NoRandom)?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| NoRandom)?;
    Ok(bytes)
}

/// WebCrypto's `subtle`, if the page has it (secure contexts only).
pub(crate) fn subtle_crypto() -> Option<web_sys::SubtleCrypto> {
    Some(window()?.crypto().ok()?.subtle())
}
