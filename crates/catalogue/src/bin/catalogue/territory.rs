//! `catalogue territory`: communes matching a name, a postcode or an INSEE code.

use catalogue::territory::MatchKind;
use catalogue::territory::build::load_for_tools;
use catalogue::values::chars::escape;
use std::process::ExitCode;

pub fn territory(query: &str, json: bool) -> ExitCode {
    let territory = match load_for_tools(&std::env::current_dir().unwrap_or_default()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {}", escape(&e.to_string()));
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
            eprintln!("no commune matches `{}`", escape(query));
        }
        for m in &matches {
            let i = &m.info;
            let via = match &m.matched {
                MatchKind::Alias { name, kind, .. } => format!(" (via {} {name})", kind.label_fr()),
                _ => String::new(),
            };
            let line = format!(
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
            println!("{}", escape(&line));
        }
    }
    ExitCode::SUCCESS
}
