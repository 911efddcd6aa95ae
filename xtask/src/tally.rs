//! Counting tests across runners, so `cargo xtask test` can close with one honest line.
//!
//! Cargo prints `test result: ok. 12 passed; 0 failed; 1 ignored; …` per test binary and node's test
//! runner prints `# pass 9` / `# fail 0` / `# skipped 1`. Their output is streamed through unchanged
//! while the counts are read off it; the pipeline ends with `tests: N passed, N failed, N skipped`.

use crate::cmd;
use crate::error::{Error, Result};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
    pub skipped: u64,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }

    /// Reads the counts a test runner printed on one line, if it is a summary line.
    pub fn read_line(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split([';', '.']) {
                let mut words = part.split_whitespace();
                if let (Some(n), Some(kind)) = (words.next(), words.next()) {
                    let Ok(n) = n.parse::<u64>() else { continue };
                    match kind {
                        "passed" => self.passed += n,
                        "failed" => self.failed += n,
                        "ignored" => self.skipped += n,
                        _ => {}
                    }
                }
            }
        } else if let Some(rest) = line.strip_prefix("# ") {
            let mut words = rest.split_whitespace();
            if let (Some(kind), Some(n), None) = (words.next(), words.next(), words.next()) {
                let Ok(n) = n.parse::<u64>() else { return };
                match kind {
                    "pass" => self.passed += n,
                    "fail" => self.failed += n,
                    "skipped" | "todo" => self.skipped += n,
                    _ => {}
                }
            }
        }
    }

    pub fn closing_line(&self) -> String {
        format!(
            "tests: {} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }
}

/// Runs a test command, streaming its stdout while counting, and fails if the command fails.
pub fn run_counting(command: &mut Command, fix: &str) -> Result<Tally> {
    let shown = cmd::describe(command);
    println!("    $ {shown}");
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| Error::CommandFailed {
            command: shown.clone(),
            status: format!("could not start: {e}"),
            fix: fix.to_owned(),
        })?;
    let mut tally = Tally::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
            println!("{line}");
            tally.read_line(&line);
        }
    }
    let status = child.wait().map_err(|e| Error::CommandFailed {
        command: shown.clone(),
        status: format!("could not wait: {e}"),
        fix: fix.to_owned(),
    })?;
    if status.success() {
        Ok(tally)
    } else {
        Err(Error::CommandFailed {
            command: shown,
            status: status.to_string(),
            fix: fix.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn reads_cargo_summary_lines() {
        let mut t = Tally::default();
        t.read_line("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        t.read_line(
            "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out",
        );
        assert_eq!(
            t,
            Tally {
                passed: 15,
                failed: 2,
                skipped: 1
            }
        );
    }

    #[test]
    fn reads_node_test_runner_summary_lines() {
        let mut t = Tally::default();
        for line in [
            "# tests 10",
            "# pass 9",
            "# fail 1",
            "# skipped 0",
            "# todo 0",
        ] {
            t.read_line(line);
        }
        assert_eq!(
            t,
            Tally {
                passed: 9,
                failed: 1,
                skipped: 0
            }
        );
    }

    #[test]
    fn ignores_ordinary_output() {
        let mut t = Tally::default();
        t.read_line("# Subtest: home page shows the federation");
        t.read_line("running 4 tests");
        assert_eq!(t, Tally::default());
    }

    #[test]
    fn closing_line_is_the_plain_format_ci_reads() {
        let t = Tally {
            passed: 3,
            failed: 0,
            skipped: 1,
        };
        assert_eq!(t.closing_line(), "tests: 3 passed, 0 failed, 1 skipped");
    }
}
