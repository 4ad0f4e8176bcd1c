//! The livelihood call's forms without JavaScript: `POST /suggest`, `/suggest/track` and
//! `/suggest/list` carry an ordinary url-encoded form. The page is rendered whole on the
//! server with the posted fields in its context, so the answer is the same page with
//! the receipt, the status, or the refusal and the input kept (and the refusal's status
//! code). Also the campaign's Excel export for center staff.
use app::server_ctx::AppState;
use app::shell;
use app::ui::suggest::api::PostedForm;
use axum::body::{Body, to_bytes};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;

/// A suggestion's texts are at most a few KB; anything much bigger is not our form.
const MAX_FORM_BYTES: usize = 64 * 1024;

pub async fn posted(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let is_form = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    }
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let form = PostedForm(crate::export::url_pairs(&String::from_utf8_lossy(&bytes)));
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            // Like every page's render: its tasks end with it (see `executor`).
            crate::executor::open_page_gate();
            provide_context(state.clone());
            provide_context(form.clone());
        },
        move || shell(options.clone()),
    );
    let mut resp = handler(Request::from_parts(parts, Body::empty())).await;
    // The answer to a POST is never cached or replayed by a proxy.
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

pub async fn export(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let l = app::ui::cases::export::locale(crate::lang::locale_of(&headers) == "en");
    match app::ui::suggest::export::xlsx(&state.db, id, l).await {
        Ok((name, bytes)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).unwrap_or(HeaderValue::from_static("attachment")),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR).into_response(),
    }
}
