//! `cargo xtask conformance`: the contract checks against one provider, or against every provider
//! of a running demo stack — which also proves that a citizen's token from the real identity
//! provider is accepted by every provider.

use crate::cmd;
use crate::error::{Error, Result};
use crate::paths;

/// Runs `guichet-conformance` with `args` (e.g. `--provider URL --token-from ISSUER`).
pub fn run(args: &[String]) -> Result<()> {
    let root = paths::root();
    let mut command = cmd::new("cargo", &root);
    command
        .args(["run", "-q", "--locked", "-p", "conformance", "--"])
        .args(args);
    cmd::run(
        &mut command,
        "read the failing checks above (docs/provider-api.md explains each rule)",
    )
}

/// Checks every provider of the stack with tokens from the stack's identity provider.
pub fn run_all(providers: &[String], issuer: &str) -> Result<()> {
    let mut failures = Vec::new();
    for (i, provider) in providers.iter().enumerate() {
        println!("\n    conformance of {provider}");
        let mut args = vec![
            "--provider".to_owned(),
            provider.clone(),
            "--token-from".to_owned(),
            issuer.to_owned(),
        ];
        // A token of the same citizen for the next provider must be refused by this one.
        if let Some(other) = providers
            .get((i + 1) % providers.len())
            .filter(|o| *o != provider)
        {
            args.extend(["--other-provider".to_owned(), other.clone()]);
        }
        if run(&args).is_err() {
            failures.push(provider.clone());
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Error::Failed(format!(
            "providers failing the contract: {}",
            failures.join(", ")
        )))
    }
}
