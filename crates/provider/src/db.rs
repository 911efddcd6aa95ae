//! The provider's database: SQLite by default, PostgreSQL in production, same SQL.
//!
//! sqlx's `Any` driver picks the backend from the URL (`sqlite://…` or `postgres://…`); queries
//! use `$n` placeholders, which both understand, and only portable types (text, bigint). Every
//! write that belongs together happens in one transaction, so a failed request leaves nothing.

use crate::clock;
use contract::demande::{Author, ExpectationKind};
use contract::{
    Answers, Demande, DemandeSummary, DocumentRef, Expectation, Message, StatusBucket, StatusEntry,
};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row, Transaction};

pub type Tx<'a> = Transaction<'a, sqlx::Any>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// The connection pool.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
}

impl Db {
    /// Connects (creating a SQLite file if needed) and applies pending migrations.
    pub async fn open(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let sqlite = url.starts_with("sqlite:");
        let url = if sqlite && !url.contains('?') && !url.contains(":memory:") {
            if let Some(parent) = std::path::Path::new(url.trim_start_matches("sqlite://")).parent()
            {
                let _ = std::fs::create_dir_all(parent);
            }
            format!("{url}?mode=rwc")
        } else {
            url.to_owned()
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 8 } else { 16 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // The agent CLI and the server share the file: wait instead of failing.
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        if sqlite {
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Db { pool })
    }

    pub async fn begin(&self) -> Result<Tx<'static>, DbError> {
        Ok(self.pool.begin().await?)
    }
}

fn author_id(a: Author) -> &'static str {
    match a {
        Author::Citizen => "citizen",
        Author::Agent => "agent",
    }
}

fn author(text: &str) -> Author {
    if text == "agent" {
        Author::Agent
    } else {
        Author::Citizen
    }
}

fn bucket(text: &str) -> Result<StatusBucket, DbError> {
    StatusBucket::from_id(text)
        .ok_or_else(|| DbError::Corrupt(format!("unknown status bucket `{text}`")))
}

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
pub async fn next_reference(tx: &mut Tx<'_>, prefix: &str) -> Result<String, DbError> {
    let year = i64::from(clock::year());
    sqlx::query(
        "INSERT INTO reference_counters (year, value) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING",
    )
    .bind(year)
    .execute(&mut **tx)
    .await?;
    let row = sqlx::query(
        "UPDATE reference_counters SET value = value + 1 WHERE year = $1 RETURNING value",
    )
    .bind(year)
    .fetch_one(&mut **tx)
    .await?;
    let value: i64 = row.try_get(0)?;
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
    touch(tx, demande, at).await?;
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

/// A stored idempotent response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    pub request_hash: String,
    pub status: u16,
    pub location: Option<String>,
    pub response: String,
}

pub async fn idempotency_get(
    pool: &AnyPool,
    subject: &str,
    key: &str,
) -> Result<Option<StoredResponse>, DbError> {
    let row = sqlx::query("SELECT request_hash, status, location, response FROM idempotency WHERE subject = $1 AND idempotency_key = $2")
        .bind(subject)
        .bind(key)
        .fetch_optional(pool)
        .await?;
    row.map(|r| {
        Ok(StoredResponse {
            request_hash: r.try_get(0)?,
            status: u16::try_from(r.try_get::<i64, _>(1)?).unwrap_or(200),
            location: r.try_get(2)?,
            response: r.try_get(3)?,
        })
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
    sqlx::query("INSERT INTO idempotency (subject, idempotency_key, request_hash, status, location, response, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(subject)
        .bind(key)
        .bind(&stored.request_hash)
        .bind(i64::from(stored.status))
        .bind(stored.location.as_deref())
        .bind(&stored.response)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

const SUMMARY_COLUMNS: &str = "id, reference, form_id, form_title, bucket, label, status_at, status_comment, created_at, updated_at";

fn summary(row: &AnyRow) -> Result<DemandeSummary, DbError> {
    Ok(DemandeSummary {
        id: row.try_get(0)?,
        reference: row.try_get(1)?,
        form_id: row.try_get(2)?,
        form_title: row.try_get(3)?,
        status: StatusEntry {
            bucket: bucket(&row.try_get::<String, _>(4)?)?,
            label: row.try_get(5)?,
            at: row.try_get(6)?,
            comment: row.try_get(7)?,
        },
        created_at: row.try_get(8)?,
        updated_at: row.try_get(9)?,
        expected: Vec::new(),
    })
}

fn expectation(row: &AnyRow) -> Result<(String, Expectation), DbError> {
    let kind: String = row.try_get(2)?;
    Ok((
        row.try_get(1)?,
        Expectation {
            id: row.try_get(0)?,
            kind: if kind == "information" {
                ExpectationKind::Information
            } else {
                ExpectationKind::Document
            },
            label: row.try_get(3)?,
            detail: row.try_get(4)?,
            requested_at: row.try_get(5)?,
        },
    ))
}

/// A fingerprint of a citizen's list (count and latest change): the list's ETag.
pub async fn list_fingerprint(pool: &AnyPool, subject: &str) -> Result<(i64, String), DbError> {
    let row = sqlx::query(
        "SELECT COUNT(*), COALESCE(MAX(updated_at), '') FROM demandes WHERE subject = $1",
    )
    .bind(subject)
    .fetch_one(pool)
    .await?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}

/// A citizen's demandes, most recently updated first, optionally only those changed after `since`.
pub async fn list(
    pool: &AnyPool,
    subject: &str,
    since: Option<&str>,
) -> Result<Vec<DemandeSummary>, DbError> {
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM demandes WHERE subject = $1 AND updated_at > $2 ORDER BY updated_at DESC"
    ))
    .bind(subject)
    .bind(since.unwrap_or(""))
    .fetch_all(pool)
    .await?;
    let mut out: Vec<DemandeSummary> = rows.iter().map(summary).collect::<Result<_, _>>()?;
    if out
        .iter()
        .any(|d| d.status.bucket == StatusBucket::ActionRequired)
    {
        let open = sqlx::query(
            "SELECT e.id, e.demande_id, e.kind, e.label, e.detail, e.requested_at FROM expectations e \
             JOIN demandes d ON d.id = e.demande_id WHERE d.subject = $1 AND e.fulfilled_at IS NULL ORDER BY e.requested_at",
        )
        .bind(subject)
        .fetch_all(pool)
        .await?;
        for row in &open {
            let (demande, e) = expectation(row)?;
            if let Some(d) = out.iter_mut().find(|d| d.id == demande) {
                d.expected.push(e);
            }
        }
    }
    Ok(out)
}

/// One demande with everything, if it belongs to `subject` (`None` as subject: any, for agents).
pub async fn get(
    pool: &AnyPool,
    subject: Option<&str>,
    id_or_reference: &str,
) -> Result<Option<Demande>, DbError> {
    let row = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS}, answers, subject FROM demandes WHERE id = $1 OR reference = $2"
    ))
    .bind(id_or_reference)
    .bind(id_or_reference)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let owner: String = row.try_get(11)?;
    if subject.is_some_and(|s| s != owner) {
        return Ok(None);
    }
    let mut s = summary(&row)?;
    let answers: Answers = serde_json::from_str(&row.try_get::<String, _>(10)?)
        .map_err(|e| DbError::Corrupt(e.to_string()))?;
    let id = s.id.clone();
    let history = sqlx::query(
        "SELECT bucket, label, at, comment FROM status_history WHERE demande_id = $1 ORDER BY seq",
    )
    .bind(&id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(StatusEntry {
            bucket: bucket(&r.try_get::<String, _>(0)?)?,
            label: r.try_get(1)?,
            at: r.try_get(2)?,
            comment: r.try_get(3)?,
        })
    })
    .collect::<Result<Vec<_>, DbError>>()?;
    let documents = sqlx::query("SELECT id, name, size, content_type, author, at, message_id FROM documents WHERE demande_id = $1 ORDER BY at")
        .bind(&id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            let doc = DocumentRef {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
                size: u64::try_from(r.try_get::<i64, _>(2)?).unwrap_or(0),
                content_type: r.try_get(3)?,
                from: author(&r.try_get::<String, _>(4)?),
                at: r.try_get(5)?,
            };
            Ok((doc, r.try_get::<Option<String>, _>(6)?))
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let messages =
        sqlx::query("SELECT id, author, body, at FROM messages WHERE demande_id = $1 ORDER BY seq")
            .bind(&id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                let message_id: String = r.try_get(0)?;
                Ok(Message {
                    documents: documents
                        .iter()
                        .filter(|(_, m)| m.as_deref() == Some(&message_id))
                        .map(|(d, _)| d.clone())
                        .collect(),
                    id: message_id,
                    from: author(&r.try_get::<String, _>(1)?),
                    body: r.try_get(2)?,
                    at: r.try_get(3)?,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
    s.expected = sqlx::query("SELECT id, demande_id, kind, label, detail, requested_at FROM expectations WHERE demande_id = $1 AND fulfilled_at IS NULL ORDER BY requested_at")
        .bind(&id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| expectation(r).map(|(_, e)| e))
        .collect::<Result<_, _>>()?;
    Ok(Some(Demande {
        summary: s,
        history,
        messages,
        documents: documents.into_iter().map(|(d, _)| d).collect(),
        answers,
    }))
}

/// A document of a demande owned by `subject`: its description and storage key.
pub async fn document(
    pool: &AnyPool,
    subject: &str,
    demande: &str,
    document: &str,
) -> Result<Option<(DocumentRef, String)>, DbError> {
    let row = sqlx::query(
        "SELECT doc.id, doc.name, doc.size, doc.content_type, doc.author, doc.at, doc.storage_key FROM documents doc \
         JOIN demandes d ON d.id = doc.demande_id WHERE doc.id = $1 AND doc.demande_id = $2 AND d.subject = $3",
    )
    .bind(document)
    .bind(demande)
    .bind(subject)
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok((
            DocumentRef {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
                size: u64::try_from(r.try_get::<i64, _>(2)?).unwrap_or(0),
                content_type: r.try_get(3)?,
                from: author(&r.try_get::<String, _>(4)?),
                at: r.try_get(5)?,
            },
            r.try_get(6)?,
        ))
    })
    .transpose()
}

/// Every demande (for agents), optionally for one subject or form, most recent first.
pub async fn all(
    pool: &AnyPool,
    subject: Option<&str>,
    form: Option<&str>,
) -> Result<Vec<(DemandeSummary, String)>, DbError> {
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS}, subject FROM demandes WHERE ($1 = '' OR subject = $2) AND ($3 = '' OR form_id = $4) ORDER BY updated_at DESC"
    ))
    .bind(subject.unwrap_or(""))
    .bind(subject.unwrap_or(""))
    .bind(form.unwrap_or(""))
    .bind(form.unwrap_or(""))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((summary(r)?, r.try_get(10)?)))
        .collect()
}

/// The id and current bucket of a demande, by id or reference (for agents).
pub async fn locate(
    pool: &AnyPool,
    id_or_reference: &str,
) -> Result<Option<(String, StatusBucket)>, DbError> {
    let row = sqlx::query("SELECT id, bucket FROM demandes WHERE id = $1 OR reference = $2")
        .bind(id_or_reference)
        .bind(id_or_reference)
        .fetch_optional(pool)
        .await?;
    row.map(|r| Ok((r.try_get(0)?, bucket(&r.try_get::<String, _>(1)?)?)))
        .transpose()
}
