//! `cargo xtask` — one entry point for humans and CI: install, build, demo, test, bench.
//!
//! It is an ordinary workspace binary (aliased in `.cargo/config.toml`), so it needs nothing but
//! cargo to start, and it installs everything else itself from package registries.

mod bench_dashboard;
mod bench_postgres;
mod bench_provider;
mod bench_search;
mod bench_support;
mod cli;
mod cmd;
mod conformance;
mod csp;
mod demo;
mod e2e;
mod error;
mod paths;
mod pipeline;
mod postgres;
mod serve;
mod shell;
mod site;
mod spa;
mod stack;
mod step;
mod tally;
mod territory;
mod tools;
mod wasm_build;

use cli::Command;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = cli::parse(&args).and_then(run);
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error @ error::Error::Usage(_)) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("\nerror: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> error::Result<()> {
    match command {
        Command::Help => {
            println!("{}", cli::USAGE);
            Ok(())
        }
        Command::Install => step::run("install: pinned tools", || {
            tools::ensure_build_tools()?;
            tools::ensure_postgresql()?;
            tools::ensure_chromium()
        }),
        Command::Territory => step::run("territory index from the COG", territory::generate),
        Command::Build => {
            step::run("install: pinned tools", tools::ensure_build_tools)?;
            step::run("territory index from the COG", territory::generate)?;
            step::run("release build of the portal", spa::build_release)
        }
        Command::Serve { port } => {
            let server = e2e::PortalServer::start(port)?;
            println!("portal served at {}/ — Ctrl-C to stop", server.url());
            demo::wait_for_ctrl_c();
            Ok(())
        }
        Command::Demo { port, build } => demo::demo(&demo::Options { port, build }),
        Command::Test { e2e } => pipeline::test(&pipeline::Options { e2e }),
        Command::TestPostgres => {
            step::run("install: PostgreSQL", tools::ensure_postgresql)?;
            let tally = step::run(pipeline::POSTGRES_STEP, pipeline::postgres_tests)?;
            println!("{}", tally.closing_line());
            Ok(())
        }
        Command::E2e { build } => {
            if build {
                step::run("install: pinned tools", tools::ensure_build_tools)?;
                step::run("territory index from the COG", territory::generate)?;
                step::run("release build of the portal", spa::build_release)?;
            }
            let stack = step::run("start the demo federation (fresh data)", || {
                stack::Stack::start(&stack::Options {
                    data: e2e::data_dir(),
                    fresh: true,
                })
            })?;
            let tally = step::run("end-to-end tests in Chromium", || {
                e2e::run(cli::DEFAULT_PORT, &stack)
            })?;
            drop(stack);
            println!("{}", tally.closing_line());
            if tally.failed > 0 {
                return Err(error::Error::Failed(format!(
                    "{} test(s) failed",
                    tally.failed
                )));
            }
            Ok(())
        }
        Command::Bench { which, rest } => bench(&which, &rest),
        Command::Conformance { args } if args.is_empty() => Err(error::Error::Usage(
            "give `--provider URL --token-from ISSUER` (or --token/--token-b)".into(),
        )),
        Command::Conformance { args } => conformance::run(&args),
    }
}

/// `cargo xtask bench spa`: the built portal served on 127.0.0.1:8080, measured by
/// `tests/bench/spa.mjs` in Chromium (no provider needed: the home and commune pages are static).
fn bench_spa() -> error::Result<()> {
    tools::ensure_chromium()?;
    bench_support::port_free(8080)?;
    let server = e2e::PortalServer::start(8080)?;
    let root = paths::root();
    cmd::run(
        cmd::new("node", &root)
            .arg("tests/bench/spa.mjs")
            .env("GUICHET_BASE_URL", server.url())
            .env("GUICHET_DIST", paths::dist())
            .env("GUICHET_BENCH_OUT", paths::artifacts().join("bench"))
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
        "read the benchmark's error above",
    )
}

/// Whether `bench provider` was given `--postgres` (the only option a benchmark takes).
fn postgres_flag(which: &str, rest: &[String]) -> error::Result<bool> {
    match rest {
        [] => Ok(false),
        [flag] if flag == "--postgres" && which == "provider" => Ok(true),
        _ => Err(error::Error::Usage(format!(
            "unexpected `{}` (only `bench provider --postgres` takes an option)",
            rest.join(" ")
        ))),
    }
}

/// `cargo xtask bench [all|catalogue|provider [--postgres]|spa|dashboard|search]`.
fn bench(which: &str, rest: &[String]) -> error::Result<()> {
    let root = paths::root();
    let postgres = postgres_flag(which, rest)?;
    let catalogue = || {
        step::run("benchmark: catalogue core (criterion)", || {
            cmd::run(
                cmd::new("cargo", &root).args([
                    "bench",
                    "--locked",
                    "-p",
                    "catalogue",
                    "--bench",
                    "core",
                ]),
                "see the failing benchmark above",
            )
        })
    };
    let provider = || {
        step::run(
            "benchmark: provider API under load (wrk)",
            bench_provider::run,
        )
    };
    let provider_postgres = || {
        step::run(
            "benchmark: provider on PostgreSQL, a département's volume (wrk)",
            bench_postgres::run,
        )
    };
    let built = || {
        step::run("install: pinned tools", tools::ensure_build_tools)?;
        step::run("territory index from the COG", territory::generate)?;
        step::run("release build of the portal", spa::build_release)
    };
    let spa = || {
        step::run(
            "benchmark: portal size, time to interactive, keystrokes (Chromium)",
            bench_spa,
        )
    };
    let dashboard = || {
        step::run(
            "benchmark: Mes démarches with 20 providers (Chromium)",
            bench_dashboard::run,
        )
    };
    let search = || {
        step::run("install: pinned tools", tools::ensure_build_tools)?;
        step::run("territory index from the COG", territory::generate)?;
        step::run(
            "benchmark: service search vs MiniSearch and FlexSearch (Chromium)",
            bench_search::run,
        )
    };
    match which {
        "catalogue" => catalogue(),
        "search" => search(),
        "provider" if postgres => provider_postgres(),
        "provider" => provider(),
        "spa" => built().and_then(|()| spa()),
        "dashboard" => built().and_then(|()| dashboard()),
        "all" => {
            catalogue()?;
            provider()?;
            provider_postgres()?;
            built()?;
            spa()?;
            dashboard()?;
            search()
        }
        other => Err(error::Error::Usage(format!("unknown benchmark `{other}`"))),
    }
}
