//! Reading typed values out of TOML's spanned tree, collecting every problem on the way.
//!
//! serde's derive stops at the first error and forgets where values were; a clerk wants all the
//! mistakes of a file at once, each with its line. So the document is parsed into toml's spanned
//! tree (`DeTable`) and read field by field here: each read registers the key as known, reports a
//! wrong type where the value is, and [`TableReader::finish`] reports every unknown key with the
//! closest known one ("did you mean `summary`?"). Strings, texts, lists and URLs are read in
//! [`super::fields`], where every one is checked for refused characters and its length limit.

use crate::diagnostic::{Diagnostic, FieldPath, SourceText};
use crate::limits::thousands;
use crate::values::UrlPolicy;
use std::cell::RefCell;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// What a whole parse shares: the source, the URL policy, the diagnostics found so far.
pub struct Ctx<'a> {
    pub source: SourceText<'a>,
    pub policy: UrlPolicy,
    diagnostics: RefCell<Vec<Diagnostic>>,
}

impl<'a> Ctx<'a> {
    pub fn new(file: &'a str, text: &'a str, policy: UrlPolicy) -> Self {
        Ctx {
            source: SourceText::new(file, text),
            policy,
            diagnostics: RefCell::new(Vec::new()),
        }
    }

    pub fn report(
        &self,
        span: Range<usize>,
        path: FieldPath,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let d = self.source.diagnostic(span, path, message, hint);
        self.diagnostics.borrow_mut().push(d);
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut d = self.diagnostics.into_inner();
        d.sort_by_key(|d| (d.line, d.column));
        d
    }
}

/// Human name of a TOML value's type, for "expected a string, found …".
pub fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// One table being read.
pub struct TableReader<'c, 'a, 'i> {
    pub ctx: &'c Ctx<'a>,
    table: &'c DeTable<'i>,
    pub span: Range<usize>,
    pub path: FieldPath,
    known: RefCell<Vec<&'static str>>,
}

/// A value read with where it was.
#[derive(Clone, Debug)]
pub struct At<T> {
    pub value: T,
    pub span: Range<usize>,
}

impl<'c, 'a, 'i> TableReader<'c, 'a, 'i> {
    pub fn new(
        ctx: &'c Ctx<'a>,
        table: &'c DeTable<'i>,
        span: Range<usize>,
        path: FieldPath,
    ) -> Self {
        TableReader {
            ctx,
            table,
            span,
            path,
            known: RefCell::new(Vec::new()),
        }
    }

    /// Re-labels the owner once its id is known (errors then say "service `gien/x`").
    pub fn set_path(&mut self, path: FieldPath) {
        self.path = path;
    }

    pub(super) fn entry(
        &self,
        key: &'static str,
    ) -> Option<(
        &'c Spanned<std::borrow::Cow<'i, str>>,
        &'c Spanned<DeValue<'i>>,
    )> {
        self.known.borrow_mut().push(key);
        self.table.iter().find(|(k, _)| k.get_ref().as_ref() == key)
    }

    pub fn has(&self, key: &'static str) -> bool {
        self.entry(key).is_some()
    }

    pub(super) fn wrong_type(
        &self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        expected: &str,
        hint: &str,
    ) {
        self.ctx.report(
            value.span(),
            self.path.join(key),
            format!("expected {expected}, found {}", type_name(value.get_ref())),
            hint,
        );
    }

    pub fn missing(&self, key: &str, hint: &str) {
        self.ctx.report(
            self.span.clone(),
            self.path.join(key),
            format!("required field `{key}` is missing"),
            hint,
        );
    }

    /// An error on the value of `key` (or on the table when absent).
    pub fn error_at(
        &self,
        key: &str,
        span: Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.ctx.report(span, self.path.join(key), message, hint);
    }

    pub fn bool(&self, key: &'static str) -> Option<bool> {
        let (_, value) = self.entry(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(
                    key,
                    value,
                    "`true` or `false`",
                    "write `true` or `false` without quotes",
                );
                None
            }
        }
    }

    /// A sub-table.
    pub fn table(&self, key: &'static str) -> Option<TableReader<'c, 'a, 'i>> {
        let (_, value) = self.entry(key)?;
        match value.get_ref() {
            DeValue::Table(t) => Some(TableReader::new(
                self.ctx,
                t,
                value.span(),
                self.path.join(key),
            )),
            _ => {
                self.wrong_type(
                    key,
                    value,
                    "a table",
                    &format!("write `[…{key}]` on its own line, then its fields"),
                );
                None
            }
        }
    }

    /// An array of tables (`[[key]]`), at most `max` of them (the rest is reported and not
    /// read); a single table is accepted too.
    pub fn tables(
        &self,
        key: &'static str,
        max: usize,
        owner_path: impl Fn(usize) -> FieldPath,
    ) -> Vec<TableReader<'c, 'a, 'i>> {
        let Some((_, value)) = self.entry(key) else {
            return Vec::new();
        };
        match value.get_ref() {
            DeValue::Array(items) => {
                if let Some(first_extra) = items.get(max) {
                    self.error_at(
                        key,
                        first_extra.span(),
                        format!(
                            "{} `[[{key}]]` entries, more than the {} allowed here",
                            thousands(items.len()),
                            thousands(max)
                        ),
                        format!("only the first {} are read", thousands(max)),
                    );
                }
                items
                    .iter()
                    .take(max)
                    .enumerate()
                    .filter_map(|(i, item)| match item.get_ref() {
                        DeValue::Table(t) => Some(TableReader::new(
                            self.ctx,
                            t,
                            item.span(),
                            owner_path(i + 1),
                        )),
                        _ => {
                            self.wrong_type(
                                key,
                                item,
                                "a table",
                                &format!("use `[[{key}]]` sections"),
                            );
                            None
                        }
                    })
                    .collect()
            }
            DeValue::Table(t) => vec![TableReader::new(self.ctx, t, value.span(), owner_path(1))],
            _ => {
                self.wrong_type(
                    key,
                    value,
                    "a list of tables",
                    &format!("use `[[{key}]]` sections"),
                );
                Vec::new()
            }
        }
    }

    /// The `id` strings of the tables in the array `key`, valid or not (no diagnostics).
    pub fn written_ids(&self, key: &str) -> Vec<String> {
        let Some((_, value)) = self.table.iter().find(|(k, _)| k.get_ref().as_ref() == key) else {
            return Vec::new();
        };
        let tables: Vec<&DeTable<'_>> = match value.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|i| i.get_ref().as_table())
                .collect(),
            DeValue::Table(t) => vec![t],
            _ => Vec::new(),
        };
        tables
            .into_iter()
            .filter_map(|t| t.iter().find(|(k, _)| k.get_ref().as_ref() == "id"))
            .filter_map(|(_, v)| v.get_ref().as_str().map(|s| s.trim().to_owned()))
            .collect()
    }

    /// Reports every key that was never asked for, with the closest known key.
    pub fn finish(self) {
        let known = self.known.into_inner();
        for (key, _) in self.table.iter() {
            let name = key.get_ref().as_ref();
            if known.contains(&name) {
                continue;
            }
            // A key may be any quoted string: a long one is shown shortened, not compared.
            let long = name.chars().count() > 64;
            let shown: String = match long {
                true => name.chars().take(64).chain(['…']).collect(),
                false => name.to_owned(),
            };
            let closest = known
                .iter()
                .filter(|_| !long)
                .map(|k| (strsim::damerau_levenshtein(k, name), *k))
                .filter(|(d, k)| *d <= 2.max(k.len() / 3))
                .min();
            let hint = match closest {
                Some((_, k)) => format!("did you mean `{k}`?"),
                None => {
                    let mut list = known.clone();
                    list.sort_unstable();
                    list.dedup();
                    format!("known fields: {}", list.join(", "))
                }
            };
            self.ctx.report(
                key.span(),
                self.path.join(&shown),
                format!("unknown field `{shown}`"),
                hint,
            );
        }
    }
}
