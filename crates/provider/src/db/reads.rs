//! Reads: a citizen's list (and its cheap fingerprint), one demande with everything, documents,
//! and the agents' views.

use super::{DbError, author, bucket};
use contract::demande::ExpectationKind;
use contract::{
    Answers, Demande, DemandeSummary, DocumentRef, Expectation, Message, StatusBucket, StatusEntry,
};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

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

/// An expectation read from the columns `id, demande_id, kind, label, detail, requested_at`
/// starting at `first`; with the demande's id.
fn expectation_at(row: &AnyRow, first: usize) -> Result<(String, Expectation), DbError> {
    let kind: String = row.try_get(first + 2)?;
    Ok((
        row.try_get(first + 1)?,
        Expectation {
            id: row.try_get(first)?,
            kind: if kind == "information" {
                ExpectationKind::Information
            } else {
                ExpectationKind::Document
            },
            label: row.try_get(first + 3)?,
            detail: row.try_get(first + 4)?,
            requested_at: row.try_get(first + 5)?,
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

/// A citizen's demandes, most recently updated first, optionally only those changed after `since`,
/// each with what is expected of the citizen: one query (the list is what every portal asks for
/// first, on every provider, so each round trip to the database counts).
pub async fn list(
    pool: &AnyPool,
    subject: &str,
    since: Option<&str>,
) -> Result<Vec<DemandeSummary>, DbError> {
    let columns: Vec<String> = SUMMARY_COLUMNS
        .split(", ")
        .map(|c| format!("d.{c}"))
        .collect();
    let rows = sqlx::query(&format!(
        "SELECT {}, e.id, e.demande_id, e.kind, e.label, e.detail, e.requested_at FROM demandes d \
         LEFT JOIN expectations e ON e.demande_id = d.id AND e.fulfilled_at IS NULL \
         WHERE d.subject = $1 AND d.updated_at > $2 ORDER BY d.updated_at DESC, d.id, e.requested_at",
        columns.join(", ")
    ))
    .bind(subject)
    .bind(since.unwrap_or(""))
    .fetch_all(pool)
    .await?;
    let mut out: Vec<DemandeSummary> = Vec::new();
    for row in &rows {
        let id: String = row.try_get(0)?;
        if out.last().is_none_or(|d| d.id != id) {
            out.push(summary(row)?);
        }
        if row.try_get::<Option<String>, _>(10)?.is_some()
            && let Some(d) = out.last_mut()
        {
            d.expected.push(expectation_at(row, 10)?.1);
        }
    }
    Ok(out)
}

/// One demande's summary (with what is expected of the citizen), if it belongs to `subject`.
pub async fn summary_of(
    pool: &AnyPool,
    subject: &str,
    id: &str,
) -> Result<Option<DemandeSummary>, DbError> {
    let row = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM demandes WHERE id = $1 AND subject = $2"
    ))
    .bind(id)
    .bind(subject)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut s = summary(&row)?;
    s.expected = open_expectations(pool, id).await?;
    Ok(Some(s))
}

async fn open_expectations(pool: &AnyPool, demande: &str) -> Result<Vec<Expectation>, DbError> {
    sqlx::query("SELECT id, demande_id, kind, label, detail, requested_at FROM expectations WHERE demande_id = $1 AND fulfilled_at IS NULL ORDER BY requested_at")
        .bind(demande)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| expectation_at(r, 0).map(|(_, e)| e))
        .collect()
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
    let history = history(pool, &id).await?;
    let documents = documents(pool, &id).await?;
    let messages = messages(pool, &id, &documents).await?;
    s.expected = open_expectations(pool, &id).await?;
    Ok(Some(Demande {
        summary: s,
        history,
        messages,
        documents: documents.into_iter().map(|(d, _)| d).collect(),
        answers,
    }))
}

async fn history(pool: &AnyPool, demande: &str) -> Result<Vec<StatusEntry>, DbError> {
    sqlx::query(
        "SELECT bucket, label, at, comment FROM status_history WHERE demande_id = $1 ORDER BY seq",
    )
    .bind(demande)
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
    .collect()
}

/// A demande's documents, each with the message it came with (if any).
async fn documents(
    pool: &AnyPool,
    demande: &str,
) -> Result<Vec<(DocumentRef, Option<String>)>, DbError> {
    sqlx::query("SELECT id, name, size, content_type, author, at, message_id FROM documents WHERE demande_id = $1 ORDER BY at")
        .bind(demande)
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
        .collect()
}

async fn messages(
    pool: &AnyPool,
    demande: &str,
    documents: &[(DocumentRef, Option<String>)],
) -> Result<Vec<Message>, DbError> {
    sqlx::query("SELECT id, author, body, at FROM messages WHERE demande_id = $1 ORDER BY seq")
        .bind(demande)
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
        .collect()
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
