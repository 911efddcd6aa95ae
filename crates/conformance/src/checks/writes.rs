//! Writes: a submission, its idempotency, validation, a reply with a document, the size limit.

use super::Session;
use super::support::{
    cache_control, expect_problem, fail, header, pdf_of, submission, unreachable,
};
use crate::answers;
use crate::token::WithCredential;
use contract::{Answers, Demande, FormSchema, Message};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;

/// The form and answers found by the discovery check.
fn form_and_answers(s: &Session) -> Result<(FormSchema, Answers), String> {
    match (&s.facts.form, &s.facts.answers) {
        (Some(f), Some(a)) => Ok((f.clone(), a.clone())),
        _ => fail("no form to submit to (discovery failed)"),
    }
}

fn demande(s: &Session) -> Result<String, String> {
    s.facts
        .demande
        .clone()
        .ok_or_else(|| "no demande was created (submit failed)".to_owned())
}

async fn post_submission(
    s: &Session,
    form: &FormSchema,
    answers: &Answers,
    key: &str,
) -> Result<reqwest::Response, String> {
    s.client
        .post(s.url(&format!("/v1/forms/{}/demandes", form.id)))
        .credential(&s.target.token_a)
        .header("idempotency-key", key)
        .multipart(submission(form, answers))
        .send()
        .await
        .map_err(unreachable)
}

pub async fn submit(s: &mut Session) -> Result<(), String> {
    let (form, answers) = form_and_answers(s)?;
    let r = post_submission(s, &form, &answers, &s.facts.key.clone()).await?;
    s.facts
        .write_caching
        .push(("submission", cache_control(&r)));
    if r.status() != StatusCode::CREATED {
        let status = r.status();
        return fail(format!(
            "HTTP {status}: {}",
            r.text().await.unwrap_or_default()
        ));
    }
    if r.headers().get("location").is_none() {
        return fail("no Location header");
    }
    let body: serde_json::Value = r.json().await.map_err(|e| e.to_string())?;
    if body["status"]["bucket"] != "submitted"
        || body["reference"].as_str().unwrap_or_default().is_empty()
    {
        return fail(format!("unexpected body {body}"));
    }
    s.facts.demande = body["id"].as_str().map(str::to_owned);
    Ok(())
}

pub async fn replay(s: &mut Session) -> Result<(), String> {
    let (form, answers) = form_and_answers(s)?;
    let id = demande(s)?;
    let r = post_submission(s, &form, &answers, &s.facts.key.clone()).await?;
    s.facts
        .write_caching
        .push(("replayed submission", cache_control(&r)));
    if !r.status().is_success() {
        return fail(format!("HTTP {}", r.status()));
    }
    let replayed = header(&r, "idempotent-replayed");
    let body: serde_json::Value = r.json().await.map_err(|e| e.to_string())?;
    if body["id"].as_str() != Some(id.as_str()) {
        return fail(format!("a second demande was created: {}", body["id"]));
    }
    if replayed != "true" {
        return fail(format!("Idempotent-Replayed is `{replayed}`, not `true`"));
    }
    Ok(())
}

pub async fn other_content(s: &mut Session) -> Result<(), String> {
    let (form, answers) = form_and_answers(s)?;
    let id = demande(s)?;
    let other = answers::variant(&form, &answers, &s.today)
        .ok_or("the form allows no other valid answers to test with (use --form)")?;
    let r = post_submission(s, &form, &other, &s.facts.key.clone()).await?;
    s.facts
        .write_caching
        .push(("refused write", cache_control(&r)));
    if r.status().is_success() {
        return fail(format!(
            "HTTP {} for other content under a used key: the provider does not tie keys to content",
            r.status()
        ));
    }
    let problem = expect_problem(r, 422).await?;
    if problem.kind != contract::problem::KEY_REUSED {
        return fail(format!("problem type is `{}`", problem.kind));
    }
    if problem.demande_id.as_deref() != Some(id.as_str()) {
        return fail(format!(
            "demande_id is {:?}, not the demande the key created ({id})",
            problem.demande_id
        ));
    }
    // The same content under a fresh key is accepted: the refusal was about the key alone.
    let fresh = format!("conformance-{}", uuid::Uuid::new_v4());
    let r = post_submission(s, &form, &other, &fresh).await?;
    if r.status() != StatusCode::CREATED {
        let status = r.status();
        return fail(format!(
            "the other content was refused under a new key too (HTTP {status}: {}), so this check proves nothing",
            r.text().await.unwrap_or_default()
        ));
    }
    Ok(())
}

pub async fn empty_submission(s: &mut Session) -> Result<(), String> {
    let (form, _) = form_and_answers(s)?;
    let key = format!("empty-{}", uuid::Uuid::new_v4());
    let r = post_submission(s, &form, &Answers::new(), &key).await?;
    let problem = expect_problem(r, 422).await?;
    if problem.errors.is_empty() {
        fail("no field errors")
    } else {
        Ok(())
    }
}

async fn post_reply(
    s: &Session,
    id: &str,
    key: &str,
    body: &str,
    document: Vec<u8>,
) -> Result<reqwest::Response, reqwest::Error> {
    let form = Form::new()
        .text("reply", json!({ "body": body }).to_string())
        .part(
            "piece",
            Part::bytes(document)
                .file_name("piece-conformite.pdf")
                .mime_str("application/pdf")?,
        );
    s.client
        .post(s.url(&format!("/v1/demandes/{id}/replies")))
        .credential(&s.target.token_a)
        .header("idempotency-key", key)
        .multipart(form)
        .send()
        .await
}

pub async fn reply(s: &mut Session) -> Result<(), String> {
    let id = demande(s)?;
    let key = s.facts.reply_key.clone();
    let r = post_reply(s, &id, &key, "Réponse de conformité", answers::PDF.to_vec())
        .await
        .map_err(unreachable)?;
    s.facts.write_caching.push(("reply", cache_control(&r)));
    if r.status() != StatusCode::CREATED {
        let status = r.status();
        return fail(format!(
            "HTTP {status}: {}",
            r.text().await.unwrap_or_default()
        ));
    }
    let message: Message = r.json().await.map_err(|e| format!("not a message: {e}"))?;
    let document = message
        .documents
        .first()
        .ok_or("the message lists no document")?;
    s.facts.document = Some((document.id.clone(), answers::PDF.to_vec()));
    Ok(())
}

async fn messages(s: &Session, id: &str) -> Result<usize, String> {
    let d: Demande = s
        .client
        .get(s.url(&format!("/v1/demandes/{id}")))
        .credential(&s.target.token_a)
        .send()
        .await
        .map_err(unreachable)?
        .json()
        .await
        .map_err(|e| format!("not a demande: {e}"))?;
    Ok(d.messages.len())
}

pub async fn oversized(s: &mut Session) -> Result<(), String> {
    let id = demande(s)?;
    let before = messages(s, &id).await?;
    let big = pdf_of(contract::form::MAX_FILE_BYTES as usize + 64 * 1024);
    let key = format!("oversized-{}", uuid::Uuid::new_v4());
    let r = post_reply(s, &id, &key, "Pièce trop lourde", big)
        .await
        .map_err(|e| format!("the connection ended without an answer ({e}); a provider must answer 413 with a problem document"))?;
    let status = r.status();
    let result = expect_problem(r, 413).await.map(|_| ());
    if messages(s, &id).await? != before {
        return fail(format!("HTTP {status}, and the reply was recorded"));
    }
    result
}
