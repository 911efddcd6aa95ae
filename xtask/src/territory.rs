//! Generating the territory index (`public/data/territory.idx`) from the official COG data.
//!
//! The data comes from the npm package `@etalab/decoupage-administratif` pinned in
//! `package-lock.json`; the conversion itself is the catalogue crate's (`catalogue build-territory`),
//! so the SPA, the CLI and the tests all read an index produced by the same code.

use crate::cmd;
use crate::error::{Error, Result};
use crate::paths;
use crate::tools;

pub fn generate() -> Result<()> {
    let source = paths::cog_data();
    if !source.join("communes.json").exists() {
        tools::ensure_npm_packages()?;
    }
    if !source.join("communes.json").exists() {
        return Err(Error::ToolMissing {
            tool: "@etalab/decoupage-administratif",
            fix: "run `npm ci` at the repository root".into(),
        });
    }
    let out = paths::territory_index();
    if tools::is_up_to_date(&out, &source.join("communes.json"))
        && tools::is_up_to_date(&out, &paths::root().join("crates/catalogue/src/territory"))
    {
        println!("    {} is up to date", out.display());
        return Ok(());
    }
    let root = paths::root();
    cmd::run(
        cmd::new("cargo", &root)
            .args([
                "run",
                "-q",
                "--locked",
                "-p",
                "catalogue",
                "--",
                "build-territory",
            ])
            .arg(&source)
            .arg(&out),
        "run `npm ci`, then `cargo xtask territory` again",
    )
}
