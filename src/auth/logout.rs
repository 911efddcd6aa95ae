//! Leaving for the issuer's logout endpoint with a POSTed form (see `oidc::logout_form` for why
//! POST).
//!
//! A form POSTed from this page would add a history entry (on a kiosk, one more page the back
//! button could reach). So the form's fields go to `sessionStorage` for an instant, and this page is
//! replaced by the static `/auth/deconnexion.html`, which removes them at once and submits the form
//! while it is still loading — the browser then replaces its entry instead of adding one.

use serde::Serialize;

/// Where the form's fields wait for the logout page (removed by it at once).
pub const PLAN_KEY: &str = "guichet.logout";
/// The static page that POSTs the logout (`public/auth/deconnexion.html`).
pub const PAGE: &str = "/auth/deconnexion.html";

#[derive(Serialize)]
struct Plan<'a> {
    action: &'a str,
    fields: &'a [(&'static str, String)],
}

/// Leaves for the logout page, which POSTs `fields` to `action`. `replace`: take the place of the
/// current history entry (shared devices). `false` if the browser would not let it.
pub fn post(action: &str, fields: &[(&'static str, String)], replace: bool) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(plan) = serde_json::to_string(&Plan { action, fields }) else {
        return false;
    };
    let stored = window
        .session_storage()
        .ok()
        .flatten()
        .is_some_and(|s| s.set_item(PLAN_KEY, &plan).is_ok());
    if !stored {
        return false;
    }
    let location = window.location();
    if replace {
        location.replace(PAGE).is_ok()
    } else {
        location.assign(PAGE).is_ok()
    }
}
