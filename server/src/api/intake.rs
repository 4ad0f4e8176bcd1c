//! `POST /api/v1/cases`: another system files a case (受理), e.g. a 12345 hotline work order.
//! The case goes through the same intake checks as every other channel, and is received
//! in one transaction with its first history entry and its search index.
use super::{ApiError, FilingClient};
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

/// The request body. Every field may be missing or null: what is required is decided by
/// the intake rules, so the API refuses exactly what the forms refuse, in the same words.
#[derive(Debug, Default, Deserialize)]
pub struct NewCase {
    pub category: Option<String>,
    /// Default `hotline12345`.
    pub channel: Option<String>,
    /// Default `normal`.
    pub urgency: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub address: Option<String>,
    pub area_id: Option<i64>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    /// The caller's own reference (its work-order number), echoed in the answer.
    pub external_ref: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Filed {
    pub id: CaseId,
    pub code: String,
    /// The resident's tracking secret: with the code it opens the public tracking page.
    pub secret: String,
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
