//! Backup and restore of a SQLite install: the database and the attachments it refers to,
//! copied while the server keeps working, into a folder that restores on its own.
//! PostgreSQL installs use `pg_dump` / `pg_restore` (README, "Backup and restore").
//!
//! A backup folder holds `shezhi.db` (a consistent copy, `store::backup::copy_into`),
//! `files/` (every attachment that copy refers to) and `manifest.json` (what was copied,
//! so a restore can prove it has all of it).
use crate::store::{self, Backend, Db};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const DATABASE_FILE: &str = "shezhi.db";
pub const FILES_FOLDER: &str = "files";
pub const MANIFEST_FILE: &str = "manifest.json";

/// What a backup holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// When the database was copied (Unix ms): every case acknowledged before is in it.
    pub made_at: i64,
    /// The newest migration of the copied schema.
    pub schema: i64,
    pub cases: i64,
    pub attachments: usize,
    pub attachment_bytes: i64,
    /// Attachments the register refers to that were already missing from the live files
    /// folder: the backup went on without them, and says so.
    pub missing: Vec<String>,
}

fn sqlite_only(db: &Db) -> Result<(), String> {
    match db.backend {
        Backend::Sqlite => Ok(()),
        Backend::Postgres => Err("on PostgreSQL, back up with pg_dump and restore with pg_restore (README, \"Backup and restore\")".into()),
    }
}

/// Makes a backup of the running install in `dest`, a folder that is new or empty.
pub async fn backup(db: &Db, files_dir: &Path, dest: &Path) -> Result<Manifest, String> {
    sqlite_only(db)?;
    ensure_empty_folder(dest)?;
    let copy = dest.join(DATABASE_FILE);
    let made_at = store::now_ms();
    let read = |e: store::StoreError| e.to_string();
    store::backup::copy_into(&mut *db.read().await.map_err(read)?, &copy).await.map_err(|e| format!("copying the database failed: {e}"))?;
    // The attachments the copy refers to, read from the copy itself: files are written
    // before the rows that name them, so each one is on disk by now.
    let copied = open_existing(&copy).await?;
    let read_copy = async {
        let mut conn = copied.read().await?;
        Ok::<_, store::StoreError>((store::backup::contents(&mut conn).await?, store::backup::schema_version(&mut conn).await?))
    };
    let read_copy = read_copy.await;
    copied.pool.close().await;
    let (contents, schema) = read_copy.map_err(read)?;
    let files = dest.join(FILES_FOLDER);
    std::fs::create_dir_all(&files).map_err(|e| format!("cannot make {}: {e}", files.display()))?;
    let mut missing = Vec::new();
    let mut bytes = 0;
    for (key, size) in &contents.attachments {
        match std::fs::copy(files_dir.join(key), files.join(key)) {
            Ok(_) => bytes += size,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => missing.push(key.clone()),
            Err(e) => return Err(format!("copying attachment {key} failed: {e}")),
        }
    }
    let manifest =
        Manifest { made_at, schema, cases: contents.cases, attachments: contents.attachments.len() - missing.len(), attachment_bytes: bytes, missing };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(dest.join(MANIFEST_FILE), json).map_err(|e| format!("cannot write the manifest: {e}"))?;
    Ok(manifest)
}

/// Checks a backup folder: its manifest, a sound database holding what the manifest says,
/// and every attachment it refers to present with its size.
pub async fn check(src: &Path) -> Result<Manifest, String> {
    let raw = std::fs::read(src.join(MANIFEST_FILE)).map_err(|e| format!("{} is not a backup folder: no readable {MANIFEST_FILE} ({e})", src.display()))?;
    let manifest: Manifest = serde_json::from_slice(&raw).map_err(|e| format!("{MANIFEST_FILE} is damaged: {e}"))?;
    let db = open_existing(&src.join(DATABASE_FILE)).await?;
    let found = async {
        let mut conn = db.read().await.map_err(|e| e.to_string())?;
        if let Some(problems) = store::backup::integrity_problems(&mut conn).await.map_err(|e| e.to_string())? {
            return Err(format!("the backup's database is damaged: {problems}"));
        }
        store::backup::contents(&mut conn).await.map_err(|e| e.to_string())
    }
    .await;
    db.pool.close().await;
    let contents = found?;
    if contents.cases != manifest.cases {
        return Err(format!("the backup's database holds {} cases, its manifest {}", contents.cases, manifest.cases));
    }
    missing_files(&src.join(FILES_FOLDER), &contents.attachments, &manifest.missing)?;
    Ok(manifest)
}

/// Restores the backup in `src` into an empty install: the SQLite file `database_url`
/// names (absent or empty) and `files_dir` (absent or empty). Returns the restored
/// database, migrated to this release's schema, for the caller's history check.
pub async fn restore(src: &Path, database_url: &str, files_dir: &Path) -> Result<(Db, Manifest), String> {
    let target =
        store::db::sqlite_file(database_url).ok_or("restore writes a SQLite install: DATABASE_URL must be sqlite://FILE (on PostgreSQL use pg_restore)")?;
    let manifest = check(src).await?;
    if std::fs::metadata(&target).is_ok_and(|m| m.len() > 0) || wal_of(&target).exists() {
        return Err(format!("{} already holds a database: restore only into an empty install", target.display()));
    }
    ensure_empty_folder(files_dir)?;
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot make {}: {e}", parent.display()))?;
    }
    // Under another name first, so an interrupted restore never leaves a half file that
    // looks like a database.
    let partial = target.with_extension("restoring");
    std::fs::copy(src.join(DATABASE_FILE), &partial).map_err(|e| format!("copying the database failed: {e}"))?;
    let from = src.join(FILES_FOLDER);
    for entry in std::fs::read_dir(&from).map_err(|e| format!("cannot read {}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        std::fs::copy(entry.path(), files_dir.join(entry.file_name())).map_err(|e| format!("copying attachment {:?} failed: {e}", entry.file_name()))?;
    }
    std::fs::rename(&partial, &target).map_err(|e| format!("cannot move the database into place: {e}"))?;
    let db = Db::connect(database_url).await.map_err(|e| format!("cannot open the restored database: {e}"))?;
    db.migrate().await.map_err(|e| format!("migrating the restored database failed: {e}"))?;
    let contents = store::backup::contents(&mut *db.read().await.map_err(|e| e.to_string())?).await.map_err(|e| e.to_string())?;
    missing_files(files_dir, &contents.attachments, &manifest.missing)?;
    Ok((db, manifest))
}

async fn open_existing(file: &Path) -> Result<Db, String> {
    if !file.is_file() {
        return Err(format!("{} does not exist", file.display()));
    }
    Db::connect(&format!("sqlite://{}?mode=rw", file.display())).await.map_err(|e| format!("cannot open {}: {e}", file.display()))
}

fn wal_of(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

fn ensure_empty_folder(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
    let mut entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    match entries.next() {
        None => Ok(()),
        Some(_) => Err(format!("{} is not empty", dir.display())),
    }
}

/// Every attachment the register refers to is in `dir` with its recorded size, except
/// those the backup already knew were missing.
fn missing_files(dir: &Path, attachments: &[(String, i64)], known_missing: &[String]) -> Result<(), String> {
    let absent: Vec<&str> = attachments
        .iter()
        .filter(|(key, size)| !known_missing.contains(key) && std::fs::metadata(dir.join(key)).map(|m| m.len() as i64 != *size).unwrap_or(true))
        .map(|(key, _)| key.as_str())
        .collect();
    if absent.is_empty() { Ok(()) } else { Err(format!("{} attachments are missing or of the wrong size, first {}", absent.len(), absent[0])) }
}
