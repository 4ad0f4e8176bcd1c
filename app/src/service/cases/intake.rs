//! Registering a case from any channel (受理): checked, its files written, its receipt made.
#[allow(unused_imports)]
use super::*;
use crate::domain::audit::AuditEvent;

pub struct IntakeInput {
    pub category: String,
    pub channel: Channel,
    pub urgency: Urgency,
    pub text: IntakeText,
    pub area_id: Option<i64>,
    pub location: Option<GeoPoint>,
}

/// Registers a new case (受理) from any channel.
pub async fn register(db: &Db, fx: &Effects, by: &Actor, input: IntakeInput, uploads: Vec<Upload>) -> Result<Receipt, AppError> {
    register_as(db, fx, by, input, uploads, None).await
}

/// The calling system filing a case, and its call as the audit trail keeps it.
pub struct FiledBy {
    pub api_token_id: i64,
    pub ip: Option<String>,
    pub audit: AuditEvent,
    /// What an Open311 request keeps beside its case.
    pub open311: Option<Open311Filing>,
}

/// An Open311 request's token (to find its id by) and media link.
pub struct Open311Filing {
    pub token: String,
    pub media_url: Option<String>,
}

/// `register` for a calling system, which the case remembers: by default a token reads only
/// the cases it filed. The call is recorded with the case.
pub async fn register_for_client(db: &Db, fx: &Effects, filed_by: FiledBy, input: IntakeInput) -> Result<Receipt, AppError> {
    register_as(db, fx, &Actor::System, input, Vec::new(), Some(&filed_by)).await
}

async fn register_as(db: &Db, fx: &Effects, by: &Actor, input: IntakeInput, uploads: Vec<Upload>, filed_by: Option<&FiledBy>) -> Result<Receipt, AppError> {
    let text = input.text.check()?;
    let (stored, kinds) = write_files(&fx.files_dir, &uploads).await?;
    let result = register_in_tx(db, by, &input, &text, &uploads, &stored, &kinds, filed_by).await;
    let receipt = settle(fx, stored, result)?;
    crate::service::counters::received(input.channel);
    Ok(receipt)
}

// The files come in three views (as uploaded, as written, as checked), each needed here.
#[allow(clippy::too_many_arguments)]
async fn register_in_tx(
    db: &Db,
    by: &Actor,
    input: &IntakeInput,
    text: &case::CheckedText,
    uploads: &[Upload],
    stored: &WrittenFiles<'_>,
    kinds: &[case::FileKind],
    filed_by: Option<&FiledBy>,
) -> Result<(Receipt, Vec<Notice>), AppError> {
    let now = now_ms();
    // What the case is checked against is read before the write turn, so concurrent
    // intakes read in parallel and hold SQLite's one writer only to write.
    let mut conn = db.read().await?;
    let (category, risk) = store::category_for_intake(&mut conn, &input.category).await?.ok_or(CaseError::UnknownCode(input.category.clone()))?;
    let risk = crate::service::risk::stream::settings_from(risk);
    let area = match input.area_id {
        Some(a) => Some(store_org::area_by_id(&mut conn, a).await?.ok_or(CaseError::BadArea)?),
        None => None,
    };
    drop(conn);
    let intake = Intake::new(&category, input.channel, input.urgency)?;
    if area.as_ref().is_some_and(|a| !a.takes_cases()) {
        return Err(CaseError::BadArea.into());
    }
    let mut tx = db.begin_write().await?;
    let reporter_id = match (&text.reporter_name, &text.reporter_phone) {
        (None, None) => None,
        (name, phone) => Some(store::insert_reporter(&mut tx, name.as_deref(), phone.as_deref(), now).await?),
    };
    let secret = new_secret();
    // A clash of random codes is vanishingly rare (31^6 a day): the insert skips a taken
    // code (without failing the transaction) and the case takes another.
    let mut id = None;
    for _ in 0..5 {
        let code = tracking_code(now);
        let row = store::NewCase {
            code: &code,
            secret_hash: &secret_hash(&code, &secret),
            intake: &intake,
            text,
            area: area.as_ref().map(|a| (a.id, a.code.as_str())),
            location: input.location,
            reporter_id,
            received_at: now,
            api_token_id: filed_by.map(|f| f.api_token_id),
        };
        if let Some(new) = store::insert_case(&mut tx, &row).await? {
            let fact = crate::service::risk::stream::new_fact(&row, &new);
            id = Some((new.id, code, fact));
            break;
        }
    }
    let (id, code, fact) = id.ok_or(AppError::Internal)?;
    let (case, event) = Case::receive(id, intake, by, now)?;
    let (seq, hash) = store::append(&mut tx, id, 0, String::new(), user_id(by), &[event]).await?;
    store::save_received_state(&mut tx, &case, seq, &hash, now).await?;
    store::index_text(&mut tx, db.backend, id, text).await?;
    record_files(&mut tx, id, None, uploads, stored, kinds, user_id(by), now).await?;
    let fact = crate::service::risk::stream::keep_keys(&mut tx, fact, text.reporter_phone.as_deref()).await?;
    let mut notices =
        vec![Notice { id: 0, at_ms: now, case_id: id, kind: notice::kind::RECEIVED.into(), units: vec![], title: text.title.clone(), text: None }];
    notices.extend(crate::service::risk::stream::on_intake(&mut tx, &risk, &fact, &category.name).await?);
    notices.extend(
        crate::service::emergency::on_intake(&mut tx, category.kind, id, &category.code, input.channel, fact.township_id, input.location, &text.title, now)
            .await?,
    );
    let notices = store_notices::insert_many(&mut tx, notices).await?;
    crate::service::mediation::on_intake(&mut tx, category.kind, id, fact.phone_hash.as_deref(), now).await?;
    if let Some(f) = filed_by {
        crate::store::audit::append(&mut tx, None, f.ip.as_deref(), &f.audit).await?;
        if let Some(o) = &f.open311 {
            crate::store::open311::insert(&mut tx, id, &o.token, o.media_url.as_deref()).await?;
        }
    }
    tx.commit().await?;
    Ok((Receipt { id, code, secret }, notices))
}

/// What intake and dispatch forms offer `unit_id`'s staff in `role` (residents: neither).
pub async fn options(db: &Db, unit_id: Option<i64>, role: Option<Role>) -> Result<CaseOptions, AppError> {
    let places = crate::service::org::places(db, CASE_PLACE_LEVELS).await?;
    let units = if role.is_some() { crate::service::org::unit_choices(db, UnitKind::takes_cases).await? } else { vec![] };
    let my_area_id = match unit_id {
        Some(u) => crate::service::org::unit(db, u).await?.and_then(|u| u.area_id),
        None => None,
    };
    let categories = store::categories(&mut *db.read().await?).await?.into_iter().filter(|c| c.active).collect();
    let can_launch = role.is_some_and(|r| crate::domain::access::LAUNCH.contains(&r));
    Ok(CaseOptions { categories, places, units, my_area_id, can_launch })
}

/// A resident's report from the portal: only with their consent to how the data is used and
/// with the form's hidden field (`honeypot`) left empty, as people leave it; the receipt
/// carries the code, never the internal id.
pub async fn report(db: &Db, fx: &Effects, input: IntakeInput, uploads: Vec<Upload>, consent: bool, honeypot: &str) -> Result<Receipt, AppError> {
    if !honeypot.trim().is_empty() {
        return Err(CaseError::LooksAutomated.into());
    }
    if !consent {
        return Err(CaseError::ConsentRequired.into());
    }
    let receipt = register(db, fx, &Actor::Resident, input, uploads).await?;
    Ok(Receipt { id: 0, ..receipt })
}

/// The intake desk's look at a caller by the phone typed in: their earlier cases, newest
/// first, names masked. A number that is not yet a whole phone number has no history.
pub async fn caller_history(db: &Db, phone: &str) -> Result<CallerHistory, AppError> {
    let Some(phone) = case::clean_reporter_phone(phone)? else {
        return Ok(CallerHistory::default());
    };
    let hash = crate::service::risk::stream::phone_hash(&phone);
    let (rows, total) = store::by_caller(&mut *db.read().await?, &hash, CALLER_HISTORY_MAX).await?;
    let recent = rows.into_iter().map(|(case, name)| CallerCase { case, reporter_name: name.as_deref().map(crate::domain::privacy::mask_name) }).collect();
    Ok(CallerHistory { total, recent })
}

/// Open cases of the same category in the same village or within 200 m, from the last week.
pub async fn possible_duplicates(
    db: &Db,
    category: &str,
    area_id: Option<i64>,
    point: Option<GeoPoint>,
    except: Option<CaseId>,
) -> Result<Vec<CaseSummary>, AppError> {
    let area_code = match area_id {
        Some(a) => store_org::area_by_id(&mut *db.read().await?, a).await?.map(|a| a.code),
        None => None,
    };
    let since = now_ms() - DUPLICATE_WINDOW_MS;
    let candidates = store::recent_open_in_category(&mut *db.read().await?, category, since).await?;
    Ok(candidates.into_iter().filter(|c| Some(c.id) != except && near_enough(area_code.as_deref(), point.as_ref(), c)).collect())
}
