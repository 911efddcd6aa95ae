//! The corpus of bad catalogue files in `tests/bad/`: each file states, in `# expect:` comments,
//! exactly the diagnostics it must produce (file, line, column, field, message, fix). A file marked
//! `# fragment-of: MEMBER` is parsed as that member's fragment.
//!
//! This is the validator's contract with the clerks who read its messages: changing a message or
//! its position is a visible change and must be made here on purpose.

use catalogue::parse::{ParseOptions, parse_fragment, parse_root};
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
    assert!(files.len() >= 12, "the corpus shrank");
    let mut failures = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut expected: Vec<String> = header_values(&text, "expect")
            .into_iter()
            .map(String::from)
            .collect();
        assert!(!expected.is_empty(), "{name} has no `# expect:` line");
        let diagnostics = match header_values(&text, "fragment-of").first() {
            Some(member) => {
                parse_fragment(&name, &text, member, ParseOptions::default()).diagnostics
            }
            None => parse_root(&name, &text, ParseOptions::default()).diagnostics,
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
