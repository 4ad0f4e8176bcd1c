//! Carrying out a command on a case: decided by `domain::case`, then written — state,
//! history, files, notice — in one transaction; and what the scheduler does when an alarm rings.
#[allow(unused_imports)]
use super::*;

/// Carries out one command on a case for `by`, with files for a progress report.
pub async fn execute(db: &Db, fx: &Effects, by: &Actor, id: CaseId, cmd: CaseCommand, uploads: Vec<Upload>) -> Result<Case, AppError> {
    execute_at(db, fx, by, id, cmd, uploads, now_ms()).await
}

/// `execute` as if it were `now`: the scheduler acts at the instant its alarm was for, and
/// tests drive the clocks with it.
pub async fn execute_at(db: &Db, fx: &Effects, by: &Actor, id: CaseId, cmd: CaseCommand, uploads: Vec<Upload>, now: i64) -> Result<Case, AppError> {
    execute_keyed(db, fx, by, id, cmd, uploads, None, now).await
}

/// `execute` for a command the sender named with a key: sent again with the same key (its
/// answer was lost on the way), it files nothing and answers with the case as it stands.
pub async fn execute_once(db: &Db, fx: &Effects, by: &Actor, id: CaseId, cmd: CaseCommand, uploads: Vec<Upload>, key: &CommandKey) -> Result<Case, AppError> {
    execute_keyed(db, fx, by, id, cmd, uploads, Some(key), now_ms()).await
}

#[allow(clippy::too_many_arguments)]
async fn execute_keyed(
    db: &Db,
    fx: &Effects,
    by: &Actor,
    id: CaseId,
    cmd: CaseCommand,
    uploads: Vec<Upload>,
    key: Option<&CommandKey>,
    now: i64,
) -> Result<Case, AppError> {
    if !matches!(by, Actor::Resident | Actor::System) {
        check_visible(db, by, id).await?;
    }
    let (stored, kinds) = write_files(&fx.files_dir, &uploads).await?;
    match execute_in_tx(db, by, id, cmd, key, &uploads, &stored, &kinds, now).await {
        Ok(None) => {
            stored.discard();
            let mut conn = db.read().await?;
            Ok(store::load(&mut conn, id).await?.ok_or(AppError::NotFound)?.case)
        }
        Ok(Some(done)) => settle(fx, stored, Ok(done)),
        Err(e) => settle(fx, stored, Err(e)),
    }
}

// The files come in three views (as uploaded, as written, as checked), each needed here.
#[allow(clippy::too_many_arguments)]
async fn execute_in_tx(
    db: &Db,
    by: &Actor,
    id: CaseId,
    cmd: CaseCommand,
    key: Option<&CommandKey>,
    uploads: &[Upload],
    stored: &WrittenFiles<'_>,
    kinds: &[case::FileKind],
    now: i64,
) -> Result<Option<(Case, Vec<Notice>)>, AppError> {
    let mut tx = db.begin_write().await?;
    // First, so that a repeat is known before anything is decided or locked.
    if let Some(k) = key
        && let Some(first) = store::claim(&mut tx, k.as_str(), user_id(by), id, now).await?
    {
        case::check_repeat(first, (user_id(by), id))?;
        return Ok(None);
    }
    let mut s = store::load_for_update(&mut tx, db.backend, id).await?.ok_or(AppError::NotFound)?;
    match &cmd {
        CaseCommand::Dispatch { lead, cooperating } | CaseCommand::Launch { lead, cooperating, .. } => {
            for u in std::iter::once(lead).chain(cooperating) {
                active_unit(&mut tx, *u).await?;
            }
            if let CaseCommand::Launch { commander, .. } = &cmd {
                check_commander(&mut tx, *commander).await?;
            }
        }
        CaseCommand::HandOver { to } => check_commander(&mut tx, *to).await?,
        CaseCommand::SubTask { unit, units, .. } => {
            let parent_area = active_unit(&mut tx, *unit).await?.area_id;
            for u in units {
                let below = match (parent_area, active_unit(&mut tx, *u).await?.area_id) {
                    (Some(p), Some(a)) => a != p && area_is_below(&mut tx, a, p).await?,
                    _ => false,
                };
                if !below {
                    return Err(CaseError::NotBelow(*u).into());
                }
            }
        }
        CaseCommand::Merge { into } => {
            let target = store::load(&mut tx, *into).await?.ok_or(CaseError::BadMergeTarget)?;
            case::check_merge_target(&target.case)?;
        }
        _ => {}
    }
    let events = s.case.execute(by, now, &cmd)?;
    let first_new = s.last_seq + 1;
    let (seq, hash) = store::append(&mut tx, id, s.last_seq, std::mem::take(&mut s.last_hash), user_id(by), &events).await?;
    store::save_state(&mut tx, &s.case, seq, &hash, now).await?;
    if events.iter().any(|e| matches!(e.change, case::Change::Recategorised { .. })) {
        store::save_category(&mut tx, &s.case).await?;
    }
    crate::store::evaluation::record(&mut tx, id, &crate::domain::evaluation::marks(&s.case, &events)).await?;
    if !uploads.is_empty() {
        // Photos belong to the report they came with (the first event of this command).
        let at = events.iter().position(|e| matches!(e.change, case::Change::Progressed { .. } | case::Change::Resolved { .. }));
        let seq_of_report = at.map(|i| first_new + i as i64).unwrap_or(first_new);
        record_files(&mut tx, id, Some(seq_of_report), uploads, stored, kinds, user_id(by), now).await?;
    }
    let notice = announce(&mut tx, &s.case, &events, now).await?;
    let mut notices = vec![notice];
    notices.extend(crate::service::risk::stream::on_change(&mut tx, &s.case, &events, now).await?);
    tx.commit().await?;
    Ok(Some((s.case, notices)))
}

async fn active_unit(conn: &mut sqlx::AnyConnection, id: case::UnitId) -> Result<crate::domain::org::Unit, AppError> {
    match store_org::unit_by_id(conn, id).await? {
        Some(u) if u.active => Ok(u),
        _ => Err(CaseError::UnknownUnit(id).into()),
    }
}

/// A commander is a person in service who may command: a commander, leader or operator.
async fn check_commander(conn: &mut sqlx::AnyConnection, user: case::UserId) -> Result<(), AppError> {
    match crate::store::users::staff_by_id(conn, user).await? {
        Some(s) if s.active && crate::domain::access::MAY_COMMAND.contains(&s.role) => Ok(()),
        _ => Err(CaseError::BadCommander.into()),
    }
}

/// Whether `area` lies under `ancestor` (a village or grid of a township).
async fn area_is_below(conn: &mut sqlx::AnyConnection, area: i64, ancestor: i64) -> Result<bool, AppError> {
    let mut at = area;
    // District → township → village → grid: three steps up at most.
    for _ in 0..4 {
        match store_org::area_by_id(conn, at).await?.and_then(|a| a.parent_id) {
            Some(p) if p == ancestor => return Ok(true),
            Some(p) => at = p,
            None => return Ok(false),
        }
    }
    Ok(false)
}

/// The notice of a change, stored with it: to every unit of the current round, or to those
/// the change is addressed to.
async fn announce(conn: &mut sqlx::AnyConnection, case: &Case, events: &[case::CaseEvent], now: i64) -> Result<Notice, AppError> {
    let round: Vec<case::UnitId> = case.assignments.iter().filter(|a| a.round == case.round).map(|a| a.unit).collect();
    let (kind, units, text) = notice::describe(events, &round);
    let title = store::title_in(conn, case.id).await?;
    let n = Notice { id: 0, at_ms: now, case_id: case.id, kind: kind.into(), units, title, text };
    Ok(store_notices::insert(conn, n).await?)
}

/// How long an alarm that could not be handled waits before it is tried again.
pub const ALARM_RETRY_MS: i64 = 60_000;

/// A case's alarm rang at `now`: the system does what has fallen due (a follow-up nobody
/// answered in its wait closes), and the case's next alarm is set. The scheduler calls it for
/// every case whose alarm is due. Returns whether the case changed.
pub async fn on_alarm(db: &Db, fx: &Effects, id: CaseId, now: i64) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    let Some(s) = store::load_for_update(&mut tx, db.backend, id).await? else { return Ok(false) };
    match s.case.due_command(now) {
        Some(mut cmd) => {
            if let CaseCommand::EscalateFurther { to } = &mut cmd {
                *to = crate::service::duty::escalation_leaders(&mut tx, now).await?;
            }
            drop(tx);
            match execute_at(db, fx, &Actor::System, id, cmd, vec![], now).await {
                Ok(_) => Ok(true),
                // Refused: it moved on between the two reads (the resident rated it just
                // now, and its new state carries its new alarm), or the rules disagree with
                // themselves, which must not make the scheduler spin.
                Err(AppError::Case(e)) => {
                    tracing::warn!(case_id = id, error = %e, "a due step was refused");
                    store::postpone_alarm(&mut *db.read().await?, id, now, now + ALARM_RETRY_MS).await?;
                    Ok(false)
                }
                Err(e) => Err(e),
            }
        }
        None => {
            store::set_next_alarm(&mut tx, id, s.case.next_alarm_ms(now)).await?;
            tx.commit().await?;
            Ok(false)
        }
    }
}

/// Forgets the command keys filed longer ago than a phone stays out of signal; returns how many.
pub async fn prune_command_keys(db: &Db, now: i64) -> Result<u64, AppError> {
    let mut tx = db.begin_write().await?;
    let n = store::prune_keys(&mut tx, now - case::COMMAND_KEY_KEEP_MS).await?;
    tx.commit().await?;
    Ok(n)
}
