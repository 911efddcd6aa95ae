//! The command line of `cargo xtask`, parsed by hand: a handful of subcommands with a few flags do
//! not justify a parser dependency in the tool every CI run compiles first.

use crate::error::{Error, Result};

pub const USAGE: &str = "\
Usage: cargo xtask <command> [options]

Commands:
  demo [--port N] [--no-build]   install what is missing, build the portal in release, start the
                                 demo federation and serve it (default http://127.0.0.1:8080)
  test [--no-e2e]                everything CI runs: format, clippy (native + wasm32), native tests,
                                 catalogue check, release build, end-to-end tests in Chromium
  test-postgres                  only the provider's and conformance tests on a throwaway
                                 PostgreSQL cluster (127.0.0.1:55432; `test` runs them too)
  e2e [--no-build]               only the release build and the end-to-end tests
  build                          the release build of the portal into dist/
  serve [--port N]               serve dist/ as it is (no build)
  install                        install the pinned tools (wasm32 target, trunk, wasm-bindgen-cli,
                                 npm packages, Debian postgresql and chromium)
  territory                      generate public/data/territory.idx from the official COG data
  bench [all|catalogue|spa|provider|dashboard|search]
                                 run benchmarks (see docs/benchmarks.md);
                                 `bench provider --postgres`: the provider on PostgreSQL with a
                                 département's volume (200,000 demandes, 50,000 citizens)
  conformance --provider URL [--token-from ISSUER]
                                 check a provider API against the contract
  help                           this text";

/// A parsed `cargo xtask` invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Demo { port: u16, build: bool },
    Test { e2e: bool },
    TestPostgres,
    E2e { build: bool },
    Build,
    Serve { port: u16 },
    Install,
    Territory,
    Bench { which: String, rest: Vec<String> },
    Conformance { args: Vec<String> },
    Help,
}

pub const DEFAULT_PORT: u16 = 8080;

pub fn parse(args: &[String]) -> Result<Command> {
    let Some((name, rest)) = args.split_first() else {
        return Ok(Command::Help);
    };
    let mut flags = Flags::new(rest);
    let command = match name.as_str() {
        "demo" => Command::Demo {
            port: flags.port()?,
            build: !flags.switch("--no-build"),
        },
        "test" => Command::Test {
            e2e: !flags.switch("--no-e2e"),
        },
        "test-postgres" => Command::TestPostgres,
        "e2e" => Command::E2e {
            build: !flags.switch("--no-build"),
        },
        "build" => Command::Build,
        "serve" => Command::Serve {
            port: flags.port()?,
        },
        "install" => Command::Install,
        "territory" => Command::Territory,
        "bench" => {
            let which = flags.positional().unwrap_or_else(|| "all".into());
            return Ok(Command::Bench {
                which,
                rest: flags.into_rest(),
            });
        }
        "conformance" => {
            return Ok(Command::Conformance {
                args: flags.into_rest(),
            });
        }
        "help" | "--help" | "-h" => Command::Help,
        other => return Err(Error::Usage(format!("unknown command `{other}`"))),
    };
    flags.finish()?;
    Ok(command)
}

/// Remaining arguments of a subcommand, consumed flag by flag.
struct Flags {
    rest: Vec<String>,
}

impl Flags {
    fn new(args: &[String]) -> Self {
        Flags {
            rest: args.to_vec(),
        }
    }

    fn switch(&mut self, name: &str) -> bool {
        let before = self.rest.len();
        self.rest.retain(|a| a != name);
        self.rest.len() != before
    }

    fn value(&mut self, name: &str) -> Result<Option<String>> {
        let Some(at) = self.rest.iter().position(|a| a == name) else {
            return Ok(None);
        };
        if at + 1 >= self.rest.len() {
            return Err(Error::Usage(format!("`{name}` needs a value")));
        }
        let value = self.rest.remove(at + 1);
        self.rest.remove(at);
        Ok(Some(value))
    }

    fn port(&mut self) -> Result<u16> {
        match self.value("--port")? {
            None => Ok(DEFAULT_PORT),
            Some(text) => text
                .parse()
                .map_err(|_| Error::Usage(format!("`--port {text}`: expected a port number"))),
        }
    }

    fn positional(&mut self) -> Option<String> {
        let at = self.rest.iter().position(|a| !a.starts_with("--"))?;
        Some(self.rest.remove(at))
    }

    fn into_rest(self) -> Vec<String> {
        self.rest
    }

    fn finish(self) -> Result<()> {
        match self.rest.first() {
            None => Ok(()),
            Some(extra) => Err(Error::Usage(format!("unexpected argument `{extra}`"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn demo_defaults_to_port_8080_and_building() {
        assert_eq!(
            parse(&args("demo")).unwrap(),
            Command::Demo {
                port: 8080,
                build: true
            }
        );
    }

    #[test]
    fn demo_accepts_another_port() {
        assert_eq!(
            parse(&args("demo --port 9000 --no-build")).unwrap(),
            Command::Demo {
                port: 9000,
                build: false
            }
        );
    }

    #[test]
    fn rejects_unknown_commands_and_flags() {
        assert!(matches!(parse(&args("deploy")), Err(Error::Usage(_))));
        assert!(matches!(parse(&args("test --fast")), Err(Error::Usage(_))));
        assert!(matches!(
            parse(&args("serve --port x")),
            Err(Error::Usage(_))
        ));
    }

    #[test]
    fn the_postgres_runs_are_a_command_and_a_benchmark_option() {
        assert_eq!(
            parse(&args("test-postgres")).unwrap(),
            Command::TestPostgres
        );
        assert_eq!(
            parse(&args("bench provider --postgres")).unwrap(),
            Command::Bench {
                which: "provider".into(),
                rest: vec!["--postgres".into()]
            }
        );
    }

    #[test]
    fn no_arguments_means_help() {
        assert_eq!(parse(&[]).unwrap(), Command::Help);
    }
}
