//! The demo's mediation records: every closed dispute of the generated history was
//! mediated — most at the first session, some at a second, a few failed and referred on —
//! so the first-time resolution rate is counted from records like a real center's. The
//! demo's agreements carry no photo (the demo has no files).
use crate::domain::mediation::{Mediation, Outcome, Party, Referral, Session, SessionOutcome};
use crate::error::AppError;
use crate::store::{Db, mediation as store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::Row;

const HOUR: i64 = 3600 * 1000;
const MEDIATORS: &[&str] = &["陈建国", "徐美芳", "郑卫东", "方丽华", "吴志强"];
const SURNAMES: &[&str] = &["王", "李", "张", "刘", "徐", "周", "毛", "汪"];

pub async fn seed_mediations(db: &Db) -> Result<usize, AppError> {
    let mut rng = StdRng::seed_from_u64(4_496);
    let mut tx = db.begin_write().await?;
    let rows = sqlx::query(
        "SELECT c.id, c.received_at, c.stopped_at, c.township_id, c.category, t.name, v.name FROM cases c
         LEFT JOIN areas t ON t.id = c.township_id LEFT JOIN areas v ON v.id = c.village_id
         WHERE c.kind = 'petition_mediation' AND c.status = 'closed' AND c.stopped_at IS NOT NULL ORDER BY c.id",
    )
    .fetch_all(&mut *tx)
    .await?;
    for r in &rows {
        let (case_id, received, stopped): (i64, i64, i64) = (r.get(0), r.get(1), r.get(2));
        let township: Option<String> = r.get(5);
        let village: Option<String> = r.get(6);
        let surname = |rng: &mut StdRng| format!("{}某", SURNAMES[rng.random_range(0..SURNAMES.len())]);
        let parties = vec![Party { name: surname(&mut rng), phone_masked: None }, Party { name: surname(&mut rng), phone_masked: None }];
        let org = format!("{}人民调解委员会", village.or(township).unwrap_or_default());
        let mut m = Mediation::open(case_id, parties, MEDIATORS[rng.random_range(0..MEDIATORS.len())], &org)?;
        let roll = rng.random_range(0..100);
        let outcomes: &[SessionOutcome] = match roll {
            0..=91 => &[SessionOutcome::Agreed],
            92..=96 => &[SessionOutcome::Continued, SessionOutcome::Agreed],
            _ => &[SessionOutcome::Failed],
        };
        // The sessions fall between receipt and the close, an hour apart at least.
        let span = (stopped - received).max(2 * HOUR);
        for (i, o) in outcomes.iter().enumerate() {
            let at = received + span * (i as i64 + 1) / (outcomes.len() as i64 + 1);
            m.sessions.push(Session { number: i as u32 + 1, at_ms: at, place: "村调委会调解室".into(), outcome: *o, minutes: minutes(*o).into() });
        }
        let end = m.sessions.last().map_or(stopped, |s| s.at_ms);
        match outcomes.last() {
            Some(SessionOutcome::Failed) => {
                (m.outcome, m.referred_to) = (Some(Outcome::Referred), Some(Referral::Court));
            }
            _ => {
                m.agreement = Some("双方自愿达成调解协议，按协议约定履行，今后不再就此事发生争议。".into());
                m.agreed_ms = Some(end);
                m.outcome = Some(if outcomes.len() == 1 { Outcome::FirstTime } else { Outcome::Later });
            }
        }
        m.closed_ms = Some(end);
        store::insert(&mut tx, &m, "", r.get(3), &r.get::<String, _>(4), received, None).await?;
        for s in &m.sessions {
            store::insert_session(&mut tx, case_id, s, s.at_ms, None).await?;
        }
        store::save_end(&mut tx, &m).await?;
    }
    tx.commit().await?;
    Ok(rows.len())
}

fn minutes(o: SessionOutcome) -> &'static str {
    match o {
        SessionOutcome::Agreed => "调解员听取双方陈述，释法明理，双方就争议事项达成一致。",
        SessionOutcome::Continued => "双方分歧较大，约定补充材料后再次调解。",
        SessionOutcome::Failed => "一方拒绝调解方案，告知其可通过诉讼解决。",
    }
}
