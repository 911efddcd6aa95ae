//! The parser must survive anything a person (or a broken server) can hand it. This runs a
//! deterministic set of mutations of the demo catalogue — truncations, deleted lines, swapped
//! bytes, inserted garbage — through the root and fragment parsers. The `fuzz/` crate explores
//! further with libFuzzer (`cargo +nightly fuzz run parse`).

use catalogue::parse::{ParseOptions, parse_fragment, parse_root};

/// A small deterministic pseudo-random generator (no dependency, reproducible failures).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
}

fn parse_everything(text: &str) {
    let root = parse_root("mutated.toml", text, ParseOptions::dev());
    for d in &root.diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d}");
    }
    let _ = parse_fragment("mutated.toml", text, "gien", ParseOptions::default());
}

#[test]
fn mutated_catalogues_never_panic() {
    let original =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../services.toml"))
            .unwrap();
    let bytes = original.as_bytes();
    let mut rng = Lcg(42);
    let garbage: &[&str] = &[
        "[",
        "]]",
        "\"",
        "=",
        "\n[[service]]\n",
        "{",
        "é",
        "\u{0}",
        "'''",
        "= [",
        "id = 3",
        "\\u12",
    ];
    for _ in 0..400 {
        let mut text = original.clone();
        match rng.next() % 4 {
            0 => {
                let mut cut = rng.next() % bytes.len();
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.truncate(cut);
            }
            1 => {
                let lines: Vec<&str> = original.lines().collect();
                let skip = rng.next() % lines.len();
                text = lines
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != skip)
                    .map(|(_, l)| *l)
                    .collect::<Vec<_>>()
                    .join("\n");
            }
            2 => {
                let mut at = rng.next() % text.len();
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, garbage[rng.next() % garbage.len()]);
            }
            _ => {
                let mut raw = bytes.to_vec();
                let i = rng.next() % raw.len();
                let j = rng.next() % raw.len();
                raw.swap(i, j);
                text = String::from_utf8_lossy(&raw).into_owned();
            }
        }
        parse_everything(&text);
    }
}

#[test]
fn degenerate_inputs_never_panic() {
    for text in [
        "",
        "\n",
        "=",
        "[[",
        "[federation]",
        "[federation]\nname = \"\"",
        "service = 3",
        "[[service]]\n[[service]]",
        &"[".repeat(10_000),
    ] {
        parse_everything(text);
    }
}
