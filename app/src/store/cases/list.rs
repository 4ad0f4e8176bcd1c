//! The register's lists: one page of cases for any filter, newest first, and the few
//! reads of one case's summary and texts.
#[allow(unused_imports)]
use super::*;

const SUMMARY_COLS: &str = "c.id, c.code, c.title, c.kind, c.category, cat.name, c.channel, c.urgency, c.status,
    c.area_id, c.area_code, a.name, u.name, c.lat_e6, c.lng_e6, c.received_at, c.deadline_at, c.stopped_at";
// Every case has its category (a foreign key); LEFT JOINs keep SQLite from starting a
// list anywhere but at the cases.
macro_rules! summary_joins {
    () => {
        "LEFT JOIN categories cat ON cat.code = c.category
    LEFT JOIN areas a ON a.id = c.area_id LEFT JOIN units u ON u.id = c.lead_unit_id"
    };
}
const SUMMARY_JOINS: &str = summary_joins!();
const SUMMARY_FROM: &str = concat!("cases c ", summary_joins!());

fn summary_from(r: &AnyRow) -> Option<CaseSummary> {
    let location = match (r.get::<Option<i64>, _>(13), r.get::<Option<i64>, _>(14)) {
        (Some(lat_e6), Some(lng_e6)) => Some(GeoPoint { lat_e6, lng_e6 }),
        _ => None,
    };
    Some(CaseSummary {
        id: r.get(0),
        code: r.get(1),
        title: r.get(2),
        kind: r.get::<String, _>(3).parse().ok()?,
        category: r.get(4),
        category_name: r.get(5),
        channel: r.get::<String, _>(6).parse().ok()?,
        urgency: r.get::<String, _>(7).parse().ok()?,
        status: r.get::<String, _>(8).parse().ok()?,
        area_id: r.get(9),
        area_code: r.get(10),
        area_name: r.get(11),
        lead_unit: r.get(12),
        location,
        received_ms: r.get(15),
        deadline_ms: r.get(16),
        stopped_ms: r.get(17),
    })
}

pub async fn summary(conn: &mut AnyConnection, id: CaseId) -> Result<Option<CaseSummary>, StoreError> {
    let row = sqlx::query(&format!("SELECT {SUMMARY_COLS} FROM {SUMMARY_FROM} WHERE c.id = $1")).bind(id).fetch_optional(&mut *conn).await?;
    Ok(row.as_ref().and_then(summary_from))
}

/// The summaries of the cases `ids`, in one query (missing ids are left out).
pub async fn summaries(conn: &mut AnyConnection, ids: &[CaseId]) -> Result<HashMap<CaseId, CaseSummary>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!("SELECT {SUMMARY_COLS} FROM {SUMMARY_FROM} WHERE c.id IN ({})", crate::store::placeholders::marks(1, ids.len()));
    let rows = crate::store::placeholders::bind_ids(sqlx::query(&sql), ids).fetch_all(&mut *conn).await?;
    Ok(rows.iter().filter_map(summary_from).map(|s| (s.id, s)).collect())
}

/// Description, address and the reporter's contact (in full: the service masks it), with
/// when the contact was erased after the retention period.
pub struct CaseTexts {
    pub description: String,
    pub address: Option<String>,
    pub reporter: Option<Contact>,
    pub contact_erased_ms: Option<i64>,
}

pub async fn texts(conn: &mut AnyConnection, id: CaseId) -> Result<Option<CaseTexts>, StoreError> {
    let row =
        sqlx::query("SELECT c.description, c.address, r.name, r.phone, r.erased_at FROM cases c LEFT JOIN reporters r ON r.id = c.reporter_id WHERE c.id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|r| CaseTexts { description: r.get(0), address: r.get(1), reporter: Contact::given(r.get(2), r.get(3)), contact_erased_ms: r.get(4) }))
}

/// One page of the register, newest first, after `after`.
///
/// Every filter has an index that yields its cases newest first (status, kind, category,
/// channel, township, village, grid, open cases for overdue, a unit's assignments, receipt
/// time for dates), so the database walks one of them from the cursor and stops after a
/// page. A text search first asks its index how many cases match: a few thousand at most
/// are fetched by id and sorted, a commoner word is checked on each row of that walk.
pub async fn list(conn: &mut AnyConnection, filter: &CaseFilter, scope: Scope, after: Option<Cursor>, limit: usize, now: i64) -> Result<CasePage, StoreError> {
    let backend = Backend::of(conn);
    let Some(Plan { found, mut wheres, mut args, drive }) = plan(conn, filter, scope, now).await? else {
        return Ok(CasePage { rows: vec![], next: None, now_ms: now });
    };
    let arg = |a: Arg, args: &mut Vec<Arg>| {
        args.push(a);
        format!("${}", args.len())
    };
    // Newest first, ties by id; through the assignments when they drive the walk.
    let (received, id, from) = match (&found, drive) {
        (Some(_), _) => ("c.received_at", "c.id", format!("found c {SUMMARY_JOINS}")),
        (None, Some(_)) => ("k.received_at", "k.case_id", format!("case_units k CROSS JOIN {SUMMARY_FROM}")),
        (None, None) => ("c.received_at", "c.id", SUMMARY_FROM.to_string()),
    };
    if drive.is_some() {
        // On SQLite the receipt time twice, so its planner knows either index gives the
        // order and may walk the cases' own (say, the open ones for overdue). PostgreSQL
        // multiplies the two conditions' selectivities, expects one row and sorts the
        // unit's every case: there the assignments drive alone.
        wheres.push(match backend {
            Backend::Sqlite => "c.id = k.case_id AND c.received_at = k.received_at".into(),
            Backend::Postgres => "c.id = k.case_id".into(),
        });
    }
    if let Some(c) = after {
        let p = arg(Arg::Int(c.received_ms), &mut args);
        let q = arg(Arg::Int(c.id), &mut args);
        wheres.push(format!("({received}, {id}) < ({p}, {q})"));
    }
    let where_sql = if wheres.is_empty() { String::new() } else { format!("WHERE {}", wheres.join(" AND ")) };
    let sql =
        format!("{}SELECT {SUMMARY_COLS} FROM {from} {where_sql} ORDER BY {received} DESC, {id} DESC LIMIT {}", found.as_deref().unwrap_or(""), limit + 1);
    let mut q = sqlx::query(&sql);
    for a in args {
        q = match a {
            Arg::Int(i) => q.bind(i),
            Arg::Text(t) => q.bind(t),
        };
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let mut rows: Vec<CaseSummary> = rows.iter().filter_map(summary_from).collect();
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| Cursor { received_ms: r.received_ms, id: r.id })
    } else {
        None
    };
    Ok(CasePage { rows, next, now_ms: now })
}

/// The cases a filter asks for, as conditions on `cases c` (and on `case_units k` when a
/// unit's assignments drive the walk, or on the `found` CTE for a rare text); `None` when
/// nothing can match. The list and the count share it, so a figure and its list agree.
struct Plan {
    found: Option<String>,
    wheres: Vec<String>,
    args: Vec<Arg>,
    drive: Option<UnitId>,
}

/// The cases matching any of `conditions` (on `cases`, none overlapping another), read first
/// as `found`: both databases materialise it, so the walk starts from these few instead of an
/// index over the whole register. Each condition is its own select, so each uses its own index
/// (PostgreSQL hashes a scan of the register for one `IN` over a union), and `UNION ALL` does
/// not compare whole rows to drop duplicates (SQLite sorted the texts for that).
fn found_cte(conditions: &[String]) -> String {
    const COLS: &str = "id, code, title, description, address, kind, category, channel, urgency, status, area_id, area_code, township_id,
        village_id, lead_unit_id, lat_e6, lng_e6, received_at, deadline_at, stopped_at, updated_at, command_open";
    let selects: Vec<String> = conditions.iter().map(|c| format!("SELECT {COLS} FROM cases WHERE {c}")).collect();
    format!("WITH found AS MATERIALIZED ({}) ", selects.join(" UNION ALL "))
}

async fn plan(conn: &mut AnyConnection, filter: &CaseFilter, scope: Scope, now: i64) -> Result<Option<Plan>, StoreError> {
    let backend = Backend::of(conn);
    let mut wheres: Vec<String> = Vec::new();
    let mut args: Vec<Arg> = Vec::new();
    let arg = |a: Arg, args: &mut Vec<Arg>| {
        args.push(a);
        format!("${}", args.len())
    };
    let text = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    // A text the index finds in few cases: those are read first and everything else is
    // checked on them (in a CTE both databases materialise, so SQLite cannot instead walk
    // a status index hoping to meet them). A commoner text is checked on each row.
    let mut found = None;
    if let Some(t) = text {
        let index = TextIndex::of(backend, t);
        match text_count(conn, &index).await? {
            Some(0) => return Ok(None),
            Some(n) if n <= TEXT_CANDIDATES => {
                let ids = index.ids(&mut args, false).unwrap_or_default();
                found = Some(found_cte(&[format!("id IN ({ids})")]));
            }
            _ => {}
        }
    }
    // A unit's list walks its assignments newest first, unless the text search has
    // already named the few candidates.
    let scope_unit = match scope {
        Scope::Unit(u) => Some(u),
        Scope::All | Scope::Area { .. } => None,
    };
    if let Scope::Area { unit, level, area_id } = scope {
        // The area's cases, or any case the unit holds or held elsewhere: checked on the
        // newest-first walk, which meets them often enough (a village's share of the register
        // is a page in a few thousand rows). With a common word to check on every row too, a
        // village's or grid's few cases are read first instead, as a rare word's are.
        let a = arg(Arg::Int(area_id), &mut args);
        let u = arg(Arg::Int(unit), &mut args);
        let (col, in_area) = match level {
            AreaLevel::Township => ("c.township_id", None),
            AreaLevel::Village => ("c.village_id", Some((format!("village_id = {a}"), format!("COALESCE(village_id, 0) <> {a}")))),
            _ => {
                let code = format!("(SELECT code FROM areas WHERE id = {a})");
                ("c.area_id", Some((format!("area_code = {code}"), format!("COALESCE(area_code, '') <> {code}"))))
            }
        };
        match in_area {
            Some((here, elsewhere)) if text.is_some() && found.is_none() => {
                found = Some(found_cte(&[here, format!("id IN (SELECT case_id FROM case_units WHERE unit_id = {u}) AND {elsewhere}")]))
            }
            _ => wheres.push(format!("({col} = {a} OR EXISTS (SELECT 1 FROM case_units cu WHERE cu.case_id = c.id AND cu.unit_id = {u}))")),
        }
    }
    // On PostgreSQL the open cases' own index serves "overdue" better than a busy unit's
    // assignments, where overdue ones are rare (SQLite's planner makes that choice itself).
    let open_walk = backend == Backend::Postgres && filter.overdue;
    let drive = if found.is_some() || open_walk { None } else { scope_unit.or(filter.unit_id) };
    if let Some(u) = drive {
        let p = arg(Arg::Int(u), &mut args);
        wheres.push(format!("k.unit_id = {p}"));
    }
    let mut held: Vec<UnitId> = [scope_unit, filter.unit_id].into_iter().flatten().collect();
    held.dedup();
    for u in held.into_iter().filter(|u| Some(*u) != drive) {
        let p = arg(Arg::Int(u), &mut args);
        wheres.push(format!("EXISTS (SELECT 1 FROM case_units cu WHERE cu.case_id = c.id AND cu.unit_id = {p})"));
    }
    if let Some(s) = filter.status {
        let p = arg(Arg::Text(s.code().into()), &mut args);
        wheres.push(format!("c.status = {p}"));
    }
    if let Some(k) = filter.kind {
        let p = arg(Arg::Text(k.code().into()), &mut args);
        wheres.push(format!("c.kind = {p}"));
    }
    if let Some(cat) = &filter.category {
        let p = arg(Arg::Text(cat.clone()), &mut args);
        wheres.push(format!("c.category = {p}"));
    }
    if let Some(ch) = filter.channel {
        let p = arg(Arg::Text(ch.code().into()), &mut args);
        wheres.push(format!("c.channel = {p}"));
    }
    if let Some(area) = filter.area_id {
        let row = sqlx::query("SELECT level, code FROM areas WHERE id = $1").bind(area).fetch_optional(&mut *conn).await?;
        let Some(row) = row else { return Ok(None) };
        let (level, code): (String, String) = (row.get(0), row.get(1));
        // The area and everything below it: each case knows its township and village,
        // and nothing lies below a grid.
        wheres.push(match level.parse::<AreaLevel>() {
            Ok(AreaLevel::Township) => format!("c.township_id = {}", arg(Arg::Int(area), &mut args)),
            Ok(AreaLevel::Village) => format!("c.village_id = {}", arg(Arg::Int(area), &mut args)),
            Ok(AreaLevel::Grid) => format!("c.area_code = {}", arg(Arg::Text(code), &mut args)),
            _ => {
                let p = arg(Arg::Text(code.clone()), &mut args);
                let q = arg(Arg::Text(format!("{code}-%")), &mut args);
                format!("(c.area_code = {p} OR c.area_code LIKE {q})")
            }
        });
    }
    if filter.overdue {
        let p = arg(Arg::Int(now), &mut args);
        wheres.push(format!("c.stopped_at IS NULL AND c.deadline_at < {p}"));
    }
    if filter.open {
        let open: Vec<String> = CaseStatus::ALL.iter().filter(|s| !s.is_finished()).map(|s| format!("'{}'", s.code())).collect();
        wheres.push(format!("c.status IN ({})", open.join(", ")));
    }
    if filter.command {
        // Literal, so either database sees the partial index's condition.
        wheres.push("c.command_open = 1".into());
    }
    if filter.closed_from_ms.is_some() || filter.closed_to_ms.is_some() {
        wheres.push(format!("c.status = '{}'", CaseStatus::Closed.code()));
        if let Some(from) = filter.closed_from_ms {
            let p = arg(Arg::Int(from), &mut args);
            wheres.push(format!("c.updated_at >= {p}"));
        }
        if let Some(to) = filter.closed_to_ms {
            let p = arg(Arg::Int(to), &mut args);
            wheres.push(format!("c.updated_at < {p}"));
        }
    }
    if let Some(from) = filter.from_ms {
        let p = arg(Arg::Int(from), &mut args);
        wheres.push(format!("c.received_at >= {p}"));
    }
    if let Some(to) = filter.to_ms {
        let p = arg(Arg::Int(to), &mut args);
        wheres.push(format!("c.received_at < {p}"));
    }
    if let Some(text) = text {
        // The rows' own text decides, whichever way the candidates were found: `%` and
        // `_` are literal, Latin letters match in either case (ILIKE on PostgreSQL, as
        // SQLite's LIKE does).
        let p = arg(Arg::Text(like_pattern(text)), &mut args);
        let op = like_op(backend, text);
        wheres.push(format!("(c.title {op} {p} ESCAPE '\\' OR c.description {op} {p} ESCAPE '\\' OR c.address {op} {p} ESCAPE '\\')"));
    }
    Ok(Some(Plan { found, wheres, args, drive }))
}

/// How many cases the filter finds (everything the list would page through).
pub async fn count(conn: &mut AnyConnection, filter: &CaseFilter, scope: Scope, now: i64) -> Result<i64, StoreError> {
    let Some(Plan { found, mut wheres, args, drive }) = plan(conn, filter, scope, now).await? else { return Ok(0) };
    let from = match (&found, drive) {
        (Some(_), _) => "found c",
        (None, Some(_)) => {
            wheres.push("c.id = k.case_id".into());
            "case_units k CROSS JOIN cases c"
        }
        (None, None) => "cases c",
    };
    let where_sql = if wheres.is_empty() { String::new() } else { format!("WHERE {}", wheres.join(" AND ")) };
    let sql = format!("{}SELECT COUNT(*) FROM {from} {where_sql}", found.as_deref().unwrap_or(""));
    let mut q = sqlx::query_scalar::<_, i64>(&sql);
    for a in args {
        q = match a {
            Arg::Int(i) => q.bind(i),
            Arg::Text(t) => q.bind(t),
        };
    }
    Ok(q.fetch_one(&mut *conn).await?)
}

/// The cases reported from the phone whose hash is `phone_hash` (the risk rules' key, indexed),
/// newest first, `limit` of them with the reporter's name, and how many there are in all.
/// Contacts erased after the retention period are left out: their link to a phone is gone too.
pub async fn by_caller(conn: &mut AnyConnection, phone_hash: &str, limit: usize) -> Result<(Vec<(CaseSummary, Option<String>)>, i64), StoreError> {
    const FROM: &str = "case_risk_keys k JOIN cases c ON c.id = k.case_id JOIN reporters r ON r.id = c.reporter_id";
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLS}, r.name FROM {FROM} {SUMMARY_JOINS}
         WHERE k.phone_hash = $1 AND r.erased_at IS NULL ORDER BY k.received_at DESC, k.case_id DESC LIMIT $2"
    ))
    .bind(phone_hash)
    .bind(limit as i64)
    .fetch_all(&mut *conn)
    .await?;
    let recent: Vec<_> = rows.iter().filter_map(|r| Some((summary_from(r)?, r.get::<Option<String>, _>(18)))).collect();
    let total = if recent.len() < limit {
        recent.len() as i64
    } else {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {FROM} WHERE k.phone_hash = $1 AND r.erased_at IS NULL"))
            .bind(phone_hash)
            .fetch_one(&mut *conn)
            .await?
    };
    Ok((recent, total))
}

/// Open cases of a category received since `since`: the candidates for duplicates.
pub async fn recent_open_in_category(conn: &mut AnyConnection, category: &str, since: i64) -> Result<Vec<CaseSummary>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLS} FROM {SUMMARY_FROM}
         WHERE c.category = $1 AND c.received_at >= $2 AND c.status NOT IN ('closed', 'rejected', 'merged')
         ORDER BY c.received_at DESC LIMIT 200"
    ))
    .bind(category)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().filter_map(summary_from).collect())
}

/// May this unit's staff read the case: has the unit held it (in any round), or does it lie
/// in the unit's area (a township government's township, a committee's village, a team's grid)?
pub async fn unit_may_read(conn: &mut AnyConnection, case_id: CaseId, unit_id: UnitId) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM case_units WHERE case_id = $1 AND unit_id = $2)
            OR EXISTS (SELECT 1 FROM cases c JOIN units u ON u.id = $2 WHERE c.id = $1 AND u.area_id IS NOT NULL AND (
                (u.kind = 'township_government' AND c.township_id = u.area_id)
                OR (u.kind = 'village_committee' AND c.village_id = u.area_id)
                OR (u.kind = 'grid_team' AND c.area_id = u.area_id)))
         THEN 1 ELSE 0 END",
    )
    .bind(case_id)
    .bind(unit_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n == 1)
}
