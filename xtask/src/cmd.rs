//! Running child processes with the command echoed, so a log always says what was run.

use crate::error::{Error, Result};
use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Builds a [`Command`] that runs in `dir`.
pub fn new(program: impl AsRef<OsStr>, dir: &Path) -> Command {
    let mut command = Command::new(program);
    command.current_dir(dir);
    command
}

/// Human-readable form of a command line, for logs and error messages.
pub fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs a command with inherited stdio and fails with `fix` if it does not succeed.
pub fn run(command: &mut Command, fix: &str) -> Result<()> {
    let shown = describe(command);
    println!("    $ {shown}");
    let status = command.status().map_err(|e| Error::CommandFailed {
        command: shown.clone(),
        status: format!("could not start: {e}"),
        fix: fix.to_owned(),
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::CommandFailed {
            command: shown,
            status: status.to_string(),
            fix: fix.to_owned(),
        })
    }
}

/// Runs a command quietly and returns its stdout if it succeeded, `None` if it could not start or
/// failed. Used to probe for tools (`trunk --version`).
pub fn probe(program: impl AsRef<OsStr>, args: &[&str]) -> Option<String> {
    let output: Output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if output.status.success() {
        Some(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    } else {
        None
    }
}
