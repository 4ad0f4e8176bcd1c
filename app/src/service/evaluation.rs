//! Evaluation (考评): each unit's scores for a month, quarter or year, from the marks that
//! case changes leave (`domain::evaluation`); the ranking for the center, a unit's own
//! scores on its phone, the cases behind every figure, the administrator's weights, and
//! closing a period, which freezes its scores.
use super::AuditActor;
use crate::domain::access::{ADMIN, CENTER_ROLES, SUPERVISE};
use crate::domain::audit::AuditEvent;
use crate::domain::case::{Actor, UnitId};
use crate::domain::evaluation::{self as rules, Counts, Dimension, DrillDown, Evaluation, UnitScore, Weights};
use crate::domain::org::Role;
use crate::domain::period::{Period, PeriodKind};
use crate::domain::report::ReportError;
use crate::error::AppError;
use crate::store::{Db, audit, cases as store_cases, evaluation as store, now_ms};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// The kinds of period evaluated.
pub const KINDS: [PeriodKind; 3] = [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year];

/// At most this many cases listed behind one figure (the count is always the full one).
pub const DRILL_LIMIT: i64 = 2000;

/// The periods a reader may choose: a year of months, two years of quarters, three years.
pub fn offered(now: i64) -> Vec<Period> {
    [(PeriodKind::Month, 12), (PeriodKind::Quarter, 8), (PeriodKind::Year, 3)].into_iter().flat_map(|(k, n)| Period::recent(k, now, n)).collect()
}

fn evaluated_period(code: &str, now: i64) -> Result<Period, AppError> {
    let p = Period::parse(code)?;
    if !KINDS.contains(&p.kind) {
        return Err(ReportError::BadPeriod(code.chars().take(40).collect()).into());
    }
    if p.start_ms > now {
        return Err(ReportError::NotStarted.into());
    }
    Ok(p)
}

/// The center reads every unit's scores; a unit's staff their own unit's.
enum Reader {
    Center,
    Unit(UnitId),
}

fn reader(by: &Actor) -> Result<Reader, AppError> {
    match by {
        _ if by.has_role(CENTER_ROLES) => Ok(Reader::Center),
        Actor::Staff { role: Role::UnitStaff, unit_id: Some(u), .. } => Ok(Reader::Unit(*u)),
        _ => Err(AppError::Forbidden),
    }
}

pub async fn weights(db: &Db) -> Result<Weights, AppError> {
    Ok(store::weights(&mut *db.read().await?).await?.unwrap_or_default())
}

/// Every unit's scores as the marks give them now, under `w`.
async fn compute(conn: &mut AnyConnection, period: Period, w: &Weights) -> Result<Vec<UnitScore>, AppError> {
    let mut by_unit: BTreeMap<UnitId, Counts> = BTreeMap::new();
    for (unit, measure, n, hits) in store::counts(conn, period).await? {
        by_unit.entry(unit).or_default().0.push((measure, n, hits));
    }
    let names = store_cases::unit_names(conn).await?;
    Ok(by_unit.into_iter().map(|(u, c)| UnitScore::of(u, names.get(&u).cloned().unwrap_or_default(), &c, w)).collect())
}

/// The period's ranking: frozen if it was closed, else computed from the marks now.
pub async fn evaluation(db: &Db, by: &Actor, code: &str) -> Result<Evaluation, AppError> {
    evaluation_at(db, by, code, now_ms()).await
}

/// `evaluation` as if it were `now` (tests drive the clock).
pub async fn evaluation_at(db: &Db, by: &Actor, code: &str, now: i64) -> Result<Evaluation, AppError> {
    let who = reader(by)?;
    let period = evaluated_period(code, now)?;
    let mut conn = db.read().await?;
    let (weights, scores, frozen_ms, frozen_by) = match store::frozen(&mut conn, period).await? {
        Some(f) => (f.weights, f.scores, Some(f.at_ms), f.by),
        None => {
            let w = store::weights(&mut conn).await?.unwrap_or_default();
            let scores = compute(&mut conn, period, &w).await?;
            (w, scores, None, None)
        }
    };
    let mut ranking = rules::rank(scores);
    let ranked = ranking.len();
    if let Reader::Unit(u) = who {
        // A unit sees its own line and its place, not the others' scores.
        ranking.retain(|(_, s)| s.unit_id == u);
    }
    Ok(Evaluation { period, weights, ranking, ranked, computed_ms: now, frozen_ms, frozen_by })
}

/// The page: `code` names the period (empty for this month).
pub async fn page(db: &Db, by: &Actor, code: &str) -> Result<rules::EvaluationPage, AppError> {
    let now = now_ms();
    let code = if code.trim().is_empty() { Period::containing(PeriodKind::Month, now).code() } else { code.to_string() };
    let evaluation = evaluation(db, by, &code).await?;
    let may_freeze = by.has_role(SUPERVISE) && evaluation.frozen_ms.is_none() && evaluation.period.is_over(now);
    let p = evaluation.period;
    let mut emergencies = super::emergency::unit_record(&mut *db.read().await?, p.start_ms, p.end_ms.min(now)).await?;
    if let Reader::Unit(u) = reader(by)? {
        emergencies.retain(|t| t.unit_id == u);
    }
    Ok(rules::EvaluationPage { evaluation, offered: offered(now), may_freeze, may_weigh: by.has_role(ADMIN), emergencies })
}

/// The cases behind one unit's score in one dimension.
pub async fn drill(db: &Db, by: &Actor, code: &str, unit: UnitId, dimension: Dimension) -> Result<DrillDown, AppError> {
    if let Reader::Unit(own) = reader(by)?
        && own != unit
    {
        return Err(AppError::NotFound);
    }
    let period = evaluated_period(code, now_ms())?;
    let f = dimension.formula();
    let mut conn = db.read().await?;
    let (base, base_total) = store::marks(&mut conn, unit, f.base, period, false, DRILL_LIMIT).await?;
    let (counted, counted_total) = match f.count {
        Some(m) => store::marks(&mut conn, unit, m, period, false, DRILL_LIMIT).await?,
        None => store::marks(&mut conn, unit, f.base, period, true, DRILL_LIMIT).await?,
    };
    let name = store_cases::unit_names(&mut conn).await?.remove(&unit).ok_or(AppError::NotFound)?;
    Ok(DrillDown { period, unit: name, dimension, base, base_total, counted, counted_total })
}

/// An administrator sets the weights; periods already closed keep theirs.
pub async fn set_weights(db: &Db, actor: &AuditActor, by: &Actor, w: [u32; 6]) -> Result<Weights, AppError> {
    if !by.has_role(ADMIN) {
        return Err(AppError::Forbidden);
    }
    let w = Weights::checked(w)?;
    let mut tx = db.begin_write().await?;
    store::set_weights(&mut tx, &w, actor.user_id, now_ms()).await?;
    let text = w.0.iter().map(|x| x.to_string()).collect::<Vec<_>>().join("/");
    audit::append(&mut tx, actor.user_id, actor.ip.as_deref(), &AuditEvent::EvaluationWeightsSet { weights: text }).await?;
    tx.commit().await?;
    Ok(w)
}

/// Closes a period that is over: its scores, as computed now, are kept and shown from then on.
pub async fn freeze(db: &Db, actor: &AuditActor, by: &Actor, code: &str) -> Result<(), AppError> {
    freeze_at(db, actor, by, code, now_ms()).await
}

/// `freeze` as if it were `now` (tests drive the clock).
pub async fn freeze_at(db: &Db, actor: &AuditActor, by: &Actor, code: &str, now: i64) -> Result<(), AppError> {
    if !by.has_role(SUPERVISE) {
        return Err(AppError::Forbidden);
    }
    let period = evaluated_period(code, now)?;
    if !period.is_over(now) {
        return Err(ReportError::NotOver.into());
    }
    let mut tx = db.begin_write().await?;
    if store::frozen(&mut tx, period).await?.is_some() {
        return Err(ReportError::Frozen.into());
    }
    let w = store::weights(&mut tx).await?.unwrap_or_default();
    let scores = compute(&mut tx, period, &w).await?;
    store::freeze(&mut tx, period, &w, &scores, actor.user_id, now).await.map_err(|e| match e {
        crate::store::StoreError::Duplicate => AppError::Report(ReportError::Frozen),
        e => e.into(),
    })?;
    audit::append(&mut tx, actor.user_id, actor.ip.as_deref(), &AuditEvent::EvaluationFrozen { period: period.code(), units: scores.len() }).await?;
    tx.commit().await?;
    Ok(())
}
