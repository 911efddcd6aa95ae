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
    // Always regenerated (under a second): the index format follows the catalogue crate's code.
    let out = paths::territory_index();
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
