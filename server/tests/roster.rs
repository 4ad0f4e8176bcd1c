//! Staff roster import: bad rows are reported, good rows go in.
#[macro_use]
mod common;

use app::domain::org::Role;
use app::domain::roster::{Column, ImportReport, RosterError, RowProblem, check_roster};
use app::error::AppError;
use common::{Browser, PASSWORD, TestApp, decode_err, decode_ok};

on_both_backends!(roster_import_with_one_bad_row_imports_the_rest, roster_without_unit_column_is_refused_whole);

const ROSTER: &str = "用户名,姓名,单位,角色,手机
xf.wang,王明,区信访局,单位人员,13800001111
ghost,李四,不存在的单位,单位人员,
yj.chen,陈静,区应急管理局,unit_staff,
";

async fn signed_in_admin(app: &TestApp) -> Browser {
    app.user("boss", Role::Admin, None).await;
    let admin = app.browser();
    admin.sign_in("boss", PASSWORD).await;
    admin
}

async fn roster_import_with_one_bad_row_imports_the_rest(app: TestApp) {
    app.unit("区信访局").await;
    app.unit("区应急管理局").await;
    let admin = signed_in_admin(&app).await;

    let report: ImportReport = decode_ok("import", admin.upload("admin/import", "roster", "roster.csv", ROSTER.as_bytes()).await).await;
    let names: Vec<&str> = report.imported.iter().map(|s| s.username.as_str()).collect();
    assert_eq!(names, ["xf.wang", "yj.chen"]);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].row, 3, "the spreadsheet's row number, header being row 1");
    assert_eq!(report.errors[0].problems, [RowProblem::UnknownUnit("不存在的单位".into())]);
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE username = 'ghost'").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE kind = 'roster_imported'").await, 1);

    // The admin handed out one-time passwords: each owner chooses their own first.
    for staff in &report.imported {
        assert_eq!(app.browser().sign_in(&staff.username, &staff.password).await, "/account/password?next=/field", "{}", staff.username);
    }
}

async fn roster_without_unit_column_is_refused_whole(app: TestApp) {
    app.unit("区信访局").await;
    let admin = signed_in_admin(&app).await;
    let users = app.count("SELECT COUNT(*) FROM users").await;
    let file = "用户名,姓名,角色\nxf.wang,王明,单位人员\n";
    let (_, err) = decode_err("import", admin.upload("admin/import", "roster", "roster.csv", file.as_bytes()).await).await;
    assert_eq!(err, AppError::Roster(RosterError::MissingColumn(Column::Unit)));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users);
}

#[test]
fn csv_without_unit_column_is_a_missing_column_error() {
    let table = app::service::roster::read_table("roster.csv", "用户名,姓名,角色,手机\nxf.wang,王明,单位人员,\n".as_bytes()).expect("valid CSV");
    let checked = check_roster(&table, |_| Some(1), |_| false).map_err(AppError::Roster);
    assert_eq!(checked.unwrap_err(), AppError::Roster(RosterError::MissingColumn(Column::Unit)));
}
