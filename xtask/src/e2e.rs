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
            if let Err(e) = runtime.block_on(serve::serve(listener, &dist, shutdown)) {
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

/// Where end-to-end runs keep their stack's data (emptied at each run).
pub fn data_dir() -> PathBuf {
    paths::artifacts().join("e2e").join("data")
}

/// Runs the whole e2e suite against a portal served from `dist/` and the running `stack`.
pub fn run(port: u16, stack: &Stack) -> Result<Tally> {
    tools::ensure_chromium()?;
    let server = PortalServer::start(port)?;
    println!("    portal served at {}", server.url());
    let root = paths::root();
    let screenshots: PathBuf = paths::artifacts().join("e2e-screenshots");
    let mut node = crate::cmd::new("node", &root);
    node.args(["--test", "--test-concurrency=1", "--test-reporter=tap"])
        .arg("tests/e2e/")
        .env("GUICHET_BASE_URL", server.url())
        .env("GUICHET_SCREENSHOTS", &screenshots)
        .env("GUICHET_STACK", stack.data.join("stack.json"))
        .env("GUICHET_STACK_DATA", &stack.data)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    let outcome = tally::run_counting(
        &mut node,
        "read the failing test above; screenshots are in target/e2e-screenshots/",
    );
    drop(server);
    outcome
}
