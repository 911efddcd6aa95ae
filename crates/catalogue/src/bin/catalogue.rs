//! `catalogue`: check catalogue files and look up the territory from the command line.
//!
//! ```text
//! catalogue check FILE… [--dev] [--json]     exit 0 valid, 1 problems found, 2 usage error
//! catalogue territory QUERY [--json]         communes matching a name, postcode or INSEE code
//! catalogue build-territory COG_DIR OUT      write the territory index
//! ```

use catalogue::coverage::covered_communes;
use catalogue::parse::{ParseOptions, Parsed, parse_fragment, parse_root};
use catalogue::territory::build::{generate_index, load_for_tools};
use catalogue::territory::{MatchKind, Territory};
use catalogue::validate::{check_territory, merge_fragment};
use catalogue::values::url::resolve;
use catalogue::{Catalogue, Diagnostic};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  catalogue check FILE… [--dev] [--json]
  catalogue territory QUERY [--json]
  catalogue build-territory COG_DIR OUT";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let dev = args.iter().any(|a| a == "--dev");
    let positional: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if let Some(unknown) = args
        .iter()
        .find(|a| a.starts_with("--") && *a != "--json" && *a != "--dev")
    {
        return usage(&format!("unknown option `{unknown}`"));
    }
    match positional.split_first() {
        Some((command, files)) if command.as_str() == "check" && !files.is_empty() => {
            check(files, dev, json)
        }
        Some((command, query)) if command.as_str() == "territory" && !query.is_empty() => {
            let query = query
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            territory(&query, json)
        }
        Some((command, rest)) if command.as_str() == "build-territory" && rest.len() == 2 => {
            match generate_index(Path::new(rest[0]), Path::new(rest[1])) {
                Ok(t) => {
                    println!(
                        "{}: {} communes, {} EPCI, {} départements",
                        rest[1],
                        t.communes.len(),
                        t.epcis.len(),
                        t.departements.len()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => usage("missing or unknown command"),
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\n{USAGE}");
    ExitCode::from(2)
}

/// Where a relative fragment reference is on disk: next to the root file, or in the `public/`
/// folder next to it (what the portal serves at its root, as in this repository).
fn fragment_path(root_file: &str, reference: &str) -> PathBuf {
    let direct = PathBuf::from(resolve(root_file, reference));
    if direct.exists() {
        return direct;
    }
    let dir = Path::new(root_file).parent().unwrap_or(Path::new(""));
    let published = dir.join("public").join(reference.trim_start_matches('/'));
    if published.exists() {
        published
    } else {
        direct
    }
}

/// Whether a file is a fragment (it names its `member` and has no `[federation]`).
fn fragment_member(text: &str) -> Option<String> {
    let table: toml::Table = toml::from_str(text).ok()?;
    if table.contains_key("federation") {
        return None;
    }
    table.get("member")?.as_str().map(str::to_owned)
}

fn check(files: &[&String], dev: bool, json: bool) -> ExitCode {
    let options = if dev {
        ParseOptions::dev()
    } else {
        ParseOptions::default()
    };
    let territory = match load_for_tools(&std::env::current_dir().unwrap_or_default()) {
        Ok(t) => Some(t),
        Err(e) => {
            eprintln!("warning: official codes not checked: {e}");
            None
        }
    };
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut summaries = Vec::new();
    let mut roots: Vec<(Catalogue, catalogue::Locations, String)> = Vec::new();
    let mut loose_fragments = Vec::new();
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read {file}: {e}");
                return ExitCode::from(2);
            }
        };
        if let Some(member) = fragment_member(&text) {
            loose_fragments.push((file.to_string(), member, text));
            continue;
        }
        let Parsed {
            value,
            mut locations,
            diagnostics: found,
        } = parse_root(file, &text, options);
        diagnostics.extend(found);
        let Some(mut catalogue) = value else { continue };
        for member in catalogue.members.clone() {
            let Some(reference) = &member.fragment else {
                continue;
            };
            if reference.contains("://") {
                eprintln!(
                    "note: fragment of `{}` at {reference} is remote and was not checked; check a local copy with `catalogue check FILE`",
                    member.id
                );
                continue;
            }
            let path = fragment_path(file, reference);
            match std::fs::read_to_string(&path) {
                Ok(fragment_text) => {
                    let name = path.display().to_string();
                    let parsed = parse_fragment(&name, &fragment_text, &member.id, options);
                    diagnostics.extend(merge_fragment(&mut catalogue, &mut locations, parsed));
                }
                Err(e) => diagnostics.push(
                    locations
                        .or_file(&format!("member:{}", member.id), file)
                        .diagnostic(
                            catalogue::FieldPath::new(
                                catalogue::Owner::Member(member.id.clone()),
                                "fragment",
                            ),
                            format!("fragment `{}` cannot be read: {e}", path.display()),
                            "fix the path (it is relative to this file) or publish the fragment",
                        ),
                ),
            }
        }
        roots.push((catalogue, locations, file.to_string()));
    }
    for (file, member, text) in loose_fragments {
        let parsed = parse_fragment(&file, &text, &member, options);
        match roots
            .iter_mut()
            .find(|(c, _, _)| c.member(&member).is_some())
        {
            Some((catalogue, locations, _)) => {
                diagnostics.extend(merge_fragment(catalogue, locations, parsed))
            }
            None => {
                diagnostics.extend(parsed.diagnostics);
                summaries.push(format!(
                    "{file}: fragment of `{member}`, {} services",
                    parsed.value.len()
                ));
            }
        }
    }
    for (catalogue, locations, file) in &roots {
        if let Some(territory) = &territory {
            diagnostics.extend(check_territory(catalogue, locations, territory, file));
        }
        summaries.push(summary(catalogue, territory.as_ref(), file));
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&diagnostics).unwrap_or_else(|_| "[]".into())
        );
    } else {
        for d in &diagnostics {
            println!("{d}");
        }
    }
    if diagnostics.is_empty() {
        for line in summaries {
            if json {
                eprintln!("{line}")
            } else {
                println!("{line}")
            }
        }
        ExitCode::SUCCESS
    } else {
        eprintln!("{} problem(s) found", diagnostics.len());
        ExitCode::FAILURE
    }
}

fn summary(catalogue: &Catalogue, territory: Option<&Territory>, file: &str) -> String {
    let communes = territory.map(|t| {
        catalogue
            .members
            .iter()
            .flat_map(|m| covered_communes(m, t))
            .collect::<BTreeSet<_>>()
            .len()
    });
    format!(
        "{file}: valid — {} members, {} services ({} online){}",
        catalogue.members.len(),
        catalogue.services.len(),
        catalogue.online_count(),
        communes
            .map(|n| format!(", {n} communes covered"))
            .unwrap_or_default()
    )
}

fn territory(query: &str, json: bool) -> ExitCode {
    let territory = match load_for_tools(&std::env::current_dir().unwrap_or_default()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let matches = territory.search(query, 20);
    if json {
        let rows: Vec<serde_json::Value> = matches
            .iter()
            .map(|m| {
                let i = &m.info;
                serde_json::json!({
                    "code": i.commune.code,
                    "name": i.commune.name,
                    "postcodes": i.commune.postcodes,
                    "size_class": i.commune.size,
                    "epci": i.epci.map(|e| serde_json::json!({"siren": e.siren, "name": e.name})),
                    "departement": i.departement.map(|d| serde_json::json!({"code": d.code, "name": d.name})),
                    "region": i.region.map(|r| serde_json::json!({"code": r.code, "name": r.name})),
                    "matched": match &m.matched {
                        MatchKind::Alias { name, kind, .. } => format!("{} {name}", kind.label_fr()),
                        MatchKind::Postcode(p) => format!("code postal {p}"),
                        other => format!("{other:?}"),
                    },
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into())
        );
    } else {
        if matches.is_empty() {
            eprintln!("no commune matches `{query}`");
        }
        for m in &matches {
            let i = &m.info;
            let via = match &m.matched {
                MatchKind::Alias { name, kind, .. } => format!(" (via {} {name})", kind.label_fr()),
                _ => String::new(),
            };
            println!(
                "{} {} ({}){via} — EPCI {} — département {} — région {}",
                i.commune.code,
                i.commune.name,
                i.commune.postcodes.join(", "),
                i.epci
                    .map_or("aucun".to_owned(), |e| format!("{} {}", e.siren, e.name)),
                i.departement
                    .map_or("?".to_owned(), |d| format!("{} {}", d.code, d.name)),
                i.region
                    .map_or("?".to_owned(), |r| format!("{} {}", r.code, r.name)),
            );
        }
    }
    ExitCode::SUCCESS
}
