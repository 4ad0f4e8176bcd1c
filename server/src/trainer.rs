//! Retrains the routing models in the background: at start, then nightly at 02:00 in the
//! center's time, when the desk is quiet. A run reads the history once and learns on a
//! blocking thread (`app::service::routing::train`), so requests never wait for it; a failed
//! run is logged and the models in use stay.
use app::domain::clock::{CENTER_OFFSET_MS, DAY_MS};
use app::service::Effects;
use app::store::Db;
use tokio::task::JoinHandle;

/// The local hour of the nightly run.
const NIGHTLY_HOUR_MS: i64 = 2 * 3_600_000;

/// Milliseconds from `now_ms` to the next 02:00 in the center's time.
pub fn until_nightly(now_ms: i64) -> i64 {
    let local = now_ms + CENTER_OFFSET_MS;
    let today = local.div_euclid(DAY_MS) * DAY_MS + NIGHTLY_HOUR_MS;
    let next = if today > local { today } else { today + DAY_MS };
    next - local
}

pub fn start(db: Db, fx: Effects) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match app::service::routing::train(&db, &fx.routing).await {
                Ok(s) => tracing::info!(cases = s.cases, took_ms = s.took_ms, "routing models trained"),
                Err(e) => tracing::error!(error = %e, "routing models could not be trained"),
            }
            tokio::time::sleep(std::time::Duration::from_millis(until_nightly(app::store::now_ms()) as u64)).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_run_is_at_two_in_the_night_local_time() {
        // 2026-01-01T00:00:00+08:00
        let midnight = 1_767_196_800_000;
        assert_eq!(until_nightly(midnight), 2 * 3_600_000);
        assert_eq!(until_nightly(midnight + 2 * 3_600_000), DAY_MS, "at two sharp: the next night");
        assert_eq!(until_nightly(midnight + 3 * 3_600_000), DAY_MS - 3_600_000);
    }
}
