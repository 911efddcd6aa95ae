//! What the checks share: expectations on answers, request bodies, tampered tokens, dates.

use crate::answers;
use contract::{Answer, FormSchema, Problem};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;

pub fn fail<T>(message: impl Into<String>) -> Result<T, String> {
    Err(message.into())
}

/// A transport failure, said as a check result.
pub fn unreachable(e: reqwest::Error) -> String {
    format!("no answer: {e}")
}

pub fn expect_status(actual: StatusCode, expected: u16, what: &str) -> Result<(), String> {
    if actual.as_u16() == expected {
        Ok(())
    } else {
        fail(format!("{what}: expected HTTP {expected}, got {actual}"))
    }
}

/// A header's value, lower-cased, or empty.
pub fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_lowercase()
}

/// The `Cache-Control` header as sent.
pub fn cache_control(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Whether `Cache-Control` forbids storing the answer.
pub fn is_no_store(cache_control: Option<&str>) -> bool {
    cache_control.is_some_and(|v| lists(v, "no-store") && !v.contains('*'))
}

/// Whether a comma-separated header value lists `item` (or `*`).
pub fn lists(value: &str, item: &str) -> bool {
    value
        .split(',')
        .map(str::trim)
        .any(|v| v.eq_ignore_ascii_case(item) || v == "*")
}

pub async fn expect_problem(response: reqwest::Response, status: u16) -> Result<Problem, String> {
    expect_status(response.status(), status, "problem")?;
    let content_type = header(&response, "content-type");
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

pub fn tampered(token: &str) -> String {
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

pub fn unsigned(token: &str) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = token.split('.').nth(1).unwrap_or_default();
    format!(
        "{}.{payload}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#)
    )
}

/// Builds the multipart body for `answers` (attaching a small valid file for each file answer).
pub fn submission(form: &FormSchema, answers: &contract::Answers) -> Form {
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

/// A valid PDF of `size` bytes.
pub fn pdf_of(size: usize) -> Vec<u8> {
    let end = b"\ntrailer << >>\n%%EOF\n";
    let mut bytes = b"%PDF-1.4\n%".to_vec();
    bytes.resize(size.saturating_sub(end.len()).max(bytes.len()), b'.');
    bytes.extend_from_slice(end);
    bytes
}

/// Today's date (UTC), `YYYY-MM-DD`.
pub fn today() -> String {
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

    #[test]
    fn padded_pdfs_have_the_size_asked_and_are_pdfs() {
        let pdf = super::pdf_of(5000);
        assert_eq!(pdf.len(), 5000);
        assert!(pdf.starts_with(b"%PDF-") && pdf.ends_with(b"%%EOF\n"));
    }
}
