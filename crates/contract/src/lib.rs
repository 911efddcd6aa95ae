//! The provider API contract as Rust types — what `docs/provider-api.yaml` specifies.
//!
//! Shared by the SPA (compiled to wasm), the reference provider and the conformance checker, so the
//! browser and the server read the same JSON and validate a form with the same code: a citizen sees
//! exactly the errors the provider would return, and the provider re-checks everything anyway.
//!
//! * [`status`]: the canonical status buckets and their allowed transitions.
//! * [`form`], [`condition`], [`answers`], [`validation`]: form schemas, the condition language,
//!   answers and their validation (messages in French).
//! * [`pattern`]: the subset of regular expressions a form's `pattern` may use (same meaning in
//!   Rust and JavaScript, linear-time matching).
//! * [`demande`]: demandes, their history, messages, documents and what is expected of the citizen.
//! * [`discovery`], [`problem`]: the provider's self-description and RFC 9457 errors.
//! * [`idempotency`]: what became of a write whose answer was lost.

pub mod answers;
pub mod condition;
pub mod demande;
pub mod discovery;
pub mod form;
pub mod idempotency;
pub mod pattern;
pub mod problem;
pub mod status;
pub mod validation;

pub use answers::{Answer, Answers, FileAnswer, PostalAddress};
pub use condition::Condition;
pub use demande::{
    Demande, DemandeList, DemandeSummary, DocumentRef, Expectation, Message, StatusEntry,
};
pub use discovery::{Discovery, FormSummary};
pub use form::{Field, FieldKind, FormPage, FormSchema};
pub use idempotency::{IdempotencyRecord, WriteKind};
pub use problem::Problem;
pub use status::StatusBucket;
pub use validation::{FieldError, PatternMatcher};

/// The API version this crate implements (path prefix `/v1`).
pub const API_VERSION: &str = "1";
