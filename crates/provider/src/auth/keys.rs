//! The issuer's signing keys, cached, refreshed without ever blocking requests signed with a known
//! key.
//!
//! Keys live behind a lock that is only ever held to read or swap a map, never across a network
//! call. A token naming an unknown `kid` starts one refresh (single-flight: concurrent callers wait
//! for the same one; at most one every [`MIN_REFRESH_INTERVAL`], so forged key ids cannot hammer the
//! issuer) and waits for it at most [`UNKNOWN_KID_WAIT`]; meanwhile every token signed with a known
//! key is verified at once.

use super::AuthError;
use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::JwkSet;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::watch;

pub const MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(10);
/// How long a request with an unknown key id waits for a refresh before it is refused.
pub const UNKNOWN_KID_WAIT: Duration = Duration::from_secs(2);
/// Deadline of one whole refresh (discovery + JWKS), headers and bodies.
const FETCH_DEADLINE: Duration = Duration::from_secs(5);
/// A JWKS larger than this is not a JWKS.
const MAX_JWKS_BYTES: usize = 256 * 1024;

#[derive(Deserialize)]
struct OpenIdConfiguration {
    jwks_uri: String,
}

/// Outcome of the last refresh, for callers waiting on it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Refresh {
    Idle,
    Running,
    Failed(String),
}

struct State {
    keys: HashMap<String, DecodingKey>,
    last_attempt: Option<Instant>,
}

pub struct KeyCache {
    issuer: String,
    http: reqwest::Client,
    state: RwLock<State>,
    refresh: watch::Sender<Refresh>,
}

impl KeyCache {
    pub fn new(issuer: &str) -> Arc<Self> {
        let http = reqwest::Client::builder()
            .timeout(FETCH_DEADLINE)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Arc::new(KeyCache {
            issuer: issuer.to_owned(),
            http,
            state: RwLock::new(State {
                keys: HashMap::new(),
                last_attempt: None,
            }),
            refresh: watch::channel(Refresh::Idle).0,
        })
    }

    /// Adds a key as if fetched (tests, and issuers whose keys are configured by hand).
    pub fn insert(&self, kid: &str, key: DecodingKey) {
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        state.keys.insert(kid.to_owned(), key);
    }

    fn known(&self, kid: &str) -> Option<DecodingKey> {
        let state = self.state.read().unwrap_or_else(|e| e.into_inner());
        state.keys.get(kid).cloned()
    }

    /// The key `kid`, refreshing the set (in the background, single-flight) if it is unknown.
    pub async fn key(self: &Arc<Self>, kid: &str) -> Result<DecodingKey, AuthError> {
        if let Some(key) = self.known(kid) {
            return Ok(key);
        }
        let mut outcome = self.refresh.subscribe();
        self.start_refresh();
        let waited = tokio::time::timeout(UNKNOWN_KID_WAIT, async {
            while *outcome.borrow_and_update() == Refresh::Running {
                if outcome.changed().await.is_err() {
                    break;
                }
            }
        })
        .await;
        if let Some(key) = self.known(kid) {
            return Ok(key);
        }
        let nothing_known = self.state.read().map(|s| s.keys.is_empty()).unwrap_or(true);
        match (&*self.refresh.borrow(), waited) {
            (Refresh::Failed(why), _) if nothing_known => {
                Err(AuthError::IssuerUnreachable(why.clone()))
            }
            (Refresh::Running, Err(_)) if nothing_known => Err(AuthError::IssuerUnreachable(
                "the issuer's keys are still being fetched".into(),
            )),
            _ => Err(AuthError::Invalid(format!("unknown signing key `{kid}`"))),
        }
    }

    /// Starts a refresh unless one is running or one started less than 10 s ago.
    fn start_refresh(self: &Arc<Self>) {
        {
            let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
            let recent = state
                .last_attempt
                .is_some_and(|at| at.elapsed() < MIN_REFRESH_INTERVAL);
            if recent || *self.refresh.borrow() == Refresh::Running {
                return;
            }
            state.last_attempt = Some(Instant::now());
            self.refresh.send_replace(Refresh::Running);
        }
        let cache = Arc::clone(self);
        tokio::spawn(async move {
            let outcome = match tokio::time::timeout(FETCH_DEADLINE, cache.fetch()).await {
                Ok(Ok(keys)) => {
                    let mut state = cache.state.write().unwrap_or_else(|e| e.into_inner());
                    state.keys = keys;
                    Refresh::Idle
                }
                Ok(Err(why)) => Refresh::Failed(why),
                Err(_) => Refresh::Failed("the issuer did not answer in time".into()),
            };
            if let Refresh::Failed(why) = &outcome {
                tracing::warn!("cannot refresh the issuer's keys: {why}");
            }
            cache.refresh.send_replace(outcome);
        });
    }

    async fn fetch(&self) -> Result<HashMap<String, DecodingKey>, String> {
        let discovery_url = format!("{}/.well-known/openid-configuration", self.issuer);
        let discovery: OpenIdConfiguration = self.get_json(&discovery_url).await?;
        let set: JwkSet = self.get_json(&discovery.jwks_uri).await?;
        Ok(set
            .keys
            .iter()
            .filter_map(|jwk| {
                let kid = jwk.common.key_id.clone()?;
                DecodingKey::from_jwk(jwk).ok().map(|k| (kid, k))
            })
            .collect())
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, String> {
        let mut response = self
            .http
            .get(url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| e.to_string())?;
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
            if body.len() + chunk.len() > MAX_JWKS_BYTES {
                return Err(format!("{url}: answer larger than {MAX_JWKS_BYTES} bytes"));
            }
            body.extend_from_slice(&chunk);
        }
        serde_json::from_slice(&body).map_err(|e| format!("{url}: {e}"))
    }
}
