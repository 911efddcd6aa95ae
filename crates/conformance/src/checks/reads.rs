//! Reads: the list and its polling, one demande, its documents, caching, isolation.

use super::Session;
use super::support::{cache_control, expect_status, fail, header, is_no_store, unreachable};
use crate::token::{Credential, WithCredential};
use contract::{Demande, DemandeList, StatusBucket};
use serde_json::json;

fn demande(s: &Session) -> Result<String, String> {
    s.facts
        .demande
        .clone()
        .ok_or_else(|| "no demande was created (submit failed)".to_owned())
}

fn document(s: &Session) -> Result<(String, Vec<u8>), String> {
    s.facts
        .document
        .clone()
        .ok_or_else(|| "no document was attached (reply failed)".to_owned())
}

async fn get(s: &Session, path: &str, token: &Credential) -> Result<reqwest::Response, String> {
    s.client
        .get(s.url(path))
        .credential(token)
        .send()
        .await
        .map_err(unreachable)
}

pub async fn list(s: &mut Session) -> Result<(), String> {
    let id = demande(s)?;
    let r = get(s, "/v1/demandes", &s.target.token_a).await?;
    s.facts.etag = r
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let list: DemandeList = r.json().await.map_err(|e| e.to_string())?;
    let found = list
        .demandes
        .iter()
        .find(|d| d.id == id)
        .ok_or("not in the list")?;
    if StatusBucket::ALL.contains(&found.status.bucket) {
        Ok(())
    } else {
        fail("unknown bucket")
    }
}

pub async fn polling(s: &mut Session) -> Result<(), String> {
    let Some(etag) = s.facts.etag.clone() else {
        return fail("the list has no ETag");
    };
    let r = s
        .client
        .get(s.url("/v1/demandes"))
        .credential(&s.target.token_a)
        .header("if-none-match", etag)
        .send()
        .await
        .map_err(unreachable)?;
    expect_status(r.status(), 304, "conditional list")
}

pub async fn history(s: &mut Session) -> Result<(), String> {
    let id = demande(s)?;
    let d: Demande = get(s, &format!("/v1/demandes/{id}"), &s.target.token_a)
        .await?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    match d.history.first() {
        Some(h) if h.bucket == StatusBucket::Submitted => Ok(()),
        other => fail(format!("history starts with {other:?}")),
    }
}

pub async fn download(s: &mut Session) -> Result<(), String> {
    let id = demande(s)?;
    let (doc, bytes) = document(s)?;
    let r = get(
        s,
        &format!("/v1/demandes/{id}/documents/{doc}"),
        &s.target.token_a,
    )
    .await?;
    expect_status(r.status(), 200, "download")?;
    let content_type = header(&r, "content-type");
    if content_type.split(';').next().map(str::trim) != Some("application/octet-stream") {
        return fail(format!(
            "Content-Type is `{content_type}`: a browser may render the file in the provider's origin"
        ));
    }
    let disposition = header(&r, "content-disposition");
    if !disposition.starts_with("attachment") {
        return fail(format!("Content-Disposition is `{disposition}`"));
    }
    let nosniff = header(&r, "x-content-type-options");
    if nosniff != "nosniff" {
        return fail(format!("X-Content-Type-Options is `{nosniff}`"));
    }
    let received = r.bytes().await.map_err(|e| e.to_string())?;
    if received.as_ref() != bytes.as_slice() {
        return fail("the bytes differ from those sent");
    }
    Ok(())
}

pub async fn no_store(s: &mut Session) -> Result<(), String> {
    let id = demande(s)?;
    let (doc, _) = document(s)?;
    let token = s.target.token_a.clone();
    let mut seen = s.facts.write_caching.clone();
    let list = get(s, "/v1/demandes", &token).await?;
    seen.push(("list", cache_control(&list)));
    let etag = list
        .headers()
        .get("etag")
        .cloned()
        .ok_or("the list has no ETag")?;
    let conditional = s
        .client
        .get(s.url("/v1/demandes"))
        .credential(&token)
        .header("if-none-match", etag)
        .send()
        .await
        .map_err(unreachable)?;
    seen.push(("list (304)", cache_control(&conditional)));
    for (what, path) in [
        ("demande", format!("/v1/demandes/{id}")),
        ("document", format!("/v1/demandes/{id}/documents/{doc}")),
        ("lookup", format!("/v1/idempotency-keys/{}", s.facts.key)),
        (
            "problem (unknown demande)",
            "/v1/demandes/conformance-unknown".to_owned(),
        ),
    ] {
        seen.push((what, cache_control(&get(s, &path, &token).await?)));
    }
    let stored: Vec<String> = seen
        .iter()
        .filter(|(_, value)| !is_no_store(value.as_deref()))
        .map(|(what, value)| format!("{what}: {}", value.as_deref().unwrap_or("(none)")))
        .collect();
    if stored.is_empty() {
        Ok(())
    } else {
        fail(format!(
            "may be stored by the browser's HTTP cache: {}",
            stored.join("; ")
        ))
    }
}

pub async fn isolation(s: &mut Session) -> Result<(), String> {
    let id = demande(s)?;
    let token_b = s.target.token_b.clone();
    let r = get(s, &format!("/v1/demandes/{id}"), &token_b).await?;
    expect_status(r.status(), 404, "other citizen's read")?;
    let list: DemandeList = get(s, "/v1/demandes", &token_b)
        .await?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    if list.demandes.iter().any(|d| d.id == id) {
        return fail("listed for another citizen");
    }
    if let Some((doc, _)) = &s.facts.document {
        let r = get(s, &format!("/v1/demandes/{id}/documents/{doc}"), &token_b).await?;
        expect_status(r.status(), 404, "other citizen's download")?;
    }
    let reply =
        reqwest::multipart::Form::new().text("reply", json!({ "body": "intrusion" }).to_string());
    let r = s
        .client
        .post(s.url(&format!("/v1/demandes/{id}/replies")))
        .credential(&token_b)
        .header(
            "idempotency-key",
            format!("intrusion-{}", uuid::Uuid::new_v4()),
        )
        .multipart(reply)
        .send()
        .await
        .map_err(unreachable)?;
    expect_status(r.status(), 404, "other citizen's reply")
}
