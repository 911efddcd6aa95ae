//! A static file server for the built SPA, behaving like the production host should.
//!
//! It serves pre-compressed files (`.br`, `.gz`) when the browser accepts them, answers a deep link
//! such as `/commune/45155` with `index.html` (the SPA then routes it), but answers a missing
//! *file* (a path with an extension, like `/services.toml`) with a real 404 — otherwise a missing
//! catalogue would come back as HTML and be reported as malformed instead of missing.
//! Hashed assets are cached forever; `index.html` and the catalogue are always revalidated.
//! Every answer carries the Content-Security-Policy generated from the catalogue actually served
//! (`csp.rs`): dist's, or the one a benchmark or a test serves in its place.
//! The equivalent nginx rules are in `docs/deployment.md`.

use crate::error::{Error, Result};
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use tower_http::services::{ServeDir, ServeFile};

/// The router serving `dist` with the SPA fallback; `overrides` may hold files served in place of
/// `dist`'s — a kiosk deployment is the same build with its own `portail.toml`, a benchmark the same
/// build with its own `services.toml`.
pub fn router(dist: &Path, overrides: Option<&Path>) -> Result<Router> {
    let index = dist.join("index.html");
    let policy = policy(dist, overrides)?;
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true);
    let index_service = ServeFile::new(&index)
        .precompressed_br()
        .precompressed_gzip();
    let dist_for_fallback: PathBuf = dist.to_path_buf();
    let router = Router::new().fallback_service(files);
    // Each file of `overrides` is served at the root in place of `dist`'s file of the same name.
    let overridden = overrides
        .and_then(|dir| std::fs::read_dir(dir).ok())
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file());
    let router = overridden.fold(router, |router, path| {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        router.route_service(&format!("/{name}"), ServeFile::new(path))
    });
    Ok(router
        .layer(middleware::from_fn(move |request, next| {
            let dist = dist_for_fallback.clone();
            let index_service = index_service.clone();
            spa_fallback(dist, index_service, request, next)
        }))
        .layer(middleware::from_fn(cache_headers))
        .layer(middleware::from_fn(move |request, next| {
            security_headers(policy.clone(), request, next)
        })))
}

/// The CSP for `dist/index.html` and the root catalogue served (an override's, else dist's).
fn policy(dist: &Path, overrides: Option<&Path>) -> Result<HeaderValue> {
    let read =
        |path: PathBuf| std::fs::read_to_string(&path).map_err(|e| Error::io("reading", &path, e));
    let html = read(dist.join("index.html"))?;
    let overridden = overrides
        .map(|dir| dir.join("services.toml"))
        .filter(|p| p.exists());
    let catalogue = read(overridden.unwrap_or_else(|| dist.join("services.toml")))?;
    let header = crate::csp::sources(&html, &catalogue)?.header();
    HeaderValue::from_str(&header).map_err(|e| Error::Inconsistent {
        what: format!("the CSP is not a valid header value: {e}"),
        fix: "check the origins in services.toml".into(),
    })
}

async fn security_headers(policy: HeaderValue, request: Request<Body>, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// Paths without an extension that match no file are client-side routes: serve `index.html`.
async fn spa_fallback(
    dist: PathBuf,
    index: ServeFile,
    request: Request<Body>,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let last_segment = path.rsplit('/').next().unwrap_or_default();
    let is_route = !last_segment.contains('.');
    let exists = dist.join(path.trim_start_matches('/')).exists();
    if is_route && !exists && path != "/" {
        use tower::ServiceExt;
        return match index.oneshot(request).await {
            Ok(response) => response.into_response(),
            Err(never) => match never {},
        };
    }
    next.run(request).await
}

async fn cache_headers(request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let immutable = path.ends_with(".wasm") || path.ends_with(".js") || path.ends_with(".css");
    let value = if immutable && response.status() == StatusCode::OK {
        // Trunk puts a content hash in these file names.
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// Binds 127.0.0.1:`port` (0 = any free port) and returns the listener and its address.
pub async fn bind(port: u16) -> Result<(tokio::net::TcpListener, SocketAddr)> {
    let wanted = SocketAddr::from(([127, 0, 0, 1], port));
    let listener =
        tokio::net::TcpListener::bind(wanted)
            .await
            .map_err(|e| Error::Inconsistent {
                what: format!("cannot listen on {wanted}: {e}"),
                fix: "stop what uses that port or pass `--port N`".into(),
            })?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::io("reading address of", PathBuf::from(wanted.to_string()), e))?;
    Ok((listener, address))
}

/// Serves `dist` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    dist: &Path,
    overrides: Option<&Path>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    axum::serve(listener, router(dist, overrides)?)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| Error::io("serving", dist, e))
}
