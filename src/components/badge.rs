//! Badge: a short status in words (DSFR *badge*; GOV.UK calls it a tag), and the status badge of
//! a demande.
//!
//! Parameters: [`Badge`] takes a [`BadgeKind`] and its text as children; [`StatusBadge`] takes a
//! demande's canonical bucket and the collectivity's own label for it.
//!
//! Accessibility: the text carries the meaning, the colour only repeats it (RGAA 3.1), so a badge
//! is never empty and never a colour alone; it is inline text (`<strong>` for a status, so screen
//! readers stress it like sighted readers see it). A *tag* is something else here: a filter
//! chip (see `docs/development.md`, vocabulary).

use contract::StatusBucket;
use leptos::prelude::*;

/// What a badge says, which decides its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadgeKind {
    /// Neutral: a fact (a cost, a delay, a closed demande).
    Neutral,
    /// Information: in progress, available online, pre-filled.
    Info,
    /// Something done and good.
    Success,
    /// The citizen has something to do.
    Warning,
    /// Refused.
    Error,
    /// Changed since the citizen last looked.
    New,
}

impl BadgeKind {
    /// The BEM classes of this kind of badge.
    pub fn class(self) -> &'static str {
        match self {
            BadgeKind::Neutral => "gu-badge",
            BadgeKind::Info => "gu-badge gu-badge--info",
            BadgeKind::Success => "gu-badge gu-badge--success",
            BadgeKind::Warning => "gu-badge gu-badge--warning",
            BadgeKind::Error => "gu-badge gu-badge--error",
            BadgeKind::New => "gu-badge gu-badge--new",
        }
    }

    /// The badge of a demande's status bucket.
    pub fn of(bucket: StatusBucket) -> BadgeKind {
        match bucket {
            // A bucket this version does not know is shown as in progress.
            StatusBucket::Submitted | StatusBucket::InReview | StatusBucket::Unknown => {
                BadgeKind::Info
            }
            StatusBucket::ActionRequired => BadgeKind::Warning,
            StatusBucket::Accepted => BadgeKind::Success,
            StatusBucket::Rejected => BadgeKind::Error,
            StatusBucket::Closed => BadgeKind::Neutral,
        }
    }
}

/// A short status in words.
#[component]
pub fn Badge(kind: BadgeKind, children: Children) -> impl IntoView {
    view! { <span class=kind.class()>{children()}</span> }
}

/// A demande's status: the canonical bucket as a badge, then the collectivity's own label.
#[component]
pub fn StatusBadge(bucket: StatusBucket, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <span>
            <strong class=BadgeKind::of(bucket).class()>{bucket.label_fr()}</strong>
            " "
            <span class="gu-status__label">{label}</span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bucket_has_its_badge() {
        let expected = [
            (StatusBucket::Submitted, "gu-badge gu-badge--info"),
            (StatusBucket::InReview, "gu-badge gu-badge--info"),
            (StatusBucket::ActionRequired, "gu-badge gu-badge--warning"),
            (StatusBucket::Accepted, "gu-badge gu-badge--success"),
            (StatusBucket::Rejected, "gu-badge gu-badge--error"),
            (StatusBucket::Closed, "gu-badge"),
            (StatusBucket::Unknown, "gu-badge gu-badge--info"),
        ];
        for (bucket, class) in expected {
            assert_eq!(BadgeKind::of(bucket).class(), class);
        }
    }

    #[test]
    fn every_kind_has_its_own_class_under_the_badge_block() {
        let kinds = [
            BadgeKind::Neutral,
            BadgeKind::Info,
            BadgeKind::Success,
            BadgeKind::Warning,
            BadgeKind::Error,
            BadgeKind::New,
        ];
        let classes: std::collections::BTreeSet<_> = kinds.iter().map(|k| k.class()).collect();
        assert_eq!(classes.len(), kinds.len(), "two kinds look the same");
        for class in classes {
            assert!(class.starts_with("gu-badge"), "{class}");
        }
    }
}
