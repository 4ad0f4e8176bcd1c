//! The livelihood-project call on a real database: submissions inside and outside the
//! window, the 一事一提 checks, the per-person limit, similar suggestions, support, and
//! the review from assignment to a published, completed project with its history.
#[macro_use]
mod common;

use app::domain::campaign::{Answer, Campaign, CampaignError, DEFAULT_CATEGORIES, ReviewCommand, SuggestionDraft, SuggestionStatus, Verdict, Vote};
use app::domain::case::Actor;
use app::domain::clock::local_date;
use app::domain::org::Role;
use app::error::AppError;
use app::service::AuditActor;
use app::service::campaigns as svc;
use app::store::now_ms;
use common::TestApp;

on_both_backends!(
    residents_suggest_inside_the_window_one_quantified_item_each,
    similar_suggestions_are_found_and_support_counts_once,
    a_suggestion_is_reviewed_voted_published_and_completed,
);

fn day(ms: i64) -> String {
    let (y, m, d) = local_date(ms);
    format!("{y:04}-{m:02}-{d:02}")
}

async fn open_call(app: &TestApp) -> i64 {
    let now = now_ms();
    let cats = DEFAULT_CATEGORIES.iter().map(|c| c.to_string()).collect();
    let c = Campaign::checked(0, 2027, "2027年度区政府民生实事项目征集", "一事一提", &day(now - 86_400_000), &day(now + 86_400_000 * 20), cats).unwrap();
    svc::create_campaign(&app.db, &AuditActor::default(), c).await.unwrap()
}

fn draft(name: &str, content: &str) -> SuggestionDraft {
    SuggestionDraft { name: name.into(), content: content.into(), overview: "群众反映强烈".into(), category: "交通出行".into(), ..Default::default() }
}

async fn residents_suggest_inside_the_window_one_quantified_item_each(app: TestApp) {
    let call = open_call(&app).await;
    let now = now_ms();
    let r = svc::submit(&app.db, call, &draft("城区新增公共停车位", "新增500个公共停车位"), "device-1", now).await.unwrap();
    let (row, state) = svc::receipt_status(&app.db, &r.code, &r.secret).await.unwrap();
    assert_eq!((row.name.as_str(), state.status), ("城区新增公共停车位", SuggestionStatus::Submitted));
    assert_eq!(svc::receipt_status(&app.db, &r.code, "WRONG").await.unwrap_err(), AppError::Campaign(CampaignError::BadReceipt));

    let before = app.count("SELECT COUNT(*) FROM suggestions").await;
    let refused = svc::submit(&app.db, call, &draft("多建停车位", "希望多建一些停车位"), "device-1", now).await.unwrap_err();
    assert_eq!(refused, AppError::Campaign(CampaignError::NoQuantity));
    let refused = svc::submit(&app.db, call, &draft("停车位", "新增5个"), "device-1", now + 86_400_000 * 40).await.unwrap_err();
    assert_eq!(refused, AppError::Campaign(CampaignError::Closed), "after the window the form refuses");
    let mut other = draft("停车位", "新增5个");
    other.category = "外交".into();
    assert!(matches!(svc::submit(&app.db, call, &other, "device-1", now).await, Err(AppError::Campaign(CampaignError::UnknownCategory(_)))));
    assert_eq!(app.count("SELECT COUNT(*) FROM suggestions").await, before, "refusals store nothing");

    // Five per person and call; the phone, when given, is the person.
    for i in 1..svc::MAX_PER_PERSON {
        svc::submit(&app.db, call, &draft(&format!("项目{i}"), "新增3处"), "device-1", now).await.unwrap();
    }
    let sixth = svc::submit(&app.db, call, &draft("项目6", "新增3处"), "device-1", now).await.unwrap_err();
    assert_eq!(sixth, AppError::Campaign(CampaignError::PersonLimit(5)));
    assert_eq!(sixth.http_status(), 409, "the quota is for the whole call: no point retrying");
    svc::submit(&app.db, call, &draft("项目6", "新增3处"), "device-2", now).await.expect("another device is another person");
}

async fn similar_suggestions_are_found_and_support_counts_once(app: TestApp) {
    let call = open_call(&app).await;
    let now = now_ms();
    let mut d = draft("城区新增公共停车位", "新增500个公共停车位");
    d.person = "王小明".into();
    d.phone = "13800001111".into();
    d.consent = true;
    svc::submit(&app.db, call, &d, "a", now).await.unwrap();
    svc::submit(&app.db, call, &draft("农村饮用水提标改造", "改造12个村供水管网"), "b", now).await.unwrap();

    let similar = svc::similar(&app.db, call, "新增停车位").await.unwrap();
    assert_eq!(similar.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), vec!["城区新增公共停车位"]);
    assert_eq!((similar[0].person.as_deref(), similar[0].phone.as_deref()), (Some("王**"), None), "masked for the public");

    let list = svc::public_list(&app.db, call, Some("交通出行"), None).await.unwrap();
    assert_eq!(list.len(), 2);
    let id = list[0].id;
    assert!(svc::support(&app.db, id, "phone-x").await.unwrap());
    assert!(!svc::support(&app.db, id, "phone-x").await.unwrap(), "once per supporter");
    assert!(svc::support(&app.db, id, "phone-y").await.unwrap());
    assert_eq!(app.count(&format!("SELECT supports FROM suggestions WHERE id = {id}")).await, 2);
}

async fn a_suggestion_is_reviewed_voted_published_and_completed(app: TestApp) {
    let call = open_call(&app).await;
    let dept = app.unit("区交通运输局").await;
    let op_id = app.user("desk.op", Role::Operator, None).await;
    let op = Actor::staff(op_id, Role::Operator, None);
    let now = now_ms();
    svc::submit(&app.db, call, &draft("城区新增公共停车位", "新增500个公共停车位"), "a", now).await.unwrap();
    svc::submit(&app.db, call, &draft("增加公共停车位", "新增200个停车位"), "b", now).await.unwrap();
    let rows = svc::public_list(&app.db, call, None, None).await.unwrap();
    let (dup, original) = (rows[0].id, rows[1].id);

    let resident = Actor::Resident;
    assert_eq!(svc::review(&app.db, &resident, original, &ReviewCommand::Assign { unit: dept }).await.unwrap_err(), AppError::Forbidden);
    // The center itself does not budget projects: it is not asked for an answer.
    let center = {
        use app::domain::org::UnitKind;
        let input = app::service::org::UnitInput { name: "区社会治理中心", kind: UnitKind::Center, area_id: None, phone: "" };
        app::service::org::save_unit(&app.db, &app::service::AuditActor::default(), None, &input).await.expect("the center")
    };
    assert_eq!(svc::review(&app.db, &op, original, &ReviewCommand::Assign { unit: center }).await.unwrap_err(), AppError::NotFound);
    svc::review(&app.db, &op, dup, &ReviewCommand::Merge { into: original }).await.unwrap();
    assert_eq!(svc::public_list(&app.db, call, None, None).await.unwrap().len(), 1, "the merged duplicate leaves the public list");

    let steps = [
        ReviewCommand::Assign { unit: dept },
        ReviewCommand::Answer(Answer { verdict: Verdict::Accepted, reason: "可行".into(), cost_yuan: Some(12_000_000), period: Some("2027年内".into()) }),
        ReviewCommand::Shortlist,
        ReviewCommand::RecordVote(Vote { yes: 160, no: 12, abstain: 8 }),
        ReviewCommand::Publish,
        ReviewCommand::Progress { percent: 100, note: "已建成并投入使用".into() },
    ];
    for s in &steps {
        svc::review(&app.db, &op, original, s).await.unwrap_or_else(|e| panic!("{s:?}: {e}"));
    }
    let err = svc::review(&app.db, &op, original, &ReviewCommand::Shortlist).await.unwrap_err();
    assert!(matches!(err, AppError::Campaign(CampaignError::WrongStatus { status: SuggestionStatus::Completed })));
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM suggestion_events WHERE suggestion_id = {original}")).await, 7, "submitted + six steps");
    for sql in ["UPDATE suggestion_events SET body = '{}'", "DELETE FROM suggestion_events"] {
        assert!(sqlx::query(sql).execute(&app.db.pool).await.is_err(), "{sql} must be refused");
    }
}
