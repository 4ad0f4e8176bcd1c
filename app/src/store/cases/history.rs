//! The record of truth: each case's hash-chained history, appended with every change,
//! read back as the timeline, and checked end to end by `verify_history`.
#[allow(unused_imports)]
use super::*;

/// The link of one history row in its case's chain. Fields are joined with a separator
/// that cannot occur in them (JSON escapes control characters).
pub fn chain_hash(prev: &str, case_id: CaseId, seq: i64, at: i64, actor_id: Option<i64>, kind: &str, body: &str) -> String {
    let actor = actor_id.map_or(String::new(), |a| a.to_string());
    let joined = [prev, &case_id.to_string(), &seq.to_string(), &at.to_string(), &actor, kind, body].join("\u{1f}");
    sha256_hex(joined.as_bytes())
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
        sqlx::query("INSERT INTO case_events (case_id, seq, at, actor_id, kind, body, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
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

pub async fn timeline(conn: &mut AnyConnection, id: CaseId) -> Result<Vec<TimelineEntry>, StoreError> {
    Ok(timeline_and_intake_files(conn, id).await?.0)
}

/// The timeline, each entry with the files of its report, and the files given at intake
/// (which belong to no entry): the case page's history and photos in two statements.
pub async fn timeline_and_intake_files(conn: &mut AnyConnection, id: CaseId) -> Result<(Vec<TimelineEntry>, Vec<AttachmentInfo>), StoreError> {
    let rows =
        sqlx::query("SELECT e.seq, e.body, u.display_name FROM case_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.case_id = $1 ORDER BY e.seq")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let mut files: HashMap<Option<i64>, Vec<AttachmentInfo>> = HashMap::new();
    for (seq, info) in attachments(conn, id).await? {
        files.entry(seq).or_default().push(info);
    }
    let entries = rows
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
                attachments: files.remove(&Some(seq)).unwrap_or_default(),
            })
        })
        .collect();
    Ok((entries, files.remove(&None).unwrap_or_default()))
}

/// The events of one kind (`Change::kind`) in the histories of cases `ids`, oldest first,
/// in one query: the inbox's latest directives.
pub async fn events_of_kind(conn: &mut AnyConnection, ids: &[CaseId], kind: &str) -> Result<Vec<(CaseId, CaseEvent)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT case_id, body FROM case_events WHERE kind = $1 AND case_id IN ({}) ORDER BY case_id, seq",
        crate::store::placeholders::marks(2, ids.len())
    );
    let q = crate::store::placeholders::bind_ids(sqlx::query(&sql).bind(kind), ids);
    let rows = q.fetch_all(&mut *conn).await?;
    Ok(rows.iter().filter_map(|r| Some((r.get(0), serde_json::from_str(&r.get::<String, _>(1)).ok()?))).collect())
}

/// A case's history as stored, for the chain check.
pub async fn events(conn: &mut AnyConnection, id: CaseId) -> Result<Vec<CaseEvent>, StoreError> {
    let rows = sqlx::query("SELECT body FROM case_events WHERE case_id = $1 ORDER BY seq").bind(id).fetch_all(&mut *conn).await?;
    Ok(rows.iter().filter_map(|r| serde_json::from_str(&r.get::<String, _>(0)).ok()).collect())
}

/// A history row that does not fit its chain, or a state the history does not give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    Link { case_id: CaseId, seq: i64 },
    State { case_id: CaseId },
}

/// Every case's id, for a check that walks the register.
pub async fn ids(conn: &mut AnyConnection) -> Result<Vec<CaseId>, StoreError> {
    Ok(sqlx::query_scalar("SELECT id FROM cases ORDER BY id").fetch_all(conn).await?)
}

/// Checks one case's chain, row by row, and that replaying it gives the stored state. Read
/// inside one snapshot (`Db::snapshot`): a command committing between the two reads would
/// otherwise look like tampering on a live register.
pub async fn check_history(snapshot: &mut AnyConnection, id: CaseId) -> Result<Option<Broken>, StoreError> {
    let rows = sqlx::query("SELECT seq, at, actor_id, kind, body, prev_hash, hash FROM case_events WHERE case_id = $1 ORDER BY seq")
        .bind(id)
        .fetch_all(&mut *snapshot)
        .await?;
    let mut prev = String::new();
    let mut expected_seq = 1;
    let mut events = Vec::new();
    for r in &rows {
        let (seq, at, actor, kind, body, prev_hash, hash): (i64, i64, Option<i64>, String, String, String, String) =
            (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6));
        let fits = seq == expected_seq && prev_hash == prev && chain_hash(&prev, id, seq, at, actor, &kind, &body) == hash;
        let event: Option<CaseEvent> = serde_json::from_str(&body).ok();
        if !fits || event.as_ref().is_none_or(|e| e.at_ms != at || e.change.kind() != kind) {
            return Ok(Some(Broken::Link { case_id: id, seq }));
        }
        events.extend(event);
        prev = hash;
        expected_seq += 1;
    }
    let stored = load(snapshot, id).await?;
    let fits = match (stored, Case::replay(id, &events)) {
        (Some(s), Some(replayed)) => s.case == replayed && s.last_hash == prev && s.last_seq == expected_seq - 1,
        _ => false,
    };
    Ok((!fits).then_some(Broken::State { case_id: id }))
}
