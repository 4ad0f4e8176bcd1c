//! What the IT office watches: a request id on every request and its log lines, request
//! counts and latencies by route, `/metrics` in the Prometheus text format (for the
//! operators' network only), and `/healthz` / `/readyz` for the load balancer.
//!
//! The metrics are per process, as Prometheus expects: each instance is scraped and summed.
use crate::client::Networks;
use app::server_ctx::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::net::IpAddr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tracing::Instrument;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelLabels {
    channel: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: String,
}

/// The services' own counts (`app::service::counters`), copied into counters at each scrape.
#[derive(Debug)]
struct ServiceCounts;

impl Collector for ServiceCounts {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let received: Family<ChannelLabels, Counter> = Family::default();
        for (channel, n) in app::service::counters::received_counts() {
            received.get_or_create(&ChannelLabels { channel: channel.code().into() }).inc_by(n);
        }
        received.encode(encoder.encode_descriptor(
            "cases_received",
            "Cases received since the process started, by channel",
            None,
            received.metric_type(),
        )?)?;
        let sign_ins: Family<OutcomeLabels, Counter> = Family::default();
        for (outcome, n) in app::service::counters::sign_in_counts() {
            sign_ins.get_or_create(&OutcomeLabels { outcome: outcome.into() }).inc_by(n);
        }
        sign_ins.encode(encoder.encode_descriptor("sign_ins", "Sign-in attempts since the process started, by outcome", None, sign_ins.metric_type())?)
    }
}

fn latency_histogram() -> Histogram {
    Histogram::new([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0])
}

/// The process's metrics. Gauges read from the database are set at each scrape.
struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    streams: Gauge,
    alarms_due: Gauge,
    scheduler_lag: Gauge<f64, AtomicU64>,
    connections: Family<PoolLabels, Gauge>,
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let mut registry = Registry::with_prefix("shezhi");
        let m = Metrics {
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_histogram as fn() -> Histogram),
            streams: Gauge::default(),
            alarms_due: Gauge::default(),
            scheduler_lag: Gauge::default(),
            connections: Family::default(),
            registry: Registry::default(),
        };
        registry.register("http_requests", "HTTP requests answered, by route pattern and status", m.requests.clone());
        registry.register("http_request_duration_seconds", "Time to the response head, by route pattern", m.latency.clone());
        registry.register("event_streams_open", "Live /events and command-screen streams open now", m.streams.clone());
        registry.register("alarms_due", "Case alarms (signing, SLA, follow-up) due and not yet handled", m.alarms_due.clone());
        registry.register("scheduler_lag_seconds", "Age of the oldest due alarm: how far the scheduler is behind (0 when caught up)", m.scheduler_lag.clone());
        registry.register("db_pool_connections", "Database pool connections, by state (open, idle)", m.connections.clone());
        registry.register_collector(Box::new(ServiceCounts));
        Metrics { registry, ..m }
    })
}

/// Counts an open live stream for as long as it is held.
pub struct StreamOpen(());

impl StreamOpen {
    pub fn new() -> StreamOpen {
        metrics().streams.inc();
        StreamOpen(())
    }
}

impl Default for StreamOpen {
    fn default() -> Self {
        StreamOpen::new()
    }
}

impl Drop for StreamOpen {
    fn drop(&mut self) {
        metrics().streams.dec();
    }
}

/// A request id from the proxy in front (`X-Request-Id`) when it is a sane token, else one
/// of our own; answered in the same header so a resident's complaint can be traced.
fn request_id(req: &Request) -> String {
    static NEXT: AtomicI64 = AtomicI64::new(0);
    let given = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| (1..=64).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b)));
    match given {
        Some(id) => id.to_string(),
        None => {
            static START: OnceLock<u64> = OnceLock::new();
            let start = START.get_or_init(|| {
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0) ^ std::process::id() as u64
            });
            format!("{start:x}-{:x}", NEXT.fetch_add(1, Ordering::Relaxed))
        }
    }
}

/// Middleware: the request id in a span around the request (so JSON log lines carry it),
/// in the answer's header, and the request counted and timed by its route pattern.
pub async fn observe(req: Request, next: Next) -> Response {
    let id = request_id(&req);
    let method = req.method().as_str().to_string();
    // The pattern, not the path: `/center/cases/{id}`, so the labels stay few.
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "other".into());
    let span = tracing::info_span!("request", id = %id, method = %method, route = %route);
    let started = Instant::now();
    let mut res = next.run(req).instrument(span.clone()).await;
    let took = started.elapsed();
    let status = res.status();
    let m = metrics();
    m.requests.get_or_create(&RequestLabels { method: method.clone(), route: route.clone(), status: status.as_u16().to_string() }).inc();
    m.latency.get_or_create(&RouteLabels { method, route }).observe(took.as_secs_f64());
    span.in_scope(|| {
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), ms = took.as_millis() as u64, "request failed");
        } else if took > Duration::from_secs(1) {
            tracing::warn!(status = status.as_u16(), ms = took.as_millis() as u64, "slow request");
        } else {
            tracing::debug!(status = status.as_u16(), ms = took.as_millis() as u64, "request");
        }
    });
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// The networks `/metrics` answers (`METRICS_FROM`, default this machine only).
#[derive(Clone, Debug)]
pub struct MetricsFrom(Networks);

impl MetricsFrom {
    pub fn parse(raw: &str) -> Result<MetricsFrom, String> {
        Networks::parse(raw).map(MetricsFrom)
    }

    pub fn allows(&self, ip: IpAddr) -> bool {
        self.0.contains(ip)
    }
}

impl Default for MetricsFrom {
    fn default() -> Self {
        MetricsFrom::parse("127.0.0.1, ::1").expect("loopback parses")
    }
}

/// `GET /metrics`: from an allowed network, the Prometheus text; from anywhere else, the
/// same 404 as any unknown address, so the public does not learn it exists.
pub async fn scrape(State(state): State<AppState>, axum::Extension(from): axum::Extension<MetricsFrom>, req: Request) -> Response {
    let client = req.extensions().get::<app::server_ctx::ClientAddr>().map(|c| c.0);
    if !client.is_some_and(|ip| from.allows(ip)) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let m = metrics();
    let now = app::service::now_ms();
    match app::service::cases::alarm_backlog(&state.db, now).await {
        Ok((due, oldest)) => {
            m.alarms_due.set(due);
            m.scheduler_lag.set(oldest.map_or(0.0, |at| (now - at).max(0) as f64 / 1000.0));
        }
        Err(e) => tracing::error!(error = %e, "reading the alarm backlog for /metrics failed"),
    }
    let (open, idle) = app::service::health::pool_use(&state.db);
    m.connections.get_or_create(&PoolLabels { state: "open".into() }).set(open as i64);
    m.connections.get_or_create(&PoolLabels { state: "idle".into() }).set(idle as i64);
    let mut body = String::new();
    if let Err(e) = prometheus_client::encoding::prometheus_text::encode(&mut body, &m.registry) {
        tracing::error!(error = %e, "encoding /metrics failed");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    ([(header::CONTENT_TYPE, prometheus_client::encoding::prometheus_text::CONTENT_TYPE)], body).into_response()
}

/// `GET /readyz`: 200 when the database answers within 3 s and its schema is current;
/// 503 with the reason otherwise.
pub async fn ready(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(Duration::from_secs(3), app::service::health::readiness(&state.db)).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(why)) => (StatusCode::SERVICE_UNAVAILABLE, why).into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database: no answer within 3 s").into_response(),
    }
}
