//! Residents' personal data (PIPL) over HTTP: staff pages carry the contact masked, the full
//! one is read only through an audited "show", every export is on the audit trail, and a
//! finished matter's contact is erased after the retention period while its history stays.
#[macro_use]
mod common;

use app::domain::Receipt;
use app::domain::campaign::{Campaign, DEFAULT_CATEGORIES};
use app::domain::case::{CaseDetail, CommandKind, TrackView};
use app::domain::clock::local_date;
use app::domain::org::Role;
use app::domain::privacy::{Contact, ReporterView, Retention};
use app::error::AppError;
use app::service::{AuditActor, campaigns, privacy};
use app::store::now_ms;
use app::ui::suggest::api::SuggestionDetail;
use common::{Browser, PASSWORD, TestApp};
use reqwest::StatusCode;
use reqwest::multipart::Form;

on_both_backends!(
    staff_see_a_masked_contact_and_every_full_read_is_audited,
    every_export_is_on_the_audit_trail,
    contacts_are_erased_after_the_retention_period,
);

const PHONE: &str = "13905701234";

async fn signed_in(app: &TestApp, username: &str) -> Browser {
    let b = app.browser();
    b.sign_in(username, PASSWORD).await;
    b
}

async fn register(op: &Browser, description: &str) -> Receipt {
    let form = Form::new()
        .text("channel", "hotline12345")
        .text("urgency", "normal")
        .text("category", "noise")
        .text("description", description.to_string())
        .text("reporter_name", "耿山村村民")
        .text("reporter_phone", PHONE);
    common::decode_ok("register", op.post("/api/cases/register").multipart(form).send().await.expect("answered")).await
}

async fn audited(app: &TestApp, kind: &str) -> i64 {
    app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE kind = '{kind}'")).await
}

async fn staff_see_a_masked_contact_and_every_full_read_is_audited(app: TestApp) {
    let town = app.unit("莲花镇人民政府").await;
    let other = app.unit("区林业局").await;
    let op_id = app.user("desk.op", Role::Operator, None).await;
    app.user("town.staff", Role::UnitStaff, Some(town)).await;
    app.user("forest.staff", Role::UnitStaff, Some(other)).await;
    let op = signed_in(&app, "desk.op").await;
    let r = register(&op, "夜间施工噪音扰民").await;
    let id = r.id.to_string();

    let d: CaseDetail = op.ok("cases/detail", &[("id", &id)]).await;
    assert_eq!(d.reporter, ReporterView::Masked(Contact { name: Some("耿****".into()), phone: Some("139****1234".into()) }));
    let page = op.get(&format!("/center/cases/{id}")).await.text().await.unwrap();
    assert!(page.contains("139****1234") && !page.contains(PHONE), "the page carries the masked phone only");
    assert_eq!(audited(&app, "case_contact_shown").await, 0, "masked reads are not contact reads");

    let full: Contact = op.ok("cases/contact", &[("id", &id)]).await;
    assert_eq!(full, Contact { name: Some("耿山村村民".into()), phone: Some(PHONE.into()) });
    let (actor, details): (Option<i64>, String) =
        sqlx::query_as("SELECT actor_id, details FROM audit_events WHERE kind = 'case_contact_shown'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(actor, Some(op_id));
    assert!(details.contains(&r.code), "the entry names the case: {details}");

    // A unit that does not hold the case learns nothing, and leaves no read on the record.
    let forest = signed_in(&app, "forest.staff").await;
    assert_eq!(forest.refused("cases/contact", &[("id", &id)]).await, (StatusCode::NOT_FOUND, AppError::NotFound));
    assert_eq!(audited(&app, "case_contact_shown").await, 1);
    // The unit it is dispatched to sees it masked and may show it, on the record.
    let dispatch = Form::new().text("id", id.clone()).text("command", CommandKind::Dispatch.code()).text("lead", town.to_string());
    assert!(op.post("/api/cases/act").multipart(dispatch).send().await.unwrap().status().is_success());
    let town_b = signed_in(&app, "town.staff").await;
    let d: CaseDetail = town_b.ok("cases/detail", &[("id", &id)]).await;
    assert!(matches!(d.reporter, ReporterView::Masked(_)));
    let _: Contact = town_b.ok("cases/contact", &[("id", &id)]).await;
    assert_eq!(audited(&app, "case_contact_shown").await, 2);
    // Residents are never staff.
    assert_eq!(app.browser().call("cases/contact", &[("id", &id)]).await.status(), StatusCode::UNAUTHORIZED);

    // A call's author: masked in the review page's data, shown in full on the record.
    let cid = call(&app).await;
    let receipt = suggest(&app, cid).await;
    let sid = app.count(&format!("SELECT id FROM suggestions WHERE code = '{}'", receipt.code)).await.to_string();
    let s: SuggestionDetail = op.ok("center/suggestions/detail", &[("id", &sid)]).await;
    assert_eq!(s.row.phone.as_deref(), Some("139****1234"));
    assert!(matches!(s.contact, ReporterView::Masked(_)));
    let full: Contact = op.ok("center/suggestions/contact", &[("id", &sid)]).await;
    assert_eq!(full.phone.as_deref(), Some(PHONE));
    assert_eq!(audited(&app, "suggestion_contact_shown").await, 1);
    assert_eq!(town_b.call("center/suggestions/contact", &[("id", &sid)]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(audited(&app, "suggestion_contact_shown").await, 1);
}

async fn every_export_is_on_the_audit_trail(app: TestApp) {
    let op_id = app.user("desk.op", Role::Operator, None).await;
    let op = signed_in(&app, "desk.op").await;
    register(&op, "夜间施工噪音扰民").await;
    assert_eq!(op.get("/center/cases/export.csv?category=noise").await.status(), StatusCode::OK);
    assert_eq!(op.get("/center/cases/export.xlsx").await.status(), StatusCode::OK);
    let rows: Vec<(Option<i64>, String)> =
        sqlx::query_as("SELECT actor_id, details FROM audit_events WHERE kind = 'cases_exported' ORDER BY id").fetch_all(&app.db.pool).await.unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|(a, _)| *a == Some(op_id)));
    assert!(rows[0].1.contains("category=noise") && rows[0].1.contains("csv"), "{}", rows[0].1);

    let cid = call(&app).await;
    suggest(&app, cid).await;
    let r = op.get(&format!("/center/campaigns/{cid}/export.xlsx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let details: String = sqlx::query_scalar("SELECT details FROM audit_events WHERE kind = 'campaign_exported'").fetch_one(&app.db.pool).await.unwrap();
    assert!(details.contains("\"suggestions\":1"), "{details}");
}

async fn contacts_are_erased_after_the_retention_period(app: TestApp) {
    app.user("desk.op", Role::Operator, None).await;
    let op = signed_in(&app, "desk.op").await;
    let finished = register(&op, "夜间施工噪音扰民").await;
    let open = register(&op, "广场舞音响太吵").await;
    let reject = Form::new().text("id", finished.id.to_string()).text("command", CommandKind::Reject.code()).text("reason", "不属于受理范围");
    assert!(op.post("/api/cases/act").multipart(reject).send().await.unwrap().status().is_success());
    let cid = call(&app).await;
    suggest(&app, cid).await;

    // Within the period nothing goes, and the pass leaves no entry.
    let months = Retention { months: 24 };
    assert_eq!(privacy::erase_expired(&app.db, months, now_ms()).await.unwrap(), privacy::Erased::default());
    assert_eq!(audited(&app, "contacts_erased").await, 0);

    // 25 months on: the rejected case's reporter and the closed call's author go; the case
    // still open keeps its reporter.
    let later = now_ms() + 25 * 31 * 86_400_000;
    assert_eq!(privacy::erase_expired(&app.db, months, later).await.unwrap(), privacy::Erased { reporters: 1, suggestions: 1 });
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM reporters WHERE phone = '{PHONE}'")).await, 1, "the open case's reporter stays");
    assert_eq!(app.count("SELECT COUNT(*) FROM suggestions WHERE phone IS NOT NULL OR person IS NOT NULL").await, 0);
    assert_eq!(audited(&app, "contacts_erased").await, 1);
    assert_eq!(privacy::erase_expired(&app.db, months, later).await.unwrap(), privacy::Erased::default(), "a second pass finds nothing");

    let d: CaseDetail = op.ok("cases/detail", &[("id", &finished.id.to_string())]).await;
    assert!(matches!(d.reporter, ReporterView::Erased(_)), "the page says the contact was erased: {:?}", d.reporter);
    assert_eq!(op.refused("cases/contact", &[("id", &finished.id.to_string())]).await.0, StatusCode::NOT_FOUND);
    let d: CaseDetail = op.ok("cases/detail", &[("id", &open.id.to_string())]).await;
    assert!(matches!(d.reporter, ReporterView::Masked(_)));
    let t: TrackView = app.browser().ok("public/track", &[("code", &finished.code), ("secret", &finished.secret)]).await;
    assert_eq!((t.reporter_name, t.reporter_phone), (None, None));
    // The history is the case's record: erasing the contact leaves it whole.
    let (_, broken) = app::service::cases::verify_history(&app.db).await.unwrap();
    assert!(broken.is_empty(), "{broken:?}");
}

async fn call(app: &TestApp) -> i64 {
    let day = |ms: i64| {
        let (y, m, d) = local_date(ms);
        format!("{y:04}-{m:02}-{d:02}")
    };
    let cats = DEFAULT_CATEGORIES.iter().map(|c| c.to_string()).collect();
    let c = Campaign::checked(0, 2027, "2027年度民生实事征集", "一事一提", &day(now_ms() - 86_400_000), &day(now_ms() + 20 * 86_400_000), cats).unwrap();
    campaigns::create_campaign(&app.db, &AuditActor::default(), c).await.unwrap()
}

async fn suggest(app: &TestApp, campaign: i64) -> Receipt {
    let cid = campaign.to_string();
    let fields = [
        ("input[campaign]", cid.as_str()),
        ("input[name]", "城区新增公共停车位"),
        ("input[content]", "新增500个公共停车位"),
        ("input[overview]", "群众反映强烈"),
        ("input[category]", "交通出行"),
        ("input[area_id]", ""),
        ("input[person]", "耿大伯"),
        ("input[phone]", PHONE),
        ("input[consent]", "yes"),
        ("input[website]", ""),
    ];
    app.browser().ok("public/suggest/submit", &fields).await
}
