//! Parsing catalogue files: the root `services.toml` and members' fragments.
//!
//! Parsing never panics and never stops at the first problem: it returns every diagnostic of the
//! file and the entries that are valid. An invalid member or service is left out (and reported);
//! only a file that is over its byte limit, not UTF-8 ([`decode`]), not TOML at all, or whose
//! `[federation]` is unusable, yields no catalogue.
//!
//! The portal and the CLI both start from bytes: [`parse_root_bytes`] and
//! [`parse_fragment_bytes`] check the byte limit, decode, and parse, so both refuse the same files
//! with the same words.

mod channels;
mod contact;
mod encoding;
mod fields;
mod member;
mod reader;
mod service;

pub use encoding::decode;
pub use member::{is_slug, slugify};

use crate::diagnostic::{Diagnostic, FieldPath, Location, Owner};
use crate::limits;
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

const ROOT_TOO_LARGE: &str =
    "keep members' services in their own fragments (`fragment = \"…\"`), one file per member";
const FRAGMENT_TOO_LARGE: &str = "shorten descriptions or remove services that are not offered; link to the member's website for details";

/// A file refused before parsing.
fn refused<T>(value: T, diagnostic: Diagnostic) -> Parsed<T> {
    Parsed {
        value,
        locations: Locations::default(),
        diagnostics: vec![diagnostic],
    }
}

/// Parses the root catalogue from the bytes of the file (see [`parse_root`]).
pub fn parse_root_bytes(
    file: &str,
    bytes: &[u8],
    options: ParseOptions,
) -> Parsed<Option<Catalogue>> {
    let what = "a root catalogue";
    if let Some(d) = encoding::check_size(file, bytes, limits::MAX_ROOT_BYTES, what, ROOT_TOO_LARGE)
    {
        return refused(None, d);
    }
    match decode(file, bytes) {
        Ok(text) => parse_root(file, text, options),
        Err(d) => refused(None, *d),
    }
}

/// Parses a member's fragment from the bytes of the file (see [`parse_fragment`]).
pub fn parse_fragment_bytes(
    file: &str,
    bytes: &[u8],
    member: &str,
    options: ParseOptions,
) -> Parsed<Vec<Service>> {
    let (max, hint) = (limits::MAX_FRAGMENT_BYTES, FRAGMENT_TOO_LARGE);
    if let Some(d) = encoding::check_size(file, bytes, max, "a fragment", hint) {
        return refused(Vec::new(), d);
    }
    match decode(file, bytes) {
        Ok(text) => parse_fragment(file, text, member, options),
        Err(d) => refused(Vec::new(), *d),
    }
}

/// Parses the root catalogue (`services.toml`).
pub fn parse_root(file: &str, text: &str, options: ParseOptions) -> Parsed<Option<Catalogue>> {
    let what = "a root catalogue";
    let (max, hint) = (limits::MAX_ROOT_BYTES, ROOT_TOO_LARGE);
    if let Some(d) = encoding::check_size(file, text.as_bytes(), max, what, hint) {
        return refused(None, d);
    }
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
            .tables("member", limits::MAX_MEMBERS, |i| {
                FieldPath::new(Owner::Member(format!("#{i}")), "")
            })
            .into_iter()
            .filter_map(|t| member::read_member(t, &mut locations))
            .collect();
        // Every id written, even on an invalid member: its services are then not reported again.
        let member_ids: Vec<String> = root.written_ids("member");
        let scope = service::Scope::Root(&member_ids);
        let services: Vec<_> = root
            .tables("service", limits::MAX_SERVICES_IN_ROOT, |i| {
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
    let (max, hint) = (limits::MAX_FRAGMENT_BYTES, FRAGMENT_TOO_LARGE);
    if let Some(d) = encoding::check_size(file, text.as_bytes(), max, "a fragment", hint) {
        return refused(Vec::new(), d);
    }
    let ctx = Ctx::new(file, text, options.policy);
    let mut locations = Locations::default();
    let services = document(&ctx, text)
        .map(|doc| {
            let path = FieldPath::new(Owner::Document, "");
            let root = TableReader::new(&ctx, doc.get_ref(), doc.span(), path);
            check_fragment_member(&root, member);
            let scope = service::Scope::Fragment(member);
            let services = root
                .tables("service", limits::MAX_SERVICES_PER_FRAGMENT, |i| {
                    FieldPath::new(Owner::Service(format!("#{i}")), "")
                })
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

/// A fragment's `member`, when written, must be the member the federation lists it for.
fn check_fragment_member(root: &TableReader<'_, '_, '_>, member: &str) {
    let hint = "the id of the member publishing this fragment";
    let declared = root.str("member", false, limits::ID, hint);
    if let Some(declared) = declared.filter(|d| d.value != member) {
        root.error_at(
            "member",
            declared.span,
            format!(
                "this fragment says it belongs to `{}`, but the federation lists it for `{member}`",
                declared.value
            ),
            format!(
                "write `member = \"{member}\"` or fix the member's `fragment` URL in the root catalogue"
            ),
        );
    }
}
