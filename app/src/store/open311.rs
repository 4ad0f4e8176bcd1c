//! Open311 GeoReport v2 requests: the cases filed through Open311, with their token and media.
use super::StoreError;
use super::placeholders::{Arg, bind_args, marks};
use crate::domain::case::{Case, CaseId, GeoPoint};
use crate::domain::open311::{RequestQuery, ServiceRequest, public_note};
use sqlx::{AnyConnection, Row};

/// What a request keeps beside its case, inside the case's own intake transaction.
pub async fn insert(conn: &mut AnyConnection, case_id: CaseId, token: &str, media_url: Option<&str>) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO open311_requests (case_id, token, media_url) VALUES ($1, $2, $3)")
        .bind(case_id)
        .bind(token)
        .bind(media_url)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}

/// The code of the request a token was given for.
pub async fn code_of_token(conn: &mut AnyConnection, token: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT c.code FROM open311_requests o JOIN cases c ON c.id = o.case_id WHERE o.token = $1")
        .bind(token)
        .fetch_optional(&mut *conn)
        .await?)
}

/// The Open311 requests `q` asks for, newest first, one page of them.
pub async fn requests(conn: &mut AnyConnection, q: &RequestQuery) -> Result<Vec<ServiceRequest>, StoreError> {
    let mut args = vec![Arg::Text(crate::domain::case::Channel::Open311.code().to_string())];
    let mut conds = vec!["c.channel = $1".to_string()];
    let mut any_of = |column: &str, values: Vec<String>, args: &mut Vec<Arg>| {
        conds.push(format!("{column} IN ({})", marks(args.len() + 1, values.len())));
        args.extend(values.into_iter().map(Arg::Text));
    };
    if !q.codes.is_empty() {
        any_of("c.code", q.codes.clone(), &mut args);
    } else {
        if !q.categories.is_empty() {
            any_of("c.category", q.categories.clone(), &mut args);
        }
        if !q.statuses.is_empty() {
            any_of("c.status", q.statuses.iter().map(|s| s.code().to_string()).collect(), &mut args);
        }
        if let Some(w) = q.window {
            conds.push(format!("c.received_at >= ${} AND c.received_at <= ${}", args.len() + 1, args.len() + 2));
            args.extend([Arg::Int(w.from_ms), Arg::Int(w.until_ms)]);
        }
    }
    let size = q.page_size.max(1) as i64;
    let offset = (q.page.max(1) as i64 - 1) * size;
    let sql = format!(
        "SELECT c.code, c.status, c.category, cat.name, c.description, u.name, c.address, c.lat_e6, c.lng_e6,
            c.received_at, c.updated_at, c.deadline_at, o.media_url, c.state, m.code
         FROM cases c
         LEFT JOIN categories cat ON cat.code = c.category
         LEFT JOIN units u ON u.id = c.lead_unit_id
         LEFT JOIN open311_requests o ON o.case_id = c.id
         LEFT JOIN cases m ON m.id = c.merged_into
         WHERE {}
         ORDER BY c.received_at DESC, c.id DESC LIMIT {size} OFFSET {offset}",
        conds.join(" AND ")
    );
    let rows = bind_args(sqlx::query(&sql), &args).fetch_all(&mut *conn).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let status = r.get::<String, _>(1).parse().ok()?;
            let case: Option<Case> = serde_json::from_str(&r.get::<String, _>(13)).ok();
            let note = case.and_then(|c| public_note(status, c.result, c.status_reason));
            let location = match (r.get::<Option<i64>, _>(7), r.get::<Option<i64>, _>(8)) {
                (Some(lat_e6), Some(lng_e6)) => Some(GeoPoint { lat_e6, lng_e6 }),
                _ => None,
            };
            Some(ServiceRequest {
                code: r.get(0),
                status,
                category: r.get(2),
                category_name: r.get::<Option<String>, _>(3).unwrap_or_default(),
                description: r.get(4),
                lead_unit: r.get(5),
                address: r.get(6),
                location,
                received_ms: r.get(9),
                updated_ms: r.get(10),
                deadline_ms: r.get(11),
                media_url: r.get(12),
                note,
                merged_into: r.get(14),
            })
        })
        .collect())
}
