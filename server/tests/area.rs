//! Access by area and level through the server: a township government's staff read every
//! case in their township (its villages' and grids' too) and none of another township's; a
//! village committee its village's; a grid team its grid's; a department only what it holds;
//! the center everything. Reading is not acting: a command on a case the unit does not hold
//! is refused and changes nothing. Both ways, on both databases.
#[macro_use]
mod common;

use app::domain::case::{AreaPage, CaseDetail, CaseError, CasePage};
use app::domain::org::{AreaLevel, Role, UnitKind};
use app::error::AppError;
use app::service::{AuditActor, org};
use common::{Browser, TestApp, decode_ok};
use reqwest::StatusCode;
use reqwest::multipart::Form;

on_both_backends!(each_level_reads_its_own_area_and_nothing_across, reading_a_case_in_the_area_is_not_acting_on_it,);

struct Org {
    app: TestApp,
    desk: Browser,
    lianhua: Browser,
    gengshan: Browser,
    grid: Browser,
    quanwang: Browser,
    dept: Browser,
    dept_unit: i64,
    /// Cases filed in 耿山村第一网格, in 耿山村 (no grid), in 莲花镇's other village, in 全旺镇.
    in_grid: i64,
    in_village: i64,
    in_sibling: i64,
    elsewhere: i64,
}

async fn org(app: TestApp) -> Org {
    let area = |parent: Option<i64>, level: AreaLevel, name: &'static str| {
        let db = app.db.clone();
        async move { org::save_area(&db, &AuditActor::default(), None, parent, Some(level), name).await.expect("area") }
    };
    let district = area(None, AreaLevel::District, "衢江区").await;
    let lianhua = area(Some(district), AreaLevel::Township, "莲花镇").await;
    let gengshan = area(Some(lianhua), AreaLevel::Village, "耿山村").await;
    let sibling = area(Some(lianhua), AreaLevel::Village, "西山下村").await;
    let grid = area(Some(gengshan), AreaLevel::Grid, "耿山村第一网格").await;
    let quanwang = area(Some(district), AreaLevel::Township, "全旺镇").await;
    let qvillage = area(Some(quanwang), AreaLevel::Village, "全旺村").await;
    let unit = |name: &'static str, kind: UnitKind, area: Option<i64>| {
        let db = app.db.clone();
        async move { org::save_unit(&db, &AuditActor::default(), None, &org::UnitInput { name, kind, area_id: area, phone: "" }).await.expect("unit") }
    };
    let center = unit("区社会治理中心", UnitKind::Center, None).await;
    let town_unit = unit("莲花镇人民政府", UnitKind::TownshipGovernment, Some(lianhua)).await;
    let village_unit = unit("耿山村村委会", UnitKind::VillageCommittee, Some(gengshan)).await;
    let grid_unit = unit("耿山村第一网格工作组", UnitKind::GridTeam, Some(grid)).await;
    let other_town = unit("全旺镇人民政府", UnitKind::TownshipGovernment, Some(quanwang)).await;
    let dept_unit = unit("区住建局", UnitKind::ResidentDepartment, None).await;
    app.user("op.li", Role::Operator, Some(center)).await;
    app.user("lead.wu", Role::Leader, Some(center)).await;
    for (name, u) in [("town", town_unit), ("village", village_unit), ("grid", grid_unit), ("quanwang", other_town), ("dept", dept_unit)] {
        app.user(name, Role::UnitStaff, Some(u)).await;
    }
    let desk = app.signed_in("op.li").await;
    let report = async |title: &str, area_id: i64| -> i64 {
        let form = Form::new()
            .text("channel", "hotline12345")
            .text("category", "construction-damage")
            .text("area_id", area_id.to_string())
            .text("title", title.to_string())
            .text("description", "施工致房屋墙面开裂");
        let r: app::domain::Receipt = decode_ok("register", desk.post("/api/cases/register").multipart(form).send().await.expect("answered")).await;
        r.id
    };
    let in_grid = report("网格内房屋开裂", grid).await;
    let in_village = report("耿山村道路塌陷", gengshan).await;
    let in_sibling = report("西山下村路灯不亮", sibling).await;
    let elsewhere = report("全旺村排水沟堵塞", qvillage).await;
    Org {
        lianhua: app.signed_in("town").await,
        gengshan: app.signed_in("village").await,
        grid: app.signed_in("grid").await,
        quanwang: app.signed_in("quanwang").await,
        dept: app.signed_in("dept").await,
        app,
        desk,
        dept_unit,
        in_grid,
        in_village,
        in_sibling,
        elsewhere,
    }
}

async fn reads(b: &Browser, id: i64) -> StatusCode {
    b.call("cases/detail", &[("id", &id.to_string())]).await.status()
}

async fn area_ids(b: &Browser) -> Vec<i64> {
    let p: AreaPage = b.ok("field/area/list", &[("status", ""), ("after", "")]).await;
    let mut ids: Vec<i64> = p.page.rows.iter().map(|r| r.id).collect();
    ids.sort();
    ids
}

async fn each_level_reads_its_own_area_and_nothing_across(app: TestApp) {
    let o = org(app).await;
    let all = [o.in_grid, o.in_village, o.in_sibling, o.elsewhere];
    // Who reads what: the township its three, the village its two, the grid its one.
    let expect: [(&Browser, &[i64]); 4] = [
        (&o.lianhua, &[o.in_grid, o.in_village, o.in_sibling]),
        (&o.gengshan, &[o.in_grid, o.in_village]),
        (&o.grid, &[o.in_grid]),
        (&o.quanwang, &[o.elsewhere]),
    ];
    for (who, mine) in expect {
        for id in all {
            let want = if mine.contains(&id) { StatusCode::OK } else { StatusCode::NOT_FOUND };
            assert_eq!(reads(who, id).await, want, "case {id}");
        }
        let mut mine = mine.to_vec();
        mine.sort();
        assert_eq!(area_ids(who).await, mine);
    }
    // A department has no area: only what it holds, and no area list.
    for id in all {
        assert_eq!(reads(&o.dept, id).await, StatusCode::NOT_FOUND);
    }
    let (status, _) = o.dept.refused("field/area/list", &[("status", ""), ("after", "")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Dispatched to the department, another township's case is the department's to read.
    let r = o
        .desk
        .post("/api/cases/act")
        .multipart(Form::new().text("id", o.elsewhere.to_string()).text("command", "dispatch").text("lead", o.dept_unit.to_string()))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap_or_default());
    assert_eq!(reads(&o.dept, o.elsewhere).await, StatusCode::OK);
    assert_eq!(reads(&o.lianhua, o.elsewhere).await, StatusCode::NOT_FOUND, "still not the township's");
    // The center and leaders read everything.
    let leader = o.app.signed_in("lead.wu").await;
    for id in all {
        assert_eq!(reads(&leader, id).await, StatusCode::OK);
        assert_eq!(reads(&o.desk, id).await, StatusCode::OK);
    }
    // A status filter narrows the area's list; paging goes through it.
    let received: AreaPage = o.lianhua.ok("field/area/list", &[("status", "received"), ("after", "")]).await;
    assert_eq!(received.page.rows.len(), 3);
    assert_eq!(received.area_name, "莲花镇");
    let (status, _) = o.lianhua.refused("field/area/list", &[("status", "nonsense"), ("after", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The register's own list and count follow the same scope.
    let n: i64 = o.gengshan.ok("cases/count", &[("filter[status]", "received")]).await;
    assert_eq!(n, 2);
    let page: CasePage = o.grid.ok("cases/list", &[("filter[status]", "received")]).await;
    assert_eq!(page.rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![o.in_grid]);
    // With words to find, within the area only (every case here says 开裂 in its description).
    for (who, word, want) in [
        (&o.gengshan, "耿山村", vec![o.in_village]),
        (&o.gengshan, "开裂", vec![o.in_village, o.in_grid]),
        (&o.lianhua, "路灯", vec![o.in_sibling]),
        (&o.grid, "道路", vec![]),
    ] {
        let page: CasePage = who.ok("cases/list", &[("filter[text]", word)]).await;
        assert_eq!(page.rows.iter().map(|r| r.id).collect::<Vec<_>>(), want, "{word}");
    }
}

async fn reading_a_case_in_the_area_is_not_acting_on_it(app: TestApp) {
    let o = org(app).await;
    // The village's case goes to the department; the township reads it but may not act.
    let r = o
        .desk
        .post("/api/cases/act")
        .multipart(Form::new().text("id", o.in_village.to_string()).text("command", "dispatch").text("lead", o.dept_unit.to_string()))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let before: CaseDetail = decode_ok("detail", o.lianhua.call("cases/detail", &[("id", &o.in_village.to_string())]).await).await;
    assert!(before.actions.is_empty(), "nothing to do on a case the unit does not hold: {:?}", before.actions);
    assert!(before.read_only);
    let theirs: CaseDetail = decode_ok("detail", o.dept.call("cases/detail", &[("id", &o.in_village.to_string())]).await).await;
    assert!(!theirs.read_only && !theirs.actions.is_empty(), "the department holds it and acts");
    for (command, extra) in [("sign", None), ("progress", Some(("text", "已到现场"))), ("return", Some(("reason", "不属本单位")))] {
        let mut form = Form::new().text("id", o.in_village.to_string()).text("command", command);
        if let Some((k, v)) = extra {
            form = form.text(k, v);
        }
        let r = o.lianhua.post("/api/cases/act").multipart(form).send().await.unwrap();
        assert!(r.status().is_client_error(), "{command}: {}", r.status());
        let err: AppError = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        assert!(matches!(err, AppError::Case(CaseError::NotAssigned(_)) | AppError::Case(CaseError::NotAllowed(_))), "{command}: {err:?}");
    }
    let after: CaseDetail = decode_ok("detail", o.desk.call("cases/detail", &[("id", &o.in_village.to_string())]).await).await;
    assert_eq!(after.timeline.len(), before.timeline.len(), "refused commands change nothing");
    // Attachments and the contact of another township's case stay out of reach.
    assert_eq!(o.lianhua.call("cases/contact", &[("id", &o.elsewhere.to_string())]).await.status(), StatusCode::NOT_FOUND);
    // Its inbox stays what it holds: nothing here.
    let inbox: serde_json::Value = o.lianhua.ok("field/inbox", &[]).await;
    assert_eq!(inbox["items"].as_array().map(Vec::len), Some(0), "{inbox}");
}
