//! The release build of the SPA — the one citizens get, CI tests and `cargo xtask demo` serves —
//! and what a citizen downloads.
//!
//! Code splitting needs a post-link step no Trunk release runs, so xtask builds `dist/` itself:
//! the split bundle (`wasm_build.rs`), then `index.html`, styles and files (`site.rs`, which reads
//! the same `index.html` Trunk uses for `trunk serve`), the CSP generated from the catalogue
//! (`csp.rs`). Everything is local: wasm-bindgen at `Cargo.lock`'s version, wasm-opt from npm's
//! binaryen 132. Every text asset is then pre-compressed (brotli and gzip) so the demo server, like
//! a production static host, sends compressed bytes — and so sizes can be reported.

use crate::cmd;
use crate::csp;
use crate::error::{Error, Result};
use crate::paths;
use crate::site;
use crate::tools;
use crate::wasm_build;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Extensions worth compressing (wasm, JS, CSS, HTML, the catalogue and the territory index).
const COMPRESSIBLE: &[&str] = &[
    "wasm", "js", "css", "html", "toml", "idx", "json", "svg", "txt",
];

/// The split release build into `dist/`.
pub fn build_release() -> Result<()> {
    let root = paths::root();
    cmd::run(
        cmd::new("cargo", &root).args(["fetch", "--locked"]),
        "run `cargo fetch --locked` and check the network access to crates.io",
    )?;
    let wasm_bindgen = tools::locked_wasm_bindgen_version()?;
    check_trunk_toml_pins(&wasm_bindgen)?;
    crate::shell::check_texts_match_the_app()?;
    let dist = paths::dist();
    let bundle = wasm_build::build(&dist)?;
    let html = site::assemble(&dist, &bundle)?;
    let catalogue = root.join("services.toml");
    let catalogue =
        std::fs::read_to_string(&catalogue).map_err(|e| Error::io("reading", &catalogue, e))?;
    csp::write(&dist, &csp::sources(&html, &catalogue)?)?;
    write_manifest(&dist, &bundle)?;
    precompress(&dist)?;
    Ok(())
}

/// `dist/chunks.json`: which files each split point needs (read by `cargo xtask bench spa`).
fn write_manifest(dist: &Path, bundle: &wasm_build::Bundle) -> Result<()> {
    let manifest = serde_json::json!({
        "main": { "js": bundle.main_js, "wasm": bundle.main_wasm, "loader": bundle.loader_js },
        "splits": bundle.splits,
    });
    let path = dist.join("chunks.json");
    let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    std::fs::write(&path, text).map_err(|e| Error::io("writing", &path, e))
}

/// `Trunk.toml` pins tool versions for people running `trunk serve` by hand; keep it honest.
fn check_trunk_toml_pins(wasm_bindgen: &str) -> Result<()> {
    let path = paths::root().join("Trunk.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io("reading", &path, e))?;
    let expected = format!("wasm_bindgen = \"{wasm_bindgen}\"");
    if text.contains(&expected) {
        Ok(())
    } else {
        Err(Error::Inconsistent {
            what: format!(
                "Trunk.toml does not pin wasm-bindgen {wasm_bindgen} (Cargo.lock's version)"
            ),
            fix: format!("set `{expected}` under [tools] in Trunk.toml"),
        })
    }
}

/// Writes `<file>.br` and `<file>.gz` next to every compressible file of `dir`.
pub fn precompress(dir: &Path) -> Result<()> {
    for file in files_under(dir)? {
        let compressible = file
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|ext| COMPRESSIBLE.contains(&ext));
        if !compressible {
            continue;
        }
        let bytes = std::fs::read(&file).map_err(|e| Error::io("reading", &file, e))?;
        write_sibling(&file, "br", &brotli_bytes(&bytes))?;
        write_sibling(&file, "gz", &gzip_bytes(&bytes))?;
    }
    Ok(())
}

fn write_sibling(file: &Path, extension: &str, bytes: &[u8]) -> Result<()> {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    let path = PathBuf::from(name);
    std::fs::write(&path, bytes).map_err(|e| Error::io("writing", &path, e))
}

pub fn brotli_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut input = bytes;
    // Writing into a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
    out
}

pub fn gzip_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// All regular files below `dir`, recursively, skipping pre-compressed siblings.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current).map_err(|e| Error::io("listing", &current, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io("listing", &current, e))?;
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if !matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("br") | Some("gz")
            ) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}
