//! `guichet-provider agent …`: what a collectivity's agent does to demandes, from a terminal.
//!
//! It works on the provider's database directly (the server may be running: SQLite waits for the
//! other writer), so demos and end-to-end tests can make a demande progress exactly as a back
//! office would.

use crate::clock;
use crate::db::{self, Db, DbError};
use contract::StatusBucket;
use contract::demande::{Author, ExpectationKind};

#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    #[error("{0}")]
    Db(#[from] DbError),
    #[error("no demande `{0}` (give its id or its reference)")]
    NotFound(String),
    #[error("`{0}` is not a status; use one of: {1}")]
    UnknownStatus(String, String),
    #[error("a demande cannot go from `{0}` to `{1}`")]
    Transition(&'static str, &'static str),
}

fn bucket(text: &str) -> Result<StatusBucket, AgentError> {
    StatusBucket::from_id(text).ok_or_else(|| {
        AgentError::UnknownStatus(
            text.to_owned(),
            StatusBucket::ALL.map(StatusBucket::id).join(", "),
        )
    })
}

/// Prints demandes, one per line (or JSON).
pub async fn list(
    db: &Db,
    subject: Option<&str>,
    form: Option<&str>,
    json: bool,
) -> Result<(), AgentError> {
    let rows = db::all(&db.pool, subject, form).await?;
    if json {
        let values: Vec<_> = rows
            .iter()
            .map(|(d, s)| serde_json::json!({ "subject": s, "demande": d }))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&values).unwrap_or_default()
        );
        return Ok(());
    }
    for (d, subject) in rows {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            d.reference,
            d.id,
            d.form_id,
            d.status.bucket.id(),
            d.status.label,
            subject
        );
    }
    Ok(())
}

/// Prints how many demandes match (used by tests to prove a retry created no duplicate).
pub async fn count(db: &Db, subject: Option<&str>, form: Option<&str>) -> Result<(), AgentError> {
    println!("{}", db::all(&db.pool, subject, form).await?.len());
    Ok(())
}

pub async fn show(db: &Db, id: &str) -> Result<(), AgentError> {
    let demande = db::get(&db.pool, None, id)
        .await?
        .ok_or_else(|| AgentError::NotFound(id.to_owned()))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&demande).unwrap_or_default()
    );
    Ok(())
}

pub async fn set_status(
    db: &Db,
    id: &str,
    status: &str,
    label: &str,
    comment: Option<&str>,
) -> Result<(), AgentError> {
    let next = bucket(status)?;
    let (demande, current) = db::locate(&db.pool, id)
        .await?
        .ok_or_else(|| AgentError::NotFound(id.to_owned()))?;
    if !current.can_move_to(next) {
        return Err(AgentError::Transition(current.id(), next.id()));
    }
    let now = clock::now();
    let mut tx = db.begin().await?;
    db::set_status(&mut tx, &demande, next, label, comment, &now).await?;
    if next != StatusBucket::ActionRequired {
        db::fulfil_expectations(&mut tx, &demande, &[], &now).await?;
    }
    tx.commit().await.map_err(DbError::from)?;
    println!("{demande}: {} → {} ({label})", current.id(), next.id());
    Ok(())
}

pub async fn message(db: &Db, id: &str, body: &str) -> Result<(), AgentError> {
    let (demande, _) = db::locate(&db.pool, id)
        .await?
        .ok_or_else(|| AgentError::NotFound(id.to_owned()))?;
    let mut tx = db.begin().await?;
    let message = db::add_message(&mut tx, &demande, Author::Agent, body, &clock::now()).await?;
    tx.commit().await.map_err(DbError::from)?;
    println!("{message}");
    Ok(())
}

/// Asks the citizen for a document: an expectation, and the demande moves to `action_required`.
pub async fn request_document(
    db: &Db,
    id: &str,
    label: &str,
    detail: Option<&str>,
) -> Result<(), AgentError> {
    let (demande, current) = db::locate(&db.pool, id)
        .await?
        .ok_or_else(|| AgentError::NotFound(id.to_owned()))?;
    if current != StatusBucket::ActionRequired && !current.can_move_to(StatusBucket::ActionRequired)
    {
        return Err(AgentError::Transition(
            current.id(),
            StatusBucket::ActionRequired.id(),
        ));
    }
    let now = clock::now();
    let mut tx = db.begin().await?;
    let expectation = db::add_expectation(
        &mut tx,
        &demande,
        ExpectationKind::Document,
        label,
        detail,
        &now,
    )
    .await?;
    if current != StatusBucket::ActionRequired {
        db::set_status(
            &mut tx,
            &demande,
            StatusBucket::ActionRequired,
            &format!("Pièce à fournir : {label}"),
            detail,
            &now,
        )
        .await?;
    }
    tx.commit().await.map_err(DbError::from)?;
    println!("{expectation}");
    Ok(())
}
