//! The signed-in session: sign-in redirects, the token request, and where tokens live (memory).
//!
//! * Sign-in: a random `state`, `nonce` and PKCE verifier are kept in `sessionStorage` for the
//!   length of the redirect only (they are useless without the code and are deleted on return),
//!   then the browser goes to the issuer's authorization endpoint.
//! * Return (`/connexion/retour`): the code is redeemed at the token endpoint with the verifier,
//!   the ID token's claims are checked and give the profile, and the session lives
//!   in a signal — never in storage.
//! * Reload: tokens are gone by design. A hint (`signed_in`, no secret) in `sessionStorage` makes
//!   the app ask the issuer again with `prompt=none`, which succeeds silently while the issuer's own
//!   session lasts.
//! * Sign-out ends the session at the issuer too (RP-initiated logout).

use super::oidc::{self, Callback, Discovery, IdTokenClaims, TokenResponse};
use super::pkce::{self, Pkce};
use super::profile::Profile;
use crate::net::FetchError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Path of the redirect URI, relative to the portal's origin.
pub const CALLBACK_PATH: &str = "/connexion/retour";

const PENDING_KEY: &str = "guichet.oidc.pending";
const SIGNED_IN_HINT_KEY: &str = "guichet.oidc.signed_in";

/// Where sign-in happens: the federation's issuer and this portal's client id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityConfig {
    pub issuer: String,
    pub client_id: String,
}

/// A signed-in citizen, in memory only.
#[derive(Debug)]
pub struct Session {
    pub subject: String,
    pub access_token: String,
    pub id_token: String,
    /// Milliseconds since the epoch after which the access token is no longer accepted.
    pub expires_at_ms: f64,
    pub profile: Profile,
}

impl Session {
    pub fn is_expired(&self, now_ms: f64) -> bool {
        now_ms >= self.expires_at_ms
    }
}

/// What the sign-in machinery is doing, for the header and the callback page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthStatus {
    Anonymous,
    /// Leaving for the issuer (interactive or silent).
    Redirecting,
    /// Back from the issuer, redeeming the code.
    Completing,
    SignedIn,
    /// Sign-in failed; the text explains why, in French.
    Failed(String),
}

/// Why sign-in failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    #[error("{0}")]
    Fetch(#[from] FetchError),
    #[error("the sign-in answer does not match the request (state)")]
    StateMismatch,
    #[error("no sign-in was in progress")]
    NothingPending,
    #[error("the identity provider refused: {0}")]
    Refused(String),
    #[error("{0}")]
    IdToken(#[from] oidc::IdTokenError),
    #[error("the browser cannot generate random numbers")]
    NoCrypto,
}

/// Data kept across the redirect to the issuer and back.
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    state: String,
    nonce: String,
    verifier: String,
    return_to: String,
    silent: bool,
}

/// App-wide handle on the session.
#[derive(Clone, Copy)]
pub struct Auth {
    pub session: RwSignal<Option<Arc<Session>>>,
    pub status: RwSignal<AuthStatus>,
    identity: StoredValue<Option<IdentityConfig>>,
    discovery: StoredValue<Option<Arc<Discovery>>>,
    leave_no_history: StoredValue<bool>,
}

pub fn provide_auth() -> Auth {
    let auth = Auth {
        session: RwSignal::new(None),
        status: RwSignal::new(AuthStatus::Anonymous),
        identity: StoredValue::new(None),
        discovery: StoredValue::new(None),
        leave_no_history: StoredValue::new(false),
    };
    provide_context(auth);
    auth
}

pub fn expect_auth() -> Auth {
    expect_context::<Auth>()
}

impl Auth {
    /// On a shared device (kiosk), leaving for the identity provider also steps back over this
    /// document's history entries, so they do not outlive the citizen (see `shared_history`).
    pub fn leave_no_history(&self) {
        self.leave_no_history.set_value(true);
    }

    /// Sets the issuer to use, once the catalogue is known.
    pub fn configure(&self, identity: IdentityConfig) {
        self.identity.set_value(Some(identity));
    }

    pub fn identity(&self) -> Option<IdentityConfig> {
        self.identity.get_value()
    }

    /// The current access token, if signed in and not expired.
    pub fn access_token(&self) -> Option<String> {
        let session = self.session.get_untracked()?;
        (!session.is_expired(js_sys::Date::now())).then(|| session.access_token.clone())
    }

    /// Whether a reload happened while signed in (so a silent sign-in should be attempted).
    pub fn should_resume(&self) -> bool {
        self.session.get_untracked().is_none()
            && session_storage_get(SIGNED_IN_HINT_KEY).is_some()
            && session_storage_get(PENDING_KEY).is_none()
    }

    /// Leaves for the issuer. `return_to` is the app path to come back to afterwards.
    pub async fn sign_in(&self, return_to: &str, silent: bool) -> Result<(), SignInError> {
        let identity = self.identity().ok_or(SignInError::NothingPending)?;
        let discovery = self.discovery(&identity.issuer).await?;
        let pkce = Pkce::from_random(&random_bytes()?);
        let pending = Pending {
            state: pkce::random_token(&random_bytes()?),
            nonce: pkce::random_token(&random_bytes()?),
            verifier: pkce.verifier.clone(),
            return_to: safe_return_path(return_to),
            silent,
        };
        let url = oidc::authorize_url(
            &discovery,
            &oidc::AuthorizeRequest {
                client_id: &identity.client_id,
                redirect_uri: &redirect_uri(),
                state: &pending.state,
                nonce: &pending.nonce,
                code_challenge: &pkce.challenge,
                silent,
            },
        );
        if let Ok(json) = serde_json::to_string(&pending) {
            session_storage_set(PENDING_KEY, &json);
        }
        self.status.set(AuthStatus::Redirecting);
        let shared_device = self.leave_no_history.get_value();
        if shared_device {
            // The identity provider's page takes the place of this document's pages.
            crate::shared_history::rewind_this_document().await;
        }
        if let Some(window) = web_sys::window() {
            let location = window.location();
            let _ = if shared_device {
                location.replace(&url)
            } else {
                location.assign(&url)
            };
        }
        Ok(())
    }

    /// Finishes sign-in on the redirect URI; returns the path to go back to.
    pub async fn complete(&self, query: &str) -> Result<String, (SignInError, String)> {
        let pending: Option<Pending> =
            session_storage_get(PENDING_KEY).and_then(|json| serde_json::from_str(&json).ok());
        session_storage_remove(PENDING_KEY);
        let Some(pending) = pending else {
            return Err((SignInError::NothingPending, "/".into()));
        };
        let back = pending.return_to.clone();
        self.status.set(AuthStatus::Completing);
        match self.redeem(query, &pending).await {
            Ok(session) => {
                session_storage_set(SIGNED_IN_HINT_KEY, "1");
                self.session.set(Some(Arc::new(session)));
                self.status.set(AuthStatus::SignedIn);
                Ok(back)
            }
            // A silent attempt that the issuer cannot satisfy is not an error: the citizen is
            // simply not signed in any more.
            Err(SignInError::Refused(_)) if pending.silent => {
                session_storage_remove(SIGNED_IN_HINT_KEY);
                self.status.set(AuthStatus::Anonymous);
                Ok(back)
            }
            Err(e) => {
                session_storage_remove(SIGNED_IN_HINT_KEY);
                self.status.set(AuthStatus::Failed(e.to_string()));
                Err((e, back))
            }
        }
    }

    async fn redeem(&self, query: &str, pending: &Pending) -> Result<Session, SignInError> {
        let identity = self.identity().ok_or(SignInError::NothingPending)?;
        let code = match oidc::parse_callback(query) {
            Some(Callback::Code { code, state }) if state == pending.state => code,
            Some(Callback::Code { .. }) => return Err(SignInError::StateMismatch),
            Some(Callback::Error { error, state, .. }) => {
                if state.as_deref() != Some(pending.state.as_str()) {
                    return Err(SignInError::StateMismatch);
                }
                return Err(SignInError::Refused(error));
            }
            None => return Err(SignInError::NothingPending),
        };
        let discovery = self.discovery(&identity.issuer).await?;
        let body = oidc::token_request_body(
            &identity.client_id,
            &redirect_uri(),
            &code,
            &pending.verifier,
        );
        let tokens: TokenResponse = post_form(&discovery.token_endpoint, body).await?;
        let now_ms = js_sys::Date::now();
        let claims: IdTokenClaims = oidc::check_id_token(
            &tokens.id_token,
            &identity.issuer,
            &identity.client_id,
            &pending.nonce,
            (now_ms / 1000.0) as u64,
        )?;
        // The access token is for the providers (its audience), not for userinfo: the issuer puts
        // the profile claims in the ID token, which was just checked.
        let profile = oidc::id_token_claims(&tokens.id_token)
            .map(Profile::from_claims)
            .unwrap_or_default();
        let lifetime_ms = tokens.expires_in.unwrap_or(300) as f64 * 1000.0;
        Ok(Session {
            subject: claims.sub,
            access_token: tokens.access_token,
            id_token: tokens.id_token,
            // Renew a little before the issuer's deadline.
            expires_at_ms: now_ms + lifetime_ms - 30_000.0,
            profile,
        })
    }

    /// Forgets the session here and ends it at the issuer: the browser leaves for the issuer's
    /// logout endpoint and comes back to `after`, an absolute URL of this portal. Returns `false`
    /// when there was no session to end at the issuer (the caller then navigates itself).
    pub async fn sign_out(&self, after: &str) -> bool {
        let session = self.session.get_untracked();
        self.session.set(None);
        self.status.set(AuthStatus::Anonymous);
        session_storage_remove(SIGNED_IN_HINT_KEY);
        session_storage_remove(PENDING_KEY);
        let Some(identity) = self.identity() else {
            return false;
        };
        let (Some(_), Ok(discovery)) = (session, self.discovery(&identity.issuer).await) else {
            return false;
        };
        let (Some(url), Some(window)) = (
            oidc::logout_url(&discovery, &identity.client_id, after),
            web_sys::window(),
        ) else {
            return false;
        };
        // On a shared device the issuer's page takes the place of the current entry, so the
        // back button cannot bring this citizen's last page back.
        let location = window.location();
        if self.leave_no_history.get_value() {
            location.replace(&url).is_ok()
        } else {
            location.assign(&url).is_ok()
        }
    }

    async fn discovery(&self, issuer: &str) -> Result<Arc<Discovery>, SignInError> {
        if let Some(found) = self.discovery.get_value() {
            return Ok(found);
        }
        let url = format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
        );
        let text = crate::net::get_text(&url, crate::net::SMALL_FILE).await?;
        let discovery: Discovery =
            serde_json::from_str(&text).map_err(|e| FetchError::Undecodable(e.to_string()))?;
        let discovery = Arc::new(discovery);
        self.discovery.set_value(Some(Arc::clone(&discovery)));
        Ok(discovery)
    }
}

/// The portal's redirect URI: this origin + [`CALLBACK_PATH`].
pub fn redirect_uri() -> String {
    format!("{}{CALLBACK_PATH}", current_origin())
}

pub fn current_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Only same-app paths are valid destinations after sign-in (no open redirect).
pub fn safe_return_path(path: &str) -> String {
    if path.starts_with('/') && !path.starts_with("//") && !path.starts_with(CALLBACK_PATH) {
        path.to_owned()
    } else {
        "/".to_owned()
    }
}

fn random_bytes() -> Result<[u8; 32], SignInError> {
    let mut bytes = [0u8; 32];
    let crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or(SignInError::NoCrypto)?;
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| SignInError::NoCrypto)?;
    Ok(bytes)
}

async fn post_form<T: serde::de::DeserializeOwned>(
    url: &str,
    body: String,
) -> Result<T, FetchError> {
    let response = gloo_net::http::Request::post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .map_err(|e| FetchError::Undecodable(e.to_string()))?
        .send()
        .await
        .map_err(|_| FetchError::Unreachable)?;
    if !response.ok() {
        return Err(FetchError::Status(response.status()));
    }
    response
        .json()
        .await
        .map_err(|e| FetchError::Undecodable(e.to_string()))
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn session_storage_get(key: &str) -> Option<String> {
    session_storage()?.get_item(key).ok().flatten()
}

fn session_storage_set(key: &str, value: &str) {
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(key, value);
    }
}

fn session_storage_remove(key: &str) {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(key);
    }
}

#[cfg(test)]
mod tests {
    use super::safe_return_path;

    #[test]
    fn only_app_paths_are_followed_after_sign_in() {
        assert_eq!(
            safe_return_path("/service/gien/acte-naissance/demarche"),
            "/service/gien/acte-naissance/demarche"
        );
        assert_eq!(safe_return_path("//evil.example/x"), "/");
        assert_eq!(safe_return_path("https://evil.example/"), "/");
        assert_eq!(safe_return_path("/connexion/retour?code=x"), "/");
    }
}
