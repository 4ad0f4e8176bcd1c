//! Staff sessions through axum-login. The session carries only the user id and a hash of
//! the password hash; every request reloads the account, so a deactivated or re-passworded
//! account is signed out everywhere at once.
use crate::domain::org::Role;
use crate::error::AppError;
use crate::service::signin;
use crate::store::Db;
use crate::store::users::Account;
use axum_login::{AuthUser, AuthnBackend, UserId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    /// Someone else chose the password; until the owner changes it, only the change is open.
    #[serde(default)]
    pub must_change_password: bool,
    auth_hash: Vec<u8>,
}

impl std::fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionUser").field("id", &self.id).field("username", &self.username).field("role", &self.role).finish()
    }
}

impl From<Account> for SessionUser {
    fn from(a: Account) -> Self {
        SessionUser {
            id: a.id,
            username: a.username,
            display_name: a.display_name,
            role: a.role,
            unit_id: a.unit_id,
            must_change_password: a.must_change_password,
            auth_hash: a.password_hash.into_bytes(),
        }
    }
}

impl AuthUser for SessionUser {
    type Id = i64;
    fn id(&self) -> i64 {
        self.id
    }
    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

#[derive(Clone, Debug)]
pub struct Backend {
    pub db: Db,
}

pub struct Credentials {
    pub username: String,
    pub password: String,
    pub ip: Option<String>,
}

impl AuthnBackend for Backend {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = AppError;

    async fn authenticate(&self, c: Credentials) -> Result<Option<SessionUser>, AppError> {
        match signin::sign_in(&self.db, &c.username, &c.password, c.ip.as_deref()).await {
            Ok(a) => Ok(Some(a.into())),
            Err(AppError::SignIn(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<SessionUser>, AppError> {
        let account = signin::account(&self.db, *id).await?;
        Ok(account.filter(|a| a.active).map(SessionUser::from))
    }
}

pub type AuthSession = axum_login::AuthSession<Backend>;

/// Session key holding the sign-in instant, for the absolute timeout.
pub const SIGNED_IN_AT: &str = "signed_in_at";
