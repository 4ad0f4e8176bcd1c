//! `GET /api/v1/openapi.json`: the API's OpenAPI description, generated from the handlers and
//! the types they read and answer (utoipa), so it cannot drift from the code: a field added to
//! a body is in the document, and a test checks that every route of `routes()` is in it and
//! nothing else. Public, so a partner can read it before it has a token.
use super::categories::{self, CategoryItem};
use super::intake::{self, Filed, NewCase};
use super::schemas::{ChannelSchema, KindSchema, StatusSchema, UrgencySchema};
use super::status::{self, CaseState, Step};
use super::{ErrorBody, TooManyRequests, Unauthorized};
use app::domain::case::TextField;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{RefOr, ServerBuilder};
use utoipa::{Modify, OpenApi};

const DESCRIPTION: &str = "JSON API of the district social governance center for other systems, such as the 12345 hotline \
platform: file a case, follow it, list the categories.\n\nAuthenticate every call except this document with \
`Authorization: Bearer <token>`; an operator makes a token with `server token add NAME` (shown once, stored hashed).\n\n\
Instants are Unix milliseconds (UTC). Every refusal is a JSON object `{\"error\": code, \"message\": english text}`: 401 for \
a missing, unknown or revoked token, 404 for an unknown case or route, 422 for invalid input (nothing is stored), 5xx only \
for a server fault.";

#[derive(OpenApi)]
#[openapi(
    info(title = "Shezhi (社治) case API", version = "1.0.0", description = DESCRIPTION),
    paths(intake::file_case, status::case_status, categories::list, document),
    components(schemas(ErrorBody, KindSchema, ChannelSchema, UrgencySchema, StatusSchema, NewCase, Filed, Step, CaseState, CategoryItem), responses(Unauthorized, TooManyRequests)),
    security(("bearer" = [])),
    modifiers(&Finish)
)]
pub struct ApiDoc;

/// What the derive cannot say: the bearer scheme, the server the paths are relative to, and
/// the new case's text lengths, taken from the intake rules themselves.
struct Finish;

impl Modify for Finish {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let mut scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build();
        scheme.description = Some("A token made with `server token add NAME`.".into());
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
        let lengths =
            [("title", TextField::Title), ("description", TextField::Description), ("address", TextField::Address), ("reporter_name", TextField::ReporterName)];
        if let Some(RefOr::T(Schema::Object(new_case))) = components.schemas.get_mut("NewCase") {
            for (field, text) in lengths {
                if let Some(RefOr::T(Schema::Object(p))) = new_case.properties.get_mut(field) {
                    p.max_length = Some(text.max_chars());
                }
            }
        }
        doc.servers = Some(vec![ServerBuilder::new().url("/").build()]);
    }
}

/// The document, made once: it depends on nothing but the code.
pub fn json() -> &'static str {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOC.get_or_init(|| ApiDoc::openapi().to_json().expect("the API description serializes"))
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "openapi",
    security(()),
    responses((status = 200, description = "The OpenAPI document.", body = Object, content_type = "application/json"))
)]
pub async fn document() -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], json())
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::case::{CaseKind, CaseStatus, Channel};
    use serde_json::Value;

    fn doc() -> Value {
        serde_json::from_str(json()).expect("JSON")
    }

    #[test]
    fn every_route_and_only_the_routes_are_described() {
        let doc = doc();
        let described: Vec<String> = doc["paths"].as_object().expect("paths").keys().cloned().collect();
        let mut routed: Vec<String> = super::super::routes().into_iter().map(|(p, _)| p.to_string()).filter(|p| p != "/api/v1" && !p.contains('*')).collect();
        routed.sort();
        assert_eq!(described, routed);
        for (path, method) in [("/api/v1/cases", "post"), ("/api/v1/cases/{code}", "get"), ("/api/v1/categories", "get"), ("/api/v1/openapi.json", "get")] {
            assert!(doc["paths"][path][method].is_object(), "{method} {path}");
        }
        assert_eq!(doc["paths"]["/api/v1/openapi.json"]["get"]["security"], serde_json::json!([{}]), "the document is public");
    }

    #[test]
    fn the_codes_and_lengths_are_the_domains() {
        let doc = doc();
        let schemas = &doc["components"]["schemas"];
        let codes = |name: &str| schemas[name]["enum"].as_array().expect(name).iter().map(|v| v.as_str().unwrap().to_string()).collect::<Vec<_>>();
        assert_eq!(codes("Channel"), Channel::ALL.iter().map(|c| c.code()).collect::<Vec<_>>());
        assert_eq!(codes("Status"), CaseStatus::ALL.iter().map(|c| c.code()).collect::<Vec<_>>());
        assert_eq!(codes("Kind").len(), CaseKind::ALL.len());
        let new_case = &schemas["NewCase"]["properties"];
        assert_eq!(new_case["title"]["maxLength"], TextField::Title.max_chars());
        assert_eq!(new_case["description"]["maxLength"], TextField::Description.max_chars());
        assert_eq!(new_case["reporter_name"]["maxLength"], TextField::ReporterName.max_chars());
        assert!(schemas["Error"]["required"].as_array().is_some_and(|r| r.len() == 2));
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
        assert!(doc["components"]["responses"]["TooManyRequests"]["headers"]["Retry-After"].is_object());
    }
}
