//! Server functions answer every error with 500 and the error as JSON; this gives each
//! `AppError` its proper status (401, 403, 422, 429, 503, …) in one place.
use app::error::AppError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// Error bodies are a few hundred bytes; anything bigger is not ours to reinterpret.
const MAX_ERROR_BODY: usize = 16 * 1024;

pub async fn error_status(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let resp = next.run(req).await;
    if !is_api || resp.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if parts.status == StatusCode::SERVICE_UNAVAILABLE {
            parts.headers.insert(header::RETRY_AFTER, header::HeaderValue::from_static("2"));
        }
        if let AppError::TooManyRequests(secs) | AppError::SignIn(app::domain::signin::SignInRefusal::Throttled(secs)) = err {
            parts.headers.insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// What the router answers for a method an address does not take (its own 405 is empty):
/// the reason in the form its caller reads, JSON for calls and a page for browsers.
pub async fn wrong_method(uri: axum::http::Uri, headers: axum::http::HeaderMap) -> Response {
    crate::limits::refused(uri.path(), &headers, StatusCode::METHOD_NOT_ALLOWED, AppError::Malformed(app::error::RequestProblem::WrongMethod), "wrong_method")
}
