//! The livelihood-project call: campaigns, residents' suggestions, support, and the
//! government's review. Rules in `domain::campaign`; every review step is appended to
//! the suggestion's hash-chained history in the same transaction as its new state.
use super::AuditActor;
use super::codes::{new_secret, secret_hash, tracking_code};
use crate::domain::Receipt;
use crate::domain::audit::AuditEvent;
use crate::domain::campaign::{
    AdoptedProject, Campaign, CampaignError, CampaignPhase, CampaignStats, ReviewCommand, SIMILAR_THRESHOLD, StatLine, SuggestionDraft, SuggestionEventRow,
    SuggestionState, SuggestionStatus, decide, similarity,
};
use crate::domain::campaign::{CampaignView, Field, MAX_NAME_CHARS, PortalCall, SuggestInput, SuggestionTrack, parse_year, split_categories};
use crate::domain::case::Actor;
use crate::domain::privacy::{Contact, ReporterView, mask_name, mask_phone};
use crate::error::AppError;
use crate::store::campaigns::{self as store, NewSuggestion, SuggestionRow};
use crate::store::hash::sha256_hex;
use crate::store::{Db, audit, now_ms};

/// One person may make this many suggestions in one call: enough for real ideas, too
/// few for flooding the list.
pub const MAX_PER_PERSON: i64 = 5;

pub async fn create_campaign(db: &Db, by: &AuditActor, c: Campaign) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    let id = store::insert_campaign(&mut tx, &c, now_ms()).await?;
    audit::append(&mut tx, by.user_id, by.ip.as_deref(), &AuditEvent::CampaignCreated { campaign_id: id, title: c.title.clone() }).await?;
    tx.commit().await?;
    Ok(id)
}

/// Who submits, for the per-person limit: the phone when given (people share devices
/// less than numbers), else the device or address the request came from.
pub fn submitter_key(phone: Option<&str>, device: &str) -> String {
    match phone {
        Some(p) => sha256_hex(format!("phone:{p}").as_bytes()),
        None => sha256_hex(format!("device:{device}").as_bytes()),
    }
}

/// A resident's suggestion, checked against the call's window, categories and limits.
/// A suggestion as the form posted it: refused before anything is read when a program
/// filled in the honeypot.
pub async fn submit_form(db: &Db, campaign_id: i64, area_id: Option<i64>, input: &SuggestInput, device: &str, now: i64) -> Result<Receipt, AppError> {
    let draft = input.draft(area_id)?;
    submit(db, campaign_id, &draft, device, now).await
}

pub async fn submit(db: &Db, campaign_id: i64, draft: &SuggestionDraft, device: &str, now: i64) -> Result<Receipt, AppError> {
    let text = draft.check()?;
    let key = submitter_key(text.phone.as_deref(), device);
    let code = format!("J{}", tracking_code(now));
    let secret = new_secret();
    let mut tx = db.begin_write().await?;
    let campaign = store::campaign(&mut tx, campaign_id).await?.ok_or(AppError::NotFound)?;
    campaign.accepts(now)?;
    campaign.check_category(&text.category)?;
    if let Some(a) = text.area_id
        && !crate::store::org::area_by_id(&mut tx, a).await?.is_some_and(|a| a.active)
    {
        return Err(CampaignError::UnknownArea.into());
    }
    if store::count_by_submitter(&mut tx, campaign_id, &key).await? >= MAX_PER_PERSON {
        return Err(CampaignError::PersonLimit(MAX_PER_PERSON as usize).into());
    }
    let row = NewSuggestion { campaign_id, code: &code, secret_hash: &secret_hash(&code, &secret), text: &text, submitter_key: &key, at: now };
    let id = store::insert_suggestion(&mut tx, &row, None).await?;
    tx.commit().await?;
    Ok(Receipt { id, code, secret })
}

/// Suggestions already made in this call that resemble `name`, best first (at most 5).
pub async fn similar(db: &Db, campaign_id: i64, name: &str) -> Result<Vec<SuggestionRow>, AppError> {
    let typed = name.trim().chars().count();
    if typed > MAX_NAME_CHARS {
        return Err(CampaignError::TooLong { field: Field::Name, max: MAX_NAME_CHARS }.into());
    }
    if typed < 2 {
        return Ok(vec![]);
    }
    let rows = store::suggestions(&mut *db.read().await?, campaign_id, &public_statuses(), None, None).await?;
    // Comparing with a whole call's names is CPU work: done off the async workers, which
    // keep serving pages meanwhile.
    let name = name.to_string();
    let scored = tokio::task::spawn_blocking(move || {
        let mut scored: Vec<(f64, SuggestionRow)> =
            rows.into_iter().map(|r| (similarity(&name, &r.name), r)).filter(|(s, _)| *s >= SIMILAR_THRESHOLD).collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored
    })
    .await
    .map_err(|_| AppError::Internal)?;
    Ok(scored.into_iter().take(5).map(|(_, r)| masked(r)).collect())
}

fn public_statuses() -> Vec<SuggestionStatus> {
    SuggestionStatus::ALL.iter().copied().filter(|s| s.is_public()).collect()
}

/// Personal data is never shown to the public: the name masked, the phone removed.
fn masked(mut r: SuggestionRow) -> SuggestionRow {
    r.person = r.person.as_deref().map(mask_name);
    r.phone = None;
    r
}

pub async fn public_list(db: &Db, campaign_id: i64, category: Option<&str>, area_id: Option<i64>) -> Result<Vec<SuggestionRow>, AppError> {
    let rows = store::suggestions(&mut *db.read().await?, campaign_id, &public_statuses(), category, area_id).await?;
    Ok(rows.into_iter().map(masked).collect())
}

/// Support for a suggestion, once per supporter; returns whether it counted.
pub async fn support(db: &Db, id: i64, supporter: &str) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    let s = store::load(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if !s.state.status.is_public() {
        return Err(AppError::NotFound);
    }
    let counted = store::support(&mut tx, id, &sha256_hex(format!("support:{supporter}").as_bytes()), now_ms()).await?;
    tx.commit().await?;
    Ok(counted)
}

/// One review step by staff: the desk and its leaders take every step; the staff of the
/// department a suggestion is assigned to give its answer, and see nothing else.
pub async fn review(db: &Db, by: &Actor, id: i64, cmd: &ReviewCommand) -> Result<SuggestionState, AppError> {
    use crate::domain::org::Role;
    let desk = by.has_role(&[Role::Operator, Role::Leader, Role::Commander, Role::Supervisor]);
    let unit_staff = by.has_role(&[Role::UnitStaff]);
    if !desk && !unit_staff {
        return Err(AppError::Forbidden);
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let s = store::load(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if !desk {
        // Object level: another unit's suggestion does not exist for them.
        if s.state.unit.is_none() || s.state.unit != by.unit_id() {
            return Err(AppError::NotFound);
        }
        if !matches!(cmd, ReviewCommand::Answer(_)) {
            return Err(AppError::Forbidden);
        }
    }
    // Only a body that budgets and builds projects, in service, is asked for an answer.
    if let ReviewCommand::Assign { unit } = cmd
        && !crate::store::org::unit_by_id(&mut tx, *unit).await?.is_some_and(|u| u.active && u.kind.answers_suggestions())
    {
        return Err(AppError::NotFound);
    }
    if let ReviewCommand::Merge { into } = cmd {
        let target = store::load(&mut tx, *into).await?.ok_or(AppError::NotFound)?;
        if target.campaign_id != s.campaign_id || !target.state.status.is_public() {
            return Err(AppError::NotFound);
        }
    }
    let event = decide(&s.state, cmd)?;
    let mut state = s.state.clone();
    state.apply(&event);
    let actor_id = match by {
        Actor::Staff { user_id, .. } => Some(*user_id),
        _ => None,
    };
    store::append(&mut tx, id, &state, s.last_seq, s.last_hash, actor_id, now, &event).await?;
    tx.commit().await?;
    Ok(state)
}

/// A submitter following their suggestion: its row (their own, unmasked) and state.
pub async fn receipt_status(db: &Db, code: &str, secret: &str) -> Result<(SuggestionRow, SuggestionState), AppError> {
    let code = code.trim().to_ascii_uppercase();
    let (id, hash) = store::by_code(&mut *db.read().await?, &code).await?.ok_or(CampaignError::BadReceipt)?;
    if hash != secret_hash(&code, secret) {
        return Err(CampaignError::BadReceipt.into());
    }
    let row = store::row(&mut *db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    let s = store::load(&mut *db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    Ok((row, s.state))
}

/// An admin's edit of a campaign's title, rules, window or categories.
pub async fn update_campaign(db: &Db, by: &AuditActor, c: Campaign) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    if !store::update_campaign(&mut tx, &c).await? {
        return Err(AppError::NotFound);
    }
    audit::append(&mut tx, by.user_id, by.ip.as_deref(), &AuditEvent::CampaignUpdated { campaign_id: c.id, title: c.title.clone() }).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn campaign(db: &Db, id: i64) -> Result<Campaign, AppError> {
    store::campaign(&mut *db.read().await?, id).await?.ok_or(AppError::NotFound)
}

/// The call the portal shows: the open one (the latest to open), else the next to open,
/// else the one that closed last.
pub async fn current(db: &Db, now: i64) -> Result<Option<Campaign>, AppError> {
    let all = store::campaigns(&mut *db.read().await?).await?;
    let pick = |phase: CampaignPhase| all.iter().find(|c| c.phase(now) == phase).cloned();
    let upcoming = all.iter().filter(|c| c.phase(now) == CampaignPhase::Upcoming).min_by_key(|c| c.opens_ms).cloned();
    let closed = all.iter().filter(|c| c.phase(now) == CampaignPhase::Closed).max_by_key(|c| c.closes_ms).cloned();
    Ok(pick(CampaignPhase::Open).or(upcoming).or(closed))
}

/// How many adopted projects the portal's home lists before "see all".
pub const PORTAL_ADOPTED: usize = 3;

/// The call on the portal's home: the one `current` picks, with its count of public
/// suggestions and, once it has closed, what it adopted.
pub async fn portal_call(db: &Db, now: i64) -> Result<Option<PortalCall>, AppError> {
    let Some(c) = current(db, now).await? else { return Ok(None) };
    // The total alone: one grouped query, not the by-area statistics the desk needs.
    let mut total = StatLine::default();
    for (_, status, n) in store::counts_by_category(&mut *db.read().await?, c.id).await? {
        total.add(status, n);
    }
    let adopted = if c.phase(now) == CampaignPhase::Closed { adopted(db, c.id).await? } else { vec![] };
    Ok(Some(PortalCall {
        received: total.total - total.removed,
        adopted_total: adopted.len(),
        adopted: adopted.into_iter().take(PORTAL_ADOPTED).collect(),
        call: CampaignView::new(c, now),
    }))
}

pub async fn campaigns(db: &Db) -> Result<Vec<Campaign>, AppError> {
    Ok(store::campaigns(&mut *db.read().await?).await?)
}

/// The published (and completed) projects of a call with their progress, for the public.
pub async fn adopted(db: &Db, campaign_id: i64) -> Result<Vec<AdoptedProject>, AppError> {
    let rows = store::suggestions(&mut *db.read().await?, campaign_id, &[SuggestionStatus::Published, SuggestionStatus::Completed], None, None).await?;
    let states = store::states(&mut *db.read().await?, campaign_id).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let s = states.iter().find(|s| s.id == r.id);
            let answer = s.and_then(|s| s.answer.clone());
            AdoptedProject {
                progress: s.map_or(0, |s| s.progress),
                cost_yuan: answer.as_ref().and_then(|a| a.cost_yuan),
                period: answer.and_then(|a| a.period),
                row: masked(r),
            }
        })
        .collect())
}

/// Staff view of a campaign's suggestions, by status, category and area; the authors'
/// contacts masked (in full only in the audited export and the audited "show").
pub async fn staff_list(
    db: &Db,
    campaign_id: i64,
    statuses: &[SuggestionStatus],
    category: Option<&str>,
    area_id: Option<i64>,
) -> Result<Vec<SuggestionRow>, AppError> {
    let rows = store::suggestions(&mut *db.read().await?, campaign_id, statuses, category, area_id).await?;
    Ok(rows.into_iter().map(contact_masked).collect())
}

/// Every suggestion of a call with its author's contact in full, for the Excel export;
/// the export is written to the audit trail (with how many rows) before it is returned.
pub async fn export_list(db: &Db, who: &AuditActor, campaign_id: i64) -> Result<Vec<SuggestionRow>, AppError> {
    let rows = store::suggestions(&mut *db.read().await?, campaign_id, &[], None, None).await?;
    super::privacy::record_export(db, who, AuditEvent::CampaignExported { campaign_id, suggestions: rows.len() }).await?;
    Ok(rows)
}

fn contact_masked(mut r: SuggestionRow) -> SuggestionRow {
    r.person = r.person.as_deref().map(mask_name);
    r.phone = r.phone.as_deref().map(mask_phone);
    r
}

/// One suggestion for staff: its row (contact masked), campaign, review state, history,
/// and what may be shown of its author.
pub async fn staff_detail(db: &Db, id: i64) -> Result<(SuggestionRow, i64, SuggestionState, Vec<SuggestionEventRow>, ReporterView), AppError> {
    let row = store::row(&mut *db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    let s = store::state(&mut *db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    let erased = crate::store::privacy::suggestion_contact_erased(&mut *db.read().await?, id).await?;
    let contact = ReporterView::of(Contact::given(row.person.clone(), row.phone.clone()), erased);
    Ok((contact_masked(row), s.campaign_id, s.state, store::events(&mut *db.read().await?, id).await?, contact))
}

/// Suggestions waiting for `unit`'s answer (assigned to it, or being evaluated by it),
/// oldest first. A department sees what was suggested, not who suggested it in full.
pub async fn awaiting_answer(db: &Db, unit: i64) -> Result<Vec<(SuggestionRow, SuggestionState, String)>, AppError> {
    let mut out = Vec::new();
    for (row, state, campaign_title) in store::awaiting_answer(&mut *db.read().await?).await? {
        if state.unit == Some(unit) {
            out.push((masked(row), state, campaign_title));
        }
    }
    Ok(out)
}

/// Every suggestion's review state in a call (for the export).
pub async fn states(db: &Db, campaign_id: i64) -> Result<Vec<SuggestionState>, AppError> {
    Ok(store::states(&mut *db.read().await?, campaign_id).await?)
}

/// The code of a suggestion, for "merged into …" lines.
pub async fn code_of(db: &Db, id: i64) -> Result<Option<String>, AppError> {
    Ok(store::row(&mut *db.read().await?, id).await?.map(|r| r.code))
}

/// A resident following their suggestion by its code and secret.
pub async fn track(db: &Db, code: &str, secret: &str) -> Result<SuggestionTrack, AppError> {
    let (row, state) = receipt_status(db, code, secret).await?;
    let history = public_history(db, row.id).await?;
    let campaign_id = store::state(&mut *db.read().await?, row.id).await?.ok_or(AppError::NotFound)?.campaign_id;
    let campaign_title = campaign(db, campaign_id).await?.title;
    let unit_name = match state.unit {
        Some(u) => super::org::unit(db, u).await?.map(|u| u.name),
        None => None,
    };
    let merged_into_code = match state.merged_into {
        Some(m) => code_of(db, m).await?,
        None => None,
    };
    Ok(SuggestionTrack { row, state, history, campaign_title, unit_name, merged_into_code })
}

/// Creates (`id` 0) or edits a campaign from the admin's form: the year as typed, the
/// categories one per line (or separated by 、 , ，).
#[allow(clippy::too_many_arguments)]
pub async fn save_campaign(
    db: &Db,
    by: &AuditActor,
    id: i64,
    year: &str,
    title: &str,
    rules: &str,
    opens: &str,
    closes: &str,
    categories: &str,
) -> Result<i64, AppError> {
    let c = Campaign::checked(id, parse_year(year)?, title, rules, opens, closes, split_categories(categories))?;
    if id == 0 { create_campaign(db, by, c).await } else { update_campaign(db, by, c).await.map(|_| id) }
}

/// A suggestion's history as its submitter may see it (no staff names).
pub async fn public_history(db: &Db, id: i64) -> Result<Vec<SuggestionEventRow>, AppError> {
    let mut events = store::events(&mut *db.read().await?, id).await?;
    events.iter_mut().for_each(|e| e.actor = None);
    Ok(events)
}

pub async fn stats(db: &Db, campaign_id: i64) -> Result<CampaignStats, AppError> {
    let by_category = CampaignStats::lines(store::counts_by_category(&mut *db.read().await?, campaign_id).await?);
    let by_area =
        CampaignStats::lines(store::counts_by_area(&mut *db.read().await?, campaign_id).await?.into_iter().map(|(a, s, n)| (a.unwrap_or_default(), s, n)));
    let mut total = StatLine::default();
    for l in &by_category {
        total.total += l.total;
        total.waiting += l.waiting;
        total.accepted += l.accepted;
        total.rejected += l.rejected;
        total.adopted += l.adopted;
        total.removed += l.removed;
    }
    Ok(CampaignStats { by_category, by_area, total })
}

/// Publishes every adopted suggestion of a call (the adopted list goes public at once);
/// returns how many were published.
pub async fn publish_adopted(db: &Db, by: &Actor, campaign_id: i64) -> Result<usize, AppError> {
    let rows = store::suggestions(&mut *db.read().await?, campaign_id, &[SuggestionStatus::Adopted], None, None).await?;
    for r in &rows {
        review(db, by, r.id, &ReviewCommand::Publish).await?;
    }
    Ok(rows.len())
}
