//! `cargo xtask bench provider`: how many "list my demandes" requests a reference provider
//! answers per second on this machine, and how fast, with SQLite.
//!
//! A release build of the provider serves a citizen with 20 demandes; the real identity provider
//! issues the token; `wrk` (Debian package, installed if missing) loads loopback for a fixed
//! duration with a bounded number of connections — once for full answers, once for the polling
//! case (`If-None-Match`, answered `304`). Results go to `target/bench/provider.json`.

use crate::bench_support;
use crate::cmd;
use crate::error::{Error, Result};
use crate::paths;
use crate::stack::ISSUER_PORT;
use std::process::Command;

const PORT: u16 = 8199;
const DURATION: &str = "10s";
const CONNECTIONS: &str = "32";

pub fn ensure_wrk() -> Result<()> {
    if cmd::probe("wrk", &["--version"]).is_some() || std::path::Path::new("/usr/bin/wrk").exists()
    {
        return Ok(());
    }
    cmd::run(
        cmd::new("apt-get", &paths::root()).args(["install", "-y", "-q", "wrk"]),
        "run `sudo apt-get install -y wrk`",
    )
}

/// Runs the benchmark and prints (and saves) requests/s and latency percentiles.
pub fn run() -> Result<()> {
    ensure_wrk()?;
    let provider_bin = bench_support::release_provider()?;
    let data = paths::artifacts().join("bench").join("provider");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).map_err(|e| Error::io("creating", &data, e))?;
    std::fs::write(
        data.join("bench-seed.toml"),
        bench_support::seed("bench", 20),
    )
    .map_err(|e| Error::io("writing", &data, e))?;
    let config = data.join("provider.toml");
    std::fs::write(
        &config,
        bench_support::provider_config("bench", "Bench", PORT, &data, 0, "allowed"),
    )
    .map_err(|e| Error::io("writing", &config, e))?;
    let resource = format!("http://127.0.0.1:{PORT}");
    let _idp = bench_support::identity_provider(&data, std::slice::from_ref(&resource))?;
    let _provider = bench_support::provider(&provider_bin, &config)?;
    bench_support::wait_ready(&format!("http://127.0.0.1:{ISSUER_PORT}/healthz"))?;
    bench_support::wait_ready(&format!("http://127.0.0.1:{PORT}/healthz"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting", "runtime", e))?;
    // wrk cannot sign a DPoP proof per request: the benchmark client gets a bearer token for this
    // provider (configured `dpop = "allowed"`), so proof verification is not in these figures.
    let issuer = format!("http://127.0.0.1:{ISSUER_PORT}");
    let sign_in = conformance::token::SignIn {
        issuer: &issuer,
        client_id: "guichet-banc",
        redirect_uri: "http://127.0.0.1:8080/connexion/retour",
        login: "camille.martin",
        password: "demo",
        dpop: false,
    };
    let token = runtime
        .block_on(conformance::token::obtain(&sign_in, &[resource.as_str()]))
        .map_err(|e| Error::Failed(format!("cannot obtain a token: {e}")))?
        .per_resource
        .into_iter()
        .next()
        .map(|c| c.access_token)
        .ok_or_else(|| Error::Failed("the identity provider gave no token".into()))?;
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
        let mut args = vec!["-H".to_owned(), format!("Authorization: Bearer {token}")];
        if let Some(etag) = &extra {
            args.extend(["-H".to_owned(), format!("If-None-Match: {etag}")]);
        }
        results.push(wrk(case, CONNECTIONS, &args, &url)?.json());
    }
    save("provider.json", &results)
}

/// Writes `results` to `target/bench/<name>` and says where.
pub fn save(name: &str, results: &[serde_json::Value]) -> Result<()> {
    let out = paths::artifacts().join("bench").join(name);
    std::fs::write(
        &out,
        serde_json::to_string_pretty(results).unwrap_or_default(),
    )
    .map_err(|e| Error::io("writing", &out, e))?;
    println!("    results saved to {}", out.display());
    Ok(())
}

/// What one wrk run measured.
pub struct Measured {
    pub case: String,
    pub requests_per_second: f64,
    pub p50: String,
    pub p99: String,
    /// The 99th percentile in milliseconds (`None` if wrk printed none).
    pub p99_ms: Option<f64>,
    /// Answers that were neither 2xx nor 3xx.
    pub errors: u64,
}

impl Measured {
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({ "case": self.case, "requests_per_second": self.requests_per_second, "p50": self.p50, "p99": self.p99, "errors": self.errors })
    }
}

/// One bounded wrk run on loopback: 2 threads, `connections` connections, [`DURATION`], latency
/// percentiles; `args` adds headers (`-H …`) or a Lua script (`-s …`).
pub fn wrk(case: &str, connections: &str, args: &[String], url: &str) -> Result<Measured> {
    let mut wrk = Command::new("wrk");
    wrk.args(["-t2", "-c", connections, "-d", DURATION, "--latency"])
        .args(args)
        .arg(url);
    println!("    $ wrk -t2 -c{connections} -d{DURATION} --latency … {url} ({case})");
    let output = wrk.output().map_err(|e| Error::io("running", "wrk", e))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let find = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_owned()))
            .unwrap_or_default()
    };
    let measured = Measured {
        case: case.to_owned(),
        requests_per_second: find("Requests/sec:").parse().unwrap_or(0.0),
        p50: find("50%"),
        p99: find("99%"),
        p99_ms: milliseconds(&find("99%")),
        errors: find("Non-2xx or 3xx responses:").parse().unwrap_or(0),
    };
    println!(
        "      {case}: {:.0} req/s, p50 {}, p99 {}, {} non-2xx/3xx",
        measured.requests_per_second, measured.p50, measured.p99, measured.errors
    );
    if measured.requests_per_second == 0.0 {
        return Err(Error::Failed(format!(
            "wrk measured nothing for {case}: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    Ok(measured)
}

/// wrk's durations (`850.00us`, `8.30ms`, `1.02s`) in milliseconds.
fn milliseconds(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    match unit {
        "us" => Some(number / 1000.0),
        "ms" => Some(number),
        "s" => Some(number * 1000.0),
        "m" => Some(number * 60_000.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrk_durations_read_as_milliseconds() {
        assert_eq!(super::milliseconds("850.00us"), Some(0.85));
        assert_eq!(super::milliseconds("8.30ms"), Some(8.3));
        assert_eq!(super::milliseconds("1.02s"), Some(1020.0));
        assert_eq!(super::milliseconds(""), None);
    }
}
