//! The demo's emergency reports: the township of each recent 重大应急管理 case reported on it,
//! mostly on time; one written report came late, one correction lowered the dead and was
//! flagged, and one township said nothing, so that emergency is missed and hidden (with its
//! risk warning), as the scheduler would have found it.
use crate::domain::emergency::{Deadlines, Emergency, Facts, Level, Report, Stage, fact_flags};
use crate::domain::org::Role;
use crate::error::AppError;
use crate::store::emergency as store;
use crate::store::{Db, now_ms, users};

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;

/// When each report of a story was filed, minutes after receipt, with its dead and injured.
fn story(i: usize) -> &'static [(Stage, i64, u32, u32)] {
    match i % 5 {
        0 => &[],
        1 => &[(Stage::Quick, 12, 0, 1), (Stage::Written, 75, 0, 2), (Stage::Final, 26 * 60, 0, 2)],
        2 => &[(Stage::Quick, 20, 1, 3), (Stage::Written, 50, 1, 4), (Stage::FollowUp, 3 * 60, 0, 4), (Stage::Final, 28 * 60, 1, 4)],
        _ => &[(Stage::Quick, 15, 0, 0), (Stage::Written, 45, 0, 0), (Stage::Final, 24 * 60, 0, 0)],
    }
}

/// The scheduler's passes up to `upto`: each deadline flagged 1 ms after it, as it would be.
fn swept(e: &mut Emergency, upto: i64) {
    for due in [e.quick.due_ms, e.written.due_ms] {
        if due < upto {
            e.flag_missed(due + 1);
        }
    }
}

pub async fn seed_demo_emergencies(db: &Db) -> Result<usize, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let staff = users::all_staff(&mut tx).await?;
    let leader = staff.iter().find(|s| s.active && s.role == Role::Leader).map(|s| s.id);
    let cases = store::recent_emergency_cases(&mut tx, now - 30 * 24 * HOUR, 10).await?;
    let mut opened = 0;
    for (i, case_id) in cases.into_iter().enumerate() {
        let Some(c) = store::case_facts(&mut tx, case_id).await? else { continue };
        let Some(unit_id) = store::township_government(&mut tx, c.township_id.unwrap_or_default()).await? else { continue };
        let Some(author) = staff.iter().find(|s| s.active && s.unit_id == Some(unit_id)).map(|s| s.id) else { continue };
        let channel = c.channel.parse().map_err(|_| AppError::Internal)?;
        let mut e = Emergency::open(case_id, unit_id, Level::General, c.category.clone(), channel, c.township_id, c.point, c.received_ms, Deadlines::default());
        let mut filed: Vec<Report> = Vec::new();
        for &(stage, after, deaths, injured) in story(i) {
            let at = c.received_ms + after * MIN;
            if at > now {
                break;
            }
            swept(&mut e, at);
            let count = filed.iter().filter(|r| r.stage == stage).count() as u32;
            let Ok(outcome) = e.file(stage, count, at) else { break };
            let facts = Facts {
                summary: format!("{}：现场已处置，群众已转移安置。", c.title),
                place: c.title.chars().take(12).collect(),
                occurred_ms: c.received_ms - 10 * MIN,
                deaths,
                injured,
                missing: 0,
                measures: "镇应急队伍到场，设置警戒，医疗救护同步开展。".into(),
            };
            let history: Vec<Facts> = filed.iter().map(|r| r.facts.clone()).collect();
            let checked = leader.filter(|_| at + 2 * HOUR < now);
            filed.push(Report {
                id: 0,
                case_id,
                stage,
                version: outcome.version,
                unit_id,
                author_id: author,
                filed_ms: at,
                late: outcome.late,
                flags: fact_flags(&history, &facts),
                facts,
                checked_by: checked,
                checked_ms: checked.map(|_| at + 2 * HOUR),
                check_note: None,
            });
        }
        swept(&mut e, now);
        if e.hidden_at(now, false) {
            e.hidden_ms = Some(e.quick.due_ms + 1);
            crate::service::risk::stream::on_hidden_report(&mut tx, case_id, e.township_id, c.title.clone(), e.quick.due_ms + 1).await?;
        }
        store::insert(&mut tx, &e, None).await?;
        store::save(&mut tx, &e).await?;
        for r in &filed {
            let id = store::insert_report(&mut tx, r).await?;
            if r.checked_ms.is_some() {
                store::save_check(&mut tx, &Report { id, ..r.clone() }).await?;
            }
        }
        opened += 1;
    }
    tx.commit().await?;
    Ok(opened)
}
