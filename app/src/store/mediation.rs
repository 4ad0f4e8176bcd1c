//! Mediation records (migration 0020): one per dispute case, its sessions, and the closed
//! ones the first-time resolution rate is counted over.
use super::StoreError;
use crate::domain::case::CaseId;
use crate::domain::mediation::{ClosedLine, Mediation, Party, Session};
use sqlx::{AnyConnection, Row};

pub async fn get(conn: &mut AnyConnection, case_id: CaseId) -> Result<Option<Mediation>, StoreError> {
    let Some(r) = sqlx::query(
        "SELECT parties, mediator, mediator_org, agreement, agreement_photo, agreed_at, outcome, referred_to, closed_at, rereported_by
         FROM mediations WHERE case_id = $1",
    )
    .bind(case_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let sessions = sqlx::query("SELECT number, at, place, outcome, minutes FROM mediation_sessions WHERE case_id = $1 ORDER BY number")
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .filter_map(|s| {
            Some(Session {
                number: s.get::<i64, _>(0) as u32,
                at_ms: s.get(1),
                place: s.get(2),
                outcome: s.get::<String, _>(3).parse().ok()?,
                minutes: s.get(4),
            })
        })
        .collect();
    Ok(Some(Mediation {
        case_id,
        parties: serde_json::from_str::<Vec<Party>>(&r.get::<String, _>(0)).unwrap_or_default(),
        mediator: r.get(1),
        mediator_org: r.get(2),
        sessions,
        agreement: r.get(3),
        agreement_photo: r.get(4),
        agreed_ms: r.get(5),
        outcome: r.get::<Option<String>, _>(6).and_then(|o| o.parse().ok()),
        referred_to: r.get::<Option<String>, _>(7).and_then(|o| o.parse().ok()),
        closed_ms: r.get(8),
        rereported_by: r.get(9),
    }))
}

/// Locks the record for a change (PostgreSQL; SQLite's write turn already does).
pub async fn lock(conn: &mut AnyConnection, postgres: bool, case_id: CaseId) -> Result<(), StoreError> {
    if postgres {
        sqlx::query("SELECT case_id FROM mediations WHERE case_id = $1 FOR UPDATE").bind(case_id).fetch_optional(&mut *conn).await?;
    }
    Ok(())
}

/// A new record; `party_hashes` are the parties' phones hashed, to find a re-report.
pub async fn insert(
    conn: &mut AnyConnection,
    m: &Mediation,
    party_hashes: &str,
    township_id: Option<i64>,
    category: &str,
    now: i64,
    by: Option<i64>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO mediations (case_id, parties, party_hashes, mediator, mediator_org, township_id, category, opened_at, opened_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(m.case_id)
    .bind(serde_json::to_string(&m.parties).expect("parties serialise"))
    .bind(party_hashes)
    .bind(&m.mediator)
    .bind(&m.mediator_org)
    .bind(township_id)
    .bind(category)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn insert_session(conn: &mut AnyConnection, case_id: CaseId, s: &Session, now: i64, by: Option<i64>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO mediation_sessions (case_id, number, at, place, outcome, minutes, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(case_id)
    .bind(s.number as i64)
    .bind(s.at_ms)
    .bind(&s.place)
    .bind(s.outcome.code())
    .bind(&s.minutes)
    .bind(by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes how the mediation ended (an agreement or a referral).
pub async fn save_end(conn: &mut AnyConnection, m: &Mediation) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE mediations SET agreement = $2, agreement_photo = $3, agreed_at = $4, outcome = $5, referred_to = $6, closed_at = $7 WHERE case_id = $1",
    )
    .bind(m.case_id)
    .bind(m.agreement.as_deref())
    .bind(m.agreement_photo)
    .bind(m.agreed_ms)
    .bind(m.outcome.map(|o| o.code()))
    .bind(m.referred_to.map(|r| r.code()))
    .bind(m.closed_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Agreements reached since `since` and not yet reported again: (case, agreed at, the
/// parties' phone hashes and the first reporter's).
pub async fn agreed_since(conn: &mut AnyConnection, since: i64) -> Result<Vec<(CaseId, i64, Vec<String>)>, StoreError> {
    let rows = sqlx::query(
        "SELECT m.case_id, m.agreed_at, m.party_hashes, k.phone_hash FROM mediations m LEFT JOIN case_risk_keys k ON k.case_id = m.case_id
         WHERE m.agreed_at >= $1 AND m.rereported_by IS NULL",
    )
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let mut hashes: Vec<String> = r.get::<String, _>(2).split_whitespace().map(String::from).collect();
            hashes.extend(r.get::<Option<String>, _>(3));
            (r.get(0), r.get(1), hashes)
        })
        .collect())
}

pub async fn mark_rereported(conn: &mut AnyConnection, case_id: CaseId, by_case: CaseId) -> Result<(), StoreError> {
    sqlx::query("UPDATE mediations SET rereported_by = $2 WHERE case_id = $1 AND rereported_by IS NULL")
        .bind(case_id)
        .bind(by_case)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn closed_in(conn: &mut AnyConnection, from: i64, to: i64) -> Result<Vec<ClosedLine>, StoreError> {
    let rows = sqlx::query(
        "SELECT m.case_id, c.code, c.title, m.outcome, m.rereported_by, a.name, m.mediator, m.mediator_org, m.category, g.name, m.closed_at
         FROM mediations m JOIN cases c ON c.id = m.case_id LEFT JOIN areas a ON a.id = m.township_id LEFT JOIN categories g ON g.code = m.category
         WHERE m.closed_at >= $1 AND m.closed_at < $2 ORDER BY m.closed_at DESC, m.case_id DESC",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(ClosedLine {
                case_id: r.get(0),
                code: r.get(1),
                title: r.get(2),
                outcome: r.get::<String, _>(3).parse().ok()?,
                rereported: r.get::<Option<i64>, _>(4).is_some(),
                township: r.get(5),
                mediator: r.get(6),
                mediator_org: r.get(7),
                category: r.get(8),
                category_name: r.get::<Option<String>, _>(9).unwrap_or_default(),
                closed_ms: r.get(10),
            })
        })
        .collect())
}
