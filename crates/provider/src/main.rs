//! `guichet-provider`: run the reference provider, or act on its demandes as an agent.

use clap::{Parser, Subcommand};
use provider::{agent, config::Config, db::Db};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "guichet-provider",
    version,
    about = "Guichet reference provider (provider API + agent CLI)"
)]
struct Cli {
    /// The provider's configuration file.
    #[arg(long, short, global = true, default_value = "provider.toml")]
    config: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the provider API.
    Serve,
    /// Create or upgrade the database, check the forms, apply the seed, and exit.
    Migrate,
    /// Act on demandes as a collectivity's agent.
    Agent {
        #[command(subcommand)]
        action: AgentAction,
    },
}

#[derive(Subcommand)]
enum AgentAction {
    /// List demandes (reference, id, form, status, label, subject).
    List {
        #[arg(long)]
        subject: Option<String>,
        #[arg(long)]
        form: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Count demandes.
    Count {
        #[arg(long)]
        subject: Option<String>,
        #[arg(long)]
        form: Option<String>,
    },
    /// Show one demande (id or reference) as JSON.
    Show { demande: String },
    /// Move a demande to another status.
    Status {
        demande: String,
        /// submitted, in_review, action_required, accepted, rejected or closed.
        status: String,
        /// The label the citizen sees.
        #[arg(long)]
        label: String,
        #[arg(long)]
        comment: Option<String>,
    },
    /// Send a message to the citizen.
    Message { demande: String, body: String },
    /// Ask the citizen for a document (the demande becomes `action_required`).
    RequestDocument {
        demande: String,
        label: String,
        #[arg(long)]
        detail: Option<String>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let config = Config::load(&cli.config).map_err(|e| e.to_string())?;
    match cli.command {
        Command::Serve => {
            let bind = config.bind.clone();
            let state = provider::build_state(config).await?;
            let listener = tokio::net::TcpListener::bind(&bind)
                .await
                .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
            tracing::info!(
                "provider `{}` listening on http://{bind}",
                state.config.member
            );
            let shutdown = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            provider::serve(state, listener, shutdown)
                .await
                .map_err(|e| e.to_string())
        }
        Command::Migrate => {
            provider::build_state(config).await?;
            println!("database ready");
            Ok(())
        }
        Command::Agent { action } => {
            let db = Db::open(&config.database)
                .await
                .map_err(|e| e.to_string())?;
            let outcome = match action {
                AgentAction::List {
                    subject,
                    form,
                    json,
                } => agent::list(&db, subject.as_deref(), form.as_deref(), json).await,
                AgentAction::Count { subject, form } => {
                    agent::count(&db, subject.as_deref(), form.as_deref()).await
                }
                AgentAction::Show { demande } => agent::show(&db, &demande).await,
                AgentAction::Status {
                    demande,
                    status,
                    label,
                    comment,
                } => agent::set_status(&db, &demande, &status, &label, comment.as_deref()).await,
                AgentAction::Message { demande, body } => {
                    agent::message(&db, &demande, &body).await
                }
                AgentAction::RequestDocument {
                    demande,
                    label,
                    detail,
                } => agent::request_document(&db, &demande, &label, detail.as_deref()).await,
            };
            outcome.map_err(|e| e.to_string())
        }
    }
}
