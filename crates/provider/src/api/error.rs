//! Every failure becomes an RFC 9457 problem (`application/problem+json`) with a French title and
//! detail the portal can show as is.

use crate::auth::AuthError;
use crate::db::DbError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use contract::{FieldError, Problem};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Unauthorized(AuthError),
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("invalid submission")]
    Invalid(Vec<FieldError>),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("idempotency key reused for another request")]
    KeyReused,
    #[error("unsupported: {0}")]
    Unsupported(String),
    #[error("too large: {0}")]
    TooLarge(String),
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl ApiError {
    fn problem(&self) -> Problem {
        match self {
            ApiError::Unauthorized(AuthError::IssuerUnreachable(_)) => Problem::new(503, "identity-provider-unreachable", "Service momentanément indisponible")
                .with_detail("Le service ne peut pas vérifier votre connexion pour le moment. Réessayez dans quelques minutes."),
            ApiError::Unauthorized(AuthError::Expired) => Problem::new(401, "token-expired", "Votre session a expiré").with_detail("Reconnectez-vous pour continuer."),
            ApiError::Unauthorized(AuthError::Missing) => Problem::new(401, "authentication-required", "Connexion requise").with_detail("Connectez-vous pour accéder à vos démarches."),
            ApiError::Unauthorized(_) => Problem::new(401, "invalid-token", "Connexion non reconnue").with_detail("Votre connexion n’est pas reconnue par ce service. Reconnectez-vous."),
            ApiError::NotFound => Problem::new(404, "not-found", "Introuvable").with_detail("Cette ressource n’existe pas ou ne vous appartient pas."),
            ApiError::BadRequest(detail) => Problem::new(400, "bad-request", "Requête incorrecte").with_detail(detail.clone()),
            ApiError::Invalid(errors) => Problem::new(422, "invalid-submission", "Certaines réponses sont à corriger")
                .with_detail(format!("{} réponse(s) à corriger.", errors.len()))
                .with_errors(errors.clone()),
            ApiError::Conflict(detail) => Problem::new(409, "conflict", "Conflit").with_detail(detail.clone()),
            ApiError::KeyReused => Problem::new(422, "idempotency-key-reused", "Clé d’envoi déjà utilisée")
                .with_detail("Cette clé d’envoi (Idempotency-Key) a déjà servi pour une demande différente."),
            ApiError::Unsupported(detail) => Problem::new(415, "unsupported-media-type", "Format non pris en charge").with_detail(detail.clone()),
            ApiError::TooLarge(detail) => Problem::new(413, "too-large", "Envoi trop volumineux").with_detail(detail.clone()),
            ApiError::Unavailable(detail) => Problem::new(503, "unavailable", "Service momentanément indisponible").with_detail(detail.clone()),
            ApiError::Internal(_) => Problem::new(500, "internal", "Erreur du service").with_detail("Le service a rencontré une erreur. Votre demande n’a pas été enregistrée ; réessayez."),
        }
    }
}

/// A problem+json response.
pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(problem).unwrap_or_default();
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(contract::problem::CONTENT_TYPE),
    );
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!("{detail}");
        }
        let mut response = problem_response(&self.problem());
        if matches!(self, ApiError::Unauthorized(_))
            && response.status() == StatusCode::UNAUTHORIZED
        {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"guichet\""),
            );
        }
        response
    }
}
