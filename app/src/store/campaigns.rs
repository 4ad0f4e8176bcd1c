//! Campaigns of the livelihood-project call and their suggestions, with each
//! suggestion's hash-chained review history (same scheme as the case register).
use super::StoreError;
use super::cases::chain_hash;
use crate::domain::campaign::{Campaign, ReviewEvent, SuggestionState, SuggestionStatus, SuggestionText};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

fn decode_err(e: serde_json::Error) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(e.into()))
}

const CAMPAIGN_COLS: &str = "id, year, title, rules, opens_at, closes_at, categories";

fn campaign_from(r: &AnyRow) -> Result<Campaign, StoreError> {
    Ok(Campaign {
        id: r.get(0),
        year: r.get::<i64, _>(1) as i32,
        title: r.get(2),
        rules: r.get(3),
        opens_ms: r.get(4),
        closes_ms: r.get(5),
        categories: serde_json::from_str(&r.get::<String, _>(6)).map_err(decode_err)?,
    })
}

pub async fn insert_campaign(conn: &mut AnyConnection, c: &Campaign, now: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO campaigns (year, title, rules, opens_at, closes_at, categories, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(c.year as i64)
    .bind(&c.title)
    .bind(&c.rules)
    .bind(c.opens_ms)
    .bind(c.closes_ms)
    .bind(serde_json::to_string(&c.categories).expect("strings serialise"))
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// Every campaign, the latest window first.
pub async fn campaigns(conn: &mut AnyConnection) -> Result<Vec<Campaign>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {CAMPAIGN_COLS} FROM campaigns ORDER BY opens_at DESC, id DESC")).fetch_all(&mut *conn).await?;
    rows.iter().map(campaign_from).collect()
}

pub async fn campaign(conn: &mut AnyConnection, id: i64) -> Result<Option<Campaign>, StoreError> {
    let row = sqlx::query(&format!("SELECT {CAMPAIGN_COLS} FROM campaigns WHERE id = $1")).bind(id).fetch_optional(conn).await?;
    row.as_ref().map(campaign_from).transpose()
}

/// How many suggestions this submitter already made in this campaign.
pub async fn count_by_submitter(conn: &mut AnyConnection, campaign_id: i64, key: &str) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM suggestions WHERE campaign_id = $1 AND submitter_key = $2").bind(campaign_id).bind(key).fetch_one(conn).await?)
}

pub struct NewSuggestion<'a> {
    pub campaign_id: i64,
    pub code: &'a str,
    pub secret_hash: &'a str,
    pub text: &'a SuggestionText,
    pub submitter_key: &'a str,
    pub at: i64,
}

/// Inserts a suggestion with its first history entry (`Submitted`), in the caller's transaction.
pub async fn insert_suggestion(conn: &mut AnyConnection, s: &NewSuggestion<'_>, actor_id: Option<i64>) -> Result<i64, StoreError> {
    let t = s.text;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO suggestions (campaign_id, code, secret_hash, name, content, overview, category, area_id, person, phone,
            submitter_key, status, supports, state, last_seq, last_hash, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'submitted', 0, '{}', 0, '', $12, $12) RETURNING id",
    )
    .bind(s.campaign_id)
    .bind(s.code)
    .bind(s.secret_hash)
    .bind(&t.name)
    .bind(&t.content)
    .bind(&t.overview)
    .bind(&t.category)
    .bind(t.area_id)
    .bind(t.person.as_deref())
    .bind(t.phone.as_deref())
    .bind(s.submitter_key)
    .bind(s.at)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    let state = SuggestionState::new(id);
    append(conn, id, &state, 0, String::new(), actor_id, s.at, &ReviewEvent::Submitted).await?;
    Ok(id)
}

/// A suggestion's review state and the end of its chain.
pub struct StoredSuggestion {
    pub campaign_id: i64,
    pub state: SuggestionState,
    pub last_seq: i64,
    pub last_hash: String,
}

pub async fn load(conn: &mut AnyConnection, id: i64) -> Result<Option<StoredSuggestion>, StoreError> {
    let row = sqlx::query("SELECT campaign_id, state, last_seq, last_hash FROM suggestions WHERE id = $1").bind(id).fetch_optional(conn).await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some(StoredSuggestion {
        campaign_id: r.get(0),
        state: serde_json::from_str(&r.get::<String, _>(1)).map_err(decode_err)?,
        last_seq: r.get(2),
        last_hash: r.get(3),
    }))
}

/// Appends one review event and writes the state it leads to.
#[allow(clippy::too_many_arguments)]
pub async fn append(
    conn: &mut AnyConnection,
    id: i64,
    state_after: &SuggestionState,
    last_seq: i64,
    last_hash: String,
    actor_id: Option<i64>,
    at: i64,
    event: &ReviewEvent,
) -> Result<(), StoreError> {
    let seq = last_seq + 1;
    let body = serde_json::to_string(event).expect("events serialise");
    let kind = serde_json::to_value(event).ok().and_then(|v| v.get("kind").and_then(|k| k.as_str().map(str::to_string))).unwrap_or_default();
    let hash = chain_hash(&last_hash, id, seq, at, actor_id, &kind, &body);
    sqlx::query("INSERT INTO suggestion_events (suggestion_id, seq, at, actor_id, kind, body, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(id)
        .bind(seq)
        .bind(at)
        .bind(actor_id)
        .bind(&kind)
        .bind(&body)
        .bind(&last_hash)
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE suggestions SET status = $1, state = $2, last_seq = $3, last_hash = $4, updated_at = $5 WHERE id = $6")
        .bind(state_after.status.code())
        .bind(serde_json::to_string(state_after).expect("state serialises"))
        .bind(seq)
        .bind(&hash)
        .bind(at)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub use crate::domain::campaign::{SuggestionEventRow, SuggestionRow};

const ROW_COLS: &str = "s.id, s.code, s.name, s.content, s.overview, s.category, s.area_id, a.name, s.person, s.phone, s.status, s.supports, s.created_at";

fn row_from(r: &AnyRow) -> Option<SuggestionRow> {
    Some(SuggestionRow {
        id: r.get(0),
        code: r.get(1),
        name: r.get(2),
        content: r.get(3),
        overview: r.get(4),
        category: r.get(5),
        area_id: r.get(6),
        area_name: r.get(7),
        person: r.get(8),
        phone: r.get(9),
        status: r.get::<String, _>(10).parse().ok()?,
        supports: r.get(11),
        created_ms: r.get(12),
    })
}

/// Suggestions of a campaign, newest first, optionally by status, category and area.
pub async fn suggestions(
    conn: &mut AnyConnection,
    campaign_id: i64,
    statuses: &[SuggestionStatus],
    category: Option<&str>,
    area_id: Option<i64>,
) -> Result<Vec<SuggestionRow>, StoreError> {
    let mut sql = format!("SELECT {ROW_COLS} FROM suggestions s LEFT JOIN areas a ON a.id = s.area_id WHERE s.campaign_id = $1");
    let mut n = 1;
    if !statuses.is_empty() {
        let list: Vec<String> = statuses.iter().map(|s| format!("'{}'", s.code())).collect();
        sql.push_str(&format!(" AND s.status IN ({})", list.join(", ")));
    }
    if category.is_some() {
        n += 1;
        sql.push_str(&format!(" AND s.category = ${n}"));
    }
    if area_id.is_some() {
        n += 1;
        sql.push_str(&format!(" AND s.area_id = ${n}"));
    }
    sql.push_str(" ORDER BY s.id DESC LIMIT 2000");
    let mut q = sqlx::query(&sql).bind(campaign_id);
    if let Some(c) = category {
        q = q.bind(c.to_string());
    }
    if let Some(a) = area_id {
        q = q.bind(a);
    }
    Ok(q.fetch_all(&mut *conn).await?.iter().filter_map(row_from).collect())
}

pub async fn by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<(i64, String)>, StoreError> {
    let row = sqlx::query("SELECT id, secret_hash FROM suggestions WHERE code = $1").bind(code).fetch_optional(&mut *conn).await?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

pub async fn row(conn: &mut AnyConnection, id: i64) -> Result<Option<SuggestionRow>, StoreError> {
    let row = sqlx::query(&format!("SELECT {ROW_COLS} FROM suggestions s LEFT JOIN areas a ON a.id = s.area_id WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.as_ref().and_then(row_from))
}

/// Records one supporter's support; false when this supporter already supported it.
pub async fn support(conn: &mut AnyConnection, id: i64, supporter_key: &str, at: i64) -> Result<bool, StoreError> {
    let inserted = sqlx::query("INSERT INTO suggestion_supports (suggestion_id, supporter_key, created_at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(supporter_key)
        .bind(at)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write);
    match inserted {
        Ok(_) => {
            sqlx::query("UPDATE suggestions SET supports = supports + 1 WHERE id = $1").bind(id).execute(conn).await?;
            Ok(true)
        }
        Err(StoreError::Duplicate) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Counts per (category, status) of a campaign, for its statistics.
pub async fn counts_by_category(conn: &mut AnyConnection, campaign_id: i64) -> Result<Vec<(String, SuggestionStatus, i64)>, StoreError> {
    let rows = sqlx::query("SELECT category, status, COUNT(*) FROM suggestions WHERE campaign_id = $1 GROUP BY category, status ORDER BY category")
        .bind(campaign_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().filter_map(|r| Some((r.get(0), r.get::<String, _>(1).parse().ok()?, r.get(2)))).collect())
}

pub async fn update_campaign(conn: &mut AnyConnection, c: &Campaign) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE campaigns SET year = $1, title = $2, rules = $3, opens_at = $4, closes_at = $5, categories = $6 WHERE id = $7")
        .bind(c.year as i64)
        .bind(&c.title)
        .bind(&c.rules)
        .bind(c.opens_ms)
        .bind(c.closes_ms)
        .bind(serde_json::to_string(&c.categories).expect("strings serialise"))
        .bind(c.id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// A suggestion's history, oldest first.
pub async fn events(conn: &mut AnyConnection, id: i64) -> Result<Vec<SuggestionEventRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT e.seq, e.at, u.display_name, e.body FROM suggestion_events e LEFT JOIN users u ON u.id = e.actor_id
         WHERE e.suggestion_id = $1 ORDER BY e.seq",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SuggestionEventRow { seq: r.get(0), at: r.get(1), actor: r.get(2), event: serde_json::from_str(&r.get::<String, _>(3)).map_err(decode_err)? })
        })
        .collect()
}

/// The campaign a suggestion belongs to and its stored review state, for staff pages.
pub async fn state(conn: &mut AnyConnection, id: i64) -> Result<Option<StoredSuggestion>, StoreError> {
    load(&mut *conn, id).await
}

/// Counts per (area name, status) of a campaign; suggestions without an area have none.
pub async fn counts_by_area(conn: &mut AnyConnection, campaign_id: i64) -> Result<Vec<(Option<String>, SuggestionStatus, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT a.name, s.status, COUNT(*) FROM suggestions s LEFT JOIN areas a ON a.id = s.area_id
         WHERE s.campaign_id = $1 GROUP BY a.name, s.status ORDER BY a.name",
    )
    .bind(campaign_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().filter_map(|r| Some((r.get(0), r.get::<String, _>(1).parse().ok()?, r.get(2)))).collect())
}

/// Review states of a campaign's suggestions by id, for the staff queue and the export.
pub async fn states(conn: &mut AnyConnection, campaign_id: i64) -> Result<Vec<SuggestionState>, StoreError> {
    let rows = sqlx::query("SELECT state FROM suggestions WHERE campaign_id = $1").bind(campaign_id).fetch_all(&mut *conn).await?;
    rows.iter().map(|r| serde_json::from_str(&r.get::<String, _>(0)).map_err(decode_err)).collect()
}

/// Suggestions assigned to a department or being evaluated, with their state and call
/// title, oldest first (the department is in the state; callers pick theirs).
pub async fn awaiting_answer(conn: &mut AnyConnection) -> Result<Vec<(SuggestionRow, SuggestionState, String)>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {ROW_COLS}, s.state, c.title FROM suggestions s LEFT JOIN areas a ON a.id = s.area_id JOIN campaigns c ON c.id = s.campaign_id
         WHERE s.status IN ('assigned', 'evaluating') ORDER BY s.id LIMIT 5000"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        let Some(row) = row_from(r) else { continue };
        let state: SuggestionState = serde_json::from_str(&r.get::<String, _>(13)).map_err(decode_err)?;
        out.push((row, state, r.get(14)));
    }
    Ok(out)
}
