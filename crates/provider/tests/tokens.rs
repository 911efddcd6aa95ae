//! Provider-bound, sender-constrained tokens over real HTTP: a provider requiring DPoP, tokens from
//! the test issuer, proofs from a key held like a browser holds it.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../src/auth/test_holder.rs"]
mod test_holder;

use axum::Json;
use axum::routing::get as route_get;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{AUDIENCE, CAMILLE, TestProvider, start_full, start_issuer};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use test_holder::{Holder, seconds_now};

fn issuer_key() -> EncodingKey {
    let path = format!(
        "{}/tests/fixtures/issuer-key.pem",
        env!("CARGO_MANIFEST_DIR")
    );
    EncodingKey::from_rsa_pem(&std::fs::read(path).unwrap()).unwrap()
}

/// An access token as the identity provider mints it, bound to `holder`'s key.
fn bound_token(p: &TestProvider, audience: &str, holder: &Holder, kid: &str) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.into());
    header.typ = Some("at+jwt".into());
    let claims = json!({
        "iss": p.issuer, "sub": CAMILLE, "aud": audience, "client_id": "guichet-portal",
        "iat": seconds_now(), "exp": seconds_now() + 300, "cnf": { "jkt": holder.jkt() },
    });
    encode(&header, &claims, &issuer_key()).unwrap()
}

/// `GET path` with `Authorization: DPoP token` and the given proofs.
async fn get(p: &TestProvider, path: &str, token: &str, proofs: &[String]) -> reqwest::Response {
    let mut request = p
        .client
        .get(format!("{}{path}", p.url))
        .header("authorization", format!("DPoP {token}"));
    for proof in proofs {
        request = request.header("dpop", proof);
    }
    request.send().await.unwrap()
}

async fn kind(response: reqwest::Response) -> String {
    let body: Value = response.json().await.unwrap();
    body["type"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_bound_token_works_with_fresh_proofs_and_nothing_else_does() {
    let p = start_full(start_issuer().await, 0, "required").await;
    let holder = Holder::new();
    let token = bound_token(&p, AUDIENCE, &holder, "test-key");
    let url = format!("{AUDIENCE}/v1/demandes");
    let proof = holder.proof("GET", &url, &token);
    let ok = get(&p, "/v1/demandes", &token, std::slice::from_ref(&proof)).await;
    assert_eq!(ok.status(), StatusCode::OK);
    // The same proof again (captured on the way): refused.
    let replayed = get(&p, "/v1/demandes", &token, &[proof]).await;
    assert_eq!(replayed.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        replayed.headers()["www-authenticate"],
        "DPoP realm=\"guichet\", algs=\"ES256 PS256 RS256\""
    );
    assert_eq!(kind(replayed).await, "urn:guichet:problem:invalid-token");
    // The token alone, as DPoP or as a bearer token: refused.
    assert_eq!(
        get(&p, "/v1/demandes", &token, &[]).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let bearer = p
        .client
        .get(format!("{}/v1/demandes", p.url))
        .bearer_auth(&token)
        .header("dpop", holder.proof("GET", &url, &token))
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), StatusCode::UNAUTHORIZED);
    // A proof for another URL, another method, or signed by another key: refused.
    for proof in [
        holder.proof("GET", &format!("{AUDIENCE}/v1/demandes/autre"), &token),
        holder.proof("POST", &url, &token),
        holder.proof("GET", &format!("{}/v1/demandes", p.url), &token),
        Holder::new().proof("GET", &url, &token),
    ] {
        let response = get(&p, "/v1/demandes", &token, &[proof]).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // And a new proof still works: nothing above spent the token.
    let again = get(
        &p,
        "/v1/demandes?updated_since=2020-01-01T00:00:00Z",
        &token,
        &[holder.proof("GET", &url, &token)],
    )
    .await;
    assert_eq!(again.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_token_for_another_member_is_refused_even_with_a_valid_proof() {
    let p = start_full(start_issuer().await, 0, "required").await;
    let holder = Holder::new();
    let token = bound_token(&p, "https://api.loiret.test", &holder, "test-key");
    let proof = holder.proof("GET", &format!("{AUDIENCE}/v1/demandes"), &token);
    let response = get(&p, "/v1/demandes", &token, &[proof]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_unbound_bearer_token_is_refused_when_dpop_is_required() {
    let p = start_full(start_issuer().await, 0, "required").await;
    let response = p.get("/v1/demandes", CAMILLE).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn browsers_may_send_the_dpop_header_and_read_the_challenge() {
    let p = start_full(start_issuer().await, 0, "required").await;
    let preflight = p
        .client
        .request(reqwest::Method::OPTIONS, format!("{}/v1/demandes", p.url))
        .header("origin", common::PORTAL)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization,dpop")
        .send()
        .await
        .unwrap();
    let allowed = preflight.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(allowed.contains("dpop"), "{allowed}");
}

/// An issuer whose first key fetch is quick and every later one stalls for 30 s.
async fn issuer_that_stalls_after_the_first_fetch() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let path = format!(
        "{}/tests/fixtures/issuer-public.jwk.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let jwk: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let fetches = Arc::new(AtomicUsize::new(0));
    let discovery = json!({ "issuer": url, "jwks_uri": format!("{url}/jwks") });
    let app = axum::Router::new()
        .route(
            "/.well-known/openid-configuration",
            route_get(move || async move { Json(discovery) }),
        )
        .route(
            "/jwks",
            route_get(move || {
                let fetches = Arc::clone(&fetches);
                let jwk = jwk.clone();
                async move {
                    if fetches.fetch_add(1, Ordering::SeqCst) > 0 {
                        tokio::time::sleep(Duration::from_secs(30)).await;
                    }
                    Json(json!({ "keys": [jwk] }))
                }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

#[tokio::test]
async fn an_unknown_key_id_is_answered_quickly_and_never_stalls_tokens_signed_with_known_keys() {
    let p = start_full(
        issuer_that_stalls_after_the_first_fetch().await,
        0,
        "allowed",
    )
    .await;
    // Known keys are fetched once (quickly).
    assert_eq!(
        p.get("/v1/demandes", CAMILLE)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // Refreshes are spaced (forged key ids cannot hammer the issuer): wait until one may start.
    tokio::time::sleep(provider::auth::keys::MIN_REFRESH_INTERVAL + Duration::from_millis(200))
        .await;
    // A token naming an unknown key starts a refresh that stalls at the issuer…
    let holder = Holder::new();
    let unknown = bound_token(&p, AUDIENCE, &holder, "rotated-key");
    let url = format!("{AUDIENCE}/v1/demandes");
    let started = Instant::now();
    let stranger = {
        let (client, base, proof) = (
            p.client.clone(),
            p.url.clone(),
            holder.proof("GET", &url, &unknown),
        );
        let unknown = unknown.clone();
        tokio::spawn(async move {
            let response = client
                .get(format!("{base}/v1/demandes"))
                .header("authorization", format!("DPoP {unknown}"))
                .header("dpop", proof)
                .send()
                .await
                .unwrap();
            (response.status(), started.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    // …while tokens signed with the known key are served at once.
    for _ in 0..5 {
        let asked = Instant::now();
        let response = p.get("/v1/demandes", CAMILLE).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            asked.elapsed() < Duration::from_secs(1),
            "a known key waited {:?}",
            asked.elapsed()
        );
    }
    let (status, took) = stranger.await.unwrap();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        took >= provider::auth::keys::UNKNOWN_KID_WAIT,
        "the refresh was not attempted ({took:?})"
    );
    assert!(
        took < Duration::from_secs(4),
        "the unknown key id was answered after {took:?}"
    );
}

/// A token as the identity provider mints it, with one thing changed (`header` and `claims` are
/// merged over the usual ones; a `null` claim is removed).
fn bearer_with(p: &TestProvider, header: Value, claims: Value) -> String {
    let mut h = json!({ "alg": "RS256", "typ": "at+jwt", "kid": "test-key" });
    for (k, v) in header.as_object().unwrap() {
        h[k] = v.clone();
    }
    let mut c = json!({
        "iss": p.issuer, "sub": CAMILLE, "aud": AUDIENCE, "client_id": "guichet-portal",
        "iat": seconds_now(), "exp": seconds_now() + 300,
    });
    for (k, v) in claims.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(h.to_string()),
        URL_SAFE_NO_PAD.encode(c.to_string())
    );
    let signature =
        jsonwebtoken::crypto::sign(input.as_bytes(), &issuer_key(), Algorithm::RS256).unwrap();
    format!("{input}.{signature}")
}

#[tokio::test]
async fn a_future_nbf_an_unknown_crit_an_empty_sub_or_a_wrong_typ_is_refused_over_http() {
    let p = start_full(start_issuer().await, 0, "allowed").await;
    let list = |token: String| {
        p.client
            .get(format!("{}/v1/demandes", p.url))
            .bearer_auth(token)
            .send()
    };
    // The baseline token is accepted: each case below differs by one thing only.
    let good = bearer_with(&p, json!({}), json!({}));
    assert_eq!(list(good).await.unwrap().status(), StatusCode::OK);
    let cases = [
        (
            "a future nbf",
            json!({}),
            json!({ "nbf": seconds_now() + 120 }),
        ),
        (
            "an unknown crit",
            json!({ "crit": ["x-guichet-unknown"], "x-guichet-unknown": 1 }),
            json!({}),
        ),
        ("an empty sub", json!({}), json!({ "sub": "" })),
        ("typ JWT", json!({ "typ": "JWT" }), json!({})),
        ("no typ", json!({ "typ": null }), json!({})),
        (
            "the old shared audience",
            json!({}),
            json!({ "aud": "urn:guichet:providers" }),
        ),
    ];
    for (what, header, claims) in cases {
        let response = list(bearer_with(&p, header, claims)).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{what}");
    }
}
