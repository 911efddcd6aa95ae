//! `cargo xtask test`: everything CI runs, in the order that fails fastest.
//!
//! Cheap checks first (format), then lints on both targets, native tests (SQLite), the provider's
//! tests again on a throwaway PostgreSQL cluster, the catalogue check, the release build and finally
//! the browser tests. Every step is timed; the run ends with a summary
//! table and one `tests: N passed, N failed, N skipped` line covering every runner.

use crate::cmd;
use crate::conformance;
use crate::e2e;
use crate::error::{Error, Result};
use crate::paths;
use crate::postgres;
use crate::spa;
use crate::stack::{Options as StackOptions, Stack};
use crate::step::Report;
use crate::tally::{self, Tally};
use crate::territory;
use crate::tools;

pub const POSTGRES_STEP: &str = "provider and conformance tests on PostgreSQL (throwaway cluster)";

pub struct Options {
    pub e2e: bool,
}

pub fn test(options: &Options) -> Result<()> {
    let root = paths::root();
    let mut report = Report::new();
    let mut tally = Tally::default();
    let outcome = (|| -> Result<()> {
        report.step("install: pinned tools", || install(options.e2e))?;
        report.step("territory index from the COG", territory::generate)?;
        static_checks(&mut report)?;
        report.step("native tests", || {
            let counted = tally::run_counting(
                cmd::new("cargo", &root).args(["test", "--workspace", "--locked"]),
                "fix the failing tests above",
            )?;
            tally.add(counted);
            Ok(())
        })?;
        report.step(POSTGRES_STEP, || {
            tally.add(postgres_tests()?);
            Ok(())
        })?;
        report.step("catalogue check services.toml", || {
            cmd::run(
                cmd::new("cargo", &root).args([
                    "run",
                    "-q",
                    "--locked",
                    "-p",
                    "catalogue",
                    "--",
                    "check",
                    "services.toml",
                    "--dev",
                ]),
                "fix services.toml as the messages above say",
            )
        })?;
        report.step("lint the provider API spec (redocly)", lint_spec)?;
        report.step("lint the stylesheets (stylelint)", lint_styles)?;
        report.step("release build of the portal", spa::build_release)?;
        let stack = report.step("start the demo federation (fresh data)", || {
            Stack::start(&StackOptions {
                data: e2e::data_dir(),
                fresh: true,
            })
        })?;
        report.step(
            "conformance of every demo provider (real identity provider)",
            || {
                conformance::run_all(
                    &stack.provider_urls(),
                    &format!("http://127.0.0.1:{}", crate::stack::ISSUER_PORT),
                )
            },
        )?;
        if options.e2e {
            report.step("end-to-end tests in Chromium", || {
                let counted = e2e::run(crate::cli::DEFAULT_PORT, &stack)?;
                tally.add(counted);
                Ok(())
            })?;
        }
        drop(stack);
        Ok(())
    })();
    report.print();
    println!("{}", tally.closing_line());
    match outcome {
        Ok(()) if tally.failed == 0 => Ok(()),
        Ok(()) => Err(Error::Failed(format!("{} test(s) failed", tally.failed))),
        Err(e) => Err(e),
    }
}

/// The build tools, PostgreSQL for the provider's tests, and Chromium when e2e tests will run.
fn install(e2e: bool) -> Result<()> {
    tools::ensure_build_tools()?;
    tools::ensure_postgresql()?;
    if e2e {
        tools::ensure_chromium()?;
    }
    Ok(())
}

/// Formatting, then clippy on the native and the browser targets: what fails fastest.
fn static_checks(report: &mut Report) -> Result<()> {
    let root = paths::root();
    report.step("cargo fmt --check", || {
        cmd::run(
            cmd::new("cargo", &root).args(["fmt", "--all", "--check"]),
            "run `cargo fmt --all`",
        )
    })?;
    report.step("clippy (native)", || {
        cmd::run(
            cmd::new("cargo", &root).args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--locked",
                "--",
                "-D",
                "warnings",
            ]),
            "fix the warnings above",
        )
    })?;
    report.step("clippy (wasm32)", || {
        cmd::run(
            cmd::new("cargo", &root).args([
                "clippy",
                "--target",
                tools::WASM_TARGET,
                "--locked",
                "-p",
                "guichet",
                "-p",
                "contract",
                "-p",
                "catalogue",
                "--",
                "-D",
                "warnings",
            ]),
            "fix the warnings above (they only show when compiling for the browser)",
        )
    })?;
    Ok(())
}

/// The provider's integration tests and the conformance checks (its `can_fail` suite) again, each
/// test on a database of its own in a throwaway PostgreSQL cluster, stopped and removed afterwards
/// (also when a test fails).
pub fn postgres_tests() -> Result<Tally> {
    let cluster = postgres::Cluster::start(postgres::PORT, postgres::Durability::Throwaway)?;
    tally::run_counting(
        cmd::new("cargo", &paths::root())
            .args(["test", "--locked", "-p", "provider", "-p", "conformance"])
            .env(postgres::TEST_DATABASE_ENV, cluster.url()),
        "fix the failing tests above: they pass on SQLite, so look for a dialect difference",
    )
}

/// `stylelint style/**/*.css` (npm `stylelint`, pinned) with the rules in `.stylelintrc.json`:
/// mistakes a browser silently ignores (unknown properties, units, pseudo-classes, duplicate
/// selectors overriding each other) and the naming rules (`gu-` BEM classes, `--gu-` properties).
pub fn lint_styles() -> Result<()> {
    let root = paths::root();
    cmd::run(
        cmd::new(paths::node_bin().join("stylelint"), &root).args(["style/**/*.css"]),
        "fix the stylesheets as the messages above say (rules: .stylelintrc.json)",
    )
}

/// `redocly lint docs/provider-api.yaml` (npm `@redocly/cli`, pinned), telemetry off.
pub fn lint_spec() -> Result<()> {
    let root = paths::root();
    cmd::run(
        cmd::new(paths::node_bin().join("redocly"), &root)
            .args(["lint", "docs/provider-api.yaml", "--format", "stylish"])
            .env("REDOCLY_TELEMETRY", "off")
            .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true"),
        "fix docs/provider-api.yaml as the messages above say",
    )
}
