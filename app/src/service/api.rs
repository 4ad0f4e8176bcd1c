//! Use cases of the JSON API for other systems (`/api/v1`): calling systems prove
//! themselves with a bearer token instead of a session, and read a case by its code alone,
//! since they filed it; what they read is the residents' public view of it.
use super::codes::token_hash;
use crate::domain::Receipt;
use crate::domain::audit::AuditEvent;
use crate::domain::case::{CaseError, CaseSummary, Category, Channel, PublicStep};
use crate::domain::org::clean_name;
use crate::error::AppError;
use crate::service::cases::{self, IntakeInput};
use crate::store::api_tokens::{self, ApiClient};
use crate::store::cases as store;
use crate::store::{Db, audit, now_ms};
use rand::Rng;

/// Length of a new token: 32 letters and digits, about 190 bits.
pub const TOKEN_LEN: usize = 32;

/// Makes a token for the calling system `name`; returns the token, which is not kept and
/// so is shown only this once.
/// Every case it files is filed under `channel`; it reads only those unless `read_all`.
pub async fn create_token(db: &Db, name: &str, channel: Channel, read_all: bool) -> Result<String, AppError> {
    let name = clean_name(name)?;
    let token: String = rand::rng().sample_iter(rand::distr::Alphanumeric).take(TOKEN_LEN).map(char::from).collect();
    api_tokens::insert(&mut *db.read().await?, &name, &token_hash(&token), channel, read_all, now_ms()).await?;
    Ok(token)
}

/// One call of a client as the audit trail keeps it: method and path, and where from.
#[derive(Debug, Clone)]
pub struct Call {
    pub line: String,
    pub ip: Option<String>,
}

impl Call {
    pub(crate) fn event(&self, client: &ApiClient) -> AuditEvent {
        AuditEvent::ApiCalled { client: client.name.clone(), call: self.line.chars().take(200).collect() }
    }
}

/// Records one call of `client` in the audit trail.
pub async fn record_call(db: &Db, client: &ApiClient, call: &Call) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    audit::append(&mut tx, None, call.ip.as_deref(), &call.event(client)).await?;
    tx.commit().await?;
    Ok(())
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
/// The case takes the client's channel (the token fixes it) and remembers who filed it.
/// The call is recorded in the case's own write (one turn of the writer, not two); a call
/// refused is recorded on its own.
pub async fn file_case(db: &Db, fx: &super::Effects, client: &ApiClient, call: &Call, mut input: IntakeInput) -> Result<Receipt, AppError> {
    input.channel = client.channel;
    let filed_by = cases::FiledBy { api_token_id: client.id, ip: call.ip.clone(), audit: call.event(client), open311: None };
    match cases::register_for_client(db, fx, filed_by, input).await {
        Ok(receipt) => Ok(receipt),
        Err(e) => {
            record_call(db, client, call).await?;
            Err(e)
        }
    }
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
/// A client without `read_all` is told a case it did not file does not exist, as for an
/// unknown code: codes of other channels cannot be probed.
pub async fn case_status(db: &Db, client: &ApiClient, code: &str) -> Result<CaseStatusView, AppError> {
    let code = code.trim().to_ascii_uppercase();
    let mut conn = db.read().await?;
    let (id, _) = store::by_code(&mut conn, &code).await?.ok_or(CaseError::BadTrackingCode)?;
    if !client.read_all && store::filed_by_token(&mut conn, id).await? != Some(client.id) {
        return Err(CaseError::BadTrackingCode.into());
    }
    let summary = store::summary(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    drop(conn);
    let h = super::cases::public_history(db, id).await?;
    Ok(CaseStatusView { summary, result: h.case.result.clone(), merged_into_code: h.merged_into_code, history: h.history })
}
