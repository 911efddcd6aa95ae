//! The pattern's syntax: alternation, groups, atoms and quantifiers (classes and escapes are in
//! `class.rs`). Anything outside the common subset is refused with where it is and how to write it.

use super::*;

pub(super) const SYNTAX: &str = "^$\\.*+?()[]{}|/";

pub(super) struct Parser {
    pub(super) chars: Vec<char>,
    pub(super) pos: usize,
    pub(super) depth: usize,
}

pub(super) type Parsed<T> = Result<T, PatternError>;

pub(super) fn unsupported(at: usize, what: &'static str, hint: &'static str) -> PatternError {
    PatternError {
        at,
        kind: PatternErrorKind::Unsupported { what, hint },
    }
}

pub(super) fn syntax(at: usize, what: &'static str) -> PatternError {
    PatternError {
        at,
        kind: PatternErrorKind::Syntax(what),
    }
}

impl Parser {
    pub(super) fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    pub(super) fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn alternation(&mut self) -> Parsed<Node> {
        let mut branches = vec![self.concatenation()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            branches.push(self.concatenation()?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(branches)
        })
    }

    fn concatenation(&mut self) -> Parsed<Node> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let start = self.pos;
            if (c == '^' && start == 0) || (c == '$' && start + 1 == self.chars.len()) {
                // Anchors where they change nothing: the whole answer is matched anyway.
                self.pos += 1;
                if matches!(self.peek(), Some('*' | '+' | '?' | '{')) {
                    return Err(syntax(self.pos, "a quantifier with nothing to repeat"));
                }
                continue;
            }
            let atom = self.atom()?;
            items.push(self.quantified(atom, start)?);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    fn atom(&mut self) -> Parsed<Node> {
        let at = self.pos;
        let Some(c) = self.peek() else {
            return Err(syntax(at, "the pattern ends too early"));
        };
        self.pos += 1;
        match c {
            '(' => self.group(at),
            '[' => self.class(at),
            '\\' => Ok(Node::Set {
                set: CharSet::single(self.escape(at, false)?),
                at,
            }),
            '.' => Err(unsupported(
                at,
                "`.`",
                "it matches different characters in Rust and JavaScript: list the characters you accept, e.g. `[A-Za-z0-9 ]`",
            )),
            '^' | '$' => Err(unsupported(
                at,
                "an anchor inside the pattern",
                "the pattern always matches the whole answer; write `\\^` or `\\$` for the characters",
            )),
            '*' | '+' | '?' | '{' => Err(syntax(at, "a quantifier with nothing to repeat")),
            ']' | '}' => Err(unsupported(
                at,
                "an unescaped `]` or `}`",
                "write `\\]` or `\\}` (JavaScript refuses them bare)",
            )),
            c if c.is_control() => Err(unsupported(
                at,
                "a control character",
                "write `\\n`, `\\r` or `\\t`",
            )),
            c => Ok(Node::Set {
                set: CharSet::single(c),
                at,
            }),
        }
    }

    fn group(&mut self, at: usize) -> Parsed<Node> {
        if self.peek() == Some('?') {
            if self.peek_at(1) == Some(':') {
                self.pos += 2;
            } else {
                return Err(unsupported(
                    at,
                    "lookaround, a named group or an inline flag",
                    "only `(…)` and `(?:…)` groups are read the same by Rust and JavaScript",
                ));
            }
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(syntax(at, "groups are nested too deeply"));
        }
        let inner = self.alternation()?;
        self.depth -= 1;
        if self.peek() != Some(')') {
            return Err(syntax(at, "this group is not closed"));
        }
        self.pos += 1;
        Ok(inner)
    }
}

impl Parser {
    fn quantified(&mut self, atom: Node, at: usize) -> Parsed<Node> {
        let (min, max) = match self.peek() {
            Some('*') => self.one((0, None)),
            Some('+') => self.one((1, None)),
            Some('?') => self.one((0, Some(1))),
            Some('{') => self.counts()?,
            _ => return Ok(atom),
        };
        if matches!(self.peek(), Some('*' | '+' | '?' | '{')) {
            return Err(unsupported(
                self.pos,
                "a quantifier on a quantifier (lazy or possessive)",
                "use a single quantifier",
            ));
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
            at,
        })
    }

    /// Consumes a one-character quantifier.
    fn one(&mut self, counts: (u32, Option<u32>)) -> (u32, Option<u32>) {
        self.pos += 1;
        counts
    }

    /// At `{`: `{n}`, `{n,}` or `{n,m}`; leaves the position just after `}`.
    fn counts(&mut self) -> Parsed<(u32, Option<u32>)> {
        let at = self.pos;
        self.pos += 1;
        let literal_brace = || {
            unsupported(
                at,
                "a `{` that is not a count",
                "write `\\{` for the character; counts are `{n}`, `{n,}` or `{n,m}` without spaces",
            )
        };
        let min = self.number().ok_or_else(literal_brace)?;
        let max = match self.peek() {
            Some('}') => Some(min),
            Some(',') => {
                self.pos += 1;
                if self.peek() == Some('}') {
                    None
                } else {
                    Some(self.number().ok_or_else(literal_brace)?)
                }
            }
            _ => return Err(literal_brace()),
        };
        if self.peek() != Some('}') {
            return Err(literal_brace());
        }
        self.pos += 1;
        if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT || m < min) {
            return Err(PatternError {
                at,
                kind: PatternErrorKind::CountTooLarge,
            });
        }
        Ok((min, max))
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) && self.pos - start < 4 {
            self.pos += 1;
        }
        if self.pos == start || self.peek().is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        self.chars[start..self.pos]
            .iter()
            .collect::<String>()
            .parse()
            .ok()
    }
}

pub(super) fn parse(pattern: &str) -> Parsed<Node> {
    let chars: Vec<char> = pattern.chars().collect();
    if chars.is_empty() {
        return Err(PatternError {
            at: 0,
            kind: PatternErrorKind::Empty,
        });
    }
    if chars.len() > MAX_PATTERN_CHARS {
        return Err(PatternError {
            at: MAX_PATTERN_CHARS,
            kind: PatternErrorKind::TooLong,
        });
    }
    let mut parser = Parser {
        chars,
        pos: 0,
        depth: 0,
    };
    let node = parser.alternation()?;
    if parser.pos < parser.chars.len() {
        return Err(syntax(parser.pos, "a `)` closes no group"));
    }
    Ok(node)
}
