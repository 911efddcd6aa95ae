//! Who is calling: verifying the citizen's access token (a JWT from the federation's issuer).
//!
//! The token's signature is checked against the issuer's published keys (discovery → `jwks_uri`),
//! then its issuer, audience and expiry. Keys are cached; a token signed with an unknown key id
//! triggers one refresh (at most every 10 seconds, so forged key ids cannot hammer the issuer). The
//! subject (`sub`) is the only identity the provider keeps: a citizen only ever sees demandes filed
//! under their own subject.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

/// Why a request is not authenticated.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("no bearer token")]
    Missing,
    #[error("the token is not a valid JWT from the federation's issuer: {0}")]
    Invalid(String),
    #[error("the token has expired")]
    Expired,
    #[error("the identity provider's keys cannot be fetched: {0}")]
    IssuerUnreachable(String),
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
}

#[derive(Deserialize)]
struct OpenIdConfiguration {
    jwks_uri: String,
}

/// Verifies access tokens for one issuer and audience.
pub struct Verifier {
    issuer: String,
    audience: String,
    http: reqwest::Client,
    keys: RwLock<(HashMap<String, DecodingKey>, Option<Instant>)>,
}

const MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(10);

impl Verifier {
    pub fn new(issuer: &str, audience: &str) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap_or_default();
        Verifier {
            issuer: issuer.trim_end_matches('/').to_owned(),
            audience: audience.to_owned(),
            http,
            keys: RwLock::new((HashMap::new(), None)),
        }
    }

    /// The subject of a valid token from an `Authorization` header value.
    pub async fn subject(&self, authorization: Option<&str>) -> Result<String, AuthError> {
        let token = authorization
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AuthError::Missing)?;
        let header = decode_header(token).map_err(|e| AuthError::Invalid(e.to_string()))?;
        if header.alg != Algorithm::RS256
            && header.alg != Algorithm::PS256
            && header.alg != Algorithm::ES256
        {
            return Err(AuthError::Invalid(format!(
                "algorithm {:?} is not accepted",
                header.alg
            )));
        }
        let kid = header
            .kid
            .ok_or_else(|| AuthError::Invalid("the token names no key (kid)".into()))?;
        let key = self.key(&kid).await?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[self.issuer.as_str(), &format!("{}/", self.issuer)]);
        validation.set_audience(&[self.audience.as_str()]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 30;
        let data = decode::<Claims>(token, &key, &validation).map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => AuthError::Expired,
            _ => AuthError::Invalid(e.to_string()),
        })?;
        Ok(data.claims.sub)
    }

    async fn key(&self, kid: &str) -> Result<DecodingKey, AuthError> {
        if let Some(key) = self.keys.read().await.0.get(kid) {
            return Ok(key.clone());
        }
        let mut keys = self.keys.write().await;
        if let Some(key) = keys.0.get(kid) {
            return Ok(key.clone());
        }
        let recently = keys.1.is_some_and(|at| at.elapsed() < MIN_REFRESH_INTERVAL);
        if !recently {
            keys.1 = Some(Instant::now());
            keys.0 = self.fetch_keys().await?;
        }
        keys.0
            .get(kid)
            .cloned()
            .ok_or_else(|| AuthError::Invalid(format!("unknown signing key `{kid}`")))
    }

    async fn fetch_keys(&self) -> Result<HashMap<String, DecodingKey>, AuthError> {
        let unreachable = |e: reqwest::Error| AuthError::IssuerUnreachable(e.to_string());
        let discovery_url = format!("{}/.well-known/openid-configuration", self.issuer);
        let discovery: OpenIdConfiguration = self
            .http
            .get(&discovery_url)
            .send()
            .await
            .map_err(unreachable)?
            .error_for_status()
            .map_err(unreachable)?
            .json()
            .await
            .map_err(unreachable)?;
        let set: JwkSet = self
            .http
            .get(&discovery.jwks_uri)
            .send()
            .await
            .map_err(unreachable)?
            .error_for_status()
            .map_err(unreachable)?
            .json()
            .await
            .map_err(unreachable)?;
        Ok(set
            .keys
            .iter()
            .filter_map(|jwk| {
                let kid = jwk.common.key_id.clone()?;
                DecodingKey::from_jwk(jwk).ok().map(|k| (kid, k))
            })
            .collect())
    }
}
