//! Mediation records of dispute cases (信访矛盾调处): opened, each session, the agreement
//! with its signed photo or the referral, written by the center or by a unit holding the
//! case (the township's mediator, on a phone); and the first-time resolution rate.
use super::attachments::{Upload, record_files, write_files};
use super::{AuditActor, Effects};
use crate::domain::audit::AuditEvent;
use crate::domain::case::{Actor, CaseId, CaseKind};
use crate::domain::mediation::{ClosedLine, Mediation, MediationError, Party, REREPORT_WINDOW_MS, RateReport, Referral, SessionOutcome, first_time_rate};
use crate::domain::notice::{self, Notice};
use crate::domain::screen::Rate;
use crate::error::AppError;
use crate::store::mediation as store;
use crate::store::{Db, audit, notices as store_notices, now_ms};
use sqlx::AnyConnection;

/// A dispute case's mediation, for those who may see the case; whether they may write it.
pub async fn get(db: &Db, by: &Actor, case_id: CaseId) -> Result<(Option<Mediation>, bool), AppError> {
    super::visibility::check_visible(db, by, case_id).await?;
    let conn = &mut *db.read().await?;
    let stored = crate::store::cases::load(conn, case_id).await?.ok_or(AppError::NotFound)?;
    let may = may_write(by, &stored.case);
    Ok((store::get(conn, case_id).await?, may && stored.case.kind == CaseKind::PetitionMediation))
}

/// The center's staff, and the staff of a unit with a part in the case.
fn may_write(by: &Actor, case: &crate::domain::case::Case) -> bool {
    by.has_role(crate::domain::access::CENTER_STAFF)
        || (by.has_role(crate::domain::access::UNIT_STAFF) && by.unit_id().is_some_and(|u| case.assignments.iter().any(|a| a.unit == u)))
}

/// A step of the record as staff ask for it.
pub enum Step {
    Open { parties: Vec<(String, String)>, mediator: String, mediator_org: String },
    Session { at_ms: i64, place: String, outcome: SessionOutcome, minutes: String },
    Agree { text: String, photo: Option<Upload> },
    Refer { to: Referral },
}

/// Carries out `step` on case `case_id`'s mediation.
pub async fn record(db: &Db, fx: &Effects, who: &AuditActor, by: &Actor, case_id: CaseId, step: Step) -> Result<Mediation, AppError> {
    super::visibility::check_visible(db, by, case_id).await?;
    let uploads: Vec<Upload> = match &step {
        Step::Agree { photo: Some(p), .. } => vec![Upload { file_name: p.file_name.clone(), bytes: p.bytes.clone() }],
        _ => vec![],
    };
    let (stored, kinds) = write_files(&fx.files_dir, &uploads).await?;
    let result = record_in_tx(db, who, by, case_id, step, &uploads, &stored, &kinds).await;
    match result {
        Ok((m, n)) => {
            fx.live.committed(n);
            Ok(m)
        }
        Err(e) => {
            stored.discard();
            Err(e)
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn record_in_tx(
    db: &Db,
    who: &AuditActor,
    by: &Actor,
    case_id: CaseId,
    step: Step,
    uploads: &[Upload],
    stored: &super::attachments::WrittenFiles<'_>,
    kinds: &[crate::domain::case::FileKind],
) -> Result<(Mediation, Notice), AppError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let case = crate::store::cases::load_for_update(&mut tx, db.backend, case_id).await?.ok_or(AppError::NotFound)?.case;
    if case.kind != CaseKind::PetitionMediation {
        return Err(MediationError::NotADispute.into());
    }
    if !may_write(by, &case) {
        return Err(AppError::Forbidden);
    }
    store::lock(&mut tx, db.backend == crate::store::Backend::Postgres, case_id).await?;
    let existing = store::get(&mut tx, case_id).await?;
    let (code, m) = match (step, existing) {
        (Step::Open { parties, mediator, mediator_org }, None) => {
            let mut hashes = Vec::new();
            let mut list = Vec::new();
            for (name, phone) in parties {
                let phone = crate::domain::case::clean_reporter_phone(&phone)?;
                hashes.extend(phone.as_deref().map(super::risk::stream::phone_hash));
                list.push(Party { name, phone_masked: phone.as_deref().map(crate::domain::privacy::mask_phone) });
            }
            let m = Mediation::open(case_id, list, &mediator, &mediator_org)?;
            let fact = crate::store::risk::fact_of(&mut tx, case_id).await?;
            store::insert(&mut tx, &m, &hashes.join(" "), fact.and_then(|f| f.township_id), &case.category, now, user_id(by)).await?;
            ("open", m)
        }
        (Step::Open { .. }, Some(_)) => return Err(AppError::Duplicate),
        (_, None) => return Err(MediationError::NotStarted.into()),
        (Step::Session { at_ms, place, outcome, minutes }, Some(mut m)) => {
            let s = m.hold(at_ms, &place, outcome, &minutes, case.received_ms, now)?.clone();
            store::insert_session(&mut tx, case_id, &s, now, user_id(by)).await?;
            ("session", m)
        }
        (Step::Agree { text, .. }, Some(mut m)) => {
            if uploads.is_empty() {
                m.agree(&text, None, now)?;
            }
            record_files(&mut tx, case_id, None, uploads, stored, kinds, user_id(by), now).await?;
            let photo = crate::store::cases::latest_attachment(&mut tx, case_id).await?;
            m.agree(&text, photo, now)?;
            store::save_end(&mut tx, &m).await?;
            ("agree", m)
        }
        (Step::Refer { to }, Some(mut m)) => {
            m.refer(to, now)?;
            store::save_end(&mut tx, &m).await?;
            ("refer", m)
        }
    };
    audit::append(&mut tx, who.user_id, who.ip.as_deref(), &AuditEvent::MediationRecorded { case_id, step: code.into() }).await?;
    let units = case.assignments.iter().filter(|a| a.round == case.round).map(|a| a.unit).collect();
    let title = crate::store::cases::title_in(&mut tx, case_id).await?;
    let n = store_notices::insert(&mut tx, Notice { id: 0, at_ms: now, case_id, kind: notice::kind::MEDIATION.into(), units, title, text: None }).await?;
    tx.commit().await?;
    Ok((m, n))
}

fn user_id(by: &Actor) -> Option<i64> {
    match by {
        Actor::Staff { user_id, .. } => Some(*user_id),
        _ => None,
    }
}

/// At the intake of a dispute: an agreement of the last 90 days whose parties' (or first
/// reporter's) phone is the new reporter's is marked as reported again.
pub async fn on_intake(conn: &mut AnyConnection, kind: CaseKind, case_id: CaseId, phone_hash: Option<&str>, received_ms: i64) -> Result<(), AppError> {
    let Some(hash) = phone_hash else { return Ok(()) };
    if kind != CaseKind::PetitionMediation {
        return Ok(());
    }
    for (agreed, at, hashes) in store::agreed_since(conn, received_ms - REREPORT_WINDOW_MS).await? {
        if agreed != case_id && at <= received_ms && hashes.iter().any(|h| h == hash) {
            store::mark_rereported(conn, agreed, case_id).await?;
        }
    }
    Ok(())
}

/// The first-time resolution rate of the mediations closed in `[from, to)`.
pub async fn rate_in(conn: &mut AnyConnection, from: i64, to: i64) -> Result<Rate, AppError> {
    Ok(first_time_rate(&store::closed_in(conn, from, to).await?))
}

pub async fn report(db: &Db, by: &Actor, from: i64, to: i64) -> Result<RateReport, AppError> {
    if !by.has_role(crate::domain::access::CENTER_ROLES) {
        return Err(AppError::Forbidden);
    }
    let lines = store::closed_in(&mut *db.read().await?, from, to).await?;
    let group = |key: fn(&ClosedLine) -> String| {
        let mut by: std::collections::BTreeMap<String, Vec<ClosedLine>> = Default::default();
        for l in &lines {
            by.entry(key(l)).or_default().push(l.clone());
        }
        let mut v: Vec<(String, Rate)> = by.into_iter().map(|(k, ls)| (k, first_time_rate(&ls))).collect();
        v.sort_by(|a, b| b.1.whole.cmp(&a.1.whole).then(a.0.cmp(&b.0)));
        v
    };
    Ok(RateReport {
        from_ms: from,
        to_ms: to,
        rate: first_time_rate(&lines),
        by_township: group(|l| l.township.clone().unwrap_or_default()),
        by_mediator: group(|l| format!("{}（{}）", l.mediator, l.mediator_org)),
        by_category: group(|l| l.category_name.clone()),
        lines,
    })
}
