//! Requests without a valid token are refused with a `401` problem.

use super::Session;
use super::support::{expect_problem, tampered, unreachable, unsigned};

async fn refused(s: &Session, token: Option<String>) -> Result<(), String> {
    let mut request = s.client.get(s.url("/v1/demandes"));
    if let Some(t) = &token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.map_err(unreachable)?;
    expect_problem(response, 401).await.map(|_| ())
}

pub async fn no_token(s: &mut Session) -> Result<(), String> {
    refused(s, None).await
}

pub async fn malformed_token(s: &mut Session) -> Result<(), String> {
    refused(s, Some("abc.def".to_owned())).await
}

pub async fn tampered_token(s: &mut Session) -> Result<(), String> {
    refused(s, Some(tampered(&s.target.token_a.access_token))).await
}

pub async fn unsigned_token(s: &mut Session) -> Result<(), String> {
    refused(s, Some(unsigned(&s.target.token_a.access_token))).await
}
