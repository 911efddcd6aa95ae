//! The `catalogue` CLI run as a clerk runs it, on files a hostile member could have written: what
//! it prints must never carry a raw control, bidi or invisible character (an `ESC [2J` would clear
//! the terminal, a `ESC ]0;` retitle it, a `BEL` ring it, a U+202E reorder the message), whatever
//! the file says and whatever its name.

use catalogue::values::chars::is_unsafe_to_print;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh folder for one test, under cargo's temporary directory for integration tests.
fn folder(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// Runs `catalogue ARGS` in `dir`; returns (exit code, stdout + stderr).
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_catalogue"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the catalogue CLI runs");
    let mut all = String::from_utf8(out.stdout).expect("the CLI prints UTF-8");
    all.push_str(&String::from_utf8(out.stderr).expect("the CLI prints UTF-8"));
    (out.status.code(), all)
}

fn assert_printable(output: &str) {
    let raw: Vec<String> = output
        .chars()
        .filter(|c| *c != '\n' && is_unsafe_to_print(*c))
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    assert!(raw.is_empty(), "raw {raw:?} in:\n{output}");
}

const HOSTILE_ROOT: &str = "[federation]
name = \"Test\"
[[member]]
id = \"gien\"
kind = \"commune\"
code = \"45155\"
name = \"Ville de Gien\\e[2J\\u0007\"
\"\\e]0;pwned\\u0007\" = 1
[[service]]
id = \"gien/acte\"
title = \"Acte \u{202E}52 €\"
summary = \"Un acte.\u{9B}31m\"
category = \"etat\u{85}civil\"
channels.counter = {}
";

#[test]
fn diagnostics_of_a_hostile_file_print_no_raw_control_or_bidi_character() {
    let dir = folder("hostile-text");
    let name = "services\u{1b}[31m\u{202E}.toml";
    std::fs::write(dir.join(name), HOSTILE_ROOT).unwrap();
    for json in [false, true] {
        let mut args = vec!["check", name];
        if json {
            args.push("--json");
        }
        let (code, output) = run(&dir, &args);
        assert_eq!(code, Some(1), "{output}");
        assert!(output.contains("U+202E RIGHT-TO-LEFT OVERRIDE"), "{output}");
        assert!(output.contains("U+001B ESCAPE"), "{output}");
        assert!(output.contains("unknown field"), "{output}");
        assert_printable(&output);
    }
}

#[test]
fn a_fragment_naming_a_hostile_member_prints_no_raw_control_character() {
    let dir = folder("hostile-fragment");
    // Written as TOML escapes (TOML refuses a raw ESC), the member id reaches the CLI as ESC.
    let fragment = "member = \"x\\e]0;pwned\\u0007\"\n[[service]]\nid = \"gien/acte\"\ntitle = \"Acte\"\nsummary = \"Acte.\"\ncategory = \"eau\"\nchannels.counter = {}\n";
    std::fs::write(dir.join("f.toml"), fragment).unwrap();
    let (code, output) = run(&dir, &["check", "f.toml"]);
    assert_printable(&output);
    assert_eq!(code, Some(1), "{output}");
    assert!(
        output.contains("belongs to member `x\\u{1b}]0;pwned\\u{7}`"),
        "{output}"
    );
}

#[test]
fn a_file_that_is_not_utf_8_gets_its_line_byte_and_a_re_save_hint() {
    let dir = folder("latin1");
    let bytes = b"[federation]\nname = \"Mairie de Saint-\xc9tienne\x9b2J\"\n";
    std::fs::write(dir.join("services.toml"), bytes).unwrap();
    let (code, output) = run(&dir, &["check", "services.toml"]);
    assert_eq!(code, Some(1), "{output}");
    assert!(
        output.starts_with("services.toml:2:25: file: the file is not UTF-8: byte 0xC9 at byte offset 37 is not valid UTF-8; it looks saved as Windows-1252 / Latin-1, where 0xC9 is `É`"),
        "{output}"
    );
    assert_printable(&output);
}

#[test]
fn a_fragment_reference_never_reads_a_local_file_outside_the_root_folder() {
    let dir = folder("reference");
    let secret = dir.join("secret.toml");
    std::fs::write(&secret, "member = \"gien\"\n[[service]]\nid = \"gien/x\"\n").unwrap();
    std::fs::create_dir_all(dir.join("root")).unwrap();
    let absolute = secret.display().to_string();
    for reference in [absolute.as_str(), "../secret.toml", "%2e%2e/secret.toml"] {
        let root = format!(
            "[federation]\nname = \"T\"\n[[member]]\nid = \"gien\"\nkind = \"commune\"\ncode = \"45155\"\nname = \"Gien\"\nfragment = \"{reference}\"\n"
        );
        std::fs::write(dir.join("root/services.toml"), root).unwrap();
        let (code, output) = run(&dir.join("root"), &["check", "services.toml"]);
        assert_eq!(code, Some(1), "{output}");
        assert!(output.contains("field `fragment`"), "{output}");
        assert!(
            !output.contains("gien/x"),
            "the fragment was read: {output}"
        );
    }
}
