//! DPoP proofs (RFC 9449): the caller shows, on every request, that it holds the private key its
//! access token is bound to (`cnf.jkt`). A token copied out of a log, a proxy or another member's
//! API is then useless without that key, which never leaves the citizen's browser.
//!
//! A proof is a small JWT signed with the key it carries in its header (`jwk`). It is accepted when
//! it is for this exact request (`htm` = method, `htu` = this API's URL without query or fragment),
//! recent (`iat` within [`IAT_WINDOW`]), for this token (`ath` = SHA-256 of the token) and seen for
//! the first time ([`ReplayCache`]: each `jti` is remembered for as long as its `iat` is acceptable).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

/// How far a proof's `iat` may be from the provider's clock, either way (seconds). Phones keep
/// network time; two minutes absorbs the rest without keeping proofs replayable for long.
pub const IAT_WINDOW: i64 = 120;

/// How many proofs the replay cache remembers at most; past that, new proofs are refused (the
/// provider fails closed rather than forgetting what it has seen).
pub const REPLAY_CAPACITY: usize = 1_000_000;

/// Why a DPoP proof was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("no DPoP proof")]
    Missing,
    #[error("more than one DPoP proof")]
    Several,
    #[error("the DPoP proof is malformed: {0}")]
    Malformed(String),
    #[error("the DPoP proof is for {0}, not for this request")]
    WrongRequest(String),
    #[error("the DPoP proof is not recent (iat {0})")]
    Stale(i64),
    #[error("the DPoP proof is not for this access token (ath)")]
    WrongToken,
    #[error("the DPoP proof is signed with another key than the token is bound to")]
    WrongKey,
    #[error("this DPoP proof was already used")]
    Replayed,
    #[error("too many DPoP proofs to remember; try again shortly")]
    Saturated,
}

#[derive(Deserialize)]
struct ProofHeader {
    typ: Option<String>,
    alg: String,
    jwk: Option<Jwk>,
    #[serde(default)]
    crit: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct ProofClaims {
    jti: String,
    htm: String,
    htu: String,
    iat: i64,
    ath: Option<String>,
}

/// The request a proof must be for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target<'a> {
    pub method: &'a str,
    /// The absolute URL of the request as the caller sees it (this API's public base URL + path).
    pub url: &'a str,
}

/// A proof that passed every check but the replay check, which [`ReplayCache::first_use`] does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    pub thumbprint: String,
    pub jti: String,
    pub iat: i64,
}

/// RFC 7638 thumbprint of a public key (the value `cnf.jkt` carries).
pub fn thumbprint(jwk: &Jwk) -> Option<String> {
    let canonical = match &jwk.algorithm {
        AlgorithmParameters::EllipticCurve(ec) => {
            let crv = match ec.curve {
                EllipticCurve::P256 => "P-256",
                _ => return None,
            };
            format!(
                r#"{{"crv":"{crv}","kty":"EC","x":"{}","y":"{}"}}"#,
                ec.x, ec.y
            )
        }
        AlgorithmParameters::RSA(rsa) => {
            format!(r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#, rsa.e, rsa.n)
        }
        _ => return None,
    };
    Some(URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes())))
}

/// `ath`: base64url(SHA-256(access token)).
pub fn token_hash(access_token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(access_token.as_bytes()))
}

/// RFC 9449 §4.3 (9): `htu` compared without query and fragment, after syntax-based
/// normalisation (case of scheme and host, default port, empty path).
pub fn normalise_url(url: &str) -> Option<String> {
    let without = url.split(['?', '#']).next()?;
    let (scheme, rest) = without.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let mut authority = authority.to_ascii_lowercase();
    for default in [(&*scheme, ":443", "https"), (&*scheme, ":80", "http")] {
        if default.0 == default.2 && authority.ends_with(default.1) {
            authority.truncate(authority.len() - default.1.len());
        }
    }
    Some(format!("{scheme}://{authority}{path}"))
}

fn decode_part<T: serde::de::DeserializeOwned>(part: &str) -> Result<T, ProofError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| ProofError::Malformed(e.to_string()))?;
    serde_json::from_slice(&bytes).map_err(|e| ProofError::Malformed(e.to_string()))
}

/// Checks everything a proof says, except whether it was seen before.
pub fn check(
    proof: &str,
    target: &Target<'_>,
    access_token: &str,
    now: i64,
) -> Result<Proof, ProofError> {
    let header: ProofHeader = decode_part(proof.split('.').next().unwrap_or_default())?;
    if !header
        .typ
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("dpop+jwt"))
    {
        return Err(ProofError::Malformed("typ is not dpop+jwt".into()));
    }
    if header.crit.is_some() {
        return Err(ProofError::Malformed("unknown critical header".into()));
    }
    let algorithm = match header.alg.as_str() {
        "ES256" => Algorithm::ES256,
        "RS256" => Algorithm::RS256,
        "PS256" => Algorithm::PS256,
        other => {
            return Err(ProofError::Malformed(format!(
                "algorithm {other} is not accepted"
            )));
        }
    };
    let jwk = header
        .jwk
        .ok_or_else(|| ProofError::Malformed("no public key (jwk)".into()))?;
    // A private key in the header means the caller has leaked it: refuse.
    let private = serde_json::to_value(&jwk)
        .ok()
        .is_some_and(|v| v.get("d").is_some());
    if private {
        return Err(ProofError::Malformed("the jwk holds a private key".into()));
    }
    let thumbprint =
        thumbprint(&jwk).ok_or_else(|| ProofError::Malformed("unsupported key type".into()))?;
    let key = DecodingKey::from_jwk(&jwk).map_err(|e| ProofError::Malformed(e.to_string()))?;
    let mut validation = Validation::new(algorithm);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let claims = decode::<ProofClaims>(proof, &key, &validation)
        .map_err(|e| ProofError::Malformed(e.to_string()))?
        .claims;
    if claims.jti.is_empty() || claims.jti.len() > 256 {
        return Err(ProofError::Malformed("jti is empty or too long".into()));
    }
    let expected = normalise_url(target.url);
    if claims.htm != target.method || normalise_url(&claims.htu) != expected || expected.is_none() {
        return Err(ProofError::WrongRequest(format!(
            "{} {}",
            claims.htm, claims.htu
        )));
    }
    if (claims.iat - now).abs() > IAT_WINDOW {
        return Err(ProofError::Stale(claims.iat));
    }
    if claims.ath.as_deref() != Some(token_hash(access_token).as_str()) {
        return Err(ProofError::WrongToken);
    }
    Ok(Proof {
        thumbprint,
        jti: claims.jti,
        iat: claims.iat,
    })
}

/// Proofs already accepted, each kept until its `iat` leaves the acceptance window.
///
/// One provider process remembers its own proofs: several instances behind a load balancer need
/// sticky sessions or a shared store (see docs/provider.md).
#[derive(Default)]
pub struct ReplayCache {
    inner: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    /// SHA-256(key thumbprint, jti) → the time after which the proof is stale anyway.
    until: HashMap<[u8; 32], i64>,
    last_sweep: i64,
}

impl ReplayCache {
    /// Records the proof; `Err(Replayed)` if it was seen before.
    pub fn first_use(&self, proof: &Proof, now: i64) -> Result<(), ProofError> {
        let mut id = Sha256::new();
        id.update(proof.thumbprint.as_bytes());
        id.update([0]);
        id.update(proof.jti.as_bytes());
        let id: [u8; 32] = id.finalize().into();
        let mut seen = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        // Forget stale proofs now and then (never more than every 10 s: a sweep walks the map).
        if now - seen.last_sweep >= 10 || seen.until.len() >= REPLAY_CAPACITY {
            seen.until.retain(|_, until| *until >= now);
            seen.last_sweep = now;
        }
        if seen.until.contains_key(&id) {
            return Err(ProofError::Replayed);
        }
        if seen.until.len() >= REPLAY_CAPACITY {
            return Err(ProofError::Saturated);
        }
        seen.until.insert(id, proof.iat + IAT_WINDOW);
        Ok(())
    }

    /// How many proofs are remembered.
    pub fn len(&self) -> usize {
        self.inner.lock().map(|s| s.until.len()).unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
