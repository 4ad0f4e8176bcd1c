//! What residents see and do with their tracking code and secret: follow the case, rate it.
#[allow(unused_imports)]
use super::*;

/// The case behind a code and secret, or `BadTrackingCode` whichever of the two is wrong.
async fn resolve_code(db: &Db, code: &str, secret: &str) -> Result<CaseId, AppError> {
    let code = code.trim().to_ascii_uppercase();
    let found = store::by_code(&mut *db.read().await?, &code).await?;
    match found {
        Some((id, hash)) if hash == secret_hash(&code, secret) => Ok(id),
        _ => Err(CaseError::BadTrackingCode.into()),
    }
}

/// A case as the public may follow it: its steps in plain words, no staff names.
pub struct PublicHistory {
    pub case: Case,
    /// (when, what happened), oldest first.
    pub history: Vec<(i64, case::PublicStep)>,
    /// The code of the case it was merged into, if it was.
    pub merged_into_code: Option<String>,
}

pub async fn public_history(db: &Db, id: CaseId) -> Result<PublicHistory, AppError> {
    let s = store::load(&mut *db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    let names = store::unit_names(&mut *db.read().await?).await?;
    let history = store::timeline(&mut *db.read().await?, id)
        .await?
        .iter()
        .filter_map(|e| public_step(&e.change, |u| names.get(&u).cloned().unwrap_or_default()).map(|p| (e.at_ms, p)))
        .collect();
    let merged_into_code = match s.case.merged_into {
        Some(m) => store::code_of(&mut *db.read().await?, m).await?,
        None => None,
    };
    Ok(PublicHistory { case: s.case, history, merged_into_code })
}

/// The residents' tracking page.
pub async fn track(db: &Db, code: &str, secret: &str) -> Result<TrackView, AppError> {
    let id = resolve_code(db, code, secret).await?;
    let summary = store::summary(&mut *db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    let texts = store::texts(&mut *db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    let PublicHistory { case, history, merged_into_code } = public_history(db, id).await?;
    let masked = texts.reporter.as_ref().map(crate::domain::privacy::Contact::masked);
    Ok(TrackView {
        code: summary.code,
        title: summary.title,
        category_name: summary.category_name,
        status: case.status,
        received_ms: summary.received_ms,
        reporter_name: masked.as_ref().and_then(|c| c.name.clone()),
        reporter_phone: masked.and_then(|c| c.phone),
        result: case.result.clone(),
        merged_into_code,
        history,
        can_rate: case::resident_may_rate(&case, now_ms()),
    })
}

/// The resident's rating on the tracking page.
pub async fn rate(db: &Db, fx: &Effects, code: &str, secret: &str, satisfied: bool, comment: Option<String>) -> Result<(), AppError> {
    let id = resolve_code(db, code, secret).await?;
    let cmd = CaseCommand::RecordFollowUp { satisfied: Some(satisfied), comment };
    execute(db, fx, &Actor::Resident, id, cmd, vec![]).await.map(|_| ())
}
