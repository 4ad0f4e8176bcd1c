//! `/suggest/track`: a suggestion's status and history for whoever holds its code and
//! secret. A plain POST without JavaScript, a server function with it.
use super::api::{SuggestionTrack, track_suggestion};
use super::texts::{SuggestionBadge, event_text};
use crate::i18n::*;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use crate::ui::forms::{Posted, answer_posted};
use crate::ui::portal::PortalHeader;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

async fn posted_track() -> Option<Posted<SuggestionTrack>> {
    answer_posted(|f| track_suggestion(f.get("code"), f.get("secret"))).await
}

#[component]
pub fn SuggestTrackPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let posted = Resource::new(|| (), |_| posted_track());
    let code = StoredValue::new(q.with_untracked(|q| q.get("code").unwrap_or_default()));
    let lookup = Action::new(|(c, s): &(String, String)| track_suggestion(c.clone(), s.clone()));
    // The fields as they are in the form, whatever was typed before the page hydrated.
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if let Some(f) = crate::ui::forms::Form::from_submit(&ev) {
            ev.prevent_default();
            lookup.dispatch((f.text("code"), f.text("secret")));
        }
    };
    view! {
        <PageTitle key=|l| td_string!(l, suggest.track_title).to_string() />
        <div class="portal">
            <PortalHeader />
            <main id="main" class="portal-main">
                <h1>{t!(i18n, suggest.track_title)}</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let p = posted.await;
                        let initial = p.as_ref().map(|p| p.get("code")).unwrap_or_else(|| code.get_value());
                        view! {
                            <form class="form card" method="post" action="/suggest/track" on:submit=on_submit data-testid="suggest-track-form">
                                <label class="field">
                                    <span>{t!(i18n, track.code)}</span>
                                    <input type="text" name="code" required autocomplete="off" autocapitalize="characters" value=initial />
                                </label>
                                <label class="field">
                                    <span>{t!(i18n, track.secret)}</span>
                                    <input type="text" name="secret" required autocomplete="off" autocapitalize="characters" />
                                </label>
                                <div class="form-actions">
                                    <button type="submit" class="btn btn-primary btn-large" disabled=move || lookup.pending().get()>
                                        {t!(i18n, track.submit)}
                                    </button>
                                </div>
                            </form>
                            {move || {
                                lookup
                                    .value()
                                    .get()
                                    .or_else(|| p.clone().map(|p| p.result))
                                    .map(|r| match r {
                                        Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                                        Ok(t) => view! { <TrackResult t /> }.into_any(),
                                    })
                            }}
                        }
                    })}
                </Suspense>
            </main>
        </div>
    }
}

#[component]
fn TrackResult(t: SuggestionTrack) -> impl IntoView {
    let i18n = use_i18n();
    let unit = t.unit_name.clone();
    let merged = t.merged_into_code.clone();
    view! {
        <section class="card" data-testid="suggest-track-result">
            <h2>{t.row.name.clone()}</h2>
            <p>
                <span class="mono">{t.row.code.clone()}</span>
                " "
                <SuggestionBadge status=t.state.status />
            </p>
            <dl class="facts">
                <dt>{t!(i18n, suggest.campaign)}</dt>
                <dd>{t.campaign_title.clone()}</dd>
                <dt>{t!(i18n, suggestion_field.category)}</dt>
                <dd>{t.row.category.clone()}</dd>
                <dt>{t!(i18n, suggestion_field.content)}</dt>
                <dd>{t.row.content.clone()}</dd>
                {t
                    .state
                    .hidden_reason
                    .clone()
                    .map(|r| {
                        view! {
                            <dt>{t!(i18n, suggest.hidden_reason)}</dt>
                            <dd data-testid="hidden-reason">{r}</dd>
                        }
                    })}
                {t
                    .merged_into_code
                    .clone()
                    .map(|c| {
                        view! {
                            <dt>{t!(i18n, track.merged_into)}</dt>
                            <dd class="mono">{c}</dd>
                        }
                    })}
                {t
                    .unit_name
                    .clone()
                    .map(|u| {
                        view! {
                            <dt>{t!(i18n, suggest.unit)}</dt>
                            <dd>{u}</dd>
                        }
                    })}
            </dl>
            <h3>{t!(i18n, case.timeline)}</h3>
            <ol class="timeline" data-testid="suggest-history">
                {t
                    .history
                    .into_iter()
                    .rev()
                    .map(|e| {
                        let (unit, merged) = (unit.clone(), merged.clone());
                        view! {
                            <li>
                                <div class="timeline-meta">
                                    <time>{format_instant(e.at)}</time>
                                </div>
                                <div class="timeline-text">{move || event_text(i18n.get_locale(), &e.event, unit.as_deref(), merged.as_deref())}</div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
