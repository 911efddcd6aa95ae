//! The Content-Security-Policy of the portal, generated from the catalogue it serves.
//!
//! The portal calls each member's API, the identity provider and the fragment hosts straight from
//! the browser, and nothing else: `connect-src` lists exactly those origins, so injected markup or
//! a compromised dependency cannot send a citizen's data anywhere else. Scripts are the portal's
//! own files plus the inline loader and shell script, allowed by their SHA-256 (no
//! `'unsafe-inline'`); `'wasm-unsafe-eval'` lets the browser compile WebAssembly, nothing more.
//! Styles are the inlined stylesheet, by hash. The portal cannot be framed (`frame-ancestors`),
//! and a form may only post to the portal or the issuer (its end-session form).
//!
//! Written at build time into `dist/_headers` (Netlify/Cloudflare Pages format) and
//! `dist/csp.nginx.conf`; the xtask server computes the same policy for what it serves (including
//! a catalogue served in place of dist's, by a benchmark or a test). See `docs/deployment.md`.

use crate::error::{Error, Result};
use catalogue::parse::ParseOptions;
use sha2::{Digest, Sha256};
use std::path::Path;

/// A policy's variable parts.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sources {
    /// Provider APIs, the issuer, fragment hosts (origins, sorted, unique).
    pub connect: Vec<String>,
    /// The issuer (its end-session form is posted to it).
    pub form_action: Vec<String>,
    /// `'sha256-…'` of every inline script.
    pub scripts: Vec<String>,
    /// `'sha256-…'` of every inline style.
    pub styles: Vec<String>,
}

impl Sources {
    /// The header value.
    pub fn header(&self) -> String {
        let list = |fixed: &[&str], extra: &[String]| {
            fixed
                .iter()
                .map(|s| (*s).to_owned())
                .chain(extra.iter().cloned())
                .collect::<Vec<_>>()
                .join(" ")
        };
        [
            "default-src 'none'".to_owned(),
            format!(
                "script-src {}",
                list(&["'self'", "'wasm-unsafe-eval'"], &self.scripts)
            ),
            format!("style-src {}", list(&["'self'"], &self.styles)),
            format!("connect-src {}", list(&["'self'"], &self.connect)),
            "img-src 'self'".to_owned(),
            "manifest-src 'self'".to_owned(),
            format!("form-action {}", list(&["'self'"], &self.form_action)),
            "frame-ancestors 'none'".to_owned(),
            "base-uri 'none'".to_owned(),
            "object-src 'none'".to_owned(),
        ]
        .join("; ")
    }
}

/// The policy for `index_html` (its inline scripts and styles) and the root catalogue `catalogue`
/// (`services.toml`'s text).
pub fn sources(index_html: &str, catalogue: &str) -> Result<Sources> {
    let parsed = catalogue::parse_root("services.toml", catalogue, ParseOptions::dev());
    let Some(catalogue) = parsed.value else {
        return Err(Error::Inconsistent {
            what: "services.toml cannot be read, so the CSP cannot list its origins".into(),
            fix: "run `cargo run -p catalogue -- check services.toml --dev`".into(),
        });
    };
    let mut connect = catalogue.declared_api_origins();
    let mut form_action = Vec::new();
    if let Some(identity) = &catalogue.federation.identity {
        connect.push(identity.issuer.origin());
        form_action.push(identity.issuer.origin());
    }
    connect.extend(
        catalogue
            .members
            .iter()
            .filter_map(|m| m.fragment.as_deref())
            .filter_map(absolute_origin),
    );
    connect.sort();
    connect.dedup();
    Ok(Sources {
        connect,
        form_action,
        scripts: inline_blocks(index_html, "script").map(hash).collect(),
        styles: inline_blocks(index_html, "style").map(hash).collect(),
    })
}

/// The origin of an absolute `http(s)` fragment reference; relative ones are the portal's own.
fn absolute_origin(reference: &str) -> Option<String> {
    let (scheme, rest) = reference.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

/// The contents of every `<tag …>…</tag>` without a `src` attribute.
fn inline_blocks<'a>(html: &'a str, tag: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find(&open)?;
            let after = &rest[start..];
            let head_end = after.find('>')?;
            let head = &after[..head_end];
            let body = &after[head_end + 1..];
            let end = body.find(&close)?;
            rest = &body[end + close.len()..];
            if !head.contains(" src=") {
                return Some(&body[..end]);
            }
        }
    })
}

fn hash(content: &str) -> String {
    use base64::Engine;
    let digest = Sha256::digest(content.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Writes `_headers` and `csp.nginx.conf` into `dist`.
pub fn write(dist: &Path, sources: &Sources) -> Result<()> {
    let header = sources.header();
    let headers = format!(
        "# Generated by `cargo xtask build` from services.toml: see docs/deployment.md.\n/*\n  Content-Security-Policy: {header}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: same-origin\n"
    );
    let nginx = format!(
        "# Generated by `cargo xtask build` from services.toml: include it in the portal's `server` block\n# (see docs/deployment.md).\nadd_header Content-Security-Policy \"{header}\" always;\nadd_header X-Content-Type-Options \"nosniff\" always;\nadd_header Referrer-Policy \"same-origin\" always;\n"
    );
    for (name, text) in [("_headers", headers), ("csp.nginx.conf", nginx)] {
        let path = dist.join(name);
        std::fs::write(&path, text).map_err(|e| Error::io("writing", &path, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOGUE: &str = r#"
[federation]
name = "Test"
[federation.identity]
issuer = "https://idp.example.fr"
client_id = "guichet"
audience = "urn:x"
[[member]]
id = "gien"
kind = "commune"
code = "45155"
name = "Ville de Gien"
api = "https://api.gien.example.fr/v1"
fragment = "https://catalogue.gien.example.fr/services.toml"
[[member]]
id = "loiret"
kind = "departement"
code = "45"
name = "Loiret"
fragment = "catalogue/loiret.toml"
"#;

    #[test]
    fn connect_src_lists_the_apis_the_issuer_and_absolute_fragment_hosts_only() {
        let s = sources("", CATALOGUE).unwrap();
        assert_eq!(
            s.connect,
            [
                "https://api.gien.example.fr",
                "https://catalogue.gien.example.fr",
                "https://idp.example.fr"
            ]
        );
        assert_eq!(s.form_action, ["https://idp.example.fr"]);
    }

    #[test]
    fn inline_scripts_and_styles_are_allowed_by_hash_and_external_ones_are_not_hashed() {
        let html = "<style>a{}</style><script type=\"module\">go()</script><script src=\"/x.js\"></script>";
        let s = sources(html, CATALOGUE).unwrap();
        assert_eq!(s.styles, [hash("a{}")]);
        assert_eq!(s.scripts, [hash("go()")]);
        let header = s.header();
        assert!(header.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"));
        assert!(header.contains("frame-ancestors 'none'"));
        assert!(!header.contains("unsafe-inline"));
    }

    #[test]
    fn an_unreadable_catalogue_is_an_error_not_an_open_policy() {
        assert!(sources("", "not = [toml").is_err());
    }
}
