//! The livelihood call over HTTP as browsers use it: the form posted without JavaScript
//! (answered with the rendered page), the server functions the hydrated page calls, the
//! rate limits and the honeypot, support once per browser, and the staff review up to
//! the published list and the Excel export.
#[macro_use]
mod common;

use app::domain::campaign::{Campaign, CampaignError, CampaignPhase, DEFAULT_CATEGORIES, PortalCall};
use app::domain::clock::local_date;
use app::domain::org::Role;
use app::error::AppError;
use app::service::AuditActor;
use app::service::campaigns as svc;
use app::service::limiter::{Limits, Rate};
use app::store::now_ms;
use app::ui::suggest::api::{QueueData, Receipt, SuggestionDetail, SuggestionTrack};
use common::{Browser, PASSWORD, TestApp, testid};
use reqwest::StatusCode;
use std::time::Duration;

on_both_backends!(
    a_resident_suggests_without_javascript_and_follows_the_receipt,
    the_hydrated_page_submits_and_finds_similar_suggestions,
    a_closed_call_refuses_politely_and_shows_its_results,
    the_portal_home_shows_the_call_a_resident_can_join,
    staff_review_a_suggestion_to_the_published_list,
    the_assigned_department_answers_and_no_other_unit_can,
);
on_both_backends!(configured crate::five_per_address => a_burst_from_one_address_gets_429_and_nothing_partial);
on_both_backends!(configured crate::two_per_phone => one_phone_is_limited_across_requests);

fn five_per_address(c: &mut server::config::Config) {
    c.suggest_limits = Limits {
        per_address: Some(Rate { burst: 5, per: Duration::from_secs(600) }),
        per_phone: None,
        lookups: None,
        storage_per_day: None,
        api_per_token: None,
    };
}

fn two_per_phone(c: &mut server::config::Config) {
    c.suggest_limits = Limits {
        per_address: None,
        per_phone: Some(Rate { burst: 2, per: Duration::from_secs(3600) }),
        lookups: None,
        storage_per_day: None,
        api_per_token: None,
    };
}

fn day(ms: i64) -> String {
    let (y, m, d) = local_date(ms);
    format!("{y:04}-{m:02}-{d:02}")
}

async fn call(app: &TestApp, from_days: i64, to_days: i64) -> i64 {
    let now = now_ms();
    let cats = DEFAULT_CATEGORIES.iter().map(|c| c.to_string()).collect();
    let c = Campaign::checked(
        0,
        2027,
        &format!("2027年度民生实事征集{from_days}"),
        "一事一提，写明数量",
        &day(now + from_days * 86_400_000),
        &day(now + to_days * 86_400_000),
        cats,
    )
    .unwrap();
    svc::create_campaign(&app.db, &AuditActor::default(), c).await.unwrap()
}

fn form<'a>(campaign: &'a str, name: &'a str, content: &'a str, phone: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("campaign", campaign),
        ("name", name),
        ("content", content),
        ("overview", "群众反映强烈"),
        ("category", "交通出行"),
        ("area_id", ""),
        ("person", ""),
        ("phone", phone),
        ("consent", if phone.is_empty() { "" } else { "yes" }),
        ("website", ""),
    ]
}

/// The same fields as the hydrated page sends them to the server function (`input[...]`).
fn input<'a>(fields: &[(&'static str, &'a str)]) -> Vec<(String, &'a str)> {
    fields.iter().map(|(k, v)| (format!("input[{k}]"), *v)).collect()
}

async fn post_form(b: &Browser, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let r = b.post(path).form(fields).send().await.expect("answered");
    (r.status(), r.text().await.unwrap())
}

async fn a_resident_suggests_without_javascript_and_follows_the_receipt(app: TestApp) {
    let id = call(&app, -1, 20).await.to_string();
    let b = app.browser();
    let r = b.get("/suggest").await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("2027年度民生实事征集-1") && page.contains("action=\"/suggest\""), "the form is rendered whole: {page}");

    // No quantity: the page again, with the reason, the input kept, nothing stored.
    let (status, page) = post_form(&b, "/suggest", &form(&id, "多建停车位", "希望多建一些停车位", "")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("需要写明数量"), "the quantity rule is explained: {page}");
    assert!(page.contains("value=\"多建停车位\"") && page.contains("希望多建一些停车位"), "the input is kept");
    assert_eq!(app.count("SELECT COUNT(*) FROM suggestions").await, 0);

    // The honeypot: a clear refusal, nothing stored.
    let mut bot = form(&id, "新增停车位", "新增500个停车位", "");
    bot.retain(|(k, _)| *k != "website");
    bot.push(("website", "http://spam.example"));
    let (status, page) = post_form(&b, "/suggest", &bot).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("隐藏栏目"), "{page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM suggestions").await, 0);

    // A good one: the receipt in the page.
    let (status, page) = post_form(&b, "/suggest", &form(&id, "城区新增公共停车位", "新增500个公共停车位", "13800001111")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let code = testid(&page, "receipt-code").expect("a receipt code");
    let secret = testid(&page, "receipt-secret").expect("a secret");
    assert_eq!(app.count("SELECT COUNT(*) FROM suggestions").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM suggestions WHERE phone = '13800001111'").await, 1);

    // Following it, without JavaScript too.
    let (status, page) = post_form(&b, "/suggest/track", &[("code", &code), ("secret", &secret)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(testid(&page, "suggestion-status").as_deref(), Some("已提交"), "{page}");
    let (status, page) = post_form(&b, "/suggest/track", &[("code", &code), ("secret", "WRONG")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("回执编号或密码不正确"));

    // On the public list, masked; supported once per browser.
    let sid: i64 = app.count("SELECT id FROM suggestions").await;
    let (status, page) = post_form(&b, &format!("/suggest/list?c={id}"), &[("support", &sid.to_string())]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(testid(&page, "support-result").as_deref(), Some("感谢您的支持"));
    assert_eq!(testid(&page, "support-count").as_deref(), Some("1"), "the count includes this support");
    assert!(!page.contains("13800001111"), "no phone on the public list");
    let (_, page) = post_form(&b, &format!("/suggest/list?c={id}"), &[("support", &sid.to_string())]).await;
    assert!(testid(&page, "support-result").unwrap().contains("已支持过"));
    let (_, page) = post_form(&app.browser(), &format!("/suggest/list?c={id}"), &[("support", &sid.to_string())]).await;
    assert_eq!(testid(&page, "support-count").as_deref(), Some("2"), "another browser counts");
}

async fn the_hydrated_page_submits_and_finds_similar_suggestions(app: TestApp) {
    let id = call(&app, -1, 20).await.to_string();
    let b = app.browser();
    let fields = input(&form(&id, "城区新增公共停车位", "新增500个公共停车位", ""));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let receipt: Receipt = b.ok("public/suggest/submit", &fields).await;
    let t: SuggestionTrack = b.ok("public/suggest/track", &[("code", &receipt.code), ("secret", &receipt.secret)]).await;
    assert_eq!(t.row.name, "城区新增公共停车位");
    assert_eq!(t.history.len(), 1);

    let bad = input(&form(&id, "多建停车位", "希望多建一些停车位", ""));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let (status, err) = b.refused("public/suggest/submit", &bad).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Campaign(app::domain::campaign::CampaignError::NoQuantity)));
    assert_eq!(app.count("SELECT COUNT(*) FROM suggestions").await, 1);

    let similar: Vec<app::domain::campaign::SuggestionRow> = b.ok("public/suggest/similar", &[("campaign", &id), ("name", "新增停车位")]).await;
    assert_eq!(similar.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), vec!["城区新增公共停车位"]);
}

async fn a_closed_call_refuses_politely_and_shows_its_results(app: TestApp) {
    let id = call(&app, -30, -10).await.to_string();
    let b = app.browser();
    let page = b.get(&format!("/suggest?c={id}")).await.text().await.unwrap();
    assert!(page.contains("data-testid=\"campaign-closed\"") && !page.contains("data-testid=\"suggest-form\""), "{page}");
    assert!(page.contains("data-testid=\"adopted-list\""));
    let (status, page) = post_form(&b, "/suggest", &form(&id, "新增停车位", "新增500个停车位", "")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("本次征集已结束"), "{page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM suggestions").await, 0);
}

/// The call on the portal's home comes from the records: none without a call, the next one
/// while it has yet to open, the open one (before the next) with its count of public
/// suggestions and a way in.
async fn the_portal_home_shows_the_call_a_resident_can_join(app: TestApp) {
    let b = app.browser();
    let none: Option<PortalCall> = b.ok("public/suggest/call", &[]).await;
    assert_eq!(none, None);
    let home = b.get("/").await.text().await.unwrap();
    assert!(!home.contains("data-testid=\"portal-call\""), "no call, no card");

    let next = call(&app, 5, 20).await;
    let c: PortalCall = b.ok::<Option<PortalCall>>("public/suggest/call", &[]).await.expect("the next call");
    assert_eq!((c.call.campaign.id, c.call.phase), (next, CampaignPhase::Upcoming));
    assert!(b.get("/").await.text().await.unwrap().contains("data-phase=\"upcoming\""));

    let open = call(&app, -1, 20).await;
    let id = open.to_string();
    for (name, phone) in [("城区新增公共停车位", "13900000001"), ("村口增设路灯", "")] {
        let (status, page) = post_form(&b, "/suggest", &form(&id, name, "新增500个", phone)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
    }
    let c: PortalCall = b.ok::<Option<PortalCall>>("public/suggest/call", &[]).await.expect("the open call");
    assert_eq!((c.call.campaign.id, c.call.phase, c.received, c.adopted_total), (open, CampaignPhase::Open, 2, 0));
    // Whole in the page as sent (no script needed), the text without its hydration markers.
    let home = b.get("/").await.text().await.unwrap().replace("<!>", "");
    let card = &home[home.find("data-testid=\"portal-call\"").expect("the call on the home page")..];
    assert!(!card.contains("<template"), "rendered in place, not streamed for a script to move");
    assert!(card.contains("data-phase=\"open\"") && card.contains(&format!("href=\"/suggest?c={id}\"")), "{card}");
    assert!(card.contains("已收到 2 条建议"), "{card}");
    assert!(!home.contains("13900000001"), "no personal data on the home page");
}

async fn a_burst_from_one_address_gets_429_and_nothing_partial(app: TestApp) {
    let id = call(&app, -1, 20).await.to_string();
    let phones: Vec<String> = (0..12).map(|i| format!("1390000{i:04}")).collect();
    let mut tasks = Vec::new();
    for (i, phone) in phones.iter().enumerate() {
        let b = app.browser();
        let fields: Vec<(String, String)> = input(&form(&id, &format!("项目{i}"), "新增3处", phone)).into_iter().map(|(k, v)| (k, v.to_string())).collect();
        tasks.push(tokio::spawn(async move {
            let r = b.post("/api/public/suggest/submit").form(&fields).send().await.unwrap();
            let retry = r.headers().get("retry-after").is_some();
            (r.status(), retry, r.text().await.unwrap())
        }));
    }
    let (mut ok, mut limited) = (0, 0);
    for t in tasks {
        let (status, retry, body) = t.await.unwrap();
        assert!(!status.is_server_error(), "never a 5xx: {status} {body}");
        if status == StatusCode::TOO_MANY_REQUESTS {
            limited += 1;
            assert!(retry, "429 says when to retry");
            assert!(matches!(serde_json::from_str::<AppError>(&body), Ok(AppError::TooManyRequests(s)) if s > 0), "{body}");
        } else {
            assert_eq!(status, StatusCode::OK, "{body}");
            ok += 1;
        }
    }
    assert_eq!((ok, limited), (5, 7));
    assert_eq!(app.count("SELECT COUNT(*) FROM suggestions").await, 5, "nothing partial: exactly the accepted ones");
    assert_eq!(app.count("SELECT COUNT(*) FROM suggestion_events").await, 5);

    // The form without JavaScript gets the page with the message, status 429.
    let (status, page) = post_form(&app.browser(), "/suggest", &form(&id, "新增停车位", "新增500个停车位", "")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("提交过于频繁"), "{page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM suggestions").await, 5);
}

async fn one_phone_is_limited_across_requests(app: TestApp) {
    let id = call(&app, -1, 20).await.to_string();
    let b = app.browser();
    for i in 0..2 {
        let (status, _) = post_form(&b, "/suggest", &form(&id, &format!("项目{i}"), "新增3处", "13812345678")).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _) = post_form(&b, "/suggest", &form(&id, "项目3", "新增3处", "138 1234 5678")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the same number, however typed");
    let (status, _) = post_form(&b, "/suggest", &form(&id, "项目4", "新增3处", "13812340000")).await;
    assert_eq!(status, StatusCode::OK, "another number is another person");
}

async fn signed_in(app: &TestApp, username: &str) -> Browser {
    let b = app.browser();
    b.sign_in(username, PASSWORD).await;
    b
}

fn review<'a>(id: &'a str, kind: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![("id", id), ("kind", kind)];
    f.extend_from_slice(extra);
    f
}

async fn staff_review_a_suggestion_to_the_published_list(app: TestApp) {
    let dept = app.unit("区交通运输局").await.to_string();
    app.user("desk.op", Role::Operator, None).await;
    app.user("ops.admin", Role::Admin, None).await;
    app.user("unit.staff", Role::UnitStaff, Some(dept.parse().unwrap())).await;
    let admin = signed_in(&app, "ops.admin").await;
    let op = signed_in(&app, "desk.op").await;
    let staff = signed_in(&app, "unit.staff").await;

    // Admins create and edit calls; the desk may not.
    let fields = [
        ("id", "0"),
        ("year", "2027"),
        ("title", "2027年度征集"),
        ("rules", "一事一提"),
        ("opens", &day(now_ms() - 86_400_000)),
        ("closes", &day(now_ms() + 20 * 86_400_000)),
        ("categories", "交通出行\n教育"),
    ];
    let cid: i64 = admin.ok("admin/campaigns/save", &fields).await;
    let cid_s = cid.to_string();
    assert_eq!(op.call("admin/campaigns/save", &fields).await.status(), StatusCode::FORBIDDEN);
    let bad = [
        ("id", cid_s.as_str()),
        ("year", "2027"),
        ("title", "2027年度征集"),
        ("rules", ""),
        ("opens", "2027-03-01"),
        ("closes", "2027-01-01"),
        ("categories", "教育"),
    ];
    assert_eq!(admin.refused("admin/campaigns/save", &bad).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    // A mistyped year is named as the year, not as a missing title, and saves nothing.
    let bad_year =
        [("id", "0"), ("year", "202７"), ("title", "2027年度征集"), ("rules", ""), ("opens", "2027-01-01"), ("closes", "2027-03-01"), ("categories", "教育")];
    let before = app.count("SELECT COUNT(*) FROM campaigns").await;
    assert_eq!(admin.refused("admin/campaigns/save", &bad_year).await, (StatusCode::UNPROCESSABLE_ENTITY, AppError::Campaign(CampaignError::BadYear)));
    assert_eq!(app.count("SELECT COUNT(*) FROM campaigns").await, before);

    let resident = app.browser();
    for (name, content) in [("城区新增公共停车位", "新增500个公共停车位"), ("增加公共停车位", "新增200个停车位")] {
        let (status, _) = post_form(&resident, "/suggest", &form(&cid_s, name, content, "")).await;
        assert_eq!(status, StatusCode::OK);
    }
    let original = app.count("SELECT MIN(id) FROM suggestions").await.to_string();
    let dup = app.count("SELECT MAX(id) FROM suggestions").await.to_string();

    // The queue: everything waits; unit staff are kept out by the guard.
    let q: QueueData = op.ok("center/campaigns/queue", &[("campaign", &cid_s), ("status", ""), ("category", ""), ("area", ""), ("waiting", "true")]).await;
    assert_eq!(q.rows.len(), 2);
    assert_eq!(q.stats.total.waiting, 2);
    assert_eq!(
        staff.call("center/campaigns/queue", &[("campaign", &cid_s), ("status", ""), ("category", ""), ("area", ""), ("waiting", "false")]).await.status(),
        StatusCode::FORBIDDEN
    );

    // The duplicate's page offers merging into the original; it leaves the public list.
    let d: SuggestionDetail = op.ok("center/suggestions/detail", &[("id", &dup)]).await;
    assert!(d.similar.iter().any(|s| s.id.to_string() == original));
    assert!(op.call("center/suggestions/review", &review(&dup, "merge", &[("into", &original)])).await.status().is_success());
    let (status, err) = op.refused("center/suggestions/review", &review(&original, "shortlist", &[])).await;
    assert_eq!(status, StatusCode::CONFLICT, "not before an answer: {err:?}");
    let (status, _) = admin.refused("center/suggestions/review", &review(&original, "assign", &[("unit", &dept)])).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "admins manage calls, the desk reviews");

    for (kind, extra) in [
        ("assign", vec![("unit", dept.as_str())]),
        ("answer", vec![("verdict", "accepted"), ("reason", "可行"), ("cost", "1200.5"), ("period", "2027年内")]),
        ("shortlist", vec![]),
        ("vote", vec![("yes", "160"), ("no", "12"), ("abstain", "8")]),
    ] {
        let r = op.call("center/suggestions/review", &review(&original, kind, &extra)).await;
        assert!(r.status().is_success(), "{kind}: {} {}", r.status(), r.text().await.unwrap());
    }
    let n: usize = op.ok("center/campaigns/publish", &[("campaign", &cid_s)]).await;
    assert_eq!(n, 1);
    let d: SuggestionDetail = op.ok("center/suggestions/detail", &[("id", &original)]).await;
    assert_eq!(d.state.status, app::domain::campaign::SuggestionStatus::Published);
    assert_eq!(d.state.answer.unwrap().cost_yuan, Some(12_005_000), "万元 typed, yuan stored");
    assert_eq!(d.history.len(), 6, "submitted, assigned, answered, shortlisted, voted, published");
    assert!(d.history.iter().skip(1).all(|e| e.actor.as_deref() == Some("desk.op 的名字")));

    // The public list shows the adopted project first.
    let page = resident.get(&format!("/suggest/list?c={cid}")).await.text().await.unwrap();
    let adopted = &page[page.find("data-testid=\"adopted-list\"").expect("adopted list")..];
    assert!(adopted.contains("城区新增公共停车位"));
    assert!(!page.contains("增加公共停车位"), "the merged duplicate is not listed");

    // Statistics and the export.
    let q: QueueData = op.ok("center/campaigns/queue", &[("campaign", &cid_s), ("status", ""), ("category", ""), ("area", ""), ("waiting", "false")]).await;
    assert_eq!((q.stats.total.total, q.stats.total.adopted, q.stats.total.removed), (2, 1, 1));
    let r = op.get(&format!("/center/campaigns/{cid}/export.xlsx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx (zip) file");
    assert_eq!(staff.get(&format!("/center/campaigns/{cid}/export.xlsx")).await.status(), StatusCode::FORBIDDEN);
    assert!(app.browser().get(&format!("/center/campaigns/{cid}/export.xlsx")).await.status().is_redirection());

    // Once the call has closed, the portal's home shows what it adopted.
    let (opened, closed) = (day(now_ms() - 30 * 86_400_000), day(now_ms() - 10 * 86_400_000));
    let past = [
        ("id", cid_s.as_str()),
        ("year", "2027"),
        ("title", "2027年度征集"),
        ("rules", "一事一提"),
        ("opens", &opened),
        ("closes", &closed),
        ("categories", "交通出行\n教育"),
    ];
    let _: i64 = admin.ok("admin/campaigns/save", &past).await;
    let c: PortalCall = resident.ok::<Option<PortalCall>>("public/suggest/call", &[]).await.expect("the last call");
    assert_eq!((c.call.phase, c.received, c.adopted_total), (CampaignPhase::Closed, 1, 1));
    assert_eq!(c.adopted.iter().map(|p| p.row.name.as_str()).collect::<Vec<_>>(), ["城区新增公共停车位"]);
    let home = resident.get("/").await.text().await.unwrap().replace("<!>", "");
    let card = &home[home.find("data-testid=\"portal-call\"").expect("the call on the home page")..];
    assert!(card.contains("data-phase=\"closed\"") && card.contains("城区新增公共停车位") && card.contains("查看全部 1 个项目"), "{card}");
}

async fn the_assigned_department_answers_and_no_other_unit_can(app: TestApp) {
    let dept = app.unit("区卫健局").await;
    let other = app.unit("区教育局").await;
    app.user("desk.op", Role::Operator, None).await;
    app.user("health.staff", Role::UnitStaff, Some(dept)).await;
    app.user("school.staff", Role::UnitStaff, Some(other)).await;
    let id = call(&app, -1, 20).await.to_string();
    let (status, _) = post_form(&app.browser(), "/suggest", &form(&id, "乡镇卫生院提升改造", "改造卫生院2000平方米", "13812345678")).await;
    assert_eq!(status, StatusCode::OK);
    let sid = app.count("SELECT id FROM suggestions").await.to_string();
    let (op, health, school) = (signed_in(&app, "desk.op").await, signed_in(&app, "health.staff").await, signed_in(&app, "school.staff").await);

    let listed: Vec<app::ui::suggest::api::UnitSuggestion> = health.ok("field/suggestions/list", &[]).await;
    assert!(listed.is_empty(), "nothing before it is assigned");
    let answer = [("id", sid.as_str()), ("verdict", "accepted"), ("reason", "符合规划"), ("cost", "1200"), ("period", "2027年内")];
    assert_eq!(health.refused("field/suggestions/answer", &answer).await.0, StatusCode::NOT_FOUND);
    assert!(op.call("center/suggestions/review", &review(&sid, "assign", &[("unit", &dept.to_string())])).await.status().is_success());

    let listed: Vec<app::ui::suggest::api::UnitSuggestion> = health.ok("field/suggestions/list", &[]).await;
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].row.person.as_deref(), listed[0].row.phone.as_deref()), (None, None), "no contact for the department");
    let empty: Vec<app::ui::suggest::api::UnitSuggestion> = school.ok("field/suggestions/list", &[]).await;
    assert!(empty.is_empty(), "another unit sees nothing");
    assert_eq!(school.refused("field/suggestions/answer", &answer).await.0, StatusCode::NOT_FOUND, "another unit's suggestion does not exist for it");
    assert_eq!(
        health.call("center/suggestions/review", &review(&sid, "shortlist", &[])).await.status(),
        StatusCode::FORBIDDEN,
        "departments answer; the desk decides"
    );

    let ok = health.call("field/suggestions/answer", &answer).await;
    assert!(ok.status().is_success(), "{}", ok.text().await.unwrap());
    let d: SuggestionDetail = op.ok("center/suggestions/detail", &[("id", &sid)]).await;
    assert_eq!(d.state.status, app::domain::campaign::SuggestionStatus::Accepted);
    assert_eq!(d.history.last().and_then(|e| e.actor.as_deref()), Some("health.staff 的名字"), "the history names who answered");
    let again = health.refused("field/suggestions/answer", &answer).await;
    assert_eq!(again.0, StatusCode::CONFLICT, "answered: the desk takes it from here");
    let listed: Vec<app::ui::suggest::api::UnitSuggestion> = health.ok("field/suggestions/list", &[]).await;
    assert!(listed.is_empty());
}
