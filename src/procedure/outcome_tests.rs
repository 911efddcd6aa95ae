//! The unknown-outcome rules, one behaviour per test.

use super::*;
use contract::{DemandeSummary, Problem, StatusBucket, StatusEntry};

fn problem(status: u16, kind: &str) -> ProviderError {
    ProviderError::Problem(Box::new(Problem::new(status, kind, "titre")))
}

fn record(key: &str, kind: WriteKind) -> IdempotencyRecord {
    IdempotencyRecord {
        key: key.into(),
        kind,
        at: "2026-11-23T10:00:00Z".into(),
        demande: DemandeSummary {
            id: "d-1".into(),
            reference: "GIEN-2026-000001".into(),
            form_id: "acte-naissance".into(),
            form_title: "Acte".into(),
            status: StatusEntry {
                bucket: StatusBucket::Submitted,
                label: "Reçue".into(),
                at: "2026-11-23T10:00:00Z".into(),
                comment: None,
            },
            created_at: "2026-11-23T10:00:00Z".into(),
            updated_at: "2026-11-23T10:00:00Z".into(),
            expected: vec![],
        },
    }
}

fn fresh() -> Write {
    Write::resume(WriteState::new("k1".into())).0
}

/// A write whose first attempt timed out.
fn unresolved() -> Write {
    let mut w = fresh();
    w.begin_send();
    w.after_send(&Attempt::<()>::Unknown(ProviderError::Timeout));
    w
}

fn mint() -> String {
    "k2".into()
}

#[test]
fn no_answer_a_server_error_or_garbage_after_success_are_unknown_outcomes() {
    for e in [
        ProviderError::Timeout,
        ProviderError::Unreachable,
        ProviderError::Status(502),
        ProviderError::Status(408),
        problem(500, "internal"),
        problem(503, "unavailable"),
        ProviderError::Undecodable("not json".into()),
    ] {
        assert_eq!(
            Attempt::<()>::of(Err(e.clone())),
            Attempt::Unknown(e.clone()),
            "{e:?}"
        );
    }
}

#[test]
fn a_refusal_that_does_not_depend_on_the_network_is_definite() {
    for e in [
        problem(422, "invalid-submission"),
        problem(409, "conflict"),
        problem(413, "too-large"),
        ProviderError::Status(400),
        ProviderError::SignInRequired,
        ProviderError::UndeclaredOrigin("https://evil.example".into()),
    ] {
        assert_eq!(
            Attempt::<()>::of(Err(e.clone())),
            Attempt::Refused(e.clone()),
            "{e:?}"
        );
    }
    assert_eq!(Attempt::of(Ok(7)), Attempt::Written(7));
    assert_eq!(
        Attempt::<()>::of(Err(problem(422, "idempotency-key-reused"))),
        Attempt::KeyReused
    );
}

#[test]
fn only_the_exact_unknown_key_problem_means_not_written() {
    let unknown = Err(problem(404, "idempotency-key-unknown"));
    assert_eq!(
        Lookup::of(unknown, "k1", WriteKind::Submission),
        Lookup::NotWritten
    );
    // A provider without the lookup route answers a plain 404: that proves nothing.
    let route_missing = problem(404, "not-found");
    assert_eq!(
        Lookup::of(Err(route_missing.clone()), "k1", WriteKind::Submission),
        Lookup::Failed(route_missing)
    );
    assert_eq!(
        Lookup::of(Err(ProviderError::Status(404)), "k1", WriteKind::Submission),
        Lookup::Failed(ProviderError::Status(404))
    );
    let found = Lookup::of(
        Ok(record("k1", WriteKind::Submission)),
        "k1",
        WriteKind::Submission,
    );
    assert!(matches!(found, Lookup::Written(_)));
}

#[test]
fn a_record_for_another_key_or_kind_of_write_proves_nothing() {
    let other_key = Lookup::of(
        Ok(record("k9", WriteKind::Submission)),
        "k1",
        WriteKind::Submission,
    );
    assert!(matches!(other_key, Lookup::Failed(_)));
    let other_kind = Lookup::of(
        Ok(record("k1", WriteKind::Reply)),
        "k1",
        WriteKind::Submission,
    );
    assert!(matches!(other_kind, Lookup::Failed(_)));
}

#[test]
fn the_outcome_is_unresolved_from_the_moment_an_attempt_leaves() {
    let mut w = fresh();
    assert_eq!(w.begin_send(), Some("k1".into()));
    // This is what the draft saves before sending: a reload now is an unknown outcome.
    assert!(w.state.used && w.state.unresolved);
    assert!(!w.may_change());
    assert!(!w.may_send(), "no second attempt while one is on its way");
    let (after_reload, next) = Write::resume(w.state.clone());
    assert_eq!(next, Next::Lookup);
    assert!(matches!(
        after_reload.status,
        Status::Unresolved {
            why: Frozen::Interrupted,
            ..
        }
    ));
    assert!(!after_reload.may_change());
}

#[test]
fn answers_are_frozen_after_an_unknown_outcome_until_the_provider_says() {
    let mut w = unresolved();
    assert!(!w.may_change());
    assert_eq!(w.change(mint), Err(FrozenAnswers));
    assert_eq!(w.state.key, "k1", "the key is kept");
    // The lookup fails (provider still down): still frozen, and the failure is told.
    assert_eq!(w.begin_lookup(), Some("k1".into()));
    assert_eq!(w.begin_lookup(), None, "one lookup at a time");
    assert_eq!(
        w.after_lookup(Lookup::Failed(ProviderError::Unreachable)),
        Next::Wait
    );
    assert!(matches!(
        &w.status,
        Status::Unresolved {
            check_failed: Some(ProviderError::Unreachable),
            checking: false,
            ..
        }
    ));
    assert_eq!(w.change(mint), Err(FrozenAnswers));
}

#[test]
fn a_frozen_write_may_be_sent_again_with_the_same_key_and_answers() {
    let mut w = unresolved();
    assert!(w.may_send());
    assert_eq!(w.begin_send(), Some("k1".into()));
    assert_eq!(w.after_send(&Attempt::Written(())), Next::Done);
    assert_eq!(w.status, Status::Written);
    assert!(!w.state.unresolved);
}

#[test]
fn a_definite_not_written_lets_the_citizen_change_answers_under_a_new_key() {
    let mut w = unresolved();
    w.begin_lookup();
    assert_eq!(w.after_lookup(Lookup::NotWritten), Next::Wait);
    assert_eq!(w.status, Status::NotWritten);
    assert!(w.may_change());
    // Sending the same answers again keeps the key…
    let mut same = w.clone();
    assert_eq!(same.begin_send(), Some("k1".into()));
    // …changing them mints a new one, not yet used.
    assert_eq!(w.change(mint), Ok(true));
    assert_eq!(w.state, WriteState::new("k2".into()));
    assert_eq!(w.status, Status::Ready);
    assert_eq!(
        w.change(|| unreachable!("an unused key is kept")),
        Ok(false)
    );
}

#[test]
fn a_key_never_sent_is_kept_when_answers_change() {
    let mut w = fresh();
    assert_eq!(
        w.change(|| unreachable!("no new key before the first attempt")),
        Ok(false)
    );
    assert_eq!(w.state.key, "k1");
}

#[test]
fn a_refusal_unfreezes_and_the_corrected_answers_get_a_new_key() {
    let mut w = fresh();
    w.begin_send();
    let refused = problem(422, "invalid-submission");
    assert_eq!(
        w.after_send(&Attempt::<()>::Refused(refused.clone())),
        Next::Wait
    );
    assert_eq!(w.status, Status::Refused(refused));
    assert!(w.may_change());
    assert_eq!(w.change(mint), Ok(true));
    assert_eq!(w.state.key, "k2");
}

#[test]
fn a_write_found_by_the_lookup_is_done() {
    let mut w = unresolved();
    w.begin_lookup();
    let found = Lookup::Written(Box::new(record("k1", WriteKind::Submission)));
    assert_eq!(w.after_lookup(found), Next::Done);
    assert_eq!(w.status, Status::Written);
    assert!(!w.may_send(), "nothing is sent after it is written");
}

#[test]
fn a_reused_key_leads_to_the_demande_that_exists_and_nothing_else_is_sent() {
    let mut w = fresh();
    w.begin_send();
    assert_eq!(w.after_send(&Attempt::<()>::KeyReused), Next::Lookup);
    assert!(!w.may_change());
    w.begin_lookup();
    let found = Lookup::Written(Box::new(record("k1", WriteKind::Submission)));
    assert_eq!(w.after_lookup(found), Next::Wait);
    let Status::Diverged(existing) = &w.status else {
        panic!("expected the existing demande, got {:?}", w.status)
    };
    assert_eq!(existing.demande.reference, "GIEN-2026-000001");
    assert!(!w.may_send() && !w.may_change());
    // Only an explicit choice sends these answers as a second, separate demande.
    w.start_again(mint);
    assert_eq!(w.state, WriteState::new("k2".into()));
    assert!(w.may_send());
}

#[test]
fn the_saved_state_reads_drafts_saved_before_it_existed() {
    let old: WriteState = serde_json::from_str(r#"{"idempotency_key":"guichet-abc"}"#).unwrap();
    assert_eq!(old, WriteState::new("guichet-abc".into()));
}
