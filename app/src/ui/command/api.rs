//! Server functions of the palm command screens.
use crate::domain::case::{Inbox, RoutingHint};
use crate::error::AppError;
use leptos::prelude::*;

/// The launch form's commanders and suggested units for a case.
#[server(endpoint = "cases/routing_hint")]
pub async fn fetch_routing_hint(id: i64) -> Result<RoutingHint, AppError> {
    let user = crate::server_ctx::require(crate::domain::access::CENTER_ROLES).await?;
    let db = crate::server_ctx::db()?;
    crate::service::command::routing_hint(&db, &crate::server_ctx::case_actor(&user), id).await
}

/// The caller's unit's open cases with its own part, most urgent first.
#[server(endpoint = "field/inbox")]
pub async fn field_inbox() -> Result<Inbox, AppError> {
    let user = crate::server_ctx::require(crate::domain::org::Role::ALL).await?;
    let db = crate::server_ctx::db()?;
    crate::service::command::inbox(&db, &crate::server_ctx::case_actor(&user)).await
}

/// The units a township (or village) may push a sub-task down to: those of the areas below its own.
#[server(endpoint = "field/units_below")]
pub async fn units_below() -> Result<Vec<(i64, String)>, AppError> {
    let user = crate::server_ctx::require(crate::domain::org::Role::ALL).await?;
    let db = crate::server_ctx::db()?;
    crate::service::command::units_below(&db, &crate::server_ctx::case_actor(&user)).await
}
