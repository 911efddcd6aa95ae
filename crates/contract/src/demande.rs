//! Demandes as a citizen sees them: where each stands, what happened, what is expected of them.

use crate::answers::Answers;
use crate::status::StatusBucket;
use serde::{Deserialize, Serialize};

/// One step of a demande's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusEntry {
    pub bucket: StatusBucket,
    /// The provider's own label ("Acte envoyé par courrier").
    pub label: String,
    /// RFC 3339 timestamp.
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Something the citizen must provide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expectation {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ExpectationKind,
    /// What is expected, in words ("Justificatif de domicile de moins de 3 mois").
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub requested_at: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpectationKind {
    Document,
    Information,
}

/// Who wrote a message or sent a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Citizen,
    Agent,
}

/// A file attached to a demande (downloaded from `…/documents/{id}` with the bearer token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRef {
    pub id: String,
    pub name: String,
    pub size: u64,
    pub content_type: String,
    pub from: Author,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    pub from: Author,
    pub body: String,
    pub at: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentRef>,
}

/// A demande in a list: enough to sort, filter and show one row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemandeSummary {
    pub id: String,
    /// Human reference ("GIEN-2026-000042"), printed on receipts.
    pub reference: String,
    pub form_id: String,
    pub form_title: String,
    pub status: StatusEntry,
    pub created_at: String,
    pub updated_at: String,
    /// Open expectations (non-empty when `status.bucket` is `action_required`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expected: Vec<Expectation>,
}

/// A demande with everything.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Demande {
    #[serde(flatten)]
    pub summary: DemandeSummary,
    pub history: Vec<StatusEntry>,
    pub messages: Vec<Message>,
    pub documents: Vec<DocumentRef>,
    /// What was submitted (files appear as their descriptions).
    pub answers: Answers,
}

/// `GET /v1/demandes`: the citizen's demandes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemandeList {
    pub demandes: Vec<DemandeSummary>,
    /// Server time of this answer (RFC 3339): pass it back as `updated_since` to get only changes.
    pub as_of: String,
}

/// The JSON part of a submission (`POST /v1/forms/{form}/demandes`, multipart part `submission`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// The form version the citizen answered.
    pub form_version: u32,
    pub answers: Answers,
}

/// The JSON part of a reply (`POST /v1/demandes/{id}/replies`, multipart part `reply`); files are
/// the other parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    pub body: String,
    /// The expectations this reply answers (they are then closed).
    #[serde(default)]
    pub answers_expectations: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demande_flattens_its_summary() {
        let json = r#"{
          "id": "d1", "reference": "GIEN-2026-000001", "form_id": "acte-naissance",
          "form_title": "Acte de naissance",
          "status": {"bucket": "action_required", "label": "Pièce manquante", "at": "2026-11-20T10:00:00Z"},
          "created_at": "2026-11-19T09:00:00Z", "updated_at": "2026-11-20T10:00:00Z",
          "expected": [{"id": "e1", "type": "document", "label": "Justificatif", "requested_at": "2026-11-20T10:00:00Z"}],
          "history": [], "messages": [], "documents": [], "answers": {}
        }"#;
        let d: Demande = serde_json::from_str(json).unwrap();
        assert_eq!(d.summary.status.bucket, StatusBucket::ActionRequired);
        assert_eq!(d.summary.expected[0].kind, ExpectationKind::Document);
        let back = serde_json::to_value(&d).unwrap();
        assert_eq!(back["reference"], "GIEN-2026-000001");
    }
}
