//! The one error type of xtask.
//!
//! Every failure a person can fix themselves carries a one-line `fix`, printed instead of a trace:
//! a missing tool says how to install it, a failed command says which command and what to rerun.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A tool we need is absent and could not be installed automatically.
    #[error("{tool} is missing. Fix: {fix}")]
    ToolMissing { tool: &'static str, fix: String },

    /// A child process exited unsuccessfully.
    #[error("`{command}` failed ({status}). Fix: {fix}")]
    CommandFailed {
        command: String,
        status: String,
        fix: String,
    },

    /// A file or directory could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The command line was not understood.
    #[error("{0}\n\n{usage}", usage = crate::cli::USAGE)]
    Usage(String),

    /// Something the project itself should guarantee did not hold (a pinned version drifted, …).
    #[error("{what}. Fix: {fix}")]
    Inconsistent { what: String, fix: String },

    /// A check or test reported failures (its own output already explained them).
    #[error("{0}")]
    Failed(String),
}

impl Error {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
