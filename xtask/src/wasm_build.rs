//! The split release build of the SPA's code: one main module for the first page, chunks for the rest.
//!
//! No Trunk release runs the post-link split, so xtask does it (see `docs/development.md`):
//! 1. `cargo rustc` for wasm32, profile `wasm-release`, cargo feature `split` (which turns the lazy
//!    views of `src/lazy.rs` into split points), the final link with `--emit-relocs` (the splitter
//!    needs the relocations; passed to the final crate only, so dependencies stay cached);
//! 2. `wasm_split_cli_support` 0.2.4 cuts it into the main module, one module per split point,
//!    chunks of code shared between split points, and a JS loader;
//! 3. `wasm-bindgen --keep-lld-exports` (version from `Cargo.lock`) on the main module;
//! 4. `wasm-opt -Oz` (binaryen 132 from npm, never Debian's 108) on every `.wasm`;
//! 5. content-hashed names, so every file can be cached forever.
//!
//! The main JS, the main wasm and the loader refer to each other, so they share one hash, computed
//! over the three with placeholders in place of the names; a chunk is named by its own content.

use crate::cmd;
use crate::error::{Error, Result};
use crate::paths;
use crate::tools;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Same length as a real name (`guichet-` + 16 hex digits), so the wasm can be patched in place.
const MAIN_JS_PLACEHOLDER: &str = "./guichet-________________.js";
const LOADER_PLACEHOLDER: &str = "./loader-________________.js";
const PROFILE: &str = "wasm-release";

/// The files of a split build, named as served (relative to `dist/`).
#[derive(Debug, Default)]
pub struct Bundle {
    /// wasm-bindgen's JS glue, the module the page starts.
    pub main_js: String,
    pub main_wasm: String,
    /// The split loader, imported by the main JS.
    pub loader_js: String,
    /// Split point (chunk name in `src/lazy.rs`) → the `.wasm` files it needs, in load order.
    pub splits: BTreeMap<String, Vec<String>>,
}

/// Builds, splits, binds and optimises the SPA into `out` (created empty).
pub fn build(out: &Path) -> Result<Bundle> {
    build_with_features(out, "split")
}

/// [`build`] with other cargo features of the `guichet` crate (`split` plus, for
/// `cargo xtask bench search`, `catalogue/plain-search` to weigh the French analysis).
pub fn build_with_features(out: &Path, features: &str) -> Result<Bundle> {
    let root = paths::root();
    cmd::run(
        cmd::new("cargo", &root)
            .args(["rustc", "--locked", "--target", tools::WASM_TARGET])
            .args([
                "--profile",
                PROFILE,
                "--bin",
                "guichet",
                "--features",
                features,
            ])
            .args(["--", "-Clink-args=--emit-relocs"]),
        "fix the build error above",
    )?;
    let linked = paths::cargo_target_dir()
        .join(tools::WASM_TARGET)
        .join(PROFILE)
        .join("guichet.wasm");
    let work = paths::artifacts().join("split");
    reset_dir(&work)?;
    reset_dir(out)?;
    let input = std::fs::read(&linked).map_err(|e| Error::io("reading", &linked, e))?;
    let main_split = work.join("main.wasm");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = &work;
        options.main_out_path = &main_split;
        options.link_name = LOADER_PLACEHOLDER;
        options.main_module = MAIN_JS_PLACEHOLDER;
        options
    })
    .map_err(|e| Error::Failed(format!("splitting {}: {e:?}", linked.display())))?;
    bindgen(&main_split, &work)?;
    let bound_wasm = work.join("guichet_bg.wasm");
    let mut wasm_files = vec![bound_wasm.clone()];
    wasm_files.extend(split.split_modules.iter().cloned());
    optimize_all(&wasm_files)?;
    // Chunks: named by their own content; the loader refers to them by file name.
    let mut loader = read_text(&work.join(LOADER_PLACEHOLDER.trim_start_matches("./")))?;
    let mut renamed = BTreeMap::new();
    for chunk in &split.split_modules {
        let bytes = std::fs::read(chunk).map_err(|e| Error::io("reading", chunk, e))?;
        let stem = file_stem(chunk);
        let name = format!("{stem}-{}.wasm", short_hash(&[&bytes]));
        loader = loader.replace(&format!("\"./{stem}.wasm\""), &format!("\"./{name}\""));
        write(&out.join(&name), &bytes)?;
        renamed.insert(stem, name);
    }
    // The main JS, main wasm and loader: one hash over the three.
    let main_js = read_text(&work.join("guichet.js"))?;
    let main_wasm = std::fs::read(&bound_wasm).map_err(|e| Error::io("reading", &bound_wasm, e))?;
    let hash = short_hash(&[main_js.as_bytes(), &main_wasm, loader.as_bytes()]);
    let js_name = format!("./guichet-{hash}.js");
    let loader_name = format!("./loader-{hash}.js");
    let main_js = main_js.replace(LOADER_PLACEHOLDER, &loader_name);
    let loader = loader.replace(MAIN_JS_PLACEHOLDER, &js_name);
    let main_wasm = replace_bytes(&main_wasm, LOADER_PLACEHOLDER, &loader_name)?;
    let bundle = Bundle {
        main_js: js_name.trim_start_matches("./").to_owned(),
        main_wasm: format!("guichet-{hash}_bg.wasm"),
        loader_js: loader_name.trim_start_matches("./").to_owned(),
        splits: split
            .prefetch_map
            .into_iter()
            .map(|(split, stems)| {
                let files = stems
                    .iter()
                    .filter_map(|stem| renamed.get(stem).cloned())
                    .collect();
                (split, files)
            })
            .collect(),
    };
    write(&out.join(&bundle.main_js), main_js.as_bytes())?;
    write(&out.join(&bundle.main_wasm), &main_wasm)?;
    write(&out.join(&bundle.loader_js), loader.as_bytes())?;
    minify_js(&[out.join(&bundle.main_js), out.join(&bundle.loader_js)])?;
    Ok(bundle)
}

/// Minifies the wasm-bindgen glue and the split loader in place (npm `esbuild`, pinned): both
/// are on the first route, and neither tool minifies what it writes (77 KB of glue, 10 KB
/// brotli, becomes about 35 KB, 8 KB). Done last, once every file name in them is final.
fn minify_js(files: &[PathBuf]) -> Result<()> {
    for file in files {
        cmd::run(
            cmd::new(paths::node_bin().join("esbuild"), &paths::root())
                .arg(file)
                .args([
                    "--minify",
                    "--format=esm",
                    "--log-level=error",
                    "--allow-overwrite",
                ])
                .arg(format!("--outfile={}", file.display())),
            "`npm ci` installs esbuild (package.json)",
        )?;
    }
    Ok(())
}

fn bindgen(main: &Path, work: &Path) -> Result<()> {
    cmd::run(
        cmd::new("wasm-bindgen", &paths::root())
            .args(["--target", "web", "--keep-lld-exports", "--no-typescript"])
            .args(["--out-name", "guichet", "--out-dir"])
            .arg(work)
            .arg(main),
        "`cargo xtask install` installs the wasm-bindgen version of Cargo.lock",
    )
}

/// Optimises every file, two at a time (npm's wasm-opt is binaryen compiled to wasm, run by
/// node: starting it dominates for the many small chunks, and the machine has two cores).
fn optimize_all(files: &[PathBuf]) -> Result<()> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(file) = files.get(i) else {
                            return Ok(());
                        };
                        optimize(file)?;
                    }
                })
            })
            .collect();
        workers.into_iter().try_for_each(|w| {
            w.join()
                .unwrap_or_else(|_| Err(Error::Failed("wasm-opt worker panicked".into())))
        })
    })
}

/// `wasm-opt -Oz` in place, with the features rustc enables by default for wasm32.
fn optimize(file: &Path) -> Result<()> {
    let optimized = file.with_extension("opt.wasm");
    cmd::run(
        cmd::new(paths::node_bin().join("wasm-opt"), &paths::root())
            .args(["-Oz", "--strip-debug", "--strip-producers"])
            .args([
                "--enable-bulk-memory",
                "--enable-mutable-globals",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-reference-types",
                "--enable-multivalue",
            ])
            .arg(file)
            .arg("-o")
            .arg(&optimized),
        "`cargo xtask install` installs binaryen 132's wasm-opt (npm)",
    )?;
    std::fs::rename(&optimized, file).map_err(|e| Error::io("replacing", file, e))
}

/// Replaces every occurrence of `from` by `to` (same length) in `bytes`; it must occur.
fn replace_bytes(bytes: &[u8], from: &str, to: &str) -> Result<Vec<u8>> {
    let (from, to) = (from.as_bytes(), to.as_bytes());
    let mut out = bytes.to_vec();
    let mut found = false;
    let mut at = 0;
    while at + from.len() <= out.len() {
        if &out[at..at + from.len()] == from {
            out[at..at + from.len()].copy_from_slice(to);
            found = true;
            at += from.len();
        } else {
            at += 1;
        }
    }
    if from.len() != to.len() || !found {
        return Err(Error::Inconsistent {
            what: "the main wasm module does not import the split loader".into(),
            fix:
                "check that wasm_split_cli_support is 0.2.4 and `src/lazy.rs` declares split points"
                    .into(),
        });
    }
    Ok(out)
}

/// The first 16 hex digits of the SHA-256 of the concatenated parts.
pub fn short_hash(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io("reading", path, e))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::io("writing", path, e))
}

fn reset_dir(dir: &Path) -> Result<PathBuf> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| Error::io("emptying", dir, e))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io("creating", dir, e))?;
    Ok(dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_have_the_length_of_the_names_they_stand_for() {
        let hash = short_hash(&[b"x"]);
        assert_eq!(hash.len(), 16);
        assert_eq!(
            LOADER_PLACEHOLDER.len(),
            format!("./loader-{hash}.js").len()
        );
        assert_eq!(
            MAIN_JS_PLACEHOLDER.len(),
            format!("./guichet-{hash}.js").len()
        );
    }

    #[test]
    fn replacing_bytes_patches_every_occurrence_and_refuses_a_missing_one() {
        let patched = replace_bytes(b"a./x.js b./x.js", "./x.js", "./y.js").unwrap();
        assert_eq!(patched, b"a./y.js b./y.js");
        assert!(replace_bytes(b"nothing", "./x.js", "./y.js").is_err());
    }
}
