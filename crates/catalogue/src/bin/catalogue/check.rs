//! `catalogue check`: the root catalogue, its local fragments and loose fragments, parsed from
//! bytes as the portal parses them, then the official codes against the COG.

use catalogue::coverage::covered_communes;
use catalogue::parse::{ParseOptions, Parsed, decode, parse_fragment_bytes, parse_root_bytes};
use catalogue::territory::Territory;
use catalogue::territory::build::load_for_tools;
use catalogue::validate::{check_territory, merge_fragment};
use catalogue::values::chars::escape;
use catalogue::values::url::resolve;
use catalogue::{Catalogue, Diagnostic, Locations};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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

/// A root catalogue with its fragments merged, as the portal would load it.
struct Root {
    catalogue: Catalogue,
    locations: Locations,
    file: String,
    /// The local fragments it loaded, so that naming them on the command line too does not
    /// check them twice.
    fragments: Vec<PathBuf>,
}

/// Parses a root file and the local fragments it references; `None` when it yields no catalogue.
fn check_root(
    file: &str,
    bytes: &[u8],
    options: ParseOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Root> {
    let Parsed {
        value,
        mut locations,
        diagnostics: found,
    } = parse_root_bytes(file, bytes, options);
    diagnostics.extend(found);
    let mut catalogue = value?;
    let mut fragments = Vec::new();
    for member in catalogue.members.clone() {
        let Some(reference) = &member.fragment else {
            continue;
        };
        if reference.contains("://") {
            eprintln!(
                "note: fragment of `{}` at {} is remote and was not checked; check a local copy with `catalogue check FILE`",
                member.id,
                escape(reference)
            );
            continue;
        }
        let path = fragment_path(file, reference);
        match std::fs::read(&path) {
            Ok(fragment) => {
                let name = path.display().to_string();
                let parsed = parse_fragment_bytes(&name, &fragment, &member.id, options);
                diagnostics.extend(merge_fragment(&mut catalogue, &mut locations, parsed));
                fragments.extend(path.canonicalize().ok());
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
    Some(Root {
        catalogue,
        locations,
        file: file.to_owned(),
        fragments,
    })
}

pub fn check(files: &[&String], dev: bool, json: bool) -> ExitCode {
    let options = if dev {
        ParseOptions::dev()
    } else {
        ParseOptions::default()
    };
    let territory = territory_for_codes();
    let mut report = Report::default();
    let mut roots: Vec<Root> = Vec::new();
    let mut loose_fragments = Vec::new();
    for file in files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", escape(file));
                return ExitCode::from(2);
            }
        };
        match decode(file, &bytes).map(fragment_member) {
            Ok(Some(member)) => loose_fragments.push(LooseFragment {
                file: file.to_string(),
                member,
                bytes,
            }),
            Ok(None) => roots.extend(check_root(file, &bytes, options, &mut report.diagnostics)),
            Err(d) => report.diagnostics.push(*d),
        }
    }
    for fragment in loose_fragments {
        check_loose_fragment(fragment, &mut roots, options, &mut report);
    }
    for root in &roots {
        check_merged_root(root, territory.as_ref(), &mut report);
    }
    print_outcome(&report.diagnostics, &report.summaries, json)
}

/// What the check found: the problems, and one line per catalogue or fragment checked.
#[derive(Default)]
struct Report {
    diagnostics: Vec<Diagnostic>,
    summaries: Vec<String>,
}

/// A fragment named on the command line (it names its `member`).
struct LooseFragment {
    file: String,
    member: String,
    bytes: Vec<u8>,
}

/// The territory the official codes are checked against; without it (no index, no COG data)
/// the codes are not checked, which is said.
fn territory_for_codes() -> Option<Territory> {
    match load_for_tools(&std::env::current_dir().unwrap_or_default()) {
        Ok(t) => Some(t),
        Err(e) => {
            eprintln!(
                "warning: official codes not checked: {}",
                escape(&e.to_string())
            );
            None
        }
    }
}

/// A loose fragment is merged into the root that has its member (unless that root already loaded
/// it), else checked alone.
fn check_loose_fragment(
    fragment: LooseFragment,
    roots: &mut [Root],
    options: ParseOptions,
    report: &mut Report,
) {
    let LooseFragment {
        file,
        member,
        bytes,
    } = fragment;
    let canonical = Path::new(&file).canonicalize().ok();
    if roots
        .iter()
        .any(|r| canonical.as_ref().is_some_and(|c| r.fragments.contains(c)))
    {
        return;
    }
    let parsed = parse_fragment_bytes(&file, &bytes, &member, options);
    match roots
        .iter_mut()
        .find(|r| r.catalogue.member(&member).is_some())
    {
        Some(root) => report.diagnostics.extend(merge_fragment(
            &mut root.catalogue,
            &mut root.locations,
            parsed,
        )),
        None => {
            report.diagnostics.extend(parsed.diagnostics);
            report.summaries.push(format!(
                "{file}: fragment of `{member}`, {} services",
                parsed.value.len()
            ));
        }
    }
}

/// A root with every fragment merged: its official codes, the shared search lexicon, its summary.
fn check_merged_root(root: &Root, territory: Option<&Territory>, report: &mut Report) {
    if let Some(territory) = territory {
        report.diagnostics.extend(check_territory(
            &root.catalogue,
            &root.locations,
            territory,
            &root.file,
        ));
    }
    // The shared search lexicon (helper "search"): entries no service of this catalogue can
    // trigger. A warning, not a problem: the lexicon serves every federation.
    for warning in
        ::catalogue::search::lexicon::Lexicon::shared().unmatched(&root.catalogue.services)
    {
        eprintln!("warning: {}", escape(&warning.to_string()));
    }
    report
        .summaries
        .push(summary(&root.catalogue, territory, &root.file));
}

/// Prints the diagnostics (text or JSON) and, when there are none, the summaries.
fn print_outcome(diagnostics: &[Diagnostic], summaries: &[String], json: bool) -> ExitCode {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".into())
        );
    } else {
        for d in diagnostics {
            println!("{d}");
        }
    }
    if !diagnostics.is_empty() {
        eprintln!("{} problem(s) found", diagnostics.len());
        return ExitCode::FAILURE;
    }
    for line in summaries {
        let line = escape(line);
        if json {
            eprintln!("{line}")
        } else {
            println!("{line}")
        }
    }
    ExitCode::SUCCESS
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
