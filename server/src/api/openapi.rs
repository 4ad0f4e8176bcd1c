//! `GET /api/v1/openapi.json`: the API's OpenAPI 3 description, written by hand next to
//! the code (`server/openapi/v1.json`); a test checks it names every route. Public, so a
//! partner can read it before it has a token.
use axum::http::header;
use axum::response::IntoResponse;

pub const DOCUMENT: &str = include_str!("../../openapi/v1.json");

pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT)
}
