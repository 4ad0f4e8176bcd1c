//! Security headers on every answer: the Content-Security-Policy (a page's names the nonce its
//! inline scripts carry; everything else gets the same policy without one),
//! Permissions-Policy, HSTS behind TLS, and `Cache-Control: no-store` on everything but the
//! site's static files, so no shared or back-button cache keeps a case, a tracking answer or
//! an attachment; the static files are checked with the server each time, but for the
//! stamped build files (`pkg`).
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

#[derive(Clone, Copy)]
pub struct HeaderConfig {
    /// Served over HTTPS (`SECURE_COOKIES=1`): browsers are told to use nothing else.
    pub https: bool,
}

/// The location and camera are used by this site's own pages (a grid worker's position, a
/// photo of the scene); nothing else is, and no other site framed in may ask.
const PERMISSIONS: &str = "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()";

const STATIC: [&str; 5] = ["/pkg/", "/icons/", "/favicon.svg", "/favicon.ico", "/manifest.webmanifest"];

/// The site's static files (the build's `/pkg` and what `public/` holds).
pub fn is_static(path: &str) -> bool {
    STATIC.iter().any(|p| path.starts_with(p))
}

pub async fn security_headers(State(cfg): State<HeaderConfig>, mut req: Request, next: Next) -> Response {
    let is_static = is_static(req.uri().path());
    // A page's nonce is chosen here, before it renders (`router::build` hands it to the render),
    // so the policy names the page's nonce whatever becomes of the render's response options
    // (a file served by Leptos's handler once carried them off: see the fallback in `router`).
    let nonce = (!is_static).then(leptos::nonce::Nonce::new);
    if let Some(n) = &nonce {
        req.extensions_mut().insert(n.clone());
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let page = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    let nonce = nonce.filter(|_| page).map(|n| n.to_string());
    if !h.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(v) = HeaderValue::from_str(&app::server_ctx::content_security_policy(nonce.as_deref()))
    {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert("permissions-policy", HeaderValue::from_static(PERMISSIONS));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if cfg.https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    if !is_static {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if !h.contains_key(header::CACHE_CONTROL) {
        // Checked each time, never kept on a guess from its age: a browser that guessed kept
        // the last release's files for days after a new one (the stamped build files are
        // kept for a year instead, see `pkg`).
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    res
}
