//! Graceful shutdown. On SIGTERM (systemd, a container runtime) or Ctrl-C the server stops
//! accepting, ends its live streams so that phones and screens reconnect (through the load
//! balancer, to another instance) and lets the requests in flight finish, for at most `DRAIN`.
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::watch;

/// The longest the requests in flight get once shutdown begins.
pub const DRAIN: Duration = Duration::from_secs(25);

fn flag() -> &'static watch::Sender<bool> {
    static FLAG: OnceLock<watch::Sender<bool>> = OnceLock::new();
    FLAG.get_or_init(|| watch::channel(false).0)
}

/// Starts the shutdown of this process's server.
pub fn begin() {
    flag().send_replace(true);
}

/// Resolves once shutdown has begun (at once if it already has).
pub async fn begun() {
    let mut rx = flag().subscribe();
    let _ = rx.wait_for(|b| *b).await;
}

/// Resolves at SIGTERM or Ctrl-C.
async fn signalled() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "cannot watch for SIGTERM; Ctrl-C still stops the server");
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// Serves `app` on `listener` until a signal (or `begin`), then drains.
pub async fn serve(listener: crate::net::Listener, app: axum::Router) -> Result<(), String> {
    tokio::spawn(async {
        signalled().await;
        tracing::info!("shutting down: no new connections, live streams ended, requests in flight finishing");
        begin();
    });
    let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(begun());
    let drained = async {
        begun().await;
        tokio::time::sleep(DRAIN).await;
    };
    tokio::select! {
        r = served => r.map_err(|e| e.to_string()),
        _ = drained => {
            tracing::warn!(seconds = DRAIN.as_secs(), "requests still running after the drain time were cut off");
            Ok(())
        }
    }
}
