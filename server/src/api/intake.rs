//! `POST /api/v1/cases`: another system files a case (受理), e.g. a 12345 hotline work order.
//! The case goes through the same intake checks as every other channel, and is received
//! in one transaction with its first history entry and its search index.
use super::schemas::{ChannelSchema, StatusSchema, UrgencySchema};
use super::{ApiError, ErrorBody, FilingClient, TooManyRequests, Unauthorized};
use app::domain::case::{CaseError, CaseId, CaseStatus, Channel, GeoPoint, IntakeText, Urgency};
use app::server_ctx::AppState;
use app::service::cases::IntakeInput;
use app::store::api_tokens::ApiClient;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// The longest reference of the calling system we echo back.
const MAX_EXTERNAL_REF: usize = 64;

/// A new case. Every field may be missing or null: what is required is decided by the intake
/// rules (a category and a description), so the API refuses exactly what the forms refuse, in
/// the same words. The texts' lengths are the intake rules'.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct NewCase {
    /// A category code from GET /api/v1/categories (required).
    pub category: Option<String>,
    /// Default: the token's channel; a token files under its own channel only.
    #[schema(value_type = Option<ChannelSchema>)]
    pub channel: Option<String>,
    /// Default `normal`. An urgent case gets at most 24 h, an emergency at most 2 h, whatever
    /// its category allows.
    #[schema(value_type = Option<UrgencySchema>)]
    pub urgency: Option<String>,
    /// Defaults to the first line of the description.
    pub title: Option<String>,
    /// What happened (required).
    pub description: Option<String>,
    pub address: Option<String>,
    /// A village, community or grid of the district.
    pub area_id: Option<i64>,
    /// Given together with lng.
    #[schema(minimum = -90, maximum = 90)]
    pub lat: Option<f64>,
    #[schema(minimum = -180, maximum = 180)]
    pub lng: Option<f64>,
    pub reporter_name: Option<String>,
    /// Mainland mobile (11 digits starting with 1) or landline with area code; spaces and
    /// dashes are ignored.
    pub reporter_phone: Option<String>,
    /// The caller's own reference (e.g. its work-order number), echoed in the answer.
    #[schema(max_length = 64)]
    pub external_ref: Option<String>,
}

/// A case just filed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Filed {
    pub id: CaseId,
    /// The tracking code.
    pub code: String,
    /// The resident's tracking secret, returned only now: with the code it opens the public
    /// tracking page.
    pub secret: String,
    #[schema(value_type = StatusSchema)]
    pub status: CaseStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_ref: Option<String>,
}

impl NewCase {
    /// The checked intake, or the first reason it is refused.
    fn into_input(self) -> Result<(IntakeInput, Option<String>), ApiError> {
        let channel = match self.channel.as_deref().map(str::trim) {
            None | Some("") => Channel::Hotline12345,
            Some(c) => c.parse::<Channel>().map_err(app_err)?,
        };
        let urgency = match self.urgency.as_deref().map(str::trim) {
            None | Some("") => Urgency::Normal,
            Some(u) => u.parse::<Urgency>().map_err(app_err)?,
        };
        let location = match (self.lat, self.lng) {
            (None, None) => None,
            (Some(lat), Some(lng)) => Some(GeoPoint::from_degrees(lat, lng).map_err(app_err)?),
            _ => return Err(app_err(CaseError::BadLocation)),
        };
        let external_ref = match self.external_ref.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(r) if r.chars().count() > MAX_EXTERNAL_REF || r.chars().any(char::is_control) => {
                return Err(ApiError::invalid(
                    "bad_external_ref",
                    format!("external_ref must be at most {MAX_EXTERNAL_REF} characters, without control characters"),
                ));
            }
            Some(r) => Some(r.to_string()),
        };
        let text = IntakeText {
            title: self.title.unwrap_or_default(),
            description: self.description.unwrap_or_default(),
            address: self.address.unwrap_or_default(),
            reporter_name: self.reporter_name.unwrap_or_default(),
            reporter_phone: self.reporter_phone.unwrap_or_default(),
        };
        // Checked here too (register checks again) so a bad text is refused before the
        // category is even looked up, whatever else is wrong.
        text.check().map_err(app_err)?;
        let input =
            IntakeInput { category: self.category.unwrap_or_default().trim().to_ascii_lowercase(), channel, urgency, text, area_id: self.area_id, location };
        Ok((input, external_ref))
    }
}

/// The body as a checked intake, or why it is refused.
fn read_body(client: &ApiClient, body: Result<Bytes, BytesRejection>) -> Result<(IntakeInput, Option<String>), ApiError> {
    // Too large, or cut off: refused as JSON like everything else.
    let body = body.map_err(|e| ApiError::new(e.status(), "bad_body", e.body_text()))?;
    let mut new: NewCase =
        serde_json::from_slice(&body).map_err(|e| ApiError::invalid("invalid_json", format!("the body is not a JSON object of a new case: {e}")))?;
    // The token fixes the channel: a body naming another is refused rather than refiled.
    match new.channel.as_deref().map(str::trim) {
        Some(c) if !c.is_empty() && c != client.channel.code() => {
            return Err(ApiError::invalid("channel_fixed", format!("this token files cases under the channel {}", client.channel.code())));
        }
        _ => new.channel = Some(client.channel.code().to_string()),
    }
    new.into_input()
}

fn app_err(e: CaseError) -> ApiError {
    app::error::AppError::Case(e).into()
}

/// File a new case (受理)
///
/// Registers a case with its first history entry and its search index, in one transaction.
/// The same intake rules as every other channel apply: a description is required (the title
/// defaults to its first line), texts are bounded, the phone must be a mainland mobile or
/// landline number, the place must be a village, community or grid of the district, a map
/// point needs both coordinates.
#[utoipa::path(
    post,
    path = "/api/v1/cases",
    operation_id = "fileCase",
    request_body(content = NewCase, content_type = "application/json", example = json!({
        "category": "construction-damage", "urgency": "urgent", "title": "高铁施工致房屋开裂",
        "description": "杭衢高铁施工后，村内多户房屋墙面开裂，请尽快核查。", "address": "莲花镇五坪村",
        "lat": 28.9801, "lng": 118.9601, "reporter_name": "张三", "reporter_phone": "13812345678",
        "external_ref": "12345-20260301-0042"
    })),
    responses(
        (status = 201, description = "The case was filed.", body = Filed,
            headers(("Location" = String, description = "Where to follow it: /api/v1/cases/{code}"))),
        (status = 401, response = Unauthorized),
        (status = 413, description = "The body is larger than the API accepts; nothing was stored.", body = ErrorBody),
        (status = 422, description = "Invalid input; nothing was stored. `error` names the rule, e.g. text_required, \
            text_too_long, unknown_code (category, channel or urgency), category_inactive, bad_area, bad_location, bad_phone, \
            bad_external_ref, invalid_json, channel_fixed (a channel other than the one the token files under).",
            body = ErrorBody, example = json!({"error": "text_required", "message": "description is required"})),
        (status = 429, response = TooManyRequests),
    )
)]
pub async fn file_case(
    State(state): State<AppState>,
    FilingClient(client, call): FilingClient,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    // A call refused before the intake is recorded on its own; the intake records its own.
    let (input, external_ref) = match read_body(&client, body) {
        Ok(checked) => checked,
        Err(e) => {
            app::service::api::record_call(&state.db, &client, &call).await?;
            return Err(e);
        }
    };
    let receipt = app::service::api::file_case(&state.db, &state.effects, &client, &call, input).await?;
    tracing::info!(client = %client.name, code = %receipt.code, external_ref = ?external_ref, "case filed through the API");
    let location = HeaderValue::from_str(&format!("/api/v1/cases/{}", receipt.code)).ok();
    let filed = Filed { id: receipt.id, code: receipt.code, secret: receipt.secret, status: CaseStatus::Received, external_ref };
    let mut resp = (StatusCode::CREATED, Json(filed)).into_response();
    if let Some(l) = location {
        resp.headers_mut().insert(header::LOCATION, l);
    }
    Ok(resp)
}
