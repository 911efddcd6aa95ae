//! `catalogue`: check catalogue files and look up the territory from the command line.
//!
//! ```text
//! catalogue check FILE… [--dev] [--json]     exit 0 valid, 1 problems found, 2 usage error
//! catalogue territory QUERY [--json]         communes matching a name, postcode or INSEE code
//! catalogue build-territory COG_DIR OUT      write the territory index
//! ```
//!
//! Files are read as bytes and go through the same entry points as in the portal
//! (`parse_root_bytes`, `parse_fragment_bytes`): byte limits, UTF-8 decoding with a located
//! error, then parsing. Everything printed that comes from a file or a command line — diagnostics,
//! file names, member ids — is escaped ([`escape`]), so a hostile catalogue cannot drive the
//! terminal of whoever checks it.

// The crate root of a binary looks for modules next to itself, where cargo would take them for
// other binaries: they live in `catalogue/`.
#[path = "catalogue/check.rs"]
mod check;
#[path = "catalogue/territory.rs"]
mod territory;

use catalogue::territory::build::generate_index;
use catalogue::values::chars::escape;
use check::check;
use std::path::Path;
use std::process::ExitCode;
use territory::territory;

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
                        escape(rest[1]),
                        t.communes.len(),
                        t.epcis.len(),
                        t.departements.len()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {}", escape(&e.to_string()));
                    ExitCode::FAILURE
                }
            }
        }
        _ => usage("missing or unknown command"),
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {}\n{USAGE}", escape(problem));
    ExitCode::from(2)
}
