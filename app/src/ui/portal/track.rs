//! Following a case with its code and secret, and rating the result when asked.
use super::PortalHeader;
use crate::domain::case::{PublicStep, TrackView};
use crate::i18n::*;
use crate::ui::cases::api::{RateCase, rate_case, track_case};
use crate::ui::cases::texts::StatusBadge;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use crate::ui::forms::{Posted, answer_posted};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn step_text(l: Locale, s: &PublicStep) -> String {
    match s {
        PublicStep::Received => td_string!(l, track.step_received).to_string(),
        PublicStep::Rejected { reason } => format!("{}：{reason}", td_string!(l, track.step_rejected)),
        PublicStep::Merged => td_string!(l, track.step_merged).to_string(),
        PublicStep::Dispatched { units } => format!("{}：{}", td_string!(l, track.step_dispatched), units.join("、")),
        PublicStep::InProgress => td_string!(l, track.step_in_progress).to_string(),
        PublicStep::Progress { unit, text } => format!("{unit}：{text}"),
        PublicStep::Resolved { result } => format!("{}：{result}", td_string!(l, track.step_resolved)),
        PublicStep::Verified => td_string!(l, track.step_verified).to_string(),
        PublicStep::FollowUp => td_string!(l, track.step_follow_up).to_string(),
        PublicStep::Rated { satisfied: true } => td_string!(l, track.step_satisfied).to_string(),
        PublicStep::Rated { satisfied: false } => td_string!(l, track.step_unsatisfied).to_string(),
        PublicStep::Closed => td_string!(l, track.step_closed).to_string(),
        PublicStep::Reopened => td_string!(l, track.step_reopened).to_string(),
    }
}

/// A look-up, or a rating and then the look-up, as posted without JavaScript.
async fn posted_track() -> Option<Posted<TrackView>> {
    answer_posted(|f| async move {
        let (code, secret, satisfied) = (f.get("code"), f.get("secret"), f.get("satisfied"));
        if !satisfied.is_empty() {
            rate_case(code.clone(), secret.clone(), satisfied == "true", f.get("comment")).await?;
        }
        track_case(code, secret).await
    })
    .await
}

#[component]
pub fn TrackPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let posted = Resource::new(|| (), |_| posted_track());
    view! {
        <PageTitle key=|l| td_string!(l, track.title).to_string() />
        <div class="portal">
            <PortalHeader />
            <main id="main" class="portal-main">
                <h1>{t!(i18n, track.title)}</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let p = posted.await;
                        let code = p.as_ref().map(|p| p.get("code")).unwrap_or_else(|| q.with_untracked(|q| q.get("code").unwrap_or_default()));
                        view! { <TrackForms posted=p code /> }
                    })}
                </Suspense>
                <super::CrossLink href="/report" lead=|l| td_string!(l, portal.cross_not_yet) go=|l| td_string!(l, report.title) />
            </main>
        </div>
    }
}

/// The look-up form and what it found; the rating goes through the same page.
#[component]
fn TrackForms(posted: Option<Posted<TrackView>>, code: String) -> impl IntoView {
    let i18n = use_i18n();
    let code = RwSignal::new(code);
    let secret = RwSignal::new(posted.as_ref().map(|p| p.get("secret")).unwrap_or_default());
    let rated_without_js = posted.as_ref().is_some_and(|p| !p.get("satisfied").is_empty() && p.result.is_ok());
    let first = posted.map(|p| p.result);
    let lookup = Action::new(|(c, s): &(String, String)| track_case(c.clone(), s.clone()));
    let rate = ServerAction::<RateCase>::new();
    // After a rating, read the case again to show where it went.
    Effect::new(move |_| {
        if let Some(Ok(())) = rate.value().get() {
            lookup.dispatch((code.get_untracked(), secret.get_untracked()));
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        lookup.dispatch((code.get_untracked(), secret.get_untracked()));
    };
    let result = move || lookup.value().get().or_else(|| first.clone());
    let rated = move || rated_without_js || matches!(rate.value().get(), Some(Ok(())));
    view! {
        <form class="form card" method="post" action="/track" on:submit=on_submit data-testid="track-form">
            <label class="field">
                <span>{t!(i18n, track.code)}</span>
                <input
                    type="text"
                    name="code"
                    required
                    autocomplete="off"
                    autocapitalize="characters"
                    value=code.get_untracked()
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))
                />
            </label>
            <label class="field">
                <span>{t!(i18n, track.secret)}</span>
                <input
                    type="text"
                    name="secret"
                    required
                    autocomplete="off"
                    autocapitalize="characters"
                    value=secret.get_untracked()
                    prop:value=move || secret.get()
                    on:input=move |ev| secret.set(event_target_value(&ev))
                />
            </label>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary btn-large" disabled=move || lookup.pending().get()>
                    {t!(i18n, track.submit)}
                </button>
            </div>
        </form>
        {move || {
            rated()
                .then(|| {
                    view! {
                        <p class="alert alert-ok" role="status" data-testid="rated">
                            {t!(i18n, track.rated)}
                        </p>
                    }
                })
        }}
        {move || {
            result()
                .map(|r| match r {
                    Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                    Ok(v) => view! { <TrackResult view=v code secret rate /> }.into_any(),
                })
        }}
    }
}

#[component]
fn TrackResult(view: TrackView, code: RwSignal<String>, secret: RwSignal<String>, rate: ServerAction<RateCase>) -> impl IntoView {
    let i18n = use_i18n();
    let history = view.history.clone();
    let comment = RwSignal::new(String::new());
    view! {
        <section class="card" data-testid="track-result">
            <h2>{view.title.clone()}</h2>
            <p>
                <span class="mono">{view.code.clone()}</span>
                " "
                <StatusBadge status=view.status />
                " "
                <span class="muted">{view.category_name.clone()}</span>
            </p>
            <dl class="facts">
                <dt>{t!(i18n, case.received_at)}</dt>
                <dd>{format_instant(view.received_ms)}</dd>
                {view
                    .reporter_name
                    .clone()
                    .map(|n| {
                        view! {
                            <dt>{t!(i18n, report.name)}</dt>
                            <dd>{n}</dd>
                        }
                    })}
                {view
                    .reporter_phone
                    .clone()
                    .map(|p| {
                        view! {
                            <dt>{t!(i18n, report.phone)}</dt>
                            <dd class="mono">{p}</dd>
                        }
                    })}
                {view
                    .result
                    .clone()
                    .map(|r| {
                        view! {
                            <dt>{t!(i18n, case_field.result)}</dt>
                            <dd>{r}</dd>
                        }
                    })}
                {view
                    .merged_into_code
                    .clone()
                    .map(|c| {
                        view! {
                            <dt>{t!(i18n, track.merged_into)}</dt>
                            <dd class="mono">{c}</dd>
                        }
                    })}
            </dl>
            {view
                .can_rate
                .then(|| {
                    let satisfied = RwSignal::new(true);
                    let on_rate = move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        let comment = comment.get_untracked();
                        rate.dispatch(RateCase {
                            code: code.get_untracked(),
                            secret: secret.get_untracked(),
                            satisfied: satisfied.get_untracked(),
                            comment,
                        });
                    };
                    view! {
                        <form class="rate" method="post" action="/track" on:submit=on_rate data-testid="rate">
                            <h3>{t!(i18n, track.rate_heading)}</h3>
                            // Attributes, not properties: a page without JavaScript sends what the server wrote.
                            <input type="hidden" name="code" value=move || code.get() />
                            <input type="hidden" name="secret" value=move || secret.get() />
                            <label class="field">
                                <span>{t!(i18n, case_field.comment)}</span>
                                <textarea
                                    name="comment"
                                    rows="2"
                                    maxlength="500"
                                    prop:value=move || comment.get()
                                    on:input=move |ev| comment.set(event_target_value(&ev))
                                ></textarea>
                            </label>
                            <div class="form-actions">
                                // Which button sent the form (`satisfied`): the browser reports it in a plain POST itself.
                                {[(true, "btn btn-primary btn-large"), (false, "btn btn-secondary btn-large")]
                                    .into_iter()
                                    .map(|(yes, class)| {
                                        view! {
                                            <button
                                                type="submit"
                                                name="satisfied"
                                                value=yes.to_string()
                                                class=class
                                                on:click=move |_| satisfied.set(yes)
                                                disabled=move || rate.pending().get()
                                            >
                                                {move || {
                                                    if yes {
                                                        t_string!(i18n, track.satisfied).to_string()
                                                    } else {
                                                        t_string!(i18n, track.unsatisfied).to_string()
                                                    }
                                                }}
                                            </button>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                            {move || rate.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
                        </form>
                    }
                })}
            <h3>{t!(i18n, case.timeline)}</h3>
            <ol class="timeline" data-testid="public-timeline">
                {history
                    .into_iter()
                    .rev()
                    .map(|(at, step)| {
                        view! {
                            <li>
                                <div class="timeline-meta">
                                    <time>{format_instant(at)}</time>
                                </div>
                                <div class="timeline-text">{move || step_text(i18n.get_locale(), &step)}</div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
