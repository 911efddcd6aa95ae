//! Public resources and CORS: what any browser on the portal's origin needs before signing in.

use super::Session;
use super::support::{fail, header, lists, unreachable};
use crate::token::WithCredential;
use contract::{Discovery, FormSchema};

async fn discover(s: &Session) -> Result<Discovery, String> {
    get_json(s, "/v1", "not a discovery document").await
}

async fn schema(s: &Session, id: &str) -> Result<FormSchema, String> {
    get_json(s, &format!("/v1/forms/{id}"), id).await
}

/// A public document (no token); an undecodable one is said as `what: why`.
async fn get_json<T: serde::de::DeserializeOwned>(
    s: &Session,
    path: &str,
    what: &str,
) -> Result<T, String> {
    s.client
        .get(s.url(path))
        .send()
        .await
        .map_err(unreachable)?
        .json()
        .await
        .map_err(|e| format!("{what}: {e}"))
}

pub async fn discovery(s: &mut Session) -> Result<(), String> {
    let d = discover(s).await?;
    if d.api_version != "1" {
        return fail(format!("api_version is {}", d.api_version));
    }
    let chosen = match &s.target.form {
        Some(f) => d
            .forms
            .iter()
            .find(|x| &x.id == f)
            .ok_or(format!("form {f} is not listed"))?,
        None => d.forms.first().ok_or("no form is listed")?,
    };
    let form = schema(s, &chosen.id).await?;
    s.facts.answers = Some(crate::answers::generate(&form, &s.today));
    s.facts.form = Some(form);
    Ok(())
}

pub async fn forms(s: &mut Session) -> Result<(), String> {
    for f in discover(s).await?.forms {
        schema(s, &f.id)
            .await?
            .check()
            .map_err(|p| format!("{}: {}", f.id, p.join("; ")))?;
    }
    Ok(())
}

const PORTAL_HEADERS: [&str; 5] = [
    "authorization",
    "dpop",
    "idempotency-key",
    "if-none-match",
    "content-type",
];

pub async fn cors_request_headers(s: &mut Session) -> Result<(), String> {
    for method in ["GET", "POST"] {
        let r = s
            .client
            .request(reqwest::Method::OPTIONS, s.url("/v1/demandes"))
            .header("origin", &s.target.portal_origin)
            .header("access-control-request-method", method)
            .header("access-control-request-headers", PORTAL_HEADERS.join(","))
            .send()
            .await
            .map_err(unreachable)?;
        let origin = header(&r, "access-control-allow-origin");
        if origin != s.target.portal_origin.to_lowercase() && origin != "*" {
            return fail(format!(
                "{method}: Access-Control-Allow-Origin is `{origin}`"
            ));
        }
        let methods = header(&r, "access-control-allow-methods");
        if !lists(&methods, method) {
            return fail(format!("Access-Control-Allow-Methods is `{methods}`"));
        }
        let allowed = header(&r, "access-control-allow-headers");
        // `*` does not cover Authorization (Fetch standard): it must be named.
        let missing: Vec<&str> = PORTAL_HEADERS
            .into_iter()
            .filter(|h| !lists(&allowed, h) || (*h == "authorization" && !allowed.contains(h)))
            .collect();
        if !missing.is_empty() {
            return fail(format!(
                "{method}: Access-Control-Allow-Headers is `{allowed}`, missing {}",
                missing.join(", ")
            ));
        }
    }
    Ok(())
}

pub async fn cors_exposed_headers(s: &mut Session) -> Result<(), String> {
    let r = s
        .client
        .get(s.url("/v1/demandes"))
        .credential(&s.target.token_a)
        .header("origin", &s.target.portal_origin)
        .send()
        .await
        .map_err(unreachable)?;
    let exposed = header(&r, "access-control-expose-headers");
    let missing: Vec<&str> = ["etag", "location", "idempotent-replayed"]
        .into_iter()
        .filter(|h| !lists(&exposed, h))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        fail(format!(
            "Access-Control-Expose-Headers is `{exposed}`, missing {}",
            missing.join(", ")
        ))
    }
}

pub async fn cors_unknown_origin(s: &mut Session) -> Result<(), String> {
    let r = s
        .client
        .request(reqwest::Method::OPTIONS, s.url("/v1/demandes"))
        .header("origin", "https://not-the-portal.example")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .map_err(unreachable)?;
    match r.headers().get("access-control-allow-origin") {
        Some(v) => fail(format!("allowed: {v:?}")),
        None => Ok(()),
    }
}
