//! Reading strings, texts, lists and URLs — every one checked the same way.
//!
//! Each string of the format goes through [`TableReader::checked`]: trimmed, Windows line ends
//! normalised where a text may span lines, then refused if it holds a bidi control, an invisible
//! or a control character ([`crate::values::chars`]) or if it is longer than its limit
//! ([`crate::limits`]). Every read takes its limit as an argument, so no field of the format can
//! be read without one. The refused character is located precisely: its own column when written
//! as is, the column of its escape (`\u202E`, `\e`) otherwise.

use super::reader::{At, TableReader};
use crate::limits::{self, ListLimit, TextLimit, thousands};
use crate::values::chars::{first_forbidden, normalize_newlines};
use crate::values::{SafeUrl, Text};
use std::ops::Range;
use toml::Spanned;
use toml::de::DeValue;

/// Where `ch` is written in the source slice `span`: as is, or as one of its TOML escapes.
fn locate(source: &str, span: &Range<usize>, ch: char) -> usize {
    let Some(raw) = source.get(span.clone()) else {
        return span.start;
    };
    if let Some(i) = raw.find(ch) {
        return span.start + i;
    }
    let lower = raw.to_ascii_lowercase();
    let code = ch as u32;
    let mut spellings = vec![format!("\\u{code:04x}"), format!("\\u{code:08x}")];
    let short = match ch {
        '\u{8}' => Some("\\b"),
        '\t' => Some("\\t"),
        '\n' => Some("\\n"),
        '\u{c}' => Some("\\f"),
        '\r' => Some("\\r"),
        '\u{1b}' => Some("\\e"),
        _ => None,
    };
    spellings.extend(short.map(str::to_owned));
    spellings
        .iter()
        .filter_map(|s| lower.find(s.as_str()))
        .min()
        .map_or(span.start, |i| span.start + i)
}

impl<'c, 'i> TableReader<'c, '_, 'i> {
    /// `value` (read at `span` for field `key`) trimmed and checked against `limit`; `None`
    /// (reported) when refused. `what` names it in the length message.
    fn checked(
        &self,
        key: &str,
        span: Range<usize>,
        value: &str,
        limit: TextLimit,
        what: &str,
    ) -> Option<String> {
        let trimmed = value.trim();
        let value = if limit.multiline {
            normalize_newlines(trimmed)
        } else {
            trimmed.into()
        };
        if let Some(bad) = first_forbidden(&value, limit.multiline) {
            let at = locate(self.ctx.source.text, &span, bad.ch);
            self.error_at(key, at..at, bad.message(), bad.hint(limit.multiline));
            return None;
        }
        let chars = value.chars().count();
        if chars > limit.max_chars {
            self.error_at(
                key,
                span,
                format!(
                    "{what} is {} characters long, more than the {} allowed",
                    thousands(chars),
                    thousands(limit.max_chars)
                ),
                limit.shorten,
            );
            return None;
        }
        Some(value.into_owned())
    }

    /// The value under `key`; when there is none, a required key is reported missing.
    fn value_or_missing(
        &self,
        key: &'static str,
        required: bool,
        hint: &str,
    ) -> Option<&'c Spanned<DeValue<'i>>> {
        let Some((_, value)) = self.entry(key) else {
            if required {
                self.missing(key, hint);
            }
            return None;
        };
        Some(value)
    }

    /// A string (trimmed) within `limit`.
    pub fn str(
        &self,
        key: &'static str,
        required: bool,
        limit: TextLimit,
        hint: &str,
    ) -> Option<At<String>> {
        let value = self.value_or_missing(key, required, hint)?;
        let DeValue::String(s) = value.get_ref() else {
            self.wrong_type(key, value, "a string", hint);
            return None;
        };
        let span = value.span();
        let value = self.checked(key, span.clone(), s, limit, &format!("`{key}`"))?;
        Some(At { value, span })
    }

    /// A non-empty string within `limit`.
    pub fn non_empty(
        &self,
        key: &'static str,
        required: bool,
        limit: TextLimit,
        hint: &str,
    ) -> Option<At<String>> {
        let at = self.str(key, required, limit, hint)?;
        if at.value.is_empty() {
            self.error_at(key, at.span, format!("`{key}` is empty"), hint);
            return None;
        }
        Some(at)
    }

    /// An optional non-empty string within `limit`, without its span (for fields shown as
    /// written and never pointed at again).
    pub fn optional(&self, key: &'static str, limit: TextLimit, hint: &str) -> Option<String> {
        self.non_empty(key, false, limit, hint).map(|at| at.value)
    }

    /// One language of a text table: `key.lang`.
    fn language(&self, key: &str, lang: &Spanned<std::borrow::Cow<'_, str>>) -> bool {
        let lang_key = lang.get_ref().as_ref();
        let valid =
            (2..=3).contains(&lang_key.len()) && lang_key.chars().all(|c| c.is_ascii_lowercase());
        if !valid {
            self.error_at(
                &format!("{key}.{lang_key}"),
                lang.span(),
                format!("`{lang_key}` is not a language code"),
                "use a two-letter code such as `fr` or `en`",
            );
        }
        valid
    }

    /// A text in French, or a table of languages `{ fr = "…", en = "…" }`; every language
    /// within `limit`.
    pub fn text(
        &self,
        key: &'static str,
        required: bool,
        limit: TextLimit,
        hint: &str,
    ) -> Option<At<Text>> {
        let value = self.value_or_missing(key, required, hint)?;
        let span = value.span();
        let text = match value.get_ref() {
            DeValue::String(s) => {
                Text::fr(self.checked(key, span.clone(), s, limit, &format!("`{key}`"))?)
            }
            DeValue::Table(table) => {
                let mut text = Text::default();
                let (mut has_fr, mut refused) = (false, false);
                for (lang, v) in table.iter() {
                    let field = format!("{key}.{}", lang.get_ref());
                    let Some(s) = v.get_ref().as_str() else {
                        self.wrong_type(&field, v, "a string", hint);
                        continue;
                    };
                    if !self.language(key, lang) {
                        continue;
                    }
                    let Some(s) = self.checked(&field, v.span(), s, limit, &format!("`{field}`"))
                    else {
                        refused = true;
                        continue;
                    };
                    if lang.get_ref() == "fr" {
                        has_fr = true;
                        text.fr = s;
                    } else {
                        text.others.insert(lang.get_ref().to_string(), s);
                    }
                }
                if refused {
                    return None;
                }
                if !has_fr {
                    self.error_at(
                        key,
                        span.clone(),
                        "the French text is missing",
                        format!("add `fr = \"…\"` to `{key}`"),
                    );
                    return None;
                }
                text
            }
            _ => {
                self.wrong_type(key, value, "a text", hint);
                return None;
            }
        };
        if text.is_blank() {
            self.error_at(key, span, format!("`{key}` is empty"), hint);
            return None;
        }
        Some(At { value: text, span })
    }

    /// A list of strings (a single string is accepted as a one-item list): at most
    /// `limit.max_items` are read, each within `limit.item`.
    pub fn str_list(&self, key: &'static str, limit: ListLimit, hint: &str) -> Vec<At<String>> {
        let Some((_, value)) = self.entry(key) else {
            return Vec::new();
        };
        let items: Vec<&Spanned<DeValue<'_>>> = match value.get_ref() {
            DeValue::String(_) => vec![value],
            DeValue::Array(items) => items.iter().collect(),
            _ => {
                self.wrong_type(key, value, "a list of strings", hint);
                return Vec::new();
            }
        };
        if let Some(first_extra) = items.get(limit.max_items) {
            self.error_at(
                key,
                first_extra.span(),
                format!(
                    "`{key}` has {} items, more than the {} allowed",
                    thousands(items.len()),
                    thousands(limit.max_items)
                ),
                format!(
                    "only the first {} are read; keep the ones that matter most",
                    thousands(limit.max_items)
                ),
            );
        }
        let what = format!("this item of `{key}`");
        items
            .into_iter()
            .take(limit.max_items)
            .filter_map(|item| {
                let DeValue::String(s) = item.get_ref() else {
                    self.wrong_type(key, item, "a string", hint);
                    return None;
                };
                let value = self.checked(key, item.span(), s, limit.item, &what)?;
                if value.is_empty() {
                    self.error_at(
                        key,
                        item.span(),
                        "an item of the list is empty",
                        "remove it",
                    );
                    return None;
                }
                Some(At {
                    value,
                    span: item.span(),
                })
            })
            .collect()
    }

    /// An absolute URL allowed by the policy.
    pub fn url(&self, key: &'static str, required: bool) -> Option<At<SafeUrl>> {
        let at = self.str(
            key,
            required,
            limits::URL,
            "write an address starting with `https://`",
        )?;
        match SafeUrl::parse(&at.value, self.ctx.policy) {
            Ok(url) => Some(At {
                value: url,
                span: at.span,
            }),
            Err(hint) => {
                self.error_at(
                    key,
                    at.span,
                    format!("`{}` is not an allowed address", at.value),
                    hint,
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::locate;
    use crate::parse::{ParseOptions, parse_root};

    fn service(fields: &str) -> crate::Parsed<Option<crate::Catalogue>> {
        let text = format!(
            "[federation]\nname = \"T\"\n[[member]]\nid = \"gien\"\nkind = \"commune\"\ncode = \"45155\"\nname = \"Gien\"\n[[service]]\nid = \"gien/a\"\ncategory = \"eau\"\nchannels.counter = {{}}\nsummary = \"S.\"\n{fields}"
        );
        parse_root("t.toml", &text, ParseOptions::default())
    }

    fn messages(parsed: &crate::Parsed<Option<crate::Catalogue>>) -> Vec<String> {
        parsed.diagnostics.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn descriptions_may_span_lines_and_windows_line_ends_are_normalised() {
        let parsed = service(
            "title = \"T\"\ndescription = \"\"\"\r\nUn\r\n\r\n- deux\tpoints\r\n\"\"\"\r\n",
        );
        assert_eq!(messages(&parsed), Vec::<String>::new());
        let catalogue = parsed.value.unwrap();
        let description = catalogue.services[0].description.as_ref().unwrap();
        assert_eq!(description.fr, "Un\n\n- deux\tpoints");
    }

    #[test]
    fn a_translation_is_checked_like_the_french_text() {
        let parsed = service("title = { fr = \"Acte\", en = \"Birth \\u202Ecertificate\" }");
        assert_eq!(
            messages(&parsed),
            [
                "t.toml:13:36: service `gien/a` field `title.en`: contains U+202E RIGHT-TO-LEFT OVERRIDE, a bidirectional control, which makes text display in another order than it is written; remove it (it does not show: if the text was copied from another document, type it again)"
            ]
        );
        assert!(
            parsed.value.unwrap().services.is_empty(),
            "the service is refused"
        );
        let parsed = service(&format!(
            "title = {{ fr = \"Acte\", en = \"{}\" }}",
            "x".repeat(121)
        ));
        assert!(
            messages(&parsed)[0]
                .contains("`title.en` is 121 characters long, more than the 120 allowed")
        );
    }

    #[test]
    fn an_over_long_list_keeps_its_first_items() {
        let evidence: Vec<String> = (0..31).map(|i| format!("\"pièce {i}\"")).collect();
        let parsed = service(&format!(
            "title = \"T\"\nevidence = [{}]",
            evidence.join(", ")
        ));
        assert_eq!(parsed.diagnostics.len(), 1);
        assert!(
            parsed.diagnostics[0]
                .message
                .contains("`evidence` has 31 items, more than the 30 allowed")
        );
        let catalogue = parsed.value.unwrap();
        assert_eq!(catalogue.services[0].evidence.len(), 30);
        assert_eq!(catalogue.services[0].evidence[29], "pièce 29");
    }

    #[test]
    fn locates_a_character_written_as_is_or_escaped() {
        let source = "t = \"a\u{202E}b\" e = \"x\\u202Ey\" f = \"x\\U0000202ey\" g = \"x\\ey\"";
        let at = |from: usize, ch: char| locate(source, &(from..source.len()), ch);
        assert_eq!(at(4, '\u{202E}'), 6);
        let e = source.find("e =").unwrap();
        assert_eq!(at(e, '\u{202E}'), e + 6);
        let f = source.find("f =").unwrap();
        assert_eq!(at(f, '\u{202E}'), f + 6);
        let g = source.find("g =").unwrap();
        assert_eq!(at(g, '\u{1b}'), g + 6);
        assert_eq!(locate(source, &(0..3), '\u{7}'), 0);
    }

    #[test]
    fn a_long_unknown_key_is_shown_shortened() {
        let parsed = service(&format!("title = \"T\"\n\"{}\" = 1", "k".repeat(100_000)));
        let shown = messages(&parsed).join("\n");
        assert!(shown.len() < 400, "{} bytes", shown.len());
        assert!(
            shown.contains(&format!("unknown field `{}…`", "k".repeat(64))),
            "{shown}"
        );
    }
}
