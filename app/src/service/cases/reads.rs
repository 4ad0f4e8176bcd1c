//! What staff read of the register: lists, one case in full, a case by its code.
#[allow(unused_imports)]
use super::*;

pub async fn list(db: &Db, by: &Actor, filter: &CaseFilter, after: Option<Cursor>) -> Result<CasePage, AppError> {
    list_batch(db, by, filter, after, PAGE_SIZE).await
}

/// How many cases the filter finds for this viewer: the list's total, and the figure
/// behind every count on the command screen.
pub async fn count(db: &Db, by: &Actor, filter: &CaseFilter) -> Result<i64, AppError> {
    let mut conn = db.read().await?;
    let scope = reading_scope(&mut conn, by).await?;
    Ok(store::count(&mut conn, filter, scope, now_ms()).await?)
}

/// Like `list` with a chosen page size, for exports that walk the whole filtered list.
pub async fn list_batch(db: &Db, by: &Actor, filter: &CaseFilter, after: Option<Cursor>, limit: usize) -> Result<CasePage, AppError> {
    let mut conn = db.read().await?;
    let scope = reading_scope(&mut conn, by).await?;
    Ok(store::list(&mut conn, filter, scope, after, limit, now_ms()).await?)
}

/// The cases of the reader's area, newest first (a township government's, village
/// committee's or grid team's staff only): `Forbidden` for a unit without an area.
pub async fn area_list(db: &Db, by: &Actor, status: Option<CaseStatus>, after: Option<Cursor>) -> Result<AreaPage, AppError> {
    let mut conn = db.read().await?;
    let scope = reading_scope(&mut conn, by).await?;
    let store::Scope::Area { area_id, .. } = scope else { return Err(AppError::Forbidden) };
    let area_name = crate::store::org::area_by_id(&mut conn, area_id).await?.map(|a| a.name).unwrap_or_default();
    let filter = CaseFilter { status, ..CaseFilter::default() };
    let page = store::list(&mut conn, &filter, scope, after, PAGE_SIZE, now_ms()).await?;
    Ok(AreaPage { area_name, page })
}

pub async fn detail(db: &Db, by: &Actor, id: CaseId) -> Result<CaseDetail, AppError> {
    check_visible(db, by, id).await?;
    let summary = store::summary(&mut *db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    let texts = store::texts(&mut *db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    let s = store::load(&mut *db.read().await?, id).await?.ok_or(AppError::NotFound)?;
    let names = store::unit_names(&mut *db.read().await?).await?;
    let mut assignments: Vec<AssignmentView> = s
        .case
        .assignments
        .iter()
        .filter(|a| a.round == s.case.round)
        .map(|a| AssignmentView { unit_name: names.get(&a.unit).cloned().unwrap_or_default(), assignment: a.clone() })
        .collect();
    assignments.sort_by_key(|a| !a.assignment.lead);
    let (timeline, attachments) = store::timeline_and_intake_files(&mut *db.read().await?, id).await?;
    let now = now_ms();
    let merged_into_code = match s.case.merged_into {
        Some(m) => store::code_of(&mut *db.read().await?, m).await?,
        None => None,
    };
    let mut unit_names: Vec<(i64, String)> = Vec::new();
    for a in &s.case.assignments {
        if !unit_names.iter().any(|(u, _)| *u == a.unit) {
            unit_names.push((a.unit, names.get(&a.unit).cloned().unwrap_or_default()));
        }
    }
    // The commanders and leaders the history names, looked up together however long it is.
    let mut named: Vec<i64> = Vec::new();
    for e in &timeline {
        let ids = match &e.change {
            case::Change::CommandLaunched { commander, .. } => vec![*commander],
            case::Change::CommanderHandedOver { from, to } => vec![*from, *to],
            case::Change::EscalatedFurther { to, .. } => to.clone(),
            _ => continue,
        };
        for u in ids {
            if !named.contains(&u) {
                named.push(u);
            }
        }
    }
    let names_of = crate::store::users::display_names(&mut *db.read().await?, &named).await?;
    let refiled = timeline.iter().any(|e| matches!(e.change, case::Change::Recategorised { .. }));
    let category_names = match refiled {
        true => store::categories(&mut *db.read().await?).await?.into_iter().map(|c| (c.code, c.name)).collect(),
        false => Vec::new(),
    };
    let people = named.into_iter().map(|u| (u, names_of.get(&u).cloned().unwrap_or_default())).collect();
    Ok(CaseDetail {
        people,
        category_names,
        unit_names,
        actions: offered(&s.case, by, now),
        my_unit: by.unit_id().filter(|u| s.case.current_assignments().any(|a| a.unit == *u)),
        read_only: by.has_role(crate::domain::access::UNIT_STAFF) && by.unit_id().is_some_and(|u| !s.case.assignments.iter().any(|a| a.unit == u)),
        summary,
        description: texts.description,
        address: texts.address,
        reporter: crate::domain::privacy::ReporterView::of(texts.reporter, texts.contact_erased_ms),
        case: s.case,
        assignments,
        timeline,
        attachments,
        merged_into_code,
        now_ms: now,
    })
}

/// The case a tracking code names, for staff typing one (a merge target); the secret is
/// not asked, staff may see the register anyway.
pub async fn id_of_code(db: &Db, code: &str) -> Result<Option<CaseId>, AppError> {
    Ok(store::by_code(&mut *db.read().await?, &code.trim().to_ascii_uppercase()).await?.map(|(id, _)| id))
}
