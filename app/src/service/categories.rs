//! The categories' time terms, as an administrator sets them: the time to resolve, each
//! unit's time to sign, when a palm command's unsigned unit goes on to the commander and the
//! center's leaders, and when an overdue case is proposed for listed supervision. A case takes
//! its category's terms at intake and keeps them (`domain::case::Terms`). And the department
//! its cases usually go to, which the routing suggestion offers.
use super::AuditActor;
use crate::domain::audit::AuditEvent;
use crate::domain::case::{CaseError, Category};
use crate::error::AppError;
use crate::store::{Db, audit, cases as store};

/// Every category, in use or not, by function.
pub async fn all(db: &Db) -> Result<Vec<Category>, AppError> {
    Ok(store::categories(&mut *db.read().await?).await?)
}

/// One category as the register holds it, in use or not; an unknown code is refused.
pub async fn get(db: &Db, code: &str) -> Result<Category, AppError> {
    let found = store::category(&mut *db.read().await?, code.trim()).await?;
    found.ok_or_else(|| CaseError::UnknownCode(code.trim().to_string()).into())
}

/// The new terms of one category, in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct TermsInput {
    pub allowed_ms: i64,
    pub ack_ms: i64,
    pub escalate_again_ms: i64,
    pub list_after_ms: i64,
    pub active: bool,
    /// The department its cases usually go to; must be an active unit.
    pub department_id: Option<i64>,
}

pub async fn save_terms(db: &Db, actor: &AuditActor, code: &str, t: TermsInput) -> Result<Category, AppError> {
    let mut tx = db.begin_write().await?;
    let current = store::category(&mut tx, code).await?.ok_or(AppError::NotFound)?;
    if let Some(u) = t.department_id
        && !crate::store::org::unit_by_id(&mut tx, u).await?.is_some_and(|u| u.active)
    {
        return Err(CaseError::UnknownUnit(u).into());
    }
    let next =
        Category { active: t.active, department_id: t.department_id, ..current.with_terms(t.allowed_ms, t.ack_ms, t.escalate_again_ms, t.list_after_ms)? };
    store::update_category_terms(&mut tx, &next).await?;
    let terms = format!("{}/{}/{}/{}", next.allowed_ms, next.ack_ms, next.escalate_again_ms, next.list_after_ms);
    audit::append(
        &mut tx,
        actor.user_id,
        actor.ip.as_deref(),
        &AuditEvent::CategorySaved { code: next.code.clone(), terms, active: next.active, department_id: next.department_id },
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}
