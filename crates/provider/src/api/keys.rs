//! `GET /v1/idempotency-keys/{key}`: did a write with this key commit? The portal asks after an
//! attempt whose answer never arrived, before letting the citizen change anything: `200` leads
//! the citizen to the demande, `404` means the same key can safely be sent again. A key is only
//! visible to the citizen who used it (another citizen's key is unknown, never forbidden).

use super::idempotent::valid_key;
use super::{ApiError, Shared};
use crate::db;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use contract::IdempotencyRecord;

pub async fn lookup(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Json<IdempotencyRecord>, ApiError> {
    let subject = state.subject(&headers).await?;
    if !valid_key(&key) {
        return Err(ApiError::BadRequest(
            "Une clé d’envoi fait 1 à 255 caractères ASCII visibles.".into(),
        ));
    }
    let (kind, at, demande_id) = db::idempotency_record(&state.db.pool, &subject, &key)
        .await?
        .ok_or(ApiError::UnknownKey)?;
    let demande = db::summary_of(&state.db.pool, &subject, &demande_id)
        .await?
        .ok_or(ApiError::UnknownKey)?;
    Ok(Json(IdempotencyRecord {
        key,
        kind,
        at,
        demande,
    }))
}
