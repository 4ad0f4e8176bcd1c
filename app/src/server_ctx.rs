//! What server functions reach on the server: the shared state and the caller.
use crate::auth::{AuthSession, SessionUser};
use crate::domain::org::Role;
use crate::error::AppError;
use crate::service::AuditActor;
use crate::store::Db;
use leptos::prelude::*;

/// Shared by every request: provided to Leptos as context and to axum as state.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    /// The attachments folder and the live hub.
    pub effects: crate::service::Effects,
    /// Rate limits of the public livelihood-call forms.
    pub limiter: std::sync::Arc<crate::service::limiter::Limiter>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> LeptosOptions {
        s.leptos_options.clone()
    }
}

pub fn db() -> Result<Db, AppError> {
    use_context::<AppState>().map(|s| s.db).ok_or(AppError::Internal)
}

pub fn effects() -> Result<crate::service::Effects, AppError> {
    use_context::<AppState>().map(|s| s.effects).ok_or(AppError::Internal)
}

/// The caller as the case rules know them.
pub fn case_actor(user: &SessionUser) -> crate::domain::case::Actor {
    crate::domain::case::Actor::staff(user.id, user.role, user.unit_id)
}

pub async fn auth_session() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>().await.map_err(|_| AppError::Internal)
}

/// The signed-in caller, checked against the allowed roles. The route guard has already
/// checked the path; this is the second, object-level line.
pub async fn require(roles: &[Role]) -> Result<SessionUser, AppError> {
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    if roles.contains(&user.role) { Ok(user) } else { Err(AppError::Forbidden) }
}

pub fn limiter() -> Result<std::sync::Arc<crate::service::limiter::Limiter>, AppError> {
    use_context::<AppState>().map(|s| s.limiter).ok_or(AppError::Internal)
}

/// The client's address, as the server's `client_address` layer worked it out (through a
/// trusted proxy when there is one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub std::net::IpAddr);

pub async fn client_ip() -> Option<String> {
    let parts = use_context::<axum::http::request::Parts>()?;
    parts.extensions.get::<ClientAddr>().map(|c| c.0.to_string())
}

pub async fn actor(user: &SessionUser) -> AuditActor {
    AuditActor { user_id: Some(user.id), ip: client_ip().await }
}

/// The Content-Security-Policy of every answer. Scripts only from this site, and inline ones
/// only with the page's nonce (chosen per request by the server's header layer, carried by the
/// page's own scripts); WebAssembly may compile; no plugins, no framing, forms post only here.
/// Styles allow inline `style` attributes, which pages use for computed widths and cannot
/// carry a nonce.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(n) => format!("'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_string(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}
