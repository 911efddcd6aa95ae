//! Where a member's fragment is: an `https://` address, or a plain path relative to the root file.
//!
//! The same reference is resolved by two programs: the portal, against the URL of the root
//! catalogue, and the `catalogue` CLI, against the root file's folder on disk. A reference that
//! means one thing to a browser and another to a file system — `/etc/passwd` is a path on the
//! portal's origin but a file on the clerk's machine, `%2e%2e` is `..` once a server decodes it,
//! `\\server\share` is a network share on Windows — could make the CLI read a file it should not,
//! or the portal fetch another path than the one reviewed. So a relative reference may only use
//! letters, digits, `-`, `_`, `.` and `/`, stays inside the root file's folder, and an absolute
//! one must be a URL the policy accepts, with no dot segment and nothing hidden by
//! percent-encoding.

use super::url::{SafeUrl, UrlPolicy};

/// Why a fragment reference is refused; the `Display` is the message, [`ReferenceError::hint`]
/// the fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    #[error("`{0}` names a file on a computer, not a published fragment")]
    File(String),
    #[error("`{0}` uses backslashes (a Windows or network path)")]
    Backslash(String),
    #[error("`{0}` is an absolute path on a computer")]
    Absolute(String),
    #[error("`{0}` hides `.`, `/` or `\\` behind percent-encoding")]
    Encoded(String),
    #[error("`{0}` leaves the root file's folder (`.` or `..` in the path)")]
    DotSegment(String),
    #[error("`{0}` is not a usable path")]
    Invalid(String),
    #[error("`{0}` is not an allowed address")]
    Url(String, String),
}

const RELATIVE_EXAMPLE: &str = "write a path relative to the root file, such as `catalogue/cc-giennoises.toml`, or the fragment's `https://` address";

impl ReferenceError {
    pub fn hint(&self) -> String {
        match self {
            ReferenceError::Url(_, hint) => hint.clone(),
            ReferenceError::Invalid(_) => {
                "use only letters, digits, `-`, `_`, `.` and `/` (e.g. `catalogue/cc-giennoises.toml`), or give the fragment's `https://` address".to_owned()
            }
            ReferenceError::Encoded(_) => {
                "write the path without percent-encoding, relative to the root file (e.g. `catalogue/cc-giennoises.toml`)".to_owned()
            }
            _ => RELATIVE_EXAMPLE.to_owned(),
        }
    }
}

fn is_drive(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// Checks a fragment reference; returns it trimmed.
pub fn check_fragment_reference(text: &str, policy: UrlPolicy) -> Result<String, ReferenceError> {
    let reference = text.trim();
    let lower = reference.to_ascii_lowercase();
    let owned = || reference.to_owned();
    if lower.starts_with("file:") {
        return Err(ReferenceError::File(owned()));
    }
    if reference.contains('\\') {
        return Err(ReferenceError::Backslash(owned()));
    }
    if ["%2e", "%2f", "%5c", "%25"]
        .iter()
        .any(|e| lower.contains(e))
    {
        return Err(ReferenceError::Encoded(owned()));
    }
    if reference.starts_with('/') || reference.starts_with('~') || is_drive(reference) {
        return Err(ReferenceError::Absolute(owned()));
    }
    let path = if reference.contains(':') {
        let url =
            SafeUrl::parse(reference, policy).map_err(|hint| ReferenceError::Url(owned(), hint))?;
        let after_scheme = url.as_str().split_once("://").map_or("", |(_, rest)| rest);
        let path = after_scheme.split(['?', '#']).next().unwrap_or("");
        if path.split('/').skip(1).any(|s| s == "." || s == "..") {
            return Err(ReferenceError::DotSegment(owned()));
        }
        return Ok(url.as_str().to_owned());
    } else {
        reference
    };
    let segments: Vec<&str> = path.split('/').collect();
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Err(ReferenceError::DotSegment(owned()));
    }
    let plain = |s: &&str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    if !segments.iter().all(plain) {
        return Err(ReferenceError::Invalid(owned()));
    }
    Ok(owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<String, ReferenceError> {
        check_fragment_reference(text, UrlPolicy::Production)
    }

    #[test]
    fn accepts_relative_paths_and_https_addresses() {
        assert_eq!(
            check("catalogue/cc-giennoises.toml"),
            Ok("catalogue/cc-giennoises.toml".into())
        );
        assert_eq!(check(" cc_v2.toml "), Ok("cc_v2.toml".into()));
        assert_eq!(
            check("https://www.cc-giennoises.fr/guichet/catalogue.toml"),
            Ok("https://www.cc-giennoises.fr/guichet/catalogue.toml".into())
        );
    }

    #[test]
    fn refuses_local_files_absolute_and_network_paths() {
        for (text, expected) in [
            (
                "file:///etc/passwd",
                ReferenceError::File("file:///etc/passwd".into()),
            ),
            (
                "FILE:C:/x.toml",
                ReferenceError::File("FILE:C:/x.toml".into()),
            ),
            (
                "/etc/passwd",
                ReferenceError::Absolute("/etc/passwd".into()),
            ),
            (
                "//evil.example/x.toml",
                ReferenceError::Absolute("//evil.example/x.toml".into()),
            ),
            ("~/x.toml", ReferenceError::Absolute("~/x.toml".into())),
            (
                "C:/Users/x.toml",
                ReferenceError::Absolute("C:/Users/x.toml".into()),
            ),
            (
                "\\\\server\\share\\x.toml",
                ReferenceError::Backslash("\\\\server\\share\\x.toml".into()),
            ),
            ("C:\\x.toml", ReferenceError::Backslash("C:\\x.toml".into())),
            (
                "catalogue\\x.toml",
                ReferenceError::Backslash("catalogue\\x.toml".into()),
            ),
        ] {
            assert_eq!(check(text), Err(expected), "{text}");
        }
    }

    #[test]
    fn refuses_dot_segments_plain_or_percent_encoded() {
        for text in [
            "../secret.toml",
            "catalogue/../../x.toml",
            "./x.toml",
            "https://cc.example/a/../x.toml",
        ] {
            assert_eq!(
                check(text),
                Err(ReferenceError::DotSegment(text.into())),
                "{text}"
            );
        }
        for text in [
            "%2e%2e/x.toml",
            "catalogue/%2E%2E/x.toml",
            "a%2fb.toml",
            "a%5cb.toml",
            "%252e%252e/x.toml",
            "https://cc.example/%2e%2e/x.toml",
        ] {
            assert_eq!(
                check(text),
                Err(ReferenceError::Encoded(text.into())),
                "{text}"
            );
        }
    }

    #[test]
    fn refuses_other_characters_and_refused_addresses() {
        for text in ["", "cat alogue.toml", "a//b.toml", "x.toml?v=2", "é.toml"] {
            assert_eq!(
                check(text),
                Err(ReferenceError::Invalid(text.trim().into())),
                "{text}"
            );
        }
        assert!(matches!(
            check("http://cc.example/x.toml"),
            Err(ReferenceError::Url(..))
        ));
        assert!(matches!(
            check("javascript:alert(1)"),
            Err(ReferenceError::Url(..))
        ));
        assert!(check("http://127.0.0.1:8080/x.toml").is_err());
        assert!(
            check_fragment_reference("http://127.0.0.1:8080/x.toml", UrlPolicy::Development)
                .is_ok()
        );
    }
}
