//! A throwaway PostgreSQL cluster for the provider's tests and benchmark: Debian's `postgresql`
//! binaries (`initdb`, `pg_ctl`), a cluster in a temporary folder listening on 127.0.0.1 only, no
//! system service. Dropping the [`Cluster`] stops it and removes the folder, whatever happened.
//!
//! `initdb` refuses to run as root: when xtask runs as root (CI containers), the cluster belongs
//! to the `postgres` user the Debian package creates, and its commands run through `runuser`.

use crate::cmd;
use crate::error::{Error, Result};
use std::path::PathBuf;
use std::process::Command;

/// Where the provider's tests find the server (`crates/provider/tests/common/database.rs`).
pub const TEST_DATABASE_ENV: &str = "GUICHET_TEST_DATABASE_URL";
/// The cluster's port: away from the demo's and the e2e stack's (8080–8199).
pub const PORT: u16 = 55432;
/// The cluster's superuser (trust authentication: loopback only, throwaway data).
const USER: &str = "guichet";

/// How the cluster treats durability.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// `fsync = off`: tests, whose data dies with the cluster.
    Throwaway,
    /// PostgreSQL's defaults (fsync, synchronous commit): benchmarks, so figures are honest.
    AsDeployed,
}

/// The newest `/usr/lib/postgresql/<version>/bin` holding `initdb`, if any.
pub fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// A running cluster; dropped, it is stopped and its folder removed.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
}

impl Cluster {
    /// Creates and starts a cluster on 127.0.0.1:`port` (which must be free).
    pub fn start(port: u16, durability: Durability) -> Result<Cluster> {
        let bin = bin_dir().ok_or_else(|| Error::ToolMissing {
            tool: "postgresql",
            fix: "run `sudo apt-get install -y postgresql` (or `cargo xtask test`, which does)"
                .into(),
        })?;
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Err(Error::Inconsistent {
                what: format!("127.0.0.1:{port} is already in use, the test cluster needs it"),
                fix: "stop whatever listens there (a cluster left by a killed run: `pg_ctl stop`)"
                    .into(),
            });
        }
        let dir = std::env::temp_dir().join(format!("guichet-pg-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("creating", &dir, e))?;
        // From here on, dropping the value cleans up, also when a step below fails.
        let cluster = Cluster {
            bin,
            as_postgres: cmd::probe("id", &["-u"]).is_some_and(|uid| uid == "0"),
            dir,
            port,
        };
        if cluster.as_postgres {
            cmd::run(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&cluster.dir),
                "the Debian package `postgresql` creates the `postgres` user: reinstall it",
            )?;
        }
        cluster.initdb()?;
        cluster.pg_ctl_start(durability)?;
        println!(
            "    PostgreSQL on 127.0.0.1:{port}, data in {}",
            cluster.dir.display()
        );
        Ok(cluster)
    }

    /// A URL on the cluster's `postgres` database (tests create their own databases from it).
    pub fn url(&self) -> String {
        self.url_of("postgres")
    }

    pub fn url_of(&self, database: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{database}", self.port)
    }

    /// `createdb name`.
    pub fn create_database(&self, name: &str) -> Result<()> {
        cmd::run(
            self.command("createdb").args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                USER,
                name,
            ]),
            "read PostgreSQL's message above",
        )
    }

    fn initdb(&self) -> Result<()> {
        cmd::run(
            self.command("initdb")
                .arg("-D")
                .arg(self.dir.join("data"))
                .args([
                    "-U",
                    USER,
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                    "--no-instructions",
                ])
                .stdout(std::process::Stdio::null()),
            "read initdb's message above",
        )
    }

    fn pg_ctl_start(&self, durability: Durability) -> Result<()> {
        let mut options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=300",
            self.port,
            self.dir.display()
        );
        if durability == Durability::Throwaway {
            options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        cmd::run(
            self.command("pg_ctl")
                .arg("-D")
                .arg(self.dir.join("data"))
                .arg("-l")
                .arg(self.dir.join("server.log"))
                .args(["-w", "-t", "60", "-o", &options, "start"]),
            &format!(
                "read the server's log: {}",
                self.dir.join("server.log").display()
            ),
        )
    }

    /// One of the cluster's binaries, run as the cluster's owner.
    fn command(&self, tool: &str) -> Command {
        let program = self.bin.join(tool);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        command.current_dir(&self.dir);
        command
    }

    /// Runs `sql` (a script: several statements, stopping at the first error) on `database`.
    pub fn psql(&self, database: &str, sql: &str) -> Result<()> {
        let script = self.dir.join("script.sql");
        std::fs::write(&script, sql).map_err(|e| Error::io("writing", &script, e))?;
        cmd::run(
            self.command("psql")
                .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1"])
                .args([
                    "-p",
                    &self.port.to_string(),
                    "-U",
                    USER,
                    "-d",
                    database,
                    "-f",
                ])
                .arg(&script),
            "read PostgreSQL's message above",
        )
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        if data.join("postmaster.pid").exists() {
            let _ = self
                .command("pg_ctl")
                .arg("-D")
                .arg(&data)
                .args(["-m", "immediate", "-w", "stop"])
                .stdout(std::process::Stdio::null())
                .status();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
