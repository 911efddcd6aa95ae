//! Reading a multipart write without ever holding it in memory.
//!
//! One JSON part (the submission or the reply, at most 1 MiB) is kept in memory; every file part
//! is streamed to the storage folder as it arrives, hashed and inspected on the way
//! ([`crate::files::inspect`]), and refused with `413` as soon as it passes the size limit. The
//! body is timed by *progress*: each chunk must arrive within `upload_idle_secs`, so a 10 MiB file
//! over a slow rural uplink gets through while a stalled connection is dropped (`408`). At most
//! `max_concurrent_uploads` bodies are read at once; the others wait for a slot (up to
//! `upload_idle_secs`), then get `503` with `Retry-After`.

use super::Shared;
use super::error::ApiError;
use crate::files::{Batch, Inspector, Refusal};
use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::sync::OwnedSemaphorePermit;

pub const MAX_FILE_PARTS: usize = 10;
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// A file part, on disk as a `.part` file of the request's [`Batch`].
pub struct FilePart {
    /// The file name the browser sent (display only).
    pub file_name: Option<String>,
    /// The storage key it was written under.
    pub key: String,
    pub size: u64,
    pub sha256: String,
    /// What the content is, or why it is refused.
    pub content: Result<&'static str, Refusal>,
}

/// A parsed multipart body.
pub struct Upload {
    pub json: Vec<u8>,
    pub files: BTreeMap<String, FilePart>,
    /// The files on disk: removed unless the write commits.
    pub batch: Batch,
    _slot: OwnedSemaphorePermit,
}

fn valid_part_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn too_large(what: String) -> ApiError {
    ApiError::TooLarge(what)
}

fn multipart_error(state: &Shared, e: MultipartError) -> ApiError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        too_large(format!(
            "L’envoi dépasse {} au total.",
            contract::validation::human_size(state.config.limits.max_request_bytes as u64)
        ))
    } else {
        ApiError::BadRequest(format!("Corps multipart illisible : {e}"))
    }
}

/// Waits for `step` at most the idle time: a body that stops progressing is dropped.
async fn progress<T>(
    state: &Shared,
    step: impl Future<Output = Result<T, MultipartError>>,
) -> Result<T, ApiError> {
    let idle = Duration::from_secs(state.config.limits.upload_idle_secs);
    match tokio::time::timeout(idle, step).await {
        Ok(result) => result.map_err(|e| multipart_error(state, e)),
        Err(_) => Err(ApiError::Timeout),
    }
}

/// Reads `multipart`: the part named `json_part` and up to [`MAX_FILE_PARTS`] file parts.
pub async fn read(
    state: &Shared,
    multipart: Result<Multipart, MultipartRejection>,
    json_part: &str,
) -> Result<Upload, ApiError> {
    let mut multipart = multipart.map_err(|_| {
        ApiError::BadRequest("Le corps de la requête doit être en multipart/form-data.".into())
    })?;
    let idle = Duration::from_secs(state.config.limits.upload_idle_secs);
    let slot = tokio::time::timeout(idle, state.uploads.clone().acquire_owned())
        .await
        .map_err(|_| ApiError::Busy)?
        .map_err(|_| ApiError::Busy)?;
    let mut json = None;
    let mut files = BTreeMap::new();
    let mut batch = state.storage.batch();
    while let Some(mut field) = progress(state, multipart.next_field()).await? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == json_part {
            if json.is_some() {
                return Err(ApiError::BadRequest(format!(
                    "La partie « {name} » apparaît deux fois."
                )));
            }
            json = Some(read_json(state, &mut field).await?);
            continue;
        }
        if !valid_part_name(&name) {
            return Err(ApiError::BadRequest(format!(
                "Nom de partie invalide : « {name} »."
            )));
        }
        if files.contains_key(&name) {
            return Err(ApiError::BadRequest(format!(
                "La partie « {name} » apparaît deux fois."
            )));
        }
        if files.len() >= MAX_FILE_PARTS {
            return Err(too_large(format!(
                "{MAX_FILE_PARTS} pièces jointes au maximum par envoi."
            )));
        }
        let part = stream_file(state, &mut field, &mut batch).await?;
        files.insert(name, part);
    }
    let json = json.ok_or_else(|| {
        ApiError::BadRequest(format!("La partie « {json_part} » (JSON) est absente."))
    })?;
    Ok(Upload {
        json,
        files,
        batch,
        _slot: slot,
    })
}

async fn read_json(state: &Shared, field: &mut Field<'_>) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = progress(state, field.chunk()).await? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_JSON_BYTES {
            return Err(too_large("La partie JSON dépasse 1 Mo.".into()));
        }
    }
    Ok(bytes)
}

/// Streams one file part to a new `.part` file, hashing and inspecting it on the way.
async fn stream_file(
    state: &Shared,
    field: &mut Field<'_>,
    batch: &mut Batch,
) -> Result<FilePart, ApiError> {
    let max = state.config.limits.max_file_bytes;
    let file_name = field.file_name().map(str::to_owned);
    let (key, file) = batch.create().await?;
    let mut out = tokio::io::BufWriter::with_capacity(64 * 1024, file);
    let mut hasher = Sha256::new();
    let mut inspector = Inspector::default();
    let mut size = 0u64;
    while let Some(chunk) = progress(state, field.chunk()).await? {
        size += chunk.len() as u64;
        if size > max {
            return Err(too_large(format!(
                "Chaque fichier doit faire au plus {}.",
                contract::validation::human_size(max)
            )));
        }
        hasher.update(&chunk);
        inspector.update(&chunk);
        out.write_all(&chunk).await?;
    }
    out.flush().await?;
    // On disk for good before the answer says it was received.
    out.into_inner().sync_all().await?;
    Ok(FilePart {
        file_name,
        key,
        size,
        sha256: hex::encode(hasher.finalize()),
        content: inspector.finish(),
    })
}

/// A fingerprint of what was sent, independent of multipart boundaries and part order: the
/// canonical JSON plus each file's name and digest. Same key + same fingerprint = a retry.
pub fn fingerprint(canonical_json: &str, files: &BTreeMap<String, FilePart>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(canonical_json.as_bytes());
    for (name, part) in files {
        hasher.update(b"\0");
        hasher.update(name.as_bytes());
        hasher.update(b"\0");
        hasher.update(part.sha256.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Why a file is refused, for the citizen (`accepted`: "PDF, JPEG ou PNG").
pub fn refusal_message(name: &str, refusal: Refusal, accepted: &str) -> String {
    match refusal {
        Refusal::UnknownType => {
            format!("Le contenu du fichier « {name} » n’est pas un {accepted} valide.")
        }
        Refusal::Truncated(_) => format!(
            "Le fichier « {name} » est incomplet ou abîmé : enregistrez-le de nouveau puis ajoutez-le."
        ),
        Refusal::TrailingData(_) | Refusal::ActiveContent(_) => format!(
            "Le fichier « {name} » contient autre chose qu’un document ({accepted}) et ne peut pas être accepté : enregistrez-le de nouveau (par exemple « Imprimer » puis « Enregistrer au format PDF »)."
        ),
    }
}
