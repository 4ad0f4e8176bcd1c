//! The case register's server functions over HTTP, as the pages call them: the route
//! guard, the object-level checks in each function, the residents' receipt, exports.
#[macro_use]
mod common;

use app::domain::Receipt;
use app::domain::case::{CALLER_HISTORY_MAX, CallerHistory, CaseDetail, CaseError, CasePage, Change, CommandKind, TrackView};
use app::domain::org::Role;
use app::error::AppError;
use common::{Browser, PASSWORD, TestApp, decode_err, decode_ok, testid};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

on_both_backends!(
    units_cannot_cross_into_cases_they_do_not_hold,
    a_resident_reports_follows_and_is_refused_without_consent,
    the_desk_exports_what_it_filters,
    a_resident_reports_and_follows_without_javascript,
    the_intake_desk_sees_a_callers_earlier_cases_masked,
    a_point_on_the_map_finds_its_township,
    a_command_sent_again_with_its_key_is_filed_once,
    the_desk_refiles_a_misfiled_case_and_bad_refilings_change_nothing,
);

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00];

async fn multipart(b: &Browser, endpoint: &str, form: Form) -> reqwest::Response {
    b.post(&format!("/api/{endpoint}")).multipart(form).send().await.expect("answered")
}

fn intake(category: &str, description: &str) -> Form {
    Form::new()
        .text("channel", "hotline12345")
        .text("urgency", "normal")
        .text("category", category.to_string())
        .text("description", description.to_string())
        .text("reporter_name", "耿山村村民")
        .text("reporter_phone", "13905701234")
}

fn act(id: i64, command: CommandKind) -> Form {
    Form::new().text("id", id.to_string()).text("command", command.code())
}

async fn signed_in(app: &TestApp, username: &str) -> Browser {
    let b = app.browser();
    b.sign_in(username, PASSWORD).await;
    b
}

async fn units_cannot_cross_into_cases_they_do_not_hold(app: TestApp) {
    let town = app.unit("莲花镇人民政府").await;
    let rail = app.unit("区铁路轨道交通建设管理中心").await;
    let other = app.unit("区林业局").await;
    app.user("desk.op", Role::Operator, None).await;
    app.user("town.staff", Role::UnitStaff, Some(town)).await;
    app.user("rail.staff", Role::UnitStaff, Some(rail)).await;
    app.user("forest.staff", Role::UnitStaff, Some(other)).await;
    let op = signed_in(&app, "desk.op").await;

    let form = intake("construction-damage", "杭衢高铁施工致耿山村多户房屋墙面开裂").part("files", Part::bytes(JPEG.to_vec()).file_name("墙面.jpg"));
    let receipt: Receipt = decode_ok("register", multipart(&op, "cases/register", form).await).await;
    let id = receipt.id;
    let dispatch = act(id, CommandKind::Dispatch).text("lead", town.to_string()).text("cooperating", rail.to_string());
    assert!(multipart(&op, "cases/act", dispatch).await.status().is_success());
    let file_id: i64 = sqlx::query_scalar("SELECT id FROM attachments WHERE case_id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();

    // Another unit's staff: the case does not exist for them, whatever they try.
    let forest = signed_in(&app, "forest.staff").await;
    let (status, err) = forest.refused("cases/detail", &[("id", &id.to_string())]).await;
    assert_eq!((status, err), (StatusCode::NOT_FOUND, AppError::NotFound));
    let r = multipart(&forest, "cases/act", act(id, CommandKind::Sign)).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(forest.get(&format!("/files/{file_id}")).await.status(), StatusCode::NOT_FOUND);
    let page: CasePage = forest.ok("cases/list", &[("filter[overdue]", "false")]).await;
    assert!(page.rows.is_empty(), "no case of another unit is listed");

    // Its own units: see it, and are offered exactly their next step.
    let rail_b = signed_in(&app, "rail.staff").await;
    let detail: CaseDetail = rail_b.ok("cases/detail", &[("id", &id.to_string())]).await;
    assert_eq!(detail.actions, vec![CommandKind::Sign, CommandKind::Return]);
    assert!(
        matches!(&detail.reporter, app::domain::privacy::ReporterView::Masked(c) if c.phone.as_deref() == Some("139****1234")),
        "staff see the contact masked"
    );
    let full: app::domain::privacy::Contact = rail_b.ok("cases/contact", &[("id", &id.to_string())]).await;
    assert_eq!(full.phone.as_deref(), Some("13905701234"), "and in full when they ask, on the record");
    assert_eq!(rail_b.get(&format!("/files/{file_id}")).await.status(), StatusCode::OK);

    // An illegal step is refused with its reason, over HTTP as in the rules.
    let town_b = signed_in(&app, "town.staff").await;
    assert!(multipart(&town_b, "cases/act", act(id, CommandKind::Sign)).await.status().is_success());
    let resolve = act(id, CommandKind::Resolve).text("result", "已修复");
    let (status, err) = decode_err("resolve", multipart(&town_b, "cases/act", resolve).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err, AppError::Case(CaseError::WaitingForSignatures(vec![rail])));
    // The desk does not sign in a unit's name.
    let (status, _) = decode_err("op sign", multipart(&op, "cases/act", act(id, CommandKind::Sign)).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Not signed in: the guard answers before any function runs.
    let anon = app.browser();
    assert_eq!(anon.call("cases/detail", &[("id", &id.to_string())]).await.status(), StatusCode::UNAUTHORIZED);
    let s = anon.get(&format!("/files/{file_id}")).await.status();
    assert!(s == StatusCode::UNAUTHORIZED || s.is_redirection(), "a page path sends strangers to sign in: {s}");
}

async fn a_resident_reports_follows_and_is_refused_without_consent(app: TestApp) {
    let resident = app.browser();
    let before = app.count("SELECT COUNT(*) FROM cases").await;
    let no_consent = Form::new().text("category", "noise").text("description", "夜间施工噪音");
    let (status, err) = decode_err("report", multipart(&resident, "public/report", no_consent).await).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Case(CaseError::ConsentRequired)));
    let not_a_photo = Form::new()
        .text("category", "noise")
        .text("description", "夜间施工噪音")
        .text("consent", "yes")
        .part("files", Part::bytes(b"MZ\x90\x00 not an image".to_vec()).file_name("photo.jpg"));
    let (status, err) = decode_err("report", multipart(&resident, "public/report", not_a_photo).await).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Case(CaseError::FileType)));
    assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, before, "refused reports store nothing");

    let good = Form::new()
        .text("category", "noise")
        .text("description", "西山下村厂房夜间施工噪音")
        .text("reporter_name", "张三丰")
        .text("reporter_phone", "13812345678")
        .text("consent", "yes")
        .text("urgency", "emergency");
    let receipt: Receipt = decode_ok("report", multipart(&resident, "public/report", good).await).await;
    assert_eq!(receipt.id, 0, "residents get the code, never the internal id");
    let urgency: String = sqlx::query_scalar("SELECT urgency FROM cases WHERE code = $1").bind(&receipt.code).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(urgency, "normal", "residents do not set urgency");

    let (status, err) = resident.refused("public/track", &[("code", &receipt.code), ("secret", "WRONG")]).await;
    assert_eq!((status, err), (StatusCode::NOT_FOUND, AppError::Case(CaseError::BadTrackingCode)));
    let view: TrackView = resident.ok("public/track", &[("code", &receipt.code.to_lowercase()), ("secret", &receipt.secret)]).await;
    assert_eq!(view.reporter_name.as_deref(), Some("张**"));
    assert_eq!(view.reporter_phone.as_deref(), Some("138****5678"));
    assert!(!view.can_rate);
    let (status, _) = resident.refused("public/rate", &[("code", &receipt.code), ("secret", &receipt.secret), ("satisfied", "true"), ("comment", "")]).await;
    assert_eq!(status, StatusCode::CONFLICT, "nothing to rate before the case is resolved");
}

async fn the_desk_exports_what_it_filters(app: TestApp) {
    let town = app.unit("莲花镇人民政府").await;
    app.user("desk.op", Role::Operator, None).await;
    app.user("town.staff", Role::UnitStaff, Some(town)).await;
    let op = signed_in(&app, "desk.op").await;
    let noise: Receipt = decode_ok("register", multipart(&op, "cases/register", intake("noise", "夜间噪音扰民")).await).await;
    let road: Receipt = decode_ok("register", multipart(&op, "cases/register", intake("roads", "道路坑洼积水")).await).await;

    let r = op.get("/center/cases/export.csv?category=noise").await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    assert!(body.starts_with('\u{feff}'), "a byte-order mark, so Excel reads Chinese");
    assert!(body.contains(&noise.code) && !body.contains(&road.code), "the filter applies: {body}");
    assert_eq!(body.lines().count(), 2, "header and one row");

    let r = op.get("/center/cases/export.xlsx").await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip file");

    let town_b = signed_in(&app, "town.staff").await;
    assert_eq!(town_b.get("/center/cases/export.csv").await.status(), StatusCode::FORBIDDEN);

    // A resident's text that a spreadsheet would run as a formula leaves as text.
    let formula = "=HYPERLINK(\"http://evil.example\",\"点击查看\")";
    let _: Receipt = decode_ok("register", multipart(&op, "cases/register", intake("noise", formula)).await).await;
    let body = op.get("/center/cases/export.csv?category=noise").await.text().await.unwrap();
    assert!(body.contains("'=HYPERLINK("), "neutralised: {body}");
    let cells_starting_a_formula = body.lines().flat_map(|l| l.split(',')).filter(|c| c.trim_start_matches('"').starts_with('=')).count();
    assert_eq!(cells_starting_a_formula, 0, "{body}");
}

/// Plain POSTs to the pages themselves, as a browser without JavaScript sends them: the
/// answer is the page around the outcome, with the refusal's status.
async fn a_resident_reports_and_follows_without_javascript(app: TestApp) {
    let resident = app.browser();
    let before = app.count("SELECT COUNT(*) FROM cases").await;
    let refused = Form::new().text("category", "noise").text("description", "夜间施工噪音").text("reporter_name", "张三丰");
    let r = resident.post("/report").multipart(refused).send().await.expect("answered");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "no consent");
    let html = r.text().await.unwrap();
    assert!(html.contains("role=\"alert\"") && testid(&html, "receipt").is_none());
    assert!(html.contains("value=\"张三丰\""), "what was typed is kept");
    assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, before, "refused reports store nothing");

    let good = Form::new()
        .text("category", "noise")
        .text("description", "西山下村厂房夜间施工噪音")
        .text("consent", "yes")
        .part("files", Part::bytes(JPEG.to_vec()).file_name("噪音.jpg"))
        .part("files", Part::bytes(Vec::new()).file_name(""));
    let r = resident.post("/report").multipart(good).send().await.expect("answered");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    let html = r.text().await.unwrap();
    let (code, secret) = (testid(&html, "receipt-code").expect("a receipt"), testid(&html, "receipt-secret").expect("a secret"));
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 1, "the photo, not the empty file field");

    let wrong = resident.post("/track").form(&[("code", code.as_str()), ("secret", "WRONGSEC")]).send().await.expect("answered");
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    assert!(testid(&wrong.text().await.unwrap(), "track-result").is_none());
    let found = resident.post("/track").form(&[("code", code.to_lowercase().as_str()), ("secret", secret.as_str())]).send().await.expect("answered");
    assert_eq!(found.status(), StatusCode::OK);
    let html = found.text().await.unwrap();
    assert!(testid(&html, "track-result").is_some() && html.contains(&code));
    // The rating form posts to the page too, with the code and secret in its body.
    assert!(!html.contains("data-testid=\"rate\""), "nothing to rate before the case is resolved");

    // Handled and verified, the case asks for a rating, which a plain POST gives.
    use app::domain::case::{Actor, CaseCommand as Cmd, CaseStatus};
    let unit = app.unit("区住建局").await;
    let op = Actor::staff(app.user("desk.op", Role::Operator, None).await, Role::Operator, None);
    let staff = Actor::staff(app.user("unit.staff", Role::UnitStaff, Some(unit)).await, Role::UnitStaff, Some(unit));
    let id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE code = $1").bind(&code).fetch_one(&app.db.pool).await.unwrap();
    for (by, cmd) in [
        (&op, Cmd::Dispatch { lead: unit, cooperating: vec![] }),
        (&staff, Cmd::Sign { unit }),
        (&staff, Cmd::Resolve { unit, result: "已责令夜间停工".into() }),
        (&op, Cmd::Verify),
    ] {
        app::service::cases::execute(&app.db, app.effects(), by, id, cmd, vec![]).await.expect("handled");
    }
    let html = resident.post("/track").form(&[("code", code.as_str()), ("secret", secret.as_str())]).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("data-testid=\"rate\""), "the rating form is offered");
    // Written into the page, so a browser without JavaScript sends them with the rating.
    assert!(html.contains(&format!("name=\"code\" value=\"{code}\"")) && html.contains(&format!("name=\"secret\" value=\"{secret}\"")));
    let rated = resident
        .post("/track")
        .form(&[("code", code.as_str()), ("secret", secret.as_str()), ("comment", "处理及时"), ("satisfied", "true")])
        .send()
        .await
        .expect("answered");
    assert_eq!(rated.status(), StatusCode::OK);
    let html = rated.text().await.unwrap();
    assert!(testid(&html, "rated").is_some() && !html.contains("data-testid=\"rate\""));
    let status: String = sqlx::query_scalar("SELECT status FROM cases WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(status, CaseStatus::Closed.code());
}

/// The caller's earlier cases on the intake desk: found by the phone however it is typed,
/// newest first, names masked, capped with the full count; a number that is not a phone
/// is refused with its reason; unit staff may not look callers up.
async fn the_intake_desk_sees_a_callers_earlier_cases_masked(app: TestApp) {
    let town = app.unit("莲花镇人民政府").await;
    app.user("desk.op", Role::Operator, None).await;
    app.user("town.staff", Role::UnitStaff, Some(town)).await;
    let op = signed_in(&app, "desk.op").await;
    let file = |title: &str, phone: &str| {
        Form::new()
            .text("channel", "hotline12345")
            .text("category", "construction-damage")
            .text("title", title.to_string())
            .text("description", format!("{title}，影响休息"))
            .text("reporter_name", "耿山村村民")
            .text("reporter_phone", phone.to_string())
    };
    let mut codes = Vec::new();
    for i in 0..CALLER_HISTORY_MAX + 2 {
        let r: Receipt = decode_ok("register", multipart(&op, "cases/register", file(&format!("夜间施工噪音 第{i}次"), "13905701234")).await).await;
        codes.push(r.code);
    }
    let _: Receipt = decode_ok("register", multipart(&op, "cases/register", file("另一位来电人", "13800001111")).await).await;

    let h: CallerHistory = op.ok("cases/caller", &[("phone", "139-0570-1234")]).await;
    assert_eq!(h.total, CALLER_HISTORY_MAX as i64 + 2);
    let shown: Vec<&str> = h.recent.iter().map(|c| c.case.code.as_str()).collect();
    let newest: Vec<&str> = codes.iter().rev().take(CALLER_HISTORY_MAX).map(String::as_str).collect();
    assert_eq!(shown, newest, "the newest first, capped");
    assert!(h.recent.iter().all(|c| c.reporter_name.as_deref() == Some("耿****")), "{:?}", h.recent[0].reporter_name);

    let other: CallerHistory = op.ok("cases/caller", &[("phone", "13800001111")]).await;
    assert_eq!((other.total, other.recent.len()), (1, 1));
    let nobody: CallerHistory = op.ok("cases/caller", &[("phone", "13700009999")]).await;
    assert_eq!(nobody, CallerHistory::default());
    let empty: CallerHistory = op.ok("cases/caller", &[("phone", "")]).await;
    assert_eq!(empty, CallerHistory::default());

    let (status, err) = op.refused("cases/caller", &[("phone", "12345")]).await;
    assert_eq!((status.is_client_error(), err), (true, AppError::Case(CaseError::BadPhone)));
    let staff = signed_in(&app, "town.staff").await;
    let (status, _) = staff.refused("cases/caller", &[("phone", "13905701234")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// The place pickers' map, as a resident's page calls it (no sign-in): the outline, and a
/// clicked point's township by the nearest seat on the district's land; a point outside the
/// district or not a point at all is refused with its reason.
async fn a_point_on_the_map_finds_its_township(app: TestApp) {
    use app::domain::org::AreaLevel;
    use app::service::{AuditActor, org};
    // Two townships with their seats, as the demo's areas have them.
    let district = org::save_area(&app.db, &AuditActor::default(), None, None, Some(AreaLevel::District), "衢江区").await.unwrap();
    for (name, lat_e6, lng_e6) in [("莲花镇", 29_065_000, 119_025_000), ("樟潭街道", 28_979_000, 118_959_000)] {
        let id = org::save_area(&app.db, &AuditActor::default(), None, Some(district), Some(AreaLevel::Township), name).await.unwrap();
        let mut tx = app.db.begin_write().await.unwrap();
        app::store::screen::set_area_point(&mut tx, id, lat_e6, lng_e6).await.unwrap();
        tx.commit().await.unwrap();
    }
    let resident = app.browser();
    let picker: app::domain::geo::PickMap = resident.ok("public/place_map", &[]).await;
    let map = picker.map;
    assert!(map.outline.starts_with('M') && map.outline.ends_with('Z'));
    let names: Vec<&str> = picker.seats.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"樟潭街道") && names.contains(&"莲花镇"));
    // A click lands where it was drawn: the seat of 樟潭街道, projected and back.
    let (x, y) = map.frame.project(118.959, 28.979);
    let (lng, lat) = map.frame.unproject(x, y);
    let place: app::domain::org::Place = resident.ok("public/place_at", &[("lat", &format!("{lat:.6}")), ("lng", &format!("{lng:.6}"))]).await;
    assert_eq!(place.path, "樟潭街道");
    let place: app::domain::org::Place = resident.ok("public/place_at", &[("lat", "29.06"), ("lng", "119.02")]).await;
    assert_eq!(place.path, "莲花镇");

    let (status, err) = resident.refused("public/place_at", &[("lat", "39.9"), ("lng", "116.4")]).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Case(CaseError::OutsideDistrict)));
    let (status, err) = resident.refused("public/place_at", &[("lat", "北纬"), ("lng", "118.9")]).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Case(CaseError::BadLocation)));
    let (_, err) = resident.refused("public/place_at", &[("lat", ""), ("lng", "")]).await;
    assert_eq!(err, AppError::Case(CaseError::BadLocation));
}

/// A phone that lost the answer sends the same report again, with the key it gave the report
/// when it was written: the second, and a concurrent third, file nothing new.
async fn a_command_sent_again_with_its_key_is_filed_once(app: TestApp) {
    let town = app.unit("莲花镇人民政府").await;
    app.user("desk.op", Role::Operator, None).await;
    app.user("town.staff", Role::UnitStaff, Some(town)).await;
    app.user("town.other", Role::UnitStaff, Some(town)).await;
    let op = signed_in(&app, "desk.op").await;
    let receipt: Receipt = decode_ok("register", multipart(&op, "cases/register", intake("noise", "山前村道路抢修噪音")).await).await;
    let id = receipt.id;
    assert!(multipart(&op, "cases/act", act(id, CommandKind::Dispatch).text("lead", town.to_string())).await.status().is_success());
    let events = |app: &TestApp| {
        let q = format!("SELECT COUNT(*) FROM case_events WHERE case_id = {id}");
        let db = app.db.pool.clone();
        async move { sqlx::query_scalar::<_, i64>(&q).fetch_one(&db).await.unwrap() }
    };
    let phone = signed_in(&app, "town.staff").await;

    let sign_key = "0f8fad5b-d9cb-469f-a165-70867728950e";
    for _ in 0..2 {
        let r = multipart(&phone, "cases/act", act(id, CommandKind::Sign).text("key", sign_key)).await;
        assert!(r.status().is_success(), "a signature sent twice is answered as done both times: {}", r.status());
    }
    let after_sign = events(&app).await;

    let report = |key: &str| {
        act(id, CommandKind::Progress)
            .text("text", "已设置围挡，正在抢修")
            .text("key", key.to_string())
            .part("files", Part::bytes(JPEG.to_vec()).file_name("现场.jpg"))
    };
    let key = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    assert!(multipart(&phone, "cases/act", report(key)).await.status().is_success());
    let after_report = events(&app).await;
    assert!(after_report > after_sign);
    // Again, and twice at once: nothing new, and no photo left behind.
    let (a, b) = tokio::join!(multipart(&phone, "cases/act", report(key)), multipart(&phone, "cases/act", report(key)));
    assert!(a.status().is_success() && b.status().is_success());
    assert_eq!(events(&app).await, after_report, "the repeats filed nothing");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM attachments WHERE case_id = {id}")).await, 1, "one photo, from the first");
    let detail: CaseDetail = phone.ok("cases/detail", &[("id", &id.to_string())]).await;
    let reports = detail.timeline.iter().filter(|e| matches!(&e.change, Change::Progressed { text, .. } if text == "已设置围挡，正在抢修")).count();
    assert_eq!(reports, 1, "the history shows the report once");
    let files = std::fs::read_dir(app.files_dir()).map(|d| d.count()).unwrap_or(0);
    assert_eq!(files, 1, "the repeats' photos were not kept on disk");

    // The same key from another person, or on another case, is a mistake, not a repeat.
    let other = signed_in(&app, "town.other").await;
    let (status, err) = decode_err("other person", multipart(&other, "cases/act", report(key)).await).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Case(CaseError::BadCommandKey)));
    // A malformed key is refused and files nothing.
    let (status, err) = decode_err("bad key", multipart(&phone, "cases/act", report("not a key")).await).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Case(CaseError::BadCommandKey)));
    assert_eq!(events(&app).await, after_report);
    // A new key is a new report.
    assert!(multipart(&phone, "cases/act", report("3b241101-e2bb-4255-8caf-4136c566a962")).await.status().is_success());
    assert!(events(&app).await > after_report);
}

async fn the_desk_refiles_a_misfiled_case_and_bad_refilings_change_nothing(app: TestApp) {
    let town = app.unit("莲花镇人民政府").await;
    app.user("desk.op", Role::Operator, None).await;
    app.user("town.staff", Role::UnitStaff, Some(town)).await;
    let op = signed_in(&app, "desk.op").await;
    // Night-time building work, filed as construction damage.
    let receipt: Receipt = decode_ok("register", multipart(&op, "cases/register", intake("construction-damage", "工地夜间施工噪音扰民到凌晨")).await).await;
    let id = receipt.id;
    let refile = |category: &str, reason: &str| act(id, CommandKind::Recategorise).text("category", category.to_string()).text("reason", reason.to_string());
    let row = |app: &TestApp| {
        let db = app.db.pool.clone();
        async move {
            let q =
                format!("SELECT category, kind, deadline_at, received_at, (SELECT COUNT(*) FROM case_events WHERE case_id = {id}) FROM cases WHERE id = {id}");
            sqlx::query_as::<_, (String, String, i64, i64, i64)>(&q).fetch_one(&db).await.unwrap()
        }
    };
    let before = row(&app).await;
    let detail: CaseDetail = op.ok("cases/detail", &[("id", &id.to_string())]).await;
    assert!(detail.actions.contains(&CommandKind::Recategorise), "offered before dispatch: {:?}", detail.actions);

    // Refusals, each naming what is wrong, and none changing anything.
    let (status, err) = decode_err("unknown", multipart(&op, "cases/act", refile("no-such", "归类有误")).await).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Case(CaseError::UnknownCode("no-such".into()))));
    let (_, err) = decode_err("same", multipart(&op, "cases/act", refile("construction-damage", "归类有误")).await).await;
    assert_eq!(err, AppError::Case(CaseError::SameCategory("construction-damage".into())));
    let (_, err) = decode_err("no reason", multipart(&op, "cases/act", refile("noise", " ")).await).await;
    assert_eq!(err, AppError::Case(CaseError::TextRequired(app::domain::case::TextField::Reason)));
    let town_b = signed_in(&app, "town.staff").await;
    let r = multipart(&town_b, "cases/act", refile("noise", "归类有误")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "a unit that does not hold the case cannot touch it");
    assert_eq!(row(&app).await, before);

    // Refiled: the lists, the history and the clock follow the new category.
    assert!(multipart(&op, "cases/act", refile("noise", "来电核实为夜间施工噪音")).await.status().is_success());
    let (category, kind, deadline, received, events) = row(&app).await;
    assert_eq!((category.as_str(), kind.as_str(), events), ("noise", "governance_incident", before.4 + 1));
    let noise: i64 = sqlx::query_scalar("SELECT allowed_ms FROM categories WHERE code = 'noise'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(deadline, received + noise, "the new category's time, from receipt");
    let page: CasePage = op.ok("cases/list", &[("filter[category]", "noise"), ("filter[overdue]", "false")]).await;
    assert!(page.rows.iter().any(|r| r.id == id && r.category == "noise"));
    let detail: CaseDetail = op.ok("cases/detail", &[("id", &id.to_string())]).await;
    let refiled = detail.timeline.iter().find_map(|e| match &e.change {
        Change::Recategorised { from, to, reason, .. } => Some((from.clone(), to.clone(), reason.clone())),
        _ => None,
    });
    assert_eq!(refiled, Some(("construction-damage".into(), "noise".into(), "来电核实为夜间施工噪音".into())));
    assert!(detail.category_names.iter().any(|(c, n)| c == "construction-damage" && !n.is_empty()), "the timeline names both categories");

    // Once the units have it, it is returned before it is refiled.
    assert!(multipart(&op, "cases/act", act(id, CommandKind::Dispatch).text("lead", town.to_string())).await.status().is_success());
    let (_, err) = decode_err("dispatched", multipart(&op, "cases/act", refile("construction-damage", "再改")).await).await;
    assert!(matches!(err, AppError::Case(CaseError::WrongStatus { command: CommandKind::Recategorise, .. })), "{err:?}");
}
