//! Photos and documents attached to cases: checked by their bytes, written to the files
//! directory before the case's transaction (and removed again if it fails), recorded with
//! the event they came with, and served only to staff who may see the case.
use super::codes::random_code;
use crate::domain::case::{self, CaseId, check_files};
use crate::error::AppError;
use crate::store::cases as store;
use crate::store::{Db, now_ms};
use std::path::Path;

/// A file as uploaded, before it is checked.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

pub(super) struct WrittenFiles<'a> {
    dir: &'a Path,
    keys: Vec<String>,
}

impl WrittenFiles<'_> {
    /// Where each upload was written, in the uploads' order.
    pub(super) fn keys(&self) -> &[String] {
        &self.keys
    }

    /// Files written before a transaction that then failed must not linger.
    pub(super) fn discard(&self) {
        for k in &self.keys {
            let _ = std::fs::remove_file(self.dir.join(k));
        }
    }
}

pub(super) async fn write_files<'a>(dir: &'a Path, uploads: &[Upload]) -> Result<(WrittenFiles<'a>, Vec<case::FileKind>), AppError> {
    let kinds = check_files(uploads.iter().map(|u| u.bytes.as_slice()))?;
    tokio::fs::create_dir_all(dir).await.map_err(|e| {
        tracing::error!(error = %e, dir = %dir.display(), "cannot create the files directory");
        AppError::Internal
    })?;
    let mut stored = WrittenFiles { dir, keys: Vec::new() };
    for u in uploads {
        let key = format!("{}-{}", now_ms(), random_code(16).to_ascii_lowercase());
        if let Err(e) = tokio::fs::write(dir.join(&key), &u.bytes).await {
            tracing::error!(error = %e, "cannot store an attachment");
            stored.discard();
            return Err(AppError::Internal);
        }
        stored.keys.push(key);
    }
    Ok((stored, kinds))
}

pub(super) fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let base: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    if base.is_empty() { "file".into() } else { base }
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn record_files(
    conn: &mut sqlx::AnyConnection,
    case_id: CaseId,
    seq: Option<i64>,
    uploads: &[Upload],
    stored: &WrittenFiles<'_>,
    kinds: &[case::FileKind],
    by: Option<i64>,
    now: i64,
) -> Result<(), AppError> {
    for ((u, key), kind) in uploads.iter().zip(&stored.keys).zip(kinds) {
        let name = clean_file_name(&u.file_name);
        let a = store::NewAttachment {
            case_id,
            event_seq: seq,
            storage_key: key,
            file_name: &name,
            content_type: kind.content_type(),
            size: u.bytes.len() as i64,
            uploaded_by: by,
            at: now,
        };
        store::insert_attachment(conn, &a).await?;
    }
    Ok(())
}

pub struct FileToServe {
    pub path: std::path::PathBuf,
    pub file_name: String,
    pub content_type: String,
}

/// An attachment, for staff who may see its case.
pub async fn attachment(db: &Db, files_dir: &Path, by: &case::Actor, id: i64) -> Result<FileToServe, AppError> {
    let f = store::attachment(&mut *db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    super::visibility::check_visible(db, by, f.case_id).await?;
    Ok(FileToServe { path: files_dir.join(&f.storage_key), file_name: f.file_name, content_type: f.content_type })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_their_paths() {
        assert_eq!(clean_file_name("C:\\Users\\x\\墙面.jpg"), "墙面.jpg");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name(""), "file");
    }
}
