//! `guichet-conformance --provider URL --token-from ISSUER`

use clap::Parser;
use conformance::token::{self, Credential, SignIn};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "guichet-conformance",
    about = "Check a provider API against the Guichet contract (creates test demandes: use a test instance)"
)]
struct Cli {
    /// Base URL of the provider API, exactly as the catalogue declares it (its resource indicator).
    #[arg(long)]
    provider: String,
    /// Another provider of the federation (its base URL): a token for it must be refused here.
    #[arg(long)]
    other_provider: Option<String>,
    /// Obtain the two citizens' DPoP-bound tokens from this issuer's login form (the demo identity
    /// provider).
    #[arg(long)]
    token_from: Option<String>,
    /// First citizen's bearer access token (instead of --token-from; binding checks then fail).
    #[arg(long)]
    token: Option<String>,
    /// Second citizen's bearer access token (instead of --token-from).
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

type Credentials = (Credential, Credential, Option<Credential>);

async fn credentials(cli: &Cli) -> Result<Credentials, String> {
    match (&cli.token, &cli.token_b, &cli.token_from) {
        (Some(a), Some(b), _) => Ok((
            Credential::bearer(a.clone()),
            Credential::bearer(b.clone()),
            None,
        )),
        (_, _, Some(issuer)) => {
            let redirect = format!("{}/connexion/retour", cli.portal_origin);
            let sign_in = |login| SignIn {
                issuer,
                client_id: &cli.client_id,
                redirect_uri: &redirect,
                login,
                password: &cli.password,
                dpop: true,
            };
            let mut resources = vec![cli.provider.as_str()];
            resources.extend(cli.other_provider.as_deref());
            let a = token::obtain(&sign_in(&cli.login_a), &resources)
                .await
                .map_err(|e| e.to_string())?;
            let b = token::obtain(&sign_in(&cli.login_b), &resources[..1])
                .await
                .map_err(|e| e.to_string())?;
            let mut a = a.per_resource.into_iter();
            let (Some(token_a), Some(token_b)) = (a.next(), b.per_resource.into_iter().next())
            else {
                return Err("the issuer gave no token".into());
            };
            Ok((token_a, token_b, a.next()))
        }
        _ => Err("give --token-from ISSUER, or --token and --token-b".to_owned()),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let (token_a, token_b, other_provider_token) = match credentials(&cli).await {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot obtain tokens: {e}");
            return ExitCode::from(2);
        }
    };
    let target = conformance::Target {
        provider: cli.provider.trim_end_matches('/').to_owned(),
        portal_origin: cli.portal_origin,
        token_a,
        token_b,
        other_provider_token,
        form: cli.form,
    };
    let outcomes = conformance::run(&target).await;
    if conformance::print_report(&outcomes) == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
