//! The closed cases routing learns from: what each said, where, and which units carried it.
use super::StoreError;
use crate::domain::case::UnitId;
use crate::domain::routing::{CaseText, Routed};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// Cases whose lead unit gave a result: the routing that worked. Returned or refused cases
/// are not examples of where a case belongs.
const DONE: &str = "c.lead_unit_id IS NOT NULL AND c.status IN ('resolved', 'verified', 'follow_up', 'closed') AND c.received_at >= $1";

/// The routed cases received since `since_ms`, oldest first.
pub async fn history(conn: &mut AnyConnection, since_ms: i64) -> Result<Vec<Routed>, StoreError> {
    let sql = format!(
        "SELECT cu.case_id, cu.unit_id FROM case_units cu JOIN cases c ON c.id = cu.case_id
         WHERE cu.lead = 0 AND cu.current = 1 AND {DONE}"
    );
    let mut cooperating: HashMap<i64, Vec<UnitId>> = HashMap::new();
    for r in sqlx::query(&sql).bind(since_ms).fetch_all(&mut *conn).await? {
        cooperating.entry(r.get(0)).or_default().push(r.get(1));
    }
    let sql = format!(
        "SELECT c.id, c.received_at, c.title, c.description, c.township_id, c.village_id, c.category, c.lead_unit_id
         FROM cases c WHERE {DONE} ORDER BY c.received_at, c.id"
    );
    let rows = sqlx::query(&sql).bind(since_ms).fetch_all(&mut *conn).await?;
    Ok(rows
        .iter()
        .map(|r| {
            let id: i64 = r.get(0);
            let mut units = cooperating.remove(&id).unwrap_or_default();
            units.sort_unstable();
            Routed {
                received_ms: r.get(1),
                text: CaseText {
                    title: r.get(2),
                    description: r.get(3),
                    places: [r.get::<Option<i64>, _>(4), r.get::<Option<i64>, _>(5)].into_iter().flatten().collect(),
                },
                category: r.get(6),
                lead: r.get(7),
                cooperating: units,
            }
        })
        .collect())
}

/// The township and village of an area (itself, its parent, its grandparent as the levels go).
pub async fn place_chain(conn: &mut AnyConnection, area_id: i64) -> Result<Vec<i64>, StoreError> {
    let row = sqlx::query("SELECT a.level, a.id, a.parent_id, p.parent_id FROM areas a LEFT JOIN areas p ON p.id = a.parent_id WHERE a.id = $1")
        .bind(area_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(r) = row else { return Ok(Vec::new()) };
    let (id, parent, grandparent): (i64, Option<i64>, Option<i64>) = (r.get(1), r.get(2), r.get(3));
    Ok(match r.get::<String, _>(0).as_str() {
        "township" => vec![id],
        "village" => parent.into_iter().chain([id]).collect(),
        "grid" => grandparent.into_iter().chain(parent).collect(),
        _ => Vec::new(),
    })
}
