//! Public resources: discovery, form schemas, health.

use super::{ApiError, Shared};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use contract::{Discovery, FormSummary};

pub async fn discovery(State(state): State<Shared>) -> Json<Discovery> {
    Json(Discovery {
        api_version: contract::API_VERSION.to_owned(),
        member: state.config.member.clone(),
        name: state.config.name.clone(),
        forms: state
            .forms
            .values()
            .map(|f| FormSummary {
                id: f.id.clone(),
                title: f.title.clone(),
                version: f.version,
            })
            .collect(),
    })
}

pub async fn form(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let schema = state.forms.get(&id).ok_or(ApiError::NotFound)?;
    let etag = format!("\"{}-v{}\"", schema.id, schema.version);
    let cached = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str());
    let mut response = if cached {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Json(schema).into_response()
    };
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(response)
}

pub async fn health(State(state): State<Shared>) -> Result<Json<serde_json::Value>, ApiError> {
    sqlx::query("SELECT 1")
        .execute(&state.db.pool)
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    Ok(Json(
        serde_json::json!({ "status": "ok", "member": state.config.member }),
    ))
}

pub async fn not_found() -> ApiError {
    ApiError::NotFound
}
