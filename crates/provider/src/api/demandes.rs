//! A citizen's demandes: the list (cheap to poll), one demande, its documents.
//!
//! Every answer here is personal: the router marks them all `Cache-Control: no-store` (nothing
//! may stay in a shared computer's HTTP cache), and polling stays cheap through `ETag` /
//! `If-None-Match`, which the portal sends itself.

use super::{ApiError, Shared};
use crate::{clock, db};
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use contract::DemandeList;
use serde::Deserialize;
use sha2::{Digest, Sha256};

#[derive(Deserialize)]
pub struct ListQuery {
    updated_since: Option<String>,
}

fn weak_etag(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for p in parts {
        hasher.update(p.as_bytes());
        hasher.update(b"\0");
    }
    format!("W/\"{}\"", &hex::encode(hasher.finalize())[..32])
}

fn matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|candidate| candidate.trim() == etag || candidate.trim() == "*")
        })
}

fn with_etag(mut response: Response, etag: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// `GET /v1/demandes`: answers `304 Not Modified` from one aggregate query when nothing changed;
/// a first request (no `If-None-Match`) costs one query, its ETag computed from the list itself.
pub async fn list(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let subject = state.subject(&headers).await?;
    let since = match query.updated_since.as_deref() {
        Some(text) => Some(clock::normalise(text).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "updated_since « {text} » n’est pas une date RFC 3339."
            ))
        })?),
        None => None,
    };
    let list_etag = |count: usize, latest: &str| {
        weak_etag(&[
            &subject,
            &count.to_string(),
            latest,
            since.as_deref().unwrap_or(""),
        ])
    };
    let polled = headers.contains_key(header::IF_NONE_MATCH);
    let etag = if polled || since.is_some() {
        let (count, latest) = db::list_fingerprint(&state.db.pool, &subject).await?;
        let etag = list_etag(usize::try_from(count).unwrap_or_default(), &latest);
        if matches(&headers, &etag) {
            return Ok(with_etag(StatusCode::NOT_MODIFIED.into_response(), &etag));
        }
        Some(etag)
    } else {
        None
    };
    let as_of = clock::now();
    let demandes = db::list(&state.db.pool, &subject, since.as_deref()).await?;
    // A whole list is its own fingerprint (how many, the latest change first): no second query.
    let etag = etag.unwrap_or_else(|| {
        let latest = demandes.first().map_or("", |d| d.updated_at.as_str());
        list_etag(demandes.len(), latest)
    });
    Ok(with_etag(
        Json(DemandeList { demandes, as_of }).into_response(),
        &etag,
    ))
}

/// `GET /v1/demandes/{id}`.
pub async fn one(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let subject = state.subject(&headers).await?;
    let demande = db::get(&state.db.pool, Some(&subject), &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let etag = weak_etag(&[&demande.summary.id, &demande.summary.updated_at]);
    if matches(&headers, &etag) {
        return Ok(with_etag(StatusCode::NOT_MODIFIED.into_response(), &etag));
    }
    Ok(with_etag(Json(demande).into_response(), &etag))
}

/// `GET /v1/demandes/{id}/documents/{document}`: the bytes, streamed from disk, as an attachment
/// of no particular type — whatever a file might contain, no browser renders it in this origin.
pub async fn document(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((id, document)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let subject = state.subject(&headers).await?;
    let (doc, key) = db::document(&state.db.pool, &subject, &id, &document)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (file, len) = state.storage.open(&key).await?;
    let mut response = Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&doc.name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    Ok(response)
}

/// `attachment; filename="ASCII fallback"; filename*=UTF-8''percent-encoded` (RFC 6266 / 8187).
pub fn content_disposition(name: &str) -> String {
    let name = crate::files::display_name(name);
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii() { c } else { '_' })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn content_disposition_keeps_accents_in_the_encoded_name_and_quotes_out_of_both() {
        assert_eq!(
            super::content_disposition("Relevé \"août\".pdf"),
            "attachment; filename=\"Relev_ ao_t.pdf\"; filename*=UTF-8''Relev%C3%A9%20ao%C3%BBt.pdf"
        );
    }
}
