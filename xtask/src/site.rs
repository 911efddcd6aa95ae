//! Assembling `dist/` around the split bundle: `index.html`, styles, the catalogue and data files.
//!
//! `index.html` stays the one template Trunk reads for `trunk serve` (development, no splitting).
//! For the release build xtask reads the same `data-trunk` links and does what Trunk would, plus
//! what Trunk cannot: it starts the split bundle, preloads what the first page fetches (the main
//! module, its loader, the wasm and every catalogue fragment, so their round trips overlap the
//! wasm download), inlines the stylesheets, and paints the shell (`shell.rs`).

use crate::error::{Error, Result};
use crate::paths;
use crate::shell;
use crate::wasm_build::Bundle;
use std::fmt::Write as _;
use std::path::Path;

/// Where the inlined stylesheets go (the place of the first `rel="inline"` link).
const STYLE_SLOT: &str = "\u{0}styles\u{0}";

/// One `<link data-trunk …>` of the template.
#[derive(Debug, PartialEq)]
struct TrunkLink {
    rel: String,
    href: String,
    target_path: Option<String>,
}

/// Writes `dist/index.html` and copies what the template's links name; returns the page.
pub fn assemble(dist: &Path, bundle: &Bundle) -> Result<String> {
    let root = paths::root();
    let template_path = root.join("index.html");
    let template = std::fs::read_to_string(&template_path)
        .map_err(|e| Error::io("reading", &template_path, e))?;
    let catalogue_path = root.join("services.toml");
    let catalogue_text = std::fs::read_to_string(&catalogue_path)
        .map_err(|e| Error::io("reading", &catalogue_path, e))?;
    let catalogue = catalogue::parse_root(
        "services.toml",
        &catalogue_text,
        catalogue::ParseOptions::dev(),
    )
    .value
    .ok_or_else(|| Error::Inconsistent {
        what: "services.toml cannot be read".into(),
        fix: "run `cargo run -p catalogue -- check services.toml --dev`".into(),
    })?;

    let mut html = String::new();
    let mut styles = String::new();
    let mut rest = template.as_str();
    let mut has_style_slot = false;
    while let Some(start) = rest.find("<link data-trunk") {
        html.push_str(&rest[..start]);
        let end = rest[start..]
            .find('>')
            .map(|e| start + e + 1)
            .ok_or_else(|| Error::Inconsistent {
                what: "index.html has an unclosed `<link data-trunk`".into(),
                fix: "close the tag".into(),
            })?;
        let link = parse_link(&rest[start..end])?;
        rest = &rest[end..];
        match link.rel.as_str() {
            "rust" => html.push_str(&start_tags(bundle)),
            "inline" => {
                let path = root.join(&link.href);
                let css =
                    std::fs::read_to_string(&path).map_err(|e| Error::io("reading", &path, e))?;
                styles.push_str(&strip_css_comments(&css));
                styles.push('\n');
                trim_trailing_indent(&mut html);
                if !has_style_slot {
                    html.push_str(STYLE_SLOT);
                    has_style_slot = true;
                }
            }
            "copy-file" => {
                let from = root.join(&link.href);
                let name = from.file_name().unwrap_or_default();
                copy(&from, &dist.join(name))?;
                trim_trailing_indent(&mut html);
            }
            "copy-dir" => {
                let target = link.target_path.as_deref().unwrap_or(&link.href);
                copy_dir(&root.join(&link.href), &dist.join(target))?;
                trim_trailing_indent(&mut html);
            }
            other => {
                return Err(Error::Inconsistent {
                    what: format!("index.html: `data-trunk rel=\"{other}\"` is not handled by the release build"),
                    fix: "handle it in xtask/src/site.rs or use one of rust, inline, copy-file, copy-dir".into(),
                });
            }
        }
    }
    html.push_str(rest);
    html = html.replacen(
        STYLE_SLOT,
        &format!("\n    <style>{}</style>", styles.trim()),
        1,
    );
    html = html.replacen(
        "<meta charset=\"utf-8\">",
        &format!("<meta charset=\"utf-8\">\n    {}", figures_meta(&catalogue)),
        1,
    );
    let fragments = fragment_preloads(&catalogue);
    html = html.replacen(
        "<link rel=\"preload\" href=\"/services.toml\" as=\"fetch\" crossorigin=\"anonymous\">",
        &format!(
            "<link rel=\"preload\" href=\"/services.toml\" as=\"fetch\" crossorigin=\"anonymous\">{fragments}"
        ),
        1,
    );
    html = html.replacen(
        "<body>",
        &format!(
            "<body>\n{}<script>{}</script>",
            shell::markup(catalogue.federation.demo),
            route_script(bundle)?
        ),
        1,
    );
    let index = dist.join("index.html");
    std::fs::write(&index, &html).map_err(|e| Error::io("writing", &index, e))?;
    Ok(html)
}

/// Which chunk each lazy route needs (the route table of `src/app.rs`, as patterns on the path).
const ROUTE_CHUNKS: &[(&str, &str)] = &[
    ("^/commune/[^/]+/?$", "browse_chunk"),
    ("^/service/[^/]+/[^/]+/?$", "browse_chunk"),
    ("^/service/[^/]+/[^/]+/demarche/?$", "procedure_chunk"),
    ("^/mes-demarches/?$", "signed_in_chunk"),
    ("^/mes-demarches/[^/]+/[^/]+/?$", "signed_in_chunk"),
    ("^/compte/?$", "signed_in_chunk"),
    ("^/connexion/retour/?$", "signed_in_chunk"),
    ("^/aide/?$", "info_chunk"),
    ("^/accessibilite/?$", "info_chunk"),
];

/// The catalogue's code (`src/lazy.rs`, `start`): every page but the home page needs it at once.
const CATALOGUE_CHUNK: &str = "catalogue_chunk";

/// Split points that are not pages (started by the app's frame, see `src/lazy.rs`).
const OTHER_CHUNKS: &[&str] = &[
    "kiosk_chunk",
    "sign_in_chunk",
    "territory_chunk",
    CATALOGUE_CHUNK,
];

/// The root catalogue's figures for the home page to show before it reads the catalogue itself
/// (`src/shell.rs`, `built_figures`): members, services, services online.
fn figures_meta(catalogue: &catalogue::Catalogue) -> String {
    format!(
        "<meta name=\"guichet-figures\" content=\"{} {} {}\">",
        catalogue.members.len(),
        catalogue.services.len(),
        catalogue.online_count()
    )
}

/// The inline script that runs while the page is parsed, before the first paint: on a deep link
/// it hides the home part of the shell and starts downloading the route's chunks alongside the
/// main module (instead of after it: one round trip and the chunk's bytes saved on arrival),
/// with the catalogue's code, which every page but the home page needs before it can show
/// anything.
fn route_script(bundle: &Bundle) -> Result<String> {
    let catalogue_files = bundle
        .splits
        .get(CATALOGUE_CHUNK)
        .cloned()
        .unwrap_or_default();
    let mut routes = Vec::new();
    for split in bundle.splits.keys() {
        let patterns: Vec<&str> = ROUTE_CHUNKS
            .iter()
            .filter(|(_, chunk)| chunk == split)
            .map(|(pattern, _)| *pattern)
            .collect();
        match patterns.as_slice() {
            [_, ..] => {
                let pattern = patterns.join("|");
                let mut files = bundle.splits[split].clone();
                for file in &catalogue_files {
                    if !files.contains(file) {
                        files.push(file.clone());
                    }
                }
                routes.push(serde_json::json!([pattern, files]));
            }
            [] if OTHER_CHUNKS.contains(&split.as_str()) => {}
            [] => {
                return Err(Error::Inconsistent {
                    what: format!("the split point `{split}` (src/lazy.rs) has no route in xtask/src/site.rs"),
                    fix: "add its path pattern to ROUTE_CHUNKS, or to OTHER_CHUNKS if it is not a page".into(),
                });
            }
        }
    }
    let table = serde_json::to_string(&routes).unwrap_or_else(|_| "[]".into());
    Ok(format!(
        "(function(){{var p=location.pathname,r={table},i,j,l;\
         if(p!==\"/\")document.getElementById(\"gu-shell-home\").hidden=true;\
         for(i=0;i<r.length;i++)if(new RegExp(r[i][0]).test(p)){{for(j=0;j<r[i][1].length;j++){{\
         l=document.createElement(\"link\");l.rel=\"preload\";l.as=\"fetch\";l.crossOrigin=\"anonymous\";\
         l.href=\"/\"+r[i][1][j];document.head.appendChild(l)}}break}}}})()"
    ))
}

/// Preloads of the first page's code, and the module that starts it.
fn start_tags(bundle: &Bundle) -> String {
    format!(
        "<link rel=\"modulepreload\" href=\"/{js}\">\
         <link rel=\"modulepreload\" href=\"/{loader}\">\
         <link rel=\"preload\" href=\"/{wasm}\" as=\"fetch\" type=\"application/wasm\" crossorigin=\"anonymous\">\
         <script type=\"module\">import init from\"/{js}\";init({{module_or_path:\"/{wasm}\"}})</script>",
        js = bundle.main_js,
        loader = bundle.loader_js,
        wasm = bundle.main_wasm,
    )
}

/// `<link rel=preload>` for every fragment named by the root catalogue, resolved like the app
/// resolves them (relative to `/services.toml`).
fn fragment_preloads(catalogue: &catalogue::Catalogue) -> String {
    let mut out = String::new();
    for reference in catalogue
        .members
        .iter()
        .filter_map(|m| m.fragment.as_deref())
    {
        let href = if reference.contains("://") {
            reference.to_owned()
        } else {
            format!("/{}", reference.trim_start_matches("./"))
        };
        let _ = write!(
            out,
            "\n    <link rel=\"preload\" href=\"{}\" as=\"fetch\" crossorigin=\"anonymous\">",
            escape_attribute(&href)
        );
    }
    out
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

fn parse_link(tag: &str) -> Result<TrunkLink> {
    let attribute = |name: &str| {
        let key = format!(" {name}=\"");
        tag.find(&key).and_then(|at| {
            let value = &tag[at + key.len()..];
            value.find('"').map(|end| value[..end].to_owned())
        })
    };
    let rel = attribute("rel").ok_or_else(|| Error::Inconsistent {
        what: format!("index.html: `{tag}` has no rel"),
        fix: "add rel=\"…\"".into(),
    })?;
    Ok(TrunkLink {
        href: attribute("href").unwrap_or_default(),
        target_path: attribute("data-target-path"),
        rel,
    })
}

/// Removes `/* … */` comments (the stylesheets document themselves; citizens need not download it).
fn strip_css_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start + 2..].find("*/") {
            Some(end) => rest = &rest[start + 2 + end + 2..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Drops the indentation left before a removed tag, so the page has no blank lines.
fn trim_trailing_indent(html: &mut String) {
    let trimmed = html.trim_end_matches([' ', '\t']).len();
    html.truncate(trimmed);
    if html.ends_with('\n') {
        html.pop();
    }
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| Error::io("copying", from, e))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| Error::io("creating", to, e))?;
    let entries = std::fs::read_dir(from).map_err(|e| Error::io("listing", from, e))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::io("listing", from, e))?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            copy(&path, &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_links_are_read_with_their_target_path() {
        let link = parse_link(
            "<link data-trunk rel=\"copy-dir\" href=\"public/data\" data-target-path=\"data\" />",
        )
        .unwrap();
        assert_eq!(
            link,
            TrunkLink {
                rel: "copy-dir".into(),
                href: "public/data".into(),
                target_path: Some("data".into())
            }
        );
    }

    #[test]
    fn the_route_script_preloads_a_deep_links_chunks_and_refuses_an_unrouted_split() {
        let mut bundle = Bundle::default();
        bundle.splits.insert(
            "browse_chunk".into(),
            vec![
                "chunk_1-ab.wasm".into(),
                "split_commune_chunk-cd.wasm".into(),
            ],
        );
        bundle.splits.insert(
            "kiosk_chunk".into(),
            vec!["split_kiosk_chunk-ef.wasm".into()],
        );
        let script = route_script(&bundle).unwrap();
        assert!(script.contains(
            r#"[["^/commune/[^/]+/?$|^/service/[^/]+/[^/]+/?$",["chunk_1-ab.wasm","split_commune_chunk-cd.wasm"]]]"#
        ));
        assert!(!script.contains("kiosk"));
        bundle.splits.insert("forgotten_chunk".into(), vec![]);
        assert!(route_script(&bundle).is_err());
    }

    #[test]
    fn a_deep_link_also_preloads_the_catalogues_code_once_and_the_home_page_does_not() {
        let mut bundle = Bundle::default();
        bundle.splits.insert(
            "browse_chunk".into(),
            vec![
                "chunk_1-ab.wasm".into(),
                "split_browse_chunk-cd.wasm".into(),
            ],
        );
        bundle.splits.insert(
            CATALOGUE_CHUNK.into(),
            vec![
                "chunk_1-ab.wasm".into(),
                "split_catalogue_chunk-ef.wasm".into(),
            ],
        );
        let script = route_script(&bundle).unwrap();
        assert!(script.contains(
            r#"["chunk_1-ab.wasm","split_browse_chunk-cd.wasm","split_catalogue_chunk-ef.wasm"]"#
        ));
        // One route entry: the catalogue's code has no route of its own ("/" preloads nothing).
        assert_eq!(script.matches(r#"["^"#).count(), 1);
    }

    #[test]
    fn the_built_figures_are_the_root_catalogues_members_services_and_services_online() {
        let text = r#"
[federation]
name = "Test"
[[member]]
id = "gien"
kind = "commune"
code = "45155"
name = "Ville de Gien"
[[member]]
id = "loiret"
kind = "departement"
code = "45"
name = "Loiret"
"#;
        let catalogue =
            catalogue::parse_root("services.toml", text, catalogue::ParseOptions::dev())
                .value
                .unwrap();
        assert_eq!(
            figures_meta(&catalogue),
            r#"<meta name="guichet-figures" content="2 0 0">"#
        );
    }

    #[test]
    fn css_comments_and_blank_lines_are_dropped_but_rules_kept() {
        assert_eq!(
            strip_css_comments("/* tokens */\n:root {\n  --a: 1; /* why */\n}\n\n"),
            ":root {\n--a: 1;\n}"
        );
    }

    #[test]
    fn every_fragment_is_preloaded_where_the_app_fetches_it() {
        let text = r#"
[federation]
name = "Test"
[[member]]
id = "gien"
kind = "commune"
code = "45155"
name = "Ville de Gien"
fragment = "https://catalogue.gien.example.fr/services.toml"
[[member]]
id = "loiret"
kind = "departement"
code = "45"
name = "Loiret"
fragment = "catalogue/loiret.toml"
"#;
        let catalogue =
            catalogue::parse_root("services.toml", text, catalogue::ParseOptions::dev())
                .value
                .unwrap();
        let preloads = fragment_preloads(&catalogue);
        assert!(preloads.contains("<link rel=\"preload\" href=\"https://catalogue.gien.example.fr/services.toml\" as=\"fetch\" crossorigin=\"anonymous\">"));
        assert!(preloads.contains("href=\"/catalogue/loiret.toml\""));
    }
}
