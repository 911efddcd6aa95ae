//! Migrations when several instances start together: each migration is applied once, and every
//! instance starts. Real processes (`guichet-provider migrate`) on one fresh database —
//! PostgreSQL when `GUICHET_TEST_DATABASE_URL` is set, otherwise one SQLite file. (The upgrade from
//! an older schema is in `idempotency.rs`, whose lookup that upgrade made possible.)

#![allow(clippy::unwrap_used)] // helpers of tests: a failure is the test's panic

mod common;
mod processes;

use processes::Member;

/// Processes started at the same instant.
const TOGETHER: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_started_together_apply_each_migration_once_and_all_start() {
    let member = Member::new().await;
    let config = member.config("shared", processes::free_port());
    let runs: Vec<_> = (0..TOGETHER)
        .map(|_| {
            let config = config.clone();
            tokio::spawn(async move { processes::run(&config, &["migrate"]).await })
        })
        .collect();
    for run in runs {
        let (ok, said) = run.await.unwrap();
        assert!(ok, "an instance failed to start: {said}");
    }
    let pool = member.database.raw_pool().await;
    // Booleans are read as the condition, not as values: the `Any` driver decodes PostgreSQL's
    // `boolean` but not SQLite's.
    let succeeded: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(&pool)
            .await
            .unwrap();
    let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    let shipped = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .count() as i64;
    assert_eq!(succeeded, (1..=shipped).collect::<Vec<_>>());
    assert_eq!(recorded, shipped, "each migration recorded once");
}
