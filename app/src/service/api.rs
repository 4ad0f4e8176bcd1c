//! Use cases of the JSON API for other systems (`/api/v1`): calling systems prove
//! themselves with a bearer token instead of a session, and read a case by its code alone,
//! since they filed it; what they read is the residents' public view of it.
use super::codes::token_hash;
use crate::domain::Receipt;
use crate::domain::case::{Actor, CaseError, CaseSummary, Category, PublicStep};
use crate::domain::org::clean_name;
use crate::error::AppError;
use crate::service::cases::{self, IntakeInput};
use crate::store::api_tokens::{self, ApiClient};
use crate::store::cases as store;
use crate::store::{Db, now_ms};
use rand::Rng;

/// Length of a new token: 32 letters and digits, about 190 bits.
pub const TOKEN_LEN: usize = 32;

/// Makes a token for the calling system `name`; returns the token, which is not kept and
/// so is shown only this once.
pub async fn create_token(db: &Db, name: &str) -> Result<String, AppError> {
    let name = clean_name(name)?;
    let token: String = rand::rng().sample_iter(rand::distr::Alphanumeric).take(TOKEN_LEN).map(char::from).collect();
    api_tokens::insert(&mut *db.read().await?, &name, &token_hash(&token), now_ms()).await?;
    Ok(token)
}

/// The active client holding `token`, or `Unauthorized`.
pub async fn authenticate(db: &Db, token: &str) -> Result<ApiClient, AppError> {
    let token = token.trim();
    if token.is_empty() || token.len() > 256 {
        return Err(AppError::Unauthorized);
    }
    api_tokens::find_active(&mut *db.read().await?, &token_hash(token)).await?.ok_or(AppError::Unauthorized)
}

/// Files a case sent by another system: the same intake as every channel, by the system.
pub async fn file_case(db: &Db, fx: &super::Effects, input: IntakeInput) -> Result<Receipt, AppError> {
    cases::register(db, fx, &Actor::System, input, Vec::new()).await
}

/// The categories a new case may be filed under.
pub async fn categories(db: &Db) -> Result<Vec<Category>, AppError> {
    Ok(store::categories(&mut *db.read().await?).await?.into_iter().filter(|c| c.active).collect())
}

/// A case as a calling system sees it: its register row, its result, and the steps a
/// resident is told about (no staff names, no internal steps, no personal data).
#[derive(Debug, Clone)]
pub struct CaseStatusView {
    pub summary: CaseSummary,
    pub result: Option<String>,
    pub merged_into_code: Option<String>,
    /// (when, what happened), oldest first.
    pub history: Vec<(i64, PublicStep)>,
}

/// The case behind a tracking code; an unknown code is `BadTrackingCode` (404).
pub async fn case_status(db: &Db, code: &str) -> Result<CaseStatusView, AppError> {
    let code = code.trim().to_ascii_uppercase();
    let (id, _) = store::by_code(&mut *db.read().await?, &code).await?.ok_or(CaseError::BadTrackingCode)?;
    let summary = store::summary(&mut *db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    let h = super::cases::public_history(db, id).await?;
    Ok(CaseStatusView { summary, result: h.case.result.clone(), merged_into_code: h.merged_into_code, history: h.history })
}
