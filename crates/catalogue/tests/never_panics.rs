//! The parser must survive anything a person (or a broken server) can hand it. This runs a
//! deterministic set of mutations of the demo catalogue — truncations, deleted lines, swapped
//! bytes (raw, so often not UTF-8), inserted garbage and hostile characters — through the root and
//! fragment parsers, from bytes as the CLI and the portal read files. Whatever the input, every
//! diagnostic points at a real position and prints no raw control, bidi or invisible character.
//! The `fuzz/` crate explores further with libFuzzer (`cargo +nightly fuzz run parse`).

use catalogue::parse::{ParseOptions, parse_fragment_bytes, parse_root_bytes};
use catalogue::values::chars::is_unsafe_to_print;

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

fn parse_bytes(bytes: &[u8]) {
    let root = parse_root_bytes("mutated.toml", bytes, ParseOptions::dev());
    let fragment = parse_fragment_bytes("mutated.toml", bytes, "gien", ParseOptions::default());
    for d in root.diagnostics.iter().chain(&fragment.diagnostics) {
        assert!(d.line >= 1 && d.column >= 1, "{d}");
        let shown = d.to_string();
        assert!(!shown.chars().any(is_unsafe_to_print), "{shown:?}");
    }
}

fn parse_everything(text: &str) {
    parse_bytes(text.as_bytes());
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
        "\u{202E}",
        "\u{200B}",
        "\u{85}",
        "\u{9B}",
        "\u{FEFF}",
        "\\e[2J",
        "\\u001b",
        "\\U000E0041",
        "[impots.gouv.fr](https://evil.example)",
        "%2e%2e/",
        "\\\\srv\\x",
        "mailto:a@b.fr?bcc=c@d.fr",
        "08 92 68 00 00",
        "\"\"\"\r\n",
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
                parse_bytes(&raw);
                continue;
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
        "[federation]\nname = \"\u{202E}\"",
        "member = \"\\u0000\"",
        &format!("[federation]\nname = \"{}\"", "é".repeat(1_000_000)),
        &format!("keywords = [{}]", "\"a\", ".repeat(100_000)),
    ] {
        parse_everything(text);
    }
    for bytes in [
        &b"\xff\xfe[\x00"[..],
        b"name = \"\xe9\"",
        b"a = \"\xc3",
        b"\xef\xbb\xbf[federation]\nname = \"x\"",
        b"\x1b]0;title\x07",
    ] {
        parse_bytes(bytes);
    }
}
