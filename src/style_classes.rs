//! Every `gu-` class the views use has a rule in `style/`, and every rule there is used.
//!
//! A class with no rule is markup the designer never styled (or a typo that silently drops a
//! style); a rule no view uses is dead weight in the first page every citizen downloads. Classes
//! built at run time (`format!("gu-badge--{…}")`) count as prefixes: some rule must start with them.
//! Classes set by `index.html` and the painted shell are read from there too.

use std::collections::BTreeSet;
use std::path::Path;

fn files(dir: &Path, ext: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext)
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            out.push(text);
        }
    }
}

/// `gu-…` names in `text` (a name ending in `-` is a prefix completed at run time).
fn class_names(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(at) = text[i..].find("gu-") {
        let start = i + at;
        let preceded = start > 0
            && (bytes[start - 1].is_ascii_alphanumeric()
                || matches!(bytes[start - 1], b'-' | b'_'));
        let mut end = start + 3;
        while end < bytes.len()
            && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'-' | b'_'))
        {
            end += 1;
        }
        if !preceded && end > start + 3 {
            names.insert(text[start..end].to_owned());
        }
        i = end;
    }
    names
}

/// Class selectors in a stylesheet (`.gu-x`), comments left out.
fn defined(css: &str) -> BTreeSet<String> {
    let mut without_comments = String::new();
    let mut rest = css;
    while let Some(open) = rest.find("/*") {
        without_comments.push_str(&rest[..open]);
        rest = rest[open..]
            .find("*/")
            .map_or("", |close| &rest[open + close + 2..]);
    }
    without_comments.push_str(rest);
    without_comments
        .split('.')
        .skip(1)
        .filter(|s| s.starts_with("gu-"))
        .flat_map(class_names)
        .collect()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn used() -> BTreeSet<String> {
    let mut sources = Vec::new();
    files(&root().join("src"), "rs", &mut sources);
    sources.extend(std::fs::read_to_string(root().join("index.html")));
    // The painted shell, written by xtask into index.html at build time.
    sources.extend(std::fs::read_to_string(root().join("xtask/src/shell.rs")));
    sources
        .iter()
        // This file names classes in its own tests.
        .filter(|s| !s.contains("fn class_names(text: &str)"))
        .flat_map(|s| class_names(s))
        // Element ids and storage keys share the prefix; they are not classes.
        .filter(|c| !c.starts_with("gu-shell"))
        .collect()
}

/// Classes that name a piece for the tests or scripts rather than for styling, each with who
/// reads it; a class here that nothing reads any more fails [`every_hook_is_still_read`].
const HOOKS: [(&str, &str); 8] = [
    ("gu-member-problem", "tests/e2e/hostile.test.mjs"),
    ("gu-print-frame", "tests/e2e/hostile-kiosk.test.mjs"),
    ("gu-provider-notice", "tests/e2e/dashboard.test.mjs"),
    ("gu-search__results", "tests/e2e/portal.test.mjs"),
    // The search box and the commune chooser belong to helper "search" this wave: their
    // unstyled wrappers are left to it.
    ("gu-search__field", "src/components/search_box.rs"),
    ("gu-search__approximate", "src/components/search_box.rs"),
    ("gu-radios", "src/components/commune_chooser.rs"),
    ("gu-chooser__form", "src/components/commune_chooser.rs"),
];

fn styles() -> BTreeSet<String> {
    let mut sheets = Vec::new();
    files(&root().join("style"), "css", &mut sheets);
    sheets.iter().flat_map(|s| defined(s)).collect()
}

#[test]
fn every_class_the_views_use_has_a_rule() {
    let styles = styles();
    let missing: Vec<_> = used()
        .into_iter()
        .filter(|c| !HOOKS.iter().any(|(hook, _)| hook == c))
        .filter(|c| {
            if c.ends_with('-') {
                !styles.iter().any(|s| s.starts_with(c.as_str()))
            } else {
                !styles.contains(c)
            }
        })
        .collect();
    assert!(
        missing.is_empty(),
        "classes with no rule in style/: {missing:?}"
    );
}

#[test]
fn every_rule_in_the_stylesheets_is_used() {
    let used = used();
    let dead: Vec<_> = styles()
        .into_iter()
        .filter(|s| {
            !used
                .iter()
                .any(|u| u == s || (u.ends_with('-') && s.starts_with(u.as_str())))
        })
        .collect();
    assert!(dead.is_empty(), "rules no view uses: {dead:?}");
}

#[test]
fn every_hook_is_still_read() {
    for (hook, reader) in HOOKS {
        let text = std::fs::read_to_string(root().join(reader)).unwrap_or_default();
        assert!(
            text.contains(hook),
            "{reader} no longer reads {hook}: remove it from HOOKS"
        );
    }
}

#[test]
fn class_names_are_read_as_a_browser_would() {
    let names = class_names(r#"class="gu-a gu-b--c" x-gu-no format!("gu-badge--{k}")"#);
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        ["gu-a", "gu-b--c", "gu-badge--"]
    );
    let css = defined(".gu-a:hover, .gu-b > .gu-c { } /* .gu-d */ a.gu-e{}");
    assert_eq!(
        css.into_iter().collect::<Vec<_>>(),
        ["gu-a", "gu-b", "gu-c", "gu-e"]
    );
}
