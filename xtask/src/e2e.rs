//! End-to-end tests: the built SPA, served like production, driven in Debian's Chromium by
//! `node --test tests/e2e/` (playwright-core, axe-core).
//!
//! xtask serves `dist/` on 127.0.0.1 in a background thread and hands the URL to the tests through
//! `GUICHET_BASE_URL`; the tests never start a browser download and screenshots land in the
//! git-ignored `target/e2e-screenshots/`.

use crate::error::{Error, Result};
use crate::paths;
use crate::serve;
use crate::stack::Stack;
use crate::tally::{self, Tally};
use crate::tools;
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::sync::oneshot;

/// A static server for `dist/` running on its own thread until dropped.
pub struct PortalServer {
    pub address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl PortalServer {
    pub fn start(port: u16) -> Result<Self> {
        Self::start_with(port, None)
    }

    /// A portal whose files in `overrides` replace `dist`'s (a kiosk's `portail.toml`, a benchmark's
    /// `services.toml`).
    pub fn start_with(port: u16, overrides: Option<PathBuf>) -> Result<Self> {
        let dist = paths::dist();
        if !dist.join("index.html").exists() {
            return Err(Error::Inconsistent {
                what: format!("{} has no built portal", dist.display()),
                fix: "run `cargo xtask build` first".into(),
            });
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Error::io("starting a runtime for", &dist, e))?;
        let (listener, address) = runtime.block_on(serve::bind(port))?;
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let shutdown = async move {
                let _ = stopped.await;
            };
            if let Err(e) = runtime.block_on(serve::serve(
                listener,
                &dist,
                overrides.as_deref(),
                shutdown,
            )) {
                eprintln!("portal server stopped: {e}");
            }
        });
        Ok(PortalServer {
            address,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }
}

impl Drop for PortalServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The kiosk instance of the e2e runs: the same build, served with kiosk settings.
pub const KIOSK_PORT: u16 = 8081;
const KIOSK_SETTINGS: &str = "# Kiosk deployment used by the end-to-end tests.\n[kiosk]\nenabled = true\ninactivity_minutes = 3\nwarning_seconds = 30\nhouse = \"fs-gien\"\nclient_id = \"guichet-kiosque\"\n";

/// The hostile-member suite's instance (`tests/e2e/hostile*.test.mjs`): the same build, whose
/// catalogue is the demo's plus the members of `tests/e2e/hostile/members.toml`, all served by the
/// suite's own hostile server on 127.0.0.1.
pub const HOSTILE_PORT: u16 = 8082;

/// Writes the hostile portal's `services.toml` into `dir`: the built catalogue, then the hostile
/// members appended (TOML arrays of tables may continue anywhere).
fn hostile_catalogue(dir: &std::path::Path) -> Result<()> {
    let demo = paths::dist().join("services.toml");
    let members = paths::root().join("tests/e2e/hostile/members.toml");
    let mut text = std::fs::read_to_string(&demo).map_err(|e| Error::io("reading", &demo, e))?;
    text.push_str(
        &std::fs::read_to_string(&members).map_err(|e| Error::io("reading", &members, e))?,
    );
    std::fs::create_dir_all(dir).map_err(|e| Error::io("creating", dir, e))?;
    let target = dir.join("services.toml");
    std::fs::write(&target, text).map_err(|e| Error::io("writing", &target, e))
}

/// Where end-to-end runs keep their stack's data (emptied at each run).
pub fn data_dir() -> PathBuf {
    paths::artifacts().join("e2e").join("data")
}

/// Runs the whole e2e suite against a portal served from `dist/` and the running `stack`.
pub fn run(port: u16, stack: &Stack) -> Result<Tally> {
    tools::ensure_chromium()?;
    let server = PortalServer::start(port)?;
    println!("    portal served at {}", server.url());
    let kiosk_dir = paths::artifacts().join("e2e").join("kiosk");
    std::fs::create_dir_all(&kiosk_dir).map_err(|e| Error::io("creating", &kiosk_dir, e))?;
    std::fs::write(kiosk_dir.join("portail.toml"), KIOSK_SETTINGS)
        .map_err(|e| Error::io("writing", &kiosk_dir, e))?;
    let kiosk = PortalServer::start_with(KIOSK_PORT, Some(kiosk_dir))?;
    println!("    kiosk portal served at {}", kiosk.url());
    let hostile_dir = paths::artifacts().join("e2e").join("hostile");
    hostile_catalogue(&hostile_dir)?;
    let hostile = PortalServer::start_with(HOSTILE_PORT, Some(hostile_dir))?;
    println!("    hostile-member portal served at {}", hostile.url());
    let root = paths::root();
    let screenshots: PathBuf = paths::artifacts().join("e2e-screenshots");
    let mut node = crate::cmd::new("node", &root);
    node.args(["--test", "--test-concurrency=1", "--test-reporter=tap"]);
    // `GUICHET_E2E_ONLY=kiosk,portal` runs only those files (while working on one part);
    // CI never sets it.
    match std::env::var("GUICHET_E2E_ONLY") {
        Ok(only) if !only.trim().is_empty() => {
            for name in only.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                node.arg(format!("tests/e2e/{name}.test.mjs"));
            }
        }
        _ => {
            node.arg("tests/e2e/");
        }
    }
    node.env("GUICHET_BASE_URL", server.url())
        .env("GUICHET_KIOSK_URL", kiosk.url())
        .env("GUICHET_HOSTILE_URL", hostile.url())
        .env("GUICHET_SCREENSHOTS", &screenshots)
        .env("GUICHET_STACK", stack.data.join("stack.json"))
        .env("GUICHET_STACK_DATA", &stack.data)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    let outcome = tally::run_counting(
        &mut node,
        "read the failing test above; screenshots are in target/e2e-screenshots/",
    );
    drop(hostile);
    drop(kiosk);
    drop(server);
    outcome
}
