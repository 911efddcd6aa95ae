//! The citizen's reply to a demande: a message and attachments, idempotent like a submission.
//! A reply that answers every open expectation moves an `action_required` demande back to
//! `in_review`.

use super::submit::{discard, is_unique_violation, previous, stored_response};
use super::upload::{self, Upload};
use super::{ApiError, Shared};
use crate::clock;
use crate::db::{self, DbError, NewDocument, StoredResponse};
use crate::files::{SUPPORTED_TYPES, display_name, sniff};
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use contract::demande::{Author, Reply};
use contract::{DocumentRef, Message, StatusBucket};

pub const MAX_BODY_CHARS: usize = 5000;

pub async fn reply(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let subject = state.subject(&headers).await?;
    let key = upload::idempotency_key(&headers)?;
    let demande = db::get(&state.db.pool, Some(&subject), &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let Upload { json, files } =
        upload::read(multipart, "reply", state.config.limits.max_file_bytes).await?;
    let reply: Reply = serde_json::from_slice(&json).map_err(|e| {
        ApiError::BadRequest(format!("La partie « reply » n’est pas conforme : {e}"))
    })?;
    let canonical = serde_json::to_string(&reply).map_err(|e| ApiError::Internal(e.to_string()))?;
    let fingerprint = upload::fingerprint(&format!("{id}\0{canonical}"), &files);
    if let Some(replay) = previous(&state, &subject, &key, &fingerprint).await? {
        return Ok(replay);
    }
    let body = reply.body.trim();
    if body.is_empty() && files.is_empty() {
        return Err(ApiError::Invalid(vec![contract::FieldError {
            field: "body".into(),
            message: "Écrivez un message ou joignez un document.".into(),
        }]));
    }
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(ApiError::Invalid(vec![contract::FieldError {
            field: "body".into(),
            message: format!("Le message doit faire {MAX_BODY_CHARS} caractères au maximum."),
        }]));
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
    let mut checked = Vec::new();
    for (part, file) in &files {
        let content_type = sniff(&file.bytes).ok_or_else(|| {
            ApiError::Unsupported(format!(
                "Le fichier « {part} » doit être au format PDF, JPEG ou PNG ({}).",
                SUPPORTED_TYPES.join(", ")
            ))
        })?;
        checked.push((part.clone(), content_type));
    }
    let mut stored_keys = Vec::new();
    for (part, _) in &checked {
        if let Some(file) = files.get(part) {
            stored_keys.push(state.storage.put(&file.bytes).await?);
        }
    }
    let outcome = store(
        &state,
        &subject,
        &key,
        &fingerprint,
        &demande,
        &reply,
        &checked,
        &files,
        &stored_keys,
    )
    .await;
    match outcome {
        Ok(stored) => Ok(stored_response(&stored, false)),
        Err(e) => {
            discard(&state, &stored_keys).await;
            if is_unique_violation(&e)
                && let Some(replay) = previous(&state, &subject, &key, &fingerprint).await?
            {
                return Ok(replay);
            }
            Err(e.into())
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn store(
    state: &Shared,
    subject: &str,
    key: &str,
    fingerprint: &str,
    demande: &contract::Demande,
    reply: &Reply,
    checked: &[(String, &'static str)],
    files: &std::collections::BTreeMap<String, upload::FilePart>,
    stored_keys: &[String],
) -> Result<StoredResponse, DbError> {
    let now = clock::now();
    let id = &demande.summary.id;
    let mut tx = state.db.begin().await?;
    let message_id = db::add_message(&mut tx, id, Author::Citizen, reply.body.trim(), &now).await?;
    let mut documents = Vec::new();
    for ((part, content_type), storage_key) in checked.iter().zip(stored_keys) {
        let Some(file) = files.get(part) else {
            continue;
        };
        let name = display_name(file.file_name.as_deref().unwrap_or(part));
        let doc_id = db::add_document(
            &mut tx,
            &NewDocument {
                demande: id,
                message: Some(&message_id),
                field: None,
                name: &name,
                size: file.bytes.len() as u64,
                content_type,
                storage_key,
                sha256: &file.sha256,
                from: Author::Citizen,
                at: &now,
            },
        )
        .await?;
        documents.push(DocumentRef {
            id: doc_id,
            name,
            size: file.bytes.len() as u64,
            content_type: (*content_type).to_owned(),
            from: Author::Citizen,
            at: now.clone(),
        });
    }
    if !reply.answers_expectations.is_empty() {
        db::fulfil_expectations(&mut tx, id, &reply.answers_expectations, &now).await?;
        let all_answered = demande
            .summary
            .expected
            .iter()
            .all(|e| reply.answers_expectations.contains(&e.id));
        if all_answered && demande.summary.status.bucket == StatusBucket::ActionRequired {
            db::set_status(
                &mut tx,
                id,
                StatusBucket::InReview,
                "Réponse reçue, en cours de traitement",
                None,
                &now,
            )
            .await?;
        }
    }
    let message = Message {
        id: message_id,
        from: Author::Citizen,
        body: reply.body.trim().to_owned(),
        at: now.clone(),
        documents,
    };
    let stored = StoredResponse {
        request_hash: fingerprint.to_owned(),
        status: 201,
        location: Some(format!("/v1/demandes/{id}")),
        response: serde_json::to_string(&message).map_err(|e| DbError::Corrupt(e.to_string()))?,
    };
    db::idempotency_put(&mut tx, subject, key, &stored, &now).await?;
    tx.commit().await?;
    Ok(stored)
}
