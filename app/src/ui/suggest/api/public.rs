//! The residents' server functions (`/api/public/…`) and the no-JavaScript form plumbing.
#[allow(unused_imports)]
use super::*;

/// Everything the `/suggest` page needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestPageData {
    pub campaign: Option<CampaignView>,
    pub places: Vec<Place>,
    /// When the call is closed: what was adopted.
    pub adopted: Vec<AdoptedProject>,
    /// Other calls, for links to their results.
    pub others: Vec<CampaignView>,
}

/// The public list with its filters' choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicListData {
    pub campaign: Option<CampaignView>,
    pub rows: Vec<SuggestionRow>,
    pub adopted: Vec<AdoptedProject>,
    pub places: Vec<Place>,
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::domain::case::clean_reporter_phone;
    use crate::server_ctx::{client_ip, db, limiter};
    use crate::service::campaigns as svc;
    use crate::service::now_ms;

    /// Places a suggestion can be for: townships and villages.
    pub async fn places() -> Result<Vec<Place>, AppError> {
        crate::service::org::places(&db()?, crate::domain::org::SUGGESTION_PLACE_LEVELS).await
    }

    /// The campaign asked for, else the current one.
    pub async fn chosen(campaign: Option<i64>) -> Result<Option<Campaign>, AppError> {
        let db = db()?;
        match campaign {
            Some(id) => svc::campaign(&db, id).await.map(Some),
            None => svc::current(&db, now_ms()).await,
        }
    }

    /// A submission from the form: rate limits first (nothing is read or written for a
    /// refused burst), then the honeypot, then the call's own rules.
    pub async fn submit(input: &SuggestInput) -> Result<Receipt, AppError> {
        let db = db()?;
        let address = client_ip().await.unwrap_or_default();
        let phone = clean_reporter_phone(&input.phone).ok().flatten();
        limiter()?.check(&address, phone.as_deref()).map_err(AppError::TooManyRequests)?;
        let campaign_id: i64 = input.campaign.trim().parse().map_err(|_| AppError::NotFound)?;
        let area_id = crate::ui::forms::parse_optional_id(&input.area_id)?;
        svc::submit_form(&db, campaign_id, area_id, input, &format!("address:{address}"), now_ms()).await
    }

    /// Codes and secrets are guessed one request at a time: look-ups are limited per address,
    /// as a case's tracking is.
    pub async fn track(code: &str, secret: &str) -> Result<SuggestionTrack, AppError> {
        let address = client_ip().await.unwrap_or_default();
        limiter()?.check_lookup(&address).map_err(AppError::TooManyRequests)?;
        svc::track(&db()?, code, secret).await
    }

    /// Support from this browser (a long-lived random cookie, set when missing); rate
    /// limited per address like submissions, so clearing cookies does not multiply votes.
    pub async fn support(id: i64) -> Result<bool, AppError> {
        use axum::http::{HeaderMap, HeaderValue, header};
        let db = db()?;
        let address = client_ip().await.unwrap_or_default();
        limiter()?.check(&address, None).map_err(AppError::TooManyRequests)?;
        let headers: HeaderMap = leptos_axum::extract().await.map_err(|_| AppError::Internal)?;
        let device = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|c| c.split(';'))
            .find_map(|c| c.trim().strip_prefix(DEVICE_COOKIE).and_then(|v| v.strip_prefix('=')).map(str::to_string))
            .filter(|v| v.len() == 24 && v.chars().all(|c| c.is_ascii_alphanumeric()));
        let device = match device {
            Some(d) => d,
            None => {
                let d = crate::service::codes::random_code(24);
                if let (Some(r), Ok(v)) = (
                    use_context::<leptos_axum::ResponseOptions>(),
                    HeaderValue::from_str(&format!("{DEVICE_COOKIE}={d}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly")),
                ) {
                    r.append_header(header::SET_COOKIE, v);
                }
                d
            }
        };
        svc::support(&db, id, &format!("device:{device}")).await
    }

    const DEVICE_COOKIE: &str = "sz_dev";
}
#[cfg(feature = "ssr")]
pub use ssr::*;

#[server(endpoint = "public/suggest/page")]
pub async fn suggest_page(campaign: Option<i64>) -> Result<SuggestPageData, AppError> {
    let db = crate::server_ctx::db()?;
    let now = crate::service::now_ms();
    let c = chosen(campaign).await?;
    let adopted = match &c {
        Some(c) if c.phase(now) == CampaignPhase::Closed => crate::service::campaigns::adopted(&db, c.id).await?,
        _ => vec![],
    };
    let others = crate::service::campaigns::campaigns(&db)
        .await?
        .into_iter()
        .filter(|o| c.as_ref().is_none_or(|c| c.id != o.id) && o.phase(now) == CampaignPhase::Closed)
        .map(|o| CampaignView::new(o, now))
        .collect();
    Ok(SuggestPageData { campaign: c.map(|c| CampaignView::new(c, now)), places: places().await?, adopted, others })
}

/// The call shown on the portal's home.
#[server(endpoint = "public/suggest/call")]
pub async fn portal_call() -> Result<Option<crate::domain::campaign::PortalCall>, AppError> {
    crate::service::campaigns::portal_call(&crate::server_ctx::db()?, crate::service::now_ms()).await
}

#[server(endpoint = "public/suggest/similar")]
pub async fn similar_suggestions(campaign: i64, name: String) -> Result<Vec<SuggestionRow>, AppError> {
    let address = crate::server_ctx::client_ip().await.unwrap_or_default();
    crate::server_ctx::limiter()?.check_lookup(&address).map_err(AppError::TooManyRequests)?;
    crate::service::campaigns::similar(&crate::server_ctx::db()?, campaign, &name).await
}

#[server(endpoint = "public/suggest/submit")]
pub async fn submit_suggestion(input: SuggestInput) -> Result<Receipt, AppError> {
    submit(&input).await
}

#[server(endpoint = "public/suggest/track")]
pub async fn track_suggestion(code: String, secret: String) -> Result<SuggestionTrack, AppError> {
    track(&code, &secret).await
}

#[server(endpoint = "public/suggest/list")]
pub async fn public_suggestions(campaign: Option<i64>, category: Option<String>, area: Option<i64>) -> Result<PublicListData, AppError> {
    let db = crate::server_ctx::db()?;
    let now = crate::service::now_ms();
    let c = chosen(campaign).await?;
    let (rows, adopted) = match &c {
        Some(c) => (
            crate::service::campaigns::public_list(&db, c.id, category.as_deref().filter(|s| !s.is_empty()), area).await?,
            crate::service::campaigns::adopted(&db, c.id).await?,
        ),
        None => (vec![], vec![]),
    };
    Ok(PublicListData { campaign: c.map(|c| CampaignView::new(c, now)), rows, adopted, places: places().await? })
}
