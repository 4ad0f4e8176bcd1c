//! Open311's answers in the format the path asks for (`.json` or `.xml`), in the shapes of the
//! GeoReport v2 specification: JSON lists are arrays; XML wraps each item in an element named
//! for it (`<services><service>…`), under the root the spec names.
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

/// `services.json` → ("services", Json); `None` for a name without a known format.
pub fn split(file: &str) -> Option<(&str, Format)> {
    let (stem, ext) = file.rsplit_once('.')?;
    let format = match ext {
        "json" => Format::Json,
        "xml" => Format::Xml,
        _ => return None,
    };
    Some((stem, format))
}

/// A refusal, as the spec shapes it: `[{"code": 400, "description": "…"}]`.
#[derive(Debug)]
pub struct Open311Error {
    pub status: StatusCode,
    pub description: String,
    pub format: Format,
    /// Seconds, for a refusal that passes with time (429).
    pub retry_after: Option<u64>,
}

impl Open311Error {
    pub fn new(format: Format, status: StatusCode, description: impl Into<String>) -> Open311Error {
        Open311Error { status, description: description.into(), format, retry_after: None }
    }

    pub fn bad(format: Format, description: impl Into<String>) -> Open311Error {
        Open311Error::new(format, StatusCode::BAD_REQUEST, description)
    }

    pub fn not_found(format: Format, what: &str) -> Open311Error {
        Open311Error::new(format, StatusCode::NOT_FOUND, format!("{what} was not found"))
    }

    /// The spec's status for what the service refused: 403 for a key, 400 for input.
    pub fn from_app(format: Format, e: app::error::AppError) -> Open311Error {
        use app::error::AppError;
        let status = match &e {
            AppError::Unauthorized => return Open311Error::new(format, StatusCode::FORBIDDEN, "api_key is missing, unknown or revoked"),
            AppError::Forbidden => return Open311Error::new(format, StatusCode::FORBIDDEN, "this api_key does not file Open311 requests"),
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::TooManyRequests(wait) => {
                let mut refused = Open311Error::new(format, StatusCode::TOO_MANY_REQUESTS, format!("too many requests: try again in {wait} s"));
                refused.retry_after = Some(*wait);
                return refused;
            }
            e if e.http_status() >= 500 => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        };
        let description = match e {
            AppError::Case(inner) => inner.to_string(),
            AppError::Invalid(inner) => inner.to_string(),
            e if status == StatusCode::INTERNAL_SERVER_ERROR => {
                tracing::error!(error = %e, "open311 request failed");
                "the server could not answer".to_string()
            }
            e => e.to_string(),
        };
        Open311Error::new(format, status, description)
    }
}

#[derive(Serialize)]
struct ErrorItem<'a> {
    code: u16,
    description: &'a str,
}

#[derive(Serialize)]
struct Errors<'a> {
    error: [ErrorItem<'a>; 1],
}

impl IntoResponse for Open311Error {
    fn into_response(self) -> Response {
        let item = ErrorItem { code: self.status.as_u16(), description: &self.description };
        let mut resp = match self.format {
            Format::Json => (self.status, Json([item])).into_response(),
            Format::Xml => xml_response(self.status, "errors", &Errors { error: [item] }),
        };
        if let Some(secs) = self.retry_after {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

/// A list: a JSON array, or `<root><item>…</item>…</root>`.
pub fn list<T: Serialize>(format: Format, status: StatusCode, root: &'static str, item: &'static str, items: &[T]) -> Response {
    match format {
        Format::Json => (status, Json(items)).into_response(),
        Format::Xml => {
            let body = items.iter().map(|i| xml_fragment(item, i)).collect::<Result<String, _>>();
            match body {
                Ok(inner) => xml_body(status, format!("<{root}>{inner}</{root}>")),
                Err(e) => xml_failed(e),
            }
        }
    }
}

/// One document: a JSON object, or `xml` (its own shape) under `root`.
pub fn document<J: Serialize, X: Serialize>(format: Format, json: &J, root: &'static str, xml: &X) -> Response {
    match format {
        Format::Json => Json(json).into_response(),
        Format::Xml => xml_response(StatusCode::OK, root, xml),
    }
}

fn xml_fragment<T: Serialize>(root: &str, value: &T) -> Result<String, quick_xml::SeError> {
    quick_xml::se::to_string_with_root(root, value)
}

fn xml_response<T: Serialize>(status: StatusCode, root: &str, value: &T) -> Response {
    match xml_fragment(root, value) {
        Ok(body) => xml_body(status, body),
        Err(e) => xml_failed(e),
    }
}

fn xml_body(status: StatusCode, body: String) -> Response {
    let body = format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>{body}");
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("text/xml; charset=utf-8"))], body).into_response()
}

fn xml_failed(e: quick_xml::SeError) -> Response {
    tracing::error!(error = %e, "open311 answer could not be written as XML");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/xml; charset=utf-8"))],
        "<errors><error><code>500</code><description>the server could not answer</description></error></errors>",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_gives_its_format() {
        assert_eq!(split("services.json"), Some(("services", Format::Json)));
        assert_eq!(split("SZ-1.xml"), Some(("SZ-1", Format::Xml)));
        assert_eq!(split("services.csv"), None);
        assert_eq!(split("services"), None);
    }

    #[derive(Serialize)]
    struct Item {
        code: &'static str,
        note: Option<&'static str>,
        lat: Option<f64>,
    }

    #[tokio::test]
    async fn lists_are_arrays_in_json_and_wrapped_elements_in_xml() {
        use http_body_util::BodyExt;
        let items = [Item { code: "a&b", note: None, lat: Some(28.5) }, Item { code: "c", note: Some("<x>"), lat: None }];
        let body = |r: Response| async { String::from_utf8(r.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap() };
        let json = body(list(Format::Json, StatusCode::OK, "service_requests", "request", &items)).await;
        assert_eq!(json, r#"[{"code":"a&b","note":null,"lat":28.5},{"code":"c","note":"<x>","lat":null}]"#);
        let xml = body(list(Format::Xml, StatusCode::OK, "service_requests", "request", &items)).await;
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><service_requests><request><code>a&amp;b</code><note/><lat>28.5</lat></request>\
             <request><code>c</code><note>&lt;x&gt;</note><lat/></request></service_requests>"
        );
        let e = body(Open311Error::bad(Format::Xml, "service_code is required").into_response()).await;
        assert!(e.ends_with("<errors><error><code>400</code><description>service_code is required</description></error></errors>"), "{e}");
    }
}
