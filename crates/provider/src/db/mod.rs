//! The provider's database: SQLite by default, PostgreSQL in production, same SQL.
//!
//! sqlx's `Any` driver picks the backend from the URL (`sqlite://…` or `postgres://…`); queries
//! use `$n` placeholders, which both understand, and only portable types (text, bigint). Every
//! write that belongs together happens in one transaction, so a failed request leaves nothing.

mod idempotency;
mod reads;
mod writes;

pub use idempotency::{StoredResponse, idempotency_get, idempotency_put, idempotency_record};
pub use reads::{all, document, get, list, list_fingerprint, locate, summary_of};
pub use writes::{
    NewDemande, NewDocument, add_document, add_expectation, add_message, fulfil_expectations,
    insert_demande, next_reference, set_status, touch,
};

use contract::StatusBucket;
use contract::demande::Author;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor, Transaction};

pub type Tx<'a> = Transaction<'a, sqlx::Any>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// The connection pool.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
}

impl Db {
    /// Connects (creating a SQLite file if needed) and applies pending migrations.
    pub async fn open(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let sqlite = url.starts_with("sqlite:");
        let url = if sqlite && !url.contains('?') && !url.contains(":memory:") {
            if let Some(parent) = std::path::Path::new(url.trim_start_matches("sqlite://")).parent()
            {
                let _ = std::fs::create_dir_all(parent);
            }
            format!("{url}?mode=rwc")
        } else {
            url.to_owned()
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 8 } else { 16 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // The agent CLI and the server share the file: wait instead of failing.
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        if sqlite {
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Db { pool })
    }

    pub async fn begin(&self) -> Result<Tx<'static>, DbError> {
        Ok(self.pool.begin().await?)
    }
}

pub(crate) fn author_id(a: Author) -> &'static str {
    match a {
        Author::Citizen => "citizen",
        Author::Agent => "agent",
    }
}

pub(crate) fn author(text: &str) -> Author {
    if text == "agent" {
        Author::Agent
    } else {
        Author::Citizen
    }
}

pub(crate) fn bucket(text: &str) -> Result<StatusBucket, DbError> {
    StatusBucket::from_id(text)
        .ok_or_else(|| DbError::Corrupt(format!("unknown status bucket `{text}`")))
}
