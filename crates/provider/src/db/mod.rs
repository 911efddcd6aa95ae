//! The provider's database: SQLite by default, PostgreSQL in production, same SQL.
//!
//! sqlx's `Any` driver picks the backend from the URL (`sqlite://…` or `postgres://…`); queries
//! use `$n` placeholders, which both understand, and only portable types (text, bigint). Every
//! write that belongs together happens in one transaction, so a failed request leaves nothing.
//!
//! Several instances may share one PostgreSQL database (behind one address): nothing is cached in
//! a process, uniqueness is the database's (a key's primary key decides which of two attempts
//! wins), writes that number things lock the demande's row first, and migrations run under a lock.

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
use std::path::{Path, PathBuf};

pub type Tx<'a> = Transaction<'a, sqlx::Any>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot lock {path}-migrate.lock before migrating: {source}")]
    MigrationLock {
        path: String,
        source: std::io::Error,
    },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// The connection pool.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    /// PostgreSQL (else SQLite): for the few statements only one of them has.
    pub postgres: bool,
}

impl Db {
    /// Connects (creating a SQLite file if needed) and applies pending migrations.
    pub async fn open(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let sqlite = sqlite_file(url);
        let url = match &sqlite {
            Some(file) if !url.contains('?') => {
                if let Some(parent) = file.parent() {
                    let _ = std::fs::create_dir_all(parent);
                }
                format!("{url}?mode=rwc")
            }
            _ => url.to_owned(),
        };
        let is_sqlite = url.starts_with("sqlite:");
        let pool = AnyPoolOptions::new()
            .max_connections(if is_sqlite { 8 } else { 16 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if is_sqlite {
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
        if is_sqlite {
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        migrate(&pool, sqlite.as_deref()).await?;
        Ok(Db {
            pool,
            postgres: !is_sqlite,
        })
    }

    pub async fn begin(&self) -> Result<Tx<'static>, DbError> {
        Ok(self.pool.begin().await?)
    }
}

/// The file of a `sqlite://` URL (not for in-memory databases).
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let path = rest.trim_start_matches("//");
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| PathBuf::from(path))
}

/// Applies pending migrations, once, however many instances start together.
///
/// On PostgreSQL, sqlx's migrator takes a session advisory lock (`pg_advisory_lock`, keyed by the
/// database's name) before it even creates its `_sqlx_migrations` table, and releases it when done:
/// the other instances wait, then find nothing left to apply. On SQLite its lock does nothing, and
/// two processes would both see a migration pending and the second would fail on `CREATE TABLE`:
/// an exclusive lock on a file beside the database (`<file>-migrate.lock`, kept) takes its place.
async fn migrate(pool: &AnyPool, sqlite: Option<&Path>) -> Result<(), DbError> {
    let _held = match sqlite {
        Some(file) => Some(lock_beside(file).await?),
        None => None,
    };
    sqlx::migrate!("./migrations").run(pool).await?;
    Ok(())
}

/// Opens `<file>-migrate.lock` and waits for an exclusive lock on it (released when the returned
/// file is closed, also if the process dies).
async fn lock_beside(file: &Path) -> Result<std::fs::File, DbError> {
    let mut name = file.as_os_str().to_owned();
    name.push("-migrate.lock");
    let lock_path = PathBuf::from(name);
    let locked = tokio::task::spawn_blocking(move || {
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)?;
        lock.lock()?;
        Ok::<_, std::io::Error>(lock)
    })
    .await
    .map_err(|e| std::io::Error::other(e.to_string()))
    .and_then(|r| r);
    locked.map_err(|source| DbError::MigrationLock {
        path: file.display().to_string(),
        source,
    })
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
