//! Server functions of the evaluation (考评): every staff member reads under `field/` (a
//! unit's staff only their own unit), supervisors and leaders close a period under
//! `center/`, administrators set the weights under `admin/`.
use crate::domain::evaluation::{Dimension, DrillDown, EvaluationPage, Weights};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "field/evaluation/page")]
pub async fn fetch_evaluation(period: String) -> Result<EvaluationPage, AppError> {
    use crate::server_ctx::{auth_session, case_actor, db};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    crate::service::evaluation::page(&db()?, &case_actor(&user), &period).await
}

#[server(endpoint = "field/evaluation/drill")]
pub async fn fetch_drill(period: String, unit: i64, dimension: Dimension) -> Result<DrillDown, AppError> {
    use crate::server_ctx::{auth_session, case_actor, db};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    crate::service::evaluation::drill(&db()?, &case_actor(&user), &period, unit, dimension).await
}

#[server(endpoint = "center/evaluation/freeze")]
pub async fn freeze_period(period: String) -> Result<(), AppError> {
    use crate::server_ctx::{actor, case_actor, db, require};
    let user = require(crate::domain::access::SUPERVISE).await?;
    crate::service::evaluation::freeze(&db()?, &actor(&user).await, &case_actor(&user), &period).await
}

/// The six weights in `Dimension::ALL`'s order, as typed.
#[server(endpoint = "admin/evaluation/weights")]
pub async fn save_weights(w0: String, w1: String, w2: String, w3: String, w4: String, w5: String) -> Result<Weights, AppError> {
    use crate::server_ctx::{actor, case_actor, db, require};
    let user = require(crate::domain::access::ADMIN).await?;
    let mut w = [0u32; 6];
    for (slot, raw) in w.iter_mut().zip([w0, w1, w2, w3, w4, w5]) {
        *slot = raw.trim().parse().map_err(|_| crate::domain::report::ReportError::BadWeights)?;
    }
    crate::service::evaluation::set_weights(&db()?, &actor(&user).await, &case_actor(&user), w).await
}
