//! DPoP proofs (RFC 9449), the pure part: what a proof says and how it is laid out.
//!
//! The browser holds a P-256 key pair made with WebCrypto as non-extractable (see [`super::key`]):
//! its private half can sign but can never be read, so it never leaves this page, and it is gone
//! with the page (reload, sign-out, kiosk wipe). Every token request and every provider request
//! carries a fresh proof signed with it, naming the request's method and URL (without query or
//! fragment), the time, a unique id and, towards a provider, the hash of the access token. Tokens
//! the issuer binds to this key (`cnf.jkt`) are then worthless to whoever copies them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use sha2::{Digest, Sha256};

/// The public half of the key, as a JWK (P-256): base64url coordinates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicJwk {
    pub x: String,
    pub y: String,
}

impl PublicJwk {
    fn to_json(&self) -> serde_json::Value {
        json!({ "kty": "EC", "crv": "P-256", "x": self.x, "y": self.y })
    }

    /// RFC 7638 thumbprint (what the issuer puts in `cnf.jkt`): the portal never needs it, the
    /// test shows the public key it sends hashes to what the issuer binds tokens to.
    #[cfg(test)]
    fn thumbprint(&self) -> String {
        let canonical = format!(
            r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#,
            self.x, self.y
        );
        URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
    }
}

/// `htu`: the request URL without query and fragment (RFC 9449 §4.2).
pub fn htu(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// `ath`: base64url(SHA-256(access token)).
pub fn ath(access_token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(access_token.as_bytes()))
}

/// The part of a proof that gets signed: `base64url(header).base64url(claims)`.
pub fn signing_input(
    jwk: &PublicJwk,
    method: &str,
    url: &str,
    jti: &str,
    iat_seconds: u64,
    access_token: Option<&str>,
) -> String {
    let header = json!({ "typ": "dpop+jwt", "alg": "ES256", "jwk": jwk.to_json() });
    let mut claims = json!({ "jti": jti, "htm": method, "htu": htu(url), "iat": iat_seconds });
    if let Some(token) = access_token {
        claims["ath"] = json!(ath(token));
    }
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// The compact proof from its signing input and the raw ECDSA signature (r‖s, 64 bytes, which is
/// what WebCrypto returns and what JWS ES256 wants).
pub fn assemble(signing_input: &str, signature: &[u8]) -> String {
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwk() -> PublicJwk {
        // RFC 7515 appendix A.3's P-256 key.
        PublicJwk {
            x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU".into(),
            y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0".into(),
        }
    }

    fn decode(part: &str) -> serde_json::Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    }

    #[test]
    fn a_proof_names_the_request_without_its_query_and_binds_the_token() {
        let input = signing_input(
            &jwk(),
            "GET",
            "http://127.0.0.1:8101/v1/demandes?updated_since=x#f",
            "j-1",
            1_700_000_000,
            Some("the-token"),
        );
        let (header, claims) = input.split_once('.').unwrap();
        let header = decode(header);
        let claims = decode(claims);
        assert_eq!(header["typ"], "dpop+jwt");
        assert_eq!(header["alg"], "ES256");
        assert_eq!(header["jwk"]["x"], jwk().x);
        assert!(header["jwk"].get("d").is_none(), "never a private key");
        assert_eq!(claims["htm"], "GET");
        assert_eq!(claims["htu"], "http://127.0.0.1:8101/v1/demandes");
        assert_eq!(claims["iat"], 1_700_000_000);
        assert_eq!(claims["jti"], "j-1");
        assert_eq!(claims["ath"], ath("the-token"));
    }

    #[test]
    fn a_token_request_proof_has_no_token_hash() {
        let input = signing_input(&jwk(), "POST", "http://idp/token", "j", 1, None);
        let claims = decode(input.split('.').nth(1).unwrap());
        assert!(claims.get("ath").is_none());
    }

    #[test]
    fn ath_is_the_base64url_sha256_of_the_token() {
        // echo -n "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU" | sha256 | base64url (RFC 9449 §7.1)
        assert_eq!(
            ath("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"),
            "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
        );
    }

    #[test]
    fn the_thumbprint_is_the_rfc_7638_one() {
        // Computed independently (jose's calculateJwkThumbprint) for RFC 7515 A.3's key.
        assert_eq!(
            jwk().thumbprint(),
            "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U"
        );
    }
}
