//! Case attachments and hazard photos, served only to staff who may see the case or the
//! hazard (checked per file).
use app::auth::AuthSession;
use app::error::AppError;
use app::server_ctx::{AppState, case_actor};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub async fn serve(State(state): State<AppState>, auth: AuthSession, Path(id): Path<i64>) -> Response {
    let Some(user) = auth.user else { return StatusCode::UNAUTHORIZED.into_response() };
    let by = case_actor(&user);
    respond(app::service::attachments::attachment(&state.db, &state.effects.files_dir, &by, id).await).await
}

pub async fn serve_hazard_photo(State(state): State<AppState>, auth: AuthSession, Path(id): Path<i64>) -> Response {
    let Some(user) = auth.user else { return StatusCode::UNAUTHORIZED.into_response() };
    let by = case_actor(&user);
    respond(app::service::hazards::photo(&state.db, &state.effects.files_dir, &by, id).await).await
}

async fn respond(file: Result<app::service::attachments::FileToServe, AppError>) -> Response {
    let file = match file {
        Ok(f) => f,
        Err(e) => return StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::NOT_FOUND).into_response(),
    };
    let bytes = match tokio::fs::read(&file.path).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, path = %file.path.display(), "attachment missing on disk");
            return StatusCode::from_u16(AppError::NotFound.http_status()).unwrap_or(StatusCode::NOT_FOUND).into_response();
        }
    };
    let mut res = Response::new(Body::from(bytes));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&file.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    // Private to the signed-in viewer; a PDF or image never runs as a page of ours.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"));
    let disposition = format!("inline; filename*=UTF-8''{}", app::domain::access::encode_component(&file.file_name));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
