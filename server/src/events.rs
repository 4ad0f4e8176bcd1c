//! `/events`: the real-time hub as Server-Sent Events. Each signed-in staff member gets the
//! notices addressed to their unit (the center's staff get all). A browser that lost the
//! network reconnects by itself and sends `Last-Event-ID`; what it missed is read back from
//! the `notices` outbox before the live feed resumes, so nothing falls between the two.
use crate::places::Places;
use app::auth::{AuthSession, SIGNED_IN_AT};
use app::domain::notice::Notice;
use app::domain::org::Role;
use app::error::AppError;
use app::server_ctx::AppState;
use app::service::Db;
use app::service::live::{self, Live, Pushed};
use app::service::now_ms;
use app::service::sessions::{self, Holder};
use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use futures_util::stream::{self, Stream};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::{Receiver, error::RecvError};

/// At most this many missed notices are replayed at a time.
const CATCH_UP: i64 = 500;
/// How soon a browser retries after the connection drops.
const RETRY: Duration = Duration::from_secs(2);
/// A comment this often keeps proxies and phones from closing an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The streams each user has open, and how many one may: a few tabs and a phone, not a
/// script holding hundreds of connections in someone's name.
#[derive(Clone)]
pub struct OpenStreams {
    per_user: usize,
    /// The absolute session lifetime, which a stream outliving its session must not.
    session_absolute: Duration,
    open: Places<i64>,
}

impl OpenStreams {
    pub fn new(per_user: usize, session_absolute: Duration) -> OpenStreams {
        OpenStreams { per_user, session_absolute, open: Places::default() }
    }
}

pub async fn stream(State(state): State<AppState>, Extension(streams): Extension<OpenStreams>, auth: AuthSession, headers: HeaderMap) -> Response {
    let Some(user) = auth.user else { return StatusCode::UNAUTHORIZED.into_response() };
    let unit = match (user.role, user.unit_id) {
        (Role::UnitStaff, Some(u)) => Some(u),
        (Role::UnitStaff, None) | (Role::Admin, _) => return StatusCode::FORBIDDEN.into_response(),
        _ => None,
    };
    let Some(place) = streams.open.take(user.id, streams.per_user) else {
        let mut r = (StatusCode::TOO_MANY_REQUESTS, axum::Json(AppError::TooManyRequests(RETRY.as_secs()))).into_response();
        r.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(RETRY.as_secs()));
        return r;
    };
    let last_seen = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok());
    let holder = Holder {
        session_id: auth.session.id().map(|id| id.to_string()).unwrap_or_default(),
        user_id: user.id,
        role: user.role,
        unit_id: user.unit_id,
        signed_in_at: auth.session.get(SIGNED_IN_AT).await.ok().flatten().unwrap_or(0),
    };
    let watch = Watch { holder, absolute_ms: streams.session_absolute.as_millis() as i64 };
    match subscribe(state.db, &state.effects.live, unit, last_seen, Some(watch)).await {
        // The place goes with the stream and is given back when the browser leaves.
        Ok(s) => {
            let held = (place, crate::observe::StreamOpen::new());
            // Ended at shutdown, so the browser reconnects to an instance that stays.
            Sse::new(s.take_until(crate::shutdown::begun()).map(move |e| {
                let _ = &held;
                e
            }))
            .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
            .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot open an event stream");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// How often an open stream checks that its holder may still receive: a deactivated,
/// signed-out, expired or moved user stops receiving within this time.
const RECHECK: Duration = Duration::from_secs(4);

/// The holder a stream re-checks, and the lifetime it is held to.
pub struct Watch {
    pub holder: Holder,
    pub absolute_ms: i64,
}

struct Feed {
    db: Db,
    watch: Option<Watch>,
    next_check: tokio::time::Instant,
    rx: Receiver<Arc<Pushed>>,
    unit: Option<i64>,
    /// The last id sent (or known to the browser): nothing at or below it is sent again.
    last: i64,
    backlog: VecDeque<Notice>,
    hello: bool,
}

/// The stream for one subscriber: first a `retry` hint, then what was missed after
/// `last_seen` (nothing for a fresh page), then live notices. Subscribing happens before
/// the outbox is read, so a notice committed in between arrives by one way or the other,
/// and the id filter drops the copy.
pub async fn subscribe(
    db: Db,
    live: &Live,
    unit: Option<i64>,
    last_seen: Option<i64>,
    watch: Option<Watch>,
) -> Result<impl Stream<Item = Result<Event, std::convert::Infallible>> + use<>, AppError> {
    let rx = live.subscribe();
    let (last, backlog) = match last_seen {
        Some(after) => (after, live::since(&db, after, CATCH_UP).await?.into()),
        None => (live::last_id(&db).await?, VecDeque::new()),
    };
    let feed = Feed { db, watch, next_check: tokio::time::Instant::now() + RECHECK, rx, unit, last, backlog, hello: true };
    Ok(stream::unfold(feed, |mut f| async move {
        if std::mem::take(&mut f.hello) {
            return Some((Ok(Event::default().retry(RETRY).comment("hello")), f));
        }
        loop {
            if let Some(n) = f.backlog.pop_front() {
                if n.id <= f.last {
                    continue;
                }
                f.last = n.id;
                if !n.visible_to(f.unit) {
                    continue;
                }
                return Some((Ok(event_of(n.id, &serde_json::to_string(&n).expect("notices serialise"))), f));
            }
            let received = tokio::select! {
                r = f.rx.recv() => r,
                _ = tokio::time::sleep_until(f.next_check), if f.watch.is_some() => {
                    f.next_check = tokio::time::Instant::now() + RECHECK;
                    let w = f.watch.as_ref().expect("checked above");
                    match sessions::still_holds(&f.db, &w.holder, w.absolute_ms, now_ms()).await {
                        Ok(true) => continue,
                        // Ended: the browser reconnects, and the guard answers it.
                        _ => return None,
                    }
                }
            };
            match received {
                Ok(p) if p.notice.id > f.last && p.notice.visible_to(f.unit) => {
                    f.last = p.notice.id;
                    return Some((Ok(event_of(p.notice.id, &p.json)), f));
                }
                Ok(_) => {}
                // Fell behind the hub: read the gap back from the outbox.
                Err(RecvError::Lagged(_)) => match live::since(&f.db, f.last, CATCH_UP).await {
                    Ok(missed) => f.backlog.extend(missed),
                    Err(_) => return None,
                },
                Err(RecvError::Closed) => return None,
            }
        }
    }))
}

fn event_of(id: i64, json: &str) -> Event {
    Event::default().id(id.to_string()).event("notice").data(json)
}
