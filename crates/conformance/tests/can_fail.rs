//! Each check can fail: the reference provider passes every check, and the same provider with one
//! property broken on purpose (a layer around its router, or a configuration) fails exactly the
//! checks about that property. Real HTTP, real SQLite, tokens from a test issuer.

#[path = "../../provider/tests/common/mod.rs"]
mod common;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use common::{CAMILLE, JEAN, Options, PORTAL, start_opts};
use conformance::token::Credential;
use conformance::{Outcome, Target};

async fn run(options: Options) -> Vec<Outcome> {
    let p = start_opts(options).await;
    conformance::run(&Target {
        provider: p.url.clone(),
        portal_origin: PORTAL.to_owned(),
        token_a: Credential::bearer(p.token_for(CAMILLE)),
        token_b: Credential::bearer(p.token_for(JEAN)),
        other_provider_token: None,
        form: Some("acte-naissance".to_owned()),
    })
    .await
    .into_iter()
    // The token-binding checks need DPoP-bound tokens from a real issuer: they run against the
    // demo stack (xtask's conformance step), not against this harness's plain test tokens.
    .filter(|o| !o.name.starts_with("tokens:"))
    .collect()
}

/// The checks that failed, by the start of their name, with why.
fn failed(outcomes: &[Outcome]) -> Vec<String> {
    outcomes
        .iter()
        .filter_map(|o| {
            o.result
                .as_ref()
                .err()
                .map(|why| format!("{} — {why}", o.name))
        })
        .collect()
}

fn assert_fails_only(outcomes: &[Outcome], prefixes: &[&str]) {
    let failures = failed(outcomes);
    for prefix in prefixes {
        assert!(
            failures.iter().any(|f| f.starts_with(prefix)),
            "`{prefix}` should fail; failures: {failures:#?}"
        );
    }
    let unexpected: Vec<&String> = failures
        .iter()
        .filter(|f| !prefixes.iter().any(|p| f.starts_with(p)))
        .collect();
    assert!(
        unexpected.is_empty(),
        "unexpected failures: {unexpected:#?}"
    );
}

#[tokio::test]
async fn the_reference_provider_passes_every_check() {
    let outcomes = run(Options::default()).await;
    let without_binding = conformance::CHECKS
        .iter()
        .filter(|c| !c.name.starts_with("tokens:"))
        .count();
    assert_eq!(outcomes.len(), without_binding);
    assert_fails_only(&outcomes, &[]);
}

#[tokio::test]
async fn personal_answers_that_may_be_cached_fail_the_no_store_check() {
    let outcomes = run(Options {
        wrap: |router| {
            router.layer(middleware::map_response(|mut r: Response| async move {
                r.headers_mut().insert(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, no-cache"),
                );
                r
            }))
        },
        ..Options::default()
    })
    .await;
    assert_fails_only(&outcomes, &["no-store:"]);
}

#[tokio::test]
async fn a_provider_without_the_lookup_fails_the_lookup_checks() {
    async fn no_lookup(request: Request, next: Next) -> Response {
        if request.uri().path().starts_with("/v1/idempotency-keys/") {
            return StatusCode::NOT_FOUND.into_response();
        }
        next.run(request).await
    }
    let outcomes = run(Options {
        wrap: |router| router.layer(middleware::from_fn(no_lookup)),
        ..Options::default()
    })
    .await;
    assert_fails_only(
        &outcomes,
        &[
            "lookup: GET",
            "lookup: a reply's key",
            "lookup: an unused key",
            "no-store:",
        ],
    );
}

#[tokio::test]
async fn a_provider_that_takes_files_over_10_mib_fails_the_upload_check() {
    let outcomes = run(Options {
        limits: "max_file_bytes = 20000000\nmax_request_bytes = 30000000".into(),
        ..Options::default()
    })
    .await;
    assert_fails_only(&outcomes, &["uploads:"]);
}

#[tokio::test]
async fn documents_served_as_their_own_type_fail_the_download_check() {
    let outcomes = run(Options {
        wrap: |router| {
            router.layer(middleware::map_response(|mut r: Response| async move {
                if r.headers_mut()
                    .remove(header::CONTENT_DISPOSITION)
                    .is_some()
                {
                    r.headers_mut().insert(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/pdf"),
                    );
                }
                r
            }))
        },
        ..Options::default()
    })
    .await;
    assert_fails_only(&outcomes, &["downloads:"]);
}

#[tokio::test]
async fn cors_without_the_headers_the_portal_sends_fails_the_cors_check() {
    let outcomes = run(Options {
        wrap: |router| {
            router.layer(middleware::map_response(|mut r: Response| async move {
                if r.headers()
                    .contains_key(header::ACCESS_CONTROL_ALLOW_HEADERS)
                {
                    r.headers_mut().insert(
                        header::ACCESS_CONTROL_ALLOW_HEADERS,
                        HeaderValue::from_static("authorization,content-type,idempotency-key"),
                    );
                }
                r
            }))
        },
        ..Options::default()
    })
    .await;
    assert_fails_only(&outcomes, &["CORS: the portal origin may send"]);
}

#[tokio::test]
async fn a_provider_without_idempotency_fails_even_though_other_content_is_valid() {
    // Every write gets a fresh key: the provider no longer ties a key to anything.
    async fn forget_keys(mut request: Request, next: Next) -> Response {
        if request.method() == axum::http::Method::POST {
            let fresh = uuid::Uuid::new_v4().to_string();
            if let Ok(value) = HeaderValue::from_str(&fresh) {
                request.headers_mut().insert("idempotency-key", value);
            }
        }
        next.run(request).await
    }
    let outcomes = run(Options {
        wrap: |router| router.layer(middleware::from_fn(forget_keys)),
        ..Options::default()
    })
    .await;
    assert_fails_only(
        &outcomes,
        &[
            "idempotency: the same key and content",
            "idempotency: the same key with other valid content",
            "lookup: GET",
            "lookup: a reply's key",
        ],
    );
    let why = failed(&outcomes)
        .into_iter()
        .find(|f| f.starts_with("idempotency: the same key with other"))
        .unwrap_or_default();
    assert!(
        why.contains("does not tie keys to content"),
        "the check fails because the valid other content was accepted: {why}"
    );
}

#[tokio::test]
async fn a_key_reused_problem_that_names_no_demande_fails_the_idempotency_check() {
    async fn strip_demande(request: Request, next: Next) -> Response {
        let response = next.run(request).await;
        if response.status() != StatusCode::UNPROCESSABLE_ENTITY {
            return response;
        }
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, 1 << 20)
            .await
            .unwrap_or_default();
        let mut problem: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        if let Some(object) = problem.as_object_mut() {
            object.remove("demande_id");
        }
        let mut response = Response::from_parts(parts, Body::from(problem.to_string()));
        response.headers_mut().remove(header::CONTENT_LENGTH);
        response
    }
    let outcomes = run(Options {
        wrap: |router| router.layer(middleware::from_fn(strip_demande)),
        ..Options::default()
    })
    .await;
    assert_fails_only(
        &outcomes,
        &["idempotency: the same key with other valid content"],
    );
}
