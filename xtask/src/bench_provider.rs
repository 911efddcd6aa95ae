//! `cargo xtask bench provider`: how many "list my demandes" requests a reference provider
//! answers per second on this machine, and how fast, with SQLite.
//!
//! A release build of the provider serves a citizen with 20 demandes; the real identity provider
//! issues the token; `wrk` (Debian package, installed if missing) loads loopback for a fixed
//! duration with a bounded number of connections — once for full answers, once for the polling
//! case (`If-None-Match`, answered `304`). Results go to `target/bench/provider.json`.

use crate::cmd;
use crate::error::{Error, Result};
use crate::paths;
use crate::stack::ISSUER_PORT;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const PORT: u16 = 8199;
const DURATION: &str = "10s";
const CONNECTIONS: &str = "32";

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn ensure_wrk() -> Result<()> {
    if cmd::probe("wrk", &["--version"]).is_some() || std::path::Path::new("/usr/bin/wrk").exists()
    {
        return Ok(());
    }
    cmd::run(
        cmd::new("apt-get", &paths::root()).args(["install", "-y", "-q", "wrk"]),
        "run `sudo apt-get install -y wrk`",
    )
}

fn seed(count: usize) -> String {
    let mut out = String::new();
    for i in 0..count {
        out.push_str(&format!(
            "[[demande]]\nid = \"bench-{i}\"\nsubject = \"demo-camille-martin\"\nform = \"encombrants\"\ndays_ago = {}\nanswers = {{ objets = [\"meubles\"], volume = \"1\", telephone = \"02 61 91 00 00\", courriel = \"bench@example.fr\", adresse = {{ street = \"1 rue A\", postal_code = \"45500\", city = \"Gien\" }} }}\nsteps = [{{ bucket = \"in_review\", label = \"En cours\" }}]\n\n",
            30 - (i % 30)
        ));
    }
    out
}

/// Runs the benchmark and prints (and saves) requests/s and latency percentiles.
pub fn run() -> Result<()> {
    let root = paths::root();
    ensure_wrk()?;
    cmd::run(
        cmd::new("cargo", &root).args(["build", "-q", "--release", "--locked", "-p", "provider"]),
        "fix the build error above",
    )?;
    let data = paths::artifacts().join("bench");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).map_err(|e| Error::io("creating", &data, e))?;
    std::fs::write(data.join("seed.toml"), seed(20)).map_err(|e| Error::io("writing", &data, e))?;
    let config = data.join("provider.toml");
    let forms = root.join("demo/forms/encombrants.json");
    std::fs::write(
        &config,
        format!(
            "member = \"bench\"\nname = \"Bench\"\nbind = \"127.0.0.1:{PORT}\"\ndatabase = \"sqlite://{db}\"\nstorage = \"{files}\"\nforms = [\"{forms}\"]\nseed = \"seed.toml\"\nallowed_origins = [\"http://127.0.0.1:8080\"]\n[auth]\nissuer = \"http://127.0.0.1:{ISSUER_PORT}\"\naudience = \"urn:guichet:providers\"\n",
            db = data.join("bench.sqlite").display(),
            files = data.join("files").display(),
            forms = forms.display(),
        ),
    )
    .map_err(|e| Error::io("writing", &config, e))?;
    let quiet = || Stdio::null();
    let _idp = Killed(
        Command::new("node")
            .args([
                "tools/identity-provider/server.mjs",
                "--port",
                &ISSUER_PORT.to_string(),
                "--keys",
            ])
            .arg(data.join("idp-keys.json"))
            .current_dir(&root)
            .stdout(quiet())
            .stderr(quiet())
            .spawn()
            .map_err(|e| Error::io("starting", "node", e))?,
    );
    let provider_bin = paths::cargo_target_dir()
        .join("release")
        .join("guichet-provider");
    let _provider = Killed(
        Command::new(&provider_bin)
            .args(["--config"])
            .arg(&config)
            .arg("serve")
            .env("RUST_LOG", "warn")
            .stdout(quiet())
            .stderr(quiet())
            .spawn()
            .map_err(|e| Error::io("starting", &provider_bin, e))?,
    );
    for url in [
        format!("http://127.0.0.1:{ISSUER_PORT}/healthz"),
        format!("http://127.0.0.1:{PORT}/healthz"),
    ] {
        let mut ready = false;
        for _ in 0..100 {
            if crate::stack::http_status(&url) == Some(200) {
                ready = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        if !ready {
            return Err(Error::Inconsistent {
                what: format!("{url} did not answer"),
                fix: "run `cargo xtask demo` once to see the processes' errors".into(),
            });
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting", "runtime", e))?;
    let token = runtime
        .block_on(conformance::token::obtain(
            &format!("http://127.0.0.1:{ISSUER_PORT}"),
            "guichet-portal",
            "http://127.0.0.1:8080/connexion/retour",
            "camille.martin",
            "demo",
        ))
        .map_err(|e| Error::Failed(format!("cannot obtain a token: {e}")))?;
    let url = format!("http://127.0.0.1:{PORT}/v1/demandes");
    let etag = runtime.block_on(async {
        reqwest::Client::new()
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .ok()
            .and_then(|r| {
                r.headers()
                    .get("etag")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            })
    });
    let mut results = Vec::new();
    for (case, extra) in [
        ("full list (20 demandes, 200)", None),
        ("polling, unchanged (304)", etag.clone()),
    ] {
        let mut wrk = Command::new("wrk");
        wrk.args(["-t2", "-c", CONNECTIONS, "-d", DURATION, "--latency", "-H"])
            .arg(format!("Authorization: Bearer {token}"));
        if let Some(etag) = &extra {
            wrk.arg("-H").arg(format!("If-None-Match: {etag}"));
        }
        wrk.arg(&url);
        println!("    $ wrk -t2 -c{CONNECTIONS} -d{DURATION} --latency … {url} ({case})");
        let output = wrk.output().map_err(|e| Error::io("running", "wrk", e))?;
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let find = |prefix: &str| {
            text.lines()
                .find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_owned()))
                .unwrap_or_default()
        };
        let rps = find("Requests/sec:");
        let (p50, p99) = (find("50%"), find("99%"));
        let non_2xx = find("Non-2xx or 3xx responses:");
        println!(
            "      {case}: {rps} req/s, p50 {p50}, p99 {p99}{}",
            if non_2xx.is_empty() {
                String::new()
            } else {
                format!(", {non_2xx} non-2xx/3xx")
            }
        );
        results.push(serde_json::json!({ "case": case, "requests_per_second": rps, "p50": p50, "p99": p99, "errors": non_2xx }));
    }
    let out = data.join("provider.json");
    std::fs::write(
        &out,
        serde_json::to_string_pretty(&results).unwrap_or_default(),
    )
    .map_err(|e| Error::io("writing", &out, e))?;
    println!("    results saved to {}", out.display());
    Ok(())
}
