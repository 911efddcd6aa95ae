//! Finding out what became of a write whose answer never arrived.
//!
//! A submission or a reply carries an `Idempotency-Key`. When the portal cannot tell whether an
//! attempt was committed (a timeout, a dropped connection), it asks the provider
//! `GET /v1/idempotency-keys/{key}` before letting the citizen change anything: `200` with an
//! [`IdempotencyRecord`] means the write happened (the portal leads the citizen to the demande);
//! `404` (problem type [`UNKNOWN_KEY_PROBLEM`]) means it did not, and the same key can be sent
//! again. A key is only ever visible to the subject who used it.
//!
//! The same key sent again with *different* content is refused with `422`
//! [`crate::problem::KEY_REUSED`], whose `demande_id` names the demande the key already concerns.

use crate::demande::DemandeSummary;
use serde::{Deserialize, Serialize};

/// Which kind of write a key was used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteKind {
    /// `POST /v1/forms/{form}/demandes`.
    Submission,
    /// `POST /v1/demandes/{id}/replies`.
    Reply,
}

/// `GET /v1/idempotency-keys/{key}`: the write a key was used for, and the demande it concerns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    pub key: String,
    pub kind: WriteKind,
    /// When the write was committed (RFC 3339).
    pub at: String,
    /// The demande created (submission) or answered (reply), as it stands now.
    pub demande: DemandeSummary,
}

/// The problem type of a `404` for a key this subject never used.
pub const UNKNOWN_KEY_PROBLEM: &str = "urn:guichet:problem:idempotency-key-unknown";
