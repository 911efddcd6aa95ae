//! The ways fetching something can fail, each with its plain-French explanation.

use super::limits::human_bytes;
use crate::i18n::texts;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchError {
    /// No answer at all: network down, server down, CORS refusal, DNS failure.
    Unreachable,
    /// The whole exchange (headers and body) did not end within its deadline.
    Timeout,
    /// The answer is larger than its kind allows: reading stopped at `limit` bytes.
    TooLarge { limit: usize },
    /// The server answered with a non-success HTTP status.
    Status(u16),
    /// The server answered, but the body is not what was expected.
    Undecodable(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &texts().errors;
        match self {
            FetchError::Unreachable => write!(f, "{}.", t.unreachable),
            FetchError::Timeout => write!(f, "{}.", t.timeout),
            FetchError::TooLarge { limit } => {
                write!(
                    f,
                    "{} ({} {}).",
                    t.too_large,
                    t.more_than,
                    human_bytes(*limit)
                )
            }
            FetchError::Status(404) => write!(f, "{} (HTTP 404).", t.not_found),
            FetchError::Status(code @ 500..=599) => write!(f, "{} (HTTP {code}).", t.server),
            FetchError::Status(code) => write!(f, "{} (HTTP {code}).", t.http_other),
            FetchError::Undecodable(detail) => write!(f, "{} ({detail}).", t.undecodable),
        }
    }
}

impl std::error::Error for FetchError {}

#[cfg(test)]
mod tests {
    use super::FetchError;

    #[test]
    fn every_failure_is_explained_in_french() {
        let cases = [
            (FetchError::Unreachable, "Le serveur ne répond pas"),
            (FetchError::Timeout, "trop de temps"),
            (
                FetchError::TooLarge { limit: 512 * 1024 },
                "trop volumineuse : elle n’a pas été lue (plus de 512 Ko)",
            ),
            (FetchError::Status(404), "introuvable"),
            (FetchError::Status(503), "erreur (HTTP 503)"),
            (FetchError::Status(403), "refusé la demande (HTTP 403)"),
            (
                FetchError::Undecodable("ligne 3".into()),
                "illisible (ligne 3)",
            ),
        ];
        for (error, expected) in cases {
            let shown = error.to_string();
            assert!(shown.contains(expected), "{error:?} shown as {shown:?}");
        }
    }
}
