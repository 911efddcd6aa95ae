//! Token binding: a provider accepts only tokens issued for it (RFC 8707 audience) and presented
//! by the key they are bound to (RFC 9449 DPoP), each proof once, for its own request.
//!
//! These checks need DPoP-bound tokens from the issuer (`--token-from`) and a token of the same
//! citizen for another provider of the federation (`--other-provider`); with plain bearer tokens
//! they fail saying so. Their names start with `tokens:`.

use super::Session;
use crate::token::{Credential, DpopKey};
use reqwest::StatusCode;

pub async fn other_audience(s: &mut Session) -> Result<(), String> {
    let other = s
        .target
        .other_provider_token
        .as_ref()
        .ok_or("needs a token for another provider (--other-provider)")?;
    let key = bound(other)?;
    let list = list_url(s);
    let proof = key.proof("GET", &list, Some(&other.access_token));
    let status = get_list(s, format!("DPoP {}", other.access_token), &[proof]).await?;
    expect_refused(status, "another provider's token with a valid proof")
}

pub async fn replayed_proof(s: &mut Session) -> Result<(), String> {
    let (token, key) = own_token(s)?;
    let proof = key.proof("GET", &list_url(s), Some(token));
    let first = get_list(s, format!("DPoP {token}"), std::slice::from_ref(&proof)).await?;
    if first != StatusCode::OK {
        return Err(format!(
            "the token with a fresh proof: HTTP {first}, expected 200"
        ));
    }
    let again = get_list(s, format!("DPoP {token}"), &[proof]).await?;
    expect_refused(again, "the same proof a second time")
}

pub async fn missing_proof(s: &mut Session) -> Result<(), String> {
    let (token, _) = own_token(s)?;
    let alone = get_list(s, format!("DPoP {token}"), &[]).await?;
    expect_refused(alone, "the bound token without a proof")?;
    let bearer = get_list(s, format!("Bearer {token}"), &[]).await?;
    expect_refused(bearer, "the bound token as a bearer token")
}

pub async fn proof_for_another_request(s: &mut Session) -> Result<(), String> {
    let (token, key) = own_token(s)?;
    let list = list_url(s);
    let wrong_proofs = [
        (
            "a proof for another URL",
            key.proof("GET", &format!("{list}/autre"), Some(token)),
        ),
        (
            "a proof for another method",
            key.proof("POST", &list, Some(token)),
        ),
    ];
    for (what, proof) in wrong_proofs {
        let status = get_list(s, format!("DPoP {token}"), &[proof]).await?;
        expect_refused(status, what)?;
    }
    let stranger = DpopKey::generate().map_err(|e| e.to_string())?;
    let proof = stranger.proof("GET", &list, Some(token));
    let status = get_list(s, format!("DPoP {token}"), &[proof]).await?;
    expect_refused(status, "a proof signed by another key")
}

/// The URL every binding check asks: the citizen's list, the simplest authenticated read.
fn list_url(s: &Session) -> String {
    s.url("/v1/demandes")
}

/// `GET` the list with this `Authorization` and these `DPoP` headers; the status answered.
async fn get_list(
    s: &Session,
    authorization: String,
    proofs: &[String],
) -> Result<StatusCode, String> {
    let mut request = s
        .client
        .get(list_url(s))
        .header("authorization", authorization);
    for proof in proofs {
        request = request.header("dpop", proof);
    }
    request
        .send()
        .await
        .map(|r| r.status())
        .map_err(|e| e.to_string())
}

/// Citizen A's access token and the key it is bound to.
fn own_token(s: &Session) -> Result<(&str, &DpopKey), String> {
    let credential = &s.target.token_a;
    Ok((&credential.access_token, bound(credential)?))
}

fn bound(credential: &Credential) -> Result<&DpopKey, String> {
    credential
        .key
        .as_deref()
        .ok_or_else(|| "needs DPoP-bound tokens from the issuer (--token-from)".to_owned())
}

fn expect_refused(status: StatusCode, what: &str) -> Result<(), String> {
    if status == StatusCode::UNAUTHORIZED {
        Ok(())
    } else {
        Err(format!("{what}: HTTP {status}, expected 401"))
    }
}
