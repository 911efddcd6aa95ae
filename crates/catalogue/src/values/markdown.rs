//! A tiny, safe Markdown subset for service descriptions, parsed into a tree — never into HTML.
//!
//! Supported: paragraphs (separated by a blank line), bullet lists (`- ` or `* `), numbered lists
//! (`1. `), `*emphasis*`, `**strong**` and `[links](https://…)`. Anything else, including raw HTML,
//! stays literal text. The SPA renders the tree as DOM nodes, so a description can never inject
//! markup or script. Links that fail the URL policy are kept as plain text and reported by the
//! validator.

use super::url::{SafeUrl, UrlPolicy};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    BulletList(Vec<Vec<Inline>>),
    NumberedList(Vec<Vec<Inline>>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Emphasis(String),
    Strong(String),
    Link { text: String, url: SafeUrl },
}

/// Parses `source`; links not allowed by `policy` become text (see [`rejected_links`]).
pub fn parse(source: &str, policy: UrlPolicy) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Option<(bool, Vec<Vec<Inline>>)> = None;

    let flush_paragraph = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(inlines(&paragraph.join(" "), policy)));
            paragraph.clear();
        }
    };
    let flush_list = |list: &mut Option<(bool, Vec<Vec<Inline>>)>, blocks: &mut Vec<Block>| {
        if let Some((numbered, items)) = list.take() {
            blocks.push(if numbered {
                Block::NumberedList(items)
            } else {
                Block::BulletList(items)
            });
        }
    };

    for raw in source.lines() {
        let line = raw.trim();
        if line.is_empty() {
            flush_paragraph(&mut paragraph, &mut blocks);
            flush_list(&mut list, &mut blocks);
            continue;
        }
        let item = list_item(line);
        match item {
            Some((numbered, text)) => {
                flush_paragraph(&mut paragraph, &mut blocks);
                if list.as_ref().is_some_and(|(n, _)| *n != numbered) {
                    flush_list(&mut list, &mut blocks);
                }
                list.get_or_insert_with(|| (numbered, Vec::new()))
                    .1
                    .push(inlines(text, policy));
            }
            None => match &mut list {
                // A line following a list item continues it.
                Some((_, items)) if paragraph.is_empty() => {
                    if let Some(last) = items.last_mut() {
                        last.push(Inline::Text(" ".into()));
                        last.extend(inlines(line, policy));
                    }
                }
                _ => paragraph.push(line),
            },
        }
    }
    flush_paragraph(&mut paragraph, &mut blocks);
    flush_list(&mut list, &mut blocks);
    blocks
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some((false, rest.trim()));
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if let Some(rest) = line[digits..]
        .strip_prefix(". ")
        .filter(|_| digits > 0 && digits < 4)
    {
        return Some((true, rest.trim()));
    }
    None
}

/// Inline markup of one paragraph or list item.
fn inlines(text: &str, policy: UrlPolicy) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let parsed = match c {
            '*' if rest.starts_with("**") => {
                delimited(rest, "**").map(|(t, n)| (Inline::Strong(t), n))
            }
            '*' | '_' => delimited(rest, &rest[..1]).map(|(t, n)| (Inline::Emphasis(t), n)),
            '[' => link(rest, policy),
            _ => None,
        };
        match parsed {
            Some((inline, consumed)) => {
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                out.push(inline);
                rest = &rest[consumed..];
            }
            None => {
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

/// `*text*` → ("text", bytes consumed) when closed on the same line and not empty.
fn delimited(text: &str, marker: &str) -> Option<(String, usize)> {
    let inner = &text[marker.len()..];
    let end = inner.find(marker)?;
    let content = &inner[..end];
    if content.trim().is_empty() || content.starts_with(' ') || content.ends_with(' ') {
        return None;
    }
    Some((content.to_owned(), marker.len() * 2 + end))
}

/// `[text](url)` with an allowed URL.
fn link(text: &str, policy: UrlPolicy) -> Option<(Inline, usize)> {
    let close = text.find("](")?;
    let label = &text[1..close];
    let after = &text[close + 2..];
    let end = closing_paren(after)?;
    let url = SafeUrl::parse(&after[..end], policy).ok()?;
    if label.trim().is_empty() || label.contains('[') {
        return None;
    }
    Some((
        Inline::Link {
            text: label.to_owned(),
            url,
        },
        close + 2 + end + 1,
    ))
}

/// Position of the `)` closing a link target, allowing balanced parentheses inside it.
fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Link targets in `source` that the policy refuses, with the reason, for the validator.
pub fn rejected_links(source: &str, policy: UrlPolicy) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("](") {
        let after = &rest[start + 2..];
        let Some(end) = closing_paren(after) else {
            break;
        };
        let target = &after[..end];
        if let Err(reason) = SafeUrl::parse(target, policy) {
            out.push((target.to_owned(), reason));
        }
        rest = &after[end..];
    }
    out
}

/// The plain text of a tree (for search and summaries).
pub fn plain_text(blocks: &[Block]) -> String {
    let inline_text = |items: &[Inline]| -> String {
        items
            .iter()
            .map(|i| match i {
                Inline::Text(t) | Inline::Emphasis(t) | Inline::Strong(t) => t.as_str(),
                Inline::Link { text, .. } => text.as_str(),
            })
            .collect()
    };
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(i) => inline_text(i),
            Block::BulletList(items) | Block::NumberedList(items) => items
                .iter()
                .map(|i| inline_text(i))
                .collect::<Vec<_>>()
                .join(" "),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn paragraphs_lists_and_emphasis() {
        let blocks = parse(
            "Première ligne\nsuite.\n\n- un *élément*\n- **deux**\n\n1. a\n2. b",
            UrlPolicy::Production,
        );
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![text("Première ligne suite.")]),
                Block::BulletList(vec![
                    vec![text("un "), Inline::Emphasis("élément".into())],
                    vec![Inline::Strong("deux".into())],
                ]),
                Block::NumberedList(vec![vec![text("a")], vec![text("b")]]),
            ]
        );
    }

    #[test]
    fn https_links_become_links_and_others_stay_text() {
        let blocks = parse(
            "Voir [le site](https://www.gien.fr) ou [ceci](javascript:alert(1)).",
            UrlPolicy::Production,
        );
        let Block::Paragraph(inlines) = &blocks[0] else {
            panic!()
        };
        assert!(
            matches!(&inlines[1], Inline::Link { text, url } if text == "le site" && url.as_str() == "https://www.gien.fr")
        );
        assert!(inlines.iter().all(
            |i| !matches!(i, Inline::Link { url, .. } if url.as_str().starts_with("javascript"))
        ));
        assert_eq!(
            rejected_links("[ceci](javascript:alert(1))", UrlPolicy::Production).len(),
            1
        );
    }

    #[test]
    fn raw_html_is_just_text() {
        let blocks = parse(
            "<script>alert(1)</script> <b>gras</b>",
            UrlPolicy::Production,
        );
        assert_eq!(
            blocks,
            vec![Block::Paragraph(vec![text(
                "<script>alert(1)</script> <b>gras</b>"
            )])]
        );
    }

    #[test]
    fn unclosed_markers_are_literal() {
        let blocks = parse("5 * 3 et _a", UrlPolicy::Production);
        assert_eq!(plain_text(&blocks), "5 * 3 et _a");
    }
}
