//! The database a test provider uses: a SQLite file in the test's folder by default, or — when
//! `GUICHET_TEST_DATABASE_URL` names a PostgreSQL server (`cargo xtask test` starts a throwaway
//! one) — a database of its own on that server, created empty and dropped when the test ends. The
//! same tests thus prove both backends, and PostgreSQL tests never see each other's rows.

use sqlx::{Connection, Executor};
use std::path::Path;

/// Names the PostgreSQL server (any database on it, e.g. `postgres://guichet@127.0.0.1:55432/postgres`)
/// on which every test creates its own database; unset or empty: SQLite files.
pub const DATABASE_ENV: &str = "GUICHET_TEST_DATABASE_URL";

/// One test's database; a PostgreSQL one is dropped when this value is.
pub struct TestDatabase {
    /// What the provider's `database` setting says.
    pub url: String,
    postgres: Option<Server>,
}

/// A PostgreSQL database created for one test on the server the environment names.
struct Server {
    admin_url: String,
    name: String,
}

impl TestDatabase {
    /// A new, empty database: `dir/test.sqlite`, or a fresh PostgreSQL database.
    pub fn create(dir: &Path) -> TestDatabase {
        let server = std::env::var(DATABASE_ENV).unwrap_or_default();
        if server.is_empty() {
            return TestDatabase {
                url: format!("sqlite://{}", dir.join("test.sqlite").display()),
                postgres: None,
            };
        }
        let name = format!("guichet_test_{}", uuid::Uuid::new_v4().simple());
        let statement = format!("CREATE DATABASE {name}");
        on_own_runtime(&server, &statement);
        TestDatabase {
            url: with_database(&server, &name),
            postgres: Some(Server {
                admin_url: server,
                name,
            }),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// A pool on this database without migrating it (creating the SQLite file if needed): for
    /// tests that write an older schema, or break the current one on purpose.
    pub async fn raw_pool(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        let url = if self.is_postgres() {
            self.url.clone()
        } else {
            format!("{}?mode=rwc", self.url)
        };
        sqlx::AnyPool::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("{url}: {e}"))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(server) = &self.postgres {
            // FORCE: the test's providers may still hold pooled connections.
            let statement = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", server.name);
            on_own_runtime(&server.admin_url, &statement);
        }
    }
}

/// `postgres://user@host:port/any?opts` with `name` as its database.
fn with_database(server: &str, name: &str) -> String {
    let (base, query) = server.split_once('?').unwrap_or((server, ""));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    if query.is_empty() {
        format!("{base}/{name}")
    } else {
        format!("{base}/{name}?{query}")
    }
}

/// Runs one statement on `server` from a thread of its own: callable from sync code, from async
/// tests and from `Drop` alike (a runtime cannot block on another inside itself).
fn on_own_runtime(server: &str, statement: &str) {
    let (server, statement) = (server.to_owned(), statement.to_owned());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        runtime.block_on(async {
            let mut connection = sqlx::postgres::PgConnection::connect(&server)
                .await
                .unwrap_or_else(|e| panic!("{DATABASE_ENV}={server}: cannot connect: {e}"));
            connection
                .execute(statement.as_str())
                .await
                .unwrap_or_else(|e| panic!("{statement}: {e}"));
            let _ = connection.close().await;
        });
    })
    .join()
    .expect("the database statement ran");
}
