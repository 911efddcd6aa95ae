//! Where things are: the workspace root, cargo's target dir, the SPA's dist folder.

use std::path::{Path, PathBuf};

/// The repository root (xtask lives in `<root>/xtask`).
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` (CI keeps it outside the clone) or `<root>/target`.
pub fn cargo_target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        }
        _ => root().join("target"),
    }
}

/// The release build of the SPA, as Trunk writes it (see `Trunk.toml`).
pub fn dist() -> PathBuf {
    root().join("dist")
}

/// Artifacts of test runs that people look at (screenshots, benchmark JSON). Git-ignored.
pub fn artifacts() -> PathBuf {
    root().join("target")
}

/// `node_modules/.bin`, where npm puts the pinned tools (wasm-opt from binaryen, redocly, …).
pub fn node_bin() -> PathBuf {
    root().join("node_modules").join(".bin")
}

/// The official COG data shipped by `@etalab/decoupage-administratif`.
pub fn cog_data() -> PathBuf {
    root()
        .join("node_modules")
        .join("@etalab")
        .join("decoupage-administratif")
        .join("data")
}

/// The generated territory index served to the SPA and read by the catalogue CLI.
pub fn territory_index() -> PathBuf {
    root().join("public").join("data").join("territory.idx")
}
