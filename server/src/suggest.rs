//! The livelihood call's Excel export for center staff (its forms are in `posted`).
use app::auth::AuthSession;
use app::server_ctx::{AppState, ClientAddr};
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub async fn export(
    State(state): State<AppState>,
    auth: AuthSession,
    addr: Option<Extension<ClientAddr>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let Some(user) = auth.user else { return StatusCode::UNAUTHORIZED.into_response() };
    let l = app::ui::cases::export::locale(crate::lang::locale_of(&headers) == "en");
    match app::ui::suggest::export::xlsx(&state.db, &crate::export::downloader(&user, addr), id, l).await {
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
