//! Emergency reports (migration 0023): the emergencies, every version of their reports, and
//! the deadlines per category and level.
use super::StoreError;
use crate::domain::case::{CaseId, GeoPoint};
use crate::domain::emergency::{DeadlineRule, Deadlines, Due, Emergency, Facts, Report};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const COLUMNS: &str = "e.case_id, e.unit_id, e.level, e.category, e.channel, e.township_id, e.lat_e6, e.lng_e6, e.opened_at,
    e.quick_due, e.quick_filed_at, e.quick_missed_at, e.written_due, e.written_filed_at, e.written_missed_at, e.final_at, e.hidden_at";

fn emergency_of(r: &AnyRow) -> Option<Emergency> {
    let point = match (r.get::<Option<i64>, _>(6), r.get::<Option<i64>, _>(7)) {
        (Some(lat_e6), Some(lng_e6)) => Some(GeoPoint { lat_e6, lng_e6 }),
        _ => None,
    };
    Some(Emergency {
        case_id: r.get(0),
        unit_id: r.get(1),
        level: r.get::<String, _>(2).parse().ok()?,
        category: r.get(3),
        channel: r.get::<String, _>(4).parse().ok()?,
        township_id: r.get(5),
        point,
        opened_ms: r.get(8),
        quick: Due { due_ms: r.get(9), filed_ms: r.get(10), missed_ms: r.get(11) },
        written: Due { due_ms: r.get(12), filed_ms: r.get(13), missed_ms: r.get(14) },
        final_ms: r.get(15),
        hidden_ms: r.get(16),
    })
}

pub async fn insert(conn: &mut AnyConnection, e: &Emergency, by: Option<i64>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO emergencies (case_id, unit_id, level, category, channel, township_id, lat_e6, lng_e6, opened_at, quick_due, written_due, next_due, declared_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(e.case_id)
    .bind(e.unit_id)
    .bind(e.level.code())
    .bind(&e.category)
    .bind(e.channel.code())
    .bind(e.township_id)
    .bind(e.point.map(|p| p.lat_e6))
    .bind(e.point.map(|p| p.lng_e6))
    .bind(e.opened_ms)
    .bind(e.quick.due_ms)
    .bind(e.written.due_ms)
    .bind(e.next_due())
    .bind(by)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// Writes what changes over an emergency's life, and when the scheduler must next look.
pub async fn save(conn: &mut AnyConnection, e: &Emergency) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE emergencies SET unit_id = $2, level = $3, quick_due = $4, quick_filed_at = $5, quick_missed_at = $6, written_due = $7,
            written_filed_at = $8, written_missed_at = $9, final_at = $10, hidden_at = $11, next_due = $12
         WHERE case_id = $1",
    )
    .bind(e.case_id)
    .bind(e.unit_id)
    .bind(e.level.code())
    .bind(e.quick.due_ms)
    .bind(e.quick.filed_ms)
    .bind(e.quick.missed_ms)
    .bind(e.written.due_ms)
    .bind(e.written.filed_ms)
    .bind(e.written.missed_ms)
    .bind(e.final_ms)
    .bind(e.hidden_ms)
    .bind(e.next_due())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The emergency on a case, locked for a change on PostgreSQL (SQLite's write turn already is).
pub async fn get(conn: &mut AnyConnection, postgres_lock: bool, case_id: CaseId) -> Result<Option<Emergency>, StoreError> {
    let lock = if postgres_lock { " FOR UPDATE" } else { "" };
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM emergencies e WHERE e.case_id = $1{lock}")).bind(case_id).fetch_optional(&mut *conn).await?;
    Ok(row.as_ref().and_then(emergency_of))
}

/// Emergencies a watched deadline of which has passed at `now`, oldest deadline first.
pub async fn due(conn: &mut AnyConnection, now: i64, limit: i64) -> Result<Vec<Emergency>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM emergencies e WHERE e.next_due IS NOT NULL AND e.next_due <= $1 ORDER BY e.next_due LIMIT $2"))
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().filter_map(emergency_of).collect())
}

pub async fn next_due(conn: &mut AnyConnection) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT MIN(next_due) FROM emergencies WHERE next_due IS NOT NULL").fetch_one(&mut *conn).await?)
}

/// A unit's emergencies of a category opened in [from, to]: the candidates for one event.
pub async fn of_unit_between(conn: &mut AnyConnection, unit_id: i64, category: &str, from: i64, to: i64) -> Result<Vec<Emergency>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM emergencies e WHERE e.unit_id = $1 AND e.category = $2 AND e.opened_at BETWEEN $3 AND $4"))
        .bind(unit_id)
        .bind(category)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().filter_map(emergency_of).collect())
}

/// A listed emergency with its case's code and title and its versions' counts.
pub struct Listed {
    pub emergency: Emergency,
    pub code: String,
    pub title: String,
    pub unchecked: i64,
    pub flagged: i64,
}

/// Emergencies opened since `since`, optionally of one unit, newest first.
pub async fn list(conn: &mut AnyConnection, since: i64, unit: Option<i64>, limit: i64) -> Result<Vec<Listed>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS}, c.code, c.title,
            (SELECT COUNT(*) FROM emergency_reports r WHERE r.case_id = e.case_id AND r.checked_at IS NULL),
            (SELECT COUNT(*) FROM emergency_reports r WHERE r.case_id = e.case_id AND r.flags <> '')
         FROM emergencies e JOIN cases c ON c.id = e.case_id
         WHERE e.opened_at >= $1 AND ($2 = 0 OR e.unit_id = $2)
         ORDER BY e.opened_at DESC, e.case_id DESC LIMIT $3"
    ))
    .bind(since)
    .bind(unit.unwrap_or(0))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| Some(Listed { emergency: emergency_of(r)?, code: r.get(17), title: r.get(18), unchecked: r.get(19), flagged: r.get(20) }))
        .collect())
}

const REPORT_COLUMNS: &str = "id, case_id, stage, version, unit_id, author_id, filed_at, late, summary, place, occurred_at, deaths, injured, missing, measures,
    flags, checked_by, checked_at, check_note";

fn report_of(r: &AnyRow) -> Option<Report> {
    let count = |i: usize| u32::try_from(r.get::<i64, _>(i)).ok();
    Some(Report {
        id: r.get(0),
        case_id: r.get(1),
        stage: r.get::<String, _>(2).parse().ok()?,
        version: count(3)?,
        unit_id: r.get(4),
        author_id: r.get(5),
        filed_ms: r.get(6),
        late: r.get::<i64, _>(7) != 0,
        facts: Facts {
            summary: r.get(8),
            place: r.get(9),
            occurred_ms: r.get(10),
            deaths: count(11)?,
            injured: count(12)?,
            missing: count(13)?,
            measures: r.get(14),
        },
        flags: r.get::<String, _>(15).split(',').filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect(),
        checked_by: r.get(16),
        checked_ms: r.get(17),
        check_note: r.get(18),
    })
}

pub async fn insert_report(conn: &mut AnyConnection, r: &Report) -> Result<i64, StoreError> {
    let flags: Vec<&str> = r.flags.iter().map(|f| f.code()).collect();
    let f = &r.facts;
    let id = sqlx::query_scalar(
        "INSERT INTO emergency_reports (case_id, stage, version, unit_id, author_id, filed_at, late, summary, place, occurred_at, deaths, injured, missing, measures, flags)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(r.case_id)
    .bind(r.stage.code())
    .bind(i64::from(r.version))
    .bind(r.unit_id)
    .bind(r.author_id)
    .bind(r.filed_ms)
    .bind(i64::from(r.late))
    .bind(&f.summary)
    .bind(&f.place)
    .bind(f.occurred_ms)
    .bind(i64::from(f.deaths))
    .bind(i64::from(f.injured))
    .bind(i64::from(f.missing))
    .bind(&f.measures)
    .bind(flags.join(","))
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(id)
}

/// Every version on a case, in filing order.
pub async fn reports_of(conn: &mut AnyConnection, case_id: CaseId) -> Result<Vec<Report>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {REPORT_COLUMNS} FROM emergency_reports WHERE case_id = $1 ORDER BY filed_at, id"))
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().filter_map(report_of).collect())
}

/// Every version filed on emergencies opened since `since` (for the units' record).
pub async fn reports_since(conn: &mut AnyConnection, since: i64) -> Result<Vec<Report>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {REPORT_COLUMNS} FROM emergency_reports WHERE case_id IN (SELECT case_id FROM emergencies WHERE opened_at >= $1) ORDER BY filed_at, id"
    ))
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().filter_map(report_of).collect())
}

pub async fn report(conn: &mut AnyConnection, id: i64) -> Result<Option<Report>, StoreError> {
    let row = sqlx::query(&format!("SELECT {REPORT_COLUMNS} FROM emergency_reports WHERE id = $1")).bind(id).fetch_optional(&mut *conn).await?;
    Ok(row.as_ref().and_then(report_of))
}

pub async fn save_check(conn: &mut AnyConnection, r: &Report) -> Result<(), StoreError> {
    sqlx::query("UPDATE emergency_reports SET checked_by = $2, checked_at = $3, check_note = $4 WHERE id = $1")
        .bind(r.id)
        .bind(r.checked_by)
        .bind(r.checked_ms)
        .bind(r.check_note.as_deref())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn deadline_rules(conn: &mut AnyConnection) -> Result<Vec<DeadlineRule>, StoreError> {
    let rows =
        sqlx::query("SELECT category, level, quick_minutes, written_minutes FROM emergency_deadlines ORDER BY category, level").fetch_all(&mut *conn).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let level = match r.get::<String, _>(1).as_str() {
                "" => None,
                code => Some(code.parse().ok()?),
            };
            Some(DeadlineRule {
                category: r.get(0),
                level,
                deadlines: Deadlines { quick_min: u32::try_from(r.get::<i64, _>(2)).ok()?, written_min: u32::try_from(r.get::<i64, _>(3)).ok()? },
            })
        })
        .collect())
}

/// Sets the rule for its category and level, replacing the one there was.
pub async fn set_deadline_rule(conn: &mut AnyConnection, r: &DeadlineRule) -> Result<(), StoreError> {
    let level = r.level.map(|l| l.code()).unwrap_or("");
    remove_deadline_rule(conn, &r.category, level).await?;
    sqlx::query("INSERT INTO emergency_deadlines (category, level, quick_minutes, written_minutes) VALUES ($1, $2, $3, $4)")
        .bind(&r.category)
        .bind(level)
        .bind(i64::from(r.deadlines.quick_min))
        .bind(i64::from(r.deadlines.written_min))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn remove_deadline_rule(conn: &mut AnyConnection, category: &str, level: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM emergency_deadlines WHERE category = $1 AND level = $2").bind(category).bind(level).execute(&mut *conn).await?;
    Ok(())
}

/// The township government of a township area, if it has an active one.
pub async fn township_government(conn: &mut AnyConnection, township_id: i64) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT id FROM units WHERE kind = 'township_government' AND area_id = $1 AND active = 1 ORDER BY id LIMIT 1")
        .bind(township_id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// What an emergency takes from its case.
pub struct CaseFacts {
    pub kind: String,
    pub category: String,
    pub channel: String,
    pub township_id: Option<i64>,
    pub point: Option<GeoPoint>,
    pub received_ms: i64,
    pub title: String,
}

pub async fn case_facts(conn: &mut AnyConnection, case_id: CaseId) -> Result<Option<CaseFacts>, StoreError> {
    let row = sqlx::query("SELECT kind, category, channel, township_id, lat_e6, lng_e6, received_at, title FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| CaseFacts {
        kind: r.get(0),
        category: r.get(1),
        channel: r.get(2),
        township_id: r.get(3),
        point: match (r.get::<Option<i64>, _>(4), r.get::<Option<i64>, _>(5)) {
            (Some(lat_e6), Some(lng_e6)) => Some(GeoPoint { lat_e6, lng_e6 }),
            _ => None,
        },
        received_ms: r.get(6),
        title: r.get(7),
    }))
}

/// Cases of kind 重大应急管理 in a township received since `since`, newest first (the demo's).
pub async fn recent_emergency_cases(conn: &mut AnyConnection, since: i64, limit: i64) -> Result<Vec<CaseId>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM cases WHERE kind = 'major_emergency' AND township_id IS NOT NULL AND received_at >= $1 AND id NOT IN (SELECT case_id FROM emergencies)
         ORDER BY received_at DESC LIMIT $2",
    )
    .bind(since)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Emergencies opened in [from, to), with every version of their reports (a bulletin's period).
pub async fn opened_between(conn: &mut AnyConnection, from: i64, to: i64) -> Result<(Vec<Emergency>, Vec<Report>), StoreError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM emergencies e WHERE e.opened_at >= $1 AND e.opened_at < $2"))
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await?;
    let reports = sqlx::query(&format!(
        "SELECT {REPORT_COLUMNS} FROM emergency_reports WHERE case_id IN (SELECT case_id FROM emergencies WHERE opened_at >= $1 AND opened_at < $2)"
    ))
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    Ok((rows.iter().filter_map(emergency_of).collect(), reports.iter().filter_map(report_of).collect()))
}
