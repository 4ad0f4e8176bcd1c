//! Requests to server functions whose form cannot be read are refused here, before any
//! decoder sees them: server_fn's multipart decoder panics on a missing or unreadable
//! boundary, the form decoder passes broken escapes through as text, and a content type a
//! function does not take would get a confusing decode error. A refusal is
//! `AppError::Malformed` as JSON: 415 for the content type, 400 for the body, 413 for a form
//! longer than any of ours.
use app::error::{AppError, RequestProblem};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashSet;
use std::sync::Arc;

/// The content type each server function takes, by path.
#[derive(Clone)]
pub struct ServerFnBodies {
    multipart: Arc<HashSet<&'static str>>,
    url_encoded: Arc<HashSet<&'static str>>,
}

impl ServerFnBodies {
    /// Every registered server function: the multipart ones the app names, the rest take
    /// url-encoded forms (server_fn's default, and what a plain HTML form sends).
    pub fn of_app() -> Self {
        let multipart: HashSet<_> = app::ui::multipart_paths().into_iter().collect();
        let url_encoded = leptos::server_fn::axum::server_fn_paths()
            .filter(|(path, method)| *method == Method::POST && !multipart.contains(path))
            .map(|(path, _)| path)
            .collect();
        ServerFnBodies { multipart: Arc::new(multipart), url_encoded: Arc::new(url_encoded) }
    }

    /// What is wrong with a POST to `path` carrying these headers, if anything.
    pub fn problem(&self, path: &str, headers: &HeaderMap) -> Option<RequestProblem> {
        let multipart = self.multipart.contains(path);
        if !multipart && !self.url_encoded.contains(path) {
            return None;
        }
        let Some(content_type) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
            return Some(RequestProblem::WrongContentType);
        };
        let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match (multipart, essence.as_str()) {
            (true, "multipart/form-data") => match multer::parse_boundary(content_type) {
                Ok(boundary) if !boundary.is_empty() => None,
                _ => Some(RequestProblem::BadBoundary),
            },
            (false, "application/x-www-form-urlencoded") => None,
            _ => Some(RequestProblem::WrongContentType),
        }
    }
}

fn refusal(problem: RequestProblem) -> Response {
    let err = AppError::Malformed(problem);
    let status = StatusCode::from_u16(err.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    (status, axum::Json(err)).into_response()
}

pub async fn refuse_malformed(State(bodies): State<ServerFnBodies>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    if let Some(problem) = bodies.problem(req.uri().path(), req.headers()) {
        return refusal(problem);
    }
    if !bodies.url_encoded.contains(req.uri().path()) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(form) = axum::body::to_bytes(body, crate::limits::FORM_BYTES).await else {
        return refusal(RequestProblem::TooLarge);
    };
    if !well_encoded(&form) {
        return refusal(RequestProblem::BadEncoding);
    }
    next.run(Request::from_parts(parts, Body::from(form))).await
}

/// Whether a url-encoded form has only whole `%XX` escapes and decodes to UTF-8 text.
pub fn well_encoded(form: &[u8]) -> bool {
    let mut decoded = Vec::with_capacity(form.len());
    let mut i = 0;
    while i < form.len() {
        match form[i] {
            b'%' => {
                let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
                let (Some(hi), Some(lo)) = (hex(form.get(i + 1)), hex(form.get(i + 2))) else {
                    return false;
                };
                decoded.push((hi * 16 + lo) as u8);
                i += 3;
            }
            b => {
                decoded.push(b);
                i += 1;
            }
        }
    }
    std::str::from_utf8(&decoded).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn bodies() -> ServerFnBodies {
        ServerFnBodies { multipart: Arc::new(["/api/cases/act"].into_iter().collect()), url_encoded: Arc::new(["/api/auth/signin"].into_iter().collect()) }
    }

    fn with_type(t: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_str(t).unwrap());
        h
    }

    #[test]
    fn multipart_calls_need_a_readable_boundary() {
        let b = bodies();
        assert_eq!(b.problem("/api/cases/act", &with_type("multipart/form-data; boundary=abc")), None);
        assert_eq!(b.problem("/api/cases/act", &with_type("Multipart/Form-Data; boundary=\"a b\"")), None);
        assert_eq!(b.problem("/api/cases/act", &with_type("multipart/form-data")), Some(RequestProblem::BadBoundary));
        assert_eq!(b.problem("/api/cases/act", &with_type("multipart/form-data; boundary=")), Some(RequestProblem::BadBoundary));
        assert_eq!(b.problem("/api/cases/act", &with_type("application/x-www-form-urlencoded")), Some(RequestProblem::WrongContentType));
        assert_eq!(b.problem("/api/cases/act", &HeaderMap::new()), Some(RequestProblem::WrongContentType));
    }

    #[test]
    fn form_calls_need_a_url_encoded_body_and_other_paths_pass() {
        let b = bodies();
        assert_eq!(b.problem("/api/auth/signin", &with_type("application/x-www-form-urlencoded; charset=UTF-8")), None);
        assert_eq!(b.problem("/api/auth/signin", &with_type("application/json")), Some(RequestProblem::WrongContentType));
        assert_eq!(b.problem("/api/auth/signin", &with_type("multipart/form-data; boundary=x")), Some(RequestProblem::WrongContentType));
        assert_eq!(b.problem("/api/auth/signin", &HeaderMap::new()), Some(RequestProblem::WrongContentType));
        assert_eq!(b.problem("/api/v1/cases", &with_type("application/json")), None);
    }

    #[test]
    fn forms_must_have_whole_escapes_of_utf8_text() {
        assert!(well_encoded(b""));
        assert!(well_encoded(b"username=admin&password=a+b%26c"));
        assert!(well_encoded("name=%E8%B7%AF%E7%81%AF&x=路灯".as_bytes()));
        assert!(!well_encoded(b"id=%ZZ"));
        assert!(!well_encoded(b"id=%4"));
        assert!(!well_encoded(b"id=%"));
        assert!(!well_encoded(b"name=%E4%B8"), "a character cut in half");
        assert!(!well_encoded(&[b'i', b'd', b'=', 0xFF, 0xFE]));
    }
}
