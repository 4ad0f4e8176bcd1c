//! The register's integrity check behind `server verify-history`: every case's hash chain
//! unbroken, and replaying it gives the stored state.
#[allow(unused_imports)]
use super::*;
pub use crate::store::cases::Broken;

/// How many cases were checked, and each broken one. Each case is read in a snapshot of its
/// own, so a busy register is checked without stopping it and without false alarms.
pub async fn verify_history(db: &Db) -> Result<(usize, Vec<Broken>), AppError> {
    let ids = store::ids(&mut *db.read().await?).await?;
    let mut broken = Vec::new();
    for &id in &ids {
        let mut snapshot = db.snapshot().await?;
        broken.extend(store::check_history(&mut snapshot, id).await?);
        snapshot.rollback().await?;
    }
    Ok((ids.len(), broken))
}

/// A case's tracking code, for naming it in a report.
pub async fn code_of(db: &Db, id: CaseId) -> Result<Option<String>, AppError> {
    Ok(store::code_of(&mut *db.read().await?, id).await?)
}
