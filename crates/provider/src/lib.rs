//! The Guichet reference provider: an ordinary axum service implementing the provider API
//! (`docs/provider-api.yaml`) over SQLite or PostgreSQL, and the agent CLI that works on its data.
//! A collectivity can deploy it as is, or use it to see what its own adapter must do.

pub mod agent;
pub mod api;
pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod files;
pub mod forms;
pub mod seed;

use std::sync::Arc;

/// Everything the server needs, built from the configuration (database migrated, forms checked,
/// seed applied).
pub async fn build_state(config: config::Config) -> Result<api::Shared, String> {
    let db = db::Db::open(&config.database)
        .await
        .map_err(|e| e.to_string())?;
    let forms = forms::load(&config.forms).map_err(|e| e.to_string())?;
    if let Some(seed) = &config.seed {
        let added = seed::apply(&db, seed, &config.reference_prefix, &forms)
            .await
            .map_err(|e| e.to_string())?;
        if added > 0 {
            tracing::info!("seeded {added} demo demande(s)");
        }
    }
    let storage = files::Storage::new(&config.storage)
        .map_err(|e| format!("{}: {e}", config.storage.display()))?;
    let verifier =
        auth::Verifier::new(&config.auth.issuer, &config.auth.audience, config.auth.dpop);
    let uploads = Arc::new(tokio::sync::Semaphore::new(
        config.limits.max_concurrent_uploads,
    ));
    Ok(Arc::new(api::AppState {
        config,
        db,
        forms,
        verifier,
        storage,
        uploads,
    }))
}

/// Serves the API on `listener` until `shutdown` resolves.
pub async fn serve(
    state: api::Shared,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, api::router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
