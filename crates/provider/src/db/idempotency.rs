//! Idempotency records: the first answer given for a (subject, key), what kind of write it was and
//! which demande it concerns — replayed on retries, refused for other content, looked up when the
//! portal does not know whether an attempt committed.

use super::{DbError, Tx};
use contract::WriteKind;
use sqlx::{AnyPool, Row};

/// A stored idempotent response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    pub request_hash: String,
    pub kind: WriteKind,
    /// The demande created (submission) or replied to (reply).
    pub demande_id: String,
    pub status: u16,
    pub location: Option<String>,
    pub response: String,
}

fn kind_id(kind: WriteKind) -> &'static str {
    match kind {
        WriteKind::Submission => "submission",
        WriteKind::Reply => "reply",
    }
}

fn kind(text: &str) -> Result<WriteKind, DbError> {
    match text {
        "submission" => Ok(WriteKind::Submission),
        "reply" => Ok(WriteKind::Reply),
        other => Err(DbError::Corrupt(format!("unknown write kind `{other}`"))),
    }
}

pub async fn idempotency_get(
    pool: &AnyPool,
    subject: &str,
    key: &str,
) -> Result<Option<StoredResponse>, DbError> {
    let row = sqlx::query("SELECT request_hash, kind, demande_id, status, location, response FROM idempotency WHERE subject = $1 AND idempotency_key = $2")
        .bind(subject)
        .bind(key)
        .fetch_optional(pool)
        .await?;
    row.map(|r| {
        Ok(StoredResponse {
            request_hash: r.try_get(0)?,
            kind: kind(&r.try_get::<String, _>(1)?)?,
            demande_id: r.try_get(2)?,
            status: u16::try_from(r.try_get::<i64, _>(3)?).unwrap_or(200),
            location: r.try_get(4)?,
            response: r.try_get(5)?,
        })
    })
    .transpose()
}

/// What a key of `subject` was used for: the kind of write, when, and the demande's id.
pub async fn idempotency_record(
    pool: &AnyPool,
    subject: &str,
    key: &str,
) -> Result<Option<(WriteKind, String, String)>, DbError> {
    let row = sqlx::query("SELECT kind, created_at, demande_id FROM idempotency WHERE subject = $1 AND idempotency_key = $2")
        .bind(subject)
        .bind(key)
        .fetch_optional(pool)
        .await?;
    row.map(|r| {
        Ok((
            kind(&r.try_get::<String, _>(0)?)?,
            r.try_get(1)?,
            r.try_get(2)?,
        ))
    })
    .transpose()
}

pub async fn idempotency_put(
    tx: &mut Tx<'_>,
    subject: &str,
    key: &str,
    stored: &StoredResponse,
    at: &str,
) -> Result<(), DbError> {
    sqlx::query("INSERT INTO idempotency (subject, idempotency_key, request_hash, kind, demande_id, status, location, response, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(subject)
        .bind(key)
        .bind(&stored.request_hash)
        .bind(kind_id(stored.kind))
        .bind(&stored.demande_id)
        .bind(i64::from(stored.status))
        .bind(stored.location.as_deref())
        .bind(&stored.response)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
