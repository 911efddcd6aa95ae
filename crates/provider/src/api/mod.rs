//! The provider API over HTTP (`docs/provider-api.yaml`): routes, shared state and the layers
//! every request goes through (CORS for the portal origins, body limits, deadlines, tracing).
//!
//! Routes come in three groups: public ones (discovery, form schemas), personal reads (deadline
//! `request_timeout_secs`) and personal writes (timed by their body's progress, see [`upload`]).
//! Every personal answer — data, `304`, problem — is `Cache-Control: no-store`.

mod demandes;
mod error;
mod idempotent;
mod keys;
mod public;
mod replies;
mod submit;
mod upload;

pub use error::{ApiError, problem_response};

use crate::auth::Verifier;
use crate::config::Config;
use crate::db::Db;
use crate::files::Storage;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use contract::FormSchema;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

/// What every handler can reach.
pub struct AppState {
    pub config: Config,
    pub db: Db,
    pub forms: BTreeMap<String, FormSchema>,
    pub verifier: Verifier,
    pub storage: Storage,
    /// One permit per write whose body is being read (`[limits] max_concurrent_uploads`).
    pub uploads: Arc<Semaphore>,
}

pub type Shared = Arc<AppState>;

impl AppState {
    /// The subject of the request's access token (and DPoP proof, see `auth`).
    pub async fn subject(&self, headers: &axum::http::HeaderMap) -> Result<String, ApiError> {
        self.verifier
            .subject_of(headers)
            .await
            .map_err(ApiError::Unauthorized)
    }
}

pub fn router(state: Shared) -> Router {
    let limits = &state.config.limits;
    let reads_deadline = Duration::from_secs(limits.request_timeout_secs);
    let writes_deadline = Duration::from_secs(limits.upload_timeout_secs);
    let public = Router::new()
        .route("/v1", get(public::discovery))
        .route("/v1/forms/{form}", get(public::form))
        .layer(middleware::from_fn_with_state(reads_deadline, deadline));
    let reads = Router::new()
        .route("/v1/demandes", get(demandes::list))
        .route("/v1/demandes/{id}", get(demandes::one))
        .route(
            "/v1/demandes/{id}/documents/{document}",
            get(demandes::document),
        )
        .route("/v1/idempotency-keys/{key}", get(keys::lookup))
        .layer(middleware::from_fn_with_state(reads_deadline, deadline));
    let writes = Router::new()
        .route("/v1/forms/{form}/demandes", post(submit::submit))
        .route("/v1/demandes/{id}/replies", post(replies::reply))
        .layer(middleware::from_fn_with_state(writes_deadline, deadline));
    let api = public
        .merge(reads.merge(writes).layer(middleware::from_fn(no_store)))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            injected_latency,
        ))
        // Owned by `auth`: DPoP proofs name the request's method and URL; 401s say which schemes.
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            auth_challenges,
        ))
        .layer(middleware::from_fn(crate::auth::remember_request_line));
    Router::new()
        .merge(api)
        .route("/healthz", get(public::health))
        .fallback(public::not_found)
        .layer(DefaultBodyLimit::max(limits.max_request_bytes))
        .layer(cors(&state.config))
        .layer(middleware::from_fn(security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// CORS for the portal origins, with every header the portal sends and reads.
fn cors(config: &Config) -> CorsLayer {
    let origins: Vec<HeaderValue> = config
        .allowed_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_NONE_MATCH,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("dpop"),
        ])
        .expose_headers([
            header::WWW_AUTHENTICATE,
            header::ETAG,
            header::LOCATION,
            HeaderName::from_static("idempotent-replayed"),
        ])
        .max_age(Duration::from_secs(600))
}

/// A deadline from the request to its answer's headers, answered with a problem document.
async fn deadline(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::Timeout.into_response(),
    }
}

/// Personal answers never stay in an HTTP cache (shared computers, kiosks).
async fn no_store(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The `WWW-Authenticate` challenges of this provider's 401s, by its DPoP mode (owned by `auth`).
async fn auth_challenges(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if response.status() == axum::http::StatusCode::UNAUTHORIZED {
        let headers = response.headers_mut();
        headers.remove(header::WWW_AUTHENTICATE);
        for challenge in crate::auth::challenges(state.verifier.mode()) {
            headers.append(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
    }
    response
}

/// `[testing] latency_ms`: a slow provider, for the dashboard's benchmark and tests.
async fn injected_latency(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let delay = state.config.testing.latency_ms;
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    next.run(request).await
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Origin, Authorization"),
    );
    response
}
