//! Server functions of the bulletins (通报): the center drafts, edits and publishes under
//! `center/`, every staff member reads under `field/` (a unit's staff only what was published).
use crate::domain::bulletin::{Bulletin, BulletinView, BulletinsPage};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "field/bulletins/page")]
pub async fn fetch_bulletins() -> Result<BulletinsPage, AppError> {
    use crate::server_ctx::{auth_session, case_actor, db};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    crate::service::bulletins::page(&db()?, &case_actor(&user)).await
}

#[server(endpoint = "field/bulletins/get")]
pub async fn fetch_bulletin(id: i64) -> Result<BulletinView, AppError> {
    use crate::server_ctx::{auth_session, case_actor, db};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    crate::service::bulletins::get(&db()?, &case_actor(&user), id).await
}

#[server(endpoint = "center/bulletins/draft")]
pub async fn draft_bulletin(period: String) -> Result<i64, AppError> {
    use crate::server_ctx::{actor, case_actor, db, require};
    let user = require(crate::domain::access::SUPERVISE).await?;
    crate::service::bulletins::draft(&db()?, &actor(&user).await, &case_actor(&user), &period).await
}

/// Saves the comment; with `refigure` set, also makes the figures again from the records.
#[server(endpoint = "center/bulletins/edit")]
pub async fn edit_bulletin(id: i64, comment: String, refigure: Option<String>) -> Result<Bulletin, AppError> {
    use crate::server_ctx::{actor, case_actor, db, require};
    let user = require(crate::domain::access::SUPERVISE).await?;
    crate::service::bulletins::edit(&db()?, &actor(&user).await, &case_actor(&user), id, Some(&comment), refigure.is_some()).await
}

#[server(endpoint = "center/bulletins/publish")]
pub async fn publish_bulletin(id: i64) -> Result<Bulletin, AppError> {
    use crate::server_ctx::{actor, case_actor, db, effects, require};
    let user = require(crate::domain::access::SUPERVISE).await?;
    crate::service::bulletins::publish(&db()?, &effects()?, &actor(&user).await, &case_actor(&user), id).await
}
