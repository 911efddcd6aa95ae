//! Test support (unit and integration tests): a DPoP key holder, as a browser is, signing proofs
//! with a fresh P-256 key (ring). Self-contained so `tests/` can include it by path.

#![allow(clippy::unwrap_used, dead_code)]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub struct Holder {
    pair: EcdsaKeyPair,
    pub jwk: Value,
}

pub fn seconds_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// `ath`: base64url(SHA-256(token)).
pub fn ath(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

impl Holder {
    pub fn new() -> Holder {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let point = pair.public_key().as_ref();
        let jwk = json!({
            "kty": "EC", "crv": "P-256",
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
            "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
        });
        Holder { pair, jwk }
    }

    /// RFC 7638 thumbprint of the public key (what `cnf.jkt` says).
    pub fn jkt(&self) -> String {
        let canonical = format!(
            r#"{{"crv":"P-256","kty":"EC","x":{},"y":{}}}"#,
            self.jwk["x"], self.jwk["y"]
        );
        URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
    }

    pub fn sign(&self, header: &Value, claims: &Value) -> String {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = self
            .pair
            .sign(&SystemRandom::new(), input.as_bytes())
            .unwrap();
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
    }

    /// A fresh proof for `method url`, bound to `token`.
    pub fn proof(&self, method: &str, url: &str, token: &str) -> String {
        self.proof_with(json!({
            "jti": uuid::Uuid::new_v4().to_string(), "htm": method, "htu": url,
            "iat": seconds_now(), "ath": ath(token),
        }))
    }

    pub fn proof_with(&self, claims: Value) -> String {
        self.sign(
            &json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": self.jwk}),
            &claims,
        )
    }
}
