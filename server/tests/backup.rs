//! Backup and restore of a SQLite install through the operator's commands (`server backup`,
//! `server restore`), taken while cases keep arriving, and the migration check
//! (`server migrate --check`).
#[macro_use]
mod common;

use app::domain::case::Actor;
use app::domain::org::Role;
use app::service::attachments::Upload;
use app::service::backup::Manifest;
use app::service::cases;
use app::store::Db;
use common::TestApp;
use server::config::Config;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

on_both_backends!(the_migration_check_lists_what_would_run_and_changes_nothing);

/// The first bytes of a JPEG (JFIF) photo: enough for the content check.
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00];

fn scratch(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    std::env::temp_dir().join("shezhi-tests").join(format!("{name}-{}-{nanos}", std::process::id()))
}

async fn command(config: &Config, args: &[&str]) -> Result<(), String> {
    server::cli::run(config.clone(), &args.iter().map(|a| a.to_string()).collect::<Vec<_>>()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_under_write_load_restores_every_acknowledged_case() {
    let app = TestApp::sqlite().await;
    let operator = Actor::staff(app.user("op.wang", Role::Operator, None).await, Role::Operator, None);
    let live = common::config_for(&app.url, &app.files_dir());

    // Four operators register cases with a photo, each noting when its case was acknowledged.
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (db, fx, by, stop) = (app.db.clone(), app.effects().clone(), operator.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            let mut n = w * 100_000;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let photo = vec![Upload { file_name: format!("墙面{n}.jpg"), bytes: [JPEG, n.to_string().as_bytes()].concat() }];
                let receipt = cases::register(&db, &fx, &by, common::cracks_report(n), photo).await.expect("the case is registered");
                acknowledged.push((receipt.code, app::store::now_ms()));
            }
            acknowledged
        }));
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    let dest = scratch("backup");
    command(&live, &["backup", dest.to_str().unwrap()]).await.expect("the backup is made");
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for w in writers {
        acknowledged.extend(w.await.expect("a writer"));
    }
    let manifest: Manifest = serde_json::from_slice(&std::fs::read(dest.join("manifest.json")).unwrap()).unwrap();
    let before: Vec<&String> = acknowledged.iter().filter(|(_, at)| *at < manifest.made_at).map(|(code, _)| code).collect();
    let after = acknowledged.len() - before.len();
    assert!(before.len() >= 4 && after >= 4, "the backup ran under load: {} cases before it, {after} after", before.len());
    assert!(manifest.cases >= before.len() as i64 && manifest.attachments as i64 == manifest.cases, "{manifest:?}");
    assert!(manifest.missing.is_empty());

    // Restored into an empty install: every case acknowledged before the copy, each with
    // its photo, and every history intact (the command fails otherwise).
    let (url, files) = (format!("sqlite://{}", scratch("restored").with_extension("db").display()), scratch("restored-files"));
    let target = common::config_for(&url, &files);
    command(&target, &["restore", dest.to_str().unwrap()]).await.expect("the backup restores");
    let restored = Db::connect(&url).await.unwrap();
    for code in &before {
        let (case_id, key): (i64, String) = sqlx::query_as("SELECT c.id, a.storage_key FROM cases c JOIN attachments a ON a.case_id = c.id WHERE c.code = $1")
            .bind(code.as_str())
            .fetch_one(&restored.pool)
            .await
            .unwrap_or_else(|e| panic!("case {code} acknowledged before the backup is missing: {e}"));
        let bytes = std::fs::read(files.join(&key)).unwrap_or_else(|e| panic!("the photo of case {case_id} is missing: {e}"));
        assert!(bytes.starts_with(JPEG));
    }
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&restored.pool).await.unwrap();
    assert_eq!(total, manifest.cases);
    assert!(cases::verify_history(&restored).await.unwrap().1.is_empty());

    // A second restore onto it is refused and changes nothing.
    let again = command(&target, &["restore", dest.to_str().unwrap()]).await.expect_err("an install that holds data is not restored over");
    assert!(again.contains("already holds a database"), "{again}");
    let still: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&restored.pool).await.unwrap();
    assert_eq!(still, total);
    restored.pool.close().await;
    for dir in [&dest, &files] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_damaged_or_incomplete_backup_is_refused_before_anything_is_written() {
    let app = TestApp::sqlite().await;
    let operator = Actor::staff(app.user("op.wang", Role::Operator, None).await, Role::Operator, None);
    let photo = vec![Upload { file_name: "墙面.jpg".into(), bytes: JPEG.to_vec() }];
    cases::register(&app.db, app.effects(), &operator, common::cracks_report(1), photo).await.unwrap();
    let live = common::config_for(&app.url, &app.files_dir());

    let dest = scratch("backup");
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::write(dest.join("something"), b"x").unwrap();
    let e = command(&live, &["backup", dest.to_str().unwrap()]).await.expect_err("a folder in use is not written into");
    assert!(e.contains("is not empty"), "{e}");
    std::fs::remove_file(dest.join("something")).unwrap();
    command(&live, &["backup", dest.to_str().unwrap()]).await.expect("the backup is made");

    // A photo lost from the backup: the restore says so and leaves the install empty.
    let key = std::fs::read_dir(dest.join("files")).unwrap().next().unwrap().unwrap().path();
    std::fs::remove_file(&key).unwrap();
    let file = scratch("restored").with_extension("db");
    let target = common::config_for(&format!("sqlite://{}", file.display()), &scratch("restored-files"));
    let e = command(&target, &["restore", dest.to_str().unwrap()]).await.expect_err("an incomplete backup is refused");
    assert!(e.contains("attachments are missing"), "{e}");
    assert!(!file.exists(), "nothing restored");
    let _ = std::fs::remove_dir_all(&dest);
}

async fn the_migration_check_lists_what_would_run_and_changes_nothing(app: TestApp) {
    let all = app.db.pending_migrations().await.expect("the check runs");
    assert!(all.is_empty(), "the test database is migrated: {all:?}");
    if app.backend() == app::store::Backend::Postgres {
        let e = command(&common::config_for(&app.url, &app.files_dir()), &["backup", scratch("pg").to_str().unwrap()])
            .await
            .expect_err("PostgreSQL is backed up by pg_dump");
        assert!(e.contains("pg_dump"), "{e}");
    }
    // An extra row as a newer release would leave it.
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99999, 'from the future', TRUE, $1, 0)")
        .bind(vec![0u8; 48])
        .execute(&app.db.pool)
        .await
        .unwrap();
    let e = app.db.pending_migrations().await.expect_err("a newer database is named");
    assert!(e.contains("99999") && e.contains("newer release"), "{e}");
    // The server refuses to start on it rather than run an older schema's code.
    let e = command(&common::config_for(&app.url, &app.files_dir()), &["migrate"]).await.expect_err("no start on a newer database");
    assert!(e.contains("99999"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_new_database_would_get_every_migration_and_the_check_creates_no_schema() {
    let file = scratch("fresh").with_extension("db");
    let url = format!("sqlite://{}", file.display());
    let db = Db::connect(&url).await.unwrap();
    let pending = db.pending_migrations().await.unwrap();
    assert_eq!(pending.first().map(|(v, _)| *v), Some(1));
    assert!(pending.len() >= 19, "{pending:?}");
    assert_eq!(app::store::backup::schema_version(&mut db.pool.acquire().await.unwrap()).await.unwrap(), 0, "nothing applied by the check");
    db.migrate().await.unwrap();
    assert!(db.pending_migrations().await.unwrap().is_empty());
    db.pool.close().await;
    let _ = std::fs::remove_file(&file);
}
