//! The checks, each a named claim of the contract that is true or false for the provider.
//!
//! They run against a live provider and **create demandes** (for the two test citizens): point the
//! checker at a test or staging instance, never at production.

use crate::answers;
use crate::token::{Credential, WithCredential};
use contract::{Answer, Demande, DemandeList, Discovery, FormSchema, Problem, StatusBucket};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;

/// What the checker needs.
pub struct Target {
    pub provider: String,
    pub portal_origin: String,
    pub token_a: Credential,
    pub token_b: Credential,
    /// Citizen A's token for another provider of the federation (binding checks).
    pub other_provider_token: Option<Credential>,
    /// Form to submit to (default: the first one the provider lists).
    pub form: Option<String>,
}

/// One line of the report.
#[derive(Debug)]
pub struct Outcome {
    pub name: &'static str,
    pub result: Result<(), String>,
}

/// Shared facts discovered by earlier checks.
#[derive(Default)]
struct Facts {
    form: Option<FormSchema>,
    demande: Option<String>,
    etag: Option<String>,
}

fn fail<T>(message: impl Into<String>) -> Result<T, String> {
    Err(message.into())
}

fn expect_status(actual: StatusCode, expected: u16, what: &str) -> Result<(), String> {
    if actual.as_u16() == expected {
        Ok(())
    } else {
        fail(format!("{what}: expected HTTP {expected}, got {actual}"))
    }
}

async fn expect_problem(response: reqwest::Response, status: u16) -> Result<Problem, String> {
    expect_status(response.status(), status, "problem")?;
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if !content_type.starts_with("application/problem+json") {
        return fail(format!(
            "expected application/problem+json, got `{content_type}`"
        ));
    }
    response
        .json::<Problem>()
        .await
        .map_err(|e| format!("not a problem document: {e}"))
}

fn tampered(token: &str) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let parts: Vec<&str> = token.split('.').collect();
    let Some(payload) = parts.get(1).and_then(|p| URL_SAFE_NO_PAD.decode(p).ok()) else {
        return token.to_owned();
    };
    let mut claims: serde_json::Value = serde_json::from_slice(&payload).unwrap_or_default();
    claims["sub"] = json!("someone-else");
    format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        parts.get(2).unwrap_or(&"")
    )
}

fn unsigned(token: &str) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = token.split('.').nth(1).unwrap_or_default();
    format!(
        "{}.{payload}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#)
    )
}

/// Builds the multipart body for `answers` (attaching a small valid file for each file answer).
fn submission(form: &FormSchema, answers: &contract::Answers) -> Form {
    let mut body = Form::new().text(
        "submission",
        json!({ "form_version": form.version, "answers": answers }).to_string(),
    );
    for (field_id, answer) in answers {
        if let (Answer::File(file), Some(field)) = (answer, form.field(field_id)) {
            let (bytes, content_type) = answers::file_for(field);
            let part = Part::bytes(bytes).file_name(file.name.clone());
            let part = part
                .mime_str(content_type)
                .unwrap_or_else(|_| Part::bytes(bytes));
            body = body.part(file.part.clone(), part);
        }
    }
    body
}

pub async fn run(target: &Target) -> Vec<Outcome> {
    let client = reqwest::Client::new();
    let mut facts = Facts::default();
    let mut out = Vec::new();
    macro_rules! check {
        ($name:literal, $body:expr) => {
            let result: Result<(), String> = async { $body }.await;
            out.push(Outcome {
                name: $name,
                result,
            });
        };
    }
    let url = |path: &str| format!("{}{path}", target.provider.trim_end_matches('/'));

    check!(
        "discovery: GET /v1 describes the provider (api_version 1, forms)",
        {
            let d: Discovery = client
                .get(url("/v1"))
                .send()
                .await
                .map_err(|e| e.to_string())?
                .json()
                .await
                .map_err(|e| e.to_string())?;
            if d.api_version != "1" {
                return fail(format!("api_version is {}", d.api_version));
            }
            let chosen = match &target.form {
                Some(f) => d
                    .forms
                    .iter()
                    .find(|x| &x.id == f)
                    .ok_or(format!("form {f} is not listed"))?,
                None => d.forms.first().ok_or("no form is listed")?,
            };
            let schema: FormSchema = client
                .get(url(&format!("/v1/forms/{}", chosen.id)))
                .send()
                .await
                .map_err(|e| e.to_string())?
                .json()
                .await
                .map_err(|e| e.to_string())?;
            facts.form = Some(schema);
            Ok(())
        }
    );
    check!("forms: every listed form schema is valid and coherent", {
        let d: Discovery = client
            .get(url("/v1"))
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        for f in d.forms {
            let schema: FormSchema = client
                .get(url(&format!("/v1/forms/{}", f.id)))
                .send()
                .await
                .map_err(|e| e.to_string())?
                .json()
                .await
                .map_err(|e| format!("{}: {e}", f.id))?;
            schema
                .check()
                .map_err(|p| format!("{}: {}", f.id, p.join("; ")))?;
        }
        Ok(())
    });
    check!(
        "CORS: the portal origin may send Authorization, DPoP and Idempotency-Key",
        {
            let r = client
                .request(reqwest::Method::OPTIONS, url("/v1/demandes"))
                .header("origin", &target.portal_origin)
                .header("access-control-request-method", "POST")
                .header(
                    "access-control-request-headers",
                    "authorization,idempotency-key,content-type,dpop",
                )
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let allow = r
                .headers()
                .get("access-control-allow-origin")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if allow != target.portal_origin && allow != "*" {
                return fail(format!("Access-Control-Allow-Origin is `{allow}`"));
            }
            let headers = r
                .headers()
                .get("access-control-allow-headers")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_lowercase();
            if !(headers.contains("authorization")
                && headers.contains("idempotency-key")
                && headers.contains("dpop"))
                && headers != "*"
            {
                return fail(format!("Access-Control-Allow-Headers is `{headers}`"));
            }
            Ok(())
        }
    );
    check!("CORS: an unknown origin is not allowed", {
        let r = client
            .request(reqwest::Method::OPTIONS, url("/v1/demandes"))
            .header("origin", "https://not-the-portal.example")
            .header("access-control-request-method", "GET")
            .send()
            .await
            .map_err(|e| e.to_string())?;
        match r.headers().get("access-control-allow-origin") {
            Some(v) => fail(format!("allowed: {v:?}")),
            None => Ok(()),
        }
    });
    for (label, token) in [
        ("no token", None),
        ("a malformed token", Some("abc.def".to_owned())),
        (
            "a tampered token",
            Some(tampered(&target.token_a.access_token)),
        ),
        (
            "an unsigned token (alg none)",
            Some(unsigned(&target.token_a.access_token)),
        ),
    ] {
        let mut request = client.get(url("/v1/demandes"));
        if let Some(t) = &token {
            request = request.bearer_auth(t);
        }
        let result = match request.send().await {
            Ok(r) => expect_problem(r, 401).await.map(|_| ()),
            Err(e) => Err(e.to_string()),
        };
        out.push(Outcome {
            name: match label {
                "no token" => "auth: no token → 401 problem",
                "a malformed token" => "auth: a malformed token → 401 problem",
                "a tampered token" => "auth: a tampered token → 401 problem",
                _ => "auth: an unsigned token (alg none) → 401 problem",
            },
            result,
        });
    }
    let key = format!("conformance-{}", uuid::Uuid::new_v4());
    let answers = facts.form.as_ref().map(|f| answers::generate(f, &today()));
    check!(
        "submit: a valid demande is created (201, Location, reference, submitted)",
        {
            let (Some(form), Some(answers)) = (&facts.form, &answers) else {
                return fail("no form to submit to");
            };
            let r = client
                .post(url(&format!("/v1/forms/{}/demandes", form.id)))
                .credential(&target.token_a)
                .header("idempotency-key", &key)
                .multipart(submission(form, answers))
                .send()
                .await
                .map_err(|e| e.to_string())?;
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
            facts.demande = body["id"].as_str().map(str::to_owned);
            Ok(())
        }
    );
    check!(
        "idempotency: the same key and content replays the same demande",
        {
            let (Some(form), Some(answers), Some(id)) = (&facts.form, &answers, &facts.demande)
            else {
                return fail("no demande was created");
            };
            let r = client
                .post(url(&format!("/v1/forms/{}/demandes", form.id)))
                .credential(&target.token_a)
                .header("idempotency-key", &key)
                .multipart(submission(form, answers))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if !r.status().is_success() {
                return fail(format!("HTTP {}", r.status()));
            }
            let body: serde_json::Value = r.json().await.map_err(|e| e.to_string())?;
            if body["id"].as_str() != Some(id) {
                fail(format!("a second demande was created: {}", body["id"]))
            } else {
                Ok(())
            }
        }
    );
    check!(
        "idempotency: the same key with other content is refused with a problem",
        {
            let (Some(form), Some(answers)) = (&facts.form, &answers) else {
                return fail("no form");
            };
            let mut other = answers.clone();
            other.insert("__conformance".into(), Answer::Text("x".into()));
            let r = client
                .post(url(&format!("/v1/forms/{}/demandes", form.id)))
                .credential(&target.token_a)
                .header("idempotency-key", &key)
                .multipart(submission(form, &other))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if !r.status().is_client_error() {
                return fail(format!("HTTP {}", r.status()));
            }
            Ok(())
        }
    );
    check!(
        "validation: an empty submission gets 422 problem+json with field errors",
        {
            let Some(form) = &facts.form else {
                return fail("no form");
            };
            let r = client
                .post(url(&format!("/v1/forms/{}/demandes", form.id)))
                .credential(&target.token_a)
                .header("idempotency-key", format!("empty-{}", uuid::Uuid::new_v4()))
                .multipart(submission(form, &contract::Answers::new()))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let problem = expect_problem(r, 422).await?;
            if problem.errors.is_empty() {
                fail("no field errors")
            } else {
                Ok(())
            }
        }
    );
    check!(
        "list: the demande is listed with a canonical status bucket",
        {
            let Some(id) = &facts.demande else {
                return fail("no demande");
            };
            let r = client
                .get(url("/v1/demandes"))
                .credential(&target.token_a)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            facts.etag = r
                .headers()
                .get("etag")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let list: DemandeList = r.json().await.map_err(|e| e.to_string())?;
            let found = list
                .demandes
                .iter()
                .find(|d| &d.id == id)
                .ok_or("not in the list")?;
            if StatusBucket::ALL.contains(&found.status.bucket) {
                Ok(())
            } else {
                fail("unknown bucket")
            }
        }
    );
    check!("polling: If-None-Match with the list's ETag answers 304", {
        let Some(etag) = &facts.etag else {
            return fail("the list has no ETag");
        };
        let r = client
            .get(url("/v1/demandes"))
            .credential(&target.token_a)
            .header("if-none-match", etag)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        expect_status(r.status(), 304, "conditional list")
    });
    check!("demande: its history starts at `submitted`", {
        let Some(id) = &facts.demande else {
            return fail("no demande");
        };
        let d: Demande = client
            .get(url(&format!("/v1/demandes/{id}")))
            .credential(&target.token_a)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        match d.history.first() {
            Some(h) if h.bucket == StatusBucket::Submitted => Ok(()),
            other => fail(format!("history starts with {other:?}")),
        }
    });
    check!("isolation: another citizen can neither read nor list it", {
        let Some(id) = &facts.demande else {
            return fail("no demande");
        };
        let r = client
            .get(url(&format!("/v1/demandes/{id}")))
            .credential(&target.token_b)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        expect_status(r.status(), 404, "other citizen's read")?;
        let list: DemandeList = client
            .get(url("/v1/demandes"))
            .credential(&target.token_b)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        if list.demandes.iter().any(|d| &d.id == id) {
            fail("listed for another citizen")
        } else {
            Ok(())
        }
    });
    out.extend(crate::binding::run(target).await);
    out
}

fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn today_is_a_date() {
        let t = super::today();
        assert!(contract::validation::is_date(&t), "{t}");
    }
}
