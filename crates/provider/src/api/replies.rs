//! The citizen's reply to a demande: a message and attachments, idempotent like a submission
//! ([`super::idempotent`]). A reply that answers every open expectation moves an
//! `action_required` demande back to `in_review`.

use super::idempotent::{self, Write, Written};
use super::upload::{self, FilePart, Upload, refusal_message};
use super::{ApiError, Shared};
use crate::db::{self, DbError, NewDocument, Tx};
use crate::files::display_name;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use contract::demande::{Author, Reply};
use contract::{DocumentRef, FieldError, Message, StatusBucket, WriteKind};
use std::collections::BTreeMap;

pub const MAX_BODY_CHARS: usize = 5000;

pub async fn reply(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let subject = state.subject(&headers).await?;
    let key = idempotent::key(&headers)?;
    let demande = db::get(&state.db.pool, Some(&subject), &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let Upload {
        json, files, batch, ..
    } = upload::read(&state, multipart, "reply").await?;
    let reply: Reply = serde_json::from_slice(&json).map_err(|e| {
        ApiError::BadRequest(format!("La partie « reply » n’est pas conforme : {e}"))
    })?;
    let canonical = serde_json::to_string(&reply).map_err(|e| ApiError::Internal(e.to_string()))?;
    let write = Write {
        state: &state,
        subject: &subject,
        key: &key,
        kind: WriteKind::Reply,
        fingerprint: upload::fingerprint(&format!("{id}\0{canonical}"), &files),
    };
    if let Some(replay) = write.previous().await? {
        return Ok(replay);
    }
    check(&demande, &reply, &files)?;
    let (mut tx, now) = write.begin().await?;
    let written = record(&mut tx, &demande, &reply, &files, &now).await;
    write.commit(tx, batch, &now, written).await
}

/// What makes a reply acceptable: something said or attached, a demande still open, only
/// expectations it has, only documents that are what they claim.
fn check(
    demande: &contract::Demande,
    reply: &Reply,
    files: &BTreeMap<String, FilePart>,
) -> Result<(), ApiError> {
    let body = reply.body.trim();
    let invalid = |message: String| {
        ApiError::Invalid(vec![FieldError {
            field: "body".into(),
            message,
        }])
    };
    if body.is_empty() && files.is_empty() {
        return Err(invalid("Écrivez un message ou joignez un document.".into()));
    }
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(invalid(format!(
            "Le message doit faire {MAX_BODY_CHARS} caractères au maximum."
        )));
    }
    if demande.summary.status.bucket.is_final() {
        return Err(ApiError::Conflict(
            "Cette demande est terminée : elle ne peut plus recevoir de réponse.".into(),
        ));
    }
    if let Some(unknown) = reply
        .answers_expectations
        .iter()
        .find(|e| !demande.summary.expected.iter().any(|x| &x.id == *e))
    {
        return Err(ApiError::BadRequest(format!(
            "La demande n’attend rien sous l’identifiant « {unknown} »."
        )));
    }
    for (part, file) in files {
        if let Err(refusal) = file.content {
            let name = display_name(file.file_name.as_deref().unwrap_or(part));
            return Err(ApiError::Unsupported(refusal_message(
                &name,
                refusal,
                "PDF, JPEG ou PNG",
            )));
        }
    }
    Ok(())
}

/// The message, its documents, the expectations it answers and the status change, in `tx`.
async fn record(
    tx: &mut Tx<'static>,
    demande: &contract::Demande,
    reply: &Reply,
    files: &BTreeMap<String, FilePart>,
    now: &str,
) -> Result<Written, DbError> {
    let id = &demande.summary.id;
    let message_id = db::add_message(tx, id, Author::Citizen, reply.body.trim(), now).await?;
    let mut documents = Vec::new();
    for (part, file) in files {
        let Ok(content_type) = file.content else {
            continue;
        };
        let name = display_name(file.file_name.as_deref().unwrap_or(part));
        let doc_id = db::add_document(
            tx,
            &NewDocument {
                demande: id,
                message: Some(&message_id),
                field: None,
                name: &name,
                size: file.size,
                content_type,
                storage_key: &file.key,
                sha256: &file.sha256,
                from: Author::Citizen,
                at: now,
            },
        )
        .await?;
        documents.push(DocumentRef {
            id: doc_id,
            name,
            size: file.size,
            content_type: content_type.to_owned(),
            from: Author::Citizen,
            at: now.to_owned(),
        });
    }
    if !reply.answers_expectations.is_empty() {
        db::fulfil_expectations(tx, id, &reply.answers_expectations, now).await?;
        let all_answered = demande
            .summary
            .expected
            .iter()
            .all(|e| reply.answers_expectations.contains(&e.id));
        if all_answered && demande.summary.status.bucket == StatusBucket::ActionRequired {
            db::set_status(
                tx,
                id,
                StatusBucket::InReview,
                "Réponse reçue, en cours de traitement",
                None,
                now,
            )
            .await?;
        }
    }
    let message = Message {
        id: message_id,
        from: Author::Citizen,
        body: reply.body.trim().to_owned(),
        at: now.to_owned(),
        documents,
    };
    Ok(Written {
        demande_id: id.clone(),
        body: serde_json::to_string(&message).map_err(|e| DbError::Corrupt(e.to_string()))?,
    })
}
