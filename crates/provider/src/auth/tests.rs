//! The verifier's rules, one test per way a token or proof can be wrong. Tokens are signed with
//! the test issuer's RSA key (`tests/fixtures`), proofs with a fresh P-256 key (ring).

#![allow(clippy::unwrap_used)]

use super::dpop::{self, ProofError};
use super::test_holder::Holder;
use super::*;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{DecodingKey, EncodingKey, Header, encode};
use serde_json::{Value, json};

const ISSUER: &str = "https://connexion.example.fr";
const API: &str = "https://demarches.gien.fr/api";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn verifier(mode: DpopMode) -> Verifier {
    let verifier = Verifier::new(ISSUER, API, mode);
    let jwk: Jwk = serde_json::from_slice(&fixture("issuer-public.jwk.json")).unwrap();
    verifier
        .keys()
        .insert("test-key", DecodingKey::from_jwk(&jwk).unwrap());
    verifier
}

fn token(header: Value, claims: Value) -> String {
    let mut h: Header = serde_json::from_value(header.clone()).unwrap();
    h.kid = Some("test-key".into());
    let key = EncodingKey::from_rsa_pem(&fixture("issuer-key.pem")).unwrap();
    let signed = encode(&h, &claims, &key).unwrap();
    if header.get("crit").is_none() {
        return signed;
    }
    // jsonwebtoken's Header has no `crit`: re-sign a hand-made header.
    let mut raw = serde_json::to_value(&h).unwrap();
    raw["crit"] = header["crit"].clone();
    raw["x-unknown"] = json!(true);
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(raw.to_string()),
        signed.split('.').nth(1).unwrap()
    );
    let signature = jsonwebtoken::crypto::sign(input.as_bytes(), &key, Algorithm::RS256).unwrap();
    format!("{input}.{signature}")
}

fn claims(holder: Option<&Holder>) -> Value {
    let mut c = json!({
        "iss": ISSUER, "sub": "demo-camille-martin", "aud": API,
        "iat": now(), "exp": now() + 300, "client_id": "guichet-portal",
    });
    if let Some(h) = holder {
        c["cnf"] = json!({ "jkt": h.jkt() });
    }
    c
}

fn at_jwt() -> Value {
    json!({"alg": "RS256", "typ": "at+jwt"})
}

async fn present(
    v: &Verifier,
    scheme: &str,
    token: &str,
    proofs: &[&str],
    method: &str,
    path: &str,
) -> Result<String, AuthError> {
    let authorization = format!("{scheme} {token}");
    v.subject(&Presented {
        authorization: Some(&authorization),
        proofs,
        method,
        path,
    })
    .await
}

#[tokio::test]
async fn a_bound_token_with_its_fresh_proof_for_this_request_is_accepted_once() {
    let v = verifier(DpopMode::Required);
    let holder = Holder::new();
    let t = token(at_jwt(), claims(Some(&holder)));
    let proof = holder.proof("GET", &format!("{API}/v1/demandes"), &t);
    let ok = present(
        &v,
        "DPoP",
        &t,
        &[&proof],
        "GET",
        "/v1/demandes?updated_since=x",
    )
    .await;
    assert_eq!(ok, Ok("demo-camille-martin".into()));
    let again = present(&v, "DPoP", &t, &[&proof], "GET", "/v1/demandes").await;
    assert_eq!(again, Err(AuthError::Proof(ProofError::Replayed)));
}

#[tokio::test]
async fn a_token_for_another_provider_or_for_several_is_refused() {
    let v = verifier(DpopMode::Allowed);
    for aud in [
        json!("https://api.loiret.fr"),
        json!([API, "https://api.loiret.fr"]),
        json!("urn:guichet:providers"),
    ] {
        let mut c = claims(None);
        c["aud"] = aud.clone();
        let got = present(
            &v,
            "Bearer",
            &token(at_jwt(), c),
            &[],
            "GET",
            "/v1/demandes",
        )
        .await;
        assert_eq!(got, Err(AuthError::WrongAudience), "aud {aud}");
    }
}

#[tokio::test]
async fn a_bound_token_without_its_proof_or_as_a_bearer_token_is_refused() {
    let v = verifier(DpopMode::Allowed);
    let holder = Holder::new();
    let t = token(at_jwt(), claims(Some(&holder)));
    let missing = present(&v, "DPoP", &t, &[], "GET", "/v1/demandes").await;
    assert_eq!(missing, Err(AuthError::Proof(ProofError::Missing)));
    let proof = holder.proof("GET", &format!("{API}/v1/demandes"), &t);
    let as_bearer = present(&v, "Bearer", &t, &[&proof], "GET", "/v1/demandes").await;
    assert_eq!(as_bearer, Err(AuthError::Proof(ProofError::Missing)));
    let twice = present(&v, "DPoP", &t, &[&proof, &proof], "GET", "/v1/demandes").await;
    assert_eq!(twice, Err(AuthError::Proof(ProofError::Several)));
}

#[tokio::test]
async fn an_unbound_token_is_refused_when_dpop_is_required() {
    let t = token(at_jwt(), claims(None));
    let required = present(
        &verifier(DpopMode::Required),
        "Bearer",
        &t,
        &[],
        "GET",
        "/v1/demandes",
    )
    .await;
    assert_eq!(required, Err(AuthError::DpopRequired));
    let allowed = present(
        &verifier(DpopMode::Allowed),
        "Bearer",
        &t,
        &[],
        "GET",
        "/v1/demandes",
    )
    .await;
    assert_eq!(allowed, Ok("demo-camille-martin".into()));
}

#[tokio::test]
async fn a_proof_for_another_url_method_token_or_key_is_refused() {
    let v = verifier(DpopMode::Required);
    let holder = Holder::new();
    let other = Holder::new();
    let t = token(at_jwt(), claims(Some(&holder)));
    let url = format!("{API}/v1/demandes");
    let cases = [
        (holder.proof("GET", "https://api.loiret.fr/v1/demandes", &t), "another API"),
        (holder.proof("GET", &format!("{API}/v1/demandes/x"), &t), "another path"),
        (holder.proof("POST", &url, &t), "another method"),
        (holder.proof("GET", &url, "another-token"), "another token"),
        (other.proof("GET", &url, &t), "another key"),
        (
            holder.proof_with(json!({"jti": "j1", "htm": "GET", "htu": url, "iat": now() - 600, "ath": dpop::token_hash(&t)})),
            "ten minutes old",
        ),
        (
            holder.proof_with(json!({"jti": "j2", "htm": "GET", "htu": url, "iat": now() + 600, "ath": dpop::token_hash(&t)})),
            "from the future",
        ),
        (
            holder.proof_with(json!({"htm": "GET", "htu": url, "iat": now(), "ath": dpop::token_hash(&t)})),
            "without jti",
        ),
        (
            holder.sign(&json!({"typ": "JWT", "alg": "ES256", "jwk": holder.jwk}), &json!({"jti": "j3", "htm": "GET", "htu": url, "iat": now(), "ath": dpop::token_hash(&t)})),
            "typ JWT",
        ),
        (
            holder.sign(&json!({"typ": "dpop+jwt", "alg": "ES256"}), &json!({"jti": "j4", "htm": "GET", "htu": url, "iat": now(), "ath": dpop::token_hash(&t)})),
            "no jwk",
        ),
    ];
    for (proof, why) in cases {
        let got = present(&v, "DPoP", &t, &[&proof], "GET", "/v1/demandes").await;
        assert!(matches!(got, Err(AuthError::Proof(_))), "{why}: {got:?}");
    }
    // None of the refused proofs was remembered: the right one still passes.
    let good = holder.proof("GET", &url, &t);
    assert!(
        present(&v, "DPoP", &t, &[&good], "GET", "/v1/demandes")
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_token_not_valid_yet_is_refused() {
    let mut c = claims(None);
    c["nbf"] = json!(now() + 120);
    let got = present(
        &verifier(DpopMode::Allowed),
        "Bearer",
        &token(at_jwt(), c),
        &[],
        "GET",
        "/v1/demandes",
    )
    .await;
    assert!(
        matches!(got, Err(AuthError::Invalid(ref why)) if why.contains("nbf")),
        "{got:?}"
    );
    let mut c = claims(None);
    c["iat"] = json!(now() + 3600);
    let got = present(
        &verifier(DpopMode::Allowed),
        "Bearer",
        &token(at_jwt(), c),
        &[],
        "GET",
        "/v1/demandes",
    )
    .await;
    assert!(
        matches!(got, Err(AuthError::Invalid(ref why)) if why.contains("iat")),
        "{got:?}"
    );
}

#[tokio::test]
async fn a_token_with_an_unknown_critical_header_is_refused() {
    let header = json!({"alg": "RS256", "typ": "at+jwt", "crit": ["x-unknown"]});
    let got = present(
        &verifier(DpopMode::Allowed),
        "Bearer",
        &token(header, claims(None)),
        &[],
        "GET",
        "/v1/demandes",
    )
    .await;
    assert!(
        matches!(got, Err(AuthError::Invalid(ref why)) if why.contains("critical")),
        "{got:?}"
    );
}

#[tokio::test]
async fn a_token_without_a_subject_is_refused() {
    for sub in ["", "   "] {
        let mut c = claims(None);
        c["sub"] = json!(sub);
        let got = present(
            &verifier(DpopMode::Allowed),
            "Bearer",
            &token(at_jwt(), c),
            &[],
            "GET",
            "/v1/demandes",
        )
        .await;
        assert!(
            matches!(got, Err(AuthError::Invalid(ref why)) if why.contains("subject")),
            "{got:?}"
        );
    }
}

#[tokio::test]
async fn a_token_that_is_not_an_access_token_is_refused() {
    for typ in [json!("JWT"), json!("id_token+jwt"), Value::Null] {
        let mut header = at_jwt();
        header["typ"] = typ.clone();
        let got = present(
            &verifier(DpopMode::Allowed),
            "Bearer",
            &token(header, claims(None)),
            &[],
            "GET",
            "/v1/demandes",
        )
        .await;
        assert!(
            matches!(got, Err(AuthError::Invalid(ref why)) if why.contains("at+jwt")),
            "typ {typ}: {got:?}"
        );
    }
}

#[test]
fn thumbprint_matches_rfc_7638_section_3_1() {
    let jwk: Jwk = serde_json::from_value(json!({
        "kty": "RSA", "e": "AQAB", "alg": "RS256", "kid": "2011-04-29",
        "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    })).unwrap();
    assert_eq!(
        dpop::thumbprint(&jwk).as_deref(),
        Some("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    );
}

#[test]
fn htu_is_compared_without_query_fragment_case_or_default_port() {
    assert_eq!(
        dpop::normalise_url("HTTPS://Demarches.Gien.fr:443/api/v1/demandes?x=1#f").as_deref(),
        Some("https://demarches.gien.fr/api/v1/demandes")
    );
    assert_eq!(
        dpop::normalise_url("http://127.0.0.1:8101").as_deref(),
        Some("http://127.0.0.1:8101/")
    );
    assert_eq!(dpop::normalise_url("http://user@evil/").as_deref(), None);
    assert_eq!(dpop::normalise_url("/relative").as_deref(), None);
}

#[test]
fn the_replay_cache_forgets_a_proof_only_once_it_is_stale_anyway() {
    let cache = dpop::ReplayCache::default();
    let proof = dpop::Proof {
        thumbprint: "k".into(),
        jti: "j".into(),
        iat: 1_000,
    };
    assert_eq!(cache.first_use(&proof, 1_000), Ok(()));
    assert_eq!(
        cache.first_use(&proof, 1_000 + dpop::IAT_WINDOW),
        Err(ProofError::Replayed)
    );
    // The same jti from another key is another proof.
    let other = dpop::Proof {
        thumbprint: "k2".into(),
        ..proof.clone()
    };
    assert_eq!(cache.first_use(&other, 1_001), Ok(()));
    // Once stale, swept: the cache does not grow without bound.
    assert_eq!(
        cache.first_use(
            &dpop::Proof {
                jti: "j9".into(),
                ..proof
            },
            1_000 + dpop::IAT_WINDOW + 20
        ),
        Ok(())
    );
    assert_eq!(cache.len(), 1);
}
