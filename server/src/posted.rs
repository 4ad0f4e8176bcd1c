//! Public forms without JavaScript: `POST /report`, `/track`, `/suggest`, `/suggest/track` and
//! `/suggest/list` carry an ordinary form (url-encoded, or multipart for a report with photos).
//! The page is rendered whole on the server with the posted form in its context, so the
//! answer is the same page with the receipt, the result, or the refusal with the input kept
//! (and the refusal's status code). See `app::ui::forms` for the idiom.
use crate::limits::FORM_BYTES;
use app::error::{AppError, RequestProblem};
use app::server_ctx::AppState;
use app::shell;
use app::ui::forms::PostedForm;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use leptos::prelude::provide_context;
use leptos::server_fn::codec::MultipartData;

pub async fn posted(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let refuse =
        |status: StatusCode, problem: RequestProblem, key: &str| crate::limits::refused(&path, &parts.headers, status, AppError::Malformed(problem), key);
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let form = if content_type.starts_with("application/x-www-form-urlencoded") {
        let Ok(bytes) = to_bytes(body, FORM_BYTES).await else { return refuse(StatusCode::PAYLOAD_TOO_LARGE, RequestProblem::TooLarge, "too_large") };
        PostedForm { fields: crate::export::url_pairs(&String::from_utf8_lossy(&bytes)), files: vec![] }
    } else if content_type.starts_with("multipart/form-data") {
        let Ok(boundary) = multer::parse_boundary(&content_type) else { return refuse(StatusCode::BAD_REQUEST, RequestProblem::BadBoundary, "malformed") };
        // Read as the hydrated form's server function reads it: each part measured as it
        // arrives, so a 300 MB photo costs 10 MB of memory, not 300.
        let data = MultipartData::Server(multer::Multipart::new(body.into_data_stream(), boundary));
        match app::ui::forms::read_form(data).await {
            Ok(parts) => PostedForm { fields: parts.fields, files: parts.files.into_iter().map(|u| (u.file_name, u.bytes)).collect() },
            // A body that broke off or does not parse; every other refusal is of a part's size or number.
            Err(AppError::BadFile(why)) if why != "field_too_large" => return refuse(StatusCode::BAD_REQUEST, RequestProblem::BadEncoding, "malformed"),
            Err(_) => return refuse(StatusCode::PAYLOAD_TOO_LARGE, RequestProblem::TooLarge, "too_large"),
        }
    } else {
        return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE, RequestProblem::WrongContentType, "malformed");
    };
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
