//! Tests of the pattern subset: realistic patterns pass, every excluded construct is refused with
//! its reason, accepted patterns match in linear time under a backtracking matcher (the kind of
//! engine browsers use), and the real `regex` crate and Node's `RegExp` (flag `u`) agree on them.

#![allow(clippy::unwrap_used)]

use super::*;
use std::cell::Cell;

const REALISTIC: &[&str] = &[
    "[0-9]{5}",
    "[A-Za-z]{2}-?[0-9]{3}-?[A-Za-z]{2}",
    "(\\+33|0)[1-9]([ .-]?[0-9]{2}){4}",
    "FR[0-9]{2}( ?[0-9A-Z]{4}){5} ?[0-9A-Z]{3}",
    "[0-9]{14}",
    "[12][0-9]{2}(0[1-9]|1[0-2])[0-9]{8}",
    "[A-Za-zÀ-ÖØ-öø-ÿ]+([ '-][A-Za-zÀ-ÖØ-öø-ÿ]+)*",
    "^[0-9]{5}$",
    "(?:2[0-9AB]|[013-9][0-9])[0-9]{3}",
    "[^@ ]+@[^@ .]+(\\.[^@ .]+)+",
    "[a-z]*",
    "\\(?[0-9]{3}\\)? [0-9]{4}",
    // The rewrites the error messages suggest.
    "(\\+33|0(033)?)[1-9][0-9]{8}",
    "[a-z][a-z0-9]*",
];

#[test]
fn realistic_patterns_are_accepted() {
    for pattern in REALISTIC {
        assert_eq!(check(pattern), Ok(()), "{pattern}");
    }
}

fn kind(pattern: &str) -> PatternErrorKind {
    check(pattern).unwrap_err().kind
}

fn refused_as_unsupported(pattern: &str, what_contains: &str) {
    match kind(pattern) {
        PatternErrorKind::Unsupported { what, .. } => {
            assert!(what.contains(what_contains), "{pattern}: {what}")
        }
        other => panic!("{pattern}: {other:?}"),
    }
}

#[test]
fn constructs_the_engines_read_differently_are_refused_with_a_hint() {
    refused_as_unsupported("\\d{5}", "\\d");
    refused_as_unsupported("[\\w]+", "\\w");
    refused_as_unsupported("a.b", "`.`");
    refused_as_unsupported("(a)\\1", "backreference");
    refused_as_unsupported("(?<n>a)\\k<n>", "lookaround");
    refused_as_unsupported("a(?=b)", "lookaround");
    refused_as_unsupported("(?<!a)b", "lookaround");
    refused_as_unsupported("(?i)abc", "lookaround");
    refused_as_unsupported("[a&&b]", "&&");
    refused_as_unsupported("[a--b]", "&&");
    refused_as_unsupported("[[:alpha:]]", "`[` inside");
    refused_as_unsupported("[a-z-0]", "`-`");
    refused_as_unsupported("a\\-b", "`\\-` outside");
    refused_as_unsupported("a\\pLb", "Unicode property");
    refused_as_unsupported("a\\bb", "word boundary");
    refused_as_unsupported("a{,3}", "`{`");
    refused_as_unsupported("a{2, 3}", "`{`");
    refused_as_unsupported("a}", "`]` or `}`");
    refused_as_unsupported("[]", "empty class");
    refused_as_unsupported("[^]", "empty class");
    refused_as_unsupported("a+?", "quantifier on a quantifier");
    refused_as_unsupported("a*+", "quantifier on a quantifier");
    refused_as_unsupported("a^b", "anchor");
    refused_as_unsupported("a\u{7}", "control");
    refused_as_unsupported("\\x41", "escape");
}

#[test]
fn malformed_or_oversized_patterns_are_refused() {
    assert_eq!(kind(""), PatternErrorKind::Empty);
    assert_eq!(kind(&"a".repeat(300)), PatternErrorKind::TooLong);
    assert!(matches!(kind("(ab"), PatternErrorKind::Syntax(_)));
    assert!(matches!(kind("ab)"), PatternErrorKind::Syntax(_)));
    assert!(matches!(kind("[ab"), PatternErrorKind::Syntax(_)));
    assert!(matches!(kind("*a"), PatternErrorKind::Syntax(_)));
    assert!(matches!(kind("^*a"), PatternErrorKind::Syntax(_)));
    assert!(matches!(kind("[z-a]"), PatternErrorKind::Syntax(_)));
    assert!(matches!(kind("a\\"), PatternErrorKind::Syntax(_)));
    assert_eq!(kind("a{101}"), PatternErrorKind::CountTooLarge);
    assert_eq!(kind("a{5,2}"), PatternErrorKind::CountTooLarge);
    assert_eq!(kind("([a-z]{50}){50}"), PatternErrorKind::TooComplex);
    assert!(matches!(
        kind(&format!("{}a{}", "(".repeat(20), ")".repeat(20))),
        PatternErrorKind::Syntax(_)
    ));
}

#[test]
fn patterns_that_can_backtrack_catastrophically_are_refused() {
    for evil in [
        "(a+)+",
        "(a+)+b",
        "(a|a)*",
        "(a|ab)*c",
        "([a-z]+[0-9]?)+",
        "[a-z]*[a-z0-9]*",
        "(x+x+)+y",
        "(\\+33|0033|0)[1-9]",
        "a{1,10}a",
        "([ab]{1,5}){5}",
    ] {
        assert!(
            matches!(kind(evil), PatternErrorKind::Ambiguous { .. }),
            "{evil}: {:?}",
            check(evil)
        );
    }
    for empty in ["(a?)*", "(a*)+", "(a|)+", "(a?){3}", "(?:)*"] {
        assert_eq!(kind(empty), PatternErrorKind::EmptyRepeat, "{empty}");
    }
}

#[test]
fn errors_name_the_place_and_the_fix() {
    let message = check("[0-9]{2}\\d").unwrap_err().to_string();
    assert!(message.starts_with("character 9:"), "{message}");
    assert!(message.contains("[0-9]"), "{message}");
    let message = check("(a|ab)*").unwrap_err().to_string();
    assert!(message.contains("characters 2 and 4"), "{message}");
    assert!(message.contains("'a'"), "{message}");
}

#[test]
fn examples_match_their_pattern() {
    for pattern in REALISTIC {
        let example = example(pattern).unwrap();
        let re = regex::Regex::new(&format!("^(?:{pattern})$")).unwrap();
        assert!(re.is_match(&example), "{pattern}: {example:?}");
    }
    assert_eq!(
        example("[A-Za-z]{2}-?[0-9]{3}-?[A-Za-z]{2}").as_deref(),
        Some("aa-000-aa")
    );
    assert_eq!(example("(a+)+"), None, "no example for a refused pattern");
}

// ----- a backtracking matcher, to measure what a browser's engine would do -----

/// Matches `node` at `i`, then calls `k` with where it ended; counts every step.
fn run(
    node: &Node,
    input: &[char],
    i: usize,
    k: &dyn Fn(usize) -> bool,
    steps: &Cell<u64>,
) -> bool {
    steps.set(steps.get() + 1);
    match node {
        Node::Empty => k(i),
        Node::Set { set, .. } => {
            input
                .get(i)
                .is_some_and(|c| set.common(&CharSet::single(*c)).is_some())
                && k(i + 1)
        }
        Node::Concat(items) => concat(items, input, i, k, steps),
        Node::Alt(branches) => branches.iter().any(|b| run(b, input, i, k, steps)),
        Node::Repeat { node, min, max, .. } => repeat(node, *min, *max, 0, input, i, k, steps),
    }
}

fn concat(
    items: &[Node],
    input: &[char],
    i: usize,
    k: &dyn Fn(usize) -> bool,
    steps: &Cell<u64>,
) -> bool {
    match items.split_first() {
        None => k(i),
        Some((head, rest)) => run(head, input, i, &|j| concat(rest, input, j, k, steps), steps),
    }
}

/// Greedy repetition with the empty-iteration check of ECMAScript.
#[allow(clippy::too_many_arguments)]
fn repeat(
    node: &Node,
    min: u32,
    max: Option<u32>,
    count: u32,
    input: &[char],
    i: usize,
    k: &dyn Fn(usize) -> bool,
    steps: &Cell<u64>,
) -> bool {
    steps.set(steps.get() + 1);
    if max.is_none_or(|m| count < m)
        && run(
            node,
            input,
            i,
            &|j| (j != i || count < min) && repeat(node, min, max, count + 1, input, j, k, steps),
            steps,
        )
    {
        return true;
    }
    count >= min && k(i)
}

fn backtracking_steps(pattern: &str, input: &str) -> (bool, u64) {
    let node = parse(pattern).unwrap();
    let chars: Vec<char> = input.chars().collect();
    let steps = Cell::new(0);
    let matched = run(&node, &chars, 0, &|end| end == chars.len(), &steps);
    (matched, steps.get())
}

#[test]
fn the_step_counter_sees_catastrophic_backtracking_in_refused_patterns() {
    // The matcher above is only a fair witness if it explodes where browsers do.
    let (_, short) = backtracking_steps("(a+)+b", &"a".repeat(10));
    let (_, long) = backtracking_steps("(a+)+b", &"a".repeat(20));
    assert!(long > short * 500, "{short} → {long}");
}

// ----- random patterns in (and around) the subset -----

/// xorshift64*: deterministic, so a failure is reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn random_pattern(rng: &mut Rng, depth: u32) -> String {
    let atoms = [
        "a", "b", "c", "-", " ", "é", "\\.", "\\(", "[ab]", "[a-c]", "[^a]", "[-b]", "[b-]",
        "[^ac]", "[0-9]", "\\+",
    ];
    let quantifiers = ["", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}"];
    let mut out = String::new();
    for _ in 0..1 + rng.below(4) {
        let atom = if depth > 0 && rng.below(4) == 0 {
            let branches: Vec<String> = (0..1 + rng.below(3))
                .map(|_| random_pattern(rng, depth - 1))
                .collect();
            let open = if rng.below(2) == 0 { "(" } else { "(?:" };
            format!("{open}{})", branches.join("|"))
        } else {
            rng.pick(&atoms).to_owned()
        };
        out.push_str(&atom);
        out.push_str(rng.pick(&quantifiers));
    }
    out
}

/// Inputs made of the characters patterns use, so that matching goes deep before failing.
fn random_input(rng: &mut Rng, len: usize) -> String {
    let chars = ['a', 'b', 'c', '-', ' ', 'é', '.', '(', '0', '7', '+', 'z'];
    (0..len).map(|_| chars[rng.below(chars.len())]).collect()
}

fn accepted_random_patterns(count: usize) -> Vec<String> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut accepted = Vec::new();
    for _ in 0..count {
        let pattern = random_pattern(&mut rng, 2);
        if check(&pattern).is_ok() {
            accepted.push(pattern);
        }
    }
    accepted
}

#[test]
fn accepted_patterns_match_in_linear_time_under_backtracking() {
    let patterns = accepted_random_patterns(4000);
    assert!(patterns.len() > 300, "only {} accepted", patterns.len());
    let mut rng = Rng(42);
    for pattern in &patterns {
        let size = parse(pattern)
            .map(|_| pattern.chars().count() as u64)
            .unwrap();
        // Expanded counts multiply the work per character by at most the largest count (3 here).
        let budget = |n: usize| 40 * (n as u64 + 1) * (size + 1) * 3;
        for len in [8, 32, 64] {
            for _ in 0..6 {
                let mut input = random_input(&mut rng, len);
                if let Some(example) = example(pattern) {
                    // A matching prefix, then noise: the hardest case for a backtracker.
                    input = format!("{example}{example}{input}");
                }
                let n = input.chars().count();
                let (_, steps) = backtracking_steps(pattern, &input);
                assert!(
                    steps <= budget(n),
                    "{pattern} on {input:?}: {steps} steps > {}",
                    budget(n)
                );
            }
        }
    }
}

#[test]
fn rust_regex_and_javascript_regexp_agree_on_accepted_patterns() {
    let patterns = accepted_random_patterns(1500);
    let mut rng = Rng(7);
    let mut cases = Vec::new();
    for pattern in patterns.iter().chain(
        REALISTIC
            .iter()
            .map(|p| (*p).to_owned())
            .collect::<Vec<_>>()
            .iter(),
    ) {
        let re = regex::Regex::new(&format!("^(?:{pattern})$"))
            .unwrap_or_else(|e| panic!("Rust refuses accepted pattern {pattern}: {e}"));
        let mut inputs: Vec<String> = (0..6).map(|i| random_input(&mut rng, i * 3)).collect();
        if let Some(example) = example(pattern) {
            inputs.push(example.clone());
            inputs.push(format!("{example}a"));
        }
        inputs.push("a\nb".into());
        inputs.push("\r".into());
        inputs.push("\u{2028}".into());
        inputs.push("\u{1F600}".into());
        for input in inputs {
            let rust = re.is_match(&input);
            cases.push(serde_json::json!({ "p": pattern, "v": input, "rust": rust }));
        }
    }
    let dir = std::env::temp_dir().join(format!("guichet-patterns-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("cases.json");
    std::fs::write(&file, serde_json::to_vec(&cases).unwrap()).unwrap();
    let script = r#"
        const cases = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
        const out = [];
        for (const c of cases) {
            let js;
            try { js = new RegExp('^(?:' + c.p + ')$', 'u').test(c.v); }
            catch (e) { out.push(`JavaScript refuses ${JSON.stringify(c.p)}: ${e.message}`); continue; }
            if (js !== c.rust) out.push(`${JSON.stringify(c.p)} on ${JSON.stringify(c.v)}: Rust ${c.rust}, JavaScript ${js}`);
        }
        console.log(JSON.stringify({ checked: cases.length, disagreements: out }));
    "#;
    let output = std::process::Command::new("node")
        .args(["-e", script])
        .arg(&file)
        .output()
        .expect("node (installed with the project's npm tools) runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["checked"].as_u64(), Some(cases.len() as u64));
    assert!(cases.len() > 2000, "{} cases", cases.len());
    assert_eq!(report["disagreements"], serde_json::json!([]), "{report}");
}
