//! Server functions of the command screen.
use crate::domain::geo::DistrictMap;
use crate::domain::screen::Screen;
use crate::error::AppError;
use leptos::prelude::*;

/// Everything the wall shows, now.
#[server(endpoint = "center/screen")]
pub async fn fetch_screen() -> Result<Screen, AppError> {
    let user = crate::server_ctx::require(crate::domain::access::CENTER_ROLES).await?;
    let db = crate::server_ctx::db()?;
    crate::service::screen::screen(&db, &crate::server_ctx::case_actor(&user)).await
}

/// The district's outline in the map's box.
#[server(endpoint = "center/district_map")]
pub async fn fetch_district_map() -> Result<DistrictMap, AppError> {
    crate::server_ctx::require(crate::domain::access::CENTER_ROLES).await?;
    crate::service::screen::district_map()
}

/// The desk's home: today's work and the live counters.
#[server(endpoint = "center/desk")]
pub async fn fetch_desk() -> Result<crate::domain::screen::DeskHome, AppError> {
    let user = crate::server_ctx::require(crate::domain::access::CENTER_ROLES).await?;
    let db = crate::server_ctx::db()?;
    crate::service::screen::desk(&db, &crate::server_ctx::case_actor(&user)).await
}

/// A leader's phone: headline figures, the promise and the live commands.
#[server(endpoint = "center/headline")]
pub async fn fetch_headline() -> Result<crate::domain::screen::Headline, AppError> {
    let user = crate::server_ctx::require(crate::domain::access::CENTER_ROLES).await?;
    let db = crate::server_ctx::db()?;
    crate::service::screen::headline(&db, &crate::server_ctx::case_actor(&user)).await
}
