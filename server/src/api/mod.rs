//! The JSON API for other systems (DESIGN.md "Other entry points"), such as the 12345
//! hotline platform: file a case, follow it, list the categories. Described by the
//! OpenAPI document at `/api/v1/openapi.json`.
//!
//! Callers authenticate with `Authorization: Bearer <token>` (tokens are made with
//! `server token add NAME` and stored hashed). Browsers never attach such a header on their
//! own, so cross-site request forgery does not apply: the guard lets a server-to-server POST
//! with neither `Origin` nor `Sec-Fetch-Site` through (see `guard::cross_site`).
//!
//! Every refusal is JSON, `{"error": code, "message": english text}`, with the status of
//! the underlying `AppError` (401 bad token, 404 unknown case, 422 bad input, …); only a
//! server fault is a 5xx.
use app::error::AppError;
use app::server_ctx::AppState;
use app::service::api::Call;
use app::store::api_tokens::ApiClient;
use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, any, get, post};
use serde::Serialize;

mod categories;
mod intake;
mod openapi;
mod schemas;
mod status;

/// Every route of `/api/v1`, for the main router.
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/api/v1/cases", post(intake::file_case)),
        ("/api/v1/cases/{code}", get(status::case_status)),
        ("/api/v1/categories", get(categories::list)),
        ("/api/v1/openapi.json", get(openapi::document)),
        ("/api/v1", any(unknown_route)),
        ("/api/v1/{*rest}", any(unknown_route)),
    ]
}

async fn unknown_route() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such API route; see /api/v1/openapi.json")
}

/// A refusal as the API answers it.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    /// Seconds, for a refusal that passes with time (429).
    pub retry_after: Option<u64>,
}

/// A refusal's body.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// A stable code for the refusal, in snake case.
    pub error: String,
    /// What was wrong, in English.
    pub message: String,
}

/// The token is missing, unknown or revoked.
#[derive(utoipa::ToResponse)]
#[response(example = json!({"error": "unauthorized", "message": "a valid API token is required: Authorization: Bearer <token>"}))]
pub struct Unauthorized(#[allow(dead_code)] ErrorBody);

/// This token made more calls than its limit allows (API_LIMIT_TOKEN, default 120 a minute);
/// nothing was done. Call again after Retry-After seconds.
#[derive(utoipa::ToResponse)]
#[response(
    example = json!({"error": "too_many_requests", "message": "too many requests: try again in 2 s"}),
    headers(("Retry-After" = u64, description = "Seconds until a call is accepted again."))
)]
pub struct TooManyRequests(#[allow(dead_code)] ErrorBody);

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError { status, code: code.to_string(), message: message.into(), retry_after: None }
    }

    /// Invalid input that no `AppError` names (a body that is not JSON, a bad reference).
    pub fn invalid(code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    fn unauthorized() -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "a valid API token is required: Authorization: Bearer <token>")
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        let status = StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        match &e {
            AppError::Unauthorized => ApiError::unauthorized(),
            AppError::Case(inner) => ApiError::new(status, &variant_code(inner), inner.to_string()),
            AppError::Invalid(inner) => ApiError::new(status, &variant_code(inner), inner.to_string()),
            _ => ApiError::new(status, &variant_code(&e), e.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(ErrorBody { error: self.code, message: self.message });
        let mut resp = (self.status, body).into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"shezhi\""));
        }
        resp
    }
}

/// The stable name of an error variant, in snake case: `TextRequired(..)` → `text_required`.
/// Taken from its serde name, so the codes follow the error enums without a list to keep.
fn variant_code<E: Serialize>(e: &E) -> String {
    let name = match serde_json::to_value(e) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(m)) => m.keys().next().cloned().unwrap_or_default(),
        _ => String::new(),
    };
    if name.is_empty() {
        return "error".into();
    }
    let mut code = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                code.push('_');
            }
            code.push(c.to_ascii_lowercase());
        } else {
            code.push(c);
        }
    }
    code
}

/// The calling system, proven by its bearer token. Handlers that take it are refused with
/// 401 before they run when the token is missing, unknown or revoked; the call is recorded
/// in the audit trail before the handler runs.
pub struct Client(pub ApiClient);

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Client, ApiError> {
        let FilingClient(client, call) = FilingClient::from_request_parts(parts, state).await?;
        app::service::api::record_call(&state.db, &client, &call).await?;
        Ok(Client(client))
    }
}

/// `Client` for a handler that records the call itself, in the write the call makes (the
/// intake): one turn of the database's writer per case instead of two.
pub struct FilingClient(pub ApiClient, pub Call);

impl FromRequestParts<AppState> for FilingClient {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<FilingClient, ApiError> {
        let header = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
        let token = match header.trim().split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token,
            _ => return Err(ApiError::unauthorized()),
        };
        let client = app::service::api::authenticate(&state.db, token).await?;
        if let Err(wait) = state.limiter.check_api(client.id) {
            let mut e = ApiError::from(AppError::TooManyRequests(wait));
            e.retry_after = Some(wait);
            return Err(e);
        }
        let ip = parts.extensions.get::<app::server_ctx::ClientAddr>().map(|c| c.0.to_string());
        Ok(FilingClient(client, Call { line: format!("{} {}", parts.method, parts.uri.path()), ip }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::case::{CaseError, TextField};

    #[test]
    fn error_codes_are_the_variant_names_in_snake_case() {
        assert_eq!(variant_code(&CaseError::TextRequired(TextField::Description)), "text_required");
        assert_eq!(variant_code(&CaseError::BadLocation), "bad_location");
        assert_eq!(variant_code(&AppError::NotFound), "not_found");
        let e: ApiError = AppError::Case(CaseError::UnknownCode("x".into())).into();
        assert_eq!((e.status, e.code.as_str(), e.message.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "unknown_code", "unknown code x"));
        let e: ApiError = AppError::Internal.into();
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
