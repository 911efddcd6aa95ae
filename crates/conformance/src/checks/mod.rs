//! The checks, each a named claim of the contract that is true or false for the provider — one
//! function per claim, run in the order of [`CHECKS`] against one [`Session`]. Adding a check is
//! writing its function in the module of its concern and adding its row to the table.
//!
//! They run against a live provider and **create demandes** (for the two test citizens): point the
//! checker at a test or staging instance, never at production. Later checks use what earlier ones
//! found (the form, the demande created, its document); when that is missing they fail saying so.

mod auth;
mod binding;
mod lookup;
mod public;
mod reads;
mod support;
mod writes;

use crate::token::Credential;
use contract::{Answers, FormSchema};
use std::future::Future;
use std::pin::Pin;

/// What the checker needs.
#[derive(Clone, Debug)]
pub struct Target {
    pub provider: String,
    pub portal_origin: String,
    pub token_a: Credential,
    pub token_b: Credential,
    /// Citizen A's token for another provider of the federation (binding checks).
    pub other_provider_token: Option<Credential>,
    /// Form to submit to (default: the first one the provider lists).
    pub form: Option<String>,
}

/// One line of the report.
#[derive(Debug)]
pub struct Outcome {
    pub name: &'static str,
    pub result: Result<(), String>,
}

/// The checker's side of a run: the target, one HTTP client, and what earlier checks found.
pub struct Session {
    pub target: Target,
    pub client: reqwest::Client,
    pub today: String,
    facts: Facts,
}

/// Shared facts discovered by earlier checks.
#[derive(Default)]
struct Facts {
    form: Option<FormSchema>,
    answers: Option<Answers>,
    /// The key of the first submission (citizen A).
    key: String,
    /// The demande it created.
    demande: Option<String>,
    etag: Option<String>,
    /// The key of the reply to that demande, and the document it attached (id, bytes).
    reply_key: String,
    document: Option<(String, Vec<u8>)>,
    /// `Cache-Control` of the personal answers to writes, checked by the no-store check.
    write_caching: Vec<(&'static str, Option<String>)>,
}

impl Session {
    pub fn new(target: Target) -> Session {
        Session {
            target,
            client: reqwest::Client::new(),
            today: support::today(),
            facts: Facts {
                key: format!("conformance-{}", uuid::Uuid::new_v4()),
                reply_key: format!("conformance-reply-{}", uuid::Uuid::new_v4()),
                ..Facts::default()
            },
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.target.provider.trim_end_matches('/'))
    }
}

type CheckFn =
    for<'s> fn(&'s mut Session) -> Pin<Box<dyn Future<Output = Result<(), String>> + 's>>;

/// A claim of the contract and the function that tests it.
pub struct Check {
    pub name: &'static str,
    run: CheckFn,
}

macro_rules! check {
    ($name:expr, $f:path) => {
        Check {
            name: $name,
            run: |s| Box::pin($f(s)),
        }
    };
}

/// Every check, in the order they run.
pub const CHECKS: &[Check] = &[
    check!(
        "discovery: GET /v1 describes the provider (api_version 1, forms)",
        public::discovery
    ),
    check!(
        "forms: every listed form schema is valid and coherent, its patterns in the common linear-time subset",
        public::forms
    ),
    check!(
        "CORS: the portal origin may send every header the portal uses (Authorization, DPoP, Idempotency-Key, If-None-Match, Content-Type) on GET and POST",
        public::cors_request_headers
    ),
    check!(
        "CORS: the portal may read ETag, Location and Idempotent-Replayed",
        public::cors_exposed_headers
    ),
    check!(
        "CORS: an unknown origin is not allowed",
        public::cors_unknown_origin
    ),
    check!("auth: no token → 401 problem", auth::no_token),
    check!(
        "auth: a malformed token → 401 problem",
        auth::malformed_token
    ),
    check!("auth: a tampered token → 401 problem", auth::tampered_token),
    check!(
        "auth: an unsigned token (alg none) → 401 problem",
        auth::unsigned_token
    ),
    check!(
        "submit: a valid demande is created (201, Location, reference, submitted)",
        writes::submit
    ),
    check!(
        "idempotency: the same key and content replays the same demande (Idempotent-Replayed)",
        writes::replay
    ),
    check!(
        "idempotency: the same key with other valid content is refused (422 idempotency-key-reused naming the demande), though that content is accepted under a new key",
        writes::other_content
    ),
    check!(
        "validation: an empty submission gets 422 problem+json with field errors",
        writes::empty_submission
    ),
    check!(
        "list: the demande is listed with a canonical status bucket",
        reads::list
    ),
    check!(
        "polling: If-None-Match with the list's ETag answers 304",
        reads::polling
    ),
    check!("demande: its history starts at `submitted`", reads::history),
    check!(
        "reply: a reply with a document is recorded (201 with the message)",
        writes::reply
    ),
    check!(
        "downloads: a document comes as an application/octet-stream attachment with nosniff",
        reads::download
    ),
    check!(
        "uploads: a file over 10 MiB gets 413 problem+json and nothing is recorded",
        writes::oversized
    ),
    check!(
        "lookup: GET /v1/idempotency-keys/{key} leads a submission's key to its demande",
        lookup::submission_key
    ),
    check!(
        "lookup: a reply's key leads to the demande replied to",
        lookup::reply_key
    ),
    check!(
        "lookup: an unused key and another citizen's key are unknown (404 idempotency-key-unknown)",
        lookup::unknown_keys
    ),
    check!(
        "no-store: every personal answer (writes, list, 304, demande, document, lookup, problem) is Cache-Control: no-store",
        reads::no_store
    ),
    check!(
        "isolation: another citizen can neither read, list, download nor reply to it",
        reads::isolation
    ),
    check!(
        "tokens: a token issued for another provider is refused (audience)",
        binding::other_audience
    ),
    check!(
        "tokens: a replayed DPoP proof is refused",
        binding::replayed_proof
    ),
    check!(
        "tokens: a bound token without its proof is refused",
        binding::missing_proof
    ),
    check!(
        "tokens: a proof for another URL, method or key is refused",
        binding::proof_for_another_request
    ),
];

/// Runs every check against `target`.
pub async fn run(target: &Target) -> Vec<Outcome> {
    let mut session = Session::new(target.clone());
    let mut out = Vec::with_capacity(CHECKS.len());
    for check in CHECKS {
        out.push(Outcome {
            name: check.name,
            result: (check.run)(&mut session).await,
        });
    }
    out
}
