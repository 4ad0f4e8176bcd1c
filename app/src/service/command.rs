//! Palm command reads: a unit's inbox on the phone, and the routing hint for forming a
//! task force. The commands themselves go through `cases::execute` like any other.
use crate::domain::access::MAY_COMMAND;
use crate::domain::case::{Actor, CaseFilter, CaseId, Change, Inbox, InboxItem, RoutingHint};
use crate::domain::org::AreaLevel;
use crate::error::AppError;
use crate::store::cases::{self as store, Scope};
use crate::store::{Db, now_ms, org as store_org, users as store_users};

/// At most this many open cases on a phone's inbox; more belong in the register's list.
const INBOX_SIZE: usize = 50;

/// The open cases in the caller's unit's hands, each with the unit's own part, most urgent first.
pub async fn inbox(db: &Db, by: &Actor) -> Result<Inbox, AppError> {
    let Scope::Unit(unit) = super::visibility::scope_of(by)? else { return Err(AppError::Forbidden) };
    let now = now_ms();
    let page = store::list(&mut *db.read().await?, &CaseFilter::default(), Scope::Unit(unit), None, 200, now).await?;
    // Three reads whatever the number of cases: the list, their states, their directives.
    let rows: Vec<_> = page.rows.into_iter().filter(|c| c.status.is_with_units()).collect();
    let ids: Vec<CaseId> = rows.iter().map(|c| c.id).collect();
    let mut states = store::load_many(&mut *db.read().await?, &ids).await?;
    let mut items = Vec::new();
    for summary in rows {
        let Some(s) = states.remove(&summary.id) else { continue };
        let Some(part) = InboxItem::open_part(&s.case, unit).cloned() else { continue };
        let command = s.case.open_task_force().is_some();
        let supervision = s.case.supervision.stage_for_units();
        let supervision_words = supervision.and(s.case.supervision.last_words.clone());
        items.push(InboxItem { summary, part, command, last_directive: None, supervision, supervision_words });
        if items.len() == INBOX_SIZE {
            break;
        }
    }
    let commands: Vec<CaseId> = items.iter().filter(|i| i.command).map(|i| i.summary.id).collect();
    for (id, e) in store::events_of_kind(&mut *db.read().await?, &commands, "directed").await? {
        if let Change::Directed { to, text } = e.change
            && (to.is_empty() || to.contains(&unit))
            && let Some(item) = items.iter_mut().find(|i| i.summary.id == id)
        {
            // Oldest first: the last one kept is the newest.
            item.last_directive = Some(text);
        }
    }
    items.sort_by_key(InboxItem::urgency_key);
    Ok(Inbox { now_ms: now, items })
}

/// Who may command, and the units the rules suggest for this case: the place's township
/// government leads with its village committee and grid team; the category's department
/// cooperates (or leads, when the place is unknown).
pub async fn routing_hint(db: &Db, by: &Actor, id: CaseId) -> Result<RoutingHint, AppError> {
    super::visibility::check_visible(db, by, id).await?;
    let summary = store::summary(&mut *db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    let staff = store_users::all_staff(&mut *db.read().await?).await?;
    let commanders: Vec<(i64, String)> = staff.iter().filter(|s| s.active && MAY_COMMAND.contains(&s.role)).map(|s| (s.id, s.display_name.clone())).collect();
    let me = match by {
        Actor::Staff { user_id, role, .. } if MAY_COMMAND.contains(role) => Some(*user_id),
        _ => None,
    };
    let units = store_org::all_units(&mut *db.read().await?).await?;
    let mut conn = db.read().await?;
    // The place and the areas above it, up to the township.
    let mut places = Vec::new();
    let mut at = summary.area_id;
    while let Some(a) = at {
        let Some(area) = store_org::area_by_id(&mut conn, a).await? else { break };
        if area.level == AreaLevel::District {
            break;
        }
        at = area.parent_id;
        places.push(area.id);
    }
    let category = store::category(&mut conn, &summary.category).await?;
    drop(conn);
    let (lead, cooperating) = crate::domain::routing::rule_units(&units, &places, category.and_then(|c| c.department_id));
    Ok(RoutingHint { commanders, me, lead, cooperating })
}

/// The active units whose areas lie below the caller's unit's area (its villages and grids).
pub async fn units_below(db: &Db, by: &Actor) -> Result<Vec<(i64, String)>, AppError> {
    let Some(unit) = by.unit_id() else { return Ok(Vec::new()) };
    let mut conn = db.read().await?;
    let Some(home) = store_org::unit_by_id(&mut conn, unit).await?.and_then(|u| u.area_id) else { return Ok(Vec::new()) };
    let areas = store_org::all_areas(&mut conn).await?;
    let parent_of = |id: i64| areas.iter().find(|a| a.id == id).and_then(|a| a.parent_id);
    let below = |mut a: i64| {
        while let Some(p) = parent_of(a) {
            if p == home {
                return true;
            }
            a = p;
        }
        false
    };
    Ok(store_org::all_units(&mut conn).await?.into_iter().filter(|u| u.active && u.area_id.is_some_and(below)).map(|u| (u.id, u.name)).collect())
}

/// A field report that is at once a palm command (the worked example of the brief: a
/// township cadre puts the villagers' report into the palm command): the reporter commands,
/// the units the rules suggest for the place and category are the task force. Refused
/// before anything is stored when the reporter may not launch or no unit can be suggested.
pub async fn report_and_launch(
    db: &Db,
    fx: &super::Effects,
    by: &Actor,
    input: super::cases::IntakeInput,
    uploads: Vec<super::attachments::Upload>,
) -> Result<crate::domain::Receipt, AppError> {
    use crate::domain::access::LAUNCH;
    use crate::domain::case::{CaseError, CommandKind};
    if !by.has_role(LAUNCH) {
        return Err(CaseError::NotAllowed(CommandKind::Launch).into());
    }
    if input.area_id.is_none() {
        return Err(CaseError::BadArea.into());
    }
    let receipt = super::cases::register(db, fx, by, input, uploads).await?;
    launch_suggested(db, fx, by, receipt.id).await?;
    Ok(receipt)
}

/// Launches a palm command on case `id` with `by` as commander and the units the rules
/// suggest for its place and category (a risk warning handled at once).
pub async fn launch_suggested(db: &Db, fx: &super::Effects, by: &Actor, id: CaseId) -> Result<(), AppError> {
    use crate::domain::access::LAUNCH;
    use crate::domain::case::{CaseCommand, CaseError, CommandKind};
    let Actor::Staff { user_id, .. } = by else { return Err(AppError::Forbidden) };
    if !by.has_role(LAUNCH) {
        return Err(CaseError::NotAllowed(CommandKind::Launch).into());
    }
    let hint = routing_hint(db, by, id).await?;
    let Some(lead) = hint.lead else { return Err(CaseError::NoUnits.into()) };
    let cmd = CaseCommand::Launch { commander: *user_id, lead, cooperating: hint.cooperating };
    super::cases::execute(db, fx, by, id, cmd, vec![]).await?;
    Ok(())
}
