//! The staff's server functions: campaigns (admins), review (the center), answers (units).
#[allow(unused_imports)]
use super::*;

/// A campaign in the staff list, with how many suggestions it has and wait for handling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignSummary {
    pub view: CampaignView,
    pub total: i64,
    pub waiting: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignsData {
    pub campaigns: Vec<CampaignSummary>,
    pub can_edit: bool,
    pub default_categories: Vec<String>,
}

#[server(endpoint = "center/campaigns/list")]
pub async fn campaign_list() -> Result<CampaignsData, AppError> {
    use crate::domain::access::CENTER_ROLES;
    use crate::domain::org::Role;
    let user = crate::server_ctx::require(CENTER_ROLES).await?;
    let db = crate::server_ctx::db()?;
    let now = crate::service::now_ms();
    let mut out = Vec::new();
    for c in crate::service::campaigns::campaigns(&db).await? {
        let stats = crate::service::campaigns::stats(&db, c.id).await?;
        out.push(CampaignSummary { view: CampaignView::new(c, now), total: stats.total.total, waiting: stats.total.waiting });
    }
    Ok(CampaignsData {
        campaigns: out,
        can_edit: user.role == Role::Admin,
        default_categories: crate::domain::campaign::DEFAULT_CATEGORIES.iter().map(|c| c.to_string()).collect(),
    })
}

/// Creates (`id` 0) or edits a campaign; categories one per line (or separated by 、 , ，).
#[server(endpoint = "admin/campaigns/save")]
pub async fn save_campaign(id: i64, year: String, title: String, rules: String, opens: String, closes: String, categories: String) -> Result<i64, AppError> {
    let user = crate::server_ctx::require(crate::domain::access::ADMIN).await?;
    let by = crate::server_ctx::actor(&user).await;
    crate::service::campaigns::save_campaign(&crate::server_ctx::db()?, &by, id, &year, &title, &rules, &opens, &closes, &categories).await
}

/// The review queue of one campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueData {
    pub campaign: CampaignView,
    pub rows: Vec<SuggestionRow>,
    pub stats: CampaignStats,
    pub places: Vec<Place>,
}

#[server(endpoint = "center/campaigns/queue")]
pub async fn campaign_queue(campaign: i64, status: String, category: String, area: String, waiting: bool) -> Result<QueueData, AppError> {
    use crate::domain::campaign::SuggestionStatus;
    crate::server_ctx::require(crate::domain::access::CENTER_ROLES).await?;
    let db = crate::server_ctx::db()?;
    let c = crate::service::campaigns::campaign(&db, campaign).await?;
    let statuses: Vec<SuggestionStatus> = if waiting {
        SuggestionStatus::ALL.iter().copied().filter(|s| s.awaits_handling()).collect()
    } else if status.trim().is_empty() {
        vec![]
    } else {
        vec![status.parse()?]
    };
    let area = crate::ui::forms::parse_optional_id(&area)?;
    let category = Some(category.trim()).filter(|c| !c.is_empty());
    let rows = crate::service::campaigns::staff_list(&db, campaign, &statuses, category, area).await?;
    let stats = crate::service::campaigns::stats(&db, campaign).await?;
    Ok(QueueData { campaign: CampaignView::new(c, crate::service::now_ms()), rows, stats, places: places().await? })
}

/// One suggestion for staff, with what they may do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionDetail {
    pub row: SuggestionRow,
    pub campaign: CampaignView,
    pub state: SuggestionState,
    pub history: Vec<SuggestionEventRow>,
    pub actions: Vec<ReviewKind>,
    pub units: Vec<UnitChoice>,
    /// Other suggestions of the call that look like this one: merge candidates.
    pub similar: Vec<SuggestionRow>,
    pub unit_name: Option<String>,
    pub merged_into_code: Option<String>,
    /// The author, masked; `RevealSuggestionContact` shows it in full, on the record.
    pub contact: ReporterView,
}

/// The author's full name and phone, for the center: on the audit trail.
#[server(endpoint = "center/suggestions/contact")]
pub async fn reveal_suggestion_contact(id: i64) -> Result<crate::domain::privacy::Contact, AppError> {
    let user = crate::server_ctx::require(crate::domain::access::CENTER_ROLES).await?;
    let who = crate::server_ctx::actor(&user).await;
    crate::service::privacy::suggestion_contact(&crate::server_ctx::db()?, &who, id).await
}

#[server(endpoint = "center/suggestions/detail")]
pub async fn fetch_suggestion_detail(id: i64) -> Result<SuggestionDetail, AppError> {
    use crate::domain::org::UnitKind;
    let user = crate::server_ctx::require(crate::domain::access::CENTER_ROLES).await?;
    let db = crate::server_ctx::db()?;
    let (row, campaign_id, state, history, contact) = crate::service::campaigns::staff_detail(&db, id).await?;
    let campaign = crate::service::campaigns::campaign(&db, campaign_id).await?;
    let units = crate::service::org::unit_choices(&db, UnitKind::answers_suggestions).await?;
    let unit_name = state.unit.and_then(|u| units.iter().find(|c| c.id == u).map(|c| c.name.clone()));
    let merged_into_code = match state.merged_into {
        Some(m) => crate::service::campaigns::code_of(&db, m).await?,
        None => None,
    };
    let similar = crate::service::campaigns::similar(&db, campaign_id, &row.name).await?.into_iter().filter(|r| r.id != id).collect();
    let actions = if crate::domain::access::REVIEW_SUGGESTIONS.contains(&user.role) { ReviewKind::offered(state.status) } else { vec![] };
    Ok(SuggestionDetail {
        row,
        campaign: CampaignView::new(campaign, crate::service::now_ms()),
        state,
        history,
        actions,
        units,
        similar,
        unit_name,
        merged_into_code,
        contact,
    })
}

/// One review step; only the fields its kind needs are read.
#[server(endpoint = "center/suggestions/review")]
#[allow(clippy::too_many_arguments)]
pub async fn review_suggestion(
    id: i64,
    kind: String,
    #[server(default)] reason: String,
    #[server(default)] into: String,
    #[server(default)] unit: String,
    #[server(default)] verdict: String,
    #[server(default)] cost: String,
    #[server(default)] period: String,
    #[server(default)] yes: String,
    #[server(default)] no: String,
    #[server(default)] abstain: String,
    #[server(default)] percent: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use crate::domain::campaign::{Answer, CampaignError, ReviewCommand, Vote};
    let user = crate::server_ctx::require(crate::domain::access::REVIEW_SUGGESTIONS).await?;
    let db = crate::server_ctx::db()?;
    let num = |raw: &str, err: CampaignError| -> Result<i64, AppError> { raw.trim().parse::<i64>().map_err(|_| err.into()) };
    let count = |raw: &str| -> Result<u32, AppError> {
        if raw.trim().is_empty() { Ok(0) } else { raw.trim().parse::<u32>().map_err(|_| CampaignError::BadVote.into()) }
    };
    let cmd = match kind.parse::<ReviewKind>()? {
        ReviewKind::Hide => ReviewCommand::Hide { reason },
        ReviewKind::Merge => ReviewCommand::Merge { into: into.trim().trim_start_matches('#').parse().map_err(|_| AppError::NotFound)? },
        ReviewKind::Assign => ReviewCommand::Assign { unit: unit.trim().parse().map_err(|_| AppError::NotFound)? },
        ReviewKind::Answer => ReviewCommand::Answer(Answer::from_form(&verdict, reason, &cost, period)?),
        ReviewKind::Shortlist => ReviewCommand::Shortlist,
        ReviewKind::Vote => ReviewCommand::RecordVote(Vote { yes: count(&yes)?, no: count(&no)?, abstain: count(&abstain)? }),
        ReviewKind::Publish => ReviewCommand::Publish,
        ReviewKind::Progress => {
            let p = num(&percent, CampaignError::BadAmount)?;
            ReviewCommand::Progress { percent: u8::try_from(p).map_err(|_| CampaignError::BadAmount)?, note }
        }
    };
    crate::service::campaigns::review(&db, &crate::server_ctx::case_actor(&user), id, &cmd).await.map(|_| ())
}

/// A suggestion waiting for the caller's department to answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSuggestion {
    pub row: SuggestionRow,
    pub state: SuggestionState,
    pub campaign_title: String,
}

/// What the caller's department is asked to evaluate (the submitter's name masked, no phone).
#[server(endpoint = "field/suggestions/list")]
pub async fn unit_suggestions() -> Result<Vec<UnitSuggestion>, AppError> {
    let user = crate::server_ctx::require(crate::domain::access::UNIT_STAFF).await?;
    let Some(unit) = user.unit_id else { return Ok(vec![]) };
    let rows = crate::service::campaigns::awaiting_answer(&crate::server_ctx::db()?, unit).await?;
    Ok(rows.into_iter().map(|(row, state, campaign_title)| UnitSuggestion { row, state, campaign_title }).collect())
}

/// The department's answer, by its own staff.
#[server(endpoint = "field/suggestions/answer")]
pub async fn unit_answer(id: i64, verdict: String, reason: String, #[server(default)] cost: String, #[server(default)] period: String) -> Result<(), AppError> {
    use crate::domain::campaign::{Answer, ReviewCommand};
    let user = crate::server_ctx::require(crate::domain::access::UNIT_STAFF).await?;
    let cmd = ReviewCommand::Answer(Answer::from_form(&verdict, reason, &cost, period)?);
    crate::service::campaigns::review(&crate::server_ctx::db()?, &crate::server_ctx::case_actor(&user), id, &cmd).await.map(|_| ())
}

/// Publishes the adopted list of a call.
#[server(endpoint = "center/campaigns/publish")]
pub async fn publish_campaign(campaign: i64) -> Result<usize, AppError> {
    let user = crate::server_ctx::require(crate::domain::access::REVIEW_SUGGESTIONS).await?;
    let db = crate::server_ctx::db()?;
    crate::service::campaigns::publish_adopted(&db, &crate::server_ctx::case_actor(&user), campaign).await
}
