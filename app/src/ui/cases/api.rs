//! Server functions of the case register. Each one authorises the caller, then calls
//! `service::cases`, which checks the case itself (object level) and the rules.
use crate::domain::case::{CaseDetail, CaseFilter, CasePage, CaseSummary, Category, TrackView};
use crate::domain::org::{AreaLevel, UnitKind};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::domain::{case::CaseCommand, case::CommandKind, org::Role};

/// A place a case can be filed under, with its full path for the picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub id: i64,
    pub path: String,
    pub level: AreaLevel,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitChoice {
    pub id: i64,
    pub name: String,
    pub kind: UnitKind,
}

/// What intake and dispatch forms choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOptions {
    pub categories: Vec<Category>,
    pub places: Vec<Place>,
    pub units: Vec<UnitChoice>,
    /// The caller's unit's area, to prefill the field form.
    pub my_area_id: Option<i64>,
    /// The caller may launch a palm command straight from a field report.
    pub can_launch: bool,
}

/// A new case's tracking code and secret, as given to the reporter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseReceipt {
    pub id: i64,
    pub code: String,
    pub secret: String,
}

#[cfg(feature = "ssr")]
async fn options_for(unit_id: Option<i64>, role: Option<Role>) -> Result<CaseOptions, AppError> {
    use crate::store::{cases, org};
    let db = crate::server_ctx::db()?;
    let areas = org::all_areas(&db).await?;
    let by_id: std::collections::HashMap<i64, &crate::domain::org::Area> = areas.iter().map(|a| (a.id, a)).collect();
    let path = |a: &crate::domain::org::Area| {
        let mut names = vec![a.name.clone()];
        let mut parent = a.parent_id;
        while let Some(p) = parent.and_then(|p| by_id.get(&p)) {
            if p.level != AreaLevel::District {
                names.push(p.name.clone());
            }
            parent = p.parent_id;
        }
        names.reverse();
        names.join(" / ")
    };
    let places = areas
        .iter()
        .filter(|a| a.active && a.level != AreaLevel::District)
        .map(|a| Place { id: a.id, path: path(a), level: a.level })
        .collect();
    let units = org::all_units(&db)
        .await?
        .into_iter()
        .filter(|u| u.active && u.kind != UnitKind::Center)
        .map(|u| UnitChoice { id: u.id, name: u.name, kind: u.kind })
        .collect();
    let my_area_id = match unit_id {
        Some(u) => org::unit_by_id(&mut *db.pool.acquire().await?, u).await?.and_then(|u| u.area_id),
        None => None,
    };
    let categories = cases::categories(&db).await?.into_iter().filter(|c| c.active).collect();
    let can_launch = role.is_some_and(|r| crate::domain::case::LAUNCH.contains(&r));
    Ok(CaseOptions { categories, places, units, my_area_id, can_launch })
}

#[server(endpoint = "cases/options")]
pub async fn fetch_case_options() -> Result<CaseOptions, AppError> {
    let user = crate::server_ctx::require(Role::ALL).await?;
    options_for(user.unit_id, Some(user.role)).await
}

/// The categories and places residents choose from on the report form.
#[server(endpoint = "public/options")]
pub async fn public_options() -> Result<CaseOptions, AppError> {
    let mut o = options_for(None, None).await?;
    o.units.clear();
    Ok(o)
}

#[cfg(feature = "ssr")]
fn intake_from(parts: &crate::ui::forms::FormParts, channel: crate::domain::case::Channel) -> Result<crate::service::cases::IntakeInput, AppError> {
    use crate::domain::case::{GeoPoint, IntakeText};
    let urgency = match parts.get("urgency") {
        "" => crate::domain::case::Urgency::Normal,
        u => u.parse()?,
    };
    Ok(crate::service::cases::IntakeInput {
        category: parts.get("category").to_string(),
        channel,
        urgency,
        text: IntakeText {
            title: parts.get("title").into(),
            description: parts.get("description").into(),
            address: parts.get("address").into(),
            reporter_name: parts.get("reporter_name").into(),
            reporter_phone: parts.get("reporter_phone").into(),
        },
        area_id: crate::ui::forms::parse_optional_id(parts.get("area_id"))?,
        location: GeoPoint::parse(parts.get("lat"), parts.get("lng"))?,
    })
}

#[cfg(feature = "ssr")]
async fn register_with(parts: crate::ui::forms::FormParts, channel: crate::domain::case::Channel, by: crate::domain::case::Actor) -> Result<CaseReceipt, AppError> {
    let input = intake_from(&parts, channel)?;
    let db = crate::server_ctx::db()?;
    let dir = crate::server_ctx::files_dir()?;
    let r = crate::service::cases::register(&db, &dir, &by, input, parts.files).await?;
    Ok(CaseReceipt { id: r.id, code: r.code, secret: r.secret })
}

/// Staff register a case: the desk picks the channel, field staff report from the scene.
#[server(input = MultipartFormData, endpoint = "cases/register")]
pub async fn register_case(data: MultipartData) -> Result<CaseReceipt, AppError> {
    use crate::domain::case::Channel;
    let user = crate::server_ctx::require(&[Role::Operator, Role::Commander, Role::Supervisor, Role::Leader, Role::UnitStaff]).await?;
    let parts = crate::ui::forms::read_form(data).await?;
    let channel = match user.role {
        Role::UnitStaff => Channel::Field,
        _ => parts.get("channel").parse()?,
    };
    if parts.get("launch") == "yes" {
        // One screen on the phone: the report becomes a case and a palm command at once.
        let input = intake_from(&parts, channel)?;
        let db = crate::server_ctx::db()?;
        let dir = crate::server_ctx::files_dir()?;
        let by = crate::server_ctx::case_actor(&user);
        let r = crate::service::command::report_and_launch(&db, &dir, &by, input, parts.files).await?;
        return Ok(CaseReceipt { id: r.id, code: r.code, secret: r.secret });
    }
    register_with(parts, channel, crate::server_ctx::case_actor(&user)).await
}

/// A resident reports a problem (no account: the receipt is their key).
#[server(input = MultipartFormData, endpoint = "public/report")]
pub async fn report_problem(data: MultipartData) -> Result<CaseReceipt, AppError> {
    use crate::domain::case::{Actor, CaseError, Channel};
    let mut parts = crate::ui::forms::read_form(data).await?;
    if parts.get("consent") != "yes" {
        return Err(CaseError::ConsentRequired.into());
    }
    // Residents do not set urgency or channel; the desk judges those.
    parts.fields.retain(|(k, _)| k != "urgency");
    let mut r = register_with(parts, Channel::Online, Actor::Resident).await;
    if let Ok(receipt) = &mut r {
        receipt.id = 0; // residents are given the code, never the internal id
    }
    r
}

#[server(endpoint = "cases/list")]
pub async fn list_cases(filter: CaseFilter, after: Option<String>) -> Result<CasePage, AppError> {
    let user = crate::server_ctx::require(Role::ALL).await?;
    let db = crate::server_ctx::db()?;
    let after = after.as_deref().and_then(crate::domain::case::Cursor::decode);
    crate::service::cases::list(&db, &crate::server_ctx::case_actor(&user), &filter, after).await
}

#[server(endpoint = "cases/detail")]
pub async fn fetch_case(id: i64) -> Result<CaseDetail, AppError> {
    let user = crate::server_ctx::require(Role::ALL).await?;
    let db = crate::server_ctx::db()?;
    crate::service::cases::detail(&db, &crate::server_ctx::case_actor(&user), id).await
}

/// Open cases of this category nearby (same village or within 200 m, last 7 days).
#[server(endpoint = "cases/duplicates")]
pub async fn find_duplicates(category: String, area_id: Option<i64>, lat: String, lng: String, except: Option<i64>) -> Result<Vec<CaseSummary>, AppError> {
    use crate::domain::case::GeoPoint;
    let user = crate::server_ctx::require(&[Role::Operator, Role::Commander, Role::Supervisor, Role::Leader]).await?;
    let _ = user;
    let db = crate::server_ctx::db()?;
    let point = GeoPoint::parse(&lat, &lng).unwrap_or(None);
    crate::service::cases::possible_duplicates(&db, &category, area_id, point, except).await
}

#[cfg(feature = "ssr")]
fn command_from(parts: &crate::ui::forms::FormParts, kind: CommandKind, my_unit: Option<i64>, merge_into: Option<i64>) -> Result<CaseCommand, AppError> {
    use crate::domain::case::{CaseError, GeoPoint};
    let unit = || my_unit.ok_or(AppError::Forbidden);
    let text = |k: &str| parts.get(k).to_string();
    let id = |raw: &str| raw.trim().parse::<i64>().map_err(|_| AppError::from(CaseError::UnknownUnit(0)));
    Ok(match kind {
        CommandKind::Triage => CaseCommand::Triage,
        CommandKind::Reject => CaseCommand::Reject { reason: text("reason") },
        CommandKind::Merge => CaseCommand::Merge { into: merge_into.ok_or(CaseError::BadMergeTarget)? },
        CommandKind::Dispatch => {
            let lead = id(parts.get("lead"))?;
            let cooperating = parts.all("cooperating").filter(|c| !c.trim().is_empty()).map(id).collect::<Result<Vec<_>, _>>()?;
            CaseCommand::Dispatch { lead, cooperating }
        }
        CommandKind::Sign => CaseCommand::Sign { unit: unit()? },
        CommandKind::Progress => {
            CaseCommand::Progress { unit: unit()?, text: text("text"), place: GeoPoint::parse(parts.get("lat"), parts.get("lng"))? }
        }
        CommandKind::RequestExtension => {
            let hours: i64 = parts.get("hours").trim().parse().map_err(|_| CaseError::BadExtension)?;
            CaseCommand::RequestExtension { unit: unit()?, ms: hours.saturating_mul(3_600_000), reason: text("reason") }
        }
        CommandKind::DecideExtension => CaseCommand::DecideExtension {
            unit: id(parts.get("unit"))?,
            approve: parts.get("approve") == "yes",
            note: Some(text("note")),
        },
        CommandKind::Return => CaseCommand::Return { unit: unit()?, reason: text("reason") },
        CommandKind::FinishPart => CaseCommand::FinishPart { unit: unit()? },
        CommandKind::Resolve => CaseCommand::Resolve { unit: unit()?, result: text("result") },
        CommandKind::Verify => CaseCommand::Verify,
        CommandKind::StartFollowUp => CaseCommand::StartFollowUp,
        CommandKind::RecordFollowUp => CaseCommand::RecordFollowUp {
            satisfied: match parts.get("satisfied") {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            },
            comment: Some(text("comment")),
        },
        CommandKind::Close => CaseCommand::Close,
        CommandKind::Reopen => CaseCommand::Reopen { reason: text("reason") },
        CommandKind::Launch => {
            let lead = id(parts.get("lead"))?;
            let cooperating = parts.all("cooperating").filter(|c| !c.trim().is_empty()).map(id).collect::<Result<Vec<_>, _>>()?;
            let commander = parts.get("commander").trim().parse().map_err(|_| CaseError::BadCommander)?;
            CaseCommand::Launch { commander, lead, cooperating }
        }
        CommandKind::Direct => {
            let to = parts.all("to").filter(|c| !c.trim().is_empty()).map(id).collect::<Result<Vec<_>, _>>()?;
            CaseCommand::Direct { to, text: text("text") }
        }
        CommandKind::HandOver => CaseCommand::HandOver { to: parts.get("to").trim().parse().map_err(|_| CaseError::BadCommander)? },
        CommandKind::CloseCommand => CaseCommand::CloseCommand { summary: text("summary") },
        CommandKind::SubTask => {
            let units = parts.all("units").filter(|c| !c.trim().is_empty()).map(id).collect::<Result<Vec<_>, _>>()?;
            CaseCommand::SubTask { unit: unit()?, units, text: text("text") }
        }
        // Only the scheduler escalates.
        CommandKind::Escalate => return Err(AppError::Forbidden),
    })
}

/// One action on a case, from the case page (with photos for progress and results).
#[server(input = MultipartFormData, endpoint = "cases/act")]
pub async fn act_on_case(data: MultipartData) -> Result<(), AppError> {
    let user = crate::server_ctx::require(Role::ALL).await?;
    let parts = crate::ui::forms::read_form(data).await?;
    let id: i64 = parts.get("id").trim().parse().map_err(|_| AppError::NotFound)?;
    let kind: CommandKind = parts.get("command").parse()?;
    let db = crate::server_ctx::db()?;
    let merge_into = match parts.get("into").trim() {
        "" => None,
        code => crate::store::cases::by_code(&db, &code.to_ascii_uppercase()).await?.map(|(id, _)| id),
    };
    let cmd = command_from(&parts, kind, user.unit_id, merge_into)?;
    let dir = crate::server_ctx::files_dir()?;
    crate::service::cases::execute(&db, &dir, &crate::server_ctx::case_actor(&user), id, cmd, parts.files).await.map(|_| ())
}

#[server(endpoint = "public/track")]
pub async fn track_case(code: String, secret: String) -> Result<TrackView, AppError> {
    let db = crate::server_ctx::db()?;
    crate::service::cases::track(&db, &code, &secret).await
}

#[server(endpoint = "public/rate")]
pub async fn rate_case(code: String, secret: String, satisfied: bool, comment: String) -> Result<(), AppError> {
    let db = crate::server_ctx::db()?;
    let dir = crate::server_ctx::files_dir()?;
    let comment = Some(comment).filter(|c| !c.trim().is_empty());
    crate::service::cases::rate(&db, &dir, &code, &secret, satisfied, comment).await
}
