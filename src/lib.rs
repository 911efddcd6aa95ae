//! Guichet, the single-page app: thin views over the `catalogue` core crate.
//!
//! Layout: `app` (router and frame), `routes` (every page's URL, declared once), `pages` (one file
//! per page), `components` (pieces named for what citizens see), `state` (app-wide contexts),
//! `net` (fetching with timeouts and typed errors), `i18n` (every French text, in one place),
//! `lazy` (what is downloaded on demand rather than with the first page).

pub mod app;
pub mod auth;
pub mod components;
pub mod format;
pub mod i18n;
pub mod kiosk;
pub mod lazy;
pub mod net;
pub mod pages;
pub mod procedure;
pub mod providers;
pub mod routes;
pub mod shared_history;
pub mod shell;
pub mod state;

/// Mounts the app on `<body>`. Panics are reported to the browser console.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
