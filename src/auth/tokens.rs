//! One access token per provider, each bound to this page's DPoP key.
//!
//! Sign-in gives a refresh token (in memory only, bound to the key). When the portal first talks to a
//! provider, it redeems the refresh token at the issuer with `resource=` set to that provider's API
//! base URL (RFC 8707 §2.2) and gets an access token only that provider accepts, valid a few
//! minutes; it is reused until shortly before it expires, then renewed the same way.
//!
//! **One redemption at a time, until the issuer shows it does not rotate.** An issuer that rotates
//! refresh tokens makes each one single-use, and presenting a spent one revokes the whole sign-in:
//! redemptions must then be serialised — with twenty providers, twenty round trips to the issuer
//! before the last provider is even asked. A refresh token bound to the DPoP key needs no rotation
//! (RFC 9449 §5; the Security BCP, RFC 9700 §4.14.2, asks for one or the other), and an issuer that
//! does not rotate hands the same refresh token back. So the first redemption runs alone; if its
//! answer carries the token presented (or none), later redemptions run side by side, one per
//! provider at most; if it carries a new one, every later redemption stays one at a time for the
//! rest of the sign-in. [`Rotation`] is that decision, learnt once and never relaxed.
//!
//! Token requests go through [`crate::net::send`] (one deadline over the whole exchange, a byte cap,
//! abort) with a DPoP proof, so every
//! token the issuer returns is bound to the key; nothing here is ever written to storage.

use super::key::{DpopKey, KeyError};
use crate::net::{self, FetchError};
use gloo_net::http::Request;
use serde::Deserialize;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
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
    /// The issuer does not mint tokens for the provider asked for (`invalid_target`, RFC 8707):
    /// that provider cannot be reached signed in, but the sign-in itself is fine.
    #[error("le service de connexion ne délivre pas d’accès à ce service")]
    UnknownToIssuer,
}

/// An error answer of the token endpoint (RFC 6749 §5.2).
#[derive(Deserialize)]
struct TokenRefusal {
    error: String,
}

/// What a token endpoint's refusal means: only `invalid_target` concerns one provider alone;
/// anything else (`invalid_grant` above all) ends the sign-in.
fn refusal(status: u16, error: Option<&str>) -> CredentialError {
    match (status, error) {
        (400, Some("invalid_target")) => CredentialError::UnknownToIssuer,
        (status, _) => CredentialError::Fetch(FetchError::Status(status)),
    }
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

/// What the issuer's answers have shown about refresh-token rotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rotation {
    /// No redemption yet: assume rotation (one at a time).
    Unknown,
    /// A redemption returned a new refresh token: the old one is spent, one at a time for good.
    Rotates,
    /// A redemption returned the presented refresh token, or none: redemptions may overlap.
    Keeps,
}

impl Rotation {
    /// What is known after an answer to a redemption that presented `presented`: a rotation seen
    /// once is never forgotten (an issuer that rotates only sometimes must be treated as rotating).
    pub fn after_answer(self, presented: &str, returned: Option<&str>) -> Rotation {
        match (self, returned) {
            (Rotation::Rotates, _) => Rotation::Rotates,
            (_, Some(new)) if new != presented => Rotation::Rotates,
            _ => Rotation::Keeps,
        }
    }

    /// Whether a redemption must wait for every other one to end.
    pub fn serialises(self) -> bool {
        self != Rotation::Keeps
    }
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
    rotation: Cell<Rotation>,
    /// Held by a redemption while [`Rotation::serialises`].
    redeeming: futures::lock::Mutex<()>,
    /// One redemption per provider at a time: two requests to a provider share one token.
    redeeming_for: RefCell<HashMap<String, Rc<futures::lock::Mutex<()>>>>,
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
            rotation: Cell::new(Rotation::Unknown),
            redeeming: futures::lock::Mutex::new(()),
            redeeming_for: RefCell::new(HashMap::new()),
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
        let this_provider = self
            .redeeming_for
            .borrow_mut()
            .entry(resource.to_owned())
            .or_default()
            .clone();
        let _one_per_provider = this_provider.lock().await;
        if let Some(token) = self.cached(resource) {
            return Ok(token);
        }
        let everyone = self.redeeming.lock().await;
        // Decided once the lock is ours: the redemption that held it may just have shown that the
        // issuer keeps refresh tokens, and then the ones queued behind it go on side by side.
        let _one_at_a_time = if self.rotation.get().serialises() {
            Some(everyone)
        } else {
            drop(everyone);
            None
        };
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
            Err(CredentialError::UnknownToIssuer) => {
                return Err(CredentialError::NotAProvider(resource.to_owned()));
            }
            // The issuer refused the refresh token (expired, revoked, reused): the sign-in is over.
            Err(CredentialError::Fetch(FetchError::Status(400 | 401))) => {
                self.forget();
                return Err(CredentialError::SignedOut);
            }
            Err(other) => return Err(other),
        };
        if self.refresh_token.borrow().is_none() {
            // Signed out (or refused elsewhere) while this redemption was on its way.
            return Err(CredentialError::SignedOut);
        }
        self.rotation.set(
            self.rotation
                .get()
                .after_answer(&refresh_token, answer.refresh_token.as_deref()),
        );
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
        let error = answer.json::<TokenRefusal>().ok().map(|r| r.error);
        return Err(refusal(answer.status(), error.as_deref()));
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
    fn redemptions_overlap_only_once_the_issuer_has_handed_the_same_refresh_token_back() {
        assert!(
            Rotation::Unknown.serialises(),
            "before any answer, assume rotation"
        );
        let kept = Rotation::Unknown.after_answer("rt-1", Some("rt-1"));
        assert_eq!(kept, Rotation::Keeps);
        assert!(!kept.serialises());
        assert_eq!(
            Rotation::Unknown.after_answer("rt-1", None),
            Rotation::Keeps
        );
        let rotated = Rotation::Unknown.after_answer("rt-1", Some("rt-2"));
        assert_eq!(rotated, Rotation::Rotates);
        assert!(rotated.serialises());
        // An issuer that rotated once is never trusted to keep again, and one that starts rotating
        // puts redemptions back in single file.
        assert_eq!(
            Rotation::Rotates.after_answer("rt-2", Some("rt-2")),
            Rotation::Rotates
        );
        assert_eq!(
            Rotation::Rotates.after_answer("rt-2", None),
            Rotation::Rotates
        );
        assert_eq!(
            Rotation::Keeps.after_answer("rt-1", Some("rt-9")),
            Rotation::Rotates
        );
    }

    #[test]
    fn only_an_unknown_resource_spares_the_sign_in() {
        assert_eq!(
            refusal(400, Some("invalid_target")),
            CredentialError::UnknownToIssuer
        );
        for (status, error) in [
            (400, Some("invalid_grant")),
            (400, None),
            (401, Some("invalid_client")),
            (500, Some("invalid_target")),
        ] {
            assert_eq!(
                refusal(status, error),
                CredentialError::Fetch(FetchError::Status(status)),
                "{status} {error:?}"
            );
        }
    }

    #[test]
    fn a_token_is_renewed_a_minute_before_it_expires_or_half_way_when_short() {
        assert_eq!(renew_after_ms(1_000.0, Some(300)), 1_000.0 + 240_000.0);
        assert_eq!(renew_after_ms(0.0, Some(60)), 30_000.0);
        assert_eq!(renew_after_ms(0.0, None), 30_000.0);
    }
}
