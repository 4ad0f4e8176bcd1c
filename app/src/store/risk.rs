//! Risk warnings (migration 0020): the rules' settings, the keys the repeat rule matches a
//! case on, the cases a rule looks back over, the warnings and their evidence.
use super::StoreError;
use super::placeholders::{bind_ids, marks};
use crate::domain::case::{CaseId, GeoPoint};
use crate::domain::risk::figures::Group;
use crate::domain::risk::rules::{NearBox, Overlapping};
use crate::domain::risk::{Fact, Level, Rule, Status, Warning};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, BTreeSet};

pub async fn settings(conn: &mut AnyConnection) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT body FROM risk_settings WHERE id = 1").fetch_optional(&mut *conn).await?)
}

pub async fn save_settings(conn: &mut AnyConnection, body: &str, now: i64, by: Option<i64>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO risk_settings (id, body, updated_at, updated_by) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(body)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Keeps what the repeat rule matches `fact` on.
pub async fn insert_keys(conn: &mut AnyConnection, fact: &Fact) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO case_risk_keys (case_id, received_at, phone_hash, place_cell) VALUES ($1, $2, $3, $4)")
        .bind(fact.case_id)
        .bind(fact.received_ms)
        .bind(fact.phone_hash.as_deref())
        .bind(fact.place_cell.as_deref())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

const FACT_COLUMNS: &str = "c.id, c.received_at, c.category, c.village_id, c.township_id, c.lat_e6, c.lng_e6, k.phone_hash, k.place_cell";

fn fact(r: &AnyRow, text: String) -> Fact {
    let point = match (r.get::<Option<i64>, _>(5), r.get::<Option<i64>, _>(6)) {
        (Some(lat_e6), Some(lng_e6)) => Some(GeoPoint { lat_e6, lng_e6 }),
        _ => None,
    };
    Fact {
        case_id: r.get(0),
        received_ms: r.get(1),
        category: r.get(2),
        village_id: r.get(3),
        township_id: r.get(4),
        point,
        phone_hash: r.get(7),
        place_cell: r.get(8),
        text,
    }
}

/// The case as the rules see it, its words included.
pub async fn fact_of(conn: &mut AnyConnection, id: CaseId) -> Result<Option<Fact>, StoreError> {
    let sql = format!("SELECT {FACT_COLUMNS}, c.title, c.description FROM cases c LEFT JOIN case_risk_keys k ON k.case_id = c.id WHERE c.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    Ok(row.map(|r| {
        let text = format!("{} {}", r.get::<String, _>(9), r.get::<String, _>(10));
        fact(&r, text)
    }))
}

/// Where a cluster looks: the new case's village, or the box around its point.
#[derive(Debug, Clone, Copy)]
pub enum Around {
    Village(i64),
    Near(NearBox),
}

/// What a new case's cluster rule reads back: cases of its category around it.
#[derive(Debug, Clone, Copy)]
pub struct ClusterLook<'a> {
    pub category: &'a str,
    pub around: Around,
    pub since: i64,
    pub limit: i64,
}

/// What its repeat rule reads back: cases with its phone, cases from its place.
#[derive(Debug, Clone, Copy)]
pub struct RepeatLook<'a> {
    pub phone_hash: Option<&'a str>,
    pub place_cell: Option<&'a str>,
    pub since: i64,
    pub limit: i64,
}

/// The cases a new case's rules compare it with, each list newest first; and the warnings
/// holding any of them, by rule, each with those of them it holds (all a decision needs).
#[derive(Debug, Clone, Default)]
pub struct LookedBack {
    pub same_category: Vec<Fact>,
    pub same_phone: Vec<Fact>,
    pub same_place: Vec<Fact>,
    pub holding: Vec<(Rule, Overlapping)>,
}

/// The cases received up to `until` that a new case's rules look back over, with the
/// warnings holding them, in one statement (each rule's list is a branch of it; every
/// statement costs a busy intake):
/// merged cases left out of a cluster (their reports live on in the case they joined).
/// Only ids and times are read, and a point only around a case placed by a point alone: the
/// values compared are the query's own.
pub async fn look_back(
    conn: &mut AnyConnection,
    cluster: Option<ClusterLook<'_>>,
    repeat: Option<RepeatLook<'_>>,
    until: i64,
) -> Result<LookedBack, StoreError> {
    let mut branches: Vec<String> = Vec::new();
    let mut args: Vec<LookArg> = vec![LookArg::Int(until)];
    let next = |args: &mut Vec<LookArg>, a: LookArg| {
        args.push(a);
        format!("${}", args.len())
    };
    if let Some(c) = cluster {
        let (cat, since) = (next(&mut args, LookArg::Text(c.category.to_string())), next(&mut args, LookArg::Int(c.since)));
        let (point, place) = match c.around {
            Around::Village(v) => {
                ("CAST(NULL AS BIGINT) AS lat_e6, CAST(NULL AS BIGINT) AS lng_e6".to_string(), format!("c.village_id = {}", next(&mut args, LookArg::Int(v))))
            }
            Around::Near(b) => (
                "c.lat_e6, c.lng_e6".to_string(),
                format!(
                    "c.lat_e6 BETWEEN {} AND {} AND c.lng_e6 BETWEEN {} AND {}",
                    next(&mut args, LookArg::Int(b.lat_min)),
                    next(&mut args, LookArg::Int(b.lat_max)),
                    next(&mut args, LookArg::Int(b.lng_min)),
                    next(&mut args, LookArg::Int(b.lng_max))
                ),
            ),
        };
        branches.push(format!(
            "SELECT * FROM (SELECT 'category' AS list, c.id AS id, c.received_at AS received_at, {point} FROM cases c
             WHERE c.category = {cat} AND c.received_at >= {since} AND c.received_at <= $1 AND {place} AND c.merged_into IS NULL
             ORDER BY c.received_at DESC LIMIT {}) AS near_cases",
            c.limit
        ));
    }
    if let Some(r) = repeat {
        for (list, col, key) in [("phone", "phone_hash", r.phone_hash), ("place", "place_cell", r.place_cell)] {
            let Some(key) = key else { continue };
            let (key, since) = (next(&mut args, LookArg::Text(key.to_string())), next(&mut args, LookArg::Int(r.since)));
            branches.push(format!(
                "SELECT * FROM (SELECT '{list}' AS list, k.case_id AS id, k.received_at AS received_at, CAST(NULL AS BIGINT) AS lat_e6, CAST(NULL AS BIGINT) AS lng_e6 FROM case_risk_keys k
                 WHERE k.{col} = {key} AND k.received_at >= {since} AND k.received_at <= $1 ORDER BY k.received_at DESC LIMIT {}) AS same_{list}",
                r.limit
            ));
        }
    }
    let mut out = LookedBack::default();
    if branches.is_empty() {
        return Ok(out);
    }
    let sql = format!(
        "SELECT l.*, e.warning_id, w.status, e.rule FROM ({}) AS l
         LEFT JOIN risk_evidence e ON e.case_id = l.id LEFT JOIN risk_warnings w ON w.id = e.warning_id",
        branches.join(" UNION ALL ")
    );
    let mut q = sqlx::query(&sql);
    for a in args {
        q = match a {
            LookArg::Int(v) => q.bind(v),
            LookArg::Text(v) => q.bind(v),
        };
    }
    let mut holding = Holding::default();
    let mut listed: BTreeSet<(String, CaseId)> = BTreeSet::new();
    for r in q.fetch_all(&mut *conn).await? {
        let case_id: CaseId = r.get(1);
        if let (Some(warning_id), Some(status), Some(rule)) = (r.get::<Option<i64>, _>(5), r.get::<Option<String>, _>(6), r.get::<Option<String>, _>(7)) {
            holding.add(&rule, warning_id, &status, case_id);
        }
        // A case evidence of several warnings comes once for each.
        if !listed.insert((r.get::<String, _>(0), case_id)) {
            continue;
        }
        let mut f = Fact { case_id, received_ms: r.get(2), ..Fact::default() };
        match r.get::<String, _>(0).as_str() {
            "category" => {
                let c = cluster.expect("a category branch was asked for");
                f.category = c.category.to_string();
                match c.around {
                    Around::Village(v) => f.village_id = Some(v),
                    Around::Near(_) => f.point = r.get::<Option<i64>, _>(3).zip(r.get::<Option<i64>, _>(4)).map(|(lat_e6, lng_e6)| GeoPoint { lat_e6, lng_e6 }),
                }
                out.same_category.push(f);
            }
            "phone" => {
                f.phone_hash = repeat.and_then(|r| r.phone_hash).map(str::to_string);
                out.same_phone.push(f);
            }
            _ => {
                f.place_cell = repeat.and_then(|r| r.place_cell).map(str::to_string);
                out.same_place.push(f);
            }
        }
    }
    out.holding = holding.by_rule();
    // Each branch came sorted, but a union keeps no order.
    for list in [&mut out.same_category, &mut out.same_phone, &mut out.same_place] {
        list.sort_by(|a, b| b.received_ms.cmp(&a.received_ms).then(b.case_id.cmp(&a.case_id)));
    }
    Ok(out)
}

enum LookArg {
    Int(i64),
    Text(String),
}

/// The warnings holding one of `cases`, by rule, each with those of `cases` it holds (all
/// a decision needs: a long-running warning's whole evidence is not read for every new
/// case). One statement for all of a case's triggers.
pub async fn overlapping(conn: &mut AnyConnection, cases: &BTreeSet<CaseId>) -> Result<Vec<(Rule, Overlapping)>, StoreError> {
    let ids: Vec<i64> = cases.iter().copied().collect();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT e.warning_id, w.status, e.case_id, e.rule FROM risk_evidence e JOIN risk_warnings w ON w.id = e.warning_id
         WHERE e.case_id IN ({})",
        marks(1, ids.len())
    );
    let rows = bind_ids(sqlx::query(&sql), &ids).fetch_all(&mut *conn).await?;
    let mut holding = Holding::default();
    for r in &rows {
        holding.add(&r.get::<String, _>(3), r.get(0), &r.get::<String, _>(1), r.get(2));
    }
    Ok(holding.by_rule())
}

/// Evidence rows gathered into the warnings they belong to, by rule.
#[derive(Default)]
struct Holding(BTreeMap<(Rule, i64), Overlapping>);

impl Holding {
    /// Warning `warning_id` of `rule`, standing at `status`, holds `case_id`.
    fn add(&mut self, rule: &str, warning_id: i64, status: &str, case_id: CaseId) {
        let Ok(rule) = rule.parse::<Rule>() else { return };
        let open = status.parse::<Status>().is_ok_and(Status::is_open);
        self.0.entry((rule, warning_id)).or_insert_with(|| Overlapping { warning_id, open, cases: BTreeSet::new() }).cases.insert(case_id);
    }

    fn by_rule(self) -> Vec<(Rule, Overlapping)> {
        self.0.into_iter().map(|((rule, _), w)| (rule, w)).collect()
    }
}

/// A new warning with its evidence; its id.
pub async fn raise(conn: &mut AnyConnection, w: &Warning, by: Option<i64>, cases: &BTreeSet<CaseId>) -> Result<i64, StoreError> {
    let id = insert_warning(conn, w, by).await?;
    link(conn, &cases.iter().map(|c| (id, w.rule, *c)).collect::<Vec<_>>(), w.raised_ms).await?;
    Ok(id)
}

/// A new warning without its evidence yet (`link` adds it); its id.
pub async fn insert_warning(conn: &mut AnyConnection, w: &Warning, by: Option<i64>) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("INSERT INTO risk_warnings (rule, status, title, township_id, raised_at, raised_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(w.rule.code())
        .bind(w.status.code())
        .bind(&w.title)
        .bind(w.township_id)
        .bind(w.raised_ms)
        .bind(by)
        .fetch_one(&mut *conn)
        .await?)
}

/// Adds evidence: (warning, its rule, case) rows, in one statement.
pub async fn link(conn: &mut AnyConnection, rows: &[(i64, Rule, CaseId)], now: i64) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    // Bound, not spliced: one prepared statement per number of rows, kept in the cache.
    let values: Vec<String> = (0..rows.len()).map(|i| format!("(${}, ${}, ${}, $1)", 3 * i + 2, 3 * i + 3, 3 * i + 4)).collect();
    let sql = format!("INSERT INTO risk_evidence (warning_id, case_id, rule, linked_at) VALUES {} ON CONFLICT DO NOTHING", values.join(", "));
    let mut q = sqlx::query(&sql).bind(now);
    for (id, rule, case) in rows {
        q = q.bind(*id).bind(*case).bind(rule.code());
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

const WARNING_COLUMNS: &str = "w.id, w.rule, w.status, w.title, w.township_id, a.name, w.raised_at, w.level, w.note, w.assessed_at, w.handled_case, w.handled_at, w.result, w.closed_at, w.dismiss_reason";

fn warning(r: &AnyRow) -> Option<Warning> {
    Some(Warning {
        id: r.get(0),
        rule: r.get::<String, _>(1).parse().ok()?,
        status: r.get::<String, _>(2).parse().ok()?,
        title: r.get(3),
        township_id: r.get(4),
        township: r.get(5),
        raised_ms: r.get(6),
        level: r.get::<Option<String>, _>(7).and_then(|l| l.parse::<Level>().ok()),
        note: r.get(8),
        assessed_ms: r.get(9),
        handled_case: r.get(10),
        handled_ms: r.get(11),
        result: r.get(12),
        closed_ms: r.get(13),
        dismiss_reason: r.get(14),
    })
}

pub async fn warning_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Warning>, StoreError> {
    let sql = format!("SELECT {WARNING_COLUMNS} FROM risk_warnings w LEFT JOIN areas a ON a.id = w.township_id WHERE w.id = $1");
    Ok(sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?.as_ref().and_then(warning))
}

/// Locks the warning for a change (PostgreSQL; SQLite's write turn already does).
pub async fn lock(conn: &mut AnyConnection, postgres: bool, id: i64) -> Result<(), StoreError> {
    if postgres {
        sqlx::query("SELECT id FROM risk_warnings WHERE id = $1 FOR UPDATE").bind(id).fetch_optional(&mut *conn).await?;
    }
    Ok(())
}

/// Writes a warning's new state after a step taken by `by`.
pub async fn save(conn: &mut AnyConnection, w: &Warning, by: Option<i64>) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE risk_warnings SET status = $2, level = $3, note = $4, assessed_at = $5,
            assessed_by = CASE WHEN $5 IS DISTINCT FROM assessed_at THEN $6 ELSE assessed_by END,
            handled_case = $7, handled_at = $8, result = $9, closed_at = $10,
            closed_by = CASE WHEN $10 IS DISTINCT FROM closed_at THEN $6 ELSE closed_by END, dismiss_reason = $11
         WHERE id = $1",
    )
    .bind(w.id)
    .bind(w.status.code())
    .bind(w.level.map(|l| l.code()))
    .bind(w.note.as_deref())
    .bind(w.assessed_ms)
    .bind(by)
    .bind(w.handled_case)
    .bind(w.handled_ms)
    .bind(w.result.as_deref())
    .bind(w.closed_ms)
    .bind(w.dismiss_reason.as_deref())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A warning's evidence: (id, code, title, status, received) newest first.
pub async fn evidence(conn: &mut AnyConnection, id: i64) -> Result<Vec<(CaseId, String, String, String, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT c.id, c.code, c.title, c.status, c.received_at FROM risk_evidence e JOIN cases c ON c.id = e.case_id
         WHERE e.warning_id = $1 ORDER BY c.received_at DESC, c.id DESC",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4))).collect())
}

/// A list's narrowing: one rule, one level, one township.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Only {
    pub rule: Option<Rule>,
    pub level: Option<Level>,
    pub township_id: Option<i64>,
    /// Raised at or after this instant (the figures count the year so far).
    pub since_ms: Option<i64>,
}

/// Which warnings a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Showing {
    Open,
    Finished,
    All,
}

/// Warnings newest first, `limit` of them before `(raised_at, id)` `after`.
pub async fn list(conn: &mut AnyConnection, showing: Showing, only: &Only, after: Option<(i64, i64)>, limit: i64) -> Result<Vec<Warning>, StoreError> {
    let status = match showing {
        Showing::Open => "w.status IN ('raised', 'assessed', 'handled')",
        Showing::Finished => "w.status IN ('closed', 'dismissed')",
        Showing::All => "1 = 1",
    };
    let (at, id) = after.unwrap_or((i64::MAX, i64::MAX));
    let sql = format!(
        "SELECT {WARNING_COLUMNS} FROM risk_warnings w LEFT JOIN areas a ON a.id = w.township_id
         WHERE {status} AND ($1 = '' OR w.rule = $1) AND (w.raised_at < $2 OR (w.raised_at = $2 AND w.id < $3))
           AND ($5 = '' OR w.level = $5) AND ($6 = 0 OR w.township_id = $6) AND w.raised_at >= $7
         ORDER BY w.raised_at DESC, w.id DESC LIMIT $4"
    );
    let rows = sqlx::query(&sql)
        .bind(only.rule.map_or("", |r| r.code()))
        .bind(at)
        .bind(id)
        .bind(limit)
        .bind(only.level.map_or("", |l| l.code()))
        .bind(only.township_id.unwrap_or(0))
        .bind(only.since_ms.unwrap_or(i64::MIN))
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().filter_map(warning).collect())
}

/// The warnings raised in `[from, to)` counted by rule, level, status and township.
pub async fn tallies(conn: &mut AnyConnection, from: i64, to: i64) -> Result<Vec<Group>, StoreError> {
    let rows = sqlx::query(
        "SELECT w.rule, COALESCE(w.level, ''), w.status, w.township_id, a.name, COUNT(*) FROM risk_warnings w LEFT JOIN areas a ON a.id = w.township_id
         WHERE w.raised_at >= $1 AND w.raised_at < $2 GROUP BY w.rule, w.level, w.status, w.township_id, a.name",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().map(|r| Group { rule: r.get(0), level: r.get(1), status: r.get(2), township_id: r.get(3), township: r.get(4), n: r.get(5) }).collect())
}

/// Facts of the cases received in `[from, to)` after `(received, id)`, in order of receipt,
/// with their words and their reporters' phones (to be hashed): a replay's page.
pub async fn history_page(conn: &mut AnyConnection, from: i64, to: i64, after: (i64, i64), limit: i64) -> Result<Vec<(Fact, Option<String>)>, StoreError> {
    let sql = format!(
        "SELECT {FACT_COLUMNS}, c.title, c.description, r.phone FROM cases c LEFT JOIN case_risk_keys k ON k.case_id = c.id
         LEFT JOIN reporters r ON r.id = c.reporter_id
         WHERE c.received_at >= $1 AND c.received_at < $2 AND (c.received_at > $3 OR (c.received_at = $3 AND c.id > $4)) AND c.merged_into IS NULL
         ORDER BY c.received_at, c.id LIMIT $5"
    );
    let rows = sqlx::query(&sql).bind(from).bind(to).bind(after.0).bind(after.1).bind(limit).fetch_all(&mut *conn).await?;
    Ok(rows
        .iter()
        .map(|r| {
            let text = format!("{} {}", r.get::<String, _>(9), r.get::<String, _>(10));
            (fact(r, text), r.get(11))
        })
        .collect())
}

/// For a replay: emergencies whose deadline fell in `[from, to)` and found them without a
/// result, and palm-command escalations in it.
pub async fn replay_case_rules(conn: &mut AnyConnection, from: i64, to: i64) -> Result<(i64, i64), StoreError> {
    let overdue: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cases WHERE (kind = 'major_emergency' OR urgency = 'emergency') AND deadline_at >= $1 AND deadline_at < $2
         AND (stopped_at IS NULL OR stopped_at > deadline_at)",
    )
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    let unsigned: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT case_id) FROM case_events WHERE kind = 'escalated' AND at >= $1 AND at < $2")
        .bind(from)
        .bind(to)
        .fetch_one(&mut *conn)
        .await?;
    Ok((overdue, unsigned))
}
