//! Keystroke-to-results timings, measured in the page with `performance.now()`.
//!
//! Handlers that update results as the citizen types wrap the update in [`measure`]: leptos
//! updates the DOM synchronously when a signal changes, so the measured span covers the search and
//! the DOM update. The last 500 timings per kind are kept on `window.__guichetPerf[kind]` for the
//! benchmark (`tests/e2e/bench.test.mjs`) to read; nothing is sent anywhere.

use wasm_bindgen::JsValue;

const KEEP: u32 = 500;

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Runs `update` and records how long it took under `kind`.
pub fn measure<T>(kind: &str, update: impl FnOnce() -> T) -> T {
    let start = now();
    let out = update();
    record(kind, now() - start);
    out
}

fn record(kind: &str, millis: f64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let key = JsValue::from_str("__guichetPerf");
    let all = js_sys::Reflect::get(&window, &key)
        .ok()
        .filter(|v| v.is_object())
        .unwrap_or_else(|| {
            let fresh = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&window, &key, &fresh);
            fresh.into()
        });
    let kind_key = JsValue::from_str(kind);
    let list: js_sys::Array = js_sys::Reflect::get(&all, &kind_key)
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Array>().ok())
        .unwrap_or_else(|| {
            let fresh = js_sys::Array::new();
            let _ = js_sys::Reflect::set(&all, &kind_key, &fresh);
            fresh
        });
    list.push(&JsValue::from_f64(millis));
    if list.length() > KEEP {
        list.shift();
    }
}

use wasm_bindgen::JsCast;
