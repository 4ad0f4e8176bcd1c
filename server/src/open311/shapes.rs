//! The documents of GeoReport v2, field for field as the specification names them. JSON and
//! XML share the items; where XML wraps a list in an element of its own (a definition's
//! `<attributes><attribute>`, discovery's `<endpoints><endpoint>`), it has its own shape.
use serde::Serialize;

/// When this endpoint's documents last changed (the spec's `changeset`): a client caching the
/// discovery reads it again when this moves.
pub const CHANGESET: &str = "2026-12-07T00:00:00+08:00";
/// The one attribute every service asks for (not required): the place of the district.
pub const AREA_ATTRIBUTE: &str = "area";

#[derive(Serialize)]
pub struct Discovery {
    pub changeset: &'static str,
    pub contact: String,
    pub key_service: String,
    pub endpoints: Vec<Endpoint>,
}

#[derive(Serialize)]
pub struct Endpoint {
    pub specification: &'static str,
    pub url: String,
    pub changeset: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub formats: Vec<&'static str>,
}

#[derive(Serialize)]
pub struct XmlDiscovery<'a> {
    pub changeset: &'static str,
    pub contact: &'a str,
    pub key_service: &'a str,
    pub endpoints: XmlEndpoints<'a>,
}

#[derive(Serialize)]
pub struct XmlEndpoints<'a> {
    pub endpoint: Vec<XmlEndpoint<'a>>,
}

#[derive(Serialize)]
pub struct XmlEndpoint<'a> {
    pub specification: &'static str,
    pub url: &'a str,
    pub changeset: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub formats: XmlFormats,
}

#[derive(Serialize)]
pub struct XmlFormats {
    pub format: Vec<&'static str>,
}

#[derive(Serialize)]
pub struct Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    pub metadata: bool,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub keywords: String,
    pub group: String,
}

#[derive(Serialize, Clone)]
pub struct Definition {
    pub service_code: String,
    pub attributes: Vec<Attribute>,
}

#[derive(Serialize, Clone)]
pub struct Attribute {
    pub variable: bool,
    pub code: &'static str,
    pub datatype: &'static str,
    pub required: bool,
    pub datatype_description: String,
    pub order: u32,
    pub description: String,
    pub values: Vec<Value>,
}

#[derive(Serialize, Clone)]
pub struct Value {
    pub key: String,
    pub name: String,
}

#[derive(Serialize)]
pub struct XmlDefinition<'a> {
    pub service_code: &'a str,
    pub attributes: XmlAttributes<'a>,
}

#[derive(Serialize)]
pub struct XmlAttributes<'a> {
    pub attribute: Vec<XmlAttribute<'a>>,
}

#[derive(Serialize)]
pub struct XmlAttribute<'a> {
    pub variable: bool,
    pub code: &'static str,
    pub datatype: &'static str,
    pub required: bool,
    pub datatype_description: &'a str,
    pub order: u32,
    pub description: &'a str,
    pub values: XmlValues<'a>,
}

impl<'a> XmlAttribute<'a> {
    pub fn of(a: &'a Attribute) -> XmlAttribute<'a> {
        XmlAttribute {
            variable: a.variable,
            code: a.code,
            datatype: a.datatype,
            required: a.required,
            datatype_description: &a.datatype_description,
            order: a.order,
            description: &a.description,
            values: XmlValues { value: &a.values },
        }
    }
}

#[derive(Serialize)]
pub struct XmlValues<'a> {
    pub value: &'a [Value],
}

/// A request as filed: its id at once (the services are `realtime`), and a token to find it by.
#[derive(Serialize)]
pub struct Filed {
    pub service_request_id: String,
    pub token: String,
    pub service_notice: Option<String>,
    pub account_id: Option<String>,
}

#[derive(Serialize)]
pub struct TokenItem {
    pub service_request_id: String,
    pub token: String,
}

#[derive(Serialize)]
pub struct Request {
    pub service_request_id: String,
    pub status: &'static str,
    pub status_notes: Option<String>,
    pub service_name: String,
    pub service_code: String,
    pub description: String,
    pub agency_responsible: Option<String>,
    pub service_notice: Option<String>,
    pub requested_datetime: String,
    pub updated_datetime: String,
    pub expected_datetime: Option<String>,
    pub address: Option<String>,
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub media_url: Option<String>,
}
