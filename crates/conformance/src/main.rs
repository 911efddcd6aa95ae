//! `guichet-conformance --provider URL --token-from ISSUER`

use clap::Parser;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "guichet-conformance",
    about = "Check a provider API against the Guichet contract (creates test demandes: use a test instance)"
)]
struct Cli {
    /// Base URL of the provider API.
    #[arg(long)]
    provider: String,
    /// Obtain the two citizens' tokens from this issuer's login form (the demo identity provider).
    #[arg(long)]
    token_from: Option<String>,
    /// First citizen's access token (instead of --token-from).
    #[arg(long)]
    token: Option<String>,
    /// Second citizen's access token (instead of --token-from).
    #[arg(long)]
    token_b: Option<String>,
    /// The portal origin the provider must allow (CORS).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    portal_origin: String,
    /// The form to submit to (default: the first listed).
    #[arg(long)]
    form: Option<String>,
    #[arg(long, default_value = "guichet-portal")]
    client_id: String,
    #[arg(long, default_value = "test.conformite.a")]
    login_a: String,
    #[arg(long, default_value = "test.conformite.b")]
    login_b: String,
    #[arg(long, default_value = "demo")]
    password: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let redirect = format!("{}/connexion/retour", cli.portal_origin);
    let tokens = match (&cli.token, &cli.token_b, &cli.token_from) {
        (Some(a), Some(b), _) => Ok((a.clone(), b.clone())),
        (_, _, Some(issuer)) => {
            let a = conformance::token::obtain(
                issuer,
                &cli.client_id,
                &redirect,
                &cli.login_a,
                &cli.password,
            )
            .await;
            let b = conformance::token::obtain(
                issuer,
                &cli.client_id,
                &redirect,
                &cli.login_b,
                &cli.password,
            )
            .await;
            a.and_then(|a| b.map(|b| (a, b))).map_err(|e| e.to_string())
        }
        _ => Err("give --token-from ISSUER, or --token and --token-b".to_owned()),
    };
    let (token_a, token_b) = match tokens {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot obtain tokens: {e}");
            return ExitCode::from(2);
        }
    };
    let target = conformance::Target {
        provider: cli.provider,
        portal_origin: cli.portal_origin,
        token_a,
        token_b,
        form: cli.form,
    };
    let outcomes = conformance::run(&target).await;
    if conformance::print_report(&outcomes) == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
