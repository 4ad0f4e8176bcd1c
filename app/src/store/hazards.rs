//! The safety hazard register (migration 0024): hazards, their inspecting units, every step
//! and the photos each step came with.
use super::StoreError;
use super::placeholders::{Arg, bind_args, bind_ids, marks};
use crate::domain::case::{CaseId, GeoPoint, UnitId};
use crate::domain::hazard::{CountRow, Hazard, HazardFacts, HazardFilter, HazardId, HazardPoint, StepKind};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

const COLUMNS: &str = "h.id, h.domain, h.source, h.level, h.title, h.description, h.place, h.area_id, h.township_id, h.lat_e6, h.lng_e6,
    h.responsible_unit_id, h.enterprise, h.measures, h.deadline_at, h.status, h.watch, h.case_id, h.found_at, h.found_by, h.overdue_at, h.ticked_off_at";

fn point(lat: Option<i64>, lng: Option<i64>) -> Option<GeoPoint> {
    Some(GeoPoint { lat_e6: lat?, lng_e6: lng? })
}

/// A row as stored; `None` when a code no longer parses (never written by this version).
fn hazard_of(r: &AnyRow) -> Option<Hazard> {
    Some(Hazard {
        id: r.get(0),
        facts: HazardFacts {
            domain: r.get::<String, _>(1).parse().ok()?,
            source: r.get::<String, _>(2).parse().ok()?,
            level: r.get::<String, _>(3).parse().ok()?,
            title: r.get(4),
            description: r.get(5),
            place: r.get(6),
            area_id: r.get(7),
            point: point(r.get(9), r.get(10)),
            responsible_unit_id: r.get(11),
            enterprise: r.get(12),
            measures: r.get(13),
            deadline_ms: r.get(14),
            inspectors: Vec::new(),
        },
        township_id: r.get(8),
        status: r.get::<String, _>(15).parse().ok()?,
        watch: r.get::<Option<String>, _>(16).and_then(|w| w.parse().ok()),
        case_id: r.get(17),
        found_ms: r.get(18),
        found_by: r.get(19),
        overdue_ms: r.get(20),
        ticked_off_ms: r.get(21),
    })
}

/// Records a found hazard with its inspecting units and its first step; its id.
pub async fn insert(
    conn: &mut AnyConnection,
    f: &HazardFacts,
    case_id: Option<CaseId>,
    by: i64,
    by_unit: Option<UnitId>,
    now: i64,
) -> Result<HazardId, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO hazards (domain, source, level, title, description, place, area_id, township_id, lat_e6, lng_e6, responsible_unit_id,
            enterprise, measures, deadline_at, status, case_id, found_at, found_by, last_seq, next_due)
         VALUES ($1, $2, $3, $4, $5, $6, $7,
            (SELECT CASE a.level WHEN 'township' THEN a.id WHEN 'village' THEN a.parent_id WHEN 'grid' THEN p.parent_id END
             FROM areas a LEFT JOIN areas p ON p.id = a.parent_id WHERE a.id = $7),
            $8, $9, $10, $11, $12, $13, 'found', $14, $15, $16, 1, $17)
         RETURNING id",
    )
    .bind(f.domain.code())
    .bind(f.source.code())
    .bind(f.level.code())
    .bind(&f.title)
    .bind(&f.description)
    .bind(&f.place)
    .bind(f.area_id)
    .bind(f.point.map(|p| p.lat_e6))
    .bind(f.point.map(|p| p.lng_e6))
    .bind(f.responsible_unit_id)
    .bind(&f.enterprise)
    .bind(&f.measures)
    .bind(f.deadline_ms)
    .bind(case_id)
    .bind(now)
    .bind(by)
    .bind(f.deadline_ms + 1)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    for u in &f.inspectors {
        sqlx::query("INSERT INTO hazard_inspectors (hazard_id, unit_id) VALUES ($1, $2)").bind(id).bind(u).execute(&mut *conn).await?;
    }
    append_event(conn, id, 1, StepKind::Found, Some(by), by_unit, "", now).await?;
    Ok(id)
}

/// Appends step `seq` of a hazard.
#[allow(clippy::too_many_arguments)]
pub async fn append_event(
    conn: &mut AnyConnection,
    id: HazardId,
    seq: i64,
    kind: StepKind,
    user: Option<i64>,
    unit: Option<UnitId>,
    body: &str,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO hazard_events (hazard_id, seq, kind, user_id, unit_id, body, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(id)
        .bind(seq)
        .bind(kind.code())
        .bind(user)
        .bind(unit)
        .bind(body)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

/// One hazard with its inspecting units, and the number of its last step.
pub async fn get(conn: &mut AnyConnection, id: HazardId) -> Result<Option<(Hazard, i64)>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS}, h.last_seq FROM hazards h WHERE h.id = $1")).bind(id).fetch_optional(&mut *conn).await?;
    let Some(row) = row else { return Ok(None) };
    let Some(mut h) = hazard_of(&row) else { return Ok(None) };
    h.facts.inspectors = inspectors(conn, &[id]).await?.remove(&id).unwrap_or_default();
    Ok(Some((h, row.get(22))))
}

/// The inspecting units of each hazard.
pub async fn inspectors(conn: &mut AnyConnection, ids: &[HazardId]) -> Result<HashMap<HazardId, Vec<UnitId>>, StoreError> {
    let mut out: HashMap<HazardId, Vec<UnitId>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let sql = format!("SELECT hazard_id, unit_id FROM hazard_inspectors WHERE hazard_id IN ({}) ORDER BY hazard_id, unit_id", marks(1, ids.len()));
    for r in bind_ids(sqlx::query(&sql), ids).fetch_all(&mut *conn).await? {
        out.entry(r.get(0)).or_default().push(r.get(1));
    }
    Ok(out)
}

/// Writes what a step changes, and when the scheduler must next look.
pub async fn save(conn: &mut AnyConnection, h: &Hazard, last_seq: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE hazards SET status = $2, watch = $3, overdue_at = $4, ticked_off_at = $5, last_seq = $6, next_due = $7 WHERE id = $1")
        .bind(h.id)
        .bind(h.status.code())
        .bind(h.watch.map(|w| w.code()))
        .bind(h.overdue_ms)
        .bind(h.ticked_off_ms)
        .bind(last_seq)
        .bind(h.next_due())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub struct NewPhoto<'a> {
    pub hazard_id: HazardId,
    pub event_seq: i64,
    pub storage_key: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub by: i64,
    pub at: i64,
}

pub async fn insert_photo(conn: &mut AnyConnection, p: &NewPhoto<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO hazard_photos (hazard_id, event_seq, storage_key, file_name, content_type, size, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(p.hazard_id)
    .bind(p.event_seq)
    .bind(p.storage_key)
    .bind(p.file_name)
    .bind(p.content_type)
    .bind(p.size)
    .bind(p.by)
    .bind(p.at)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(())
}

/// A photo: its hazard, storage key, name and type.
pub async fn photo(conn: &mut AnyConnection, id: i64) -> Result<Option<(HazardId, String, String, String)>, StoreError> {
    let r = sqlx::query("SELECT hazard_id, storage_key, file_name, content_type FROM hazard_photos WHERE id = $1").bind(id).fetch_optional(conn).await?;
    Ok(r.map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))))
}

/// A step as stored: seq, kind, user, unit, text, time.
pub struct StoredEvent {
    pub seq: i64,
    pub kind: String,
    pub user_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub body: String,
    pub at: i64,
}

/// Every step of a hazard in order, and its photos (id, step).
pub async fn history(conn: &mut AnyConnection, id: HazardId) -> Result<(Vec<StoredEvent>, Vec<(i64, i64)>), StoreError> {
    let events = sqlx::query("SELECT seq, kind, user_id, unit_id, body, at FROM hazard_events WHERE hazard_id = $1 ORDER BY seq")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| StoredEvent { seq: r.get(0), kind: r.get(1), user_id: r.get(2), unit_id: r.get(3), body: r.get(4), at: r.get(5) })
        .collect();
    let photos = sqlx::query("SELECT id, event_seq FROM hazard_photos WHERE hazard_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    Ok((events, photos))
}

/// The WHERE clause of a filter (and its binds), at `now` for "overdue".
fn filter_sql(f: &HazardFilter, now: i64, args: &mut Vec<Arg>) -> String {
    let mut w = vec!["1 = 1".to_string()];
    let push = |args: &mut Vec<Arg>, a: Arg| {
        args.push(a);
        format!("${}", args.len())
    };
    if let Some(d) = f.domain {
        w.push(format!("h.domain = {}", push(args, Arg::Text(d.code().into()))));
    }
    if let Some(t) = f.township_id {
        w.push(format!("h.township_id = {}", push(args, Arg::Int(t))));
    }
    if let Some(s) = f.status {
        w.push(format!("h.status = {}", push(args, Arg::Text(s.code().into()))));
    }
    if f.open {
        w.push("h.status <> 'ticked_off'".into());
    }
    if f.overdue {
        w.push(format!("h.status IN ('found', 'rectifying') AND h.deadline_at < {}", push(args, Arg::Int(now))));
    }
    if let Some(x) = f.watch {
        w.push(format!("h.watch = {}", push(args, Arg::Text(x.code().into()))));
    }
    if let Some(c) = f.case_id {
        w.push(format!("h.case_id = {}", push(args, Arg::Int(c))));
    }
    if let Some(u) = f.unit_id {
        let a = push(args, Arg::Int(u));
        w.push(format!("(h.responsible_unit_id = {a} OR h.id IN (SELECT hazard_id FROM hazard_inspectors WHERE unit_id = {a}))"));
    }
    w.join(" AND ")
}

/// A page of `limit` of the filtered register, the open before the ticked off, the major
/// first, then by deadline; and how many match in all.
pub async fn list(conn: &mut AnyConnection, f: &HazardFilter, now: i64, limit: i64) -> Result<(Vec<Hazard>, i64), StoreError> {
    let mut args = Vec::new();
    let w = filter_sql(f, now, &mut args);
    let total: i64 = bind_args(sqlx::query(&format!("SELECT COUNT(*) FROM hazards h WHERE {w}")), &args).fetch_one(&mut *conn).await?.get(0);
    let page = format!("LIMIT {limit} OFFSET {}", f.page.saturating_mul(limit));
    let sql = format!(
        "SELECT {COLUMNS} FROM hazards h WHERE {w}
         ORDER BY CASE WHEN h.status = 'ticked_off' THEN 1 ELSE 0 END, CASE WHEN h.level = 'major' THEN 0 ELSE 1 END, h.deadline_at, h.id {page}"
    );
    let mut rows: Vec<Hazard> = bind_args(sqlx::query(&sql), &args).fetch_all(&mut *conn).await?.iter().filter_map(hazard_of).collect();
    fill_inspectors(conn, rows.iter_mut()).await?;
    Ok((rows, total))
}

/// Reads the inspecting units of a batch of hazards in one statement.
async fn fill_inspectors<'a>(conn: &mut AnyConnection, rows: impl Iterator<Item = &'a mut Hazard>) -> Result<(), StoreError> {
    let mut rows: Vec<&mut Hazard> = rows.collect();
    let ids: Vec<i64> = rows.iter().map(|h| h.id).collect();
    let mut units = inspectors(conn, &ids).await?;
    for h in &mut rows {
        h.facts.inspectors = units.remove(&h.id).unwrap_or_default();
    }
    Ok(())
}

/// The filtered register's counts grouped by domain (`by_township` false) or township.
pub async fn counts(conn: &mut AnyConnection, f: &HazardFilter, now: i64, by_township: bool) -> Result<Vec<CountRow>, StoreError> {
    let mut args = Vec::new();
    let w = filter_sql(f, now, &mut args);
    args.push(Arg::Int(now));
    let key = if by_township { "COALESCE(CAST(h.township_id AS TEXT), '')" } else { "h.domain" };
    let sql = format!(
        "SELECT {key}, h.status, h.level, h.watch, CASE WHEN h.deadline_at < ${n} THEN 1 ELSE 0 END, COUNT(*)
         FROM hazards h WHERE {w} GROUP BY 1, 2, 3, 4, 5",
        n = args.len()
    );
    let rows = bind_args(sqlx::query(&sql), &args).fetch_all(&mut *conn).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(CountRow {
                key: r.get(0),
                status: r.get::<String, _>(1).parse().ok()?,
                level: r.get::<String, _>(2).parse().ok()?,
                watch: r.get::<Option<String>, _>(3).and_then(|w| w.parse().ok()),
                overdue: r.get::<i64, _>(4) == 1,
                count: r.get::<i64, _>(5) as u32,
            })
        })
        .collect())
}

/// When the scheduler must next look at the register.
pub async fn next_due(conn: &mut AnyConnection) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT MIN(next_due) FROM hazards WHERE next_due IS NOT NULL").fetch_one(conn).await?)
}

/// Hazards whose next look is due at `now`, with their inspecting units and their last step's
/// number.
pub async fn due(conn: &mut AnyConnection, now: i64, limit: i64) -> Result<Vec<(Hazard, i64)>, StoreError> {
    let rows =
        sqlx::query(&format!("SELECT {COLUMNS}, h.last_seq FROM hazards h WHERE h.next_due IS NOT NULL AND h.next_due <= $1 ORDER BY h.next_due LIMIT $2"))
            .bind(now)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
    let mut due: Vec<(Hazard, i64)> = rows.iter().filter_map(|r| Some((hazard_of(r)?, r.get::<i64, _>(22)))).collect();
    fill_inspectors(conn, due.iter_mut().map(|(h, _)| h)).await?;
    Ok(due)
}

/// The open hazards with a point, for the command screen's map: the major and overdue first.
pub async fn points(conn: &mut AnyConnection, now: i64, limit: i64) -> Result<Vec<HazardPoint>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, title, domain, level, CASE WHEN status IN ('found', 'rectifying') AND deadline_at < $1 THEN 1 ELSE 0 END, lat_e6, lng_e6
         FROM hazards WHERE status <> 'ticked_off' AND lat_e6 IS NOT NULL AND lng_e6 IS NOT NULL
         ORDER BY CASE WHEN level = 'major' THEN 0 ELSE 1 END, deadline_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(HazardPoint {
                id: r.get(0),
                title: r.get(1),
                domain: r.get::<String, _>(2).parse().ok()?,
                major: r.get::<String, _>(3) == "major",
                overdue: r.get::<i64, _>(4) == 1,
                point: GeoPoint { lat_e6: r.get(5), lng_e6: r.get(6) },
            })
        })
        .collect())
}
