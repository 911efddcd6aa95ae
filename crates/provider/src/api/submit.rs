//! Submitting a demande: validated against the form, files checked by content, stored in one
//! transaction, and idempotent — the same `Idempotency-Key` with the same content replays the first
//! answer, so a retry after a network failure can never create a second demande.

use super::upload::{self, Upload};
use super::{ApiError, Shared};
use crate::clock;
use crate::db::{self, DbError, NewDemande, NewDocument, StoredResponse};
use crate::files::{display_name, sniff};
use crate::forms::RegexPatterns;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use contract::demande::{Author, Submission};
use contract::validation::{Context, validate_submission};
use contract::{Answer, FieldError};

/// The response stored for a key, as it was first sent (plus `Idempotent-Replayed` on replays).
pub(super) fn stored_response(stored: &StoredResponse, replayed: bool) -> Response {
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

/// A previous answer for this key: replayed if the request is the same, refused otherwise.
pub(super) async fn previous(
    state: &Shared,
    subject: &str,
    key: &str,
    fingerprint: &str,
) -> Result<Option<Response>, ApiError> {
    match db::idempotency_get(&state.db.pool, subject, key).await? {
        Some(stored) if stored.request_hash == fingerprint => {
            Ok(Some(stored_response(&stored, true)))
        }
        Some(_) => Err(ApiError::KeyReused),
        None => Ok(None),
    }
}

pub(super) fn is_unique_violation(e: &DbError) -> bool {
    matches!(e, DbError::Sql(sqlx::Error::Database(d)) if d.is_unique_violation())
}

/// Removes files written for a request that did not complete.
pub(super) async fn discard(state: &Shared, keys: &[String]) {
    for key in keys {
        state.storage.remove(key).await;
    }
}

pub async fn submit(
    State(state): State<Shared>,
    Path(form_id): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let subject = state.subject(&headers).await?;
    let key = upload::idempotency_key(&headers)?;
    let form = state.forms.get(&form_id).ok_or(ApiError::NotFound)?;
    let Upload { json, files } =
        upload::read(multipart, "submission", state.config.limits.max_file_bytes).await?;
    let submission: Submission = serde_json::from_slice(&json).map_err(|e| {
        ApiError::BadRequest(format!("La partie « submission » n’est pas conforme : {e}"))
    })?;
    let canonical =
        serde_json::to_string(&submission).map_err(|e| ApiError::Internal(e.to_string()))?;
    let fingerprint = upload::fingerprint(&canonical, &files);
    if let Some(replay) = previous(&state, &subject, &key, &fingerprint).await? {
        return Ok(replay);
    }
    if submission.form_version != form.version {
        return Err(ApiError::Conflict(format!(
            "Le formulaire a été mis à jour (version {} au lieu de {}). Rechargez la page : vos réponses sont conservées.",
            form.version, submission.form_version
        )));
    }
    let mut answers = {
        let today = clock::today();
        let context = Context {
            today: &today,
            patterns: &RegexPatterns,
        };
        validate_submission(form, &submission.answers, &context).map_err(ApiError::Invalid)?
    };

    // Files: each file answer must come with its part, whose content must be an accepted type.
    let mut used_parts = Vec::new();
    let mut errors = Vec::new();
    for (field_id, answer) in answers.iter_mut() {
        let Answer::File(file) = answer else { continue };
        let Some(field) = form.field(field_id) else {
            continue;
        };
        let Some(part) = files.get(&file.part) else {
            errors.push(FieldError {
                field: field_id.clone(),
                message: format!(
                    "Le fichier « {} » n’a pas été reçu ; ajoutez-le de nouveau.",
                    file.name
                ),
            });
            continue;
        };
        match sniff(&part.bytes) {
            Some(actual) if field.accept.iter().any(|a| a == actual) => {
                file.content_type = actual.to_owned();
                file.size = part.bytes.len() as u64;
                file.name = display_name(&file.name);
                used_parts.push(file.part.clone());
            }
            _ => errors.push(FieldError {
                field: field_id.clone(),
                message: format!(
                    "Le contenu du fichier « {} » n’est pas un {} valide.",
                    file.name,
                    contract::validation::formats(&field.accept)
                ),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    if let Some(extra) = files.keys().find(|k| !used_parts.contains(k)) {
        return Err(ApiError::BadRequest(format!(
            "La pièce jointe « {extra} » ne correspond à aucun champ du formulaire."
        )));
    }

    // Write files first (under generated names), then everything else in one transaction.
    let mut stored_keys = Vec::new();
    for part_name in &used_parts {
        if let Some(part) = files.get(part_name) {
            match state.storage.put(&part.bytes).await {
                Ok(k) => stored_keys.push((part_name.clone(), k)),
                Err(e) => {
                    discard(
                        &state,
                        &stored_keys
                            .iter()
                            .map(|(_, k)| k.clone())
                            .collect::<Vec<_>>(),
                    )
                    .await;
                    return Err(e.into());
                }
            }
        }
    }
    let keys_only: Vec<String> = stored_keys.iter().map(|(_, k)| k.clone()).collect();
    match store(
        &state,
        &subject,
        &key,
        &fingerprint,
        form,
        &answers,
        &files,
        &stored_keys,
    )
    .await
    {
        Ok(stored) => Ok(stored_response(&stored, false)),
        Err(e) => {
            discard(&state, &keys_only).await;
            // The same key was used concurrently: the other request won; replay its answer.
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
    form: &contract::FormSchema,
    answers: &contract::Answers,
    files: &std::collections::BTreeMap<String, upload::FilePart>,
    stored_keys: &[(String, String)],
) -> Result<StoredResponse, DbError> {
    let now = clock::now();
    let id = uuid::Uuid::new_v4().to_string();
    let mut tx = state.db.begin().await?;
    let reference = db::next_reference(&mut tx, &state.config.reference_prefix).await?;
    db::insert_demande(
        &mut tx,
        &NewDemande {
            id: &id,
            reference: &reference,
            subject,
            form_id: &form.id,
            form_version: form.version,
            form_title: &form.title,
            answers,
            label: "Demande reçue",
            at: &now,
        },
    )
    .await?;
    for (field_id, answer) in answers {
        let Answer::File(file) = answer else { continue };
        let (Some((_, storage_key)), Some(part)) = (
            stored_keys.iter().find(|(p, _)| *p == file.part),
            files.get(&file.part),
        ) else {
            continue;
        };
        db::add_document(
            &mut tx,
            &NewDocument {
                demande: &id,
                message: None,
                field: Some(field_id),
                name: &file.name,
                size: file.size,
                content_type: &file.content_type,
                storage_key,
                sha256: &part.sha256,
                from: Author::Citizen,
                at: &now,
            },
        )
        .await?;
    }
    let location = format!("/v1/demandes/{id}");
    let body = serde_json::json!({
        "id": id,
        "reference": reference,
        "form_id": form.id,
        "form_title": form.title,
        "status": { "bucket": "submitted", "label": "Demande reçue", "at": now },
        "created_at": now,
        "updated_at": now,
    });
    let stored = StoredResponse {
        request_hash: fingerprint.to_owned(),
        status: 201,
        location: Some(location),
        response: body.to_string(),
    };
    db::idempotency_put(&mut tx, subject, key, &stored, &now).await?;
    tx.commit().await?;
    Ok(stored)
}
