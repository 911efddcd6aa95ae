//! The signed-in session: sign-in redirects, the token request, and where tokens live (memory).
//!
//! * Sign-in: a random `state`, `nonce` and PKCE verifier are kept in `sessionStorage` for the
//!   length of the redirect only (they are useless without the code and are deleted on return),
//!   then the browser goes to the issuer's authorization endpoint.
//! * Return (`/connexion/retour`): a DPoP key is made for this page (see `key`), the code is
//!   redeemed at the token endpoint with the verifier and a proof, the ID token's claims are
//!   checked and give the profile, and the session lives in memory — never in storage. Tokens for
//!   providers come later, one per provider, from the refresh token (see `tokens`).
//! * Reload: tokens are gone by design. A hint (`signed_in`, no secret) in `sessionStorage` makes
//!   the app ask the issuer again with `prompt=none`, which succeeds silently while the issuer's own
//!   session lasts.
//! * Sign-out forgets the key and every token, and ends the session at the issuer too
//!   (RP-initiated logout, POSTed). On a shared device (kiosk) sign-in always asks for a password
//!   (`prompt=login`, `max_age=0`, `auth_time` checked) and the wipe always ends the issuer's
//!   session, whether or not this page still has one.

use super::key::{DpopKey, KeyError};
use super::oidc::{self, Callback, Discovery, IdTokenClaims};
use super::pkce::{self, Pkce};
use super::profile::Profile;
use super::storage::{session_storage_get, session_storage_remove, session_storage_set};
use super::tokens::{self, CredentialError, Credentials};
use crate::browser::{current_origin, current_path};
use crate::net::FetchError;
use crate::state::drafts::account_key;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::rc::Rc;
use std::sync::Arc;

/// Path of the redirect URI, relative to the portal's origin.
pub const CALLBACK_PATH: &str = "/connexion/retour";

pub(super) const PENDING_KEY: &str = "guichet.oidc.pending";
pub(super) const SIGNED_IN_HINT_KEY: &str = "guichet.oidc.signed_in";

/// Where sign-in happens: the federation's issuer and this portal's client id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityConfig {
    pub issuer: String,
    pub client_id: String,
}

/// A signed-in citizen, in memory only (the tokens and key are in [`Credentials`]).
#[derive(Debug)]
pub struct Session {
    /// The key of this account's data on the device ([`account_key`]), computed once at sign-in
    /// so that the first page, which reads it, carries no hash function.
    pub account: String,
    /// "Camille Martin" (or the e-mail address) for the header, read from the profile at sign-in.
    pub display_name: Option<String>,
    /// Kept for the logout's `id_token_hint` (POSTed, never in a URL).
    pub id_token: String,
    pub profile: Profile,
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

/// Why sign-in failed, in French: the text is shown to the citizen in the failure notice.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    #[error("{0}")]
    Fetch(#[from] FetchError),
    #[error(
        "la réponse de connexion ne correspond pas à la demande envoyée : recommencez la connexion"
    )]
    StateMismatch,
    #[error("aucune connexion n’était en cours : recommencez la connexion")]
    NothingPending,
    #[error("le guichet n’a pas encore pu lire la liste des services ; réessayez dans un instant")]
    NotConfigured,
    #[error("le service de connexion a refusé la demande ({0})")]
    Refused(String),
    #[error("{0}")]
    IdToken(#[from] oidc::IdTokenError),
    #[error(
        "ce navigateur ne sait pas produire les nombres aléatoires nécessaires à une connexion sûre"
    )]
    NoCrypto,
    #[error("{0}")]
    Key(#[from] KeyError),
    #[error("la réponse du service de connexion est incomplète ({0} manquant)")]
    Incomplete(&'static str),
}

impl From<CredentialError> for SignInError {
    fn from(e: CredentialError) -> Self {
        match e {
            CredentialError::Fetch(FetchError::Status(400 | 401)) | CredentialError::SignedOut => {
                SignInError::Refused("invalid_grant".into())
            }
            CredentialError::Fetch(f) => SignInError::Fetch(f),
            CredentialError::Key(k) => SignInError::Key(k),
            CredentialError::NotAProvider(_) => SignInError::Incomplete("resource"),
            CredentialError::UnknownToIssuer => SignInError::Refused("invalid_target".into()),
        }
    }
}

/// Data kept across the redirect to the issuer and back.
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    state: String,
    nonce: String,
    verifier: String,
    return_to: String,
    silent: bool,
    /// The client that asked (the kiosk has its own at the issuer).
    #[serde(default)]
    client_id: String,
    /// A shared device asked for a fresh login: `auth_time` is checked on return.
    #[serde(default)]
    fresh_login: bool,
    /// When the browser left for the issuer (ms since the epoch, this browser's clock).
    #[serde(default)]
    requested_at_ms: f64,
}

/// On a shared device (kiosk): the issuer client to use, and the history to leave behind.
#[derive(Clone, Debug, Default)]
struct SharedDevice {
    /// The kiosk's own client at the issuer (short sessions, inactivity on its pages), if any.
    client_id: Option<String>,
}

/// App-wide handle on the session.
#[derive(Clone, Copy)]
pub struct Auth {
    pub session: RwSignal<Option<Arc<Session>>>,
    pub status: RwSignal<AuthStatus>,
    identity: StoredValue<Option<IdentityConfig>>,
    discovery: StoredValue<Option<Arc<Discovery>>>,
    shared_device: StoredValue<Option<SharedDevice>>,
    /// Every provider API of the catalogue (resource indicators, without trailing slash).
    resources: StoredValue<Arc<Vec<String>>>,
    /// The DPoP key, refresh token and per-provider tokens: this page's memory only.
    credentials: StoredValue<Option<Rc<Credentials>>, LocalStorage>,
}

pub fn provide_auth() -> Auth {
    let auth = Auth {
        session: RwSignal::new(None),
        status: RwSignal::new(AuthStatus::Anonymous),
        identity: StoredValue::new(None),
        discovery: StoredValue::new(None),
        shared_device: StoredValue::new(None),
        resources: StoredValue::new(Arc::new(Vec::new())),
        credentials: StoredValue::new_local(None),
    };
    provide_context(auth);
    auth
}

pub fn expect_auth() -> Auth {
    expect_context::<Auth>()
}

/// How long a sign-in started before the catalogue was read waits for it: the root catalogue's
/// own deadline (`net::ROOT_CATALOGUE`) and the catalogue's code, on a slow network.
const CONFIGURATION_WAIT: std::time::Duration = std::time::Duration::from_secs(20);
/// How often that wait looks again.
const CONFIGURATION_POLL: std::time::Duration = std::time::Duration::from_millis(100);

impl Auth {
    /// On a shared device (kiosk): sign-in always asks for a password, with the kiosk's own
    /// client at the issuer when it has one; leaving for the issuer steps back over this document's
    /// history entries (see `shared_history`); a reload never resumes a session silently.
    pub fn use_shared_device(&self, client_id: Option<String>) {
        self.shared_device
            .set_value(Some(SharedDevice { client_id }));
        if current_path() != CALLBACK_PATH {
            // A sign-in abandoned at the issuer, or the previous page's session: not ours to resume.
            session_storage_remove(PENDING_KEY);
            session_storage_remove(SIGNED_IN_HINT_KEY);
        }
    }

    pub(super) fn on_shared_device(&self) -> bool {
        self.shared_device.with_value(Option::is_some)
    }

    /// Sets the issuer to use and the provider APIs tokens may be asked for, once the catalogue is
    /// known.
    pub fn configure(&self, identity: IdentityConfig, resources: Vec<String>) {
        self.identity.set_value(Some(identity));
        let mut resources: Vec<String> = resources
            .into_iter()
            .map(|r| r.trim_end_matches('/').to_owned())
            .collect();
        resources.sort();
        resources.dedup();
        self.resources.set_value(Arc::new(resources));
    }

    pub fn identity(&self) -> Option<IdentityConfig> {
        self.identity.get_value()
    }

    /// The issuer, once the catalogue has named it. "Se connecter" is on screen before the
    /// catalogue's code and file have arrived (on a slow network, seconds later): a citizen who
    /// presses it then is signed in as soon as they have, not told that sign-in failed.
    async fn configured_identity(&self) -> Result<IdentityConfig, SignInError> {
        let started = js_sys::Date::now();
        loop {
            if let Some(identity) = self.identity() {
                return Ok(identity);
            }
            if js_sys::Date::now() - started > CONFIGURATION_WAIT.as_secs_f64() * 1000.0 {
                return Err(SignInError::NotConfigured);
            }
            crate::state::tracking::gloo_timers_sleep(CONFIGURATION_POLL).await;
        }
    }

    /// The client id at the issuer for this device.
    pub(super) fn client_id(&self, identity: &IdentityConfig) -> String {
        self.shared_device
            .with_value(|d| d.as_ref().and_then(|d| d.client_id.clone()))
            .unwrap_or_else(|| identity.client_id.clone())
    }

    /// The headers proving who calls, for a `method url` request to a provider of the catalogue:
    /// that provider's own access token (`Authorization: DPoP …`) and a fresh proof.
    pub async fn credentials_for(
        &self,
        method: &str,
        url: &str,
    ) -> Result<Vec<(&'static str, String)>, CredentialError> {
        let resources = self.resources.get_value();
        let resource = tokens::resource_for(url, &resources)
            .ok_or_else(|| CredentialError::NotAProvider(url.to_owned()))?;
        let credentials = self
            .credentials
            .get_value()
            .ok_or(CredentialError::SignedOut)?;
        let headers = credentials.headers(method, url, resource).await;
        if headers == Err(CredentialError::SignedOut) {
            self.forget_session();
        }
        headers
    }

    /// Whether a reload happened while signed in (so a silent sign-in should be attempted).
    pub fn should_resume(&self) -> bool {
        self.session.get_untracked().is_none()
            && session_storage_get(SIGNED_IN_HINT_KEY).is_some()
            && session_storage_get(PENDING_KEY).is_none()
    }

    /// Leaves for the issuer. `return_to` is the app path to come back to afterwards.
    pub async fn sign_in(&self, return_to: &str, silent: bool) -> Result<(), SignInError> {
        let identity = self.configured_identity().await?;
        let discovery = self.discovery(&identity.issuer).await?;
        let pkce = Pkce::from_random(&random_bytes()?);
        let fresh_login = self.on_shared_device();
        let pending = Pending {
            state: pkce::random_token(&random_bytes()?),
            nonce: pkce::random_token(&random_bytes()?),
            verifier: pkce.verifier.clone(),
            return_to: safe_return_path(return_to),
            silent: silent && !fresh_login,
            client_id: self.client_id(&identity),
            fresh_login,
            requested_at_ms: js_sys::Date::now(),
        };
        let resources = self.resources.get_value();
        let url = oidc::authorize_url(
            &discovery,
            &oidc::AuthorizeRequest {
                client_id: &pending.client_id,
                redirect_uri: &redirect_uri(),
                state: &pending.state,
                nonce: &pending.nonce,
                code_challenge: &pkce.challenge,
                silent: pending.silent,
                fresh_login,
                resources: &resources,
            },
        );
        if let Ok(json) = serde_json::to_string(&pending) {
            session_storage_set(PENDING_KEY, &json);
        }
        self.status.set(AuthStatus::Redirecting);
        let shared_device = self.on_shared_device();
        if shared_device {
            // The identity provider's page takes the place of this document's pages.
            crate::shared_history::rewind_this_document().await;
        }
        if shared_device {
            crate::browser::replace_with(&url);
        } else {
            crate::browser::go_to(&url);
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
            Ok((session, credentials)) => {
                if !self.on_shared_device() {
                    session_storage_set(SIGNED_IN_HINT_KEY, "1");
                }
                self.credentials.set_value(Some(Rc::new(credentials)));
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

    async fn redeem(
        &self,
        query: &str,
        pending: &Pending,
    ) -> Result<(Session, Credentials), SignInError> {
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
        let client_id = if pending.client_id.is_empty() {
            identity.client_id.clone()
        } else {
            pending.client_id.clone()
        };
        let body = oidc::token_request_body(&client_id, &redirect_uri(), &code, &pending.verifier);
        // The key exists from here on, in this page only; the issuer binds every token to it.
        let key = DpopKey::generate().await?;
        let tokens = tokens::token_request(&key, &discovery.token_endpoint, body).await?;
        let id_token = tokens.id_token.ok_or(SignInError::Incomplete("ID token"))?;
        let now_ms = js_sys::Date::now();
        let claims: IdTokenClaims = oidc::check_id_token(
            &id_token,
            &identity.issuer,
            &client_id,
            &pending.nonce,
            (now_ms / 1000.0) as u64,
        )?;
        if pending.fresh_login {
            let elapsed = ((now_ms - pending.requested_at_ms).max(0.0) / 1000.0).ceil() as u64;
            oidc::check_fresh_authentication(&claims, elapsed)?;
        }
        // The access token of the code exchange names no provider: it is not used. The issuer puts
        // the profile claims in the ID token, which was just checked.
        let profile = oidc::id_token_claims(&id_token)
            .map(Profile::from_claims)
            .unwrap_or_default();
        let credentials = Credentials::new(
            key,
            &discovery.token_endpoint,
            &client_id,
            tokens.refresh_token,
        );
        Ok((
            Session {
                account: account_key(&claims.sub),
                display_name: profile.display_name(),
                id_token,
                profile,
            },
            credentials,
        ))
    }

    /// Forgets the session, the key and every token here (not at the issuer).
    pub(crate) fn forget_session(&self) {
        if let Some(credentials) = self.credentials.get_value() {
            credentials.forget();
        }
        self.credentials.set_value(None);
        self.session.set(None);
        self.status.set(AuthStatus::Anonymous);
        session_storage_remove(SIGNED_IN_HINT_KEY);
        session_storage_remove(PENDING_KEY);
    }

    pub(super) async fn discovery(&self, issuer: &str) -> Result<Arc<Discovery>, SignInError> {
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

/// The portal's redirect URI: this origin + the sign-in return page ([`CALLBACK_PATH`]).
pub fn redirect_uri() -> String {
    format!(
        "{}{}",
        current_origin(),
        crate::routes::Page::SignInReturn.href()
    )
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
    crate::browser::random_bytes().map_err(|_| SignInError::NoCrypto)
}

#[cfg(test)]
mod tests {
    use super::{SignInError, safe_return_path};
    use crate::auth::oidc::IdTokenError;

    #[test]
    fn sign_in_failures_are_explained_in_french() {
        // Shown as they are in the failure notice: no English may reach a citizen.
        let errors = [
            SignInError::StateMismatch,
            SignInError::NothingPending,
            SignInError::NotConfigured,
            SignInError::Refused("access_denied".into()),
            SignInError::NoCrypto,
            SignInError::Incomplete("id_token"),
            IdTokenError::Malformed.into(),
            IdTokenError::WrongIssuer("https://autre.example".into()).into(),
            IdTokenError::WrongAudience.into(),
            IdTokenError::WrongNonce.into(),
            IdTokenError::Expired.into(),
            IdTokenError::NotFreshlyAuthenticated.into(),
        ];
        for error in errors {
            let text = error.to_string();
            let english = ["the ", " not ", " has ", " does ", " no ", "cannot", " by "];
            assert!(
                !english.iter().any(|w| text.contains(w)),
                "{error:?} says {text:?}"
            );
        }
    }

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
