//! `GET /v1/idempotency-keys/{key}`: what became of a write whose answer was lost.

use super::Session;
use super::support::{expect_problem, expect_status, fail, unreachable};
use crate::token::{Credential, WithCredential};
use contract::{IdempotencyRecord, WriteKind};

async fn look_up(s: &Session, key: &str, token: &Credential) -> Result<reqwest::Response, String> {
    s.client
        .get(s.url(&format!("/v1/idempotency-keys/{key}")))
        .credential(token)
        .send()
        .await
        .map_err(unreachable)
}

async fn expect_record(s: &Session, key: &str, kind: WriteKind) -> Result<(), String> {
    let id = s
        .facts
        .demande
        .clone()
        .ok_or("no demande was created (submit failed)")?;
    let r = look_up(s, key, &s.target.token_a).await?;
    expect_status(r.status(), 200, "lookup")?;
    let record: IdempotencyRecord = r
        .json()
        .await
        .map_err(|e| format!("not an idempotency record: {e}"))?;
    if record.key != key || record.kind != kind || record.demande.id != id {
        return fail(format!(
            "expected a {kind:?} of demande {id} under `{key}`, got a {:?} of demande {} under `{}`",
            record.kind, record.demande.id, record.key
        ));
    }
    Ok(())
}

pub async fn submission_key(s: &mut Session) -> Result<(), String> {
    let key = s.facts.key.clone();
    expect_record(s, &key, WriteKind::Submission).await
}

pub async fn reply_key(s: &mut Session) -> Result<(), String> {
    if s.facts.document.is_none() {
        return fail("no reply was recorded (reply failed)");
    }
    let key = s.facts.reply_key.clone();
    expect_record(s, &key, WriteKind::Reply).await
}

pub async fn unknown_keys(s: &mut Session) -> Result<(), String> {
    let never_used = format!("conformance-unused-{}", uuid::Uuid::new_v4());
    let cases = [
        ("an unused key", never_used, s.target.token_a.clone()),
        (
            "another citizen's key",
            s.facts.key.clone(),
            s.target.token_b.clone(),
        ),
    ];
    for (what, key, token) in cases {
        let problem = expect_problem(look_up(s, &key, &token).await?, 404)
            .await
            .map_err(|e| format!("{what}: {e}"))?;
        if problem.kind != contract::idempotency::UNKNOWN_KEY_PROBLEM {
            return fail(format!("{what}: problem type is `{}`", problem.kind));
        }
    }
    Ok(())
}
