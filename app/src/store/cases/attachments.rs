//! Where a case's files are recorded (the bytes live in the files directory).
#[allow(unused_imports)]
use super::*;

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
pub async fn attachments(conn: &mut AnyConnection, case_id: CaseId) -> Result<Vec<(Option<i64>, AttachmentInfo)>, StoreError> {
    let rows = sqlx::query("SELECT event_seq, id, file_name, content_type, size FROM attachments WHERE case_id = $1 ORDER BY id")
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), AttachmentInfo { id: r.get(1), file_name: r.get(2), content_type: r.get(3), size: r.get(4) })).collect())
}

pub struct StoredFile {
    pub case_id: CaseId,
    pub storage_key: String,
    pub file_name: String,
    pub content_type: String,
}

pub async fn attachment(conn: &mut AnyConnection, id: i64) -> Result<Option<StoredFile>, StoreError> {
    let row = sqlx::query("SELECT case_id, storage_key, file_name, content_type FROM attachments WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
    Ok(row.map(|r| StoredFile { case_id: r.get(0), storage_key: r.get(1), file_name: r.get(2), content_type: r.get(3) }))
}

/// The newest attachment of a case (inside a write: the one just recorded).
pub async fn latest_attachment(conn: &mut AnyConnection, case_id: CaseId) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM attachments WHERE case_id = $1").bind(case_id).fetch_one(conn).await?)
}
