//! The real `guichet-provider` binary as child processes: several instances serving one member
//! from one database, the agent CLI, and `migrate` — what a collectivity runs behind one address.

#![allow(dead_code, clippy::unwrap_used)] // test support: a failure here is a broken fixture

use crate::common::{Options, TempDir, TestDatabase, temp_dir, write_config};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

pub const BINARY: &str = env!("CARGO_BIN_EXE_guichet-provider");

/// A `guichet-provider serve` process, killed when dropped.
pub struct Instance {
    pub url: String,
    pub config: PathBuf,
    child: Child,
    log: PathBuf,
}

impl Instance {
    /// Starts `serve` with the configuration at `config` (which binds `port`) and waits until it
    /// answers `/healthz`.
    pub async fn start(config: &Path, port: u16) -> Instance {
        let log = config.with_extension("log");
        let child = Command::new(BINARY)
            .arg("--config")
            .arg(config)
            .arg("serve")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut instance = Instance {
            url: format!("http://127.0.0.1:{port}"),
            config: config.to_owned(),
            child,
            log,
        };
        instance.wait_healthy().await;
        instance
    }

    async fn wait_healthy(&mut self) {
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{} exited ({status}): {}", self.url, self.log_text());
            }
            let health = client.get(format!("{}/healthz", self.url)).send().await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "{} did not answer within 30 s: {}",
            self.url,
            self.log_text()
        );
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// A port nobody listens on now (the OS picks it; a process binds it right after).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `guichet-provider --config config args…` to its end; returns whether it succeeded, and
/// what it printed (stdout, then stderr).
pub async fn run(config: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(BINARY)
        .arg("--config")
        .arg(config)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// Several configurations of one member sharing one test database and one storage folder.
pub struct Member {
    pub dir: TempDir,
    pub database: TestDatabase,
    pub issuer: String,
}

impl Member {
    pub async fn new() -> Member {
        let dir = temp_dir("instances");
        let database = TestDatabase::create(&dir.0);
        Member {
            issuer: crate::common::start_issuer().await,
            dir,
            database,
        }
    }

    /// The configuration of instance `name`, listening on `port`.
    pub fn config(&self, name: &str, port: u16) -> PathBuf {
        let path = self.dir.0.join(format!("{name}.toml"));
        let options = Options {
            bind: format!("127.0.0.1:{port}"),
            ..Options::default()
        };
        write_config(&path, &self.issuer, &options, &self.database.url);
        path
    }

    /// Starts instance `name` on a port of its own.
    pub async fn instance(&self, name: &str) -> Instance {
        let port = free_port();
        Instance::start(&self.config(name, port), port).await
    }
}
