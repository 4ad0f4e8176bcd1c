//! What one request may cost, declared here rather than left to the libraries' defaults
//! (which an upgrade could change): a body cap fitting each route, answered 413 before the
//! body is read when its length is announced and cut off when it is not; a cap on the
//! requests one client address may have in flight on the public routes; and a time limit
//! on every request.
use crate::places::Places;
use app::domain::access::{Access, access_for};
use app::domain::case::{MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS};
use app::error::{AppError, RequestProblem};
use app::server_ctx::ClientAddr;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// A sign-in: a username and a password.
pub const SIGN_IN_BYTES: usize = 4 * 1024;
/// Any form of text fields: the longest is a suggestion of a few thousand characters.
pub const FORM_BYTES: usize = 64 * 1024;
/// A report with its photos: every photo at its largest, and the text.
pub const UPLOAD_BYTES: usize = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + FORM_BYTES;
/// A roster file for the import, and the form around it.
pub const IMPORT_BYTES: usize = app::service::roster::MAX_FILE_BYTES + FORM_BYTES;
pub use app::ui::forms::MAX_FORM_FIELDS;
/// Requests one address may have open at once on the public routes: a village office's few
/// computers behind one address, not a script's hundreds.
pub const PUBLIC_IN_FLIGHT: usize = 16;
/// Long enough for six large photos over a slow mobile link; pushed streams and downloads
/// are not cut, since they answer at once and stream afterwards.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// The body cap of each route.
#[derive(Clone)]
pub struct BodyCaps {
    uploads: Arc<HashSet<&'static str>>,
    imports: [&'static str; 2],
}

impl BodyCaps {
    pub fn of_app() -> BodyCaps {
        let mut uploads: HashSet<&'static str> = app::ui::upload_paths().into_iter().collect();
        // The resident's report posted without JavaScript.
        uploads.insert("/report");
        BodyCaps { uploads: Arc::new(uploads), imports: app::ui::import_paths() }
    }

    pub fn cap(&self, path: &str) -> usize {
        if path.starts_with("/api/auth/") {
            SIGN_IN_BYTES
        } else if self.imports.contains(&path) {
            IMPORT_BYTES
        } else if self.uploads.contains(path) {
            UPLOAD_BYTES
        } else {
            FORM_BYTES
        }
    }
}

/// A request refused for its size or number, in the form its caller reads: JSON for calls,
/// a page for a browser's form.
pub(crate) fn refused(path: &str, headers: &axum::http::HeaderMap, status: StatusCode, err: AppError, page_key: &str) -> Response {
    if path.starts_with("/api/") { (status, axum::Json(err)).into_response() } else { crate::guard::refusal_page(status, page_key, headers) }
}

pub async fn cap_body(State(caps): State<BodyCaps>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let cap = caps.cap(&path);
    let announced = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > cap as u64) {
        return refused(&path, req.headers(), StatusCode::PAYLOAD_TOO_LARGE, AppError::Malformed(RequestProblem::TooLarge), "too_large");
    }
    let (parts, body) = req.into_parts();
    next.run(Request::from_parts(parts, Body::new(http_body_util::Limited::new(body, cap)))).await
}

/// Requests in flight per client address.
pub type InFlight = Places<IpAddr>;

/// Static files are not counted: a page pulls several at once.
fn counted(path: &str) -> bool {
    !crate::headers::is_static(path) && matches!(access_for(path), Some(Access::Public))
}

pub async fn public_in_flight(State(in_flight): State<InFlight>, req: Request, next: Next) -> Response {
    let client = req.extensions().get::<ClientAddr>().map(|c| c.0);
    let path = req.uri().path().to_string();
    let (Some(ip), true) = (client, counted(&path)) else { return next.run(req).await };
    match in_flight.take(ip, PUBLIC_IN_FLIGHT) {
        Some(_place) => next.run(req).await,
        None => {
            let mut r = refused(&path, req.headers(), StatusCode::TOO_MANY_REQUESTS, AppError::TooManyRequests(1), "too_many");
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            r
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_has_a_cap_that_fits_it() {
        let caps = BodyCaps::of_app();
        assert_eq!(caps.cap("/api/auth/signin"), SIGN_IN_BYTES);
        assert_eq!(caps.cap("/api/public/report"), UPLOAD_BYTES);
        assert_eq!(caps.cap("/report"), UPLOAD_BYTES);
        assert_eq!(caps.cap("/api/admin/import"), IMPORT_BYTES);
        assert_eq!(caps.cap("/api/public/suggest"), FORM_BYTES);
        assert_eq!(caps.cap("/suggest"), FORM_BYTES);
        assert_eq!(caps.cap("/api/v1/cases"), FORM_BYTES);
    }
}
