//! The one way a citizen's write happens, shared by submissions and replies.
//!
//! A write carries an `Idempotency-Key`, and its fingerprint (canonical JSON plus file digests)
//! decides what a second request with that key is: the same request gets the first answer again
//! (`Idempotent-Replayed: true`); another request gets `422 idempotency-key-reused` naming the
//! demande the key already concerns. A new write runs in one transaction that also records the key,
//! its kind, its demande and its answer; the request's files get their final names just before the
//! commit and are removed if anything fails. Two attempts racing with one key meet at the key's
//! primary key: the loser's transaction fails, its files go, and it replays the winner's answer.

use super::{ApiError, Shared};
use crate::clock;
use crate::db::{self, DbError, StoredResponse, Tx};
use crate::files::Batch;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use contract::WriteKind;

/// The `Idempotency-Key` header: required on writes.
pub fn key(headers: &HeaderMap) -> Result<String, ApiError> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or_default();
    if !valid_key(key) {
        return Err(ApiError::BadRequest(
            "L’en-tête Idempotency-Key est obligatoire (1 à 255 caractères ASCII visibles).".into(),
        ));
    }
    Ok(key.to_owned())
}

/// 1–255 visible ASCII characters.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= 255 && key.chars().all(|c| c.is_ascii_graphic())
}

/// What a write produced: the demande it concerns and the JSON answer (`201`).
pub struct Written {
    pub demande_id: String,
    pub body: String,
}

/// One write of one citizen under one key.
pub struct Write<'a> {
    pub state: &'a Shared,
    pub subject: &'a str,
    pub key: &'a str,
    pub kind: WriteKind,
    /// What was sent, independent of multipart framing ([`super::upload::fingerprint`]).
    pub fingerprint: String,
}

/// Why a transaction did not commit.
enum Failed {
    /// A unique constraint: maybe another attempt with the same key committed first.
    Raced(DbError),
    Other(ApiError),
}

impl From<DbError> for Failed {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Sql(sqlx::Error::Database(ref d)) if d.is_unique_violation() => {
                Failed::Raced(e)
            }
            e => Failed::Other(e.into()),
        }
    }
}

impl From<std::io::Error> for Failed {
    fn from(e: std::io::Error) -> Self {
        Failed::Other(e.into())
    }
}

impl Write<'_> {
    /// The first answer given for this key: replayed if the request is the same, refused
    /// otherwise; `None` if the key was never used.
    pub async fn previous(&self) -> Result<Option<Response>, ApiError> {
        match db::idempotency_get(&self.state.db.pool, self.subject, self.key).await? {
            Some(stored) if stored.request_hash == self.fingerprint => {
                Ok(Some(stored_response(&stored, true)))
            }
            Some(stored) => Err(ApiError::KeyReused {
                demande_id: Some(stored.demande_id),
            }),
            None => Ok(None),
        }
    }

    /// Opens the write's transaction, and the instant it is recorded at.
    pub async fn begin(&self) -> Result<(Tx<'static>, String), ApiError> {
        Ok((self.state.db.begin().await?, clock::now()))
    }

    /// Records the key with what the handler `written` in `tx`, gives `batch`'s files their final
    /// names and commits; answers `201` (or replays the attempt that won a race for the key).
    /// Whatever fails, nothing stays: the transaction rolls back and the files are removed.
    pub async fn commit(
        &self,
        tx: Tx<'static>,
        mut batch: Batch,
        now: &str,
        written: Result<Written, DbError>,
    ) -> Result<Response, ApiError> {
        match self.finish(tx, &mut batch, now, written).await {
            Ok(stored) => {
                batch.keep();
                Ok(stored_response(&stored, false))
            }
            Err(Failed::Other(e)) => Err(e),
            Err(Failed::Raced(e)) => {
                drop(batch);
                match self.previous().await? {
                    Some(replay) => Ok(replay),
                    None => Err(e.into()),
                }
            }
        }
    }

    async fn finish(
        &self,
        mut tx: Tx<'static>,
        batch: &mut Batch,
        now: &str,
        written: Result<Written, DbError>,
    ) -> Result<StoredResponse, Failed> {
        let written = written?;
        let stored = StoredResponse {
            request_hash: self.fingerprint.clone(),
            kind: self.kind,
            location: Some(format!("/v1/demandes/{}", written.demande_id)),
            demande_id: written.demande_id,
            status: 201,
            response: written.body,
        };
        db::idempotency_put(&mut tx, self.subject, self.key, &stored, now).await?;
        batch.promote().await?;
        tx.commit().await.map_err(DbError::from)?;
        Ok(stored)
    }
}

/// The response stored for a key, as it was first sent (plus `Idempotent-Replayed` on replays).
fn stored_response(stored: &StoredResponse, replayed: bool) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = (status, stored.response.clone()).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(location) = stored
        .location
        .as_deref()
        .and_then(|l| HeaderValue::from_str(l).ok())
    {
        h.insert(header::LOCATION, location);
    }
    if replayed {
        h.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}
