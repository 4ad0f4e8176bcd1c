//! The demo's risk warnings, as a center's week leaves them: those raised more than a day
//! ago were assessed by the commander on duty within two hours (a level by what raised them),
//! those older than five days were handled through their newest case and closed. Newer ones
//! wait for assessment, as they would.
use crate::domain::case::Actor;
use crate::domain::org::Role;
use crate::domain::risk::{Action, Level, Rule, Status};
use crate::error::AppError;
use crate::store::{Db, risk as store};

const HOUR: i64 = 3600 * 1000;
const DAY: i64 = 24 * HOUR;

pub async fn seed_warning_steps(db: &Db, commander: &Actor, now: i64) -> Result<usize, AppError> {
    let Actor::Staff { user_id, .. } = commander else { return Ok(0) };
    let mut tx = db.begin_write().await?;
    let mut n = 0;
    for mut w in store::list(&mut tx, store::Showing::Open, &store::Only::default(), None, 1000).await? {
        if w.status != Status::Raised || now - w.raised_ms < DAY {
            continue;
        }
        let level = match w.rule {
            Rule::Mass => Level::Orange,
            Rule::EmergencyOverdue => Level::Red,
            Rule::Cluster => Level::Yellow,
            _ => Level::Blue,
        };
        let note = match w.rule {
            Rule::Mass => "涉及人数较多，责成属地乡镇当天约谈、化解，防止矛盾激化。",
            _ => "同类问题短期内集中反映，责成牵头单位统一处置并回访。",
        };
        w.apply(Role::Commander, Action::Assess { level, note: note.into() }, w.raised_ms + 2 * HOUR)?;
        if now - w.raised_ms > 5 * DAY
            && let Some(case) = store::evidence(&mut tx, w.id).await?.first().map(|e| e.0)
        {
            w.apply(Role::Commander, Action::Handle { case }, w.raised_ms + 3 * HOUR)?;
            w.apply(Role::Commander, Action::Close { result: "已统一处置，群众回访满意，风险解除。".into() }, w.raised_ms + 4 * DAY)?;
        }
        store::save(&mut tx, &w, Some(*user_id)).await?;
        n += 1;
    }
    tx.commit().await?;
    Ok(n)
}
