//! The demo's duty roster: a week back and a week ahead for the center (a leader on duty
//! round the clock, a day and a night officer) and each township (its one account as the
//! leader on duty). Past shifts were checked in at the seat and handed over; one township
//! missed a check-in four days ago; today's last township has not checked in yet, so the
//! scheduler flags it on its first pass once 15 minutes have gone.
use crate::domain::clock::{CENTER_OFFSET_MS, DAY_MS, local_day};
use crate::domain::duty::{Point, Post, Shift};
use crate::domain::org::UnitKind;
use crate::error::AppError;
use crate::store::{Db, duty as store, now_ms, org as store_org, users};

const HOUR: i64 = 3_600_000;

const NOTES: &[&str] = &[
    "本班接报 3 起，均已派单签收；夜间无突发事件。",
    "接 12345 转办 2 件，已按时签收；辖区雨后巡查，未发现险情。",
    "本班平稳。耿山村道路积水已通知村里处置，请下一班跟进回访。",
    "接报噪声扰民 1 起，已协调派出所处置；其余正常。",
];

pub async fn seed_demo_roster(db: &Db) -> Result<usize, AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let units = store_org::all_units(&mut tx).await?;
    let staff = users::all_staff(&mut tx).await?;
    let id_of = |username: &str| staff.iter().find(|s| s.username == username).map(|s| s.id);
    let Some(center) = units.iter().find(|u| u.kind == UnitKind::Center) else { return Ok(0) };
    let towns: Vec<_> = units.iter().filter(|u| u.kind == UnitKind::TownshipGovernment).collect();
    let today = local_day(now);
    let plan = |unit: i64, kind: UnitKind, post: Post, user: Option<i64>, starts: i64, hours: i64| -> Option<Shift> {
        Shift::plan(unit, kind, post, user?, starts, starts + hours * HOUR).ok()
    };
    let mut shifts = Vec::new();
    for day in today - 6..=today + 7 {
        let at8 = day * DAY_MS - CENTER_OFFSET_MS + 8 * HOUR;
        let leader = if day % 2 == 0 { id_of("lead.wu") } else { id_of("cmd.xu") };
        shifts.extend(plan(center.id, center.kind, Post::Leader, leader, at8, 24));
        shifts.extend(plan(center.id, center.kind, Post::Officer, id_of("op.li"), at8, 12));
        shifts.extend(plan(center.id, center.kind, Post::Officer, id_of("op.zhao"), at8 + 12 * HOUR, 12));
        for t in &towns {
            let holder = staff.iter().find(|s| s.unit_id == Some(t.id) && s.active).map(|s| s.id);
            shifts.extend(plan(t.id, t.kind, Post::Leader, holder, at8, 24));
        }
    }
    let point = |unit: i64| {
        units
            .iter()
            .find(|u| u.id == unit)
            .and_then(|u| u.area_name.as_deref())
            .and_then(super::township_point)
            .map(|(lat, lng)| Point { lat: lat as f64 / 1e6, lng: lng as f64 / 1e6 })
    };
    let last_town = towns.last().map(|t| t.id);
    let first_town = towns.first().map(|t| t.id);
    let n = shifts.len();
    for (i, mut s) in shifts.into_iter().enumerate() {
        let day = local_day(s.starts_ms);
        let missed_long_ago = day == today - 4 && Some(s.unit_id) == first_town;
        let waiting_now = s.covers(now) && Some(s.unit_id) == last_town;
        if s.starts_ms - HOUR <= now && !missed_long_ago && !waiting_now {
            let at = (s.starts_ms - (3 + (i as i64 % 9)) * 60_000).min(now);
            s.check_in(s.user_id, point(s.unit_id), at).ok();
            if s.ends_ms <= now {
                s.hand_over(s.user_id, NOTES[i % NOTES.len()], s.ends_ms - 10 * 60_000).ok();
            }
        }
        if missed_long_ago {
            s.flag_missed(s.check_in_due_ms());
        }
        let id = store::insert_shift(&mut tx, &s, None, now).await?;
        store::save_shift(&mut tx, &Shift { id, ..s }).await?;
    }
    tx.commit().await?;
    Ok(n)
}
