//! Signing in once: OpenID Connect authorization code flow with PKCE, as a public client.
//!
//! `oidc`, `pkce` and `dpop` are pure (unit-tested natively); `session` drives the browser:
//! redirects, the code exchange, the in-memory session; `key` holds the session's non-extractable
//! DPoP key (WebCrypto); `tokens` gets one short-lived access token per provider from the refresh
//! token; `logout` POSTs the logout to the issuer. Tokens and the key never touch storage: a reload
//! signs in again through the issuer, silently when its session allows (never on a kiosk).

pub mod dpop;
pub mod key;
pub mod logout;
pub mod oidc;
pub mod pkce;
pub mod profile;
pub mod session;
mod storage;
pub mod tokens;

pub use session::{Auth, AuthStatus, IdentityConfig, expect_auth, provide_auth};
pub use tokens::CredentialError;
