//! Public forms without JavaScript: `POST /report`, `/track`, `/suggest`, `/suggest/track` and
//! `/suggest/list` carry an ordinary form (url-encoded, or multipart for a report with photos).
//! The page is rendered whole on the server with the posted form in its context, so the
//! answer is the same page with the receipt, the result, or the refusal with the input kept
//! (and the refusal's status code). See `app::ui::forms` for the idiom.
use crate::limits::{FORM_BYTES, MAX_FORM_FIELDS};
use app::domain::case::{MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS};
use app::error::{AppError, RequestProblem};
use app::server_ctx::AppState;
use app::shell;
use app::ui::forms::PostedForm;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use leptos::prelude::provide_context;

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
        match read_multipart(body, boundary).await {
            Ok(form) => form,
            Err(Unread::TooLarge) => return refuse(StatusCode::PAYLOAD_TOO_LARGE, RequestProblem::TooLarge, "too_large"),
            Err(Unread::Broken) => return refuse(StatusCode::BAD_REQUEST, RequestProblem::BadEncoding, "malformed"),
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

enum Unread {
    TooLarge,
    Broken,
}

/// A multipart body's text fields and files, read as it arrives: each part is measured
/// while it is read (a photo at most `MAX_ATTACHMENT_BYTES`, a text field `FORM_BYTES`, at
/// most `MAX_ATTACHMENTS` photos), so a 300 MB photo costs 10 MB of memory, not 300. The
/// use case checks the files' kinds.
async fn read_multipart(body: Body, boundary: String) -> Result<PostedForm, Unread> {
    let mut multipart = multer::Multipart::new(body.into_data_stream(), boundary);
    let mut form = PostedForm::default();
    // A body cut at the route's cap (see `limits`) is too large; any other failure is broken.
    let unread = |e: multer::Error| {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(c) = cause {
            if c.to_string().contains("length limit exceeded") {
                return Unread::TooLarge;
            }
            cause = c.source();
        }
        Unread::Broken
    };
    while let Some(mut field) = multipart.next_field().await.map_err(unread)? {
        if form.fields.len() + form.files.len() >= MAX_FORM_FIELDS {
            return Err(Unread::TooLarge);
        }
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let limit = if file_name.is_some() { MAX_ATTACHMENT_BYTES } else { FORM_BYTES };
        let mut data = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unread)? {
            if data.len() + chunk.len() > limit {
                return Err(Unread::TooLarge);
            }
            data.extend_from_slice(&chunk);
        }
        match file_name {
            // A file input left empty still sends a part, with no name and no bytes.
            Some(file_name) if file_name.is_empty() && data.is_empty() => {}
            Some(_) if form.files.len() == MAX_ATTACHMENTS => return Err(Unread::TooLarge),
            Some(file_name) => form.files.push((file_name, data)),
            None => form.fields.push((name, String::from_utf8(data).map_err(|_| Unread::Broken)?)),
        }
    }
    Ok(form)
}
