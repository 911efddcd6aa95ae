//! The Glushkov automaton of a pattern, and the check that it never offers two ways forward.

use super::parse::Parsed;
use super::*;

/// The Glushkov automaton of a pattern: one position per character set once counts are expanded,
/// with the positions that may come first and those that may follow each one.
pub(super) struct Glushkov {
    /// Each position's set and where it was written.
    positions: Vec<(CharSet, usize)>,
    follow: Vec<Vec<usize>>,
}

/// What a sub-expression contributes: may it match nothing, which positions start and end it.
pub(super) struct Fragment {
    nullable: bool,
    pub(super) first: Vec<usize>,
    last: Vec<usize>,
}

impl Glushkov {
    pub(super) fn build(node: &Node) -> Parsed<(Glushkov, Fragment)> {
        let mut g = Glushkov {
            positions: Vec::new(),
            follow: Vec::new(),
        };
        let fragment = g.fragment(node)?;
        Ok((g, fragment))
    }

    fn link(&mut self, from: &[usize], to: &[usize]) {
        for &p in from {
            self.follow[p].extend_from_slice(to);
        }
    }

    fn fragment(&mut self, node: &Node) -> Parsed<Fragment> {
        match node {
            Node::Empty => Ok(Fragment {
                nullable: true,
                first: Vec::new(),
                last: Vec::new(),
            }),
            Node::Set { set, at } => {
                if self.positions.len() >= MAX_POSITIONS {
                    return Err(PatternError {
                        at: *at,
                        kind: PatternErrorKind::TooComplex,
                    });
                }
                let p = self.positions.len();
                self.positions.push((set.clone(), *at));
                self.follow.push(Vec::new());
                Ok(Fragment {
                    nullable: false,
                    first: vec![p],
                    last: vec![p],
                })
            }
            Node::Alt(branches) => {
                let mut out = Fragment {
                    nullable: false,
                    first: Vec::new(),
                    last: Vec::new(),
                };
                for branch in branches {
                    let f = self.fragment(branch)?;
                    out.nullable |= f.nullable;
                    out.first.extend(f.first);
                    out.last.extend(f.last);
                }
                Ok(out)
            }
            Node::Concat(items) => {
                let mut out = Fragment {
                    nullable: true,
                    first: Vec::new(),
                    last: Vec::new(),
                };
                for item in items {
                    let f = self.fragment(item)?;
                    out = self.then(out, f);
                }
                Ok(out)
            }
            Node::Repeat { node, min, max, at } => self.repeat(node, *min, *max, *at),
        }
    }

    /// `a` followed by `b`.
    fn then(&mut self, a: Fragment, b: Fragment) -> Fragment {
        self.link(&a.last, &b.first);
        let mut first = a.first;
        if a.nullable {
            first.extend_from_slice(&b.first);
        }
        let mut last = b.last;
        if b.nullable {
            last.extend_from_slice(&a.last);
        }
        Fragment {
            nullable: a.nullable && b.nullable,
            first,
            last,
        }
    }

    /// `node{min,max}` as `node…node` (min times) then `(node(node…)?)?` or `node*`: every copy
    /// gets its own positions, so the automaton stays exact.
    fn repeat(&mut self, node: &Node, min: u32, max: Option<u32>, at: usize) -> Parsed<Fragment> {
        let repeats = max.is_none_or(|m| m > 1);
        let mut out = Fragment {
            nullable: true,
            first: Vec::new(),
            last: Vec::new(),
        };
        for _ in 0..min {
            let copy = self.fragment(node)?;
            if copy.nullable && repeats {
                return Err(PatternError {
                    at,
                    kind: PatternErrorKind::EmptyRepeat,
                });
            }
            out = self.then(out, copy);
        }
        match max {
            None => {
                let body = self.fragment(node)?;
                if body.nullable {
                    return Err(PatternError {
                        at,
                        kind: PatternErrorKind::EmptyRepeat,
                    });
                }
                self.link(&body.last, &body.first);
                let star = Fragment {
                    nullable: true,
                    first: body.first,
                    last: body.last,
                };
                out = self.then(out, star);
            }
            Some(max) => {
                // Optional copies, nested: (x(x(x)?)?)? — never x?x?x?, which is ambiguous.
                let mut optional: Option<Fragment> = None;
                for _ in min..max {
                    let copy = self.fragment(node)?;
                    if copy.nullable && repeats {
                        return Err(PatternError {
                            at,
                            kind: PatternErrorKind::EmptyRepeat,
                        });
                    }
                    optional = Some(match optional {
                        None => copy,
                        Some(inner) => {
                            let mut chained = copy;
                            self.link(&chained.last, &inner.first);
                            chained.last.extend(inner.last);
                            chained
                        }
                    });
                }
                if let Some(mut opt) = optional {
                    opt.nullable = true;
                    out = self.then(out, opt);
                }
            }
        }
        Ok(out)
    }

    /// Every set of possible next positions must be free of overlaps and duplicates.
    pub(super) fn check_deterministic(&self, start: &[usize]) -> Parsed<()> {
        for next in std::iter::once(start).chain(self.follow.iter().map(Vec::as_slice)) {
            for (i, &p) in next.iter().enumerate() {
                for &q in &next[i + 1..] {
                    let (set_p, at_p) = &self.positions[p];
                    let (set_q, at_q) = &self.positions[q];
                    if let Some(example) = set_p.common(set_q) {
                        return Err(PatternError {
                            at: (*at_p).min(*at_q),
                            kind: PatternErrorKind::Ambiguous {
                                other: (*at_p).max(*at_q),
                                example,
                            },
                        });
                    }
                }
            }
        }
        Ok(())
    }
}
