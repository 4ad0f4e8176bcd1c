//! `/suggest/list`: the call's suggestions for everyone (personal data masked), filtered
//! by category and area, with the adopted projects first. Support is a plain form POST,
//! counted once per browser.
use super::api::PublicListData;
use super::form::{AdoptedList, CampaignIntro};
use super::texts::SuggestionBadge;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::components::PageTitle;
use crate::ui::errors::ErrorAlert;
use crate::ui::portal::PortalHeader;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

type ListData = (Option<Result<bool, AppError>>, Result<PublicListData, AppError>);

async fn list_data(campaign: Option<i64>, category: Option<String>, area: Option<i64>) -> ListData {
    // A support posted without JavaScript is counted before the list is read.
    #[cfg(feature = "ssr")]
    let supported = crate::ui::forms::answer_posted(|f| async move {
        match f.get("support").trim().parse::<i64>() {
            Ok(id) => super::api::support(id).await,
            Err(_) => Err(AppError::NotFound),
        }
    })
    .await
    .map(|p| p.result);
    #[cfg(not(feature = "ssr"))]
    let supported = None;
    (supported, super::api::public_suggestions(campaign, category, area).await)
}

#[component]
pub fn SuggestListPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    // On the server a request's query never changes: read untracked there, so the resource
    // (which carries a posted support) runs exactly once per request.
    let value = move |k: &'static str| {
        let get = |q: &leptos_router::params::ParamsMap| q.get(k).unwrap_or_default();
        if cfg!(feature = "ssr") { q.with_untracked(get) } else { q.with(get) }
    };
    let data = Resource::new(
        move || (value("c").parse::<i64>().ok(), Some(value("category")).filter(|c| !c.is_empty()), value("area").parse::<i64>().ok()),
        |(c, cat, area)| list_data(c, cat, area),
    );
    let action = move || {
        let qs = q.with(|q| q.to_query_string());
        format!("/suggest/list{qs}")
    };
    view! {
        <PageTitle key=|l| td_string!(l, suggest.list_title).to_string() />
        <div class="portal">
            <PortalHeader />
            <main id="main" class="portal-main">
                <h1>{t!(i18n, suggest.list_title)}</h1>
                <Suspense fallback=move || {
                    view! { <p class="muted">{t!(i18n, common.loading)}</p> }
                }>
                    {move || Suspend::new(async move {
                        let (supported, d) = data.await;
                        let d = match d {
                            Err(e) => return view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(d) => d,
                        };
                        let Some(c) = d.campaign.clone() else {
                            return view! { <p class="card">{t!(i18n, suggest.none)}</p> }.into_any();
                        };
                        let cid = c.campaign.id;
                        let (cat, area) = (value("category"), value("area"));
                        view! {
                            <p class="lead-line">{c.campaign.title.clone()}</p>
                            <CampaignIntro c=c.clone() />
                            {supported
                                .map(|r| match r {
                                    Ok(true) => {
                                        view! {
                                            <p class="alert alert-ok" role="status" data-testid="support-result">
                                                {t!(i18n, suggest.supported)}
                                            </p>
                                        }
                                            .into_any()
                                    }
                                    Ok(false) => {
                                        view! {
                                            <p class="alert alert-info" role="status" data-testid="support-result">
                                                {t!(i18n, suggest.already_supported)}
                                            </p>
                                        }
                                            .into_any()
                                    }
                                    Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                                })}
                            {(!d.adopted.is_empty()).then(|| view! { <AdoptedList projects=d.adopted.clone() /> })}
                            <form class="card filters" method="get" action="/suggest/list" data-testid="suggest-filters">
                                <input type="hidden" name="c" value=cid />
                                <label class="field">
                                    <span>{t!(i18n, suggestion_field.category)}</span>
                                    <select name="category">
                                        <option value="">{t!(i18n, cases.any)}</option>
                                        {c
                                            .campaign
                                            .categories
                                            .iter()
                                            .map(|k| {
                                                let sel = *k == cat;
                                                view! {
                                                    <option value=k.clone() selected=sel>
                                                        {k.clone()}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </label>
                                <label class="field">
                                    <span>{t!(i18n, suggest.area)}</span>
                                    <select name="area">
                                        <option value="">{t!(i18n, cases.any)}</option>
                                        {d
                                            .places
                                            .iter()
                                            .map(|p| {
                                                let sel = p.id.to_string() == area;
                                                view! {
                                                    <option value=p.id selected=sel>
                                                        {p.path.clone()}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </label>
                                <div class="form-actions">
                                    <button type="submit" class="btn btn-secondary">
                                        {t!(i18n, cases.apply)}
                                    </button>
                                </div>
                            </form>
                            {if d.rows.is_empty() {
                                view! {
                                    <p class="card empty" data-testid="no-suggestions">
                                        {t!(i18n, suggest.list_empty)}
                                    </p>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <ul class="suggestion-list" data-testid="suggestion-list">
                                        {d
                                            .rows
                                            .into_iter()
                                            .map(|r| {
                                                view! {
                                                    <li class="card suggestion" id=format!("s{}", r.id)>
                                                        <h2>{r.name.clone()}</h2>
                                                        <p class="small muted">
                                                            <SuggestionBadge status=r.status />
                                                            {format!("{}{}", r.category, r.area_name.as_ref().map(|a| format!(" · {a}")).unwrap_or_default())}
                                                            {r.person.clone().map(|p| format!(" · {p}"))}
                                                        </p>
                                                        <p>{r.content.clone()}</p>
                                                        <details>
                                                            <summary>{t!(i18n, suggestion_field.overview)}</summary>
                                                            <p>{r.overview.clone()}</p>
                                                        </details>
                                                        <form method="post" action=action class="support">
                                                            <input type="hidden" name="support" value=r.id />
                                                            <button type="submit" class="btn btn-secondary" data-testid="support">
                                                                {t!(i18n, suggest.support)}
                                                                " · "
                                                                <span data-testid="support-count">{r.supports}</span>
                                                            </button>
                                                        </form>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }}
                        }
                            .into_any()
                    })}
                </Suspense>
                <nav class="card links">
                    <a href="/suggest">{t!(i18n, suggest.title)}</a>
                    <a href="/suggest/track">{t!(i18n, suggest.track_title)}</a>
                </nav>
            </main>
        </div>
    }
}
