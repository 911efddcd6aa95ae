//! Errors as RFC 9457 problem details (`application/problem+json`), with French `title` and
//! `detail` a citizen can read, and per-field errors for invalid submissions.

use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

pub const CONTENT_TYPE: &str = "application/problem+json";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:guichet:problem:invalid-submission`).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Field errors of an invalid submission.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For [`KEY_REUSED`]: the demande the key was first used for (created, or replied to), so
    /// the portal can lead the citizen there instead of sending anything again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demande_id: Option<String>,
}

/// `422`: the `Idempotency-Key` was already used for a different request (see `demande_id`).
pub const KEY_REUSED: &str = "urn:guichet:problem:idempotency-key-reused";

impl Problem {
    pub fn new(status: u16, kind: &str, title: &str) -> Self {
        Problem {
            kind: format!("urn:guichet:problem:{kind}"),
            title: title.to_owned(),
            status,
            detail: None,
            errors: Vec::new(),
            demande_id: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    pub fn with_demande(mut self, demande_id: impl Into<String>) -> Self {
        self.demande_id = Some(demande_id.into());
        self
    }
}
