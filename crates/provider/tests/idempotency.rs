//! What became of a write whose answer was lost: the lookup by idempotency key, the demande a
//! reused key names, and the one idempotent-write path shared by submissions and replies — over
//! real HTTP and a real database (SQLite or PostgreSQL), including a database written before the lookup existed.

mod common;

use common::*;
use contract::{IdempotencyRecord, Problem, StatusBucket, WriteKind};
use reqwest::StatusCode;
use reqwest::multipart::Form;
use serde_json::json;

async fn lookup(p: &TestProvider, subject: &str, key: &str) -> reqwest::Response {
    p.get(&format!("/v1/idempotency-keys/{key}"), subject)
        .send()
        .await
        .expect("the provider answers")
}

async fn unknown(response: reqwest::Response) {
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let problem: Problem = response.json().await.expect("a problem document");
    assert_eq!(problem.kind, contract::idempotency::UNKNOWN_KEY_PROBLEM);
}

async fn reply(
    p: &TestProvider,
    subject: &str,
    id: &str,
    key: &str,
    body: &str,
) -> reqwest::Response {
    p.client
        .post(format!("{}/v1/demandes/{id}/replies", p.url))
        .bearer_auth(p.token_for(subject))
        .header("idempotency-key", key)
        .multipart(Form::new().text("reply", json!({ "body": body }).to_string()))
        .send()
        .await
        .expect("the provider answers")
}

async fn created_id(response: reqwest::Response) -> String {
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: serde_json::Value = response.json().await.expect("a JSON body");
    body["id"].as_str().expect("an id").to_owned()
}

#[tokio::test]
async fn a_key_used_for_a_submission_leads_to_its_demande_as_it_stands_now() {
    let p = start().await;
    let id = created_id(
        p.submit(CAMILLE, "lost-answer", submission(acte_for_myself()))
            .await,
    )
    .await;
    provider::agent::set_status(&p.db().await, &id, "in_review", "En cours", None)
        .await
        .unwrap();
    let found = lookup(&p, CAMILLE, "lost-answer").await;
    assert_eq!(found.status(), StatusCode::OK);
    assert_eq!(found.headers()["cache-control"], "no-store");
    let record: IdempotencyRecord = found.json().await.unwrap();
    assert_eq!(record.key, "lost-answer");
    assert_eq!(record.kind, WriteKind::Submission);
    assert_eq!(record.demande.id, id);
    assert_eq!(record.demande.status.bucket, StatusBucket::InReview);
    assert!(
        contract::validation::is_date(&record.at[..10]),
        "{}",
        record.at
    );
}

#[tokio::test]
async fn a_key_used_for_a_reply_leads_to_the_demande_replied_to() {
    let p = start().await;
    let id = created_id(
        p.submit(CAMILLE, "first", submission(acte_for_myself()))
            .await,
    )
    .await;
    assert_eq!(
        reply(&p, CAMILLE, &id, "reply-key", "Une précision")
            .await
            .status(),
        StatusCode::CREATED
    );
    let record: IdempotencyRecord = lookup(&p, CAMILLE, "reply-key").await.json().await.unwrap();
    assert_eq!(record.kind, WriteKind::Reply);
    assert_eq!(record.demande.id, id);
}

#[tokio::test]
async fn unused_keys_and_other_citizens_keys_are_unknown() {
    let p = start().await;
    p.submit(CAMILLE, "camille-key", submission(acte_for_myself()))
        .await;
    unknown(lookup(&p, CAMILLE, "never-used").await).await;
    unknown(lookup(&p, JEAN, "camille-key").await).await;
    let anonymous = p
        .client
        .get(format!("{}/v1/idempotency-keys/camille-key", p.url))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_write_that_failed_leaves_its_key_free_for_the_corrected_write() {
    let p = start().await;
    let mut wrong = acte_for_myself();
    wrong["courriel"] = json!("pas-une-adresse");
    let refused = p.submit(CAMILLE, "fix-and-resend", submission(wrong)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    unknown(lookup(&p, CAMILLE, "fix-and-resend").await).await;
    let id = created_id(
        p.submit(CAMILLE, "fix-and-resend", submission(acte_for_myself()))
            .await,
    )
    .await;
    let record: IdempotencyRecord = lookup(&p, CAMILLE, "fix-and-resend")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(record.demande.id, id);
}

#[tokio::test]
async fn a_reused_key_names_the_demande_it_was_first_used_for() {
    let p = start().await;
    let id = created_id(
        p.submit(CAMILLE, "reused", submission(acte_for_myself()))
            .await,
    )
    .await;
    let mut edited = acte_for_myself();
    edited["exemplaires"] = json!("2");
    let refused = p.submit(CAMILLE, "reused", submission(edited)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Problem = refused.json().await.unwrap();
    assert_eq!(problem.kind, contract::problem::KEY_REUSED);
    assert_eq!(problem.demande_id.as_deref(), Some(id.as_str()));
    // A reply key reused for another message names the demande replied to.
    reply(&p, CAMILLE, &id, "reply-reused", "Premier message").await;
    let refused = reply(&p, CAMILLE, &id, "reply-reused", "Autre message").await;
    let problem: Problem = refused.json().await.unwrap();
    assert_eq!(problem.kind, contract::problem::KEY_REUSED);
    assert_eq!(problem.demande_id.as_deref(), Some(id.as_str()));
    assert_eq!(p.count().await, 1);
}

#[tokio::test]
async fn concurrent_replies_with_one_key_store_one_message() {
    let p = start().await;
    let id = created_id(p.submit(CAMILLE, "d", submission(acte_for_myself())).await).await;
    let attempts = (0..6).map(|_| reply(&p, CAMILLE, &id, "burst-reply", "Une seule fois"));
    let responses = futures::future::join_all(attempts).await;
    let mut messages = std::collections::HashSet::new();
    for r in responses {
        assert_eq!(r.status(), StatusCode::CREATED);
        let message: contract::Message = r.json().await.unwrap();
        messages.insert(message.id);
    }
    assert_eq!(messages.len(), 1, "every attempt got the same message");
    let demande: contract::Demande = p
        .get(&format!("/v1/demandes/{id}"), CAMILLE)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(demande.messages.len(), 1);
}

#[tokio::test]
async fn keys_recorded_before_the_lookup_existed_can_be_looked_up_after_the_upgrade() {
    // A database at the first schema, written as the provider of that version did.
    let dir = temp_dir("upgrade");
    let database = TestDatabase::create(&dir.0);
    let migrations = dir.0.join("migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/0001_init.sql"),
        migrations.join("0001_init.sql"),
    )
    .unwrap();
    {
        let pool = database.raw_pool().await;
        sqlx::migrate::Migrator::new(migrations.as_path())
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        let at = "2026-01-05T10:00:00.000000Z";
        for statement in [
            format!(
                "INSERT INTO demandes (id, reference, subject, form_id, form_version, form_title, answers, bucket, label, status_at, created_at, updated_at) VALUES ('d-1', 'OLD-2026-000001', '{CAMILLE}', 'acte-naissance', 1, 'Acte', '{{}}', 'submitted', 'Reçue', '{at}', '{at}', '{at}')"
            ),
            format!(
                "INSERT INTO status_history (id, demande_id, seq, bucket, label, at) VALUES ('h-1', 'd-1', 1, 'submitted', 'Reçue', '{at}')"
            ),
            format!(
                "INSERT INTO messages (id, demande_id, seq, author, body, at) VALUES ('m-1', 'd-1', 1, 'citizen', 'Bonjour', '{at}')"
            ),
            format!(
                "INSERT INTO idempotency (subject, idempotency_key, request_hash, status, location, response, created_at) VALUES ('{CAMILLE}', 'old-submit', 'h1', 201, '/v1/demandes/d-1', '{{\"created_at\":\"{at}\",\"id\":\"d-1\",\"reference\":\"OLD-2026-000001\"}}', '{at}')"
            ),
            format!(
                "INSERT INTO idempotency (subject, idempotency_key, request_hash, status, location, response, created_at) VALUES ('{CAMILLE}', 'old-reply', 'h2', 201, '/v1/demandes/d-1', '{{\"at\":\"{at}\",\"body\":\"Ma \\\"reference\\\": 12\",\"from\":\"citizen\",\"id\":\"m-1\"}}', '{at}')"
            ),
        ] {
            sqlx::query(&statement).execute(&pool).await.unwrap();
        }
        pool.close().await;
    }
    // The current provider opens it: the new migration runs and fills in the records.
    let db = provider::db::Db::open(&database.url).await.unwrap();
    let submitted = provider::db::idempotency_record(&db.pool, CAMILLE, "old-submit")
        .await
        .unwrap();
    assert_eq!(
        submitted,
        Some((
            WriteKind::Submission,
            "2026-01-05T10:00:00.000000Z".into(),
            "d-1".into()
        ))
    );
    let replied = provider::db::idempotency_record(&db.pool, CAMILLE, "old-reply")
        .await
        .unwrap();
    assert_eq!(
        replied.map(|r| (r.0, r.2)),
        Some((WriteKind::Reply, "d-1".into()))
    );
    let summary = provider::db::summary_of(&db.pool, CAMILLE, "d-1")
        .await
        .unwrap();
    assert_eq!(summary.map(|s| s.reference), Some("OLD-2026-000001".into()));
    // The old demande keeps its history and messages, and takes new ones after them.
    provider::agent::message(&db, "d-1", "Reçu, merci")
        .await
        .unwrap();
    let demande = provider::db::get(&db.pool, None, "d-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(demande.history.len(), 1);
    let bodies: Vec<&str> = demande.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["Bonjour", "Reçu, merci"]);
    db.pool.close().await;
}
