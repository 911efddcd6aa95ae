//! The corpus of bad catalogue files in `tests/bad/`: each file states, in `# expect:` comments,
//! exactly the diagnostics it must produce (file, line, column, field, message, fix). A file marked
//! `# fragment-of: MEMBER` is parsed as that member's fragment.
//!
//! This is the validator's contract with the clerks who read its messages: changing a message or
//! its position is a visible change and must be made here on purpose.
//!
//! Files are parsed from their bytes, as the CLI and the portal do, so the corpus also holds a
//! file saved in Latin-1.

use catalogue::limits;
use catalogue::parse::{ParseOptions, parse_fragment_bytes, parse_root_bytes};
use std::path::Path;

fn header_values<'a>(text: &'a str, key: &str) -> Vec<&'a str> {
    text.lines()
        .filter_map(|l| l.strip_prefix(&format!("# {key}: ")))
        .collect()
}

#[test]
fn every_bad_file_produces_exactly_its_expected_diagnostics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 18, "the corpus shrank");
    let mut failures = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let mut expected: Vec<String> = header_values(&text, "expect")
            .into_iter()
            .map(String::from)
            .collect();
        assert!(!expected.is_empty(), "{name} has no `# expect:` line");
        let diagnostics = match header_values(&text, "fragment-of").first() {
            Some(member) => {
                parse_fragment_bytes(&name, &bytes, member, ParseOptions::default()).diagnostics
            }
            None => parse_root_bytes(&name, &bytes, ParseOptions::default()).diagnostics,
        };
        let mut got: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        got.sort();
        expected.sort();
        if got != expected {
            failures.push(format!(
                "{name}\n  expected:\n    {}\n  got:\n    {}",
                expected.join("\n    "),
                got.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

fn services(n: usize) -> String {
    let mut text = String::from("member = \"gien\"\n");
    for i in 0..n {
        text.push_str(&format!(
            "[[service]]\nid = \"gien/s{i}\"\ntitle = \"S\"\nsummary = \"S.\"\ncategory = \"eau\"\nchannels.counter = {{}}\n"
        ));
    }
    text
}

#[test]
fn a_fragment_past_its_service_limit_is_reported_and_only_its_first_services_are_read() {
    let max = limits::MAX_SERVICES_PER_FRAGMENT;
    let text = services(max + 1);
    let parsed = parse_fragment_bytes("big.toml", text.as_bytes(), "gien", ParseOptions::default());
    assert_eq!(parsed.value.len(), max);
    let got: Vec<String> = parsed.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        [format!(
            "big.toml:{}:1: field `service`: 501 `[[service]]` entries, more than the 500 allowed here; only the first 500 are read",
            2 + 6 * max
        )]
    );
    let at_limit = services(max);
    let parsed = parse_fragment_bytes(
        "ok.toml",
        at_limit.as_bytes(),
        "gien",
        ParseOptions::default(),
    );
    assert_eq!((parsed.value.len(), parsed.diagnostics.len()), (max, 0));
}

#[test]
fn files_past_their_byte_limits_are_refused_before_parsing() {
    let padding = |n: usize| format!("# {}\n", "x".repeat(n));
    let fragment = services(1) + &padding(limits::MAX_FRAGMENT_BYTES);
    let parsed = parse_fragment_bytes(
        "f.toml",
        fragment.as_bytes(),
        "gien",
        ParseOptions::default(),
    );
    assert!(parsed.value.is_empty());
    let message = &parsed.diagnostics[0].message;
    assert!(
        message.contains("more than the 524,288 bytes a fragment may be"),
        "{message}"
    );
    let root = format!(
        "[federation]\nname = \"T\"\n{}",
        padding(limits::MAX_ROOT_BYTES)
    );
    let parsed = parse_root_bytes("r.toml", root.as_bytes(), ParseOptions::default());
    assert!(parsed.value.is_none());
    let message = &parsed.diagnostics[0].message;
    assert!(
        message.contains("more than the 2,097,152 bytes a root catalogue may be"),
        "{message}"
    );
    // The text entry points refuse the same files.
    let parsed = catalogue::parse_root("r.toml", &root, ParseOptions::default());
    assert_eq!(parsed.diagnostics.len(), 1);
}

/// `text` with U+202E put at the start of every string value; returns the lines where it was put.
fn poison_every_string(text: &str) -> (String, Vec<usize>) {
    let mut lines = Vec::new();
    let mut out = String::new();
    let mut in_multi_line = false;
    for (i, line) in text.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line);
        let poisoned = if code.contains("\"\"\"") {
            in_multi_line = !in_multi_line;
            if in_multi_line {
                line.replacen("\"\"\"", "\"\"\"\u{202E}", 1)
            } else {
                line.to_owned()
            }
        } else if in_multi_line || line.trim_start().starts_with('#') || !code.contains('"') {
            line.to_owned()
        } else {
            code.replace("= \"", "= \"\u{202E}")
                .replace("[\"", "[\"\u{202E}")
                .replace(", \"", ", \"\u{202E}")
        };
        if poisoned != line {
            lines.push(i + 1);
        }
        out.push_str(&poisoned);
        out.push('\n');
    }
    (out, lines)
}

fn lines_reporting_the_override(diagnostics: &[catalogue::Diagnostic]) -> Vec<usize> {
    let mut lines: Vec<usize> = diagnostics
        .iter()
        .filter(|d| d.message.contains("U+202E RIGHT-TO-LEFT OVERRIDE"))
        .map(|d| d.line)
        .collect();
    lines.dedup();
    lines
}

#[test]
fn every_string_of_the_demo_federation_is_checked_for_hostile_characters() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(root.join("services.toml")).unwrap();
    let (poisoned, lines) = poison_every_string(&text);
    assert!(lines.len() > 250, "{} string lines", lines.len());
    let parsed = catalogue::parse_root("services.toml", &poisoned, ParseOptions::dev());
    assert_eq!(lines_reporting_the_override(&parsed.diagnostics), lines);
    for (file, member) in [
        ("cc-giennoises.toml", "cc-giennoises"),
        ("cc-coeur-cote-fleurie.toml", "cc-coeur-cote-fleurie"),
    ] {
        let text = std::fs::read_to_string(root.join("public/catalogue").join(file)).unwrap();
        let (poisoned, lines) = poison_every_string(&text);
        let parsed = catalogue::parse_fragment(file, &poisoned, member, ParseOptions::dev());
        assert_eq!(
            lines_reporting_the_override(&parsed.diagnostics),
            lines,
            "{file}"
        );
    }
}
