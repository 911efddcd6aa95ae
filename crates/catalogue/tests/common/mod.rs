//! Shared test fixtures: the real territory and the demo federation.

#![allow(dead_code, clippy::unwrap_used)] // test support: a failure here is a broken fixture

use catalogue::parse::{ParseOptions, parse_fragment, parse_root};
use catalogue::territory::build::load_for_tools;
use catalogue::validate::merge_fragment;
use catalogue::{Catalogue, Territory};
use std::path::Path;
use std::sync::OnceLock;

pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(Path::parent)
        .unwrap()
}

/// The real COG territory (generated index, or built from node_modules; `npm ci` provides it).
pub fn territory() -> &'static Territory {
    static T: OnceLock<Territory> = OnceLock::new();
    T.get_or_init(|| load_for_tools(repo_root()).unwrap_or_else(|e| panic!("{e}")))
}

/// The demo federation: `services.toml` with its two fragments merged, as the SPA loads it.
pub fn demo_catalogue() -> Catalogue {
    let root = repo_root();
    let text = std::fs::read_to_string(root.join("services.toml")).unwrap();
    let parsed = parse_root("services.toml", &text, ParseOptions::dev());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let mut catalogue = parsed.value.unwrap();
    let mut locations = parsed.locations;
    for member in catalogue.members.clone() {
        if let Some(fragment) = &member.fragment {
            let path = root.join("public").join(fragment);
            let text = std::fs::read_to_string(&path).unwrap();
            let parsed = parse_fragment(fragment, &text, &member.id, ParseOptions::dev());
            let problems = merge_fragment(&mut catalogue, &mut locations, parsed);
            assert!(problems.is_empty(), "{problems:?}");
        }
    }
    catalogue
}
