//! Provider URLs, built from the catalogue's API base and ids that come from outside.
//!
//! A demande id arrives in the address bar (`/mes-demarches/gien/<id>`, from a QR code or a link
//! someone sent) or in a provider's answer. Pasted raw into a URL, `..%2F..%2Fadmin` would send the
//! citizen's credentials to any path of that origin. So every id is **validated** (no dot segment,
//! no slash or backslash, no control character, bounded length) and **percent-encoded** as exactly
//! one path segment; and [`has_traversal`] is checked again on every credentialed URL by the client,
//! whoever built it.

use std::fmt::Write;

/// The longest id accepted (the contract's idempotency keys have the same bound).
pub const MAX_ID_LEN: usize = 255;

/// An id that cannot be one path segment of a provider URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidId;

/// Checks `id` and percent-encodes everything but unreserved characters (RFC 3986 §2.3).
pub fn segment(id: &str) -> Result<String, InvalidId> {
    let refused = id.is_empty()
        || id.len() > MAX_ID_LEN
        || is_dot_segment(id)
        || id.chars().any(|c| c == '/' || c == '\\' || c.is_control());
    if refused {
        return Err(InvalidId);
    }
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    Ok(out)
}

fn base(api: &str) -> &str {
    api.trim_end_matches('/')
}

/// `GET`: the citizen's demandes at this provider.
pub fn demandes(api: &str) -> String {
    format!("{}/v1/demandes", base(api))
}

/// `GET`: one demande.
pub fn demande(api: &str, id: &str) -> Result<String, InvalidId> {
    Ok(format!("{}/v1/demandes/{}", base(api), segment(id)?))
}

/// `GET`: one document of a demande.
pub fn document(api: &str, id: &str, document: &str) -> Result<String, InvalidId> {
    Ok(format!(
        "{}/v1/demandes/{}/documents/{}",
        base(api),
        segment(id)?,
        segment(document)?
    ))
}

/// `POST`: a reply to a demande.
pub fn replies(api: &str, id: &str) -> Result<String, InvalidId> {
    Ok(format!(
        "{}/v1/demandes/{}/replies",
        base(api),
        segment(id)?
    ))
}

/// `GET`: a form's schema (public).
pub fn form(api: &str, form: &str) -> Result<String, InvalidId> {
    Ok(format!("{}/v1/forms/{}", base(api), segment(form)?))
}

/// `POST`: a submission of a form.
pub fn form_demandes(api: &str, form: &str) -> Result<String, InvalidId> {
    Ok(format!(
        "{}/v1/forms/{}/demandes",
        base(api),
        segment(form)?
    ))
}

/// `GET`: what became of a write sent under `key` (`GET /v1/idempotency-keys/{key}`).
pub fn idempotency_key(api: &str, key: &str) -> Result<String, InvalidId> {
    Ok(format!(
        "{}/v1/idempotency-keys/{}",
        base(api),
        segment(key)?
    ))
}

/// `.`, `..` and their percent-encoded forms, which the browser's URL parser removes or resolves.
fn is_dot_segment(segment: &str) -> bool {
    let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
    decoded == "." || decoded == ".."
}

/// Whether the path of `url` may step out of where it seems to point: a dot segment (plain or
/// percent-encoded) or a backslash (read as `/` by browsers). Credentials never go to such a URL.
pub fn has_traversal(url: &str) -> bool {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = match after_scheme.find('/') {
        Some(i) if url.contains("://") => &after_scheme[i..],
        Some(_) => after_scheme,
        None => return after_scheme.contains('\\'),
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.contains('\\') || path.split('/').any(is_dot_segment)
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = "https://api.gien.fr/guichet/";

    #[test]
    fn ordinary_ids_are_kept_as_they_are() {
        assert_eq!(
            demande(API, "3f2a9c1e-7b4d-4e8a-9f00-1c2d3e4f5a6b").unwrap(),
            "https://api.gien.fr/guichet/v1/demandes/3f2a9c1e-7b4d-4e8a-9f00-1c2d3e4f5a6b"
        );
        assert_eq!(
            document(API, "GIEN-2026-000042", "d1").unwrap(),
            "https://api.gien.fr/guichet/v1/demandes/GIEN-2026-000042/documents/d1"
        );
        assert_eq!(
            form_demandes("http://127.0.0.1:8101", "acte-naissance").unwrap(),
            "http://127.0.0.1:8101/v1/forms/acte-naissance/demandes"
        );
        assert_eq!(demandes(API), "https://api.gien.fr/guichet/v1/demandes");
    }

    #[test]
    fn route_parameters_cannot_walk_out_of_the_demande_path() {
        for hostile in [
            "..",
            ".",
            "%2e%2e",
            "%2E.",
            ".%2e",
            "../../x",
            "a/b",
            "..\\x",
            "a\\b",
            "",
            "x\u{0}",
            "x\ny",
            "\u{1b}[2J",
        ] {
            assert_eq!(demande(API, hostile), Err(InvalidId), "{hostile:?}");
        }
        assert_eq!(demande(API, &"a".repeat(256)), Err(InvalidId));
        assert!(demande(API, &"a".repeat(255)).is_ok());
    }

    #[test]
    fn other_characters_are_percent_encoded_into_one_segment() {
        // Decoded by the router or not, a parameter stays one segment.
        assert_eq!(segment("..%2F..%2Fx").unwrap(), "..%252F..%252Fx");
        assert_eq!(segment("a?b#c d").unwrap(), "a%3Fb%23c%20d");
        assert_eq!(segment("é").unwrap(), "%C3%A9");
        assert_eq!(segment("...").unwrap(), "...");
    }

    #[test]
    fn urls_with_dot_segments_or_backslashes_are_seen() {
        for bad in [
            "http://127.0.0.1:8101/v1/demandes/../../admin",
            "http://127.0.0.1:8101/v1/demandes/%2e%2e/x",
            "http://127.0.0.1:8101/v1/demandes/.%2E/x",
            "http://127.0.0.1:8101/v1/./demandes",
            "http://127.0.0.1:8101/v1\\demandes",
            "http://127.0.0.1:8101/v1/demandes/..",
        ] {
            assert!(has_traversal(bad), "{bad}");
        }
        for good in [
            "http://127.0.0.1:8101/v1/demandes",
            "http://127.0.0.1:8101/v1/demandes/..%252F..%252Fx",
            "http://127.0.0.1:8101/v1/demandes/...",
            "http://127.0.0.1:8101/v1/demandes?x=../..",
            "http://127.0.0.1:8101",
        ] {
            assert!(!has_traversal(good), "{good}");
        }
    }
}
