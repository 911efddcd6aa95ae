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
    /// The key was first used for another request, about this demande.
    #[error("idempotency key reused for another request")]
    KeyReused { demande_id: Option<String> },
    #[error("idempotency key unknown")]
    UnknownKey,
    #[error("unsupported: {0}")]
    Unsupported(String),
    #[error("too large: {0}")]
    TooLarge(String),
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Every upload slot stayed busy while the request waited.
    #[error("busy")]
    Busy,
    /// The request stalled (no progress) or overran its deadline.
    #[error("timed out")]
    Timeout,
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
            ApiError::KeyReused { demande_id } => {
                let problem = Problem::new(422, "idempotency-key-reused", "Clé d’envoi déjà utilisée")
                    .with_detail("Cet envoi a déjà été reçu avec un contenu différent : votre demande existe déjà, rien n’a été envoyé une seconde fois.");
                match demande_id {
                    Some(id) => problem.with_demande(id.clone()),
                    None => problem,
                }
            }
            ApiError::UnknownKey => Problem::new(404, "idempotency-key-unknown", "Envoi inconnu")
                .with_detail("Aucun envoi avec cette clé n’a été enregistré : vous pouvez l’envoyer."),
            ApiError::Unsupported(detail) => Problem::new(415, "unsupported-media-type", "Format non pris en charge").with_detail(detail.clone()),
            ApiError::TooLarge(detail) => Problem::new(413, "too-large", "Envoi trop volumineux").with_detail(detail.clone()),
            ApiError::Unavailable(detail) => Problem::new(503, "unavailable", "Service momentanément indisponible").with_detail(detail.clone()),
            ApiError::Busy => Problem::new(503, "busy", "Service très sollicité")
                .with_detail("Trop d’envois sont en cours : rien n’a été enregistré. Réessayez dans quelques secondes."),
            ApiError::Timeout => Problem::new(408, "request-timeout", "Délai dépassé")
                .with_detail("La requête n’a pas abouti à temps (ou l’envoi ne progressait plus) : rien n’a été enregistré. Vérifiez votre connexion et réessayez."),
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
        if matches!(self, ApiError::Busy) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
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
