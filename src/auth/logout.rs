//! Leaving for the issuer's logout endpoint with a POSTed form (see `oidc::logout_form` for why
//! POST).
//!
//! A form POSTed from this page would add a history entry (on a kiosk, one more page the back
//! button could reach). So the form's fields go to `sessionStorage` for an instant, and this page is
//! replaced by the static `/auth/deconnexion.html`, which removes them at once and submits the form
//! while it is still loading — the browser then replaces its entry instead of adding one.

use super::oidc;
use super::session::Auth;
use leptos::prelude::GetUntracked;
use serde::Serialize;
use std::time::Duration;

/// How long the kiosk wipe waits for the issuer's discovery document before leaving without it.
const DISCOVERY_TIMEOUT_ON_WIPE: Duration = Duration::from_secs(3);

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
    let Some(window) = crate::browser::window() else {
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

impl Auth {
    /// Forgets the session here and ends it at the issuer: the browser POSTs the logout to the
    /// issuer and comes back to `after`, an absolute URL of this portal. Returns `false` when there
    /// was no session to end at the issuer (the caller then navigates itself).
    pub async fn sign_out(&self, after: &str) -> bool {
        let had_session = self.session.get_untracked().is_some();
        if !had_session {
            self.forget_session();
            return false;
        }
        self.end_issuer_session(after, None).await
    }

    /// On a shared device: forgets everything here and **always** ends the issuer's session —
    /// also when this page has none (a sign-in that failed half-way still left one at the issuer).
    /// Returns `false` if the issuer could not be reached (the caller then navigates itself).
    pub async fn end_everything(&self, after: &str) -> bool {
        self.end_issuer_session(after, Some(DISCOVERY_TIMEOUT_ON_WIPE))
            .await
    }

    async fn end_issuer_session(&self, after: &str, deadline: Option<Duration>) -> bool {
        let id_token = self.session.get_untracked().map(|s| s.id_token.clone());
        self.forget_session();
        let Some(identity) = self.identity() else {
            return false;
        };
        let discovery = match deadline {
            None => self.discovery(&identity.issuer).await.ok(),
            Some(limit) => {
                let fetch = self.discovery(&identity.issuer);
                let timeout = crate::state::tracking::gloo_timers_sleep(limit);
                futures::pin_mut!(fetch, timeout);
                match futures::future::select(fetch, timeout).await {
                    futures::future::Either::Left((found, _)) => found.ok(),
                    futures::future::Either::Right(_) => None,
                }
            }
        };
        let Some((action, fields)) = discovery.and_then(|d| {
            oidc::logout_form(&d, &self.client_id(&identity), after, id_token.as_deref())
        }) else {
            return false;
        };
        post(&action, &fields, self.on_shared_device())
    }
}
