//! Risk warnings (风险预警): the rules run inside the write of every intake and of the
//! changes they watch (an emergency's time running out, a palm command escalated), so a
//! warning is never lost between a case and its count; then assessed, handled and closed by
//! the center's staff, each step audited and pushed live.
use super::{AuditActor, Effects};
use crate::domain::audit::AuditEvent;
use crate::domain::case::{Actor, CaseId};
use crate::domain::clock::period_starts;
use crate::domain::org::Role;
use crate::domain::risk::figures::RiskFigures;
use crate::domain::risk::life::{ASSESS, DECIDE, RAISE};
use crate::domain::risk::rules::{self, Replay, place_cell};
use crate::domain::risk::{Action, ReplayReport, RiskError, Rule, Settings, TITLE_MAX, Warning, WarningDetail, WarningPage, required_text};
use crate::error::AppError;
use crate::store::risk::{self as store, Showing};
use crate::store::{Db, audit, now_ms};
use sqlx::AnyConnection;
use std::collections::BTreeSet;

/// The settings as the administrator left them (the defaults until then).
pub mod stream;
use stream::notice_of;
pub use stream::{phone_hash, settings_in};

pub async fn settings(db: &Db) -> Result<Settings, AppError> {
    settings_in(&mut *db.read().await?).await
}

/// An administrator's new settings, checked and audited.
pub async fn set_settings(db: &Db, who: &AuditActor, by: &Actor, s: Settings) -> Result<Settings, AppError> {
    if !by.has_role(crate::domain::access::ADMIN) {
        return Err(AppError::Forbidden);
    }
    let s = s.check()?;
    let body = serde_json::to_string(&s).expect("settings serialise");
    let mut tx = db.begin_write().await?;
    store::save_settings(&mut tx, &body, now_ms(), who.user_id).await?;
    audit::append(&mut tx, who.user_id, who.ip.as_deref(), &AuditEvent::RiskSettingsSaved { settings: body }).await?;
    tx.commit().await?;
    Ok(s)
}

fn staff_role(by: &Actor) -> Result<(i64, Role), AppError> {
    match by {
        Actor::Staff { user_id, role, .. } if crate::domain::access::CENTER_ROLES.contains(role) => Ok((*user_id, *role)),
        _ => Err(AppError::Forbidden),
    }
}

/// Case codes typed by staff, each naming a case.
async fn cases_by_code(conn: &mut AnyConnection, codes: &[String]) -> Result<BTreeSet<CaseId>, AppError> {
    let mut ids = BTreeSet::new();
    for c in codes.iter().map(|c| c.trim().to_ascii_uppercase()).filter(|c| !c.is_empty()) {
        match crate::store::cases::by_code(conn, &c).await? {
            Some((id, _)) => ids.insert(id),
            None => return Err(RiskError::NoSuchCase(c).into()),
        };
    }
    Ok(ids)
}

/// A warning raised by hand, with the cases that prompted it (by their codes, any number).
pub async fn raise_by_hand(db: &Db, fx: &Effects, by: &Actor, title: &str, codes: &[String]) -> Result<i64, AppError> {
    let (user_id, role) = staff_role(by)?;
    if !RAISE.contains(&role) {
        return Err(RiskError::NotAllowed.into());
    }
    let title = required_text(title, TITLE_MAX, RiskError::TitleRequired)?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let cases = cases_by_code(&mut tx, codes).await?;
    let township = match cases.first() {
        Some(c) => store::fact_of(&mut tx, *c).await?.and_then(|f| f.township_id),
        None => None,
    };
    let w = Warning::raised(0, Rule::Manual, title, township, now);
    let id = store::raise(&mut tx, &w, Some(user_id), &cases).await?;
    let n = crate::store::notices::insert(&mut tx, notice_of(id, cases.first().copied().unwrap_or(0), now)).await?;
    tx.commit().await?;
    fx.live.committed(n);
    Ok(id)
}

/// A step of a warning's life. `Handle` names its case by code; with `launch`, a palm
/// command is launched on it first, with the units the rules suggest and `by` as commander.
pub async fn act(db: &Db, fx: &Effects, who: &AuditActor, by: &Actor, id: i64, step: Step) -> Result<Warning, AppError> {
    let (user_id, role) = staff_role(by)?;
    let action = match step {
        Step::Assess { level, note } => Action::Assess { level, note },
        Step::Handle { code, launch } => {
            let cases = cases_by_code(&mut *db.read().await?, std::slice::from_ref(&code)).await?;
            let case = *cases.first().ok_or(RiskError::NoSuchCase(code))?;
            // Refused before anything is written when the warning may not be handled now.
            let w = store::warning_by_id(&mut *db.read().await?, id).await?.ok_or(AppError::NotFound)?;
            w.clone().apply(role, Action::Handle { case }, now_ms())?;
            if launch && !has_command(db, case).await? {
                super::command::launch_suggested(db, fx, by, case).await?;
            }
            Action::Handle { case }
        }
        Step::Close { result } => Action::Close { result },
        Step::Dismiss { reason } => Action::Dismiss { reason },
    };
    let code = action.code();
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    store::lock(&mut tx, db.backend == crate::store::Backend::Postgres, id).await?;
    let mut w = store::warning_by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    w.apply(role, action, now)?;
    store::save(&mut tx, &w, Some(user_id)).await?;
    audit::append(&mut tx, who.user_id, who.ip.as_deref(), &AuditEvent::RiskWarningStep { warning_id: id, step: code.into() }).await?;
    let n = crate::store::notices::insert(&mut tx, notice_of(id, w.handled_case.unwrap_or(0), now)).await?;
    tx.commit().await?;
    fx.live.committed(n);
    Ok(w)
}

/// A step as the center's staff ask for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Assess { level: crate::domain::risk::Level, note: String },
    Handle { code: String, launch: bool },
    Close { result: String },
    Dismiss { reason: String },
}

async fn has_command(db: &Db, case: CaseId) -> Result<bool, AppError> {
    Ok(crate::store::cases::load(&mut *db.read().await?, case).await?.is_some_and(|s| s.case.task_force.is_some()))
}

/// The figures of the year to `now`: warnings and the first-time resolution rate.
pub async fn figures(db: &Db, now: i64) -> Result<RiskFigures, AppError> {
    figures_in(&mut *db.read().await?, now).await
}

pub async fn figures_in(conn: &mut AnyConnection, now: i64) -> Result<RiskFigures, AppError> {
    let from = period_starts(now).year;
    let groups = store::tallies(conn, from, i64::MAX).await?;
    let first_time = super::mediation::rate_in(conn, from, now + 1).await?;
    Ok(RiskFigures::count(from, now, &groups, first_time))
}

pub const PAGE: i64 = 30;

/// `/center/risk`: the figures and a page of warnings (`after` from the previous page).
pub async fn page(db: &Db, by: &Actor, showing: Showing, only: &store::Only, after: Option<&str>) -> Result<WarningPage, AppError> {
    let (_, role) = staff_role(by)?;
    let after = after.and_then(|a| {
        let (t, i) = a.split_once('-')?;
        Some((t.parse().ok()?, i.parse().ok()?))
    });
    let figures = figures(db, now_ms()).await?;
    let mut warnings = store::list(&mut *db.read().await?, showing, only, after, PAGE + 1).await?;
    let next = (warnings.len() as i64 > PAGE).then(|| {
        warnings.truncate(PAGE as usize);
        warnings.last().map(|w| format!("{}-{}", w.raised_ms, w.id)).unwrap_or_default()
    });
    Ok(WarningPage { figures, warnings, next, may_raise: RAISE.contains(&role) })
}

pub async fn detail(db: &Db, by: &Actor, id: i64) -> Result<WarningDetail, AppError> {
    let (_, role) = staff_role(by)?;
    let conn = &mut *db.read().await?;
    let warning = store::warning_by_id(conn, id).await?.ok_or(AppError::NotFound)?;
    let evidence = store::evidence(conn, id)
        .await?
        .into_iter()
        .map(|(case_id, code, title, status, received_ms)| crate::domain::risk::EvidenceCase { case_id, code, title, status, received_ms })
        .collect();
    let handled = match warning.handled_case {
        Some(c) => {
            let command = crate::store::cases::load(conn, c).await?.is_some_and(|s| s.case.task_force.is_some());
            crate::store::cases::code_of(conn, c).await?.map(|code| (code, command))
        }
        None => None,
    };
    Ok(WarningDetail { warning, evidence, handled, may_assess: ASSESS.contains(&role), may_decide: DECIDE.contains(&role) })
}

/// Runs the stream rules under `s` over the cases received in `[from, to)`, as if each had
/// just come in, and counts the warnings each rule would have raised; the case-change rules
/// are counted from the records (emergencies that ran out of time, escalated commands).
pub async fn replay(db: &Db, s: Settings, from: i64, to: i64) -> Result<ReplayReport, AppError> {
    let (from, to) = rules::replay_period(from, to)?;
    let s = s.check()?;
    let started = std::time::Instant::now();
    let mut r = Replay::new(s.clone());
    let mut after = (i64::MIN, i64::MIN);
    loop {
        let page = store::history_page(&mut *db.read().await?, from, to, after, 5000).await?;
        let Some((last, _)) = page.last() else { break };
        after = (last.received_ms, last.case_id);
        for (mut f, phone) in page {
            if f.phone_hash.is_none() {
                f.phone_hash = phone.as_deref().map(phone_hash);
            }
            if f.place_cell.is_none() {
                f.place_cell = f.point.as_ref().map(place_cell);
            }
            r.push(f);
        }
    }
    let mut counts = r.counts();
    let (overdue, unsigned) = store::replay_case_rules(&mut *db.read().await?, from, to).await?;
    counts.push((Rule::EmergencyOverdue, if s.emergency_overdue { overdue } else { 0 }));
    counts.push((Rule::Unsigned, if s.unsigned { unsigned } else { 0 }));
    Ok(ReplayReport { from_ms: from, to_ms: to, cases: r.cases, counts, elapsed_ms: started.elapsed().as_millis() as i64 })
}
