//! Form `pattern`s that behave the same in the browser and on the server, and stay fast.
//!
//! A field's `pattern` is evaluated twice: by JavaScript's `RegExp` (flag `u`) in the citizen's
//! browser, and by Rust's `regex` on the provider. The two dialects disagree in many corners (`\d`
//! is any Unicode digit in Rust but only `0-9` in JavaScript; `[a&&b]` is an intersection in Rust
//! but three characters in JavaScript; `.` stops at different line separators…), and the browser's
//! engine backtracks: a pattern such as `(a+)+$` can freeze a tab for minutes on a 30-character
//! answer. A provider that publishes such a pattern harms the citizens of every portal that loads it.
//!
//! So a schema's patterns are checked when it is loaded ([`check`]) against a deliberately small
//! subset that both engines read the same way:
//!
//! * literal characters; the escapes `\n`, `\r`, `\t` and `\` before one of ``^$\.*+?()[]{}|/``
//!   (and `\-` inside a class);
//! * classes `[…]` and `[^…]` of characters and ranges (no nested `[`, no `&&`/`--`/`~~`);
//! * groups `(…)` and `(?:…)`, alternation `|`, quantifiers `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`
//!   with counts up to [`MAX_REPEAT`]; `^` at the very start and `$` at the very end;
//! * nothing else: no `.`, no `\d\w\s\b`, no backreferences, lookaround, named groups, flags, lazy
//!   or possessive quantifiers.
//!
//! On top of the syntax, the pattern must be **unambiguous**: at every point of an answer, the next
//! character can be matched by only one part of the pattern (its Glushkov automaton is
//! deterministic, no transition is reachable two ways, and no repeated part can match nothing).
//! A backtracking engine then never has more than one way forward, so matching takes time linear in
//! the answer's length — this rules out the nested quantifiers (`(a+)+`), overlapping alternatives
//! (`(a|ab)*`) and overlapping neighbours (`[a-z]*[a-z0-9]*`) behind catastrophic backtracking.
//! Every construct of this subset is also accepted by both engines with the same meaning, which
//! the differential tests check against the real `regex` crate and Node's `RegExp`.

use std::fmt;

mod automaton;
mod charset;
mod class;
mod parse;

use automaton::Glushkov;
use charset::CharSet;
use parse::parse;

/// Longest pattern accepted, in characters.
pub const MAX_PATTERN_CHARS: usize = 256;
/// Largest count in `{n}`, `{n,}`, `{n,m}`.
pub const MAX_REPEAT: u32 = 100;
/// Largest pattern once counted repetitions are expanded (character positions).
pub const MAX_POSITIONS: usize = 1000;
/// Deepest nesting of groups.
const MAX_DEPTH: usize = 16;

/// Why a pattern is refused, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    /// Character offset in the pattern (0-based).
    pub at: usize,
    pub kind: PatternErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternErrorKind {
    Empty,
    TooLong,
    /// Malformed: the pattern is not a regular expression at all.
    Syntax(&'static str),
    /// A construct outside the common subset, with how to write it instead.
    Unsupported {
        what: &'static str,
        hint: &'static str,
    },
    CountTooLarge,
    TooComplex,
    /// Two parts of the pattern can match the same next character (`example`), at `other`.
    Ambiguous {
        other: usize,
        example: char,
    },
    /// A repeated part can match nothing (`(a?)*`).
    EmptyRepeat,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.at + 1;
        match &self.kind {
            PatternErrorKind::Empty => write!(f, "the pattern is empty"),
            PatternErrorKind::TooLong => {
                write!(
                    f,
                    "the pattern is longer than {MAX_PATTERN_CHARS} characters"
                )
            }
            PatternErrorKind::Syntax(what) => write!(f, "character {at}: {what}"),
            PatternErrorKind::Unsupported { what, hint } => {
                write!(f, "character {at}: {what} is not supported; {hint}")
            }
            PatternErrorKind::CountTooLarge => write!(
                f,
                "character {at}: counts go up to {MAX_REPEAT}, the smaller first (use `max_length` for longer answers)"
            ),
            PatternErrorKind::TooComplex => write!(
                f,
                "the pattern is too large once its counts are expanded (more than {MAX_POSITIONS} positions)"
            ),
            PatternErrorKind::Ambiguous { other, .. } if *other + 1 == at => write!(
                f,
                "character {at}: this part can be repeated in two ways (e.g. `(a+)+`), which browsers may backtrack over endlessly; use a single quantifier"
            ),
            PatternErrorKind::Ambiguous { other, example } => write!(
                f,
                "characters {at} and {} can both match the same next character ({example:?}): a browser could take exponential time; rewrite it so each character can only be matched one way (e.g. `(\\+33|0(033)?)` rather than `(\\+33|0033|0)`, `[a-z][a-z0-9]*` rather than `[a-z]+[a-z0-9]*`)",
                other + 1
            ),
            PatternErrorKind::EmptyRepeat => write!(
                f,
                "character {at}: a repeated group can match nothing (e.g. `(a?)*`), which browsers may backtrack over endlessly; make its content required"
            ),
        }
    }
}

impl std::error::Error for PatternError {}
/// The parsed pattern.
#[derive(Clone, Debug)]
enum Node {
    Empty,
    /// One character from a set; `at` is where it was written.
    Set {
        set: CharSet,
        at: usize,
    },
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        at: usize,
    },
}

/// Characters that `\` may precede anywhere (both engines' syntax characters).
/// Checks that `pattern` is in the common, linear-time subset described in this module.
pub fn check(pattern: &str) -> Result<(), PatternError> {
    let node = parse(pattern)?;
    let (automaton, whole) = Glushkov::build(&node)?;
    automaton.check_deterministic(&whole.first)
}

/// An answer that matches `pattern` (for tools that fill forms, such as the conformance
/// checker), if the pattern is in the subset.
pub fn example(pattern: &str) -> Option<String> {
    fn write(node: &Node, out: &mut String) -> Option<()> {
        match node {
            Node::Empty => {}
            Node::Set { set, .. } => out.push(set.pick()?),
            Node::Concat(items) => {
                for item in items {
                    write(item, out)?;
                }
            }
            Node::Alt(branches) => write(branches.first()?, out)?,
            Node::Repeat { node, min, max, .. } => {
                let times = if *min == 0 && max.is_none_or(|m| m > 0) {
                    1
                } else {
                    *min
                };
                for _ in 0..times {
                    write(node, out)?;
                }
            }
        }
        Some(())
    }
    check(pattern).ok()?;
    let mut out = String::new();
    write(&parse(pattern).ok()?, &mut out)?;
    Some(out)
}

#[cfg(test)]
mod tests;
