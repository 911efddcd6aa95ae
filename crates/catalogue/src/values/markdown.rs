//! A tiny, safe Markdown subset for service descriptions, parsed into a tree — never into HTML.
//!
//! Supported: paragraphs (separated by a blank line), bullet lists (`- ` or `* `), numbered lists
//! (`1. `), `*emphasis*`, `**strong**` and `[links](https://…)`. Anything else, including raw HTML,
//! stays literal text. The SPA renders the tree as DOM nodes, so a description can never inject
//! markup or script.
//!
//! A link becomes a link only when its address passes the URL policy and its text does not name
//! another site than the one it opens (see [`super::link_text`]); otherwise it stays literal
//! text — the citizen sees both the text and the real address — and the same walk reports it to
//! the validator ([`parse_checked`]), so what the portal shows and what the CLI says cannot differ.

use super::link_text::hidden_host;
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

/// A link left as text, with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusedLink {
    pub text: String,
    pub target: String,
    pub message: String,
    pub hint: String,
}

/// Parses `source`; refused links become text (see [`parse_checked`]).
pub fn parse(source: &str, policy: UrlPolicy) -> Vec<Block> {
    parse_checked(source, policy).0
}

/// The links of `source` that stay text, with why (for the validator).
pub fn refused_links(source: &str, policy: UrlPolicy) -> Vec<RefusedLink> {
    parse_checked(source, policy).1
}

type InlineFn<'f> = dyn FnMut(&str) -> Vec<Inline> + 'f;

/// Parses `source` and says which links were refused.
pub fn parse_checked(source: &str, policy: UrlPolicy) -> (Vec<Block>, Vec<RefusedLink>) {
    let mut refused = Vec::new();
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Option<(bool, Vec<Vec<Inline>>)> = None;
    let mut inlines = |text: &str| inlines(text, policy, &mut refused);

    let flush_paragraph =
        |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>, inlines: &mut InlineFn<'_>| {
            if !paragraph.is_empty() {
                blocks.push(Block::Paragraph(inlines(&paragraph.join(" "))));
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
            flush_paragraph(&mut paragraph, &mut blocks, &mut inlines);
            flush_list(&mut list, &mut blocks);
            continue;
        }
        let item = list_item(line);
        match item {
            Some((numbered, text)) => {
                flush_paragraph(&mut paragraph, &mut blocks, &mut inlines);
                if list.as_ref().is_some_and(|(n, _)| *n != numbered) {
                    flush_list(&mut list, &mut blocks);
                }
                list.get_or_insert_with(|| (numbered, Vec::new()))
                    .1
                    .push(inlines(text));
            }
            None => match &mut list {
                // A line following a list item continues it.
                Some((_, items)) if paragraph.is_empty() => {
                    if let Some(last) = items.last_mut() {
                        last.push(Inline::Text(" ".into()));
                        last.extend(inlines(line));
                    }
                }
                _ => paragraph.push(line),
            },
        }
    }
    flush_paragraph(&mut paragraph, &mut blocks, &mut inlines);
    flush_list(&mut list, &mut blocks);
    (blocks, refused)
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
fn inlines(text: &str, policy: UrlPolicy, refused: &mut Vec<RefusedLink>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let parsed = match c {
            '*' if rest.starts_with("**") => {
                delimited(rest, "**").map(|(t, n)| (Inline::Strong(t), n))
            }
            '*' | '_' => delimited(rest, &rest[..1]).map(|(t, n)| (Inline::Emphasis(t), n)),
            '[' => link(rest, policy, refused),
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

/// `[text](url)` with an allowed URL and an honest text; a well-formed link that is refused is
/// recorded in `refused` and left as text.
fn link(text: &str, policy: UrlPolicy, refused: &mut Vec<RefusedLink>) -> Option<(Inline, usize)> {
    let close = text.find("](")?;
    let label = &text[1..close];
    let after = &text[close + 2..];
    let end = closing_paren(after)?;
    let target = &after[..end];
    if label.contains('[') {
        // The link starts at the inner `[`, which the walk reaches next.
        return None;
    }
    if label.contains(']') {
        // `[a]b](url)`: the text closed at the first `]`, and CommonMark makes no link of it.
        return None;
    }
    let mut refuse = |message: String, hint: String| {
        refused.push(RefusedLink {
            text: label.to_owned(),
            target: target.to_owned(),
            message,
            hint,
        });
    };
    let url = match SafeUrl::parse(target, policy) {
        Ok(url) => url,
        Err(reason) => {
            refuse(format!("link `{target}` is not allowed"), reason);
            return None;
        }
    };
    if label.trim().is_empty() {
        return None;
    }
    if let Some(named) = hidden_host(label, &url) {
        refuse(
            format!(
                "the text of link `{label}` names `{named}`, but the link opens `{}`",
                url.host()
            ),
            "write the link's text in words (e.g. `le site des impôts`), or name the site it really opens".to_owned(),
        );
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
        let refused = refused_links("[ceci](javascript:alert(1))", UrlPolicy::Production);
        assert_eq!(refused.len(), 1);
        assert_eq!(
            refused[0].message,
            "link `javascript:alert(1)` is not allowed"
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

    /// Found by `tests/differential.rs`: `[]](https://b.fr)` was a link with the text `]`, which
    /// CommonMark does not make.
    #[test]
    fn a_text_with_a_stray_closing_bracket_is_no_link() {
        for source in ["[]](https://b.fr)", "[a]b](https://b.fr)"] {
            let blocks = parse(source, UrlPolicy::Production);
            assert_eq!(
                blocks,
                vec![Block::Paragraph(vec![text(source)])],
                "{source}"
            );
        }
    }

    #[test]
    fn unclosed_markers_are_literal() {
        let blocks = parse("5 * 3 et _a", UrlPolicy::Production);
        assert_eq!(plain_text(&blocks), "5 * 3 et _a");
    }

    #[test]
    fn a_link_whose_text_names_another_site_stays_text_and_is_reported() {
        let source = "Payez sur [impots.gouv.fr](https://impots-gouv.example/payer).";
        let (blocks, refused) = parse_checked(source, UrlPolicy::Production);
        assert_eq!(
            blocks,
            vec![Block::Paragraph(vec![text(
                "Payez sur [impots.gouv.fr](https://impots-gouv.example/payer)."
            )])]
        );
        assert_eq!(refused.len(), 1);
        assert_eq!(
            refused[0].message,
            "the text of link `impots.gouv.fr` names `impots.gouv.fr`, but the link opens `impots-gouv.example`"
        );
    }

    #[test]
    fn a_link_naming_its_own_site_is_a_link() {
        let (blocks, refused) = parse_checked(
            "Voir [service-public.fr](https://www.service-public.fr/particuliers/vosdroits/F1427).",
            UrlPolicy::Production,
        );
        assert!(refused.is_empty(), "{refused:?}");
        let Block::Paragraph(inlines) = &blocks[0] else {
            panic!()
        };
        assert!(matches!(&inlines[1], Inline::Link { text, .. } if text == "service-public.fr"));
    }

    #[test]
    fn every_refused_link_is_reported_once_even_when_nested_or_unlabelled() {
        let refused = refused_links(
            "[a [b](javascript:x) et [](data:text/html,x)\n\n- [gien.fr](https://evil.example)",
            UrlPolicy::Production,
        );
        let targets: Vec<&str> = refused.iter().map(|r| r.target.as_str()).collect();
        assert_eq!(
            targets,
            ["javascript:x", "data:text/html,x", "https://evil.example"]
        );
    }
}
