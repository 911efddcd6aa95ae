//! The demo federation as processes: the identity provider and one reference provider per member.
//!
//! Provider configurations come from `demo/providers/<member>/provider.toml`; the stack rewrites
//! their data paths into a data folder of its own (`target/demo` for `cargo xtask demo`, kept
//! across restarts; `target/e2e/data` for tests, emptied first), so tests never touch demo data.
//! `stack.json` in the data folder lists every process (pid, command line), so an end-to-end test
//! can stop a provider and start it again.

use crate::cmd;
use crate::error::{Error, Result};
use crate::paths;
use serde::Serialize;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const ISSUER_PORT: u16 = 8090;

/// One running process of the stack.
struct Running {
    name: String,
    url: String,
    child: Child,
    program: String,
    args: Vec<String>,
}

#[derive(Serialize)]
struct Described<'a> {
    name: &'a str,
    url: &'a str,
    pid: u32,
    program: &'a str,
    args: &'a [String],
    cwd: String,
}

/// The running stack; dropping it stops every process.
pub struct Stack {
    running: Vec<Running>,
    pub data: PathBuf,
}

pub struct Options {
    /// Where databases, files and keys live.
    pub data: PathBuf,
    /// Empty `data` first (tests).
    pub fresh: bool,
}

impl Stack {
    pub fn start(options: &Options) -> Result<Stack> {
        let root = paths::root();
        if options.fresh && options.data.exists() {
            std::fs::remove_dir_all(&options.data)
                .map_err(|e| Error::io("emptying", &options.data, e))?;
        }
        std::fs::create_dir_all(options.data.join("config"))
            .map_err(|e| Error::io("creating", &options.data, e))?;
        cmd::run(
            cmd::new("cargo", &root).args(["build", "-q", "--locked", "-p", "provider"]),
            "fix the build error above",
        )?;
        let provider_bin = paths::cargo_target_dir()
            .join("debug")
            .join("guichet-provider");
        let mut stack = Stack {
            running: Vec::new(),
            data: options.data.clone(),
        };

        let keys = options.data.join("idp-keys.json");
        let configs = provider_configs(&options.data)?;
        // The identity provider mints tokens only for the providers' own resource indicators.
        let mut resources = configs
            .iter()
            .map(|(_, config)| read_audience(config))
            .collect::<Result<Vec<_>>>()?;
        if options.fresh {
            resources.extend(hostile_member_apis()?);
        }
        stack.spawn(
            "identity provider",
            &format!("http://127.0.0.1:{ISSUER_PORT}"),
            "node",
            vec![
                "tools/identity-provider/server.mjs".into(),
                "--port".into(),
                ISSUER_PORT.to_string(),
                "--keys".into(),
                keys.display().to_string(),
            ],
            &[("GUICHET_IDP_RESOURCES", resources.join(","))],
            &options.data.join("identity-provider.log"),
        )?;
        for (member, config) in configs {
            let bind = read_bind(&config)?;
            stack.spawn(
                &format!("provider {member}"),
                &format!("http://{bind}"),
                &provider_bin.display().to_string(),
                vec![
                    "--config".into(),
                    config.display().to_string(),
                    "serve".into(),
                ],
                &[],
                &options.data.join(format!("{member}.log")),
            )?;
        }
        for running in &stack.running {
            wait_healthy(&running.url, &running.name)?;
        }
        stack.describe()?;
        Ok(stack)
    }

    fn spawn(
        &mut self,
        name: &str,
        url: &str,
        program: &str,
        args: Vec<String>,
        env: &[(&str, String)],
        log: &Path,
    ) -> Result<()> {
        let log_file = std::fs::File::create(log).map_err(|e| Error::io("creating", log, e))?;
        let err_file = log_file
            .try_clone()
            .map_err(|e| Error::io("opening", log, e))?;
        let child = Command::new(program)
            .args(&args)
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .current_dir(paths::root())
            .stdin(Stdio::null())
            .stdout(log_file)
            .stderr(err_file)
            .spawn()
            .map_err(|e| Error::CommandFailed {
                command: format!("{program} {}", args.join(" ")),
                status: e.to_string(),
                fix: "install Node.js 20 and run `npm ci`".into(),
            })?;
        self.running.push(Running {
            name: name.to_owned(),
            url: url.to_owned(),
            child,
            program: program.to_owned(),
            args,
        });
        Ok(())
    }

    fn describe(&self) -> Result<()> {
        let cwd = paths::root().display().to_string();
        let described: Vec<Described<'_>> = self
            .running
            .iter()
            .map(|r| Described {
                name: &r.name,
                url: &r.url,
                pid: r.child.id(),
                program: &r.program,
                args: &r.args,
                cwd: cwd.clone(),
            })
            .collect();
        let path = self.data.join("stack.json");
        let json = serde_json::to_string_pretty(&described).unwrap_or_default();
        std::fs::write(&path, json).map_err(|e| Error::io("writing", &path, e))
    }

    /// `(name, url)` of every process, for printing.
    pub fn urls(&self) -> Vec<(String, String)> {
        self.running
            .iter()
            .map(|r| (r.name.clone(), r.url.clone()))
            .collect()
    }

    /// URLs of the providers only.
    pub fn provider_urls(&self) -> Vec<String> {
        self.running
            .iter()
            .filter(|r| r.name.starts_with("provider "))
            .map(|r| r.url.clone())
            .collect()
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        for r in &mut self.running {
            let _ = r.child.kill();
            let _ = r.child.wait();
        }
        // End-to-end tests may restart a provider they stopped; they record its new pid in
        // stack.json, so stop whatever is listed there too.
        let path = self.data.join("stack.json");
        let listed: Vec<serde_json::Value> = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        for pid in listed.iter().filter_map(|p| p["pid"].as_u64()) {
            let _ = Command::new("kill")
                .arg(pid.to_string())
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// Writes one configuration per demo provider into `data/config/`, with data paths inside `data`.
fn provider_configs(data: &Path) -> Result<Vec<(String, PathBuf)>> {
    let dir = paths::root().join("demo").join("providers");
    let mut members: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| Error::io("listing", &dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("provider.toml").exists())
        .collect();
    members.sort();
    let mut out = Vec::new();
    for folder in members {
        let source = folder.join("provider.toml");
        let text =
            std::fs::read_to_string(&source).map_err(|e| Error::io("reading", &source, e))?;
        let mut table: toml::Table = toml::from_str(&text).map_err(|e| Error::Inconsistent {
            what: format!("{}: {e}", source.display()),
            fix: "fix the demo provider configuration".into(),
        })?;
        let member = table
            .get("member")
            .and_then(|m| m.as_str())
            .unwrap_or_default()
            .to_owned();
        let absolute = |value: &toml::Value| {
            value
                .as_str()
                .map(|p| toml::Value::String(folder.join(p).display().to_string()))
        };
        table.insert(
            "database".into(),
            toml::Value::String(format!(
                "sqlite://{}",
                data.join(format!("{member}.sqlite")).display()
            )),
        );
        table.insert(
            "storage".into(),
            toml::Value::String(data.join(format!("{member}-files")).display().to_string()),
        );
        if let Some(seed) = table.get("seed").and_then(absolute) {
            table.insert("seed".into(), seed);
        }
        if let Some(forms) = table
            .get("forms")
            .and_then(|f| f.as_array())
            .map(|a| a.iter().filter_map(absolute).collect::<Vec<_>>())
        {
            table.insert("forms".into(), toml::Value::Array(forms));
        }
        let target = data.join("config").join(format!("{member}.toml"));
        std::fs::write(&target, toml::to_string(&table).unwrap_or_default())
            .map_err(|e| Error::io("writing", &target, e))?;
        out.push((member, target));
    }
    Ok(out)
}

/// `[auth] audience` of a provider configuration: the resource its tokens must be issued for.
/// The APIs of the hostile-member suite's members (`tests/e2e/hostile/members.toml`): test stacks'
/// identity provider mints tokens for them too, so the suite reaches the point where their answers
/// misbehave.
fn hostile_member_apis() -> Result<Vec<String>> {
    let file = paths::root().join("tests/e2e/hostile/members.toml");
    let text = std::fs::read_to_string(&file).map_err(|e| Error::io("reading", &file, e))?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| Error::Inconsistent {
        what: format!("{} is not valid TOML: {e}", file.display()),
        fix: "fix the file (it is appended to the demo catalogue by the hostile suite)".into(),
    })?;
    Ok(table
        .get("member")
        .and_then(|m| m.as_array())
        .into_iter()
        .flatten()
        .filter_map(|m| m.get("api").and_then(|a| a.as_str()))
        .map(str::to_owned)
        .collect())
}

fn read_audience(config: &Path) -> Result<String> {
    let text = std::fs::read_to_string(config).map_err(|e| Error::io("reading", config, e))?;
    let table: toml::Table = toml::from_str(&text).unwrap_or_default();
    table
        .get("auth")
        .and_then(|a| a.get("audience"))
        .and_then(|a| a.as_str())
        .map(str::to_owned)
        .ok_or_else(|| Error::Inconsistent {
            what: format!("{} has no [auth] audience", config.display()),
            fix: "set it to the provider's API base URL, as services.toml declares it".into(),
        })
}

fn read_bind(config: &Path) -> Result<String> {
    let text = std::fs::read_to_string(config).map_err(|e| Error::io("reading", config, e))?;
    let table: toml::Table = toml::from_str(&text).unwrap_or_default();
    Ok(table
        .get("bind")
        .and_then(|b| b.as_str())
        .unwrap_or("127.0.0.1:0")
        .to_owned())
}

/// A plain HTTP GET on loopback: the status code, or `None`.
pub fn http_status(url: &str) -> Option<u16> {
    let rest = url.strip_prefix("http://")?;
    let (host, path) = match rest.split_once('/') {
        Some((h, p)) => (h, format!("/{p}")),
        None => (rest, "/".to_owned()),
    };
    let mut stream = TcpStream::connect(host).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

/// Waits until `url/healthz` answers 200 (30 s at most).
fn wait_healthy(url: &str, name: &str) -> Result<()> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if http_status(&format!("{url}/healthz")) == Some(200) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    Err(Error::Inconsistent {
        what: format!("{name} did not start at {url}"),
        fix: "read its log in the stack's data folder (target/demo or target/e2e/data)".into(),
    })
}
