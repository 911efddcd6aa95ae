//! Several instances behind one address: two `guichet-provider` processes (the real binary) serve
//! one member from one database — PostgreSQL when `GUICHET_TEST_DATABASE_URL` is set, as a
//! département would run it; otherwise one SQLite file shared by both processes.
//!
//! The race for an `Idempotency-Key` is made real, not hoped for: while the test holds the lock
//! every submission needs (the reference counter), both instances receive the same submission,
//! pass their "key already used?" check, and queue; once released, only the key's primary key
//! stands between them and two demandes. The same race with that constraint removed does create
//! two, which shows the first test can fail.

#![allow(clippy::unwrap_used)] // helpers of tests: a failure is the test's panic

mod common;
mod processes;

use common::*;
use processes::{Instance, Member};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Executor;
use std::time::Duration;

/// How many requests of the race hold on the lock at once (both instances together).
const RACING_KEYS: usize = 4;

/// A submission's answer: status, whether it was a replay, the demande's id.
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    replayed: bool,
    id: String,
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let replayed = response.headers().contains_key("idempotent-replayed");
    let body: Value = response.json().await.unwrap_or_default();
    Answer {
        status,
        replayed,
        id: body["id"].as_str().unwrap_or_default().to_owned(),
    }
}

/// Sends one submission per key to both instances at once, while the writers are held; returns
/// the two answers of each key.
async fn race(member: &Member, a: &Instance, b: &Instance, keys: &[String]) -> Vec<[Answer; 2]> {
    let token = token_from(&member.issuer, CAMILLE);
    let held = Held::take(&member.database).await;
    let mut sent = Vec::new();
    for key in keys {
        for url in [&a.url, &b.url] {
            let (url, token, key) = (url.clone(), token.clone(), key.clone());
            sent.push(tokio::spawn(async move {
                let client = reqwest::Client::new();
                let form = submission(acte_for_myself());
                answer(submit_to(&client, &url, &token, &key, form).await).await
            }));
        }
    }
    held.until_waiting(sent.len()).await;
    held.release().await;
    let mut answers = Vec::new();
    for task in sent {
        answers.push(task.await.unwrap());
    }
    let mut pairs = Vec::new();
    let mut answers = answers.into_iter();
    while let (Some(first), Some(second)) = (answers.next(), answers.next()) {
        pairs.push([first, second]);
    }
    pairs
}

/// The lock every submission takes (the year's reference counter), held by the test.
struct Held {
    connection: sqlx::pool::PoolConnection<sqlx::Any>,
    /// Other connections: PostgreSQL's activity view is a snapshot per transaction, so it is read
    /// outside the one holding the lock.
    pool: sqlx::AnyPool,
    postgres: bool,
}

impl Held {
    async fn take(database: &TestDatabase) -> Held {
        let pool = database.raw_pool().await;
        let mut connection = pool.acquire().await.unwrap();
        let postgres = database.is_postgres();
        if postgres {
            connection.execute("BEGIN").await.unwrap();
            connection
                .execute("LOCK TABLE reference_counters IN EXCLUSIVE MODE")
                .await
                .unwrap();
        } else {
            connection.execute("BEGIN IMMEDIATE").await.unwrap();
        }
        Held {
            connection,
            pool,
            postgres,
        }
    }

    /// Waits until `count` transactions queue behind the lock. PostgreSQL shows them; SQLite
    /// does not (its writers sleep in their busy handler), so there the wait is a fixed second —
    /// well within their 5 s busy timeout.
    async fn until_waiting(&self, count: usize) {
        if !self.postgres {
            tokio::time::sleep(Duration::from_secs(1)).await;
            return;
        }
        let question = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
        for _ in 0..300 {
            let waiting: i64 = sqlx::query_scalar(question)
                .fetch_one(&self.pool)
                .await
                .unwrap();
            if waiting >= count as i64 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{count} submissions never queued behind the test's lock");
    }

    async fn release(mut self) {
        self.connection.execute("ROLLBACK").await.unwrap();
    }
}

fn keys(prefix: &str) -> Vec<String> {
    (0..RACING_KEYS / 2)
        .map(|i| format!("{prefix}-{i}"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_key_sent_to_two_instances_at_once_creates_one_demande_and_both_answer_it() {
    let member = Member::new().await;
    let (a, b) = (member.instance("a").await, member.instance("b").await);
    let keys = keys("same-key");
    for (key, [first, second]) in keys.iter().zip(race(&member, &a, &b, &keys).await) {
        assert_eq!(
            (first.status, second.status),
            (StatusCode::CREATED, StatusCode::CREATED),
            "{key}: {first:?} {second:?}\nA: {}\nB: {}",
            a.log_text(),
            b.log_text()
        );
        assert_eq!(first.id, second.id, "{key}: both answer the same demande");
        assert!(
            first.replayed != second.replayed,
            "{key}: one created it, the other replayed it: {first:?} {second:?}"
        );
    }
    let stored = provider::db::all(&member.database.raw_pool().await, None, None)
        .await
        .unwrap();
    assert_eq!(stored.len(), keys.len(), "one demande per key");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_keys_primary_key_the_same_race_creates_two_demandes() {
    let member = Member::new().await;
    let (a, b) = (member.instance("a").await, member.instance("b").await);
    // Break idempotency on purpose: the same table, without its primary key (portable SQL, on
    // one connection: another one's cached SQLite schema could still show the old table).
    let pool = member.database.raw_pool().await;
    let mut connection = pool.acquire().await.unwrap();
    for statement in [
        "CREATE TABLE idempotency_loose AS SELECT * FROM idempotency",
        "DROP TABLE idempotency",
        "ALTER TABLE idempotency_loose RENAME TO idempotency",
    ] {
        connection.execute(statement).await.unwrap();
    }
    drop(connection);
    let keys = keys("broken-key");
    let pairs = race(&member, &a, &b, &keys).await;
    let duplicated = pairs
        .iter()
        .filter(|[first, second]| first.id != second.id)
        .count();
    assert_eq!(
        duplicated,
        keys.len(),
        "every raced key made two: {pairs:?}"
    );
    let stored = provider::db::all(&pool, None, None).await.unwrap();
    assert_eq!(stored.len(), 2 * keys.len());
}

/// Two instances, and a demande of Camille's submitted through the first.
struct Demande {
    member: Member,
    a: Instance,
    b: Instance,
    token: String,
    created: Answer,
}

impl Demande {
    async fn through_a() -> Demande {
        let member = Member::new().await;
        let (a, b) = (member.instance("a").await, member.instance("b").await);
        let token = token_from(&member.issuer, CAMILLE);
        let client = reqwest::Client::new();
        let form = submission(acte_for_myself());
        let created = answer(submit_to(&client, &a.url, &token, "k1", form).await).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", a.log_text());
        Demande {
            member,
            a,
            b,
            token,
            created,
        }
    }
}

/// `GET /v1/demandes` on `url` with `If-None-Match: etag` (if any): the status, the ETag, the body.
async fn poll(url: &str, token: &str, etag: Option<&str>) -> (StatusCode, String, Value) {
    let mut request = reqwest::Client::new()
        .get(format!("{url}/v1/demandes"))
        .bearer_auth(token);
    if let Some(etag) = etag {
        request = request.header("if-none-match", etag);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    (status, etag, response.json().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agents_change_through_one_instance_is_seen_through_the_other_and_etags_agree() {
    let Demande {
        member: _member,
        a,
        b,
        token,
        created,
    } = Demande::through_a().await;

    // Either instance may answer a poll: the same state has the same ETag on both.
    let (_, etag_a, _) = poll(&a.url, &token, None).await;
    let (status, etag_b, list) = poll(&b.url, &token, None).await;
    assert_eq!((status, &etag_b), (StatusCode::OK, &etag_a));
    assert_eq!(list["demandes"][0]["id"], created.id.as_str());
    assert_eq!(
        poll(&b.url, &token, Some(&etag_a)).await.0,
        StatusCode::NOT_MODIFIED
    );

    // The agent works through instance A's configuration (the CLI, a process of its own).
    let (ok, said) = processes::run(
        &a.config,
        &[
            "agent",
            "status",
            &created.id,
            "in_review",
            "--label",
            "En cours",
        ],
    )
    .await;
    assert!(ok, "{said}");

    let (status, changed, list) = poll(&b.url, &token, Some(&etag_a)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the old ETag no longer matches on B"
    );
    assert_ne!(changed, etag_a);
    assert_eq!(list["demandes"][0]["status"]["bucket"], "in_review");
    assert_eq!(
        poll(&a.url, &token, Some(&changed)).await.0,
        StatusCode::NOT_MODIFIED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_sent_through_both_instances_at_once_are_all_kept_in_order() {
    let Demande {
        member,
        a,
        b,
        token,
        created,
    } = Demande::through_a().await;
    let client = reqwest::Client::new();
    const REPLIES: usize = 12;
    let mut sent = Vec::new();
    for i in 0..REPLIES {
        let url = if i % 2 == 0 {
            a.url.clone()
        } else {
            b.url.clone()
        };
        let (client, token, id) = (client.clone(), token.clone(), created.id.clone());
        sent.push(tokio::spawn(async move {
            let form = reqwest::multipart::Form::new().text(
                "reply",
                serde_json::json!({ "body": format!("réponse {i}") }).to_string(),
            );
            client
                .post(format!("{url}/v1/demandes/{id}/replies"))
                .bearer_auth(token)
                .header("idempotency-key", format!("reply-{i}"))
                .multipart(form)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for task in sent {
        assert_eq!(
            task.await.unwrap(),
            StatusCode::CREATED,
            "A: {}\nB: {}",
            a.log_text(),
            b.log_text()
        );
    }
    let demande = provider::db::get(&member.database.raw_pool().await, None, &created.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(demande.messages.len(), REPLIES);
}
