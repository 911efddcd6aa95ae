//! Leaving as little history as the browser allows on a shared device.
//!
//! A page cannot delete history entries, but a navigation from an earlier entry drops every later
//! one. So before leaving the document (for the identity provider, or to end the session), a kiosk
//! first steps back over the entries this document pushed itself; the next navigation then
//! replaces all of them. Only this document's own entries are counted (`history.length` at start
//! versus now), because stepping back into another document would unload this one and lose the
//! work still to do.

use std::cell::Cell;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

thread_local! {
    static LENGTH_AT_START: Cell<Option<u32>> = const { Cell::new(None) };
}

fn history() -> Option<web_sys::History> {
    crate::browser::window().and_then(|w| w.history().ok())
}

/// Notes how long the history was when this document started (call once, at start).
pub fn remember_start() {
    let length = history().and_then(|h| h.length().ok());
    LENGTH_AT_START.with(|start| start.set(length));
}

/// Steps back to this document's first entry and waits until the browser is there.
pub async fn rewind_this_document() {
    let (Some(history), Some(start)) = (history(), LENGTH_AT_START.with(Cell::get)) else {
        return;
    };
    let pushed = history.length().unwrap_or(start).saturating_sub(start);
    if pushed == 0 {
        return;
    }
    let (done, arrived) = futures::channel::oneshot::channel::<()>();
    let done = std::cell::RefCell::new(Some(done));
    let on_popstate = Closure::<dyn Fn()>::new(move || {
        if let Some(done) = done.borrow_mut().take() {
            let _ = done.send(());
        }
    });
    let Some(window) = crate::browser::window() else {
        return;
    };
    let _ =
        window.add_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref());
    let _ = history.go_with_delta(-i32::try_from(pushed).unwrap_or(0));
    let timeout = crate::state::tracking::gloo_timers_sleep(Duration::from_secs(1));
    futures::pin_mut!(timeout);
    let _ = futures::future::select(arrived, timeout).await;
    let _ = window
        .remove_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref());
}
