//! `GET /api/v1/categories`: the categories a case may be filed under, with the time
//! each allows.
use super::schemas::KindSchema;
use super::{ApiError, Client, TooManyRequests, Unauthorized};
use app::domain::case::CaseKind;
use app::server_ctx::AppState;
use axum::Json;
use axum::extract::State;
use serde::Serialize;

/// A category a case may be filed under.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = Category)]
pub struct CategoryItem {
    pub code: String,
    pub name: String,
    /// Which of the center's six functions it belongs to.
    #[schema(value_type = KindSchema)]
    pub kind: CaseKind,
    /// Time allowed to resolve a normal case of it, in milliseconds.
    pub allowed_ms: i64,
}

/// Categories a case may be filed under
#[utoipa::path(
    get,
    path = "/api/v1/categories",
    operation_id = "listCategories",
    responses(
        (status = 200, description = "The categories in use.", body = Vec<CategoryItem>),
        (status = 401, response = Unauthorized),
        (status = 429, response = TooManyRequests),
    )
)]
pub async fn list(State(state): State<AppState>, _client: Client) -> Result<Json<Vec<CategoryItem>>, ApiError> {
    let all = app::service::api::categories(&state.db).await?;
    Ok(Json(all.into_iter().map(|c| CategoryItem { code: c.code, name: c.name, kind: c.kind, allowed_ms: c.allowed_ms }).collect()))
}
