//! Parsing catalogue files: the root `services.toml` and members' fragments.
//!
//! Parsing never panics and never stops at the first problem: it returns every diagnostic of the
//! file and the entries that are valid. An invalid member or service is left out (and reported);
//! only a file that is not TOML at all, or whose `[federation]` is unusable, yields no catalogue.

mod member;
mod reader;
mod service;

pub use member::{is_slug, slugify};
pub use service::{DESCRIPTION_MAX, SUMMARY_MAX, TITLE_MAX};

use crate::diagnostic::{Diagnostic, FieldPath, Location, Owner};
use crate::model::{Catalogue, Service};
use crate::values::UrlPolicy;
use reader::{Ctx, TableReader};
use std::collections::HashMap;
use toml::de::DeTable;

/// How strict to be.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    pub policy: UrlPolicy,
}

impl ParseOptions {
    /// `http://localhost` and `http://127.0.0.1` allowed (demo and tests).
    pub fn dev() -> Self {
        ParseOptions {
            policy: UrlPolicy::Development,
        }
    }
}

/// Where values came from, for checks that run after parsing (territory codes, duplicates across
/// files). Keys: `member:<id>`, `member:<id>:code`, `service:<id>`, …
#[derive(Clone, Debug, Default)]
pub struct Locations {
    map: HashMap<String, Location>,
}

impl Locations {
    pub fn insert(&mut self, key: String, location: Location) {
        self.map.insert(key, location);
    }

    pub fn get(&self, key: &str) -> Option<&Location> {
        self.map.get(key)
    }

    pub fn extend(&mut self, other: Locations) {
        self.map.extend(other.map);
    }

    /// The location of `key`, or the start of `fallback_file`.
    pub fn or_file(&self, key: &str, fallback_file: &str) -> Location {
        self.get(key).cloned().unwrap_or_else(|| Location {
            file: fallback_file.to_owned(),
            line: 1,
            column: 1,
        })
    }
}

/// The result of parsing one file.
#[derive(Clone, Debug)]
pub struct Parsed<T> {
    pub value: T,
    pub locations: Locations,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses TOML syntax, reporting syntax errors; `None` when the file is not valid TOML.
fn document<'i>(ctx: &Ctx<'_>, text: &'i str) -> Option<toml::Spanned<DeTable<'i>>> {
    let (table, errors) = DeTable::parse_recoverable(text);
    for error in &errors {
        let span = error.span().unwrap_or(0..0);
        let message = error
            .message()
            .lines()
            .next()
            .unwrap_or("invalid TOML")
            .trim_end_matches('.')
            .to_owned();
        ctx.report(
            span,
            FieldPath::new(Owner::Document, ""),
            format!("invalid TOML: {message}"),
            "check quotes, brackets and `=` on this line (see docs/catalogue.md)",
        );
    }
    errors.is_empty().then_some(table)
}

/// Parses the root catalogue (`services.toml`).
pub fn parse_root(file: &str, text: &str, options: ParseOptions) -> Parsed<Option<Catalogue>> {
    let ctx = Ctx::new(file, text, options.policy);
    let mut locations = Locations::default();
    let catalogue = document(&ctx, text).and_then(|doc| {
        let root = TableReader::new(
            &ctx,
            doc.get_ref(),
            doc.span(),
            FieldPath::new(Owner::Document, ""),
        );
        let federation = match root.table("federation") {
            Some(mut t) => {
                t.set_path(FieldPath::new(Owner::Federation, ""));
                member::read_federation(t)
            }
            None => {
                if !root.has("federation") {
                    root.missing(
                        "federation",
                        "start the file with a `[federation]` section giving its `name`",
                    );
                }
                None
            }
        };
        let members: Vec<_> = root
            .tables("member", |i| {
                FieldPath::new(Owner::Member(format!("#{i}")), "")
            })
            .into_iter()
            .filter_map(|t| member::read_member(t, &mut locations))
            .collect();
        // Every id written, even on an invalid member: its services are then not reported again.
        let member_ids: Vec<String> = root.written_ids("member");
        let scope = service::Scope::Root(&member_ids);
        let services: Vec<_> = root
            .tables("service", |i| {
                FieldPath::new(Owner::Service(format!("#{i}")), "")
            })
            .into_iter()
            .filter_map(|t| service::read_service(t, &scope, &mut locations))
            .collect();
        root.finish();
        Some(Catalogue {
            federation: federation?,
            members,
            services,
        })
    });
    let mut diagnostics = ctx.into_diagnostics();
    let catalogue = catalogue.map(|mut c| {
        diagnostics.extend(crate::validate::dedupe(&mut c, &locations, file));
        c
    });
    Parsed {
        value: catalogue,
        locations,
        diagnostics,
    }
}

/// Parses a member's fragment: only services of `member` may appear in it.
pub fn parse_fragment(
    file: &str,
    text: &str,
    member: &str,
    options: ParseOptions,
) -> Parsed<Vec<Service>> {
    let ctx = Ctx::new(file, text, options.policy);
    let mut locations = Locations::default();
    let services = document(&ctx, text)
        .map(|doc| {
            let root = TableReader::new(&ctx, doc.get_ref(), doc.span(), FieldPath::new(Owner::Document, ""));
            let declared = root.str("member", false, "the id of the member publishing this fragment");
            if let Some(declared) = declared.filter(|d| d.value != member) {
                {
                    root.error_at(
                        "member",
                        declared.span,
                        format!("this fragment says it belongs to `{}`, but the federation lists it for `{member}`", declared.value),
                        format!("write `member = \"{member}\"` or fix the member's `fragment` URL in the root catalogue"),
                    );
                }
            }
            let scope = service::Scope::Fragment(member);
            let services = root
                .tables("service", |i| FieldPath::new(Owner::Service(format!("#{i}")), ""))
                .into_iter()
                .filter_map(|t| service::read_service(t, &scope, &mut locations))
                .collect();
            root.finish();
            services
        })
        .unwrap_or_default();
    Parsed {
        value: services,
        locations,
        diagnostics: ctx.into_diagnostics(),
    }
}
