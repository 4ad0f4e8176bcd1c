//! `/center/screen/events`: the command screen, live. One reading of the screen serves
//! every open wall: after a burst of case changes on the live hub (and once a minute, for
//! the figures the clock moves) the screen is read again and only what changed is pushed
//! (`ScreenDelta`). A wall that connects, reconnects after a restart or falls behind gets
//! the whole screen first, so it never needs a reload.
use app::auth::AuthSession;
use app::domain::screen::Screen;
use app::domain::screen_delta::ScreenDelta;
use app::error::AppError;
use app::server_ctx::AppState;
use app::service::live::Live;
use app::service::now_ms;
use app::service::sessions::{self, Holder};
use app::service::{Db, screen as screen_service};
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt, stream};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::{Mutex, broadcast};

/// Changes arriving this close together make one reading.
const COALESCE: Duration = Duration::from_millis(300);
/// Overdue cases and today's figures change with the clock alone.
const CLOCK: Duration = Duration::from_secs(60);
/// A reading that failed is tried again this soon: the change it was to carry has no other
/// notice coming, and the walls would wait for the next change or the clock.
const READ_AGAIN: Duration = Duration::from_secs(1);
/// How often a stream checks that its holder may still watch (as `/events` does).
const RECHECK: Duration = Duration::from_secs(4);
const KEEP_ALIVE: Duration = Duration::from_secs(15);
const RETRY: Duration = Duration::from_secs(2);

/// The hub, started by the first wall that connects, and the absolute session lifetime a
/// stream may not outlive.
#[derive(Clone)]
pub struct Wall {
    hub: Arc<OnceLock<Arc<Hub>>>,
    session_absolute: Duration,
}

struct Hub {
    db: Db,
    /// The latest reading and its number; the lock also orders readings with subscriptions,
    /// so a wall's first screen and the deltas it then receives follow each other.
    latest: Mutex<(u64, Option<Arc<Screen>>)>,
    deltas: broadcast::Sender<Arc<(u64, String)>>,
}

impl Wall {
    pub fn new(session_absolute: Duration) -> Wall {
        Wall { hub: Arc::default(), session_absolute }
    }

    fn hub(&self, db: &Db, live: &Live) -> Arc<Hub> {
        self.hub
            .get_or_init(|| {
                let hub = Arc::new(Hub { db: db.clone(), latest: Mutex::new((0, None)), deltas: broadcast::channel(64).0 });
                tokio::spawn(watch(hub.clone(), live.subscribe()));
                hub
            })
            .clone()
    }
}

/// Reads the screen again after each burst of notices and each minute, while walls watch.
async fn watch(hub: Arc<Hub>, mut notices: broadcast::Receiver<Arc<app::service::live::Pushed>>) {
    let mut failed = false;
    loop {
        if failed {
            tokio::time::sleep(READ_AGAIN).await;
        } else {
            tokio::select! {
                r = notices.recv() => if let Err(broadcast::error::RecvError::Closed) = r { return },
                _ = tokio::time::sleep(CLOCK) => {}
            }
            tokio::time::sleep(COALESCE).await;
        }
        while !matches!(notices.try_recv(), Err(broadcast::error::TryRecvError::Empty | broadcast::error::TryRecvError::Closed)) {}
        let mut latest = hub.latest.lock().await;
        failed = false;
        if hub.deltas.receiver_count() == 0 {
            // Nobody watches: the next wall reads afresh.
            latest.1 = None;
            continue;
        }
        let new = match screen_service::reading(&hub.db).await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the command screen; trying again");
                failed = true;
                continue;
            }
        };
        let n = latest.0;
        let delta = latest.1.as_ref().map(|old| ScreenDelta::between(old, &new, n, n + 1));
        if delta.as_ref().is_some_and(ScreenDelta::is_empty) {
            continue;
        }
        *latest = (n + 1, Some(Arc::new(new)));
        if let Some(delta) = delta {
            let _ = hub.deltas.send(Arc::new((n + 1, serde_json::to_string(&delta).expect("deltas serialise"))));
        }
    }
}

/// The first event: the whole screen and its reading's number.
#[derive(serde::Serialize)]
struct Whole<'a> {
    reading: u64,
    screen: &'a Screen,
}

pub async fn stream(State(state): State<AppState>, Extension(wall): Extension<Wall>, auth: AuthSession) -> Response {
    let Some(user) = auth.user else { return StatusCode::UNAUTHORIZED.into_response() };
    if screen_service::may_watch(&app::server_ctx::case_actor(&user)).is_err() {
        return StatusCode::FORBIDDEN.into_response();
    }
    let hub = wall.hub(&state.db, &state.effects.live);
    let (rx, whole) = {
        let mut latest = hub.latest.lock().await;
        let rx = hub.deltas.subscribe();
        if latest.1.is_none() {
            match screen_service::reading(&hub.db).await {
                Ok(s) => *latest = (latest.0 + 1, Some(Arc::new(s))),
                Err(e) => return error_response(e),
            }
        }
        let screen = latest.1.clone().expect("read above");
        (rx, serde_json::to_string(&Whole { reading: latest.0, screen: &screen }).expect("screens serialise"))
    };
    let holder = Holder {
        session_id: auth.session.id().map(|id| id.to_string()).unwrap_or_default(),
        user_id: user.id,
        role: user.role,
        unit_id: user.unit_id,
        signed_in_at: auth.session.get(app::auth::SIGNED_IN_AT).await.ok().flatten().unwrap_or(0),
    };
    let absolute_ms = wall.session_absolute.as_millis() as i64;
    let first = Event::default().retry(RETRY).event("screen").data(whole);
    let feed = Feed { db: state.db.clone(), rx, holder, absolute_ms, first: Some(first), next_check: tokio::time::Instant::now() + RECHECK };
    let events = stream::unfold(feed, |mut f| async move {
        if let Some(first) = f.first.take() {
            return Some((Ok::<_, std::convert::Infallible>(first), f));
        }
        loop {
            tokio::select! {
                r = f.rx.recv() => match r {
                    Ok(d) => return Some((Ok(Event::default().event("delta").data(d.1.as_str())), f)),
                    // Behind: end, and the browser reconnects to a whole screen.
                    Err(_) => return None,
                },
                _ = tokio::time::sleep_until(f.next_check) => {
                    f.next_check = tokio::time::Instant::now() + RECHECK;
                    if !matches!(sessions::still_holds(&f.db, &f.holder, f.absolute_ms, now_ms()).await, Ok(true)) {
                        return None;
                    }
                }
            }
        }
    });
    let open = crate::observe::StreamOpen::new();
    // Ended at shutdown, so the screen reconnects to an instance that stays.
    let events = events.take_until(crate::shutdown::begun()).map(move |e| {
        let _ = &open;
        e
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response()
}

struct Feed {
    db: Db,
    rx: broadcast::Receiver<Arc<(u64, String)>>,
    holder: Holder,
    absolute_ms: i64,
    first: Option<Event>,
    next_check: tokio::time::Instant,
}

fn error_response(e: AppError) -> Response {
    tracing::error!(error = %e, "cannot open the screen's stream");
    StatusCode::SERVICE_UNAVAILABLE.into_response()
}
