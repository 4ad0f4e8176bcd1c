//! Residents' personal data (PIPL): the audited "show" of a reporter's full contact, the
//! audit entry of every export, and the erasure of contact data past its retention period.
//! Pages get contacts masked (`domain::privacy::ReporterView`); this is the only door to
//! the full ones besides the audited call export.
use super::AuditActor;
use super::visibility::check_visible;
use crate::domain::audit::AuditEvent;
use crate::domain::case::{Actor, CaseId};
use crate::domain::privacy::{Contact, Retention};
use crate::error::AppError;
use crate::store::{Db, audit, cases, privacy as store};

/// A case's reporter in full, for staff who may see the case; the read is written to the
/// audit trail first, so no contact leaves unrecorded.
pub async fn case_contact(db: &Db, by: &Actor, who: &AuditActor, id: CaseId) -> Result<Contact, AppError> {
    check_visible(db, by, id).await?;
    let mut tx = db.begin_write().await?;
    let code = cases::code_of(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let texts = cases::texts(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let contact = texts.reporter.filter(|_| texts.contact_erased_ms.is_none()).ok_or(AppError::NotFound)?;
    audit::append(&mut tx, who.user_id, who.ip.as_deref(), &AuditEvent::CaseContactShown { code }).await?;
    tx.commit().await?;
    Ok(contact)
}

/// A suggestion's author in full, recorded like `case_contact`.
pub async fn suggestion_contact(db: &Db, who: &AuditActor, id: i64) -> Result<Contact, AppError> {
    let mut tx = db.begin_write().await?;
    let (code, contact, erased) = store::suggestion_contact(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let contact = contact.filter(|_| erased.is_none()).ok_or(AppError::NotFound)?;
    audit::append(&mut tx, who.user_id, who.ip.as_deref(), &AuditEvent::SuggestionContactShown { code }).await?;
    tx.commit().await?;
    Ok(contact)
}

/// Records a download before its first byte leaves.
pub async fn record_export(db: &Db, who: &AuditActor, event: AuditEvent) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    audit::append(&mut tx, who.user_id, who.ip.as_deref(), &event).await?;
    tx.commit().await?;
    Ok(())
}

/// How many contacts one pass erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Erased {
    pub reporters: u64,
    pub suggestions: u64,
}

/// Erases the contact data of matters finished longer than `retention` before `now_ms`,
/// in one transaction with its audit entry (written only when something was erased, so
/// the hourly pass leaves no noise).
pub async fn erase_expired(db: &Db, retention: Retention, now_ms: i64) -> Result<Erased, AppError> {
    let before = retention.cutoff(now_ms);
    let mut tx = db.begin_write().await?;
    let erased = Erased {
        reporters: store::erase_case_contacts(&mut tx, before, now_ms).await?,
        suggestions: store::erase_suggestion_contacts(&mut tx, before, now_ms).await?,
    };
    if erased != Erased::default() {
        let event = AuditEvent::ContactsErased { reporters: erased.reporters, suggestions: erased.suggestions, before_ms: before };
        audit::append(&mut tx, None, None, &event).await?;
    }
    tx.commit().await?;
    Ok(erased)
}
