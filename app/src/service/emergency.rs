//! Emergency reports (紧急信息报送): an emergency opened at intake (kind 重大应急管理) or by an
//! operator's marking, the responsible unit's reports filed on phone or desk with every version
//! kept, the duty leader's check, the scheduler's flags (missed, hidden) and each unit's record.
use super::{AuditActor, Effects};
use crate::domain::access::{CENTER_ROLES, CHECK_EMERGENCY, DECLARE_EMERGENCY, SET_EMERGENCY_DEADLINES};
use crate::domain::audit::AuditEvent;
use crate::domain::case::{Actor, CaseId, CaseKind, Channel, GeoPoint};
use crate::domain::clock::DAY_MS;
use crate::domain::emergency::{
    Board, CaseEmergency, DeadlineRule, Detail, Emergency, EmergencyError, EmergencyRow, Facts, Level, Report, ReportView, SAME_EVENT_WINDOW_MS, Stage,
    UnitTally, deadlines_for, fact_flags, reports_emergencies, same_event, tally,
};
use crate::domain::notice::{self, Notice};
use crate::error::AppError;
use crate::store::emergency::{self as store, Listed};
use crate::store::{Backend, Db, audit, cases as store_cases, notices as store_notices, now_ms, org as store_org, users};
use sqlx::AnyConnection;
use std::collections::HashMap;

/// Emergencies looked at per write in a sweep.
const SWEEP_BATCH: i64 = 200;
/// The center's page lists the emergencies of this long, and each unit's record over them.
pub const BOARD_DAYS: i64 = 90;
const BOARD_MAX: i64 = 500;
/// The phone lists its unit's emergencies of this long.
const MINE_DAYS: i64 = 30;

fn notice(e: &Emergency, title: String, text: String, now: i64) -> Notice {
    Notice { id: 0, at_ms: now, case_id: e.case_id, kind: notice::kind::EMERGENCY.into(), units: vec![e.unit_id], title, text: Some(text) }
}

/// Each unit's record over the emergencies opened in [`from`, `until`), worst first: what the
/// bulletin and the evaluation of a period show.
pub async fn unit_record(conn: &mut AnyConnection, from: i64, until: i64) -> Result<Vec<UnitTally>, AppError> {
    let (emergencies, reports) = store::opened_between(conn, from, until).await?;
    let names = store_cases::unit_names(conn).await?;
    Ok(tally(&emergencies, &reports, |u| names.get(&u).cloned().unwrap_or_default()))
}

async fn record(conn: &mut AnyConnection, who: &AuditActor, case_id: CaseId, step: String) -> Result<(), AppError> {
    audit::append(conn, who.user_id, who.ip.as_deref(), &AuditEvent::EmergencyRecorded { case_id, step }).await?;
    Ok(())
}

/// Opens the emergency on a case just received as 重大应急管理, at level IV with its
/// township's government to report, inside the intake's write. A case in no township is left
/// to the operator, who names the unit when marking it. The notice to the unit, not stored.
#[allow(clippy::too_many_arguments)]
pub async fn on_intake(
    conn: &mut AnyConnection,
    kind: CaseKind,
    case_id: CaseId,
    category: &str,
    channel: Channel,
    township_id: Option<i64>,
    point: Option<GeoPoint>,
    title: &str,
    now: i64,
) -> Result<Option<Notice>, AppError> {
    if kind != CaseKind::MajorEmergency {
        return Ok(None);
    }
    let Some(township) = township_id else { return Ok(None) };
    let Some(unit_id) = store::township_government(conn, township).await? else { return Ok(None) };
    let d = deadlines_for(&store::deadline_rules(conn).await?, category, Level::General);
    let e = Emergency::open(case_id, unit_id, Level::General, category.to_string(), channel, township_id, point, now, d);
    store::insert(conn, &e, None).await?;
    Ok(Some(notice(&e, title.to_string(), "declared".into(), now)))
}

/// Marks a case as an emergency at `level`, with `unit` (or the township's government) to
/// report; on an emergency already open, changes its level and unit. The deadlines of a case
/// marked later run from the marking.
pub async fn declare(db: &Db, fx: &Effects, who: &AuditActor, by: &Actor, case_id: CaseId, level: Level, unit: Option<i64>) -> Result<Emergency, AppError> {
    if !by.has_role(DECLARE_EMERGENCY) {
        return Err(AppError::Forbidden);
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let c = store::case_facts(&mut tx, case_id).await?.ok_or(AppError::NotFound)?;
    let unit_id = match unit {
        Some(u) => {
            let ok = store_org::unit_by_id(&mut tx, u).await?.is_some_and(|u| u.active && reports_emergencies(u.kind));
            if !ok {
                return Err(EmergencyError::NoUnit.into());
            }
            u
        }
        None => match c.township_id {
            Some(t) => store::township_government(&mut tx, t).await?.ok_or(EmergencyError::NoUnit)?,
            None => return Err(EmergencyError::NoUnit.into()),
        },
    };
    let d = deadlines_for(&store::deadline_rules(&mut tx).await?, &c.category, level);
    let (e, step) = match store::get(&mut tx, db.backend == Backend::Postgres, case_id).await? {
        Some(mut e) => {
            e.regrade(level, unit_id, d);
            store::save(&mut tx, &e).await?;
            (e, "regrade")
        }
        None => {
            let channel = c.channel.parse().map_err(|_| AppError::Internal)?;
            let e = Emergency::open(case_id, unit_id, level, c.category.clone(), channel, c.township_id, c.point, now, d);
            store::insert(&mut tx, &e, who.user_id).await?;
            (e, "declare")
        }
    };
    record(&mut tx, who, case_id, format!("{step}:{}", level.code())).await?;
    let n = store_notices::insert(&mut tx, notice(&e, c.title, step.into(), now)).await?;
    tx.commit().await?;
    fx.live.committed(n);
    fx.live.alarms_changed();
    Ok(e)
}

/// The responsible unit files a report of `stage`: checked, compared with every earlier
/// version (the contradictions flagged), and kept; late if its stage's deadline had passed.
pub async fn file(db: &Db, fx: &Effects, who: &AuditActor, by: &Actor, case_id: CaseId, stage: Stage, facts: Facts) -> Result<Report, AppError> {
    let Actor::Staff { user_id, unit_id: Some(unit_id), .. } = *by else { return Err(EmergencyError::NotYourUnit.into()) };
    let now = now_ms();
    let facts = facts.check(now)?;
    let mut tx = db.begin_write().await?;
    let mut e = store::get(&mut tx, db.backend == Backend::Postgres, case_id).await?.ok_or(EmergencyError::NotEmergency)?;
    if e.unit_id != unit_id {
        return Err(EmergencyError::NotYourUnit.into());
    }
    let earlier = store::reports_of(&mut tx, case_id).await?;
    let filed = earlier.iter().filter(|r| r.stage == stage).count() as u32;
    let outcome = e.file(stage, filed, now)?;
    let history: Vec<Facts> = earlier.into_iter().map(|r| r.facts).collect();
    let mut report = Report {
        id: 0,
        case_id,
        stage,
        version: outcome.version,
        unit_id,
        author_id: user_id,
        filed_ms: now,
        late: outcome.late,
        flags: fact_flags(&history, &facts),
        facts,
        checked_by: None,
        checked_ms: None,
        check_note: None,
    };
    report.id = store::insert_report(&mut tx, &report).await?;
    store::save(&mut tx, &e).await?;
    record(&mut tx, who, case_id, format!("file:{}:{}", stage.code(), report.version)).await?;
    let title = store_cases::title_in(&mut tx, case_id).await?;
    let n = store_notices::insert(&mut tx, notice(&e, title, format!("filed:{}", stage.code()), now)).await?;
    tx.commit().await?;
    fx.live.committed(n);
    fx.live.alarms_changed();
    Ok(report)
}

/// The duty leader checks a version (审核), with an optional note.
pub async fn check(db: &Db, fx: &Effects, who: &AuditActor, by: &Actor, report_id: i64, note: &str) -> Result<(), AppError> {
    let Actor::Staff { user_id, .. } = *by else { return Err(AppError::Forbidden) };
    if !by.has_role(CHECK_EMERGENCY) {
        return Err(AppError::Forbidden);
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let mut r = store::report(&mut tx, report_id).await?.ok_or(AppError::NotFound)?;
    r.check(user_id, note, now)?;
    store::save_check(&mut tx, &r).await?;
    record(&mut tx, who, r.case_id, format!("check:{}", r.id)).await?;
    let e = store::get(&mut tx, false, r.case_id).await?.ok_or(AppError::NotFound)?;
    let title = store_cases::title_in(&mut tx, r.case_id).await?;
    let n = store_notices::insert(&mut tx, notice(&e, title, "checked".into(), now)).await?;
    tx.commit().await?;
    fx.live.committed(n);
    Ok(())
}

/// When the scheduler must next look at the emergencies.
pub async fn next_alarm(db: &Db) -> Result<Option<i64>, AppError> {
    Ok(store::next_due(&mut *db.read().await?).await?)
}

/// Flags every stage unfiled past its deadline at `now` as missed, once, and finds the
/// emergencies hidden (nothing filed by the quick deadline, here or for the same event on
/// another case), raising a risk warning on each; pushes each change to the center and the
/// unit. Reads only the emergencies whose next deadline has passed (an index of the few
/// still owing a first report). Returns how many emergencies changed.
pub async fn sweep(db: &Db, fx: &Effects, now: i64) -> Result<usize, AppError> {
    // The scheduler looks often; only a look that finds something due takes the writer.
    if next_alarm(db).await?.is_none_or(|at| at > now) {
        return Ok(0);
    }
    let mut changed = 0;
    loop {
        let mut tx = db.begin_write().await?;
        let due = store::due(&mut tx, now, SWEEP_BATCH).await?;
        if due.is_empty() {
            return Ok(changed);
        }
        let (mut notices, mut warnings) = (Vec::new(), Vec::new());
        for mut e in due {
            let missed = e.flag_missed(now);
            // The other cases of the event are read only for an emergency that would be hidden.
            let mut hidden = e.hidden_at(now, false);
            if hidden {
                let others =
                    store::of_unit_between(&mut tx, e.unit_id, &e.category, e.opened_ms - SAME_EVENT_WINDOW_MS, e.opened_ms + SAME_EVENT_WINDOW_MS).await?;
                hidden = !others.iter().any(|o| o.case_id != e.case_id && o.quick.filed_ms.is_some() && same_event(&e, o));
                if hidden {
                    e.hidden_ms = Some(now);
                }
            }
            store::save(&mut tx, &e).await?;
            let title = store_cases::title_in(&mut tx, e.case_id).await?;
            for stage in &missed {
                notices.push(notice(&e, title.clone(), format!("missed:{}", stage.code()), now));
            }
            if hidden {
                notices.push(notice(&e, title.clone(), "hidden".into(), now));
                warnings.extend(crate::service::risk::stream::on_hidden_report(&mut tx, e.case_id, e.township_id, title, now).await?);
            }
            changed += 1;
        }
        let mut stored = store_notices::insert_many(&mut tx, notices).await?;
        tx.commit().await?;
        // In the order stored: a feed resumes after the last id it saw.
        stored.extend(warnings);
        stored.sort_by_key(|n| n.id);
        fx.live.published(stored);
    }
}

struct Names {
    units: HashMap<i64, String>,
    staff: HashMap<i64, String>,
}

impl Names {
    async fn load(conn: &mut AnyConnection) -> Result<Names, AppError> {
        let units = store_org::all_units(conn).await?.into_iter().map(|u| (u.id, u.name)).collect();
        let staff = users::all_staff(conn).await?.into_iter().map(|s| (s.id, s.display_name)).collect();
        Ok(Names { units, staff })
    }

    fn unit(&self, id: i64) -> String {
        self.units.get(&id).cloned().unwrap_or_default()
    }

    fn row(&self, l: Listed) -> EmergencyRow {
        EmergencyRow {
            unit: self.unit(l.emergency.unit_id),
            emergency: l.emergency,
            code: l.code,
            title: l.title,
            unchecked: l.unchecked as u32,
            flagged: l.flagged as u32,
        }
    }
}

/// The units that may be made responsible for an emergency (id, name), by name.
async fn reporting_units(conn: &mut AnyConnection) -> Result<Vec<(i64, String)>, AppError> {
    let mut u: Vec<(i64, String)> =
        store_org::all_units(conn).await?.into_iter().filter(|u| u.active && reports_emergencies(u.kind)).map(|u| (u.id, u.name)).collect();
    u.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(u)
}

/// An emergency as listed, read with every version of its reports.
async fn with_reports(conn: &mut AnyConnection, e: Emergency) -> Result<(Listed, Vec<Report>), AppError> {
    let code = store_cases::code_of(conn, e.case_id).await?.unwrap_or_default();
    let title = store_cases::title_in(conn, e.case_id).await?;
    let reports = store::reports_of(conn, e.case_id).await?;
    let unchecked = reports.iter().filter(|r| r.checked_ms.is_none()).count() as i64;
    let flagged = reports.iter().filter(|r| !r.flags.is_empty()).count() as i64;
    Ok((Listed { emergency: e, code, title, unchecked, flagged }, reports))
}

/// The center's page: the last `BOARD_DAYS` of emergencies, each unit's record over them and
/// the deadlines.
pub async fn board(db: &Db, by: &Actor) -> Result<Board, AppError> {
    if !by.has_role(CENTER_ROLES) {
        return Err(AppError::Forbidden);
    }
    let now = now_ms();
    let since = now - BOARD_DAYS * DAY_MS;
    let conn = &mut *db.read().await?;
    let names = Names::load(conn).await?;
    let listed = store::list(conn, since, None, BOARD_MAX).await?;
    let reports = store::reports_since(conn, since).await?;
    let emergencies: Vec<Emergency> = listed.iter().map(|l| l.emergency.clone()).collect();
    let tallies = tally(&emergencies, &reports, |id| names.unit(id));
    let categories = store_cases::categories(conn).await?.into_iter().filter(|c| c.active).map(|c| (c.code, c.name)).collect();
    Ok(Board {
        now_ms: now,
        rows: listed.into_iter().map(|l| names.row(l)).collect(),
        tallies,
        rules: store::deadline_rules(conn).await?,
        categories,
        may_set_deadlines: by.has_role(SET_EMERGENCY_DEADLINES),
    })
}

/// The caller's unit's emergencies of the last `MINE_DAYS`, for the phone.
pub async fn mine(db: &Db, by: &Actor) -> Result<(i64, Vec<EmergencyRow>), AppError> {
    let unit = by.unit_id().ok_or(AppError::Forbidden)?;
    let now = now_ms();
    let conn = &mut *db.read().await?;
    let names = Names::load(conn).await?;
    let rows = store::list(conn, now - MINE_DAYS * DAY_MS, Some(unit), BOARD_MAX).await?;
    Ok((now, rows.into_iter().map(|l| names.row(l)).collect()))
}

/// One emergency with every version: for the center, and for the responsible unit's staff.
pub async fn detail(db: &Db, by: &Actor, case_id: CaseId) -> Result<Detail, AppError> {
    let center = by.has_role(CENTER_ROLES);
    let conn = &mut *db.read().await?;
    let e = store::get(conn, false, case_id).await?.ok_or(EmergencyError::NotEmergency)?;
    let own = by.unit_id() == Some(e.unit_id);
    if !center && !own {
        return Err(AppError::Forbidden);
    }
    let names = Names::load(conn).await?;
    let (listed, reports) = with_reports(conn, e).await?;
    let may_regrade = by.has_role(DECLARE_EMERGENCY);
    let units = if may_regrade { reporting_units(conn).await? } else { Vec::new() };
    Ok(Detail {
        now_ms: now_ms(),
        row: names.row(listed),
        reports: reports
            .into_iter()
            .map(|r| ReportView {
                author: names.staff.get(&r.author_id).cloned().unwrap_or_default(),
                checker: r.checked_by.and_then(|b| names.staff.get(&b).cloned()),
                report: r,
            })
            .collect(),
        may_write: own,
        may_check: by.has_role(CHECK_EMERGENCY),
        may_regrade,
        units,
    })
}

/// The emergency on a case, for its page (the center, and the responsible unit's staff).
pub async fn of_case(db: &Db, by: &Actor, case_id: CaseId) -> Result<CaseEmergency, AppError> {
    let conn = &mut *db.read().await?;
    let row = match store::get(conn, false, case_id).await? {
        Some(e) if by.has_role(CENTER_ROLES) || by.unit_id() == Some(e.unit_id) => {
            let names = Names::load(conn).await?;
            Some(names.row(with_reports(conn, e).await?.0))
        }
        _ => None,
    };
    let may_declare = by.has_role(DECLARE_EMERGENCY);
    // A case in no township needs its unit named when it is marked.
    let units = if may_declare && row.is_none() { reporting_units(conn).await? } else { Vec::new() };
    Ok(CaseEmergency { now_ms: now_ms(), row, may_declare, units })
}

/// Sets the deadlines of a category (`""`: any) at a level (`None`: any).
pub async fn set_deadlines(db: &Db, who: &AuditActor, by: &Actor, rule: DeadlineRule) -> Result<(), AppError> {
    if !by.has_role(SET_EMERGENCY_DEADLINES) {
        return Err(AppError::Forbidden);
    }
    rule.deadlines.check()?;
    let mut tx = db.begin_write().await?;
    if !rule.category.is_empty() && !store_cases::categories(&mut tx).await?.iter().any(|c| c.code == rule.category) {
        return Err(EmergencyError::UnknownCode(rule.category.clone()).into());
    }
    store::set_deadline_rule(&mut tx, &rule).await?;
    let level = rule.level.map(|l| l.code()).unwrap_or("");
    record(&mut tx, who, 0, format!("deadlines:{}:{level}:{}:{}", rule.category, rule.deadlines.quick_min, rule.deadlines.written_min)).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_deadlines(db: &Db, who: &AuditActor, by: &Actor, category: &str, level: &str) -> Result<(), AppError> {
    if !by.has_role(SET_EMERGENCY_DEADLINES) {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin_write().await?;
    store::remove_deadline_rule(&mut tx, category, level).await?;
    record(&mut tx, who, 0, format!("deadlines_removed:{category}:{level}")).await?;
    tx.commit().await?;
    Ok(())
}
