//! Talking to collectivities' provider APIs from the browser.
//!
//! * **Token confinement**: the citizen's bearer token is attached only when the request's origin
//!   is a provider API declared in the catalogue (or the issuer). Anything else is refused before a
//!   byte leaves — [`ProviderError::UndeclaredOrigin`] — so a mistaken or malicious URL can never
//!   receive the token.
//! * Every call has its own timeout and is aborted when the page that started it goes away.
//! * Failures are typed and explained in plain French: unreachable, too slow, refused (with the
//!   provider's own problem `title`/`detail`), garbage.

mod client;
mod error;
pub mod upload;

pub use client::{Conditional, ProviderClient, expect_provider_client, provide_provider_client};

/// How long reading one demande may take.
pub fn client_read_timeout() -> std::time::Duration {
    client::READ_TIMEOUT
}
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
