//! Any bytes, as a root catalogue and as a fragment, through the entry points the CLI and the
//! portal use: the parser must never panic, every diagnostic must point at a real position, and
//! none may print a raw control, bidi or invisible character.
#![no_main]

use catalogue::parse::{ParseOptions, parse_fragment_bytes, parse_root_bytes};
use catalogue::values::chars::is_unsafe_to_print;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let root = parse_root_bytes("fuzz.toml", data, ParseOptions::dev());
    let fragment = parse_fragment_bytes("fuzz.toml", data, "gien", ParseOptions::default());
    for d in root.diagnostics.iter().chain(&fragment.diagnostics) {
        assert!(d.line >= 1 && d.column >= 1);
        assert!(!d.to_string().chars().any(is_unsafe_to_print));
    }
});
