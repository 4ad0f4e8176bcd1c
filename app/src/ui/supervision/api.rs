//! Server functions of the supervision list. The ladder's steps go through `cases/act`.
use crate::domain::supervision::{SupervisionFilter, SupervisionPage};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "center/supervision/list")]
pub async fn list_supervision(filter: SupervisionFilter) -> Result<SupervisionPage, AppError> {
    let user = crate::server_ctx::require(crate::domain::access::CENTER_ROLES).await?;
    let db = crate::server_ctx::db()?;
    crate::service::supervision::list(&db, &crate::server_ctx::case_actor(&user), &filter).await
}
