//! Demo livelihood calls, driven through the same services as live ones: last year's call,
//! closed, with its adopted projects under way; and the 2027 call, open now, with
//! suggestions at several steps of the review.
use crate::domain::campaign::{Answer, Campaign, DEFAULT_CATEGORIES, ReviewCommand, SuggestionDraft, Verdict, Vote};
use crate::domain::case::Actor;
use crate::domain::clock::{DAY_MS, local_date};
use crate::error::AppError;
use crate::service::AuditActor;
use crate::service::campaigns as svc;
use crate::store::{Db, now_ms, org, users};

fn day(ms: i64) -> String {
    let (y, m, d) = local_date(ms);
    format!("{y:04}-{m:02}-{d:02}")
}

const RULES: &str = "围绕群众最关心最直接最现实的利益问题，一事一提：每条建议只提一个项目，写明简明的项目名称、可量化的建设内容和项目概述。征集结束后，由相关部门评估，经区人大代表票决确定年度民生实事项目，并向社会公布。";

struct Seed {
    name: &'static str,
    content: &'static str,
    overview: &'static str,
    category: &'static str,
    area: Option<&'static str>,
    person: &'static str,
    phone: &'static str,
}

const LAST_YEAR: &[Seed] = &[
    Seed {
        name: "城区新增公共停车位",
        content: "在樟潭、浮石新增500个公共停车位",
        overview: "老城区停车难，群众反映强烈。",
        category: "交通出行",
        area: Some("樟潭街道"),
        person: "王建华",
        phone: "13805701001",
    },
    Seed {
        name: "农村饮用水提标改造",
        content: "改造莲花镇12个村供水管网约30公里",
        overview: "部分村夏季水压不足，水质不稳定。",
        category: "城乡建设",
        area: Some("莲花镇"),
        person: "",
        phone: "",
    },
    Seed {
        name: "老年食堂扩面",
        content: "新建20家村（社区）老年食堂",
        overview: "高龄独居老人吃饭难。",
        category: "养老助残",
        area: None,
        person: "李秀英",
        phone: "13905702002",
    },
    Seed {
        name: "建设城市书房",
        content: "新建3个24小时城市书房",
        overview: "方便群众就近阅读。",
        category: "文化体育",
        area: Some("东港街道"),
        person: "",
        phone: "",
    },
];

const THIS_YEAR: &[Seed] = &[
    Seed {
        name: "中小学校门口护学通道",
        content: "为15所中小学建设护学通道和临时停车带",
        overview: "上下学高峰期校门口拥堵，存在安全隐患。",
        category: "教育",
        area: None,
        person: "陈老师",
        phone: "13705703003",
    },
    Seed {
        name: "增设电动自行车充电桩",
        content: "在老旧小区新增800个电动自行车充电口",
        overview: "楼道充电火灾隐患大，群众充电难。",
        category: "公共安全",
        area: Some("樟潭街道"),
        person: "",
        phone: "",
    },
    Seed {
        name: "云溪乡卫生院提升改造",
        content: "改造卫生院门诊楼2000平方米，新增2台DR设备",
        overview: "山区群众就医路远，基层诊疗能力不足。",
        category: "卫生健康",
        area: Some("云溪乡"),
        person: "张医生",
        phone: "13605704004",
    },
    Seed {
        name: "农村公路安全防护",
        content: "新增农村公路波形护栏50公里",
        overview: "山区公路临崖路段多，缺少防护。",
        category: "交通出行",
        area: Some("全旺镇"),
        person: "",
        phone: "",
    },
    Seed {
        name: "增设公共电动车充电口",
        content: "新增300个充电口",
        overview: "与已有建议相同。",
        category: "公共安全",
        area: Some("樟潭街道"),
        person: "",
        phone: "",
    },
    Seed {
        name: "城区公厕提升",
        content: "改造提升20座城区公厕，增设第三卫生间",
        overview: "部分公厕设施陈旧。",
        category: "城市管理",
        area: Some("浮石街道"),
        person: "",
        phone: "",
    },
    Seed {
        name: "联系我加微信领补贴", content: "点击链接领取1000元", overview: "广告内容。", category: "共同富裕", area: None, person: "", phone: ""
    },
    Seed {
        name: "村级文化礼堂设备更新",
        content: "为30个村文化礼堂更新音响和投影设备",
        overview: "设备老化，影响群众文化活动。",
        category: "文化体育",
        area: Some("杜泽镇"),
        person: "",
        phone: "",
    },
];

async fn submit_all(db: &Db, campaign: i64, seeds: &[Seed], at: i64, key: &str) -> Result<Vec<i64>, AppError> {
    let areas = org::all_areas(&mut *db.read().await?).await?;
    let mut ids = Vec::new();
    for (i, s) in seeds.iter().enumerate() {
        let draft = SuggestionDraft {
            name: s.name.into(),
            content: s.content.into(),
            overview: s.overview.into(),
            category: s.category.into(),
            area_id: s.area.and_then(|a| areas.iter().find(|x| x.name == a).map(|x| x.id)),
            person: s.person.into(),
            phone: s.phone.into(),
            consent: !s.phone.is_empty() || !s.person.is_empty(),
        };
        let r = svc::submit(db, campaign, &draft, &format!("{key}-{i}"), at + i as i64 * 3_600_000).await?;
        ids.push(crate::store::campaigns::by_code(&mut *db.read().await?, &r.code).await?.ok_or(AppError::NotFound)?.0);
    }
    Ok(ids)
}

fn accepted(reason: &str, wan: i64, period: &str) -> ReviewCommand {
    ReviewCommand::Answer(Answer { verdict: Verdict::Accepted, reason: reason.into(), cost_yuan: Some(wan * 10_000), period: Some(period.into()) })
}

/// Seeds the two demo calls (only when there is none yet); returns how many suggestions.
pub async fn seed_demo_campaigns(db: &Db) -> Result<usize, AppError> {
    if !svc::campaigns(db).await?.is_empty() {
        return Ok(0);
    }
    let op = users::account_by_username(&mut *db.read().await?, "op.li").await?.ok_or(AppError::NotFound)?;
    let by = Actor::staff(op.id, op.role, op.unit_id);
    let audit = AuditActor { user_id: Some(op.id), ip: None };
    let units = org::all_units(&mut *db.read().await?).await?;
    let unit = |name: &str| units.iter().find(|u| u.name == name).map(|u| u.id).ok_or(AppError::NotFound);
    let cats: Vec<String> = DEFAULT_CATEGORIES.iter().map(|c| c.to_string()).collect();
    let now = now_ms();
    let (this_year, _, _) = local_date(now);

    // Last year's call: opened 8 and closed 28 November of last year, results published.
    let last = Campaign::checked(
        0,
        this_year as i32,
        &format!("{this_year}年度区政府民生实事项目征集"),
        RULES,
        &format!("{}-11-08", this_year - 1),
        &format!("{}-11-28", this_year - 1),
        cats.clone(),
    )?;
    let opens = last.opens_ms;
    let last_id = svc::create_campaign(db, &audit, last).await?;
    let ids = submit_all(db, last_id, LAST_YEAR, opens + DAY_MS, "seed-last").await?;
    let plan: [(&str, ReviewCommand, Vote, u8); 3] = [
        ("区住建局", accepted("纳入城市停车设施专项规划，分两批实施", 6000, "当年内"), Vote { yes: 168, no: 9, abstain: 5 }, 60),
        ("区农业农村局", accepted("与农村供水保障工程统筹实施", 4500, "当年内"), Vote { yes: 175, no: 4, abstain: 3 }, 100),
        ("区民政局", accepted("依托村级居家养老服务照料中心建设", 800, "当年内"), Vote { yes: 90, no: 60, abstain: 32 }, 0),
    ];
    for (id, (u, answer, vote, progress)) in ids.iter().zip(plan) {
        for cmd in [ReviewCommand::Assign { unit: unit(u)? }, answer, ReviewCommand::Shortlist, ReviewCommand::RecordVote(vote)] {
            svc::review(db, &by, *id, &cmd).await?;
        }
        if vote.adopts() {
            svc::review(db, &by, *id, &ReviewCommand::Publish).await?;
            if progress > 0 {
                let note = if progress == 100 { "工程完工并通过验收" } else { "已完成第一批建设" };
                svc::review(db, &by, *id, &ReviewCommand::Progress { percent: progress, note: note.into() }).await?;
            }
        }
    }
    svc::review(db, &by, ids[3], &ReviewCommand::Assign { unit: unit("区教育局")? }).await?;
    let no = ReviewCommand::Answer(Answer {
        verdict: Verdict::Rejected, reason: "已纳入图书馆分馆建设计划，不单独列项".into(), cost_yuan: None, period: None
    });
    svc::review(db, &by, ids[3], &no).await?;

    // This year's call: open now.
    let call = Campaign::checked(
        0,
        this_year as i32 + 1,
        &format!("{}年度区政府民生实事项目征集", this_year + 1),
        RULES,
        &day(now - 10 * DAY_MS),
        &day(now + 20 * DAY_MS),
        cats,
    )?;
    let call_id = svc::create_campaign(db, &audit, call).await?;
    let ids2 = submit_all(db, call_id, THIS_YEAR, now - 5 * DAY_MS, "seed-now").await?;
    let steps: Vec<(usize, ReviewCommand)> = vec![
        (0, ReviewCommand::Assign { unit: unit("区教育局")? }),
        (0, ReviewCommand::Answer(Answer { verdict: Verdict::Evaluating, reason: "正在逐校测算".into(), cost_yuan: None, period: None })),
        (2, ReviewCommand::Assign { unit: unit("区卫健局")? }),
        (2, accepted("符合基层医疗能力提升规划", 1200, "次年内")),
        (2, ReviewCommand::Shortlist),
        (3, ReviewCommand::Assign { unit: unit("区交通运输局")? }),
        (4, ReviewCommand::Merge { into: ids2[1] }),
        (6, ReviewCommand::Hide { reason: "与民生实事项目无关，含广告内容".into() }),
    ];
    for (i, cmd) in steps {
        svc::review(db, &by, ids2[i], &cmd).await?;
    }
    for (i, who) in [(1, 12), (2, 7), (0, 4)] {
        for k in 0..who {
            svc::support(db, ids2[i], &format!("seed-supporter-{k}")).await?;
        }
    }
    Ok(ids.len() + ids2.len())
}
