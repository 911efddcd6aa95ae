//! Drafts: keys, expiry, file verification, and reading what older versions saved.

use super::*;
use contract::FileAnswer;

fn draft() -> Draft {
    Draft {
        service_id: "gien/acte-naissance".into(),
        service_title: "Acte".into(),
        form_id: "acte-naissance".into(),
        form_version: 1,
        answers: [(
            "prenom".to_string(),
            contract::Answer::Text("Camille".into()),
        )]
        .into(),
        step: Step::Page,
        page: 1,
        write: WriteState {
            key: "k".into(),
            used: true,
            unresolved: true,
        },
        prefilled: vec!["prenom".into()],
        files: BTreeMap::new(),
        updated_at: 1.0,
    }
}

#[test]
fn account_keys_are_stable_and_do_not_reveal_the_subject() {
    let a = account_key("demo-camille-martin");
    assert_eq!(a, account_key("demo-camille-martin"));
    assert_ne!(a, account_key("demo-jean-lefebvre"));
    assert_eq!(a.len(), 24);
    assert!(!a.contains("camille"));
}

#[test]
fn drafts_keep_their_write_state_and_prefilled_marker_across_a_reload() {
    let json = serde_json::to_string(&draft()).unwrap();
    let back: Draft = serde_json::from_str(&json).unwrap();
    assert_eq!(back, draft());
    assert!(
        back.write.unresolved,
        "an unknown outcome survives a reload"
    );
    assert_eq!(back.prefilled, ["prenom"]);
}

#[test]
fn drafts_saved_by_the_previous_version_still_load() {
    let old = r#"{"service_id":"gien/acte-naissance","service_title":"Acte","form_id":"acte-naissance",
        "form_version":1,"answers":{},"step":"review","page":0,"idempotency_key":"guichet-abc","updated_at":5.0}"#;
    let d: Draft = serde_json::from_str(old).unwrap();
    assert_eq!(d.write, WriteState::new("guichet-abc".into()));
    assert!(d.prefilled.is_empty() && d.files.is_empty());
}

#[test]
fn drafts_expire_thirty_days_after_their_last_change() {
    let changed = 1_700_000_000_000.0;
    let day = 24.0 * 3600.0 * 1000.0;
    assert_eq!(KEEP_DRAFTS_DAYS, 30);
    assert!(!is_expired(changed, changed));
    assert!(!is_expired(changed, changed + 29.9 * day));
    assert!(is_expired(changed, changed + 30.0 * day));
    assert_eq!(expires_at(changed), changed + 30.0 * day);
}

#[test]
fn a_kept_file_is_given_back_only_with_its_own_bytes() {
    let scope = files_scope("acc", "gien/acte-naissance");
    let stored = StoredFile::describe(&scope, "u1", "livret.pdf", b"%PDF-1 livret").unwrap();
    assert_eq!(stored.blob, "draftfile.acc.gien/acte-naissance.u1");
    assert!(stored.matches(b"%PDF-1 livret"));
    // The previous file's bytes under the new file's record: refused.
    assert!(!stored.matches(b"%PDF-1 jugement"));
    assert!(!stored.matches(b"%PDF-1 livre"));
    let answer = |name: &str, size| FileAnswer {
        part: "fichier-justificatif".into(),
        name: name.into(),
        size,
        content_type: "application/pdf".into(),
    };
    assert!(stored.is_for(&answer("livret.pdf", 13)));
    assert!(!stored.is_for(&answer("jugement.pdf", 13)));
}

#[test]
fn every_kept_file_gets_its_own_key_inside_its_draft_scope() {
    let scope = files_scope("acc", &reply_scope("gien", "d-1"));
    let a = StoredFile::describe(&scope, "u1", "a.pdf", b"a").unwrap();
    let b = StoredFile::describe(&scope, "u2", "a.pdf", b"a").unwrap();
    assert_ne!(a.blob, b.blob);
    assert!(a.blob.starts_with("draftfile.acc.reply.gien.d-1."));
}

#[test]
fn a_file_larger_than_a_provider_accepts_is_not_kept() {
    let big = vec![0u8; files::MAX_KEPT_FILE_BYTES + 1];
    assert_eq!(
        StoredFile::describe("s.", "u", "big.pdf", &big),
        Err(StoreError::TooLarge)
    );
}

#[test]
fn reply_drafts_saved_by_the_previous_version_still_load() {
    let old: ReplyDraft = serde_json::from_str(r#"{"body":"Bonjour","key":"guichet-r"}"#).unwrap();
    assert_eq!(old.body, "Bonjour");
    assert_eq!(old.write.key, "guichet-r");
}
