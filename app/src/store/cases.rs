//! The case register: each case's current state and its hash-chained history.
//!
//! `cases.state` holds the aggregate as JSON so a command loads one row; the history in
//! `case_events` is the record of truth, and `verify_history` checks both that every
//! chain is unbroken and that replaying it gives the stored state.
use super::hash::sha256_hex;
use super::{Backend, Db, StoreError};
use crate::domain::case::{
    AttachmentInfo, Case, CaseEvent, CaseFilter, CaseId, CasePage, CaseSummary, Category, CheckedText,
    Cursor, GeoPoint, Intake, TimelineEntry, UnitId,
};
use crate::domain::org::AreaLevel;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// Who may see which cases: everyone's (the center, leaders) or one unit's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Unit(UnitId),
}

/// The link of one history row in its case's chain. Fields are joined with a separator
/// that cannot occur in them (JSON escapes control characters).
pub fn chain_hash(prev: &str, case_id: CaseId, seq: i64, at: i64, actor_id: Option<i64>, kind: &str, body: &str) -> String {
    let actor = actor_id.map_or(String::new(), |a| a.to_string());
    let joined = [prev, &case_id.to_string(), &seq.to_string(), &at.to_string(), &actor, kind, body].join("\u{1f}");
    sha256_hex(joined.as_bytes())
}

pub async fn categories(db: &Db) -> Result<Vec<Category>, StoreError> {
    let rows = sqlx::query("SELECT code, name, kind, allowed_ms, active, ack_ms FROM categories ORDER BY kind, id").fetch_all(&db.pool).await?;
    Ok(rows.iter().filter_map(category_from).collect())
}

fn category_from(r: &AnyRow) -> Option<Category> {
    Some(Category {
        code: r.get(0),
        name: r.get(1),
        kind: r.get::<String, _>(2).parse().ok()?,
        allowed_ms: r.get(3),
        active: r.get::<i64, _>(4) != 0,
        ack_ms: r.get(5),
    })
}

pub async fn category(conn: &mut AnyConnection, code: &str) -> Result<Option<Category>, StoreError> {
    let row = sqlx::query("SELECT code, name, kind, allowed_ms, active, ack_ms FROM categories WHERE code = $1")
        .bind(code)
        .fetch_optional(conn)
        .await?;
    Ok(row.as_ref().and_then(category_from))
}

pub async fn insert_reporter(conn: &mut AnyConnection, name: Option<&str>, phone: Option<&str>, now: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("INSERT INTO reporters (name, phone, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(name)
        .bind(phone)
        .bind(now)
        .fetch_one(conn)
        .await?)
}

pub struct NewCase<'a> {
    pub code: &'a str,
    pub secret_hash: &'a str,
    pub intake: &'a Intake,
    pub text: &'a CheckedText,
    /// The area and its code (the code is copied so area filters need no join; the area's
    /// township and village are copied too, from the area tree).
    pub area: Option<(i64, &'a str)>,
    pub location: Option<GeoPoint>,
    pub reporter_id: Option<i64>,
    pub received_at: i64,
}

/// Inserts the case row; its state and history are written by `append` and `save_state`
/// in the same transaction. `None` when the code is taken (the transaction goes on).
pub async fn insert_case(conn: &mut AnyConnection, c: &NewCase<'_>) -> Result<Option<CaseId>, StoreError> {
    let i = c.intake;
    sqlx::query_scalar(
        "INSERT INTO cases (code, secret_hash, kind, category, channel, urgency, status, title, description, address,
            area_id, area_code, lat_e6, lng_e6, reporter_id, received_at, deadline_at, updated_at, last_seq, last_hash, state,
            township_id, village_id)
         VALUES ($1, $2, $3, $4, $5, $6, 'received', $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $15, 0, '', '{}',
            (SELECT CASE a.level WHEN 'township' THEN a.id WHEN 'village' THEN a.parent_id WHEN 'grid' THEN p.parent_id END
             FROM areas a LEFT JOIN areas p ON p.id = a.parent_id WHERE a.id = $10),
            (SELECT CASE a.level WHEN 'village' THEN a.id WHEN 'grid' THEN a.parent_id END FROM areas a WHERE a.id = $10))
         ON CONFLICT (code) DO NOTHING
         RETURNING id",
    )
    .bind(c.code)
    .bind(c.secret_hash)
    .bind(i.kind.code())
    .bind(&i.category)
    .bind(i.channel.code())
    .bind(i.urgency.code())
    .bind(&c.text.title)
    .bind(&c.text.description)
    .bind(c.text.address.as_deref())
    .bind(c.area.map(|a| a.0))
    .bind(c.area.map(|a| a.1))
    .bind(c.location.map(|p| p.lat_e6))
    .bind(c.location.map(|p| p.lng_e6))
    .bind(c.reporter_id)
    .bind(c.received_at)
    .bind(c.received_at.saturating_add(i.terms.allowed_ms))
    .fetch_optional(conn)
    .await
    .map_err(StoreError::from_write)
}

/// A case as a command finds it: the aggregate and the end of its chain.
pub struct Stored {
    pub case: Case,
    pub last_seq: i64,
    pub last_hash: String,
}

pub async fn load(conn: &mut AnyConnection, id: CaseId) -> Result<Option<Stored>, StoreError> {
    load_with(conn, id, "").await
}

/// `load` for a command about to change the case, inside its write transaction. On
/// PostgreSQL the row stays locked until commit, so two commands on one case (two units
/// signing at the same moment) queue up instead of both appending the same `seq` and one
/// failing; on SQLite `BEGIN IMMEDIATE` has already serialised the writers.
pub async fn load_for_update(conn: &mut AnyConnection, backend: Backend, id: CaseId) -> Result<Option<Stored>, StoreError> {
    load_with(conn, id, if backend == Backend::Postgres { " FOR UPDATE" } else { "" }).await
}

async fn load_with(conn: &mut AnyConnection, id: CaseId, lock: &str) -> Result<Option<Stored>, StoreError> {
    let sql = format!("SELECT state, last_seq, last_hash FROM cases WHERE id = $1{lock}");
    let row = sqlx::query(&sql).bind(id).fetch_optional(conn).await?;
    let Some(row) = row else { return Ok(None) };
    let case: Case = serde_json::from_str(&row.get::<String, _>(0)).map_err(|e| StoreError::Db(sqlx::Error::Decode(e.into())))?;
    Ok(Some(Stored { case, last_seq: row.get(1), last_hash: row.get(2) }))
}

/// Appends events to a case's chain; returns the new end of the chain.
pub async fn append(
    conn: &mut AnyConnection,
    case_id: CaseId,
    mut seq: i64,
    mut hash: String,
    actor_id: Option<i64>,
    events: &[CaseEvent],
) -> Result<(i64, String), StoreError> {
    for e in events {
        seq += 1;
        let body = serde_json::to_string(e).expect("events serialise");
        let kind = e.change.kind();
        let next = chain_hash(&hash, case_id, seq, e.at_ms, actor_id, kind, &body);
        sqlx::query(
            "INSERT INTO case_events (case_id, seq, at, actor_id, kind, body, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(case_id)
        .bind(seq)
        .bind(e.at_ms)
        .bind(actor_id)
        .bind(kind)
        .bind(&body)
        .bind(&hash)
        .bind(&next)
        .execute(&mut *conn)
        .await?;
        hash = next;
    }
    Ok((seq, hash))
}

/// Writes the case's state and the columns the lists filter on, and which units hold it.
pub async fn save_state(conn: &mut AnyConnection, case: &Case, seq: i64, hash: &str, now: i64) -> Result<(), StoreError> {
    let state = serde_json::to_string(case).expect("cases serialise");
    sqlx::query(
        "UPDATE cases SET status = $1, lead_unit_id = $2, merged_into = $3, deadline_at = $4, stopped_at = $5,
            updated_at = $6, last_seq = $7, last_hash = $8, state = $9, next_alarm_at = $11 WHERE id = $10",
    )
    .bind(case.status.code())
    .bind(case.lead().map(|a| a.unit))
    .bind(case.merged_into)
    .bind(case.sla.deadline_ms())
    .bind(case.sla.stopped_ms)
    .bind(now)
    .bind(seq)
    .bind(hash)
    .bind(&state)
    .bind(case.id)
    .bind(case.next_alarm_ms(now))
    .execute(&mut *conn)
    .await?;
    // Latest round wins for each unit: a unit dispatched twice keeps one row.
    let mut units: Vec<(UnitId, bool, bool, &str)> = Vec::new();
    for a in &case.assignments {
        let current = a.round == case.round && a.status.is_active();
        units.retain(|u| u.0 != a.unit);
        units.push((a.unit, a.lead, current, a.status.code()));
    }
    if units.is_empty() {
        return Ok(());
    }
    sqlx::query("DELETE FROM case_units WHERE case_id = $1").bind(case.id).execute(&mut *conn).await?;
    for (unit, lead, current, status) in units {
        // The receipt time rides along, so a unit's list pages through one index.
        sqlx::query("INSERT INTO case_units (case_id, unit_id, lead, current, status, received_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(case.id)
            .bind(unit)
            .bind(lead as i64)
            .bind(current as i64)
            .bind(status)
            .bind(case.received_ms)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The tokens of SQLite's `case_grams` index: every character and every pair of
/// neighbouring characters within a field, space-separated (PostgreSQL computes the same
/// set in its `case_grams` function).
pub fn grams(fields: &[&str]) -> String {
    let mut out = String::new();
    for field in fields {
        let chars: Vec<char> = field.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            out.push(*c);
            out.push(' ');
            if let Some(next) = chars.get(i + 1) {
                out.push(*c);
                out.push(*next);
                out.push(' ');
            }
        }
    }
    out
}

pub async fn index_text(conn: &mut AnyConnection, backend: Backend, id: CaseId, t: &CheckedText) -> Result<(), StoreError> {
    let address = t.address.as_deref().unwrap_or("");
    match backend {
        Backend::Sqlite => {
            sqlx::query("INSERT INTO case_search (rowid, title, description, address) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(&t.title)
                .bind(&t.description)
                .bind(address)
                .execute(&mut *conn)
                .await?;
            sqlx::query("INSERT INTO case_grams (rowid, grams) VALUES ($1, $2)")
                .bind(id)
                .bind(grams(&[&t.title, &t.description, address]))
                .execute(&mut *conn)
                .await?;
        }
        Backend::Postgres => {
            sqlx::query("INSERT INTO case_search (case_id, body) VALUES ($1, $2)")
                .bind(id)
                .bind(format!("{}\n{}\n{}", t.title, t.description, address))
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

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

pub async fn summary(db: &Db, id: CaseId) -> Result<Option<CaseSummary>, StoreError> {
    let row = sqlx::query(&format!("SELECT {SUMMARY_COLS} FROM {SUMMARY_FROM} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.as_ref().and_then(summary_from))
}

/// Description, address and the reporter's contact: shown to staff only.
pub struct CaseTexts {
    pub description: String,
    pub address: Option<String>,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
}

pub async fn texts(db: &Db, id: CaseId) -> Result<Option<CaseTexts>, StoreError> {
    let row = sqlx::query(
        "SELECT c.description, c.address, r.name, r.phone FROM cases c LEFT JOIN reporters r ON r.id = c.reporter_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| CaseTexts { description: r.get(0), address: r.get(1), reporter_name: r.get(2), reporter_phone: r.get(3) }))
}

/// A bind value for queries assembled from filters.
enum Arg {
    Int(i64),
    Text(String),
}

/// `%` and `_` in what people type are literal characters, not wildcards.
fn like_pattern(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// A text search whose index finds at most this many cases is answered from those cases
/// (looked up and sorted); a commoner word is checked row by row down the list instead,
/// where it is dense enough that a page turns up within a few thousand rows.
pub const TEXT_CANDIDATES: usize = 5000;

/// Where a text search looks first: three characters or more in the trigram index, one
/// or two (二字词 are common) in the index of single characters and pairs.
enum TextIndex {
    /// SQLite FTS5, a quoted phrase for `case_search` (trigrams) or `case_grams`.
    Fts { table: &'static str, phrase: String },
    /// PostgreSQL `pg_trgm`: the LIKE pattern and its operator (`like_op`).
    Trigrams { pattern: String, op: &'static str },
    /// PostgreSQL `case_grams(body)`: the characters or pairs that must all be there
    /// (newline-separated), the LIKE pattern and its operator.
    Grams { grams: String, pattern: String, op: &'static str },
    /// Characters no index holds (SQLite's tokenizer splits at punctuation).
    None,
}

impl TextIndex {
    fn of(backend: Backend, text: &str) -> TextIndex {
        let short = text.chars().count() < 3;
        let phrase = || format!("\"{}\"", text.replace('"', "\"\""));
        match backend {
            Backend::Sqlite if !short => TextIndex::Fts { table: "case_search", phrase: phrase() },
            Backend::Sqlite if text.chars().all(gram_char) => TextIndex::Fts { table: "case_grams", phrase: phrase() },
            Backend::Sqlite => TextIndex::None,
            // pg_trgm takes its trigrams from letters and digits only.
            Backend::Postgres if text.chars().filter(|c| c.is_alphanumeric()).count() >= 3 => {
                TextIndex::Trigrams { pattern: like_pattern(text), op: like_op(backend, text) }
            }
            Backend::Postgres => {
                let chars: Vec<char> = text.chars().collect();
                let grams: Vec<String> = if short {
                    vec![text.to_string()]
                } else {
                    chars.windows(2).map(|w| w.iter().collect()).collect()
                };
                let grams: Vec<String> = grams.into_iter().filter(|g| !g.contains('\n')).collect();
                TextIndex::Grams { grams: grams.join("\n"), pattern: like_pattern(text), op: like_op(backend, text) }
            }
        }
    }

    /// `SELECT <case id> FROM <index> WHERE <match>`, its values numbered by `arg`. For
    /// `counting`, PostgreSQL's index of characters and pairs goes unchecked: for one or
    /// two characters it is exact but for the case of Latin letters, and checking each row's
    /// text would cost more than the count is for.
    fn ids(&self, args: &mut Vec<Arg>, counting: bool) -> Option<String> {
        let mut arg = |a: String| {
            args.push(Arg::Text(a));
            format!("${}", args.len())
        };
        Some(match self {
            TextIndex::Fts { table, phrase } => format!("SELECT rowid FROM {table} WHERE {table} MATCH {}", arg(phrase.clone())),
            TextIndex::Trigrams { pattern, op } => format!("SELECT case_id FROM case_search WHERE body {op} {} ESCAPE '\\'", arg(pattern.clone())),
            TextIndex::Grams { grams, .. } if counting => {
                format!("SELECT case_id FROM case_search WHERE case_grams(body) @> string_to_array(lower({}), chr(10))", arg(grams.clone()))
            }
            TextIndex::Grams { grams, pattern, op } => format!(
                // `body || ''` keeps the trigram index out: for fewer than three characters it
                // would read all of itself.
                "SELECT case_id FROM case_search WHERE case_grams(body) @> string_to_array(lower({}), chr(10)) AND (body || '') {op} {} ESCAPE '\\'",
                arg(grams.clone()),
                arg(pattern.clone())
            ),
            TextIndex::None => return None,
        })
    }
}

/// The operator that matches a text ignoring the case of Latin letters: SQLite's LIKE does
/// so itself; on PostgreSQL ILIKE, but plain LIKE (several times faster on Chinese text)
/// when the text has no letter that has a case.
fn like_op(backend: Backend, text: &str) -> &'static str {
    let cased = text.chars().any(|c| c.is_lowercase() || c.is_uppercase());
    if backend == Backend::Postgres && cased { "ILIKE" } else { "LIKE" }
}

/// Characters SQLite's `case_grams` index holds as tokens: Chinese characters and ASCII
/// letters and digits (its tokenizer splits at everything else).
fn gram_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// How many cases the index finds for a text, counting no further than one past
/// `TEXT_CANDIDATES` (one row comes back, not the ids).
async fn text_count(db: &Db, index: &TextIndex) -> Result<Option<usize>, StoreError> {
    let mut args = Vec::new();
    let Some(ids) = index.ids(&mut args, true) else { return Ok(None) };
    let sql = format!("SELECT COUNT(*) FROM ({ids} LIMIT {}) t", TEXT_CANDIDATES + 1);
    let mut q = sqlx::query_scalar::<_, i64>(&sql);
    for a in args {
        if let Arg::Text(t) = a {
            q = q.bind(t);
        }
    }
    Ok(Some(q.fetch_one(&db.pool).await? as usize))
}

/// One page of the register, newest first, after `after`.
///
/// Every filter has an index that yields its cases newest first (status, kind, category,
/// channel, township, village, grid, open cases for overdue, a unit's assignments, receipt
/// time for dates), so the database walks one of them from the cursor and stops after a
/// page. A text search first asks its index how many cases match: a few thousand at most
/// are fetched by id and sorted, a commoner word is checked on each row of that walk.
pub async fn list(db: &Db, filter: &CaseFilter, scope: Scope, after: Option<Cursor>, limit: usize, now: i64) -> Result<CasePage, StoreError> {
    let empty = || CasePage { rows: vec![], next: None, now_ms: now };
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
        let index = TextIndex::of(db.backend, t);
        match text_count(db, &index).await? {
            Some(0) => return Ok(empty()),
            Some(n) if n <= TEXT_CANDIDATES => {
                let ids = index.ids(&mut args, false).unwrap_or_default();
                found = Some(format!(
                    "WITH found AS MATERIALIZED (SELECT id, code, title, description, address, kind, category, channel, urgency,
                        status, area_id, area_code, township_id, village_id, lead_unit_id, lat_e6, lng_e6, received_at,
                        deadline_at, stopped_at
                     FROM cases WHERE id IN ({ids})) "
                ));
            }
            _ => {}
        }
    }
    // A unit's list walks its assignments newest first, unless the text search has
    // already named the few candidates.
    let scope_unit = match scope {
        Scope::Unit(u) => Some(u),
        Scope::All => None,
    };
    // On PostgreSQL the open cases' own index serves "overdue" better than a busy unit's
    // assignments, where overdue ones are rare (SQLite's planner makes that choice itself).
    let open_walk = db.backend == Backend::Postgres && filter.overdue;
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
        let row = sqlx::query("SELECT level, code FROM areas WHERE id = $1").bind(area).fetch_optional(&db.pool).await?;
        let Some(row) = row else { return Ok(empty()) };
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
        let op = like_op(db.backend, text);
        wheres.push(format!(
            "(c.title {op} {p} ESCAPE '\\' OR c.description {op} {p} ESCAPE '\\' OR c.address {op} {p} ESCAPE '\\')"
        ));
    }
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
        wheres.push(match db.backend {
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
    let sql = format!(
        "{}SELECT {SUMMARY_COLS} FROM {from} {where_sql} ORDER BY {received} DESC, {id} DESC LIMIT {}",
        found.as_deref().unwrap_or(""),
        limit + 1
    );
    let mut q = sqlx::query(&sql);
    for a in args {
        q = match a {
            Arg::Int(i) => q.bind(i),
            Arg::Text(t) => q.bind(t),
        };
    }
    let rows = q.fetch_all(&db.pool).await?;
    let mut rows: Vec<CaseSummary> = rows.iter().filter_map(summary_from).collect();
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| Cursor { received_ms: r.received_ms, id: r.id })
    } else {
        None
    };
    Ok(CasePage { rows, next, now_ms: now })
}

/// Open cases of a category received since `since`: the candidates for duplicates.
pub async fn recent_open_in_category(db: &Db, category: &str, since: i64) -> Result<Vec<CaseSummary>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLS} FROM {SUMMARY_FROM}
         WHERE c.category = $1 AND c.received_at >= $2 AND c.status NOT IN ('closed', 'rejected', 'merged')
         ORDER BY c.received_at DESC LIMIT 200"
    ))
    .bind(category)
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().filter_map(summary_from).collect())
}

pub async fn timeline(db: &Db, id: CaseId) -> Result<Vec<TimelineEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT e.seq, e.body, u.display_name FROM case_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.case_id = $1 ORDER BY e.seq",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let mut files: HashMap<i64, Vec<AttachmentInfo>> = HashMap::new();
    for (seq, info) in attachments(db, id).await? {
        files.entry(seq.unwrap_or(0)).or_default().push(info);
    }
    Ok(rows
        .iter()
        .filter_map(|r| {
            let seq: i64 = r.get(0);
            let event: CaseEvent = serde_json::from_str(&r.get::<String, _>(1)).ok()?;
            Some(TimelineEntry {
                seq,
                at_ms: event.at_ms,
                actor_name: r.get(2),
                resident: event.by == crate::domain::case::Actor::Resident,
                change: event.change,
                attachments: files.remove(&seq).unwrap_or_default(),
            })
        })
        .collect())
}

/// A case's history as stored, for the chain check.
pub async fn events(db: &Db, id: CaseId) -> Result<Vec<CaseEvent>, StoreError> {
    let rows = sqlx::query("SELECT body FROM case_events WHERE case_id = $1 ORDER BY seq").bind(id).fetch_all(&db.pool).await?;
    Ok(rows.iter().filter_map(|r| serde_json::from_str(&r.get::<String, _>(0)).ok()).collect())
}

pub struct NewAttachment<'a> {
    pub case_id: CaseId,
    pub event_seq: Option<i64>,
    pub storage_key: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub uploaded_by: Option<i64>,
    pub at: i64,
}

pub async fn insert_attachment(conn: &mut AnyConnection, a: &NewAttachment<'_>) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO attachments (case_id, event_seq, storage_key, file_name, content_type, size, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(a.case_id)
    .bind(a.event_seq)
    .bind(a.storage_key)
    .bind(a.file_name)
    .bind(a.content_type)
    .bind(a.size)
    .bind(a.uploaded_by)
    .bind(a.at)
    .fetch_one(conn)
    .await?)
}

/// A case's files with the history entry each belongs to (none: given at intake).
pub async fn attachments(db: &Db, case_id: CaseId) -> Result<Vec<(Option<i64>, AttachmentInfo)>, StoreError> {
    let rows = sqlx::query("SELECT event_seq, id, file_name, content_type, size FROM attachments WHERE case_id = $1 ORDER BY id")
        .bind(case_id)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), AttachmentInfo { id: r.get(1), file_name: r.get(2), content_type: r.get(3), size: r.get(4) }))
        .collect())
}

pub struct StoredFile {
    pub case_id: CaseId,
    pub storage_key: String,
    pub file_name: String,
    pub content_type: String,
}

pub async fn attachment(db: &Db, id: i64) -> Result<Option<StoredFile>, StoreError> {
    let row = sqlx::query("SELECT case_id, storage_key, file_name, content_type FROM attachments WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|r| StoredFile { case_id: r.get(0), storage_key: r.get(1), file_name: r.get(2), content_type: r.get(3) }))
}

/// Has this unit held the case (in any round)? Unit staff may see exactly those.
pub async fn unit_held(db: &Db, case_id: CaseId, unit_id: UnitId) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_units WHERE case_id = $1 AND unit_id = $2")
        .bind(case_id)
        .bind(unit_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// The case behind a tracking code, with the hash of its secret.
pub async fn by_code(db: &Db, code: &str) -> Result<Option<(CaseId, String)>, StoreError> {
    let row = sqlx::query("SELECT id, secret_hash FROM cases WHERE code = $1").bind(code).fetch_optional(&db.pool).await?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

/// The case's title, inside a write transaction (for the notice announcing the change).
pub async fn title_in(conn: &mut AnyConnection, id: CaseId) -> Result<String, StoreError> {
    Ok(sqlx::query_scalar("SELECT title FROM cases WHERE id = $1").bind(id).fetch_optional(conn).await?.unwrap_or_default())
}

pub async fn code_of(db: &Db, id: CaseId) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT code FROM cases WHERE id = $1").bind(id).fetch_optional(&db.pool).await?)
}

pub async fn unit_names(db: &Db) -> Result<HashMap<UnitId, String>, StoreError> {
    let rows = sqlx::query("SELECT id, name FROM units").fetch_all(&db.pool).await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Cases waiting for a resident's rating: the scheduler closes those whose wait is over.
/// The earliest alarm over all cases, if any case has one.
pub async fn next_alarm(db: &Db) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT MIN(next_alarm_at) FROM cases WHERE next_alarm_at IS NOT NULL").fetch_one(&db.pool).await?)
}

/// Cases whose alarm is due at `now`, the most overdue first.
pub async fn due_alarms(db: &Db, now: i64, limit: i64) -> Result<Vec<CaseId>, StoreError> {
    Ok(sqlx::query_scalar("SELECT id FROM cases WHERE next_alarm_at <= $1 ORDER BY next_alarm_at LIMIT $2")
        .bind(now)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?)
}

/// Puts off an alarm that is still due at `now` (one that could not be handled) to `to`, so
/// the scheduler does not spin on it; an alarm a write has moved meanwhile stays.
pub async fn postpone_alarm(db: &Db, id: CaseId, now: i64, to: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET next_alarm_at = $1 WHERE id = $2 AND next_alarm_at <= $3")
        .bind(to)
        .bind(id)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Moves a case's alarm without a change of state (the alarm was looked at).
pub async fn set_next_alarm(conn: &mut AnyConnection, id: CaseId, at: Option<i64>) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET next_alarm_at = $1 WHERE id = $2").bind(at).bind(id).execute(conn).await?;
    Ok(())
}

/// A history row that does not fit its chain, or a state the history does not give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    Link { case_id: CaseId, seq: i64 },
    State { case_id: CaseId },
}

/// Checks every case's chain, row by row, and that replaying it gives the stored state.
pub async fn verify_history(db: &Db) -> Result<(usize, Vec<Broken>), StoreError> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM cases ORDER BY id").fetch_all(&db.pool).await?;
    let mut broken = Vec::new();
    for &id in &ids {
        // History and state read from one snapshot: a command committing between the two
        // reads would otherwise look like tampering on a live register.
        let mut tx = match db.backend {
            Backend::Postgres => db.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?,
            Backend::Sqlite => db.pool.begin().await?,
        };
        let rows = sqlx::query("SELECT seq, at, actor_id, kind, body, prev_hash, hash FROM case_events WHERE case_id = $1 ORDER BY seq")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let mut prev = String::new();
        let mut expected_seq = 1;
        let mut events = Vec::new();
        let mut ok = true;
        for r in &rows {
            let (seq, at, actor, kind, body, prev_hash, hash): (i64, i64, Option<i64>, String, String, String, String) =
                (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6));
            let fits = seq == expected_seq && prev_hash == prev && chain_hash(&prev, id, seq, at, actor, &kind, &body) == hash;
            let event: Option<CaseEvent> = serde_json::from_str(&body).ok();
            if !fits || event.as_ref().is_none_or(|e| e.at_ms != at || e.change.kind() != kind) {
                broken.push(Broken::Link { case_id: id, seq });
                ok = false;
                break;
            }
            events.extend(event);
            prev = hash;
            expected_seq += 1;
        }
        if ok {
            let stored = load(&mut tx, id).await?;
            let fits = match (stored, Case::replay(id, &events)) {
                (Some(s), Some(replayed)) => s.case == replayed && s.last_hash == prev && s.last_seq == expected_seq - 1,
                _ => false,
            };
            if !fits {
                broken.push(Broken::State { case_id: id });
            }
        }
        tx.rollback().await?;
    }
    Ok((ids.len(), broken))
}

#[cfg(test)]
mod tests {
    use super::{grams, like_op, Backend};

    #[test]
    fn postgresql_ignores_case_only_for_texts_with_letters_that_have_one() {
        assert_eq!(like_op(Backend::Postgres, "路灯不亮"), "LIKE");
        assert_eq!(like_op(Backend::Postgres, "3号楼"), "LIKE");
        assert_eq!(like_op(Backend::Postgres, "LED灯"), "ILIKE");
        assert_eq!(like_op(Backend::Postgres, "ä"), "ILIKE");
        assert_eq!(like_op(Backend::Sqlite, "LED"), "LIKE", "SQLite's LIKE ignores ASCII case itself");
    }

    #[test]
    fn grams_hold_every_character_and_every_neighbouring_pair_within_a_field() {
        assert_eq!(grams(&["噪音扰民", "ab"]), "噪 噪音 音 音扰 扰 扰民 民 a ab b ");
        // No pair spans two fields.
        assert!(!grams(&["路灯", "不亮"]).contains("灯不"));
        assert_eq!(grams(&[""]), "");
    }
}

