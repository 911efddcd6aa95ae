//! Tolerant decoding of a provider's list of demandes: one bad row never loses the others.
//!
//! A provider is another organisation's software, upgraded on its own schedule: one demande with a
//! field of the wrong type, or missing, must not hide the citizen's other demandes there. Rows are
//! decoded one by one; those that do not follow the contract — or whose id could not be put in a
//! URL safely — are dropped and **counted**, so the dashboard says how many could not be shown.
//! A status bucket this version does not know decodes on its own (`StatusBucket::Unknown`, shown
//! as in progress). Only an answer that is not a list at all is an error.

use super::ProviderError;
use super::endpoint::segment;
use contract::DemandeSummary;
use serde::Deserialize;
use std::collections::HashSet;

/// The rows that could be read, and how many could not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tolerant<T> {
    pub rows: Vec<T>,
    pub dropped: usize,
}

#[derive(Deserialize)]
struct LooseList {
    demandes: Vec<serde_json::Value>,
}

/// Decodes `GET /v1/demandes`, row by row.
pub fn demande_list(body: &[u8]) -> Result<Tolerant<DemandeSummary>, ProviderError> {
    let list: LooseList =
        serde_json::from_slice(body).map_err(|e| ProviderError::Undecodable(e.to_string()))?;
    let mut seen = HashSet::new();
    let mut rows = Vec::with_capacity(list.demandes.len());
    let mut dropped = 0;
    for value in list.demandes {
        match serde_json::from_value::<DemandeSummary>(value) {
            Ok(d) if segment(&d.id).is_ok() && seen.insert(d.id.clone()) => rows.push(d),
            _ => dropped += 1,
        }
    }
    Ok(Tolerant { rows, dropped })
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::StatusBucket;

    fn row(id: &str, bucket: &str) -> serde_json::Value {
        serde_json::json!({
            "id": id, "reference": format!("REF-{id}"), "form_id": "f", "form_title": "Formulaire",
            "status": { "bucket": bucket, "label": "Reçue", "at": "2026-11-02T10:00:00Z" },
            "created_at": "2026-11-02T10:00:00Z", "updated_at": "2026-11-02T10:00:00Z"
        })
    }

    fn body(rows: Vec<serde_json::Value>) -> Vec<u8> {
        serde_json::to_vec(
            &serde_json::json!({ "demandes": rows, "as_of": "2026-11-02T10:00:00Z" }),
        )
        .unwrap()
    }

    #[test]
    fn one_bad_row_is_dropped_and_counted_the_others_are_kept() {
        let mut broken = row("b", "submitted");
        broken["status"] = serde_json::json!("not an object");
        let mut missing = row("c", "submitted");
        missing.as_object_mut().unwrap().remove("reference");
        let list = demande_list(&body(vec![
            row("a", "submitted"),
            broken,
            missing,
            row("d", "accepted"),
        ]))
        .unwrap();
        let ids: Vec<&str> = list.rows.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "d"]);
        assert_eq!(list.dropped, 2);
    }

    #[test]
    fn an_unknown_bucket_is_read_as_in_progress_not_dropped() {
        let list = demande_list(&body(vec![row("a", "en_attente_de_paiement")])).unwrap();
        assert_eq!(list.dropped, 0);
        assert_eq!(list.rows[0].status.bucket, StatusBucket::Unknown);
    }

    #[test]
    fn rows_whose_id_cannot_be_linked_safely_or_repeat_are_dropped() {
        let list = demande_list(&body(vec![
            row("../../admin", "submitted"),
            row("a", "submitted"),
            row("a", "accepted"),
        ]))
        .unwrap();
        assert_eq!(list.rows.len(), 1);
        assert_eq!(list.rows[0].status.bucket, StatusBucket::Submitted);
        assert_eq!(list.dropped, 2);
    }

    #[test]
    fn an_answer_that_is_not_a_list_is_an_error() {
        for garbage in [
            &b"<html>oops</html>"[..],
            b"{\"items\": []}",
            b"{\"demandes\": 3}",
            b"",
        ] {
            assert!(
                matches!(demande_list(garbage), Err(ProviderError::Undecodable(_))),
                "{}",
                String::from_utf8_lossy(garbage)
            );
        }
    }
}
