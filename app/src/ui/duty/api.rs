//! Server functions of the duty roster: the month and its planning under `center/` (planners
//! only for changes, checked by the service), the holder's own shifts and steps under
//! `field/` (any staff: the center's operators hold shifts too).
use crate::domain::duty::{MonthRoster, MyDuty, RosterEntry, RosterImport};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// A month of the roster (`YYYY-MM`, "" for this month), optionally of one unit (0 = all).
#[server(endpoint = "center/duty/month")]
pub async fn fetch_month(month: String, unit: i64) -> Result<MonthRoster, AppError> {
    use crate::domain::duty::Month;
    use crate::server_ctx::{case_actor, db, require};
    let user = require(crate::domain::access::CENTER_ROLES).await?;
    let month = if month.trim().is_empty() { Month::of(crate::service::now_ms()) } else { Month::parse(&month)? };
    crate::service::duty::month(&db()?, &case_actor(&user), month, (unit > 0).then_some(unit)).await
}

/// A new shift: `starts` and `ends` as a datetime-local input gives them, in the center's time.
#[server(endpoint = "center/duty/plan")]
pub async fn plan_shift(unit_id: i64, post: String, user_id: i64, starts: String, ends: String) -> Result<(), AppError> {
    use crate::domain::clock::parse_local_minute;
    use crate::domain::duty::DutyError;
    use crate::server_ctx::{actor, case_actor, db, effects, require};
    let user = require(crate::domain::access::PLAN_DUTY).await?;
    let starts = parse_local_minute(&starts).ok_or(DutyError::BadTimes)?;
    let ends = parse_local_minute(&ends).ok_or(DutyError::BadTimes)?;
    crate::service::duty::plan(&db()?, &effects()?, &actor(&user).await, &case_actor(&user), unit_id, post.parse()?, user_id, starts, ends).await.map(|_| ())
}

#[server(endpoint = "center/duty/remove")]
pub async fn remove_shift(shift_id: i64) -> Result<(), AppError> {
    use crate::server_ctx::{actor, case_actor, db, effects, require};
    let user = require(crate::domain::access::PLAN_DUTY).await?;
    crate::service::duty::remove(&db()?, &effects()?, &actor(&user).await, &case_actor(&user), shift_id).await
}

/// A planner's decision on a swap: `approve` is "1" or "0".
#[server(endpoint = "center/duty/decide")]
pub async fn decide_swap(swap_id: i64, approve: String) -> Result<(), AppError> {
    use crate::server_ctx::{actor, case_actor, db, effects, require};
    let user = require(crate::domain::access::PLAN_DUTY).await?;
    crate::service::duty::decide_swap(&db()?, &effects()?, &actor(&user).await, &case_actor(&user), swap_id, approve == "1").await
}

/// A roster file (the export's columns; .xlsx or CSV) in the field `roster`.
#[server(input = MultipartFormData, endpoint = "center/duty/import")]
pub async fn import_roster(data: MultipartData) -> Result<RosterImport, AppError> {
    use crate::server_ctx::{actor, case_actor, db, effects, require};
    let user = require(crate::domain::access::PLAN_DUTY).await?;
    let mut parts = crate::ui::forms::read_form(data).await?;
    let file = parts.files.pop().ok_or(AppError::BadFile("no_file".into()))?;
    crate::service::duty::import(&db()?, &effects()?, &actor(&user).await, &case_actor(&user), &file.file_name, &file.bytes).await
}

/// The time and who is on duty then, the center first.
#[server(endpoint = "center/duty/now")]
pub async fn fetch_on_duty() -> Result<(i64, Vec<RosterEntry>), AppError> {
    use crate::server_ctx::{db, require};
    require(crate::domain::access::CENTER_ROLES).await?;
    let now = crate::service::now_ms();
    Ok((now, crate::service::duty::on_duty(&db()?, now).await?))
}

/// The caller's shifts from yesterday to two weeks ahead.
#[server(endpoint = "field/duty/mine")]
pub async fn fetch_my_duty() -> Result<MyDuty, AppError> {
    use crate::server_ctx::{auth_session, case_actor, db};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    crate::service::duty::mine(&db()?, &case_actor(&user)).await
}

/// The holder's step on a shift: `step` is check_in (with `lat`/`lng` when the phone has a
/// fix), hand_over (`note`) or swap (`to_user`, `reason`).
#[server(endpoint = "field/duty/act")]
pub async fn act_on_shift(
    shift_id: i64,
    step: String,
    #[server(default)] lat: String,
    #[server(default)] lng: String,
    #[server(default)] note: String,
    #[server(default)] to_user: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::domain::duty::{DutyError, Point};
    use crate::server_ctx::{actor, auth_session, case_actor, db, effects};
    use crate::service::duty::HolderStep;
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    let step = match step.as_str() {
        "check_in" => HolderStep::CheckIn(match (lat.trim(), lng.trim()) {
            ("", "") => None,
            (a, b) => Some(Point::new(a.parse().map_err(|_| DutyError::BadPlace)?, b.parse().map_err(|_| DutyError::BadPlace)?)?),
        }),
        "hand_over" => HolderStep::HandOver(note),
        "swap" => HolderStep::Swap { to_user: to_user.trim().parse().map_err(|_| AppError::NotFound)?, reason },
        other => return Err(DutyError::UnknownCode(other.into()).into()),
    };
    crate::service::duty::holder_step(&db()?, &effects()?, &actor(&user).await, &case_actor(&user), shift_id, step).await.map(|_| ())
}
