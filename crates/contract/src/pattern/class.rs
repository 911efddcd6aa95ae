//! Classes `[…]` and escapes, where Rust's and JavaScript's dialects differ most.

use super::parse::{Parsed, Parser, SYNTAX, syntax, unsupported};
use super::{CharSet, Node};

impl Parser {
    /// After `\`: the character it stands for.
    pub(super) fn escape(&mut self, at: usize, in_class: bool) -> Parsed<char> {
        let Some(c) = self.peek() else {
            return Err(syntax(at, "the pattern ends with `\\`"));
        };
        self.pos += 1;
        match c {
            'n' => Ok('\n'),
            'r' => Ok('\r'),
            't' => Ok('\t'),
            '-' if in_class => Ok('-'),
            '-' => Err(unsupported(
                at,
                "`\\-` outside a class",
                "write `-` without a backslash (JavaScript refuses `\\-` there)",
            )),
            c if SYNTAX.contains(c) => Ok(c),
            'd' | 'D' => Err(unsupported(
                at,
                "`\\d`",
                "it means any Unicode digit in Rust but only 0-9 in JavaScript: write `[0-9]`",
            )),
            'w' | 'W' | 's' | 'S' => Err(unsupported(
                at,
                "`\\w` or `\\s`",
                "the engines disagree on which characters they cover: list them, e.g. `[A-Za-z0-9_]` or `[ \\t]`",
            )),
            'b' | 'B' => Err(unsupported(
                at,
                "a word boundary",
                "the pattern always matches the whole answer, so it is not needed",
            )),
            '0'..='9' | 'k' => Err(unsupported(
                at,
                "a backreference",
                "backreferences cannot be matched in linear time",
            )),
            'p' | 'P' => Err(unsupported(
                at,
                "a Unicode property",
                "the engines follow different Unicode versions: list the characters or ranges",
            )),
            _ => Err(unsupported(
                at,
                "this escape",
                "only `\\n`, `\\r`, `\\t` and a backslash before one of ^$\\.*+?()[]{}|/ are read the same everywhere",
            )),
        }
    }

    /// After `[`: a class.
    pub(super) fn class(&mut self, at: usize) -> Parsed<Node> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let first = self.pos;
        let mut ranges = Vec::new();
        loop {
            let item_at = self.pos;
            let Some(c) = self.peek() else {
                return Err(syntax(at, "this class is not closed"));
            };
            match c {
                ']' if self.pos == first => {
                    return Err(unsupported(
                        at,
                        "an empty class",
                        "JavaScript reads `[]` and `[^]` but Rust refuses them",
                    ));
                }
                ']' => {
                    self.pos += 1;
                    break;
                }
                '[' => {
                    return Err(unsupported(
                        item_at,
                        "`[` inside a class",
                        "Rust reads it as a nested class: write `\\[`",
                    ));
                }
                '&' | '~' | '-' if self.peek_at(1) == Some(c) => {
                    return Err(unsupported(
                        item_at,
                        "`&&`, `~~` or `--` inside a class",
                        "they are set operations in Rust but characters in JavaScript",
                    ));
                }
                '-' if self.pos != first && self.peek_at(1) != Some(']') => {
                    return Err(unsupported(
                        item_at,
                        "a `-` in the middle of a class that is not a range",
                        "put it first or last in the class, or write `\\-`",
                    ));
                }
                _ => {}
            }
            let lo = self.class_char()?;
            if self.peek() == Some('-') && self.peek_at(1) == Some('-') {
                return Err(unsupported(
                    self.pos,
                    "`&&`, `~~` or `--` inside a class",
                    "they are set operations in Rust but characters in JavaScript",
                ));
            }
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|n| n != ']') {
                self.pos += 1;
                let hi_at = self.pos;
                let hi = self.class_char()?;
                if hi < lo {
                    return Err(syntax(hi_at, "this range is reversed"));
                }
                ranges.push((lo as u32, hi as u32));
            } else {
                ranges.push((lo as u32, lo as u32));
            }
        }
        let set = CharSet::from_ranges(ranges);
        Ok(Node::Set {
            set: if negated { set.complement() } else { set },
            at,
        })
    }

    fn class_char(&mut self) -> Parsed<char> {
        let at = self.pos;
        match self.peek() {
            Some('\\') => {
                self.pos += 1;
                self.escape(at, true)
            }
            Some('[') => Err(unsupported(
                at,
                "`[` inside a class",
                "Rust reads it as a nested class: write `\\[`",
            )),
            Some(c) if c.is_control() => Err(unsupported(
                at,
                "a control character",
                "write `\\n`, `\\r` or `\\t`",
            )),
            Some(c) => {
                self.pos += 1;
                Ok(c)
            }
            None => Err(syntax(at, "this class is not closed")),
        }
    }
}
