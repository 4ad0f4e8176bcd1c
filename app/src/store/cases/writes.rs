//! A case's row and state: registered, loaded for a command (locked on PostgreSQL), and
//! saved with the columns the lists filter on, in the command's transaction.
#[allow(unused_imports)]
use super::*;

pub async fn categories(conn: &mut AnyConnection) -> Result<Vec<Category>, StoreError> {
    let rows =
        sqlx::query("SELECT code, name, kind, allowed_ms, active, ack_ms, list_after_ms, escalate_again_ms, department_id FROM categories ORDER BY kind, id")
            .fetch_all(&mut *conn)
            .await?;
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
        list_after_ms: r.get(6),
        escalate_again_ms: r.get(7),
        department_id: r.get(8),
    })
}

pub async fn category(conn: &mut AnyConnection, code: &str) -> Result<Option<Category>, StoreError> {
    let row =
        sqlx::query("SELECT code, name, kind, allowed_ms, active, ack_ms, list_after_ms, escalate_again_ms, department_id FROM categories WHERE code = $1")
            .bind(code)
            .fetch_optional(conn)
            .await?;
    Ok(row.as_ref().and_then(category_from))
}

/// What an intake reads before its write turn, in one statement: the category, and the risk
/// rules' settings as the administrator left them (`store::risk::settings`' body).
pub async fn category_for_intake(conn: &mut AnyConnection, code: &str) -> Result<Option<(Category, Option<String>)>, StoreError> {
    let row = sqlx::query(
        "SELECT code, name, kind, allowed_ms, active, ack_ms, list_after_ms, escalate_again_ms, department_id, (SELECT body FROM risk_settings WHERE id = 1)
         FROM categories WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(conn)
    .await?;
    Ok(row.as_ref().and_then(|r| Some((category_from(r)?, r.get::<Option<String>, _>(9)))))
}

/// Writes a category's time terms, whether it is in use and its department. Cases already
/// registered keep the terms they were given at intake.
pub async fn update_category_terms(conn: &mut AnyConnection, c: &Category) -> Result<bool, StoreError> {
    let n = sqlx::query(
        "UPDATE categories SET allowed_ms = $1, ack_ms = $2, escalate_again_ms = $3, list_after_ms = $4, active = $5, department_id = $6 WHERE code = $7",
    )
    .bind(c.allowed_ms)
    .bind(c.ack_ms)
    .bind(c.escalate_again_ms)
    .bind(c.list_after_ms)
    .bind(c.active as i64)
    .bind(c.department_id)
    .bind(&c.code)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
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
    /// The API token of the system that filed it, if one did.
    pub api_token_id: Option<i64>,
}

/// Inserts the case row; its state and history are written by `append` and `save_state`
/// in the same transaction. `None` when the code is taken (the transaction goes on).
/// A case row just written: its id and the township and village its area lies in.
#[derive(Debug, Clone, Copy)]
pub struct Inserted {
    pub id: CaseId,
    pub township_id: Option<i64>,
    pub village_id: Option<i64>,
}

pub async fn insert_case(conn: &mut AnyConnection, c: &NewCase<'_>) -> Result<Option<Inserted>, StoreError> {
    let i = c.intake;
    let row = sqlx::query(
        "INSERT INTO cases (code, secret_hash, kind, category, channel, urgency, status, title, description, address,
            area_id, area_code, lat_e6, lng_e6, reporter_id, received_at, deadline_at, updated_at, last_seq, last_hash, state,
            township_id, village_id, api_token_id)
         VALUES ($1, $2, $3, $4, $5, $6, 'received', $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $15, 0, '', '{}',
            (SELECT CASE a.level WHEN 'township' THEN a.id WHEN 'village' THEN a.parent_id WHEN 'grid' THEN p.parent_id END
             FROM areas a LEFT JOIN areas p ON p.id = a.parent_id WHERE a.id = $10),
            (SELECT CASE a.level WHEN 'village' THEN a.id WHEN 'grid' THEN a.parent_id END FROM areas a WHERE a.id = $10), $17)
         ON CONFLICT (code) DO NOTHING
         RETURNING id, township_id, village_id",
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
    .bind(c.api_token_id)
    .fetch_optional(conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(row.map(|r| Inserted { id: r.get(0), township_id: r.get(1), village_id: r.get(2) }))
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

/// The cases `ids` as commands find them, in one query (missing ids are left out).
pub async fn load_many(conn: &mut AnyConnection, ids: &[CaseId]) -> Result<HashMap<CaseId, Stored>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!("SELECT id, state, last_seq, last_hash FROM cases WHERE id IN ({})", crate::store::placeholders::marks(1, ids.len()));
    let rows = crate::store::placeholders::bind_ids(sqlx::query(&sql), ids).fetch_all(&mut *conn).await?;
    rows.iter().map(|row| Ok((row.get(0), stored_from(row, 1)?))).collect()
}

async fn load_with(conn: &mut AnyConnection, id: CaseId, lock: &str) -> Result<Option<Stored>, StoreError> {
    let sql = format!("SELECT state, last_seq, last_hash FROM cases WHERE id = $1{lock}");
    let row = sqlx::query(&sql).bind(id).fetch_optional(conn).await?;
    row.as_ref().map(|r| stored_from(r, 0)).transpose()
}

/// `state, last_seq, last_hash` from column `at` on.
fn stored_from(row: &AnyRow, at: usize) -> Result<Stored, StoreError> {
    let case: Case = serde_json::from_str(&row.get::<String, _>(at)).map_err(|e| StoreError::Db(sqlx::Error::Decode(e.into())))?;
    Ok(Stored { case, last_seq: row.get(at + 1), last_hash: row.get(at + 2) })
}

/// Writes the case's state and the columns the lists filter on, and which units hold it.
/// The state of a case `insert_case` has just written, whose other columns already hold it
/// (received: no unit, not stopped, its deadline): four columns, where `save_state` rewrites
/// every indexed one, which is most of an update's cost on the busiest table.
pub async fn save_received_state(conn: &mut AnyConnection, case: &Case, seq: i64, hash: &str, now: i64) -> Result<(), StoreError> {
    debug_assert!(case.status == CaseStatus::Received && case.lead().is_none() && case.task_force.is_none() && case.supervision.is_idle());
    sqlx::query("UPDATE cases SET last_seq = $1, last_hash = $2, state = $3, next_alarm_at = $4 WHERE id = $5")
        .bind(seq)
        .bind(hash)
        .bind(serde_json::to_string(case).expect("cases serialise"))
        .bind(case.next_alarm_ms(now))
        .bind(case.id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The case's function and category after it was filed under another; apart from
/// `save_state`, whose every write would otherwise rewrite the category's tallies too.
pub async fn save_category(conn: &mut AnyConnection, case: &Case) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET kind = $1, category = $2 WHERE id = $3")
        .bind(case.kind.code())
        .bind(&case.category)
        .bind(case.id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn save_state(conn: &mut AnyConnection, case: &Case, seq: i64, hash: &str, now: i64) -> Result<(), StoreError> {
    let state = serde_json::to_string(case).expect("cases serialise");
    sqlx::query(
        "UPDATE cases SET status = $1, lead_unit_id = $2, merged_into = $3, deadline_at = $4, stopped_at = $5,
            updated_at = $6, last_seq = $7, last_hash = $8, state = $9, next_alarm_at = $11,
            command_at = $12, command_signed_at = $13, command_open = $14 WHERE id = $10",
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
    .bind(case.task_force.as_ref().map(|t| t.launched_ms))
    .bind(case.task_force.as_ref().and_then(|t| t.all_dispatched_ms))
    .bind(case.open_task_force().is_some() as i64)
    .execute(&mut *conn)
    .await?;
    if !case.supervision.is_idle() {
        crate::store::supervision::save(conn, case, now).await?;
    }
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
        // The receipt time rides along, so a unit's list pages through one index; the
        // deadline and stop, so the screen counts each unit's overdue cases from another.
        sqlx::query(
            "INSERT INTO case_units (case_id, unit_id, lead, current, status, received_at, deadline_at, stopped_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(case.id)
        .bind(unit)
        .bind(lead as i64)
        .bind(current as i64)
        .bind(status)
        .bind(case.received_ms)
        .bind(case.sla.deadline_ms())
        .bind(case.sla.stopped_ms)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The case behind a tracking code, with the hash of its secret.
pub async fn by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<(CaseId, String)>, StoreError> {
    let row = sqlx::query("SELECT id, secret_hash FROM cases WHERE code = $1").bind(code).fetch_optional(&mut *conn).await?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

/// The API token that filed the case, if a calling system did.
pub async fn filed_by_token(conn: &mut AnyConnection, id: CaseId) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT api_token_id FROM cases WHERE id = $1").bind(id).fetch_optional(conn).await?.flatten())
}

/// The case's title, inside a write transaction (for the notice announcing the change).
pub async fn title_in(conn: &mut AnyConnection, id: CaseId) -> Result<String, StoreError> {
    Ok(sqlx::query_scalar("SELECT title FROM cases WHERE id = $1").bind(id).fetch_optional(conn).await?.unwrap_or_default())
}

pub async fn code_of(conn: &mut AnyConnection, id: CaseId) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT code FROM cases WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?)
}

pub async fn unit_names(conn: &mut AnyConnection) -> Result<HashMap<UnitId, String>, StoreError> {
    let rows = sqlx::query("SELECT id, name FROM units").fetch_all(&mut *conn).await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}
