//! The normalised status model.
//!
//! Every provider keeps its own status label (shown to the citizen, e.g. "En cours d'instruction
//! par le service état civil") and tags it with one canonical bucket, so one dashboard can sort and
//! filter demandes from different platforms: démarches-simplifiées' `en_construction →
//! en_instruction → accepte | refuse | sans_suite` and Publik's free-text workflow statuses both
//! map onto these six. Drafts never reach a provider: they live in the portal.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusBucket {
    /// Received, not yet looked at.
    Submitted,
    /// Being handled by the collectivity.
    InReview,
    /// The citizen must do something (a missing document, an answer).
    ActionRequired,
    Accepted,
    Rejected,
    /// Closed without a decision (withdrawn, no follow-up, duplicate).
    Closed,
    /// A bucket this version does not know (a newer or broken provider). Decoding never fails on
    /// it, so one such demande cannot make a provider's whole list unreadable; citizens see it as
    /// in progress. It serialises as `"unknown"`, is not in [`StatusBucket::ALL`] and no
    /// transition leads to or from it: a provider never sets it.
    #[serde(other)]
    Unknown,
}

impl StatusBucket {
    pub const ALL: [StatusBucket; 6] = [
        StatusBucket::Submitted,
        StatusBucket::InReview,
        StatusBucket::ActionRequired,
        StatusBucket::Accepted,
        StatusBucket::Rejected,
        StatusBucket::Closed,
    ];

    /// The wire form (`in_review`).
    pub fn id(self) -> &'static str {
        match self {
            StatusBucket::Submitted => "submitted",
            StatusBucket::InReview => "in_review",
            StatusBucket::ActionRequired => "action_required",
            StatusBucket::Accepted => "accepted",
            StatusBucket::Rejected => "rejected",
            StatusBucket::Closed => "closed",
            StatusBucket::Unknown => "unknown",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.id() == id)
    }

    /// The French label of the bucket itself (the provider's own label is shown next to it).
    pub fn label_fr(self) -> &'static str {
        match self {
            StatusBucket::Submitted => "Déposée",
            StatusBucket::InReview | StatusBucket::Unknown => "En cours de traitement",
            StatusBucket::ActionRequired => "Action requise",
            StatusBucket::Accepted => "Acceptée",
            StatusBucket::Rejected => "Refusée",
            StatusBucket::Closed => "Classée",
        }
    }

    /// No transition leaves a final bucket.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            StatusBucket::Accepted | StatusBucket::Rejected | StatusBucket::Closed
        )
    }

    /// Whether a demande may go from `self` to `next`:
    /// `submitted → in_review → (action_required ⇄ in_review) → accepted | rejected | closed`,
    /// and an incomplete demande may ask for action, or be rejected or closed, at any open step.
    pub fn can_move_to(self, next: StatusBucket) -> bool {
        use StatusBucket::*;
        match (self, next) {
            (a, b) if a == b => false,
            (Unknown, _) | (_, Unknown) => false,
            (a, _) if a.is_final() => false,
            (_, Submitted) => false,
            (Submitted, InReview | ActionRequired | Rejected | Closed) => true,
            (InReview, ActionRequired | Accepted | Rejected | Closed) => true,
            (ActionRequired, InReview | Rejected | Closed) => true,
            _ => false,
        }
    }

    /// Sort order for a citizen's dashboard: what needs them first, finished things last.
    pub fn urgency(self) -> u8 {
        match self {
            StatusBucket::ActionRequired => 0,
            StatusBucket::Submitted | StatusBucket::InReview | StatusBucket::Unknown => 1,
            StatusBucket::Accepted | StatusBucket::Rejected | StatusBucket::Closed => 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StatusBucket::{self, *};

    /// Every (from, to) pair and whether it is allowed.
    #[test]
    fn transition_table() {
        let allowed: &[(StatusBucket, StatusBucket)] = &[
            (Submitted, InReview),
            (Submitted, ActionRequired),
            (Submitted, Rejected),
            (Submitted, Closed),
            (InReview, ActionRequired),
            (InReview, Accepted),
            (InReview, Rejected),
            (InReview, Closed),
            (ActionRequired, InReview),
            (ActionRequired, Rejected),
            (ActionRequired, Closed),
        ];
        for from in StatusBucket::ALL {
            for to in StatusBucket::ALL {
                assert_eq!(
                    from.can_move_to(to),
                    allowed.contains(&(from, to)),
                    "{from:?} → {to:?}"
                );
            }
        }
    }

    #[test]
    fn wire_ids_round_trip() {
        for b in StatusBucket::ALL {
            assert_eq!(StatusBucket::from_id(b.id()), Some(b));
            assert_eq!(
                serde_json::to_string(&b).unwrap(),
                format!("\"{}\"", b.id())
            );
        }
        assert_eq!(StatusBucket::from_id("en_instruction"), None);
    }

    #[test]
    fn an_unknown_bucket_decodes_as_unknown_shown_in_progress_and_round_trips() {
        let b: StatusBucket = serde_json::from_str("\"en_attente_paiement\"").unwrap();
        assert_eq!(b, Unknown);
        assert_eq!(b.label_fr(), InReview.label_fr());
        assert_eq!(b.urgency(), InReview.urgency());
        assert!(!b.is_final());
        let wire = serde_json::to_string(&b).unwrap();
        assert_eq!(
            serde_json::from_str::<StatusBucket>(&wire).unwrap(),
            Unknown
        );
        assert!(!StatusBucket::ALL.contains(&Unknown));
        assert_eq!(
            StatusBucket::from_id("unknown"),
            None,
            "no provider may set it"
        );
        assert!(
            StatusBucket::ALL
                .iter()
                .all(|b| !b.can_move_to(Unknown) && !Unknown.can_move_to(*b))
        );
    }

    #[test]
    fn action_required_comes_first_and_finals_last() {
        let mut all = StatusBucket::ALL.to_vec();
        all.sort_by_key(|b| b.urgency());
        assert_eq!(all[0], ActionRequired);
        assert!(all[3..].iter().all(|b| b.is_final()));
    }
}
