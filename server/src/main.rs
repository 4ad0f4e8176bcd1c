//! The Shezhi server binary: `server` (serve), `server migrate`, `server seed-demo`,
//! `server user add --role ROLE --username NAME --name NAME [--unit UNIT]` (password on stdin),
//! `server verify-history` (checks the hash-chained case histories; non-zero exit if broken),
//! `server token add NAME` (a token for a system calling the JSON API, printed once).
use server::{cli, config::Config};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()))
        .init();
    let config = Config::from_env();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::run(config, &args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
