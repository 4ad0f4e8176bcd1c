//! Server functions of emergency reports: the center's board, marking, checking and the
//! deadlines under `center/`; the responsible unit's list, one emergency and filing under
//! `field/` (any staff: the service checks the unit).
use crate::domain::emergency::{Board, Detail, EmergencyRow};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "center/emergency/board")]
pub async fn fetch_board() -> Result<Board, AppError> {
    use crate::server_ctx::{case_actor, db, require};
    let user = require(crate::domain::access::CENTER_ROLES).await?;
    crate::service::emergency::board(&db()?, &case_actor(&user)).await
}

/// Marks a case (by its id) as an emergency, or changes its level and unit (0: the township's).
#[server(endpoint = "center/emergency/declare")]
pub async fn declare(case_id: i64, level: String, #[server(default)] unit_id: i64) -> Result<(), AppError> {
    use crate::server_ctx::{actor, case_actor, db, effects, require};
    let user = require(crate::domain::access::DECLARE_EMERGENCY).await?;
    let level = level.parse()?;
    crate::service::emergency::declare(&db()?, &effects()?, &actor(&user).await, &case_actor(&user), case_id, level, (unit_id > 0).then_some(unit_id))
        .await
        .map(|_| ())
}

#[server(endpoint = "center/emergency/check")]
pub async fn check_report(report_id: i64, #[server(default)] note: String) -> Result<(), AppError> {
    use crate::server_ctx::{actor, case_actor, db, effects, require};
    let user = require(crate::domain::access::CHECK_EMERGENCY).await?;
    crate::service::emergency::check(&db()?, &effects()?, &actor(&user).await, &case_actor(&user), report_id, &note).await
}

/// The deadlines in minutes of a category ("": any) at a level ("": any).
#[server(endpoint = "center/emergency/deadlines")]
pub async fn set_deadlines(#[server(default)] category: String, #[server(default)] level: String, quick: String, written: String) -> Result<(), AppError> {
    use crate::domain::emergency::{DeadlineRule, Deadlines, EmergencyError};
    use crate::server_ctx::{actor, case_actor, db, require};
    let user = require(crate::domain::access::SET_EMERGENCY_DEADLINES).await?;
    let minutes = |s: &str| s.trim().parse::<u32>().map_err(|_| EmergencyError::BadDeadlines);
    let level = match level.trim() {
        "" => None,
        l => Some(l.parse()?),
    };
    let rule =
        DeadlineRule { category: category.trim().to_string(), level, deadlines: Deadlines { quick_min: minutes(&quick)?, written_min: minutes(&written)? } };
    crate::service::emergency::set_deadlines(&db()?, &actor(&user).await, &case_actor(&user), rule).await
}

#[server(endpoint = "center/emergency/deadlines_remove")]
pub async fn remove_deadlines(#[server(default)] category: String, #[server(default)] level: String) -> Result<(), AppError> {
    use crate::server_ctx::{actor, case_actor, db, require};
    let user = require(crate::domain::access::SET_EMERGENCY_DEADLINES).await?;
    crate::service::emergency::remove_deadlines(&db()?, &actor(&user).await, &case_actor(&user), &category, &level).await
}

/// The caller's unit's emergencies of the last 30 days, and the time they were read.
#[server(endpoint = "field/emergency/mine")]
pub async fn fetch_mine() -> Result<(i64, Vec<EmergencyRow>), AppError> {
    use crate::server_ctx::{auth_session, case_actor, db};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    crate::service::emergency::mine(&db()?, &case_actor(&user)).await
}

/// The emergency on a case, for the case page.
#[server(endpoint = "field/emergency/of_case")]
pub async fn fetch_of_case(case_id: i64) -> Result<crate::domain::emergency::CaseEmergency, AppError> {
    use crate::server_ctx::{auth_session, case_actor, db};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    crate::service::emergency::of_case(&db()?, &case_actor(&user), case_id).await
}

#[server(endpoint = "field/emergency/detail")]
pub async fn fetch_detail(case_id: i64) -> Result<Detail, AppError> {
    use crate::server_ctx::{auth_session, case_actor, db};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    crate::service::emergency::detail(&db()?, &case_actor(&user), case_id).await
}

/// A report of `stage`; `occurred` as a datetime-local input gives it, in the center's time.
#[server(endpoint = "field/emergency/file")]
#[allow(clippy::too_many_arguments)]
pub async fn file_report(
    case_id: i64,
    stage: String,
    summary: String,
    place: String,
    occurred: String,
    #[server(default)] deaths: String,
    #[server(default)] injured: String,
    #[server(default)] missing: String,
    #[server(default)] measures: String,
) -> Result<(), AppError> {
    use crate::domain::clock::parse_local_minute;
    use crate::domain::emergency::{EmergencyError, Facts};
    use crate::server_ctx::{actor, auth_session, case_actor, db, effects};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    let count = |s: &str| match s.trim() {
        "" => Ok(0),
        n => n.parse::<u32>().map_err(|_| EmergencyError::BadFigure),
    };
    let facts = Facts {
        summary,
        place,
        occurred_ms: parse_local_minute(&occurred).ok_or(EmergencyError::BadTime)?,
        deaths: count(&deaths)?,
        injured: count(&injured)?,
        missing: count(&missing)?,
        measures,
    };
    crate::service::emergency::file(&db()?, &effects()?, &actor(&user).await, &case_actor(&user), case_id, stage.parse()?, facts).await.map(|_| ())
}
