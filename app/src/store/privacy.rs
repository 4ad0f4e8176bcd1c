//! Residents' contact data outside the case texts: a suggester's contact read for an
//! audited "show", and the erasure of contact data past its retention period.
use super::StoreError;
use crate::domain::privacy::Contact;
use sqlx::{AnyConnection, Row};

/// A suggestion's code, its contact in full, and when the contact was erased.
pub async fn suggestion_contact(conn: &mut AnyConnection, id: i64) -> Result<Option<(String, Option<Contact>, Option<i64>)>, StoreError> {
    let row = sqlx::query("SELECT code, person, phone, contact_erased_at FROM suggestions WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
    Ok(row.map(|r| (r.get(0), Contact::given(r.get(1), r.get(2)), r.get(3))))
}

/// When a suggestion's contact was erased, for the pages that show it masked.
pub async fn suggestion_contact_erased(conn: &mut AnyConnection, id: i64) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT contact_erased_at FROM suggestions WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?.flatten())
}

/// Erases the reporters' name and phone of every case finished (closed, rejected, merged)
/// and unchanged since before `before_ms`; returns how many reporters were erased.
pub async fn erase_case_contacts(conn: &mut AnyConnection, before_ms: i64, now_ms: i64) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE reporters SET name = NULL, phone = NULL, erased_at = $1
         WHERE erased_at IS NULL AND id IN (
             SELECT reporter_id FROM cases
             WHERE status IN ('closed', 'rejected', 'merged') AND updated_at < $2 AND reporter_id IS NOT NULL)",
    )
    .bind(now_ms)
    .bind(before_ms)
    .execute(&mut *conn)
    .await?;
    // The repeat rule's hash of the phone goes with the phone.
    sqlx::query(
        "UPDATE case_risk_keys SET phone_hash = NULL WHERE phone_hash IS NOT NULL AND case_id IN (
             SELECT c.id FROM cases c JOIN reporters r ON r.id = c.reporter_id WHERE r.erased_at = $1)",
    )
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Erases the contact of every suggestion of a call that closed before `before_ms` and
/// that has not changed since; returns how many suggestions were erased.
pub async fn erase_suggestion_contacts(conn: &mut AnyConnection, before_ms: i64, now_ms: i64) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE suggestions SET person = NULL, phone = NULL, contact_erased_at = $1
         WHERE contact_erased_at IS NULL AND (person IS NOT NULL OR phone IS NOT NULL) AND updated_at < $2
           AND campaign_id IN (SELECT id FROM campaigns WHERE closes_at < $2)",
    )
    .bind(now_ms)
    .bind(before_ms)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}
