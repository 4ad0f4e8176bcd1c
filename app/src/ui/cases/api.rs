//! Server functions of the case register. Each one authorises the caller, then calls
//! `service::cases`, which checks the case itself (object level) and the rules.
use crate::domain::Receipt;
use crate::domain::case::{CallerHistory, CaseDetail, CaseFilter, CaseOptions, CasePage, CaseSummary, TrackView};
use crate::domain::privacy::Contact;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use crate::domain::{access, case::CaseCommand, case::CommandKind, org::Role};

#[cfg(feature = "ssr")]
async fn options_for(unit_id: Option<i64>, role: Option<Role>) -> Result<CaseOptions, AppError> {
    crate::service::cases::options(&crate::server_ctx::db()?, unit_id, role).await
}

#[server(endpoint = "cases/options")]
pub async fn fetch_case_options() -> Result<CaseOptions, AppError> {
    let user = crate::server_ctx::require(Role::ALL).await?;
    options_for(user.unit_id, Some(user.role)).await
}

/// The categories and places residents choose from on the report form.
#[server(endpoint = "public/options")]
pub async fn public_options() -> Result<CaseOptions, AppError> {
    options_for(None, None).await
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
async fn register_with(parts: crate::ui::forms::FormParts, channel: crate::domain::case::Channel, by: crate::domain::case::Actor) -> Result<Receipt, AppError> {
    let input = intake_from(&parts, channel)?;
    let db = crate::server_ctx::db()?;
    let fx = crate::server_ctx::effects()?;
    let r = crate::service::cases::register(&db, &fx, &by, input, parts.files).await?;
    Ok(r)
}

/// Staff register a case: the desk picks the channel, field staff report from the scene.
#[server(input = MultipartFormData, endpoint = "cases/register")]
pub async fn register_case(data: MultipartData) -> Result<Receipt, AppError> {
    use crate::domain::case::Channel;
    let user = crate::server_ctx::require(access::REGISTER_CASES).await?;
    let parts = crate::ui::forms::read_form(data).await?;
    let channel = match user.role {
        Role::UnitStaff => Channel::Field,
        _ => parts.get("channel").parse()?,
    };
    if parts.get("launch") == "yes" {
        // One screen on the phone: the report becomes a case and a palm command at once.
        let input = intake_from(&parts, channel)?;
        let db = crate::server_ctx::db()?;
        let fx = crate::server_ctx::effects()?;
        let by = crate::server_ctx::case_actor(&user);
        let r = crate::service::command::report_and_launch(&db, &fx, &by, input, parts.files).await?;
        return Ok(r);
    }
    register_with(parts, channel, crate::server_ctx::case_actor(&user)).await
}

/// A resident reports a problem (no account: the receipt is their key).
#[server(input = MultipartFormData, endpoint = "public/report")]
pub async fn report_problem(data: MultipartData) -> Result<Receipt, AppError> {
    report_from(crate::ui::forms::read_form(data).await?).await
}

/// A resident's report, from the hydrated form's request or a plain POST to `/report`.
#[cfg(feature = "ssr")]
pub async fn report_from(mut parts: crate::ui::forms::FormParts) -> Result<Receipt, AppError> {
    use crate::domain::case::Channel;
    // Residents do not set urgency or channel; the desk judges those.
    parts.fields.retain(|(k, _)| k != "urgency");
    // Limits first: nothing is read, stored or written for a refused burst.
    let address = crate::server_ctx::client_ip().await.unwrap_or_default();
    let limiter = crate::server_ctx::limiter()?;
    let phone = crate::domain::case::clean_reporter_phone(parts.get("reporter_phone")).ok().flatten();
    limiter.check(&format!("report:{address}"), phone.as_deref()).map_err(AppError::TooManyRequests)?;
    let bytes: usize = parts.files.iter().map(|f| f.bytes.len()).sum();
    limiter.spend_storage(&address, bytes as u64).map_err(AppError::TooManyRequests)?;
    let input = intake_from(&parts, Channel::Online)?;
    let consent = parts.get("consent") == "yes";
    let honeypot = parts.get("website").to_string();
    let (db, fx) = (crate::server_ctx::db()?, crate::server_ctx::effects()?);
    crate::service::cases::report(&db, &fx, input, parts.files, consent, &honeypot).await
}

#[server(endpoint = "cases/list")]
pub async fn list_cases(filter: CaseFilter, after: Option<String>) -> Result<CasePage, AppError> {
    let user = crate::server_ctx::require(Role::ALL).await?;
    let db = crate::server_ctx::db()?;
    let after = after.as_deref().and_then(crate::domain::case::Cursor::decode);
    crate::service::cases::list(&db, &crate::server_ctx::case_actor(&user), &filter, after).await
}

/// How many cases the list's filter finds, on every page of it.
#[server(endpoint = "cases/count")]
pub async fn count_cases(filter: CaseFilter) -> Result<i64, AppError> {
    let user = crate::server_ctx::require(Role::ALL).await?;
    let db = crate::server_ctx::db()?;
    crate::service::cases::count(&db, &crate::server_ctx::case_actor(&user), &filter).await
}

#[server(endpoint = "cases/detail")]
pub async fn fetch_case(id: i64) -> Result<CaseDetail, AppError> {
    let user = crate::server_ctx::require(Role::ALL).await?;
    let db = crate::server_ctx::db()?;
    crate::service::cases::detail(&db, &crate::server_ctx::case_actor(&user), id).await
}

/// The reporter's full name and phone, for staff who may see the case: on the audit trail.
#[server(endpoint = "cases/contact")]
pub async fn reveal_case_contact(id: i64) -> Result<Contact, AppError> {
    let user = crate::server_ctx::require(Role::ALL).await?;
    let who = crate::server_ctx::actor(&user).await;
    crate::service::privacy::case_contact(&crate::server_ctx::db()?, &crate::server_ctx::case_actor(&user), &who, id).await
}

/// The place pickers' map: the district's outline and its townships' seats (public facts).
#[server(endpoint = "public/place_map")]
pub async fn place_map() -> Result<crate::domain::geo::PickMap, AppError> {
    crate::service::screen::pick_map(&crate::server_ctx::db()?).await
}

/// The township a point picked on the map lies in (residents pick too, on `/report`).
#[server(endpoint = "public/place_at")]
pub async fn place_at(lat: String, lng: String) -> Result<crate::domain::org::Place, AppError> {
    use crate::domain::case::{CaseError, GeoPoint};
    let point = GeoPoint::parse(&lat, &lng)?.ok_or(CaseError::BadLocation)?;
    crate::service::screen::place_at(&crate::server_ctx::db()?, point).await
}

/// The caller's earlier cases for the intake desk, by the phone being typed (names masked).
#[server(endpoint = "cases/caller")]
pub async fn lookup_caller(phone: String) -> Result<CallerHistory, AppError> {
    crate::server_ctx::require(access::CENTER_STAFF).await?;
    crate::service::cases::caller_history(&crate::server_ctx::db()?, &phone).await
}

/// Open cases of this category nearby (same village or within 200 m, last 7 days).
#[server(endpoint = "cases/duplicates")]
pub async fn find_duplicates(category: String, area_id: Option<i64>, lat: String, lng: String, except: Option<i64>) -> Result<Vec<CaseSummary>, AppError> {
    use crate::domain::case::GeoPoint;
    crate::server_ctx::require(access::CENTER_STAFF).await?;
    let db = crate::server_ctx::db()?;
    let point = GeoPoint::parse(&lat, &lng).unwrap_or(None);
    crate::service::cases::possible_duplicates(&db, &category, area_id, point, except).await
}

#[cfg(feature = "ssr")]
fn command_from(
    parts: &crate::ui::forms::FormParts,
    kind: CommandKind,
    my_unit: Option<i64>,
    merge_into: Option<i64>,
    refile: Option<crate::domain::case::Category>,
) -> Result<CaseCommand, AppError> {
    use crate::domain::case::{CaseError, GeoPoint};
    let unit = || my_unit.ok_or(AppError::Forbidden);
    let text = |k: &str| parts.get(k).to_string();
    let id = |raw: &str| raw.trim().parse::<i64>().map_err(|_| AppError::from(CaseError::UnknownUnit(0)));
    // A date-time field (`2026-12-05T18:00`, the center's local time) as an instant.
    let instant = |raw: &str| crate::domain::clock::parse_local_minute(raw).ok_or(AppError::from(CaseError::BadSupervisionDate));
    Ok(match kind {
        CommandKind::Triage => CaseCommand::Triage,
        CommandKind::Reject => CaseCommand::Reject { reason: text("reason") },
        CommandKind::Merge => CaseCommand::Merge { into: merge_into.ok_or(CaseError::BadMergeTarget)? },
        CommandKind::Recategorise => CaseCommand::Recategorise { to: Box::new(refile.ok_or(CaseError::UnknownCode(String::new()))?), reason: text("reason") },
        CommandKind::Dispatch => {
            let lead = id(parts.get("lead"))?;
            let cooperating = parts.all("cooperating").filter(|c| !c.trim().is_empty()).map(id).collect::<Result<Vec<_>, _>>()?;
            CaseCommand::Dispatch { lead, cooperating }
        }
        CommandKind::Sign => CaseCommand::Sign { unit: unit()? },
        CommandKind::Progress => CaseCommand::Progress { unit: unit()?, text: text("text"), place: GeoPoint::parse(parts.get("lat"), parts.get("lng"))? },
        CommandKind::RequestExtension => {
            let hours: i64 = parts.get("hours").trim().parse().map_err(|_| CaseError::BadExtension)?;
            CaseCommand::RequestExtension { unit: unit()?, ms: hours.saturating_mul(3_600_000), reason: text("reason") }
        }
        CommandKind::DecideExtension => {
            CaseCommand::DecideExtension { unit: id(parts.get("unit"))?, approve: parts.get("approve") == "yes", note: Some(text("note")) }
        }
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
        CommandKind::Remind => CaseCommand::Remind { text: text("text") },
        CommandKind::Track => CaseCommand::Track { feedback_due_ms: instant(parts.get("due"))?, text: text("text") },
        CommandKind::List => CaseCommand::List { deadline_ms: instant(parts.get("deadline"))?, leader: text("leader"), reason: text("reason") },
        CommandKind::TickOff => CaseCommand::TickOff { note: text("note") },
        // Only the scheduler escalates and watches the time.
        CommandKind::Escalate | CommandKind::EscalateFurther | CommandKind::Watch => return Err(AppError::Forbidden),
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
        code => crate::service::cases::id_of_code(&db, code).await?,
    };
    // The category as the register holds it: its terms are the register's, not the form's.
    let refile = match kind {
        CommandKind::Recategorise => Some(crate::service::categories::get(&db, parts.get("category")).await?),
        _ => None,
    };
    let cmd = command_from(&parts, kind, user.unit_id, merge_into, refile)?;
    let fx = crate::server_ctx::effects()?;
    let by = crate::server_ctx::case_actor(&user);
    // Forms name each submission (`key`): a phone's retry after a lost answer files nothing new.
    match parts.get("key").trim() {
        "" => crate::service::cases::execute(&db, &fx, &by, id, cmd, parts.files).await.map(|_| ()),
        key => {
            let key = crate::domain::case::CommandKey::parse(key)?;
            crate::service::cases::execute_once(&db, &fx, &by, id, cmd, parts.files, &key).await.map(|_| ())
        }
    }
}

#[server(endpoint = "public/track")]
pub async fn track_case(code: String, secret: String) -> Result<TrackView, AppError> {
    // Codes and secrets are guessed one request at a time: look-ups are limited per address.
    let address = crate::server_ctx::client_ip().await.unwrap_or_default();
    crate::server_ctx::limiter()?.check_lookup(&address).map_err(AppError::TooManyRequests)?;
    let db = crate::server_ctx::db()?;
    crate::service::cases::track(&db, &code, &secret).await
}

#[server(endpoint = "public/rate")]
pub async fn rate_case(code: String, secret: String, satisfied: bool, comment: String) -> Result<(), AppError> {
    let address = crate::server_ctx::client_ip().await.unwrap_or_default();
    crate::server_ctx::limiter()?.check(&format!("rate:{address}"), None).map_err(AppError::TooManyRequests)?;
    let db = crate::server_ctx::db()?;
    let fx = crate::server_ctx::effects()?;
    let comment = Some(comment).filter(|c| !c.trim().is_empty());
    crate::service::cases::rate(&db, &fx, &code, &secret, satisfied, comment).await
}
