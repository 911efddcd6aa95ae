//! Who is calling: verifying the citizen's access token and, when bound, its DPoP proof.
//!
//! A token is accepted only when everything holds:
//! * it is a JWT access token (`typ: at+jwt`, RFC 9068) signed by the federation's issuer with a key
//!   from its published set (see [`keys`]), with no critical header this code does not know;
//! * it was issued for **this** provider: `aud` is exactly this API's resource indicator (its base
//!   URL as the catalogue declares it, RFC 8707), and nothing else — a token minted for another
//!   member is refused here, and a token minted for this one is refused everywhere else;
//! * it is current (`exp`, `nbf` and `iat` with 30 s of tolerance) and names a subject;
//! * when it is sender-constrained (`cnf.jkt`), it comes as `Authorization: DPoP …` with a fresh
//!   proof signed by that key for this very request (see [`dpop`]); when the provider requires
//!   DPoP (`[auth] dpop = "required"`, the default), unbound tokens are refused.
//!
//! The subject (`sub`) is the only identity the provider keeps: a citizen only ever sees demandes
//! filed under their own subject.

pub mod dpop;
pub mod keys;
#[cfg(test)]
mod test_holder;
#[cfg(test)]
mod tests;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, Validation, decode};
use serde::Deserialize;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

pub use dpop::ProofError;

/// Whether unbound (bearer) tokens are accepted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DpopMode {
    /// Every token must be DPoP-bound and come with its proof (the default; the demo's setting).
    #[default]
    Required,
    /// Bearer tokens without `cnf` are accepted too (benchmarks, migrations). A bound token still
    /// needs its proof.
    Allowed,
}

/// Why a request is not authenticated.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("no access token")]
    Missing,
    #[error("the token is not a valid JWT from the federation's issuer: {0}")]
    Invalid(String),
    #[error("the token has expired")]
    Expired,
    #[error("the token is not for this provider")]
    WrongAudience,
    #[error("the token must be sender-constrained (DPoP)")]
    DpopRequired,
    #[error("{0}")]
    Proof(#[from] ProofError),
    #[error("the identity provider's keys cannot be fetched: {0}")]
    IssuerUnreachable(String),
}

/// What the caller presented, and the request it presented it for.
#[derive(Debug, Clone, Copy)]
pub struct Presented<'a> {
    /// The `Authorization` header.
    pub authorization: Option<&'a str>,
    /// Every `DPoP` header (there must be at most one).
    pub proofs: &'a [&'a str],
    pub method: &'a str,
    /// The request's path (query and fragment are ignored).
    pub path: &'a str,
}

#[derive(Deserialize)]
struct RawHeader {
    typ: Option<String>,
    alg: String,
    kid: Option<String>,
    crit: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    #[serde(default)]
    iat: Option<i64>,
    #[serde(default)]
    aud: Audience,
    #[serde(default)]
    cnf: Option<Confirmation>,
}

#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
    #[default]
    None,
}

#[derive(Deserialize)]
struct Confirmation {
    jkt: Option<String>,
}

/// Verifies access tokens for one issuer and one audience (this provider).
pub struct Verifier {
    issuer: String,
    audience: String,
    mode: DpopMode,
    keys: Arc<keys::KeyCache>,
    replays: dpop::ReplayCache,
}

/// Seconds since the epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

const LEEWAY: u64 = 30;

impl Verifier {
    pub fn new(issuer: &str, audience: &str, mode: DpopMode) -> Self {
        let issuer = issuer.trim_end_matches('/').to_owned();
        Verifier {
            keys: keys::KeyCache::new(&issuer),
            issuer,
            audience: audience.trim_end_matches('/').to_owned(),
            mode,
            replays: dpop::ReplayCache::default(),
        }
    }

    /// The issuer's key cache (to preload a key in tests).
    pub fn keys(&self) -> &keys::KeyCache {
        &self.keys
    }

    pub fn mode(&self) -> DpopMode {
        self.mode
    }

    /// The subject of a valid token, proven by its DPoP proof when bound.
    pub async fn subject(&self, presented: &Presented<'_>) -> Result<String, AuthError> {
        let (scheme, token) = presented
            .authorization
            .and_then(|h| h.trim().split_once(' '))
            .map(|(scheme, token)| (scheme.to_ascii_lowercase(), token.trim()))
            .filter(|(_, token)| !token.is_empty())
            .ok_or(AuthError::Missing)?;
        let bound_scheme = match scheme.as_str() {
            "dpop" => true,
            "bearer" => false,
            _ => return Err(AuthError::Missing),
        };
        let claims = self.token_claims(token).await?;
        let jkt = claims.cnf.and_then(|c| c.jkt);
        match (jkt, bound_scheme) {
            (Some(jkt), true) => {
                self.check_proof(presented, token, &jkt)?;
            }
            // RFC 9449 §7.1: a bound token presented as a bearer token is refused.
            (Some(_), false) => return Err(AuthError::Proof(ProofError::Missing)),
            (None, true) => {
                return Err(AuthError::Invalid(
                    "the DPoP scheme needs a DPoP-bound token".into(),
                ));
            }
            (None, false) if self.mode == DpopMode::Required => {
                return Err(AuthError::DpopRequired);
            }
            (None, false) => {}
        }
        Ok(claims.sub)
    }

    fn check_proof(
        &self,
        presented: &Presented<'_>,
        token: &str,
        jkt: &str,
    ) -> Result<(), AuthError> {
        let proof = match presented.proofs {
            [] => return Err(ProofError::Missing.into()),
            [one] => *one,
            _ => return Err(ProofError::Several.into()),
        };
        let path = presented.path.split(['?', '#']).next().unwrap_or("/");
        let url = format!("{}{path}", self.audience);
        let target = dpop::Target {
            method: presented.method,
            url: &url,
        };
        let now = now();
        let checked = dpop::check(proof, &target, token, now)?;
        if checked.thumbprint != jkt {
            return Err(ProofError::WrongKey.into());
        }
        self.replays.first_use(&checked, now)?;
        Ok(())
    }

    /// Header, signature and claims of the access token itself.
    async fn token_claims(&self, token: &str) -> Result<Claims, AuthError> {
        let header = raw_header(token)?;
        if !header.typ.as_deref().is_some_and(|t| {
            t.eq_ignore_ascii_case("at+jwt") || t.eq_ignore_ascii_case("application/at+jwt")
        }) {
            return Err(AuthError::Invalid(
                "not a JWT access token (typ must be at+jwt)".into(),
            ));
        }
        if header.crit.is_some() {
            return Err(AuthError::Invalid(
                "the token has a critical header this provider does not understand".into(),
            ));
        }
        let alg = match header.alg.as_str() {
            "RS256" => Algorithm::RS256,
            "PS256" => Algorithm::PS256,
            "ES256" => Algorithm::ES256,
            other => {
                return Err(AuthError::Invalid(format!(
                    "algorithm {other} is not accepted"
                )));
            }
        };
        let kid = header
            .kid
            .ok_or_else(|| AuthError::Invalid("the token names no key (kid)".into()))?;
        let key = self.keys.key(&kid).await?;
        let mut validation = Validation::new(alg);
        validation.set_issuer(&[self.issuer.as_str(), &format!("{}/", self.issuer)]);
        // The audience is checked below, exactly (one audience, this provider's).
        validation.validate_aud = false;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY;
        let claims = decode::<Claims>(token, &key, &validation)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => AuthError::Expired,
                jsonwebtoken::errors::ErrorKind::ImmatureSignature => {
                    AuthError::Invalid("the token is not valid yet (nbf)".into())
                }
                _ => AuthError::Invalid(e.to_string()),
            })?
            .claims;
        let for_us = match &claims.aud {
            Audience::One(aud) => aud.trim_end_matches('/') == self.audience,
            Audience::Many(auds) => {
                auds.len() == 1 && auds[0].trim_end_matches('/') == self.audience
            }
            Audience::None => false,
        };
        if !for_us {
            return Err(AuthError::WrongAudience);
        }
        if claims.iat.is_some_and(|iat| iat > now() + LEEWAY as i64) {
            return Err(AuthError::Invalid(
                "the token was issued in the future (iat)".into(),
            ));
        }
        if claims.sub.trim().is_empty() {
            return Err(AuthError::Invalid("the token names no subject".into()));
        }
        Ok(claims)
    }
}

tokio::task_local! {
    /// The method and path of the request being served, for DPoP's `htm` and `htu`.
    static REQUEST_LINE: (String, String);
}

/// Middleware: makes the request's method and path known to [`Verifier::subject_of`] while the
/// handler runs (handlers only pass their headers).
pub async fn remember_request_line(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let line = (
        request.method().to_string(),
        request.uri().path().to_owned(),
    );
    REQUEST_LINE.scope(line, next.run(request)).await
}

/// The `WWW-Authenticate` challenges of a 401 (RFC 6750, RFC 9449 §7.1).
pub fn challenges(mode: DpopMode) -> &'static [&'static str] {
    match mode {
        DpopMode::Required => &["DPoP realm=\"guichet\", algs=\"ES256 PS256 RS256\""],
        DpopMode::Allowed => &[
            "Bearer realm=\"guichet\"",
            "DPoP realm=\"guichet\", algs=\"ES256 PS256 RS256\"",
        ],
    }
}

impl Verifier {
    /// The subject of the request being served (see [`remember_request_line`]), from its headers.
    pub async fn subject_of(&self, headers: &axum::http::HeaderMap) -> Result<String, AuthError> {
        let authorization = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let proofs: Vec<&str> = headers
            .get_all("dpop")
            .iter()
            .map(|v| v.to_str().unwrap_or_default())
            .collect();
        // Outside the middleware the request is unknown: no proof can be checked, so bound tokens
        // are refused (fail closed).
        let line = REQUEST_LINE
            .try_with(Clone::clone)
            .unwrap_or_else(|_| (String::new(), String::new()));
        self.subject(&Presented {
            authorization,
            proofs: &proofs,
            method: &line.0,
            path: &line.1,
        })
        .await
    }
}

fn raw_header(token: &str) -> Result<RawHeader, AuthError> {
    let invalid = |why: String| AuthError::Invalid(why);
    let part = token
        .split('.')
        .next()
        .filter(|_| token.split('.').count() == 3)
        .ok_or_else(|| invalid("not a JWT".into()))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| invalid(e.to_string()))?;
    serde_json::from_slice(&bytes).map_err(|e| invalid(e.to_string()))
}
