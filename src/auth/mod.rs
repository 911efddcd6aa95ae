//! Signing in once: OpenID Connect authorization code flow with PKCE, as a public client.
//!
//! `oidc` and `pkce` are pure (unit-tested natively); `session` drives the browser: redirects,
//! the token request, the in-memory session. Tokens never touch storage: a reload signs in again
//! through the issuer, silently when its session allows.

pub mod oidc;
pub mod pkce;
pub mod profile;
pub mod session;

pub use session::{Auth, AuthStatus, IdentityConfig, expect_auth, provide_auth};
