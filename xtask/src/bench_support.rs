//! What the benchmarks that need running processes share: a release build of the provider, the
//! demo identity provider, processes stopped when dropped, and waiting until a URL answers.

use crate::cmd;
use crate::error::{Error, Result};
use crate::paths;
use crate::stack::ISSUER_PORT;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A child process killed when this value is dropped, so a failing benchmark leaves nothing behind.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Builds the reference provider in release mode and returns its binary.
pub fn release_provider() -> Result<PathBuf> {
    cmd::run(
        cmd::new("cargo", &paths::root()).args([
            "build",
            "-q",
            "--release",
            "--locked",
            "-p",
            "provider",
        ]),
        "fix the build error above",
    )?;
    Ok(paths::cargo_target_dir()
        .join("release")
        .join("guichet-provider"))
}

/// Starts the demo identity provider on its usual port, its keys in `data`, minting tokens for
/// `resources` (the benchmark providers' base URLs).
pub fn identity_provider(data: &Path, resources: &[String]) -> Result<Killed> {
    let child = Command::new("node")
        .args([
            "tools/identity-provider/server.mjs",
            "--port",
            &ISSUER_PORT.to_string(),
            "--keys",
        ])
        .arg(data.join("idp-keys.json"))
        .env("GUICHET_IDP_RESOURCES", resources.join(","))
        .current_dir(paths::root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Error::io("starting", "node", e))?;
    Ok(Killed(child))
}

/// Starts a reference provider with `config`; its messages go to the same path with `.log`.
pub fn provider(binary: &Path, config: &Path) -> Result<Killed> {
    let log_path = config.with_extension("log");
    let log = std::fs::File::create(&log_path).map_err(|e| Error::io("creating", &log_path, e))?;
    let child = Command::new(binary)
        .arg("--config")
        .arg(config)
        .arg("serve")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| Error::io("starting", binary, e))?;
    Ok(Killed(child))
}

/// Runs `binary --config config command` to its end (`migrate`, say).
pub fn run_provider(binary: &Path, config: &Path, command: &str) -> Result<()> {
    cmd::run(
        Command::new(binary)
            .arg("--config")
            .arg(config)
            .arg(command)
            .env("RUST_LOG", "warn"),
        "read the provider's message above",
    )
}

/// Refuses to start when something already answers on `port` (a running demo, say).
pub fn port_free(port: u16) -> Result<()> {
    if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
        return Err(Error::Inconsistent {
            what: format!("127.0.0.1:{port} is already in use"),
            fix: "stop the demo (or whatever listens there) before running this benchmark".into(),
        });
    }
    Ok(())
}

/// Waits (at most 10 s) until `url` answers 200.
pub fn wait_ready(url: &str) -> Result<()> {
    for _ in 0..100 {
        if crate::stack::http_status(url) == Some(200) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(Error::Inconsistent {
        what: format!("{url} did not answer"),
        fix: "read the process's log next to its configuration (target/bench/…/*.log)".into(),
    })
}

/// `count` demandes of the `encombrants` form for the demo citizen Camille Martin, ids prefixed
/// with `prefix`, in a mix of states.
pub fn seed(prefix: &str, count: usize) -> String {
    // Histories that follow the status model (submitted → in review → accepted, …).
    const HISTORIES: [&str; 4] = [
        r#"[{ bucket = "in_review", label = "En cours d’instruction" }]"#,
        r#"[{ bucket = "in_review", label = "En cours d’instruction" }, { bucket = "accepted", label = "Rendez-vous confirmé" }]"#,
        "[]",
        r#"[{ bucket = "in_review", label = "En cours d’instruction" }, { bucket = "closed", label = "Collecte effectuée" }]"#,
    ];
    let mut out = String::new();
    for i in 0..count {
        let steps = HISTORIES[i % HISTORIES.len()];
        out.push_str(&format!(
            "[[demande]]\nid = \"{prefix}-{i}\"\nsubject = \"demo-camille-martin\"\nform = \"encombrants\"\ndays_ago = {}\nanswers = {{ objets = [\"meubles\"], volume = \"1\", telephone = \"02 61 91 00 00\", courriel = \"bench@example.fr\", adresse = {{ street = \"1 rue A\", postal_code = \"45500\", city = \"Gien\" }} }}\nsteps = {steps}\n\n",
            30 - (i % 30)
        ));
    }
    out
}

/// A reference provider's configuration for a benchmark member; its audience is its own URL,
/// `dpop` is `"required"` (as deployed) or `"allowed"` (bearer tokens, for wrk).
pub fn provider_config(
    member: &str,
    name: &str,
    port: u16,
    data: &Path,
    latency_ms: u64,
    dpop: &str,
) -> String {
    let forms = paths::root().join("demo/forms/encombrants.json");
    let testing = if latency_ms > 0 {
        format!("\n[testing]\nlatency_ms = {latency_ms}\n")
    } else {
        String::new()
    };
    format!(
        "member = \"{member}\"\nname = \"{name}\"\nbind = \"127.0.0.1:{port}\"\ndatabase = \"sqlite://{db}\"\nstorage = \"{files}\"\nforms = [\"{forms}\"]\nseed = \"{seed}\"\nallowed_origins = [\"http://127.0.0.1:8080\"]\n[auth]\nissuer = \"http://127.0.0.1:{ISSUER_PORT}\"\naudience = \"http://127.0.0.1:{port}\"\ndpop = \"{dpop}\"\n{testing}",
        db = data.join(format!("{member}.sqlite")).display(),
        files = data.join(format!("{member}-files")).display(),
        forms = forms.display(),
        seed = data.join(format!("{member}-seed.toml")).display(),
    )
}
