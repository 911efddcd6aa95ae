//! Any bytes, as a root catalogue and as a fragment: the parser must never panic, and every
//! diagnostic must point at a real position.
#![no_main]

use catalogue::parse::{ParseOptions, parse_fragment, parse_root};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let parsed = parse_root("fuzz.toml", text, ParseOptions::dev());
        for d in parsed.diagnostics {
            assert!(d.line >= 1 && d.column >= 1);
        }
        let _ = parse_fragment("fuzz.toml", text, "gien", ParseOptions::default());
    }
});
