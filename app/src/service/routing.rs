//! Routing that learns (issue 17): the models of `domain::routing`, trained on the center's
//! own closed cases of the last two years, kept in memory and offered beside the rule
//! baseline. Training reads the history in one pass and runs on a blocking thread, so
//! requests never wait for it; until a model has learned from enough cases, it says nothing
//! and the rules stand alone.
use crate::domain::case::UnitId;
use crate::domain::clock::DAY_MS;
use crate::domain::routing::{CaseText, Model, ModelStatus, Named, Suggested, measure, rule_units};
use crate::error::AppError;
use crate::store::{Db, cases as store_cases, now_ms, org as store_org, routing as store};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// How far back the models learn.
const HISTORY_MS: i64 = 730 * DAY_MS;
/// Fewer closed cases than this teach nothing worth offering.
pub const MIN_CASES: usize = 50;
/// The newest share of the history the accuracy is measured on.
const TEST_SHARE: f64 = 0.2;

/// The current models, shared by every request (cheap to clone).
#[derive(Clone, Default)]
pub struct Routing(Arc<RwLock<Option<Arc<Trained>>>>);

/// A training run's result.
pub struct Trained {
    pub model: Model,
    pub status: ModelStatus,
}

impl std::fmt::Debug for Routing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Routing").field(&self.status()).finish()
    }
}

impl Routing {
    fn current(&self) -> Option<Arc<Trained>> {
        self.0.read().ok().and_then(|m| m.clone())
    }

    /// Puts a model trained elsewhere in use (the benchmark's, at scale).
    pub fn install(&self, model: Model) {
        let status = ModelStatus { trained_at_ms: now_ms(), cases: model.cases, ..ModelStatus::default() };
        self.put(model, status);
    }

    fn put(&self, model: Model, status: ModelStatus) {
        if let Ok(mut m) = self.0.write() {
            *m = Some(Arc::new(Trained { model, status }));
        }
    }

    pub fn status(&self) -> Option<ModelStatus> {
        self.current().map(|t| t.status.clone())
    }
}

/// Trains the models on the history and puts them in use; returns what was measured.
pub async fn train(db: &Db, routing: &Routing) -> Result<ModelStatus, AppError> {
    let started = std::time::Instant::now();
    let mut conn = db.read().await?;
    let history = store::history(&mut conn, now_ms() - HISTORY_MS).await?;
    let units = store_org::all_units(&mut conn).await?;
    let departments: HashMap<String, Option<UnitId>> = store_cases::categories(&mut conn).await?.into_iter().map(|c| (c.code, c.department_id)).collect();
    drop(conn);
    let (model, accuracy) = tokio::task::spawn_blocking(move || {
        let rule = |r: &crate::domain::routing::Routed| {
            let (lead, cooperating) = rule_units(&units, &r.text.places, departments.get(&r.category).copied().flatten());
            lead.into_iter().chain(cooperating).collect::<Vec<_>>()
        };
        let accuracy = measure(&history, TEST_SHARE, rule);
        (Model::train(&history), accuracy)
    })
    .await
    .map_err(|_| AppError::Internal)?;
    let status = ModelStatus { trained_at_ms: now_ms(), cases: model.cases, took_ms: started.elapsed().as_millis() as u64, accuracy };
    routing.put(model, status.clone());
    Ok(status)
}

/// The models' suggestion for a text at a place, for `category` when chosen.
pub async fn suggest(db: &Db, routing: &Routing, title: &str, description: &str, area_id: Option<i64>, category: Option<&str>) -> Result<Suggested, AppError> {
    let Some(trained) = routing.current().filter(|t| t.model.cases >= MIN_CASES) else { return Ok(Suggested::default()) };
    let mut conn = db.read().await?;
    let places = match area_id {
        Some(a) => store::place_chain(&mut conn, a).await?,
        None => Vec::new(),
    };
    let text = CaseText { title: title.chars().take(200).collect(), description: description.chars().take(4000).collect(), places };
    let s = trained.model.suggest(&text, category.filter(|c| !c.is_empty()));
    let categories: HashMap<String, String> = store_cases::categories(&mut conn).await?.into_iter().filter(|c| c.active).map(|c| (c.code, c.name)).collect();
    let units: HashMap<UnitId, String> = store_org::all_units(&mut conn).await?.into_iter().filter(|u| u.active).map(|u| (u.id, u.name)).collect();
    let percent = |c: f64| (c * 100.0).round().clamp(0.0, 100.0) as u8;
    let unit = |r: &crate::domain::routing::Ranked<UnitId>| {
        units.get(&r.label).map(|n| Named { key: r.label.to_string(), name: n.clone(), percent: percent(r.confidence) })
    };
    Ok(Suggested {
        categories: s
            .categories
            .iter()
            .filter_map(|r| categories.get(&r.label).map(|n| Named { key: r.label.clone(), name: n.clone(), percent: percent(r.confidence) }))
            .collect(),
        leads: s.leads.iter().filter_map(unit).collect(),
        cooperating: s.cooperating.iter().filter_map(unit).collect(),
        learned_from: trained.model.cases,
    })
}

/// The models' suggestion for case `id`, for the dispatch and launch forms (its category as
/// filed): the same visibility as the case.
pub async fn suggest_for_case(db: &Db, routing: &Routing, by: &crate::domain::case::Actor, id: i64) -> Result<Suggested, AppError> {
    super::visibility::check_visible(db, by, id).await?;
    let mut conn = db.read().await?;
    let summary = store_cases::summary(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let texts = store_cases::texts(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    drop(conn);
    suggest(db, routing, &summary.title, &texts.description, summary.area_id, Some(&summary.category)).await
}
