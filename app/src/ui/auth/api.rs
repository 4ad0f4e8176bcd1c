use crate::domain::org::Role;
use crate::domain::signin::SignInRefusal;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in staff member, as pages need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// What a sign-in can answer. Each variant is written exactly as the `AppError` variant of
/// the same name (the server's status mapping reads the body as one), but the sign-in page,
/// which is in the main bundle, decodes and words only these instead of every error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInError {
    Forbidden,
    SignIn(SignInRefusal),
    TooManyRequests(u64),
    Internal,
    Transport(String),
}

impl leptos::server_fn::error::FromServerFnError for SignInError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        SignInError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<AppError> for SignInError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Forbidden => SignInError::Forbidden,
            AppError::SignIn(r) => SignInError::SignIn(r),
            AppError::TooManyRequests(secs) => SignInError::TooManyRequests(secs),
            AppError::Transport(t) => SignInError::Transport(t),
            _ => SignInError::Internal,
        }
    }
}

#[server(endpoint = "auth/signin")]
pub async fn sign_in(username: String, password: String, next: Option<String>) -> Result<(), SignInError> {
    sign_in_inner(username, password, next).await.map_err(SignInError::from)
}

#[cfg(feature = "ssr")]
async fn sign_in_inner(username: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::auth::{SIGNED_IN_AT, SessionUser};
    use crate::server_ctx::{auth_session, client_ip, db};
    let db = db()?;
    let ip = client_ip().await;
    let account = crate::service::signin::sign_in(&db, &username, &password, ip.as_deref()).await?;
    let user = SessionUser::from(account);
    let mut session = auth_session().await?;
    // login() also gives the session a fresh id, so a planted id is worthless.
    session.login(&user).await.map_err(|_| AppError::Internal)?;
    session.session.insert(SIGNED_IN_AT, crate::service::now_ms()).await.map_err(|_| AppError::Internal)?;
    let target = crate::domain::access::after_sign_in(next.as_deref(), user.role);
    if user.must_change_password {
        // Straight to the change: the router in the browser would otherwise open the page
        // asked for and only its server calls would be refused.
        let page = crate::domain::access::CHANGE_PASSWORD_PAGE;
        leptos_axum::redirect(&format!("{page}?next={}", crate::domain::access::encode_component(&target)));
    } else {
        leptos_axum::redirect(&target);
    }
    Ok(())
}

#[server(endpoint = "auth/signout")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server_ctx::{auth_session, client_ip, db};
    let mut session = auth_session().await?;
    if let Some(user) = session.logout().await.map_err(|_| AppError::Internal)? {
        let ip = client_ip().await;
        crate::service::signin::record_sign_out(&db()?, user.id, user.username, ip.as_deref()).await?;
    }
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<Me>, AppError> {
    let session = crate::server_ctx::auth_session().await?;
    Ok(session.user.map(|u| Me { username: u.username, display_name: u.display_name, role: u.role }))
}
