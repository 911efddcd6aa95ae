use super::rows::*;
use super::*;
use contract::{StatusBucket, StatusEntry};

fn summary(id: &str, bucket: StatusBucket, updated: &str) -> DemandeSummary {
    DemandeSummary {
        id: id.into(),
        reference: id.into(),
        form_id: "f".into(),
        form_title: "F".into(),
        status: StatusEntry {
            bucket,
            label: "x".into(),
            at: updated.into(),
            comment: None,
        },
        created_at: updated.into(),
        updated_at: updated.into(),
        expected: vec![],
    }
}

fn row(id: &str, bucket: StatusBucket, updated: &str) -> Row {
    Row {
        member: "m".into(),
        member_name: "M".into(),
        changed: false,
        demande: summary(id, bucket, updated),
    }
}

fn loaded(demandes: Vec<DemandeSummary>) -> ProviderState {
    ProviderState::Loaded {
        demandes,
        etag: None,
        dropped: 0,
    }
}

fn ids(rows: &[Row]) -> Vec<&str> {
    rows.iter().map(|r| r.demande.id.as_str()).collect()
}

#[test]
fn action_required_first_then_most_recent_finished_last() {
    let mut rows = vec![
        row("old-review", StatusBucket::InReview, "2026-01-01"),
        row("accepted", StatusBucket::Accepted, "2026-11-01"),
        row("action", StatusBucket::ActionRequired, "2025-06-01"),
        row("new-review", StatusBucket::Submitted, "2026-10-01"),
    ];
    sort_rows(&mut rows);
    assert_eq!(
        ids(&rows),
        ["action", "new-review", "old-review", "accepted"]
    );
}

#[test]
fn a_demande_just_sent_is_listed_before_the_provider_lists_it() {
    let states = BTreeMap::from([(
        "gien".to_owned(),
        loaded(vec![summary("old", StatusBucket::Accepted, "2026-01-01")]),
    )]);
    let written = BTreeMap::from([(
        "gien".to_owned(),
        vec![Written {
            summary: summary("new", StatusBucket::Submitted, "2026-11-02"),
            at: 0.0,
        }],
    )]);
    let names = BTreeMap::from([("gien".to_owned(), "Ville de Gien".to_owned())]);
    let shown = rows(&states, &written, &names, &BTreeMap::new());
    assert_eq!(ids(&shown), ["new", "old"]);
    assert_eq!(shown[0].member_name, "Ville de Gien");
}

#[test]
fn a_demande_just_sent_shows_even_while_its_provider_is_pending_or_failing() {
    for state in [
        ProviderState::Pending,
        ProviderState::Failed(ProviderError::Timeout),
    ] {
        let states = BTreeMap::from([("gien".to_owned(), state)]);
        let written = BTreeMap::from([(
            "gien".to_owned(),
            vec![Written {
                summary: summary("new", StatusBucket::Submitted, "2026-11-02"),
                at: 0.0,
            }],
        )]);
        let shown = rows(&states, &written, &BTreeMap::new(), &BTreeMap::new());
        assert_eq!(ids(&shown), ["new"]);
    }
}

#[test]
fn once_the_provider_lists_it_the_provider_s_version_is_shown_once() {
    let listed = summary("new", StatusBucket::InReview, "2026-11-03");
    let states = BTreeMap::from([("gien".to_owned(), loaded(vec![listed.clone()]))]);
    let mut mine = vec![Written {
        summary: summary("new", StatusBucket::Submitted, "2026-11-02"),
        at: 0.0,
    }];
    let written = BTreeMap::from([("gien".to_owned(), mine.clone())]);
    let shown = rows(&states, &written, &BTreeMap::new(), &BTreeMap::new());
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].demande.status.bucket, StatusBucket::InReview);
    prune_written(&mut mine, &[listed], 1.0);
    assert!(mine.is_empty(), "listed by the provider: forgotten");
}

#[test]
fn a_demande_never_listed_is_forgotten_after_the_grace_period() {
    let grace = WRITTEN_GRACE.as_millis() as f64;
    let mut mine = vec![Written {
        summary: summary("new", StatusBucket::Submitted, "2026-11-02"),
        at: 1000.0,
    }];
    prune_written(&mut mine, &[], 1000.0 + grace - 1.0);
    assert_eq!(mine.len(), 1);
    prune_written(&mut mine, &[], 1000.0 + grace);
    assert!(mine.is_empty());
}

#[test]
fn what_the_citizen_just_opened_replaces_the_listed_row() {
    let mut list = vec![summary("a", StatusBucket::ActionRequired, "2026-01-01")];
    upsert(
        &mut list,
        &summary("a", StatusBucket::InReview, "2026-01-02"),
    );
    upsert(
        &mut list,
        &summary("unlisted", StatusBucket::InReview, "2026-01-02"),
    );
    assert_eq!(list.len(), 1, "only rows already listed are replaced");
    assert_eq!(list[0].status.bucket, StatusBucket::InReview);
}

#[test]
fn answers_older_than_a_few_seconds_are_stale() {
    let max = Duration::from_secs(5);
    assert!(is_stale(None, 0.0, max), "never answered");
    assert!(!is_stale(Some(10_000.0), 14_999.0, max));
    assert!(is_stale(Some(10_000.0), 15_000.0, max));
}

#[test]
fn changed_means_updated_since_last_seen() {
    let states = BTreeMap::from([(
        "m".to_owned(),
        loaded(vec![
            summary("seen", StatusBucket::InReview, "2026-01-01"),
            summary("moved", StatusBucket::InReview, "2026-02-01"),
            summary("never", StatusBucket::InReview, "2026-01-01"),
        ]),
    )]);
    let seen = BTreeMap::from([
        ("m/seen".to_owned(), "2026-01-01".to_owned()),
        ("m/moved".to_owned(), "2026-01-15".to_owned()),
    ]);
    let shown = rows(&states, &BTreeMap::new(), &BTreeMap::new(), &seen);
    let changed: Vec<&str> = shown
        .iter()
        .filter(|r| r.changed)
        .map(|r| r.demande.id.as_str())
        .collect();
    assert_eq!(changed, ["moved", "never"]);
}

#[test]
fn an_unknown_bucket_is_filtered_with_the_demandes_in_progress() {
    assert!(in_bucket(StatusBucket::Unknown, StatusBucket::InReview));
    assert!(in_bucket(StatusBucket::InReview, StatusBucket::InReview));
    assert!(!in_bucket(StatusBucket::Unknown, StatusBucket::Submitted));
    assert!(!in_bucket(StatusBucket::Accepted, StatusBucket::InReview));
}
