//! The Shezhi server binary: `server` (serve), `server migrate`, `server seed-demo`,
//! `server user add --role ROLE --username NAME --name NAME [--unit UNIT]` (password on stdin),
//! `server verify-history` (checks the hash-chained case histories; non-zero exit if broken),
//! `server token add NAME` (a token for a system calling the JSON API, printed once).
use server::cli;
use server::config::{Config, LogFormat};

/// At least this many runtime workers, however few the cores: with fewer, Leptos's async
/// server rendering (the plain-form POST answers, `SsrMode::Async` pages) now and then never
/// resumes a resource and the request hangs (leptos-rs/leptos#4647; here it hung one run in
/// about eight of `server/tests/suggest_http.rs` on 2 workers, in none of 12 on 4).
const MIN_WORKERS: usize = 4;

fn main() -> std::process::ExitCode {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(cores.max(MIN_WORKERS)).enable_all().build();
    match runtime {
        Ok(rt) => rt.block_on(run()),
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> std::process::ExitCode {
    // The configuration before anything else, so a wrong value stops the start with one line.
    let (config, log_format) = match (Config::from_env(), LogFormat::from_env()) {
        (Ok(c), Ok(f)) => (c, f),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    log_format.init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::run(config, &args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
