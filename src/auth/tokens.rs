//! One access token per provider, each bound to this page's DPoP key.
//!
//! Sign-in gives a refresh token (in memory only, bound to the key, rotated on every use). When the
//! portal first talks to a provider, it redeems the refresh token at the issuer with `resource=` set
//! to that provider's API base URL (RFC 8707 §2.2) and gets an access token only that provider
//! accepts, valid a few minutes; it is reused until shortly before it expires, then renewed the same
//! way. Redemptions are serialised: a rotated refresh token is single-use, and using a spent one
//! makes the issuer revoke the whole sign-in.
//!
//! Token requests go through [`crate::net::send`] (one deadline over the whole exchange, a byte cap,
//! abort) with a DPoP proof, so every
//! token the issuer returns is bound to the key; nothing here is ever written to storage.

use super::key::{DpopKey, KeyError};
use crate::net::{self, FetchError};
use gloo_net::http::Request;
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

/// How long the issuer may take to answer a token request (headers and body).
pub const TOKEN_TIMEOUT: Duration = Duration::from_secs(10);

/// Renew an access token this long before the issuer says it expires.
const RENEW_MARGIN_MS: f64 = 60_000.0;

/// Why no token could be had for a provider.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    /// The sign-in is over (refresh token refused, expired or revoked): sign in again.
    #[error("la connexion a pris fin : reconnectez-vous")]
    SignedOut,
    #[error("{0}")]
    Fetch(FetchError),
    #[error("{0}")]
    Key(#[from] KeyError),
    /// The URL is not under any provider API the catalogue declares: no token is sent.
    #[error("aucune collectivité du guichet ne sert {0}")]
    NotAProvider(String),
}

/// The token endpoint's answer.
#[derive(Clone, Debug, Deserialize)]
pub struct TokenAnswer {
    pub access_token: String,
    #[serde(default)]
    pub id_token: Option<String>,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub expires_in: Option<u64>,
}

/// The provider API (resource indicator) a request URL belongs to: the longest declared API base
/// URL that is the URL itself or a path prefix of it (`…/api` does not cover `…/api2`).
pub fn resource_for<'a>(url: &str, resources: &'a [String]) -> Option<&'a str> {
    resources
        .iter()
        .map(|r| r.trim_end_matches('/'))
        .filter(|r| {
            url.strip_prefix(r)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']))
        })
        .max_by_key(|r| r.len())
}

/// When to renew a token the issuer says lives `expires_in` seconds, received at `now_ms`.
pub fn renew_after_ms(now_ms: f64, expires_in: Option<u64>) -> f64 {
    let lifetime_ms = expires_in.unwrap_or(60) as f64 * 1000.0;
    now_ms + (lifetime_ms - RENEW_MARGIN_MS).max(lifetime_ms / 2.0)
}

struct Cached {
    access_token: String,
    renew_after_ms: f64,
}

/// The signed-in citizen's credentials: the key, the refresh token, the tokens per provider.
pub struct Credentials {
    key: DpopKey,
    token_endpoint: String,
    client_id: String,
    refresh_token: RefCell<Option<String>>,
    per_resource: RefCell<HashMap<String, Cached>>,
    redeeming: futures::lock::Mutex<()>,
}

impl Credentials {
    pub fn new(
        key: DpopKey,
        token_endpoint: &str,
        client_id: &str,
        refresh_token: Option<String>,
    ) -> Credentials {
        Credentials {
            key,
            token_endpoint: token_endpoint.to_owned(),
            client_id: client_id.to_owned(),
            refresh_token: RefCell::new(refresh_token),
            per_resource: RefCell::new(HashMap::new()),
            redeeming: futures::lock::Mutex::new(()),
        }
    }

    /// `Authorization: DPoP …` and a fresh `DPoP` proof for `method url`, for `resource`'s token.
    pub async fn headers(
        &self,
        method: &str,
        url: &str,
        resource: &str,
    ) -> Result<Vec<(&'static str, String)>, CredentialError> {
        let token = self.token_for(resource).await?;
        let proof = self.key.proof(method, url, Some(&token)).await?;
        Ok(vec![
            ("Authorization", format!("DPoP {token}")),
            ("DPoP", proof),
        ])
    }

    fn cached(&self, resource: &str) -> Option<String> {
        let now = js_sys::Date::now();
        self.per_resource
            .borrow()
            .get(resource)
            .filter(|c| now < c.renew_after_ms)
            .map(|c| c.access_token.clone())
    }

    async fn token_for(&self, resource: &str) -> Result<String, CredentialError> {
        if let Some(token) = self.cached(resource) {
            return Ok(token);
        }
        let _one_at_a_time = self.redeeming.lock().await;
        if let Some(token) = self.cached(resource) {
            return Ok(token);
        }
        let refresh_token = self
            .refresh_token
            .borrow()
            .clone()
            .ok_or(CredentialError::SignedOut)?;
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "refresh_token")
            .append_pair("client_id", &self.client_id)
            .append_pair("refresh_token", &refresh_token)
            .append_pair("resource", resource)
            .finish();
        let answer = match token_request(&self.key, &self.token_endpoint, body).await {
            Ok(answer) => answer,
            // The issuer refused the refresh token (expired, revoked, reused): the sign-in is over.
            Err(CredentialError::Fetch(FetchError::Status(400 | 401))) => {
                self.forget();
                return Err(CredentialError::SignedOut);
            }
            Err(other) => return Err(other),
        };
        if answer.refresh_token.is_some() {
            *self.refresh_token.borrow_mut() = answer.refresh_token.clone();
        }
        self.per_resource.borrow_mut().insert(
            resource.to_owned(),
            Cached {
                access_token: answer.access_token.clone(),
                renew_after_ms: renew_after_ms(js_sys::Date::now(), answer.expires_in),
            },
        );
        Ok(answer.access_token)
    }

    /// Drops every token (the key goes with this value).
    pub fn forget(&self) {
        self.refresh_token.borrow_mut().take();
        self.per_resource.borrow_mut().clear();
    }
}

/// A DPoP-proven POST to the token endpoint, with a deadline over the whole exchange.
pub async fn token_request(
    key: &DpopKey,
    token_endpoint: &str,
    body: String,
) -> Result<TokenAnswer, CredentialError> {
    let proof = key.proof("POST", token_endpoint, None).await?;
    let answer = net::send(
        |signal| {
            Request::post(token_endpoint)
                .abort_signal(signal)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("DPoP", &proof)
                .body(body)
        },
        net::limits::SMALL_FILE.with_deadline(TOKEN_TIMEOUT),
    )
    .await
    .map_err(CredentialError::Fetch)?;
    if !answer.ok() {
        return Err(CredentialError::Fetch(FetchError::Status(answer.status())));
    }
    answer.json::<TokenAnswer>().map_err(CredentialError::Fetch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_belongs_to_the_provider_whose_api_prefixes_its_url() {
        let resources = vec![
            "http://127.0.0.1:8101".to_owned(),
            "https://demarches.gien.fr/api".to_owned(),
            "https://demarches.gien.fr/api/v2".to_owned(),
        ];
        assert_eq!(
            resource_for("http://127.0.0.1:8101/v1/demandes?x=1", &resources),
            Some("http://127.0.0.1:8101")
        );
        assert_eq!(
            resource_for("https://demarches.gien.fr/api/v1/demandes", &resources),
            Some("https://demarches.gien.fr/api")
        );
        assert_eq!(
            resource_for("https://demarches.gien.fr/api/v2/demandes", &resources),
            Some("https://demarches.gien.fr/api/v2")
        );
        for elsewhere in [
            "http://127.0.0.1:8102/v1/demandes",
            "http://127.0.0.1:81012/v1",
            "https://demarches.gien.fr/api2/v1",
            "https://demarches.gien.fr/",
        ] {
            assert_eq!(resource_for(elsewhere, &resources), None, "{elsewhere}");
        }
    }

    #[test]
    fn a_token_is_renewed_a_minute_before_it_expires_or_half_way_when_short() {
        assert_eq!(renew_after_ms(1_000.0, Some(300)), 1_000.0 + 240_000.0);
        assert_eq!(renew_after_ms(0.0, Some(60)), 30_000.0);
        assert_eq!(renew_after_ms(0.0, None), 30_000.0);
    }
}
