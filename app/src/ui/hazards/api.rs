//! Server functions of the hazard register, under `field/` (any staff): the service scopes
//! what each sees (the center the whole register, a unit its own hazards) and whose step is
//! whose. Recording and steps take photos, so they are multipart.
use crate::domain::hazard::{CaseHazards, HazardDetail, HazardFilter, HazardOptions, Register};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// The register on a filter (a unit's staff: their unit's hazards whatever it says).
#[server(endpoint = "field/hazards/register")]
pub async fn fetch_register(filter: HazardFilter) -> Result<Register, AppError> {
    use crate::server_ctx::{auth_session, case_actor, db};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    crate::service::hazards::register(&db()?, &case_actor(&user), filter).await
}

/// The form's choices; `case` (a case's id, 0 for none) starts it from that case.
#[server(endpoint = "field/hazards/options")]
pub async fn fetch_options(case: i64) -> Result<HazardOptions, AppError> {
    use crate::server_ctx::{auth_session, case_actor, db};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    crate::service::hazards::options(&db()?, &case_actor(&user), (case > 0).then_some(case)).await
}

/// The hazards recorded from a case, for its page.
#[server(endpoint = "field/hazards/of_case")]
pub async fn fetch_of_case(case: i64) -> Result<CaseHazards, AppError> {
    use crate::server_ctx::{auth_session, case_actor, db};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    crate::service::hazards::of_case(&db()?, &case_actor(&user), case).await
}

#[server(endpoint = "field/hazards/detail")]
pub async fn fetch_detail(id: i64) -> Result<HazardDetail, AppError> {
    use crate::server_ctx::{auth_session, case_actor, db};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    crate::service::hazards::detail(&db()?, &case_actor(&user), id).await
}

/// Records a hazard from the form (several `inspector` fields: a joint inspection), with
/// photos; the new hazard's id.
#[server(input = MultipartFormData, endpoint = "field/hazards/record")]
pub async fn record_hazard(data: MultipartData) -> Result<i64, AppError> {
    use crate::domain::case::GeoPoint;
    use crate::domain::hazard::{HazardDraft, HazardError};
    use crate::server_ctx::{actor, auth_session, case_actor, db, effects};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    let parts = crate::ui::forms::read_form(data).await?;
    let id = |s: &str| s.trim().parse::<i64>().ok();
    let deadline_ms = match parts.get("deadline").trim() {
        "" => None,
        // The end of the day chosen: rectified "by" that date.
        d => Some(crate::domain::clock::parse_day_start(d).ok_or(HazardError::BadDeadline)? + crate::domain::clock::DAY_MS - 1),
    };
    let draft = HazardDraft {
        domain: parts.get("domain").into(),
        source: parts.get("source").into(),
        level: parts.get("level").into(),
        title: parts.get("title").into(),
        description: parts.get("description").into(),
        place: parts.get("place").into(),
        area_id: id(parts.get("area_id")),
        point: GeoPoint::parse(parts.get("lat"), parts.get("lng"))?,
        responsible_unit_id: id(parts.get("unit")),
        enterprise: parts.get("enterprise").into(),
        measures: parts.get("measures").into(),
        deadline_ms,
        inspectors: parts.all("inspector").filter_map(id).collect(),
        case_code: parts.get("case_code").into(),
    };
    crate::service::hazards::record_hazard(&db()?, &effects()?, &actor(&user).await, &case_actor(&user), draft, &parts.files).await
}

/// One step on a hazard: `step` is rectify, progress, check_passed, check_failed, tick_off,
/// tracking or listed; `text` its words; photos as files.
#[server(input = MultipartFormData, endpoint = "field/hazards/act")]
pub async fn act_on_hazard(data: MultipartData) -> Result<(), AppError> {
    use crate::domain::hazard::{Step, Watch};
    use crate::server_ctx::{actor, auth_session, case_actor, db, effects};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    let parts = crate::ui::forms::read_form(data).await?;
    let id: i64 = parts.get("id").trim().parse().map_err(|_| AppError::NotFound)?;
    let text = parts.get("text").to_string();
    let step = match parts.get("step").trim() {
        "rectify" => Step::Rectify { text },
        "progress" => Step::Progress { text },
        "check_passed" => Step::Check { passed: true, text },
        "check_failed" => Step::Check { passed: false, text },
        "tick_off" => Step::TickOff { text },
        w => Step::Watch { watch: w.parse::<Watch>()?, text },
    };
    crate::service::hazards::act(&db()?, &effects()?, &actor(&user).await, &case_actor(&user), id, step, &parts.files).await
}
