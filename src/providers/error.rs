//! The ways a provider call fails, each explained in plain French.

use contract::Problem;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProviderError {
    /// No answer: the provider is down or unreachable.
    Unreachable,
    /// No whole answer in time (headers and body).
    Timeout,
    /// The answer was larger than its kind allows: it was not read.
    TooLarge { limit: usize },
    /// The address names no valid demande (a hostile or mistyped link): nothing was sent.
    InvalidId,
    /// The provider refused with a problem document (its French title and detail are shown).
    /// Boxed: a problem document is large, and every `Result` of the client carries this type.
    Problem(Box<Problem>),
    /// An HTTP error without a usable problem document.
    Status(u16),
    /// The answer is not what the contract says.
    Undecodable(String),
    /// The citizen must sign in (again).
    SignInRequired,
    /// The URL's origin is not a provider declared in the catalogue: the token is not sent.
    UndeclaredOrigin(String),
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &crate::i18n::texts().provider_errors;
        match self {
            ProviderError::Unreachable => f.write_str(t.unreachable),
            ProviderError::Timeout => f.write_str(t.timeout),
            ProviderError::TooLarge { limit } => write!(
                f,
                "{} ({} {}).",
                t.too_large,
                crate::i18n::texts().errors.more_than,
                crate::net::limits::human_bytes(*limit)
            ),
            ProviderError::InvalidId => f.write_str(t.invalid_id),
            ProviderError::Problem(p) => match &p.detail {
                Some(detail) => write!(f, "{} : {detail}", p.title),
                None => f.write_str(&p.title),
            },
            ProviderError::Status(code @ 500..=599) => write!(f, "{} (HTTP {code})", t.failed),
            ProviderError::Status(code) => write!(f, "{} (HTTP {code})", t.refused),
            ProviderError::Undecodable(_) => f.write_str(t.garbage),
            ProviderError::SignInRequired => f.write_str(t.sign_in),
            ProviderError::UndeclaredOrigin(origin) => write!(f, "{} ({origin})", t.undeclared),
        }
    }
}

impl std::error::Error for ProviderError {}

#[cfg(test)]
mod tests {
    use super::ProviderError;

    #[test]
    fn every_provider_failure_is_explained_in_french() {
        let cases = [
            (ProviderError::Unreachable, "ne répond pas"),
            (ProviderError::Timeout, "met trop de temps"),
            (
                ProviderError::TooLarge {
                    limit: 4 * 1024 * 1024,
                },
                "trop volumineuse : elle n’a pas été lue (plus de 4 Mo).",
            ),
            (ProviderError::InvalidId, "rien n’a été envoyé"),
            (
                ProviderError::Status(500),
                "a rencontré une erreur (HTTP 500)",
            ),
            (ProviderError::Status(403), "a refusé la demande (HTTP 403)"),
            (ProviderError::Undecodable("x".into()), "réponse illisible"),
        ];
        for (error, expected) in cases {
            let shown = error.to_string();
            assert!(shown.contains(expected), "{error:?} shown as {shown:?}");
        }
    }
}
