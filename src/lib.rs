//! Guichet, the single-page app: thin views over the `catalogue` core crate.
//!
//! Layout: `app` (router and frame), `routes` (every page's URL, declared once), `pages` (one file
//! per page), `components` (pieces named for what citizens see), `state` (app-wide contexts),
//! `net` (fetching with timeouts and typed errors), `i18n` (every French text, in one place),
//! `lazy` (what is downloaded on demand rather than with the first page), `browser` (the
//! browser's globals, reached from one place).
//!
//! Every module is private to the crate and only [`start`] is exported, so rustc reports any item
//! nothing uses (`dead_code`): an unused function or text cannot linger behind a `pub`.

mod app;
mod auth;
mod browser;
mod components;
mod format;
mod i18n;
mod kiosk;
mod lazy;
mod net;
mod pages;
mod procedure;
mod providers;
mod routes;
#[cfg(test)]
mod routes_match;
mod shared_history;
mod shell;
mod state;
#[cfg(test)]
mod style_classes;

/// Mounts the app on `<body>`. Panics are reported to the browser console.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
