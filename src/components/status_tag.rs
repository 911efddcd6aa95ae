//! A demande's status: the canonical bucket as a text tag (never colour alone), and next to it
//! the collectivity's own label.

use contract::StatusBucket;
use leptos::prelude::*;

/// The BEM class of a bucket's tag.
pub fn tag_class(bucket: StatusBucket) -> &'static str {
    match bucket {
        // A bucket this version does not know is shown as in progress.
        StatusBucket::Submitted | StatusBucket::InReview | StatusBucket::Unknown => {
            "gu-tag gu-tag--info"
        }
        StatusBucket::ActionRequired => "gu-tag gu-tag--warning",
        StatusBucket::Accepted => "gu-tag gu-tag--success",
        StatusBucket::Rejected => "gu-tag gu-tag--error",
        StatusBucket::Closed => "gu-tag",
    }
}

#[component]
pub fn StatusTag(bucket: StatusBucket, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <span class="gu-status">
            <strong class=tag_class(bucket)>{bucket.label_fr()}</strong>
            " "
            <span class="gu-status__label">{label}</span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bucket_has_its_tag_class() {
        let expected = [
            (StatusBucket::Submitted, "gu-tag gu-tag--info"),
            (StatusBucket::InReview, "gu-tag gu-tag--info"),
            (StatusBucket::ActionRequired, "gu-tag gu-tag--warning"),
            (StatusBucket::Accepted, "gu-tag gu-tag--success"),
            (StatusBucket::Rejected, "gu-tag gu-tag--error"),
            (StatusBucket::Closed, "gu-tag"),
            (StatusBucket::Unknown, "gu-tag gu-tag--info"),
        ];
        for (bucket, class) in expected {
            assert_eq!(tag_class(bucket), class);
        }
    }
}
