//! Downloads of the filtered case list. The CSV streams batch by batch, so memory stays
//! flat for any length; the Excel file is assembled in memory (the pinned xlsx writer has
//! no streaming mode).
use app::auth::AuthSession;
use app::domain::case::CaseFilter;
use app::server_ctx::{case_actor, AppState};
use app::ui::cases::export;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
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
                b'%' if i + 2 < bytes.len() => {
                    match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                        Ok(b) => {
                            out.push(b);
                            i += 2;
                        }
                        Err(_) => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    q.split('&').filter(|p| !p.is_empty()).map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (decode(k), decode(v))
    }).collect()
}

fn attachment(name: &str, content_type: &'static str) -> [(header::HeaderName, HeaderValue); 2] {
    [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CONTENT_DISPOSITION, HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).unwrap_or(HeaderValue::from_static("attachment"))),
    ]
}

pub async fn csv(State(state): State<AppState>, auth: AuthSession, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let Some(user) = auth.user else { return StatusCode::UNAUTHORIZED.into_response() };
    let by = case_actor(&user);
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

pub async fn xlsx(State(state): State<AppState>, auth: AuthSession, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let Some(user) = auth.user else { return StatusCode::UNAUTHORIZED.into_response() };
    let by = case_actor(&user);
    let l = export::locale(crate::lang::locale_of(&headers) == "en");
    match export::xlsx(&state.db, &by, &filter_of(q), l).await {
        Ok(bytes) => (attachment("cases.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), bytes).into_response(),
        Err(e) => StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR).into_response(),
    }
}
