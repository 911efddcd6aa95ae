//! `cargo xtask bench dashboard`: "Mes démarches" fed by 20 providers at once.
//!
//! Twenty members of a benchmark federation, each a real commune of the Loiret (from the territory
//! index): 19 reference providers (release build, SQLite) answer with injected latencies from 0 to
//! 800 ms and about 500 demandes in total; the 20th is a TCP listener that accepts connections and
//! never answers. The portal is served on 127.0.0.1:8080 with a catalogue of those members, the
//! demo identity provider signs the citizen in, and `tests/bench/dashboard.mjs` measures in
//! Chromium. Everything listens on 127.0.0.1 and stops when the benchmark ends.

use crate::bench_support::{self, Killed};
use crate::e2e::PortalServer;
use crate::error::{Error, Result};
use crate::paths;
use crate::stack::ISSUER_PORT;
use crate::tools;
use serde::Serialize;
use std::fmt::Write as _;

const PORTAL_PORT: u16 = 8080;
const FIRST_PORT: u16 = 8201;
const MEMBERS: usize = 20;
const TOTAL_DEMANDES: usize = 500;

#[derive(Serialize)]
struct BenchMember {
    member: String,
    name: String,
    code: String,
    api: String,
    port: u16,
    latency_ms: u64,
    dead: bool,
    demandes: usize,
}

/// The first `MEMBERS` communes of the Loiret in the territory index: (INSEE code, name).
fn loiret_communes() -> Result<Vec<(String, String)>> {
    let index = paths::territory_index();
    let text = std::fs::read_to_string(&index).map_err(|e| Error::io("reading", &index, e))?;
    let territory = catalogue::Territory::from_index(&text).map_err(|e| Error::Inconsistent {
        what: format!("{}: {e}", index.display()),
        fix: "run `cargo xtask territory`".into(),
    })?;
    let communes: Vec<(String, String)> = territory
        .communes
        .iter()
        .filter(|c| c.code.starts_with("45"))
        .map(|c| (c.code.clone(), c.name.clone()))
        .take(MEMBERS)
        .collect();
    if communes.len() < MEMBERS {
        return Err(Error::Inconsistent {
            what: format!("{} has too few communes of the Loiret", index.display()),
            fix: "run `cargo xtask territory`".into(),
        });
    }
    Ok(communes)
}

/// Who answers how fast: four without delay, then 50 → 800 ms; the last one never answers.
fn members() -> Result<Vec<BenchMember>> {
    let answering = MEMBERS - 1;
    let per_member = TOTAL_DEMANDES / answering;
    let extra = TOTAL_DEMANDES % answering;
    let slowed = answering - 4;
    loiret_communes().map(|communes| {
        communes
            .into_iter()
            .enumerate()
            .map(|(i, (code, name))| {
                let port = FIRST_PORT + u16::try_from(i).unwrap_or(0);
                let dead = i == MEMBERS - 1;
                let latency_ms = match i {
                    _ if dead => 0,
                    0..4 => 0,
                    _ => 50 + ((i - 4) * 750 / (slowed - 1)) as u64,
                };
                BenchMember {
                    member: format!("bench-{code}"),
                    name: format!("Commune de {name}"),
                    code,
                    api: format!("http://127.0.0.1:{port}"),
                    port,
                    latency_ms,
                    dead,
                    demandes: if dead {
                        0
                    } else {
                        per_member + usize::from(i < extra)
                    },
                }
            })
            .collect()
    })
}

/// The benchmark federation's root catalogue: every member and one online service each.
fn catalogue(members: &[BenchMember]) -> String {
    let mut out = format!(
        "# Benchmark federation written by `cargo xtask bench dashboard`.\n[federation]\nname = \"Guichet — banc d’essai\"\ndemo = true\n\n[federation.identity]\nissuer = \"http://127.0.0.1:{ISSUER_PORT}\"\nclient_id = \"guichet-portal\"\n"
    );
    for m in members {
        let _ = write!(
            out,
            "\n[[member]]\nid = \"{id}\"\nkind = \"commune\"\ncode = \"{code}\"\nname = \"{name}\"\napi = \"{api}\"\n\n[[service]]\nid = \"{id}/encombrants\"\ntitle = \"Faire enlever mes encombrants\"\nsummary = \"Collecte des objets volumineux sur rendez-vous.\"\ncategory = \"dechets\"\n\n[service.channels.online]\nform = \"encombrants\"\n",
            id = m.member,
            code = m.code,
            name = m.name,
            api = m.api,
        );
    }
    out
}

pub fn run() -> Result<()> {
    tools::ensure_chromium()?;
    bench_support::port_free(PORTAL_PORT)?;
    bench_support::port_free(ISSUER_PORT)?;
    let provider_bin = bench_support::release_provider()?;
    let data = paths::artifacts().join("bench").join("dashboard");
    let _ = std::fs::remove_dir_all(&data);
    let site = data.join("site");
    std::fs::create_dir_all(&site).map_err(|e| Error::io("creating", &site, e))?;
    let members = members()?;
    let write = |path: std::path::PathBuf, text: String| {
        std::fs::write(&path, text).map_err(|e| Error::io("writing", &path, e))
    };
    write(site.join("services.toml"), catalogue(&members))?;

    let resources: Vec<String> = members.iter().map(|m| m.api.clone()).collect();
    let _idp = bench_support::identity_provider(&data, &resources)?;
    let mut running: Vec<Killed> = Vec::new();
    // Accepts connections (the kernel completes the handshake) and never answers.
    let mut dead_listeners = Vec::new();
    for m in &members {
        bench_support::port_free(m.port)?;
        if m.dead {
            let listener = std::net::TcpListener::bind(("127.0.0.1", m.port))
                .map_err(|e| Error::io("listening on", m.api.as_str(), e))?;
            dead_listeners.push(listener);
            continue;
        }
        write(
            data.join(format!("{}-seed.toml", m.member)),
            bench_support::seed(&m.member, m.demandes),
        )?;
        let config = data.join(format!("{}.toml", m.member));
        write(
            config.clone(),
            bench_support::provider_config(
                &m.member,
                &m.name,
                m.port,
                &data,
                m.latency_ms,
                "required",
            ),
        )?;
        running.push(bench_support::provider(&provider_bin, &config)?);
    }
    bench_support::wait_ready(&format!("http://127.0.0.1:{ISSUER_PORT}/healthz"))?;
    for m in members.iter().filter(|m| !m.dead) {
        bench_support::wait_ready(&format!("{}/healthz", m.api))?;
    }
    let portal = PortalServer::start_with(PORTAL_PORT, Some(site))?;
    println!(
        "    portal {} with {} providers ({} never answers)",
        portal.url(),
        members.len(),
        dead_listeners.len()
    );
    let described =
        serde_json::to_string(&members).map_err(|e| Error::Failed(format!("members: {e}")))?;
    let root = paths::root();
    crate::cmd::run(
        crate::cmd::new("node", &root)
            .arg("tests/bench/dashboard.mjs")
            .env("GUICHET_BASE_URL", portal.url())
            .env("GUICHET_BENCH_MEMBERS", described)
            .env("GUICHET_BENCH_OUT", paths::artifacts().join("bench"))
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
        "read the benchmark's error above",
    )?;
    drop(portal);
    drop(running);
    Ok(())
}
