//! The request guard: CSRF check, absolute session timeout, then the access table.
//! Runs before every handler, so no page or server function can forget its check.
use crate::lang;
use app::auth::{AuthSession, SIGNED_IN_AT};
use app::domain::access::{Verdict, verdict};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use std::time::Duration;

#[derive(Clone)]
pub struct GuardConfig {
    pub session_absolute: Duration,
    pub session_idle: Duration,
}

/// When the session's idle deadline was last renewed (see `domain::session::touch_due`).
const LAST_TOUCH: &str = "last_touch";

/// A state-changing request must come from our own pages: browsers say so in
/// `Sec-Fetch-Site`, or at least in `Origin`. Clients that send neither carry no
/// browser cookies of a victim, so they are let through to the normal checks.
pub fn cross_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_host = origin.split("://").nth(1).unwrap_or("");
        return origin_host != host;
    }
    false
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// A refusal as a small page of its own, in the reader's language (`key`: `forbidden` or
/// `not_found` in the locale files).
pub(crate) fn refusal_page(status: StatusCode, key: &str, headers: &HeaderMap) -> Response {
    let l = lang::locale_of(headers);
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/pkg/shezhi.css\"></head><body><div class=\"portal\"><main class=\"portal-main\">\
         <section class=\"card error-page\"><p class=\"error-code\">{code}</p><h1>{title}</h1><p>{text}</p>\
         <a class=\"btn btn-primary\" href=\"/\">{home}</a></section></main></div></body></html>",
        lang = if l == "en" { "en" } else { "zh-CN" },
        code = status.as_u16(),
        title = lang::text(l, &format!("{key}.title")),
        text = lang::text(l, &format!("{key}.text")),
        home = lang::text(l, "common.back_home"),
    );
    (status, Html(html)).into_response()
}

pub async fn guard(State(cfg): State<GuardConfig>, mut auth: AuthSession, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if cross_site(req.method(), req.headers()) {
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    if auth.user.is_some() {
        let signed_in_at: Option<i64> = auth.session.get(SIGNED_IN_AT).await.ok().flatten();
        let expired = signed_in_at.is_none_or(|t| app::domain::signin::session_expired(t, app::store::now_ms(), cfg.session_absolute.as_millis() as i64));
        if expired {
            let _ = auth.logout().await;
        } else {
            // A changed session is saved with a new idle deadline: activity slides it.
            let now = app::store::now_ms();
            let last: Option<i64> = auth.session.get(LAST_TOUCH).await.ok().flatten();
            if app::domain::session::touch_due(last, now, cfg.session_idle.as_millis() as i64) {
                let _ = auth.session.insert(LAST_TOUCH, now).await;
            }
        }
    }
    let role = auth.user.as_ref().map(|u| u.role);
    // Someone else chose this person's password: the change comes before anything else.
    let must_change = auth.user.as_ref().is_some_and(|u| u.must_change_password) && !app::domain::access::open_before_password_change(&path);
    match (verdict(&path, role), is_api(&path)) {
        (Verdict::Pass, true) if must_change => (StatusCode::FORBIDDEN, axum::Json(app::error::AppError::MustChangePassword)).into_response(),
        (Verdict::Pass, false) if must_change => {
            let target = match req.uri().query() {
                Some(q) => format!("{path}?{q}"),
                None => path.clone(),
            };
            let page = app::domain::access::CHANGE_PASSWORD_PAGE;
            Redirect::to(&format!("{page}?next={}", app::domain::access::encode_component(&target))).into_response()
        }
        (Verdict::Pass, _) => next.run(req).await,
        (Verdict::NotFound, true) => (StatusCode::NOT_FOUND, axum::Json(app::error::AppError::NotFound)).into_response(),
        (Verdict::NotFound, false) => refusal_page(StatusCode::NOT_FOUND, "not_found", req.headers()),
        (Verdict::SignIn, true) => (StatusCode::UNAUTHORIZED, axum::Json(app::error::AppError::Unauthorized)).into_response(),
        (Verdict::Forbidden, true) => (StatusCode::FORBIDDEN, axum::Json(app::error::AppError::Forbidden)).into_response(),
        (Verdict::SignIn, false) => {
            let target = match req.uri().query() {
                Some(q) => format!("{path}?{q}"),
                None => path.clone(),
            };
            Redirect::to(&format!("/signin?next={}", app::domain::access::encode_component(&target))).into_response()
        }
        (Verdict::Forbidden, false) => refusal_page(StatusCode::FORBIDDEN, "forbidden", req.headers()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn cross_site_posts_are_refused_and_same_site_pass() {
        let mut h = HeaderMap::new();
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(cross_site(&Method::POST, &h));
        assert!(!cross_site(&Method::GET, &h));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(!cross_site(&Method::POST, &h));
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:3000"));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://evil.example"));
        assert!(cross_site(&Method::POST, &h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:3000"));
        assert!(!cross_site(&Method::POST, &h));
    }
}
