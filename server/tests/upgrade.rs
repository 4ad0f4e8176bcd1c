//! An upgrade from the previous release: a database its code made (the fixture) is migrated
//! by this one with its data intact, and serves, on SQLite and on PostgreSQL.
//!
//! The fixtures `fixtures/release-0019.*.sql` are the demo register of release dfb4cbb
//! (schema 0019), made by that release's own binary: check it out, build `server`, run
//! `DATABASE_URL=… server seed-demo`, then `sqlite3 prev.db .dump` or `pg_dump --inserts
//! --no-owner --no-privileges` (without its `\restrict` lines). Its seed was cut to 120
//! generated cases to keep the files small. Refresh them from each release whose schema a
//! district may still run.
#[macro_use]
mod common;

use app::domain::case::{Actor, CaseFilter};
use app::domain::org::Role;
use app::service::cases;
use app::store::Db;
use common::Blank;
use sqlx::Connection;

const SQLITE_FIXTURE: &str = include_str!("fixtures/release-0019.sqlite.sql");
const POSTGRES_FIXTURE: &str = include_str!("fixtures/release-0019.postgres.sql");

/// Counts that must not change in an upgrade, table by table.
const KEPT: &[&str] = &[
    "cases",
    "case_events",
    "case_units",
    "attachments",
    "users",
    "units",
    "categories",
    "audit_events",
    "campaigns",
    "suggestions",
    "supervisions",
    "bulletins",
    "unit_marks",
];

async fn counts(db: &Db) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for table in KEPT {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&db.pool).await.unwrap();
        out.push((table.to_string(), n));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_previous_releases_sqlite_register_is_migrated_with_its_data_intact() {
    let blank = Blank::sqlite();
    let db = Db::connect(&blank.url).await.unwrap();
    sqlx::raw_sql(SQLITE_FIXTURE).execute(&db.pool).await.expect("the fixture loads");
    upgrade(blank, db, SQLITE_FIXTURE).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_previous_releases_postgres_register_is_migrated_with_its_data_intact() {
    let Some(blank) = Blank::postgres().await else { return };
    // On a connection of its own: the dump empties its session's search_path.
    let mut conn = sqlx::PgConnection::connect(&blank.url).await.unwrap();
    sqlx::raw_sql(POSTGRES_FIXTURE).execute(&mut conn).await.expect("the fixture loads");
    conn.close().await.unwrap();
    let db = Db::connect(&blank.url).await.unwrap();
    upgrade(blank, db, POSTGRES_FIXTURE).await;
}

async fn upgrade(blank: Blank, db: Db, fixture: &str) {
    assert_eq!(app::store::backup::schema_version(&mut db.pool.acquire().await.unwrap()).await.unwrap(), 19);
    let before = counts(&db).await;
    assert!(before.iter().any(|(t, n)| t == "cases" && *n > 100), "{before:?}");
    let states: Vec<(String, String, i64, String)> =
        sqlx::query_as("SELECT code, status, last_seq, last_hash FROM cases ORDER BY id").fetch_all(&db.pool).await.unwrap();

    let pending = db.pending_migrations().await.unwrap();
    assert!(pending.iter().any(|(v, _)| *v == 20), "{pending:?}");
    db.migrate().await.expect("the upgrade migrates");
    assert!(db.pending_migrations().await.unwrap().is_empty());
    assert_eq!(counts(&db).await, before);
    let after: Vec<(String, String, i64, String)> =
        sqlx::query_as("SELECT code, status, last_seq, last_hash FROM cases ORDER BY id").fetch_all(&db.pool).await.unwrap();
    assert_eq!(after, states, "every case as it was");
    let (checked, broken) = cases::verify_history(&db).await.unwrap();
    assert_eq!((checked as i64, broken.len()), (before[0].1, 0), "every history intact");

    // The upgraded register serves: an operator lists the cases, and the old admin signs in
    // with the password the old release gave.
    let operator: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'op.li'").fetch_one(&db.pool).await.unwrap();
    let page = cases::list(&db, &Actor::staff(operator, Role::Operator, None), &CaseFilter::default(), None).await.expect("the register lists");
    assert!(!page.rows.is_empty());
    let password = fixture.lines().find_map(|l| l.strip_prefix("-- Its admin's one-time password: ")).expect("the fixture names its password");
    db.pool.close().await;
    let app = blank.into_app().await;
    let next = app.browser().sign_in("admin", password).await;
    assert!(next.starts_with("/account/password"), "the old one-time password is still one to change: {next}");
}
