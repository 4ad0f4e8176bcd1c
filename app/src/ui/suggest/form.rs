//! `/suggest`: the current call, its rules and window, and the form. The form is a plain
//! HTML POST to `/suggest` (the server answers with this page, rendered with the receipt
//! or with the refusal and the input kept); once hydrated, it is sent with a server
//! function instead and similar suggestions are shown while the name is typed.
use super::api::{CampaignView, Receipt, SuggestInput, SuggestPageData, similar_suggestions, submit_suggestion};
use super::texts::wan;
use crate::domain::campaign::{AdoptedProject, CampaignPhase, MAX_NAME_CHARS};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::components::PageTitle;
use crate::ui::errors::ErrorAlert;
use crate::ui::forms::{Form, Posted, answer_posted};
use crate::ui::portal::PortalHeader;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The outcome of a form posted without JavaScript (server side only; the browser gets
/// it from the serialized resource).
async fn posted_submit() -> Option<Posted<Receipt>> {
    answer_posted(|f| submit_suggestion(SuggestInput::from_fields(|k| f.get(k)))).await
}

async fn page_data(campaign: Option<i64>) -> (Result<SuggestPageData, AppError>, Option<Posted<Receipt>>) {
    // The submission first, so a campaign that just closed is shown as closed.
    let posted = posted_submit().await;
    (super::api::suggest_page(campaign).await, posted)
}

#[component]
pub fn SuggestPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    // On the server a request's query never changes: read untracked there, so the resource
    // (which carries a posted submission) runs exactly once per request.
    let campaign = move |q: &leptos_router::params::ParamsMap| q.get("c").and_then(|c| c.parse::<i64>().ok());
    let data = Resource::new(move || if cfg!(feature = "ssr") { q.with_untracked(campaign) } else { q.with(campaign) }, page_data);
    let submit = Action::new(|input: &SuggestInput| submit_suggestion(input.clone()));
    view! {
        <PageTitle key=|l| td_string!(l, suggest.title).to_string() />
        <div class="portal">
            <PortalHeader />
            <main id="main" class="portal-main">
                <Suspense fallback=move || {
                    view! { <p class="muted">{t!(i18n, common.loading)}</p> }
                }>
                    {move || Suspend::new(async move {
                        let (d, posted) = data.await;
                        match d {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(d) => view! { <SuggestBody data=d posted submit /> }.into_any(),
                        }
                    })}
                </Suspense>
            </main>
        </div>
    }
}

#[component]
fn SuggestBody(data: SuggestPageData, posted: Option<Posted<Receipt>>, submit: Action<SuggestInput, Result<Receipt, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let Some(c) = data.campaign.clone() else {
        return view! {
            <h1>{t!(i18n, suggest.title)}</h1>
            <section class="card" data-testid="no-campaign">
                <p>{t!(i18n, suggest.none)}</p>
            </section>
        }
        .into_any();
    };
    let (posted_receipt, posted_error, input) = match posted {
        Some(p) => {
            let input = SuggestInput::from_fields(|k| p.get(k));
            match p.result {
                Ok(r) => (Some(r), None, input),
                Err(e) => (None, Some(e), input),
            }
        }
        None => (None, None, SuggestInput::default()),
    };
    // A memo, so a refused attempt (no receipt before, none after) does not redraw the
    // form and the typed input stays.
    let receipt = Memo::new(move |_| submit.value().get().and_then(|r| r.ok()).or_else(|| posted_receipt.clone()));
    let phase = c.phase;
    let others = data.others.clone();
    let title = c.campaign.title.clone();
    let campaign_id = c.campaign.id;
    let intro = c.clone();
    let places = data.places.clone();
    let adopted = data.adopted.clone();
    view! {
        <h1>{title}</h1>
        <CampaignIntro c=intro />
        {move || match receipt.get() {
            Some(r) => view! { <ReceiptCard r /> }.into_any(),
            None if phase == CampaignPhase::Open => {
                view! { <SuggestForm c=c.clone() places=places.clone() input=input.clone() error=posted_error.clone() submit /> }.into_any()
            }
            None => {
                view! {
                    <section class="card notice" data-testid="campaign-closed" role="status">
                        <p>
                            {move || {
                                if phase == CampaignPhase::Upcoming {
                                    t_string!(i18n, suggest.not_open_yet).to_string()
                                } else {
                                    t_string!(i18n, suggest.closed_text).to_string()
                                }
                            }}
                        </p>
                        {posted_error.clone().map(|e| view! { <ErrorAlert error=e /> })}
                    </section>
                    {(phase == CampaignPhase::Closed).then(|| view! { <AdoptedList projects=adopted.clone() /> })}
                }
                    .into_any()
            }
        }}
        <nav class="card links">
            <a href=format!("/suggest/list?c={campaign_id}")>{t!(i18n, suggest.see_list)}</a>
            <a href="/suggest/track">{t!(i18n, suggest.track_title)}</a>
            {(!others.is_empty()).then(|| view! { <p class="small muted links-head">{t!(i18n, suggest.earlier)}</p> })}
            {others.into_iter().map(|o| view! { <a href=format!("/suggest?c={}", o.campaign.id)>{o.campaign.title.clone()}</a> }).collect_view()}
        </nav>
    }
    .into_any()
}

/// Rules and window of a call.
#[component]
pub fn CampaignIntro(c: CampaignView) -> impl IntoView {
    let rules = c.campaign.rules.clone();
    view! {
        <section class="card campaign-intro" data-testid="campaign-intro">
            <CampaignWindow c />
            {(!rules.is_empty()).then(|| view! { <p class="rules">{rules.clone()}</p> })}
        </section>
    }
}

/// A call's phase and window on one line: "open, until …" or "window … — …".
#[component]
pub fn CampaignWindow(c: CampaignView) -> impl IntoView {
    let i18n = use_i18n();
    let (opens, closes) = (c.opens_day.clone(), c.closes_day.clone());
    let phase = c.phase;
    view! {
        <p class="window">
            <span class=move || {
                if phase == CampaignPhase::Open { "badge badge-green" } else { "badge badge-grey" }
            }>{move || super::texts::phase_text(i18n.get_locale(), phase)}</span>
            {move || match phase {
                CampaignPhase::Open => format!("{}{}", t_string!(i18n, suggest.open_until), closes),
                _ => format!("{} {} — {}", t_string!(i18n, suggest.window), opens, closes),
            }}
        </p>
    }
}

#[component]
fn ReceiptCard(r: Receipt) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card receipt" data-testid="receipt" role="status">
            <h2>{t!(i18n, suggest.received)}</h2>
            <p>{t!(i18n, suggest.keep_receipt)}</p>
            <dl class="facts big">
                <dt>{t!(i18n, track.code)}</dt>
                <dd class="mono" data-testid="receipt-code">
                    {r.code.clone()}
                </dd>
                <dt>{t!(i18n, track.secret)}</dt>
                <dd class="mono" data-testid="receipt-secret">
                    {r.secret.clone()}
                </dd>
            </dl>
            <p class="form-actions">
                <a class="btn btn-primary" href=format!("/suggest/track?code={}", r.code)>
                    {t!(i18n, suggest.track_title)}
                </a>
                <a class="btn btn-secondary" href="/suggest" rel="external">
                    {t!(i18n, suggest.another)}
                </a>
            </p>
        </section>
    }
}

#[component]
fn SuggestForm(
    c: CampaignView,
    places: Vec<crate::domain::org::Place>,
    input: SuggestInput,
    error: Option<AppError>,
    submit: Action<SuggestInput, Result<Receipt, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let campaign_id = c.campaign.id;
    let name = RwSignal::new(input.name.clone());
    // Similar suggestions, fetched in the browser only (effects do not run on the server)
    // while the name is typed; only the answer for the name still in the field is shown.
    let similar = RwSignal::new(Vec::<crate::domain::campaign::SuggestionRow>::new());
    Effect::new(move |_| {
        let n = name.get();
        leptos::task::spawn_local(async move {
            let rows = if n.trim().chars().count() < 2 { Vec::new() } else { similar_suggestions(campaign_id, n.clone()).await.unwrap_or_default() };
            if name.get_untracked() == n {
                similar.set(rows);
            }
        });
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if let Some(f) = Form::from_submit(&ev) {
            ev.prevent_default();
            submit.dispatch(SuggestInput::from_fields(|k| f.text(k)));
        }
    };
    let chosen_cat = input.category.clone();
    let chosen_area = input.area_id.clone();
    view! {
        <form class="form card" method="post" action="/suggest" on:submit=on_submit data-testid="suggest-form" novalidate>
            <input type="hidden" name="campaign" value=campaign_id />
            {error.map(|e| view! { <ErrorAlert error=e /> })}
            <label class="field">
                <span>{t!(i18n, suggestion_field.name)} <em class="req">"*"</em></span>
                <input
                    type="text"
                    name="name"
                    maxlength=MAX_NAME_CHARS
                    autocomplete="off"
                    value=input.name.clone()
                    on:input=move |ev| name.set(event_target_value(&ev))
                    aria-describedby="name-hint"
                />
                <small id="name-hint" class="hint">
                    {t!(i18n, suggest.name_hint)}
                </small>
            </label>
            {move || {
                Some(similar.get())
                    .filter(|v| !v.is_empty())
                    .map(|rows| {
                        view! {
                            <div class="similar" data-testid="similar" role="status">
                                <p class="small">{t!(i18n, suggest.similar_heading)}</p>
                                <ul>
                                    {rows
                                        .into_iter()
                                        .map(|r| {
                                            view! {
                                                <li>
                                                    {r.name.clone()}
                                                    <span class="muted small">
                                                        {format!(" · {} · {} ", r.category, r.supports)}{t!(i18n, suggest.supports)}
                                                    </span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                <p class="small">
                                    <a href=format!("/suggest/list?c={campaign_id}")>{t!(i18n, suggest.support_instead)}</a>
                                </p>
                            </div>
                        }
                    })
            }}
            <label class="field">
                <span>{t!(i18n, suggestion_field.content)} <em class="req">"*"</em></span>
                <textarea name="content" rows="3" maxlength="500" aria-describedby="content-hint">
                    {input.content.clone()}
                </textarea>
                <small id="content-hint" class="hint">
                    {t!(i18n, suggest.content_hint)}
                </small>
            </label>
            <label class="field">
                <span>{t!(i18n, suggestion_field.overview)} <em class="req">"*"</em></span>
                <textarea name="overview" rows="5" maxlength="2000" aria-describedby="overview-hint">
                    {input.overview.clone()}
                </textarea>
                <small id="overview-hint" class="hint">
                    {t!(i18n, suggest.overview_hint)}
                </small>
            </label>
            <label class="field">
                <span>{t!(i18n, suggestion_field.category)} <em class="req">"*"</em></span>
                <select name="category">
                    <option value="">{t!(i18n, case.choose)}</option>
                    {c
                        .campaign
                        .categories
                        .iter()
                        .map(|cat| {
                            let sel = *cat == chosen_cat;
                            view! {
                                <option value=cat.clone() selected=sel>
                                    {cat.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t!(i18n, suggest.area)}</span>
                <select name="area_id">
                    <option value="">{t!(i18n, suggest.area_whole)}</option>
                    {places
                        .into_iter()
                        .map(|p| {
                            let sel = p.id.to_string() == chosen_area;
                            view! {
                                <option value=p.id selected=sel>
                                    {p.path.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <fieldset class="contact">
                <legend>{t!(i18n, report.contact)}</legend>
                <p class="muted small">{t!(i18n, suggest.contact_hint)}</p>
                <label class="field">
                    <span>{t!(i18n, report.name)}</span>
                    <input type="text" name="person" maxlength="30" autocomplete="name" value=input.person.clone() />
                </label>
                <label class="field">
                    <span>{t!(i18n, report.phone)}</span>
                    <input type="tel" name="phone" maxlength="20" autocomplete="tel" value=input.phone.clone() />
                </label>
                <label class="check consent">
                    <input type="checkbox" name="consent" value="yes" checked=!input.consent.is_empty() />
                    <span>{t!(i18n, suggest.consent)}</span>
                </label>
            </fieldset>
            // People never see this field; programs that fill in every field do.
            <div class="hp" aria-hidden="true">
                <label>{t!(i18n, suggest.honeypot)}<input type="text" name="website" tabindex="-1" autocomplete="off" value="" /></label>
            </div>
            {move || submit.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
            <div class="form-actions">
                <button type="submit" class="btn btn-primary btn-large" disabled=move || submit.pending().get()>
                    {t!(i18n, suggest.submit)}
                </button>
            </div>
        </form>
    }
}

/// The adopted projects of a call, with progress.
#[component]
pub fn AdoptedList(projects: Vec<AdoptedProject>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="adopted-list">
            <h2>{t!(i18n, suggest.adopted_heading)}</h2>
            {if projects.is_empty() {
                view! { <p class="muted">{t!(i18n, suggest.adopted_none)}</p> }.into_any()
            } else {
                view! {
                    <ol class="adopted">
                        {projects
                            .into_iter()
                            .map(|p| {
                                view! {
                                    <li>
                                        <strong>{p.row.name.clone()}</strong>
                                        <span class="muted small">
                                            {format!(" · {}", p.row.category)}{p.row.area_name.clone().map(|a| format!(" · {a}"))}
                                        </span>
                                        <p>{p.row.content.clone()}</p>
                                        <p class="small">
                                            {p
                                                .cost_yuan
                                                .map(|c| {
                                                    view! { <span>{t!(i18n, review.cost)} {format!(" {} ", wan(c))} {t!(i18n, review.wan)} " · "</span> }
                                                })} {p.period.clone().map(|pd| view! { <span>{t!(i18n, review.period)} {format!(" {pd} · ")}</span> })}
                                            <span>{t!(i18n, review.progress)} {format!(" {}%", p.progress)}</span>
                                        </p>
                                        <progress max="100" value=p.progress></progress>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>
    }
}
