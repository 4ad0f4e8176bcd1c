//! Use cases of Open311 GeoReport v2 (`/open311/v2`): any app that speaks the standard files a
//! problem as a case (channel Open311, the same intake and lifecycle as every channel) and
//! follows it. Only the cases filed through Open311 are listed, and nothing of their
//! requesters leaves: no name, phone or e-mail, and long numbers in descriptions masked.
use super::api::Call;
use super::cases::{self, FiledBy, IntakeInput, Open311Filing};
use crate::domain::case::{Category, Channel, GeoPoint, IntakeText, Urgency};
use crate::domain::open311::{RequestQuery, ServiceRequest, requester_name};
use crate::domain::org::{CASE_PLACE_LEVELS, Place, match_places};
use crate::domain::privacy::mask_numbers_in;
use crate::error::AppError;
use crate::store::api_tokens::ApiClient;
use crate::store::{Db, open311 as store};
use rand::Rng;

/// Length of a request's token: 24 letters and digits.
const TOKEN_LEN: usize = 24;

/// A service request as posted, its texts as given (the intake checks them).
#[derive(Debug, Clone, Default)]
pub struct NewRequest {
    pub service_code: String,
    pub location: Option<GeoPoint>,
    pub address_string: String,
    /// The spec's `address_id`, or the `area` attribute: a place of the district by its id.
    pub area_id: Option<i64>,
    pub description: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub media_url: Option<String>,
}

/// A request just filed: its id (the case's code) and the token it may be found by.
#[derive(Debug, Clone)]
pub struct Filed {
    pub code: String,
    pub token: String,
}

/// The services a request may be filed under: the active categories.
pub async fn services(db: &Db) -> Result<Vec<Category>, AppError> {
    super::api::categories(db).await
}

/// A service's definition: its category, and the places its `area` attribute offers.
pub async fn definition(db: &Db, code: &str) -> Result<(Category, Vec<Place>), AppError> {
    let category = services(db).await?.into_iter().find(|c| c.code == code).ok_or(AppError::NotFound)?;
    Ok((category, super::org::places(db, CASE_PLACE_LEVELS).await?))
}

/// Files a request of `client` (a token of the Open311 channel) as a case. A point must lie in
/// the district and places the case in its township unless a place is named; an address alone
/// places it where its words name a place.
pub async fn file(db: &Db, fx: &super::Effects, client: &ApiClient, call: &Call, new: NewRequest) -> Result<Filed, AppError> {
    let result = file_checked(db, fx, client, call, new).await;
    if result.is_err() {
        super::api::record_call(db, client, call).await?;
    }
    result
}

async fn file_checked(db: &Db, fx: &super::Effects, client: &ApiClient, call: &Call, new: NewRequest) -> Result<Filed, AppError> {
    if client.channel != Channel::Open311 {
        return Err(AppError::Forbidden);
    }
    // A point must lie in the district even when the place is named.
    let township = match new.location {
        Some(point) => Some(super::screen::place_at(db, point).await?.id),
        None => None,
    };
    let area_id = match (new.area_id, township) {
        (Some(a), _) => Some(a),
        (None, Some(t)) => Some(t),
        (None, None) => {
            let places = super::org::places(db, CASE_PLACE_LEVELS).await?;
            match_places(&new.address_string, &places, 1).first().map(|p| p.id)
        }
    };
    let text = IntakeText {
        title: String::new(),
        description: new.description,
        address: new.address_string,
        reporter_name: requester_name(&new.first_name, &new.last_name).unwrap_or_default(),
        reporter_phone: new.phone,
    };
    let input = IntakeInput {
        category: new.service_code.trim().to_string(),
        channel: Channel::Open311,
        urgency: Urgency::Normal,
        text,
        area_id,
        location: new.location,
    };
    let token: String = rand::rng().sample_iter(rand::distr::Alphanumeric).take(TOKEN_LEN).map(char::from).collect();
    let filed_by = FiledBy {
        api_token_id: client.id,
        ip: call.ip.clone(),
        audit: call.event(client),
        open311: Some(Open311Filing { token: token.clone(), media_url: new.media_url }),
    };
    let receipt = cases::register_for_client(db, fx, filed_by, input).await?;
    Ok(Filed { code: receipt.code, token })
}

/// The requests `q` asks for, newest first.
pub async fn requests(db: &Db, q: &RequestQuery) -> Result<Vec<ServiceRequest>, AppError> {
    let mut found = store::requests(&mut *db.read().await?, q).await?;
    for r in &mut found {
        r.description = mask_numbers_in(&r.description);
        r.address = r.address.as_deref().map(mask_numbers_in);
    }
    Ok(found)
}

/// One request by its id; `NotFound` unless it is a case filed through Open311.
pub async fn request(db: &Db, code: &str) -> Result<ServiceRequest, AppError> {
    let q = RequestQuery { codes: vec![code.trim().to_ascii_uppercase()], page: 1, page_size: 1, ..Default::default() };
    requests(db, &q).await?.into_iter().next().ok_or(AppError::NotFound)
}

/// The id of the request a token was given for.
pub async fn request_of_token(db: &Db, token: &str) -> Result<String, AppError> {
    let token = token.trim();
    if token.is_empty() || token.len() > 64 {
        return Err(AppError::NotFound);
    }
    store::code_of_token(&mut *db.read().await?, token).await?.ok_or(AppError::NotFound)
}
