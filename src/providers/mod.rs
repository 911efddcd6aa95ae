//! Talking to collectivities' provider APIs from the browser.
//!
//! * **Token confinement**: the citizen's credentials are attached only when the request's origin
//!   is a provider API declared in the catalogue (or the issuer). Anything else is refused before a
//!   byte leaves — [`ProviderError::UndeclaredOrigin`] — so a mistaken or malicious URL can never
//!   receive the token. Credentialed requests never follow a redirect, are never kept in the HTTP
//!   cache, are built from validated, percent-encoded ids ([`endpoint`]), and the origin of the URL
//!   an answer came from is checked again.
//! * Every exchange has its own deadline over headers and body, and a byte cap per kind of answer
//!   ([`limits`]); it is aborted when the page that started it goes away.
//! * Decoding is tolerant where a provider's mistake would hide too much: one bad row of a list
//!   never loses the others ([`decode`]).
//! * Failures are typed and explained in plain French: unreachable, too slow, too large, refused
//!   (with the provider's own problem `title`/`detail`), garbage.

mod client;
pub mod decode;
pub mod endpoint;
mod error;
pub mod limits;
pub mod upload;

pub use client::{Conditional, ProviderClient, expect_provider_client, provide_provider_client};
pub use error::ProviderError;

use catalogue::values::url::origin_of;

/// Whether a bearer token may be sent to `url`: its origin must be one of `declared`.
pub fn token_allowed(url: &str, declared: &[String]) -> bool {
    origin_of(url).is_some_and(|origin| declared.contains(&origin))
}

#[cfg(test)]
mod tests {
    use super::token_allowed;

    #[test]
    fn a_token_only_goes_to_declared_provider_origins() {
        let declared = vec![
            "http://127.0.0.1:8101".to_owned(),
            "https://api.gien.fr".to_owned(),
        ];
        assert!(token_allowed(
            "http://127.0.0.1:8101/v1/demandes",
            &declared
        ));
        assert!(token_allowed("https://api.gien.fr/v1/demandes", &declared));
        assert!(token_allowed("HTTPS://API.GIEN.FR:443/v1", &declared));
        for refused in [
            "http://127.0.0.1:8199/v1/demandes",
            "https://api.gien.fr.evil.example/v1",
            "https://evil.example/?u=https://api.gien.fr",
            "http://api.gien.fr/v1",
            "https://user@api.gien.fr/v1",
            "/v1/demandes",
            "javascript:alert(1)",
        ] {
            assert!(!token_allowed(refused, &declared), "{refused}");
        }
    }
}
