//! Checking and installing the build and test tools, only from package registries.
//!
//! A fresh machine has rustup/cargo, node/npm and apt. Everything else is installed here, pinned:
//! the wasm32 target (rustup), Trunk 0.21.14 (0.22 needs a newer rustc), wasm-bindgen-cli at exactly
//! the version in `Cargo.lock` (the CLI and the library must match byte for byte), the npm packages
//! from `package-lock.json` (which include wasm-opt from binaryen 132 — never Debian's binaryen 108,
//! whose output breaks in the browser), Debian's Chromium for the end-to-end tests and Debian's
//! PostgreSQL for the provider's tests on PostgreSQL.

use crate::cmd;
use crate::error::{Error, Result};
use crate::paths;
use std::path::Path;

pub const TRUNK_VERSION: &str = "0.21.14";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Makes sure everything needed to build the SPA is present.
pub fn ensure_build_tools() -> Result<()> {
    ensure_wasm_target()?;
    ensure_npm_packages()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    Ok(())
}

pub fn ensure_wasm_target() -> Result<()> {
    let root = paths::root();
    let installed = cmd::probe("rustup", &["target", "list", "--installed"]).ok_or_else(|| {
        Error::ToolMissing {
            tool: "rustup",
            fix: "install Rust with rustup: https://rustup.rs".into(),
        }
    })?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("    {WASM_TARGET} target: present");
        return Ok(());
    }
    cmd::run(
        cmd::new("rustup", &root).args(["target", "add", WASM_TARGET]),
        "run `rustup target add wasm32-unknown-unknown`",
    )
}

pub fn ensure_trunk() -> Result<()> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    match cmd::probe("trunk", &["--version"]) {
        Some(found) if found == wanted => {
            println!("    {found}: present");
            return Ok(());
        }
        Some(found) => println!("    found `{found}`, need `{wanted}`: installing"),
        None => println!("    trunk not found: installing {wanted} (takes ~8 minutes once)"),
    }
    cmd::run(
        cmd::new("cargo", &paths::root()).args([
            "install",
            &format!("trunk@{TRUNK_VERSION}"),
            "--locked",
        ]),
        &format!("run `cargo install trunk@{TRUNK_VERSION} --locked`"),
    )
}

/// The wasm-bindgen version the SPA is compiled against, read from `Cargo.lock`.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock_path = paths::root().join("Cargo.lock");
    let lock =
        std::fs::read_to_string(&lock_path).map_err(|e| Error::io("reading", &lock_path, e))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(version) = lines
                .next()
                .and_then(|v| v.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
        {
            return Ok(version.to_owned());
        }
    }
    Err(Error::Inconsistent {
        what: "Cargo.lock has no wasm-bindgen package".into(),
        fix: "run `cargo generate-lockfile` at the repository root".into(),
    })
}

pub fn ensure_wasm_bindgen() -> Result<()> {
    let version = locked_wasm_bindgen_version()?;
    let wanted = format!("wasm-bindgen {version}");
    match cmd::probe("wasm-bindgen", &["--version"]) {
        Some(found) if found == wanted => {
            println!("    {found}: present");
            return Ok(());
        }
        Some(found) => println!("    found `{found}`, Cargo.lock needs `{wanted}`: installing"),
        None => println!("    wasm-bindgen not found: installing {wanted} (takes ~2 minutes once)"),
    }
    // Not `--locked`: the CLI's own lock file pins a webpki-roots release that the registry no
    // longer serves (measured; see docs/development.md).
    cmd::run(
        cmd::new("cargo", &paths::root()).args(["install", &format!("wasm-bindgen-cli@{version}")]),
        &format!("run `cargo install wasm-bindgen-cli@{version}`"),
    )
}

/// Installs the npm packages from `package-lock.json` when `node_modules` is absent or older than
/// the lock file. Browsers are never downloaded: tests use Debian's Chromium.
pub fn ensure_npm_packages() -> Result<()> {
    let root = paths::root();
    if cmd::probe("npm", &["--version"]).is_none() {
        return Err(Error::ToolMissing {
            tool: "npm",
            fix: "install Node.js 20 and npm (e.g. `apt-get install -y nodejs npm`)".into(),
        });
    }
    let lock = root.join("package-lock.json");
    let installed = root.join("node_modules").join(".package-lock.json");
    if is_up_to_date(&installed, &lock) {
        println!("    node_modules: up to date with package-lock.json");
        return Ok(());
    }
    cmd::run(
        cmd::new("npm", &root)
            .args(["ci", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
        "run `npm ci` at the repository root",
    )
}

/// Debian's Chromium (and its driver, used by wasm-bindgen-test), installed with apt when we can.
pub fn ensure_chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() {
        let version = cmd::probe(CHROMIUM, &["--version"]).unwrap_or_default();
        println!("    {version}: present");
        return Ok(());
    }
    apt_install("chromium", &["chromium", "chromium-driver"])
}

/// Debian's PostgreSQL server binaries (the provider's tests run against a throwaway cluster, see
/// `postgres.rs`); no service is started by xtask, only its own cluster.
pub fn ensure_postgresql() -> Result<()> {
    if let Some(bin) = crate::postgres::bin_dir() {
        println!("    PostgreSQL: present ({})", bin.display());
        return Ok(());
    }
    apt_install("postgresql", &["postgresql"])
}

/// `apt-get update && apt-get install -y packages` when running as root; otherwise says how.
fn apt_install(tool: &'static str, packages: &[&str]) -> Result<()> {
    let fix = format!(
        "run `sudo apt-get update && sudo apt-get install -y {}`",
        packages.join(" ")
    );
    let is_root = cmd::probe("id", &["-u"]).is_some_and(|uid| uid == "0");
    if !is_root {
        return Err(Error::ToolMissing { tool, fix });
    }
    let root = paths::root();
    cmd::run(cmd::new("apt-get", &root).args(["update", "-q"]), &fix)?;
    cmd::run(
        cmd::new("apt-get", &root)
            .args(["install", "-y", "-q"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
        &fix,
    )
}

/// `true` when `derived` exists and is at least as new as `source`.
pub fn is_up_to_date(derived: &Path, source: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(derived), modified(source)) {
        (Some(d), Some(s)) => d >= s,
        _ => false,
    }
}
