//! `GET /api/v1/cases/{code}`: where a case stands, and the steps a resident is told
//! about. The token stands in for the resident's secret; personal data is not returned.
use super::schemas::{ChannelSchema, KindSchema, StatusSchema, UrgencySchema};
use super::{ApiError, Client, ErrorBody, TooManyRequests, Unauthorized};
use app::domain::case::{CaseError, CaseKind, CaseStatus, Channel, PublicStep, Urgency};
use app::error::AppError;
use app::server_ctx::AppState;
use app::service::api::{self, CaseStatusView};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Where a case stands.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CaseState {
    pub code: String,
    pub title: String,
    #[schema(value_type = KindSchema)]
    pub kind: CaseKind,
    pub category: String,
    pub category_name: String,
    #[schema(value_type = ChannelSchema)]
    pub channel: Channel,
    #[schema(value_type = UrgencySchema)]
    pub urgency: Urgency,
    #[schema(value_type = StatusSchema)]
    pub status: CaseStatus,
    /// Unix milliseconds (UTC).
    pub received_ms: i64,
    pub deadline_ms: i64,
    /// The lead unit's result, once resolved.
    pub result: Option<String>,
    /// The code of the case it was merged into, if it was.
    pub merged_into: Option<String>,
    /// Oldest first.
    pub history: Vec<Step>,
}

/// One public step: `step` names it; the other fields appear when the step has them.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Step {
    pub at_ms: i64,
    #[schema(value_type = String, example = "dispatched")]
    pub step: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub units: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub satisfied: Option<bool>,
}

fn step(at_ms: i64, p: PublicStep) -> Step {
    let s = |name| Step { at_ms, step: name, ..Default::default() };
    match p {
        PublicStep::Received => s("received"),
        PublicStep::Rejected { reason } => Step { reason: Some(reason), ..s("rejected") },
        PublicStep::Merged => s("merged"),
        PublicStep::Dispatched { units } => Step { units: Some(units), ..s("dispatched") },
        PublicStep::InProgress => s("in_progress"),
        PublicStep::Progress { unit, text } => Step { unit: Some(unit), text: Some(text), ..s("progress") },
        PublicStep::Resolved { result } => Step { result: Some(result), ..s("resolved") },
        PublicStep::Verified => s("verified"),
        PublicStep::FollowUp => s("follow_up"),
        PublicStep::Rated { satisfied } => Step { satisfied: Some(satisfied), ..s("rated") },
        PublicStep::Closed => s("closed"),
        PublicStep::Reopened => s("reopened"),
    }
}

impl From<CaseStatusView> for CaseState {
    fn from(v: CaseStatusView) -> CaseState {
        let c = v.summary;
        CaseState {
            code: c.code,
            title: c.title,
            kind: c.kind,
            category: c.category,
            category_name: c.category_name,
            channel: c.channel,
            urgency: c.urgency,
            status: c.status,
            received_ms: c.received_ms,
            deadline_ms: c.deadline_ms,
            result: v.result,
            merged_into: v.merged_into_code,
            history: v.history.into_iter().map(|(at, p)| step(at, p)).collect(),
        }
    }
}

/// Where a case stands
///
/// The case's status and the steps a resident is told about, oldest first. No staff names, no
/// internal steps, no personal data.
#[utoipa::path(
    get,
    path = "/api/v1/cases/{code}",
    operation_id = "caseStatus",
    params(("code" = String, Path, description = "The tracking code returned when the case was filed (case-insensitive).")),
    responses(
        (status = 200, description = "The case.", body = CaseState),
        (status = 401, response = Unauthorized),
        (status = 404, description = "No case has this code.", body = ErrorBody,
            example = json!({"error": "not_found", "message": "no case has this code"})),
        (status = 429, response = TooManyRequests),
    )
)]
pub async fn case_status(State(state): State<AppState>, Client(client): Client, Path(code): Path<String>) -> Result<Response, ApiError> {
    let view = api::case_status(&state.db, &client, &code).await.map_err(|e| match e {
        AppError::Case(CaseError::BadTrackingCode) | AppError::NotFound => ApiError::new(StatusCode::NOT_FOUND, "not_found", "no case has this code"),
        e => e.into(),
    })?;
    let mut resp = Json(CaseState::from(view)).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}
