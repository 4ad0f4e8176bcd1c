//! Public forms without JavaScript: `POST /report`, `/track`, `/suggest`, `/suggest/track` and
//! `/suggest/list` carry an ordinary form (url-encoded, or multipart for a report with photos).
//! The page is rendered whole on the server with the posted form in its context, so the
//! answer is the same page with the receipt, the result, or the refusal with the input kept
//! (and the refusal's status code). See `app::ui::forms` for the idiom.
use crate::limits::{FORM_BYTES, MAX_FORM_FIELDS, UPLOAD_BYTES};
use app::server_ctx::AppState;
use app::shell;
use app::ui::forms::PostedForm;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;

pub async fn posted(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let form = if content_type.starts_with("application/x-www-form-urlencoded") {
        let Ok(bytes) = to_bytes(body, FORM_BYTES).await else { return StatusCode::PAYLOAD_TOO_LARGE.into_response() };
        PostedForm { fields: crate::export::url_pairs(&String::from_utf8_lossy(&bytes)), files: vec![] }
    } else if content_type.starts_with("multipart/form-data") {
        let Ok(boundary) = multer::parse_boundary(&content_type) else { return StatusCode::BAD_REQUEST.into_response() };
        let Ok(bytes) = to_bytes(body, UPLOAD_BYTES).await else { return StatusCode::PAYLOAD_TOO_LARGE.into_response() };
        match read_multipart(bytes, boundary).await {
            Ok(form) => form,
            Err(status) => return status.into_response(),
        }
    } else {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
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

/// A multipart body's text fields and files; the files are checked by the use case (kind,
/// count, size each), this only bounds the whole.
async fn read_multipart(bytes: Bytes, boundary: String) -> Result<PostedForm, StatusCode> {
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut form = PostedForm::default();
    while let Some(field) = multipart.next_field().await.map_err(|_| StatusCode::BAD_REQUEST)? {
        if form.fields.len() + form.files.len() >= MAX_FORM_FIELDS {
            return Err(StatusCode::PAYLOAD_TOO_LARGE);
        }
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            // A file input left empty still sends a part, with no name and no bytes.
            Some(file_name) => {
                let data = field.bytes().await.map_err(|_| StatusCode::BAD_REQUEST)?;
                if !file_name.is_empty() || !data.is_empty() {
                    form.files.push((file_name, data.to_vec()));
                }
            }
            None => form.fields.push((name, field.text().await.map_err(|_| StatusCode::BAD_REQUEST)?)),
        }
    }
    Ok(form)
}
