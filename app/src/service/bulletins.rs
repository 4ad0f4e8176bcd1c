//! Bulletins (通报): the supervision office drafts one for a week or a month from the
//! records, reads it, writes its comment, makes its figures again while it is a draft, and
//! publishes it to every unit. The rules are `domain::bulletin`'s.
use super::{AuditActor, Effects};
use crate::domain::access::{CENTER_ROLES, SUPERVISE};
use crate::domain::audit::AuditEvent;
use crate::domain::bulletin::{self, Bulletin, BulletinView, BulletinsPage, Figures, UnitLine};
use crate::domain::case::{Actor, UnitId};
use crate::domain::notice::{Notice, kind};
use crate::domain::org::Role;
use crate::domain::period::{Period, PeriodKind};
use crate::error::AppError;
use crate::store::{Db, audit, bulletins as store, cases as store_cases, notices, now_ms, org as store_org, screen};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// The bulletins a page lists: a year of weeks and months.
pub const LIST_LIMIT: i64 = 80;

fn may_draft(by: &Actor) -> bool {
    by.has_role(SUPERVISE)
}

fn must_draft(by: &Actor) -> Result<i64, AppError> {
    match by {
        Actor::Staff { user_id, .. } if may_draft(by) => Ok(*user_id),
        _ => Err(AppError::Forbidden),
    }
}

/// The center reads every bulletin, drafts too; a unit's staff read the published ones.
fn reads_drafts(by: &Actor) -> Result<bool, AppError> {
    match by {
        _ if by.has_role(CENTER_ROLES) => Ok(true),
        Actor::Staff { role: Role::UnitStaff, unit_id: Some(_), .. } => Ok(false),
        _ => Err(AppError::Forbidden),
    }
}

/// The figures of `period` as the records give them at `now` (the period's end if it is over).
async fn figures(conn: &mut AnyConnection, period: Period, now: i64) -> Result<Figures, AppError> {
    let until = period.end_ms.min(now);
    let (from_day, to_day) = period.days();
    let received = screen::received_between(conn, from_day, to_day).await?;
    let overdue = store::overdue_by_lead(conn, period.start_ms, until).await?;
    let returned = store::returned_by_unit(conn, from_day, to_day).await?;
    let listed = store::listed_by_unit(conn, period).await?;
    let listed_cases = store::listed_cases(conn, period, until).await?;
    let names = store_cases::unit_names(conn).await?;
    let mut lines: BTreeMap<UnitId, UnitLine> = BTreeMap::new();
    let mut add = |rows: Vec<(UnitId, i64)>, set: fn(&mut UnitLine, i64)| {
        for (u, n) in rows {
            let l =
                lines.entry(u).or_insert_with(|| UnitLine { unit_id: u, unit: names.get(&u).cloned().unwrap_or_default(), overdue: 0, returned: 0, listed: 0 });
            set(l, n);
        }
    };
    add(overdue, |l, n| l.overdue = n);
    add(returned, |l, n| l.returned = n);
    add(listed, |l, n| l.listed = n);
    let mut f = Figures::assemble(now, received, lines.into_values().collect(), listed_cases);
    f.emergencies = super::emergency::unit_record(conn, period.start_ms, until).await?;
    Ok(f)
}

pub async fn page(db: &Db, by: &Actor) -> Result<BulletinsPage, AppError> {
    let drafts = reads_drafts(by)?;
    let rows = store::list(&mut *db.read().await?, !drafts, LIST_LIMIT).await?;
    let may_draft = may_draft(by);
    let now = now_ms();
    let offered =
        if may_draft { bulletin::KINDS.iter().flat_map(|k| Period::recent(*k, now, if *k == PeriodKind::Week { 8 } else { 6 })).collect() } else { vec![] };
    Ok(BulletinsPage { rows, offered, may_draft })
}

pub async fn get(db: &Db, by: &Actor, id: i64) -> Result<BulletinView, AppError> {
    let drafts = reads_drafts(by)?;
    let bulletin = store::get(&mut *db.read().await?, id, !drafts, false).await?.ok_or(AppError::NotFound)?;
    let may_edit = may_draft(by) && bulletin.published_ms.is_none();
    Ok(BulletinView { bulletin, may_edit })
}

/// A new draft for the period named by `code`, its figures computed now; returns its id.
pub async fn draft(db: &Db, actor: &AuditActor, by: &Actor, code: &str) -> Result<i64, AppError> {
    draft_at(db, actor, by, code, now_ms()).await
}

/// `draft` as if it were `now` (tests drive the clock).
pub async fn draft_at(db: &Db, actor: &AuditActor, by: &Actor, code: &str, now: i64) -> Result<i64, AppError> {
    let user = must_draft(by)?;
    let period = bulletin::checked_period(code, now)?;
    let mut tx = db.begin_write().await?;
    let f = figures(&mut tx, period, now).await?;
    let id = store::insert(&mut tx, period, &f, user, now).await?;
    audit::append(&mut tx, actor.user_id, actor.ip.as_deref(), &AuditEvent::BulletinDrafted { bulletin_id: id, period: period.code() }).await?;
    tx.commit().await?;
    Ok(id)
}

/// A draft's comment, and with `refigure` its figures made again from the records as they are now.
pub async fn edit(db: &Db, actor: &AuditActor, by: &Actor, id: i64, comment: Option<&str>, refigure: bool) -> Result<Bulletin, AppError> {
    must_draft(by)?;
    let comment = comment.map(bulletin::checked_comment).transpose()?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let current = store::get(&mut tx, id, false, true).await?.ok_or(AppError::NotFound)?;
    bulletin::check_draft(current.published_ms)?;
    let f = if refigure { Some(figures(&mut tx, current.period, now).await?) } else { None };
    store::update_draft(&mut tx, id, f.as_ref(), comment.as_deref(), now).await?;
    audit::append(&mut tx, actor.user_id, actor.ip.as_deref(), &AuditEvent::BulletinEdited { bulletin_id: id, refigured: refigure }).await?;
    let saved = store::get(&mut tx, id, false, false).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(saved)
}

/// Publishes a draft as it stands and tells every active unit's staff, live.
pub async fn publish(db: &Db, fx: &Effects, actor: &AuditActor, by: &Actor, id: i64) -> Result<Bulletin, AppError> {
    let (saved, notice) = publish_in(db, actor, by, id).await?;
    fx.live.published([notice]);
    Ok(saved)
}

/// The demo's last week: drafted from the seeded records, commented and published.
pub async fn seed_last_week(db: &Db, supervisor: &Actor, now: i64) -> Result<(), AppError> {
    let code = Period::containing(PeriodKind::Week, now).previous().code();
    let id = draft_at(db, &AuditActor::default(), supervisor, &code, now).await?;
    let comment = "请各单位对照通报逐件核查超期和退回事件，本周五前将整改情况报督查室。";
    edit(db, &AuditActor::default(), supervisor, id, Some(comment), false).await?;
    publish_in(db, &AuditActor::default(), supervisor, id).await?;
    Ok(())
}

/// Publishes within one transaction and returns the notice to push once it is committed.
async fn publish_in(db: &Db, actor: &AuditActor, by: &Actor, id: i64) -> Result<(Bulletin, Notice), AppError> {
    let user = must_draft(by)?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let current = store::get(&mut tx, id, false, true).await?.ok_or(AppError::NotFound)?;
    bulletin::check_draft(current.published_ms)?;
    store::publish(&mut tx, id, user, now).await?;
    let units: Vec<UnitId> = store_org::active_unit_ids_by_name(&mut tx).await?.into_iter().map(|(_, id)| id).collect();
    let notice = Notice { id: 0, at_ms: now, case_id: 0, kind: kind::BULLETIN.into(), units: units.clone(), title: current.period.code(), text: None };
    let notice = notices::insert(&mut tx, notice).await?;
    let event = AuditEvent::BulletinPublished { bulletin_id: id, period: current.period.code(), units: units.len() };
    audit::append(&mut tx, actor.user_id, actor.ip.as_deref(), &event).await?;
    let saved = store::get(&mut tx, id, false, false).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok((saved, notice))
}
