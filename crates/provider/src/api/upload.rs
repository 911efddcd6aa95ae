//! Reading a multipart request: one JSON part (the submission or the reply) and file parts,
//! each bounded in size, and the fingerprint that makes retries idempotent.

use super::error::ApiError;
use axum::extract::Multipart;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub const MAX_FILE_PARTS: usize = 10;

/// A file part, read fully into memory (bounded by the configured limit).
pub struct FilePart {
    /// The file name the browser sent (display only).
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

/// A parsed multipart body.
pub struct Upload {
    pub json: Vec<u8>,
    pub files: BTreeMap<String, FilePart>,
}

fn valid_part_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Reads `multipart`: the part named `json_part` and up to [`MAX_FILE_PARTS`] file parts.
pub async fn read(
    mut multipart: Multipart,
    json_part: &str,
    max_file_bytes: u64,
) -> Result<Upload, ApiError> {
    let mut json = None;
    let mut files = BTreeMap::new();
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::BadRequest(format!("Corps multipart illisible : {e}"))
    };
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == json_part {
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(bad)? {
                bytes.extend_from_slice(&chunk);
                if bytes.len() > 1024 * 1024 {
                    return Err(ApiError::TooLarge("La partie JSON dépasse 1 Mo.".into()));
                }
            }
            json = Some(bytes);
            continue;
        }
        if !valid_part_name(&name) {
            return Err(ApiError::BadRequest(format!(
                "Nom de partie invalide : « {name} »."
            )));
        }
        if files.len() >= MAX_FILE_PARTS {
            return Err(ApiError::TooLarge(format!(
                "{MAX_FILE_PARTS} pièces jointes au maximum par envoi."
            )));
        }
        let file_name = field.file_name().map(str::to_owned);
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() as u64 > max_file_bytes {
                return Err(ApiError::TooLarge(format!(
                    "Chaque fichier doit faire au plus {}.",
                    contract::validation::human_size(max_file_bytes)
                )));
            }
        }
        if files.contains_key(&name) {
            return Err(ApiError::BadRequest(format!(
                "La partie « {name} » apparaît deux fois."
            )));
        }
        let sha256 = crate::files::sha256_hex(&bytes);
        files.insert(
            name,
            FilePart {
                file_name,
                bytes,
                sha256,
            },
        );
    }
    let json = json.ok_or_else(|| {
        ApiError::BadRequest(format!("La partie « {json_part} » (JSON) est absente."))
    })?;
    Ok(Upload { json, files })
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

/// The `Idempotency-Key` header: required on writes, 1–255 visible ASCII characters.
pub fn idempotency_key(headers: &axum::http::HeaderMap) -> Result<String, ApiError> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or_default();
    if key.is_empty() || key.len() > 255 || !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ApiError::BadRequest(
            "L’en-tête Idempotency-Key est obligatoire (1 à 255 caractères ASCII visibles).".into(),
        ));
    }
    Ok(key.to_owned())
}
