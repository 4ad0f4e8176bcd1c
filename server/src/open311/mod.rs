//! Open311 GeoReport v2 at `/open311/v2` (http://wiki.open311.org/GeoReport_v2), so that any
//! app speaking the standard can file a problem and follow it: discovery, the services (the
//! active categories, each with a definition whose `area` attribute names a place of the
//! district), posting a request (with an api_key made by `server token add NAME --channel
//! open311`), listing and reading requests, and a token's request. JSON or XML by the path's
//! extension; refusals in the spec's shape with its status codes (400, 403, 404; 429 with
//! Retry-After when a key or an address calls too often).
//!
//! Requests become cases of channel Open311 through the same intake and lifecycle as every
//! channel. Only cases filed through Open311 are listed, and nothing of their requesters is
//! ever answered (see `app::service::open311`).
use app::domain::case::GeoPoint;
use app::domain::open311::{PAGE_MAX, PublicStatus, RequestQuery, ServiceRequest, Window, w3c};
use app::server_ctx::AppState;
use app::service::open311::NewRequest;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{MethodRouter, get};
use reply::{Format, Open311Error};

mod reply;
mod shapes;
mod time;

use shapes::*;

/// Every route of `/open311/v2`, for the main router.
pub fn routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![("/open311/v2/{file}", get(top_level).post(post_request)), ("/open311/v2/{dir}/{file}", get(second_level))]
}

type Answer = Result<Response, Open311Error>;
type Params = Query<Vec<(String, String)>>;
type Addr = Option<axum::Extension<app::server_ctx::ClientAddr>>;

/// The named parameter's values, each comma list split, empty ones left out.
fn values<'a>(params: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    params.iter().filter(|(k, _)| k == name).flat_map(|(_, v)| v.split(',')).map(str::trim).filter(|v| !v.is_empty()).collect()
}

fn one<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

/// `discovery`, `services` and `requests` (GET).
async fn top_level(State(state): State<AppState>, Path(file): Path<String>, Query(params): Params, addr: Addr, headers: HeaderMap) -> Answer {
    let (name, format) = reply::split(&file).ok_or_else(|| unknown(&file))?;
    match name {
        "discovery" => Ok(discovery(format, &headers)),
        "services" => services(&state, format, &headers).await,
        "requests" => {
            lookup_budget(&state, format, &addr)?;
            list_requests(&state, format, &params, &headers).await
        }
        _ => Err(Open311Error::not_found(format, &format!("/open311/v2/{name}"))),
    }
}

/// `services/{code}`, `requests/{id}` and `tokens/{token}` (GET).
async fn second_level(State(state): State<AppState>, Path((dir, file)): Path<(String, String)>, addr: Addr, headers: HeaderMap) -> Answer {
    let (name, format) = reply::split(&file).ok_or_else(|| unknown(&file))?;
    match dir.as_str() {
        "services" => service_definition(&state, format, name, &headers).await,
        "requests" => {
            lookup_budget(&state, format, &addr)?;
            let found = app::service::open311::request(&state.db, name).await.map_err(|_| Open311Error::not_found(format, "service_request_id"))?;
            Ok(reply::list(format, StatusCode::OK, "service_requests", "request", &[request_item(found, crate::lang::locale_of(&headers))]))
        }
        "tokens" => {
            lookup_budget(&state, format, &addr)?;
            let code = app::service::open311::request_of_token(&state.db, name).await.map_err(|_| Open311Error::not_found(format, "token"))?;
            Ok(reply::list(format, StatusCode::OK, "service_requests", "request", &[TokenItem { service_request_id: code, token: name.to_string() }]))
        }
        _ => Err(Open311Error::not_found(format, &format!("/open311/v2/{dir}"))),
    }
}

/// A path without `.json` or `.xml`: answered in JSON, the format every client reads.
fn unknown(file: &str) -> Open311Error {
    let shown: String = file.chars().take(60).collect();
    Open311Error::new(Format::Json, StatusCode::NOT_FOUND, format!("{shown} was not found: paths end in .json or .xml"))
}

/// Public reads are budgeted per address like the portal's look-ups (a list may hold 1,000).
fn lookup_budget(state: &AppState, format: Format, addr: &Addr) -> Result<(), Open311Error> {
    let address = addr.as_ref().map(|a| a.0.0.to_string()).unwrap_or_default();
    state.limiter.check_lookup(&format!("open311:{address}")).map_err(|wait| Open311Error::from_app(format, app::error::AppError::TooManyRequests(wait)))
}

fn discovery(format: Format, headers: &HeaderMap) -> Response {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1:3000");
    let scheme = headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()).filter(|p| *p == "https").unwrap_or("http");
    let locale = crate::lang::locale_of(headers);
    let d = Discovery {
        changeset: CHANGESET,
        contact: crate::lang::text(locale, "open311.contact"),
        key_service: crate::lang::text(locale, "open311.key_service"),
        endpoints: vec![Endpoint {
            specification: "http://wiki.open311.org/GeoReport_v2",
            url: format!("{scheme}://{host}/open311/v2"),
            changeset: CHANGESET,
            kind: "production",
            formats: vec!["application/json", "text/xml"],
        }],
    };
    let xml = XmlDiscovery {
        changeset: d.changeset,
        contact: &d.contact,
        key_service: &d.key_service,
        endpoints: XmlEndpoints {
            endpoint: d
                .endpoints
                .iter()
                .map(|e| XmlEndpoint {
                    specification: e.specification,
                    url: &e.url,
                    changeset: e.changeset,
                    kind: e.kind,
                    formats: XmlFormats { format: e.formats.clone() },
                })
                .collect(),
        },
    };
    reply::document(format, &d, "discovery", &xml)
}

async fn services(state: &AppState, format: Format, headers: &HeaderMap) -> Answer {
    let categories = app::service::open311::services(&state.db).await.map_err(|e| Open311Error::from_app(format, e))?;
    let locale = crate::lang::locale_of(headers);
    let items: Vec<Service> = categories.into_iter().map(|c| service_item(locale, c)).collect();
    Ok(reply::list(format, StatusCode::OK, "services", "service", &items))
}

async fn service_definition(state: &AppState, format: Format, code: &str, headers: &HeaderMap) -> Answer {
    let (category, places) = app::service::open311::definition(&state.db, code).await.map_err(|e| match e {
        app::error::AppError::NotFound => Open311Error::not_found(format, "service_code"),
        e => Open311Error::from_app(format, e),
    })?;
    let locale = crate::lang::locale_of(headers);
    let values: Vec<Value> = places.into_iter().map(|p| Value { key: p.id.to_string(), name: p.path }).collect();
    let attribute = Attribute {
        variable: true,
        code: AREA_ATTRIBUTE,
        datatype: "singlevaluelist",
        required: false,
        datatype_description: crate::lang::text(locale, "open311.area_hint"),
        order: 1,
        description: crate::lang::text(locale, "open311.area"),
        values,
    };
    let xml = XmlDefinition { service_code: &category.code, attributes: XmlAttributes { attribute: vec![XmlAttribute::of(&attribute)] } };
    let json = Definition { service_code: category.code.clone(), attributes: vec![attribute.clone()] };
    Ok(reply::document(format, &json, "service_definition", &xml))
}

/// The spec's POST: form fields (the api_key and jurisdiction_id may come in the query).
async fn post_request(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Params,
    parts: axum::http::request::Parts,
    body: RawForm,
) -> Answer {
    let (name, format) = reply::split(&file).ok_or_else(|| unknown(&file))?;
    if name != "requests" {
        return Err(Open311Error::new(format, StatusCode::METHOD_NOT_ALLOWED, format!("/open311/v2/{name} is read with GET")));
    }
    let RawForm(raw) = body;
    let form: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&raw).map_err(|e| Open311Error::bad(format, format!("the body is not form-encoded: {e}")))?;
    let fields: Vec<(String, String)> = query.into_iter().chain(form).collect();
    let key = one(&fields, "api_key").ok_or_else(|| Open311Error::new(format, StatusCode::FORBIDDEN, "api_key is required"))?;
    let client = app::service::api::authenticate(&state.db, key).await.map_err(|e| Open311Error::from_app(format, e))?;
    state.limiter.check_api(client.id).map_err(|wait| Open311Error::from_app(format, app::error::AppError::TooManyRequests(wait)))?;
    let ip = parts.extensions.get::<app::server_ctx::ClientAddr>().map(|c| c.0.to_string());
    let call = app::service::api::Call { line: format!("POST {}", parts.uri.path()), ip };
    let new = match new_request(format, &fields) {
        Ok(new) => new,
        Err(e) => {
            app::service::api::record_call(&state.db, &client, &call).await.map_err(|e| Open311Error::from_app(format, e))?;
            return Err(e);
        }
    };
    let filed = app::service::open311::file(&state.db, &state.effects, &client, &call, new).await.map_err(|e| Open311Error::from_app(format, e))?;
    tracing::info!(client = %client.name, code = %filed.code, "open311 request filed");
    let item = Filed { service_request_id: filed.code, token: filed.token, service_notice: None, account_id: None };
    Ok(reply::list(format, StatusCode::CREATED, "service_requests", "request", &[item]))
}

/// The posted fields as a new request, or the first thing wrong with them.
fn new_request(format: Format, fields: &[(String, String)]) -> Result<NewRequest, Open311Error> {
    let get = |name: &str| one(fields, name).unwrap_or("").to_string();
    let service_code = get("service_code");
    if service_code.is_empty() {
        return Err(Open311Error::bad(format, "service_code is required"));
    }
    let number = |name: &str| -> Result<Option<f64>, Open311Error> {
        one(fields, name).map(|v| v.parse::<f64>().map_err(|_| Open311Error::bad(format, format!("{name} must be a number")))).transpose()
    };
    let location = match (number("lat")?, number("long")?) {
        (Some(lat), Some(lng)) => {
            Some(GeoPoint::from_degrees(lat, lng).map_err(|_| Open311Error::bad(format, "lat and long must be a point on Earth (WGS84 degrees)"))?)
        }
        (None, None) => None,
        _ => return Err(Open311Error::bad(format, "lat and long are given together")),
    };
    let place = |name: &str| -> Result<Option<i64>, Open311Error> {
        one(fields, name).map(|v| v.parse::<i64>().map_err(|_| Open311Error::bad(format, format!("{name} must be the id of a place")))).transpose()
    };
    let area_id = match place(&format!("attribute[{AREA_ATTRIBUTE}]"))? {
        Some(a) => Some(a),
        None => place("address_id")?,
    };
    let address_string = get("address_string");
    if location.is_none() && area_id.is_none() && address_string.is_empty() {
        return Err(Open311Error::bad(format, "a location is required: lat and long, address_string or address_id"));
    }
    let media_url = match one(fields, "media_url") {
        None => None,
        Some(u) if u.len() <= 1000 && (u.starts_with("https://") || u.starts_with("http://")) && !u.chars().any(|c| c.is_whitespace() || c.is_control()) => {
            Some(u.to_string())
        }
        Some(_) => return Err(Open311Error::bad(format, "media_url must be an http(s) URL of at most 1,000 characters")),
    };
    Ok(NewRequest {
        service_code,
        location,
        address_string,
        area_id,
        description: get("description"),
        first_name: get("first_name"),
        last_name: get("last_name"),
        phone: get("phone"),
        media_url,
    })
}

async fn list_requests(state: &AppState, format: Format, params: &[(String, String)], headers: &HeaderMap) -> Answer {
    let date = |name: &str| -> Result<Option<i64>, Open311Error> {
        one(params, name)
            .map(|v| time::parse(v).ok_or_else(|| Open311Error::bad(format, format!("{name} must be a W3C date-time, e.g. 2026-01-01T00:00:00Z"))))
            .transpose()
    };
    let window = Window::of(date("start_date")?, date("end_date")?, app::store::now_ms()).map_err(|e| Open311Error::bad(format, e.to_string()))?;
    let mut statuses = Vec::new();
    for s in values(params, "status") {
        statuses.extend(PublicStatus::parse(s).map_err(|e| Open311Error::bad(format, e.to_string()))?.case_statuses());
    }
    let count = |name: &str, max: u32, default: u32| -> Result<u32, Open311Error> {
        match one(params, name) {
            None => Ok(default),
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| Open311Error::bad(format, format!("{name} must be a whole number from 1 to {max}"))),
        }
    };
    let q = RequestQuery {
        codes: values(params, "service_request_id").into_iter().take(PAGE_MAX as usize).map(|c| c.to_ascii_uppercase()).collect(),
        categories: values(params, "service_code").into_iter().map(str::to_string).collect(),
        statuses,
        window: Some(window),
        page: count("page", 100_000, 1)?,
        page_size: count("page_size", PAGE_MAX, PAGE_MAX)?,
    };
    let found = app::service::open311::requests(&state.db, &q).await.map_err(|e| Open311Error::from_app(format, e))?;
    let locale = crate::lang::locale_of(headers);
    let items: Vec<Request> = found.into_iter().map(|r| request_item(r, locale)).collect();
    Ok(reply::list(format, StatusCode::OK, "service_requests", "request", &items))
}

fn request_item(r: ServiceRequest, locale: &str) -> Request {
    let status_text = crate::lang::text(locale, &format!("case_status.{}", r.status.code()));
    let status_notes = match (r.note, r.merged_into) {
        (Some(note), _) => format!("{status_text}: {note}"),
        (None, Some(code)) => format!("{status_text}: {code}"),
        (None, None) => status_text,
    };
    Request {
        service_request_id: r.code,
        status: PublicStatus::of(r.status).code(),
        status_notes: Some(status_notes),
        service_name: r.category_name,
        service_code: r.category,
        description: r.description,
        agency_responsible: r.lead_unit,
        service_notice: None,
        requested_datetime: w3c(r.received_ms),
        updated_datetime: w3c(r.updated_ms),
        expected_datetime: Some(w3c(r.deadline_ms)),
        address: r.address,
        address_id: None,
        zipcode: None,
        lat: r.location.map(|p| p.lat_e6 as f64 / 1e6),
        long: r.location.map(|p| p.lng_e6 as f64 / 1e6),
        media_url: r.media_url,
    }
}

fn service_item(locale: &str, c: app::domain::case::Category) -> Service {
    let group = crate::lang::text(locale, &format!("case_kind.{}", c.kind.code()));
    Service {
        description: format!("{}（{group}）", c.name),
        service_code: c.code,
        service_name: c.name,
        metadata: true,
        kind: "realtime",
        keywords: group.clone(),
        group,
    }
}
