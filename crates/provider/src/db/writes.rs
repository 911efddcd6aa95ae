//! Writes: demandes, their history, messages, documents and expectations (always in a
//! transaction the caller commits).

use super::{Db, DbError, Tx, author_id};
use crate::clock;
use contract::demande::{Author, ExpectationKind};
use contract::{Answers, StatusBucket};
use sqlx::Row;

/// What a new demande is made of.
pub struct NewDemande<'a> {
    pub id: &'a str,
    pub reference: &'a str,
    pub subject: &'a str,
    pub form_id: &'a str,
    pub form_version: u32,
    pub form_title: &'a str,
    pub answers: &'a Answers,
    pub label: &'a str,
    pub at: &'a str,
}

/// Allocates the next reference number of the year: `PREFIX-2026-000042`.
///
/// In a transaction of its own, before the demande's: every submission of every instance takes
/// the year's counter row in turn, so it must not keep it while its demande commits. On
/// PostgreSQL that short transaction also commits without waiting for the disk
/// (`synchronous_commit = off`), else submissions would take turns at one WAL flush each. Nothing
/// is lost: the demande's own commit is durable and comes later in the WAL, so a demande that
/// survives a crash has its number counted. A crash, a failed or losing attempt may leave a number
/// unused (a gap), never hand one out twice.
pub async fn next_reference(db: &Db, prefix: &str) -> Result<String, DbError> {
    let year = i64::from(clock::year());
    let mut tx = db.begin().await?;
    if db.postgres {
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(&mut *tx)
            .await?;
    }
    let row = sqlx::query(
        "INSERT INTO reference_counters (year, value) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET value = reference_counters.value + 1 RETURNING value",
    )
    .bind(year)
    .fetch_one(&mut *tx)
    .await?;
    let value: i64 = row.try_get(0)?;
    tx.commit().await?;
    Ok(format!("{prefix}-{year}-{value:06}"))
}

pub async fn insert_demande(tx: &mut Tx<'_>, d: &NewDemande<'_>) -> Result<(), DbError> {
    let answers = serde_json::to_string(d.answers).map_err(|e| DbError::Corrupt(e.to_string()))?;
    sqlx::query(
        "INSERT INTO demandes (id, reference, subject, form_id, form_version, form_title, answers, bucket, label, status_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(d.id)
    .bind(d.reference)
    .bind(d.subject)
    .bind(d.form_id)
    .bind(i64::from(d.form_version))
    .bind(d.form_title)
    .bind(answers)
    .bind(StatusBucket::Submitted.id())
    .bind(d.label)
    .bind(d.at)
    .bind(d.at)
    .bind(d.at)
    .execute(&mut **tx)
    .await?;
    push_history(tx, d.id, StatusBucket::Submitted, d.label, None, d.at).await
}

/// Appends to a demande’s history; the caller has written the demande’s row in the same
/// transaction, which (on PostgreSQL) holds concurrent writers until commit, so `seq` is unique.
async fn push_history(
    tx: &mut Tx<'_>,
    demande: &str,
    b: StatusBucket,
    label: &str,
    comment: Option<&str>,
    at: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO status_history (id, demande_id, seq, bucket, label, comment, at) \
         VALUES ($1, $2, (SELECT COUNT(*) FROM status_history WHERE demande_id = $3) + 1, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(demande)
    .bind(demande)
    .bind(b.id())
    .bind(label)
    .bind(comment)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves a demande to another status (the caller has checked the transition).
pub async fn set_status(
    tx: &mut Tx<'_>,
    demande: &str,
    b: StatusBucket,
    label: &str,
    comment: Option<&str>,
    at: &str,
) -> Result<(), DbError> {
    sqlx::query("UPDATE demandes SET bucket = $1, label = $2, status_at = $3, status_comment = $4, updated_at = $5 WHERE id = $6")
        .bind(b.id())
        .bind(label)
        .bind(at)
        .bind(comment)
        .bind(at)
        .bind(demande)
        .execute(&mut **tx)
        .await?;
    push_history(tx, demande, b, label, comment, at).await
}

pub async fn touch(tx: &mut Tx<'_>, demande: &str, at: &str) -> Result<(), DbError> {
    sqlx::query("UPDATE demandes SET updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(demande)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn add_message(
    tx: &mut Tx<'_>,
    demande: &str,
    from: Author,
    body: &str,
    at: &str,
) -> Result<String, DbError> {
    // Touch first: on PostgreSQL the update locks the demande's row until commit, so two messages
    // written at once (a citizen's reply, an agent's message, through two instances) count the
    // previous ones in turn and never share a `seq`. SQLite has one writer at a time anyway.
    touch(tx, demande, at).await?;
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO messages (id, demande_id, seq, author, body, at) \
         VALUES ($1, $2, (SELECT COUNT(*) FROM messages WHERE demande_id = $3) + 1, $4, $5, $6)",
    )
    .bind(&id)
    .bind(demande)
    .bind(demande)
    .bind(author_id(from))
    .bind(body)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// A stored file's metadata.
pub struct NewDocument<'a> {
    pub demande: &'a str,
    pub message: Option<&'a str>,
    pub field: Option<&'a str>,
    pub name: &'a str,
    pub size: u64,
    pub content_type: &'a str,
    pub storage_key: &'a str,
    pub sha256: &'a str,
    pub from: Author,
    pub at: &'a str,
}

pub async fn add_document(tx: &mut Tx<'_>, d: &NewDocument<'_>) -> Result<String, DbError> {
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO documents (id, demande_id, message_id, field_id, name, size, content_type, storage_key, sha256, author, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(d.demande)
    .bind(d.message)
    .bind(d.field)
    .bind(d.name)
    .bind(d.size as i64)
    .bind(d.content_type)
    .bind(d.storage_key)
    .bind(d.sha256)
    .bind(author_id(d.from))
    .bind(d.at)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn add_expectation(
    tx: &mut Tx<'_>,
    demande: &str,
    kind: ExpectationKind,
    label: &str,
    detail: Option<&str>,
    at: &str,
) -> Result<String, DbError> {
    let id = uuid::Uuid::new_v4().to_string();
    let kind = match kind {
        ExpectationKind::Document => "document",
        ExpectationKind::Information => "information",
    };
    sqlx::query("INSERT INTO expectations (id, demande_id, kind, label, detail, requested_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id)
        .bind(demande)
        .bind(kind)
        .bind(label)
        .bind(detail)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    touch(tx, demande, at).await?;
    Ok(id)
}

/// Closes the open expectations of a demande (all, or those listed).
pub async fn fulfil_expectations(
    tx: &mut Tx<'_>,
    demande: &str,
    only: &[String],
    at: &str,
) -> Result<u64, DbError> {
    let mut closed = 0;
    let open: Vec<String> =
        sqlx::query("SELECT id FROM expectations WHERE demande_id = $1 AND fulfilled_at IS NULL")
            .bind(demande)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?;
    for id in open
        .iter()
        .filter(|id| only.is_empty() || only.contains(id))
    {
        closed += sqlx::query("UPDATE expectations SET fulfilled_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    }
    Ok(closed)
}
