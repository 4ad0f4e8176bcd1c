//! Whether this server can take traffic (`/readyz`): its database answers and has the
//! schema this release expects. A load balancer sends nothing to an instance that fails.
use crate::store::Db;

pub async fn readiness(db: &Db) -> Result<(), String> {
    let pending = db.pending_migrations().await.map_err(|e| format!("database: {e}"))?;
    if pending.is_empty() { Ok(()) } else { Err(format!("{} migrations not applied", pending.len())) }
}

/// Connections the database pool holds open, and how many are idle (`/metrics`).
pub fn pool_use(db: &Db) -> (u32, usize) {
    db.pool_use()
}
