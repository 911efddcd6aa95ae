//! `use_inactivity`: how long since the citizen last touched the screen or the keyboard, and
//! whether to warn or to wipe.
//!
//! Any pointer, touch, key or wheel event counts as activity. Once the warning shows, only the
//! explicit "Je suis toujours là" resets the timer (a stray touch behind the dialog does not).

use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// What [`use_inactivity`] returns.
#[derive(Clone, Copy)]
pub struct UseInactivity {
    /// Seconds left before the wipe, while the warning is due (`None` otherwise).
    pub countdown: Signal<Option<u32>>,
    /// Resets the timer ("Je suis toujours là").
    pub reset: Callback<()>,
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Watches activity; calls `on_expired` once the citizen has been idle for `timeout`, after a
/// warning during the last `warning`.
pub fn use_inactivity(
    timeout: Duration,
    warning: Duration,
    on_expired: impl Fn() + Send + Sync + 'static,
) -> UseInactivity {
    let last = RwSignal::new(now());
    let tick = RwSignal::new(now());
    let warning_shown = RwSignal::new(false);
    let timeout_ms = timeout.as_millis() as f64;
    let warning_ms = warning.min(timeout).as_millis() as f64;

    if let Some(window) = crate::browser::window() {
        let on_activity = Closure::<dyn Fn()>::new(move || {
            if !warning_shown.get_untracked() {
                last.set(now());
            }
        });
        for event in ["pointerdown", "keydown", "touchstart", "wheel", "input"] {
            let _ = window
                .add_event_listener_with_callback(event, on_activity.as_ref().unchecked_ref());
        }
        on_activity.forget();
    }
    let handle = set_interval_with_handle(move || tick.set(now()), Duration::from_millis(500)).ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });

    let expired = StoredValue::new(false);
    let countdown = Signal::derive(move || {
        let idle = tick.get() - last.get();
        if idle >= timeout_ms - warning_ms {
            Some(((timeout_ms - idle).max(0.0) / 1000.0).ceil() as u32)
        } else {
            None
        }
    });
    Effect::new(move |_| {
        let left = countdown.get();
        warning_shown.set(left.is_some());
        if left == Some(0) && !expired.get_value() {
            expired.set_value(true);
            on_expired();
        }
    });
    let reset = Callback::new(move |()| {
        warning_shown.set(false);
        last.set(now());
        tick.set(now());
    });
    UseInactivity { countdown, reset }
}
