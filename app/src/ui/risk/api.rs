//! Server functions of the risk warnings: the center's staff read and act under `center/`,
//! the administrator's settings and replay under `admin/`.
use crate::domain::risk::{ReplayReport, Settings, WarningDetail, WarningPage};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "center/risk/page")]
pub async fn fetch_warnings(
    showing: String,
    rule: String,
    after: String,
    level: Option<String>,
    township: Option<String>,
    since: Option<String>,
) -> Result<WarningPage, AppError> {
    use crate::server_ctx::{case_actor, db, require};
    use crate::store::risk::Showing;
    let user = require(crate::domain::access::CENTER_ROLES).await?;
    let showing = match showing.as_str() {
        "finished" => Showing::Finished,
        "all" => Showing::All,
        _ => Showing::Open,
    };
    let only = crate::store::risk::Only {
        rule: if rule.is_empty() { None } else { Some(rule.parse()?) },
        level: match level.as_deref() {
            None | Some("") => None,
            Some(l) => Some(l.parse()?),
        },
        township_id: township.and_then(|t| t.parse().ok()),
        since_ms: since.and_then(|t| t.parse().ok()),
    };
    crate::service::risk::page(&db()?, &case_actor(&user), showing, &only, (!after.is_empty()).then_some(after.as_str())).await
}

#[server(endpoint = "center/risk/get")]
pub async fn fetch_warning(id: i64) -> Result<WarningDetail, AppError> {
    use crate::server_ctx::{case_actor, db, require};
    let user = require(crate::domain::access::CENTER_ROLES).await?;
    crate::service::risk::detail(&db()?, &case_actor(&user), id).await
}

/// A warning raised by hand: a title and the codes of the cases behind it (any separator).
#[server(endpoint = "center/risk/raise")]
pub async fn raise_warning(title: String, cases: String) -> Result<i64, AppError> {
    use crate::server_ctx::{case_actor, db, effects, require};
    let user = require(crate::domain::access::CENTER_ROLES).await?;
    let codes = crate::domain::risk::settings::split_words(&cases);
    crate::service::risk::raise_by_hand(&db()?, &effects()?, &case_actor(&user), &title, &codes).await
}

/// One step of a warning's life: `step` is assess, handle, close or dismiss; `text` the
/// note, result or reason; `code` the handling case; `launch` set to launch a palm command.
#[server(endpoint = "center/risk/act")]
pub async fn act_on_warning(
    id: i64,
    step: String,
    level: Option<String>,
    text: Option<String>,
    code: Option<String>,
    launch: Option<String>,
) -> Result<(), AppError> {
    use crate::server_ctx::{actor, case_actor, db, effects, require};
    use crate::service::risk::Step;
    let user = require(crate::domain::access::CENTER_ROLES).await?;
    let text = text.unwrap_or_default();
    let step = match step.as_str() {
        "assess" => Step::Assess { level: level.unwrap_or_default().parse()?, note: text },
        "handle" => Step::Handle { code: code.unwrap_or_default(), launch: launch.is_some() },
        "close" => Step::Close { result: text },
        "dismiss" => Step::Dismiss { reason: text },
        other => return Err(crate::domain::risk::RiskError::UnknownCode(other.into()).into()),
    };
    crate::service::risk::act(&db()?, &effects()?, &actor(&user).await, &case_actor(&user), id, step).await?;
    Ok(())
}

/// The settings, and the server's clock (a replay's default period ends today).
#[server(endpoint = "admin/risk/settings")]
pub async fn fetch_risk_settings() -> Result<(Settings, i64), AppError> {
    use crate::server_ctx::{db, require};
    require(crate::domain::access::ADMIN).await?;
    Ok((crate::service::risk::settings(&db()?).await?, crate::service::now_ms()))
}

/// The settings form as posted: numbers as typed, words one per line or comma-separated.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SettingsForm {
    pub cluster_on: Option<String>,
    pub cluster_cases: String,
    pub cluster_radius: String,
    pub cluster_hours: String,
    pub repeat_on: Option<String>,
    pub repeat_cases: String,
    pub repeat_days: String,
    pub mass_on: Option<String>,
    pub mass_words: String,
    pub mass_count_words: String,
    pub mass_people: String,
    pub emergency_on: Option<String>,
    pub unsigned_on: Option<String>,
}

impl SettingsForm {
    /// The settings typed, or the first field that is not a number in range.
    pub fn settings(&self) -> Result<Settings, crate::domain::risk::RiskError> {
        use crate::domain::risk::settings::{ClusterRule, MassRule, RepeatRule, split_words};
        use crate::domain::risk::{RiskError, Setting};
        let n = |raw: &str, s: Setting| raw.trim().parse::<u32>().map_err(|_| RiskError::BadSetting(s));
        Settings {
            cluster: ClusterRule {
                on: self.cluster_on.is_some(),
                min_cases: n(&self.cluster_cases, Setting::ClusterCases)?,
                radius_m: n(&self.cluster_radius, Setting::ClusterRadius)?,
                window_hours: n(&self.cluster_hours, Setting::ClusterHours)?,
            },
            repeat: RepeatRule {
                on: self.repeat_on.is_some(),
                min_cases: n(&self.repeat_cases, Setting::RepeatCases)?,
                window_days: n(&self.repeat_days, Setting::RepeatDays)?,
            },
            mass: MassRule {
                on: self.mass_on.is_some(),
                words: split_words(&self.mass_words),
                count_words: split_words(&self.mass_count_words),
                min_people: n(&self.mass_people, Setting::MassPeople)?,
            },
            emergency_overdue: self.emergency_on.is_some(),
            unsigned: self.unsigned_on.is_some(),
        }
        .check()
    }
}

/// What the settings form did: saved the settings, or replayed them over the history
/// without saving, so an admin sees what a threshold would raise before switching it on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SettingsOutcome {
    Saved(Settings),
    Replayed(ReplayReport),
}

/// `intent` is "save" or "replay"; a replay covers the local days `[from, to]`.
#[server(endpoint = "admin/risk/settings/submit")]
pub async fn submit_risk_settings(form: SettingsForm, intent: String, from: String, to: String) -> Result<SettingsOutcome, AppError> {
    use crate::domain::clock::parse_day_start;
    use crate::domain::risk::RiskError;
    use crate::server_ctx::{actor, case_actor, db, require};
    let user = require(crate::domain::access::ADMIN).await?;
    let s = form.settings()?;
    if intent == "replay" {
        let from = parse_day_start(&from).ok_or(RiskError::BadPeriod)?;
        let to = parse_day_start(&to).ok_or(RiskError::BadPeriod)? + 24 * 3600 * 1000;
        return Ok(SettingsOutcome::Replayed(crate::service::risk::replay(&db()?, s, from, to).await?));
    }
    Ok(SettingsOutcome::Saved(crate::service::risk::set_settings(&db()?, &actor(&user).await, &case_actor(&user), s).await?))
}
