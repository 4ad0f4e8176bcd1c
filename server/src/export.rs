//! Downloads of the filtered case list; memory stays flat for any length. The CSV streams
//! batch by batch; the Excel rows go batch by batch to the xlsx writer's temporary file
//! (constant-memory mode), and the zipped workbook streams out from there.
use app::auth::AuthSession;
use app::domain::audit::AuditEvent;
use app::domain::case::CaseFilter;
use app::server_ctx::{AppState, ClientAddr, case_actor};
use app::service::AuditActor;
use app::ui::cases::export;
use axum::body::Body;
use axum::extract::{Extension, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

fn filter_of(query: Option<String>) -> CaseFilter {
    let pairs: Vec<(String, String)> = query.as_deref().map(url_pairs).unwrap_or_default();
    CaseFilter::from_query(|k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
}

/// `a=1&b=x%20y` to pairs, decoding `+` and percent escapes.
pub(crate) fn url_pairs(q: &str) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                },
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn attachment(name: &str, content_type: &'static str) -> [(header::HeaderName, HeaderValue); 2] {
    [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CONTENT_DISPOSITION, HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).unwrap_or(HeaderValue::from_static("attachment"))),
    ]
}

/// Who downloads, for the audit trail.
pub(crate) fn downloader(user: &app::auth::SessionUser, addr: Option<Extension<ClientAddr>>) -> AuditActor {
    AuditActor { user_id: Some(user.id), ip: addr.map(|Extension(a)| a.0.to_string()) }
}

/// Every download of the register is on the record (PIPL), with the filter it used,
/// before its first byte leaves.
async fn record(state: &AppState, who: &AuditActor, format: &str, query: Option<&str>) -> Result<(), Response> {
    let event = AuditEvent::CasesExported { format: format.into(), filter: query.unwrap_or_default().chars().take(500).collect() };
    app::service::privacy::record_export(&state.db, who, event).await.map_err(|e| refusal(&e))
}

fn refusal(e: &app::error::AppError) -> Response {
    StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR).into_response()
}

pub async fn csv(State(state): State<AppState>, auth: AuthSession, addr: Option<Extension<ClientAddr>>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let Some(user) = auth.user else { return StatusCode::UNAUTHORIZED.into_response() };
    let by = case_actor(&user);
    if let Err(refused) = record(&state, &downloader(&user, addr), "csv", q.as_deref()).await {
        return refused;
    }
    let filter = filter_of(q);
    let l = export::locale(crate::lang::locale_of(&headers) == "en");
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    tokio::spawn(async move {
        let mut after = None;
        let mut first = true;
        loop {
            let page = match app::service::cases::list_batch(&state.db, &by, &filter, after, export::BATCH).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::error!(error = %e, "case export failed");
                    let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
                    return;
                }
            };
            // A closed download (the receiver dropped) stops the walk.
            if tx.send(Ok(export::csv_chunk(l, &page.rows, first))).await.is_err() {
                return;
            }
            first = false;
            match page.next {
                Some(n) => after = Some(n),
                None => return,
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    (attachment("cases.csv", "text/csv; charset=utf-8"), Body::from_stream(stream)).into_response()
}

pub async fn xlsx(
    State(state): State<AppState>,
    auth: AuthSession,
    addr: Option<Extension<ClientAddr>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let Some(user) = auth.user else { return StatusCode::UNAUTHORIZED.into_response() };
    let by = case_actor(&user);
    if let Err(refused) = record(&state, &downloader(&user, addr), "xlsx", q.as_deref()).await {
        return refused;
    }
    let l = export::locale(crate::lang::locale_of(&headers) == "en");
    // The rows are read (into the writer's temporary file) before the answer starts, so a
    // refusal or a failed read still gets its status; the zip then streams out.
    let book = match export::xlsx(&state.db, &by, &filter_of(q), l).await {
        Ok(book) => book,
        Err(e) => return refusal(&e),
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter { tx: tx.clone(), buf: Vec::with_capacity(CHUNK) };
        let done = book.write_to(&mut out).and_then(|()| std::io::Write::flush(&mut out).map_err(|_| app::error::AppError::Internal));
        if done.is_err() {
            tracing::error!("case export to Excel failed");
            let _ = tx.blocking_send(Err(std::io::Error::other("export failed")));
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    (attachment("cases.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), Body::from_stream(stream)).into_response()
}

/// An Excel workbook made off the async workers and sent whole, as `name`.
async fn workbook(name: &str, build: impl FnOnce() -> Result<app::ui::cases::export::XlsxBook, app::error::AppError> + Send + 'static) -> Response {
    let bytes = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        build()?.write_to(&mut out).map(|()| out)
    })
    .await;
    match bytes {
        Ok(Ok(bytes)) => (attachment(name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), bytes).into_response(),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The supervision list, filtered as on its page, as an Excel workbook. Bounded (see
/// `service::supervision::EXPORT_LIMIT`), so it is built in memory and sent whole.
pub async fn supervision_xlsx(
    State(state): State<AppState>,
    auth: AuthSession,
    addr: Option<Extension<ClientAddr>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let Some(user) = auth.user else { return StatusCode::UNAUTHORIZED.into_response() };
    let filter = match app::domain::supervision::SupervisionFilter::from_query(&url_pairs(q.as_deref().unwrap_or_default())) {
        Ok(f) => f,
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    };
    let rows = match app::service::supervision::export_rows(&state.db, &case_actor(&user), &filter).await {
        Ok(rows) => rows,
        Err(e) => return refusal(&e),
    };
    let event = AuditEvent::CasesExported { format: "supervision.xlsx".into(), filter: filter.to_query() };
    if let Err(e) = app::service::privacy::record_export(&state.db, &downloader(&user, addr), event).await {
        return refusal(&e);
    }
    let l = export::locale(crate::lang::locale_of(&headers) == "en");
    workbook("supervision.xlsx", move || app::ui::supervision::export::xlsx(&rows, l)).await
}

/// A bulletin (通报) as an Excel workbook: the units' ranking and the listed cases. It holds
/// no resident's data, so unlike the lists it is not written to the audit trail.
pub async fn bulletin_xlsx(
    State(state): State<AppState>,
    auth: AuthSession,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    let Some(user) = auth.user else { return StatusCode::UNAUTHORIZED.into_response() };
    let Ok(id) = id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    let view = match app::service::bulletins::get(&state.db, &case_actor(&user), id).await {
        Ok(v) => v,
        Err(e) => return refusal(&e),
    };
    let l = export::locale(crate::lang::locale_of(&headers) == "en");
    let name = format!("bulletin-{}.xlsx", view.bulletin.period.code());
    workbook(&name, move || app::ui::supervision::bulletin_export::xlsx(&view.bulletin, l)).await
}

/// The evaluation's ranking for `?period=` as an Excel workbook (the scores of units, no
/// resident's data: not written to the audit trail).
pub async fn evaluation_xlsx(State(state): State<AppState>, auth: AuthSession, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let Some(user) = auth.user else { return StatusCode::UNAUTHORIZED.into_response() };
    let period = url_pairs(q.as_deref().unwrap_or_default()).into_iter().find(|(k, _)| k == "period").map(|(_, v)| v).unwrap_or_default();
    let page = match app::service::evaluation::page(&state.db, &case_actor(&user), &period).await {
        Ok(p) => p,
        Err(e) => return refusal(&e),
    };
    let l = export::locale(crate::lang::locale_of(&headers) == "en");
    let name = format!("evaluation-{}.xlsx", page.evaluation.period.code());
    workbook(&name, move || app::ui::evaluation::export::xlsx(&page, l)).await
}

/// The month's duty roster (`?month=YYYY-MM`, this month without it), in the import's columns.
pub async fn duty_xlsx(State(state): State<AppState>, auth: AuthSession, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    use app::domain::duty::Month;
    let Some(user) = auth.user else { return StatusCode::UNAUTHORIZED.into_response() };
    let raw = url_pairs(q.as_deref().unwrap_or_default()).into_iter().find(|(k, _)| k == "month").map(|(_, v)| v).unwrap_or_default();
    let month = match raw.as_str() {
        "" => Month::of(app::service::now_ms()),
        m => match Month::parse(m) {
            Ok(m) => m,
            Err(e) => return refusal(&e.into()),
        },
    };
    let rows = match app::service::duty::export_rows(&state.db, &case_actor(&user), month).await {
        Ok(r) => r,
        Err(e) => return refusal(&e),
    };
    let l = export::locale(crate::lang::locale_of(&headers) == "en");
    workbook(&format!("duty-{}.xlsx", month.code()), move || app::ui::duty::export::xlsx(rows, l)).await
}

/// The hazard register on the list page's filter as an Excel workbook. It names enterprises and
/// places, not residents, so like the bulletin it is not written to the audit trail.
pub async fn hazards_xlsx(State(state): State<AppState>, auth: AuthSession, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let Some(user) = auth.user else { return StatusCode::UNAUTHORIZED.into_response() };
    let filter = match app::domain::hazard::HazardFilter::from_query(&url_pairs(q.as_deref().unwrap_or_default())) {
        Ok(f) => f,
        Err(e) => return refusal(&e.into()),
    };
    let rows = match app::service::hazards::export_rows(&state.db, &case_actor(&user), filter).await {
        Ok(r) => r,
        Err(e) => return refusal(&e),
    };
    let l = export::locale(crate::lang::locale_of(&headers) == "en");
    let now = app::service::now_ms();
    workbook("hazards.xlsx", move || app::ui::hazards::export::xlsx(rows, now, l)).await
}

const CHUNK: usize = 64 * 1024;

/// A blocking writer feeding the response body in 64 KiB chunks; a closed download makes
/// its writes fail, which stops the zip.
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
    buf: Vec<u8>,
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| std::io::Error::other("download closed"))
    }
}
