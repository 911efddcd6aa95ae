//! Submitting a demande: validated against the form, files checked by content, stored in one
//! transaction, and idempotent ([`super::idempotent`]) — a retry after a network failure can never
//! create a second demande.

use super::idempotent::{self, Write, Written};
use super::upload::{self, FilePart, Upload, refusal_message};
use super::{ApiError, Shared};
use crate::clock;
use crate::db::{self, DbError, NewDemande, NewDocument, Tx};
use crate::files::display_name;
use crate::forms::RegexPatterns;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use contract::demande::{Author, Submission};
use contract::validation::{Context, validate_submission};
use contract::{Answer, Answers, FieldError, FormSchema, WriteKind};
use std::collections::BTreeMap;

pub async fn submit(
    State(state): State<Shared>,
    Path(form_id): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let subject = state.subject(&headers).await?;
    let key = idempotent::key(&headers)?;
    let form = state.forms.get(&form_id).ok_or(ApiError::NotFound)?;
    let Upload {
        json, files, batch, ..
    } = upload::read(&state, multipart, "submission").await?;
    let submission: Submission = serde_json::from_slice(&json).map_err(|e| {
        ApiError::BadRequest(format!("La partie « submission » n’est pas conforme : {e}"))
    })?;
    let canonical =
        serde_json::to_string(&submission).map_err(|e| ApiError::Internal(e.to_string()))?;
    let write = Write {
        state: &state,
        subject: &subject,
        key: &key,
        kind: WriteKind::Submission,
        fingerprint: upload::fingerprint(&canonical, &files),
    };
    if let Some(replay) = write.previous().await? {
        return Ok(replay);
    }
    if submission.form_version != form.version {
        return Err(ApiError::Conflict(format!(
            "Le formulaire a été mis à jour (version {} au lieu de {}). Rechargez la page : vos réponses sont conservées.",
            form.version, submission.form_version
        )));
    }
    let answers = checked_answers(form, submission.answers, &files)?;
    // Before the transaction: the year's counter is locked only while it counts (see
    // `db::next_reference`), not while the demande commits.
    let reference = db::next_reference(&state.db, &state.config.reference_prefix).await?;
    let id = uuid::Uuid::new_v4().to_string();
    let (mut tx, now) = write.begin().await?;
    let demande = NewDemande {
        id: &id,
        reference: &reference,
        subject: &subject,
        form_id: &form.id,
        form_version: form.version,
        form_title: &form.title,
        answers: &answers,
        label: "Demande reçue",
        at: &now,
    };
    let written = record(&mut tx, &demande, &files).await;
    write.commit(tx, batch, &now, written).await
}

/// The demande, its history and its documents, in `tx`.
async fn record(
    tx: &mut Tx<'static>,
    d: &NewDemande<'_>,
    files: &BTreeMap<String, FilePart>,
) -> Result<Written, DbError> {
    db::insert_demande(tx, d).await?;
    let now = d.at;
    for (field_id, answer) in d.answers {
        let Answer::File(file) = answer else { continue };
        let Some(part) = files.get(&file.part) else {
            continue;
        };
        db::add_document(
            tx,
            &NewDocument {
                demande: d.id,
                message: None,
                field: Some(field_id),
                name: &file.name,
                size: part.size,
                content_type: &file.content_type,
                storage_key: &part.key,
                sha256: &part.sha256,
                from: Author::Citizen,
                at: now,
            },
        )
        .await?;
    }
    let body = serde_json::json!({
        "id": d.id,
        "reference": d.reference,
        "form_id": d.form_id,
        "form_title": d.form_title,
        "status": { "bucket": "submitted", "label": d.label, "at": now },
        "created_at": now,
        "updated_at": now,
    });
    Ok(Written {
        demande_id: d.id.to_owned(),
        body: body.to_string(),
    })
}

/// The answers to store: each file answer takes its part's real size and type (the browser's
/// claims mean nothing), then everything is validated as the form says; every part must belong
/// to an applicable file answer.
fn checked_answers(
    form: &FormSchema,
    mut answers: Answers,
    files: &BTreeMap<String, FilePart>,
) -> Result<Answers, ApiError> {
    let mut errors = Vec::new();
    for (field_id, answer) in answers.iter_mut() {
        let (Answer::File(file), Some(field)) = (answer, form.field(field_id)) else {
            continue;
        };
        let name = display_name(&file.name);
        let refusal = match files.get(&file.part) {
            None => Some(format!(
                "Le fichier « {name} » n’a pas été reçu ; ajoutez-le de nouveau."
            )),
            Some(part) => match part.content {
                Ok(actual) => {
                    file.content_type = actual.to_owned();
                    file.size = part.size;
                    file.name = name.clone();
                    None
                }
                Err(refusal) => Some(refusal_message(
                    &name,
                    refusal,
                    &contract::validation::formats(&field.accept),
                )),
            },
        };
        if let Some(message) = refusal {
            errors.push(FieldError {
                field: field_id.clone(),
                message,
            });
        }
    }
    let today = clock::today();
    let context = Context {
        today: &today,
        patterns: &RegexPatterns,
    };
    let kept = validate_submission(form, &answers, &context).map_err(|invalid| {
        let refused: Vec<&String> = errors.iter().map(|e| &e.field).collect();
        let mut all = errors.clone();
        all.extend(invalid.into_iter().filter(|e| !refused.contains(&&e.field)));
        ApiError::Invalid(all)
    })?;
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let used: Vec<&str> = kept
        .values()
        .filter_map(|a| match a {
            Answer::File(f) => Some(f.part.as_str()),
            _ => None,
        })
        .collect();
    if let Some(extra) = files.keys().find(|k| !used.contains(&k.as_str())) {
        return Err(ApiError::BadRequest(format!(
            "La pièce jointe « {extra} » ne correspond à aucun champ du formulaire."
        )));
    }
    Ok(kept)
}
