//! `/center/suggestions/:id`: one suggestion with its history and exactly the review
//! steps its status allows (the same list the server accepts).
use super::api::{ReviewSuggestion, SuggestionDetail, fetch_suggestion_detail, reveal_suggestion_contact};
use super::texts::{SuggestionBadge, event_text, kind_text, verdict_text, wan};
use crate::domain::campaign::{ReviewKind, Verdict};
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::contact::ContactReveal;
use crate::ui::errors::ErrorAlert;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SuggestionReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let act = ServerAction::<ReviewSuggestion>::new();
    let data = Resource::new(move || (id(), act.version().get()), |(id, _)| fetch_suggestion_detail(id));
    view! {
        <PageTitle key=|l| td_string!(l, review.title).to_string() />
        <CenterLayout>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    data.get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(d) => view! { <Detail d act /> }.into_any(),
                        })
                }}
            </Transition>
        </CenterLayout>
    }
}

#[component]
fn Detail(d: SuggestionDetail, act: ServerAction<ReviewSuggestion>) -> impl IntoView {
    let i18n = use_i18n();
    let r = d.row.clone();
    let unit = d.unit_name.clone();
    let merged = d.merged_into_code.clone();
    let answer = d.state.answer.clone();
    let vote = d.state.vote;
    let suggestion_id = r.id;
    let reveal_contact = Action::new(move |_: &()| reveal_suggestion_contact(suggestion_id));
    view! {
        <div class="page-head">
            <h1>{r.name.clone()}</h1>
            <div class="page-head-actions">
                <a class="btn btn-ghost" href=format!("/center/campaigns/{}", d.campaign.campaign.id)>
                    "← "
                    {d.campaign.campaign.title.clone()}
                </a>
            </div>
        </div>
        <div class="detail-grid">
            <section class="card">
                <p>
                    <span class="mono">{r.code.clone()}</span>
                    " "
                    <SuggestionBadge status=d.state.status />
                </p>
                <dl class="facts">
                    <dt>{t!(i18n, suggestion_field.content)}</dt>
                    <dd>{r.content.clone()}</dd>
                    <dt>{t!(i18n, suggestion_field.overview)}</dt>
                    <dd class="pre">{r.overview.clone()}</dd>
                    <dt>{t!(i18n, suggestion_field.category)}</dt>
                    <dd>{r.category.clone()}</dd>
                    <dt>{t!(i18n, suggest.area)}</dt>
                    <dd>{r.area_name.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>{t!(i18n, review.author)}</dt>
                    <dd>
                        <ContactReveal view=d.contact.clone() reveal=reveal_contact />
                    </dd>
                    <dt>{t!(i18n, suggest.supports)}</dt>
                    <dd>{r.supports}</dd>
                    <dt>{t!(i18n, case.received_at)}</dt>
                    <dd>{format_instant(r.created_ms)}</dd>
                    {unit
                        .clone()
                        .map(|u| {
                            view! {
                                <dt>{t!(i18n, suggest.unit)}</dt>
                                <dd>{u}</dd>
                            }
                        })}
                    {d
                        .state
                        .hidden_reason
                        .clone()
                        .map(|h| {
                            view! {
                                <dt>{t!(i18n, suggest.hidden_reason)}</dt>
                                <dd>{h}</dd>
                            }
                        })}
                    {merged
                        .clone()
                        .map(|m| {
                            view! {
                                <dt>{t!(i18n, track.merged_into)}</dt>
                                <dd class="mono">{m}</dd>
                            }
                        })}
                    {answer
                        .map(|a| {
                            view! {
                                <dt>{t!(i18n, review.answer)}</dt>
                                <dd data-testid="answer">
                                    {move || verdict_text(i18n.get_locale(), a.verdict)} "。" {a.reason.clone()}
                                    {a
                                        .cost_yuan
                                        .map(|c| {
                                            view! {
                                                <br />
                                                {t!(i18n, review.cost)}
                                                {format!(" {} ", wan(c))}
                                                {t!(i18n, review.wan)}
                                            }
                                        })}
                                    {a
                                        .period
                                        .clone()
                                        .map(|p| {
                                            view! {
                                                <br />
                                                {t!(i18n, review.period)}
                                                {format!(" {p}")}
                                            }
                                        })}
                                </dd>
                            }
                        })}
                    {vote
                        .map(|v| {
                            view! {
                                <dt>{t!(i18n, review.vote)}</dt>
                                <dd>{format!("{} / {} / {}", v.yes, v.no, v.abstain)}</dd>
                            }
                        })}
                    {(d.state.progress > 0)
                        .then(|| {
                            view! {
                                <dt>{t!(i18n, review.progress)}</dt>
                                <dd>{format!("{}%", d.state.progress)}</dd>
                            }
                        })}
                </dl>
                <h2>{t!(i18n, case.timeline)}</h2>
                <ol class="timeline" data-testid="suggestion-history">
                    {d
                        .history
                        .iter()
                        .rev()
                        .cloned()
                        .map(|e| {
                            let (unit, merged) = (unit.clone(), merged.clone());
                            view! {
                                <li>
                                    <div class="timeline-meta">
                                        <time>{format_instant(e.at)}</time>
                                        " "
                                        <span class="muted">{e.actor.clone().unwrap_or_default()}</span>
                                    </div>
                                    <div class="timeline-text">{move || event_text(i18n.get_locale(), &e.event, unit.as_deref(), merged.as_deref())}</div>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </section>
            <section class="card actions" data-testid="review-actions">
                <h2>{t!(i18n, case.actions)}</h2>
                {move || act.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
                {if d.actions.is_empty() {
                    view! { <p class="muted">{t!(i18n, case.no_actions)}</p> }.into_any()
                } else {
                    d.actions.iter().map(|k| view! { <ActionBox kind=*k d=d.clone() act /> }).collect_view().into_any()
                }}
            </section>
        </div>
    }
}

/// One review step as a small form; the server function reads the fields its kind needs.
#[component]
fn ActionBox(kind: ReviewKind, d: SuggestionDetail, act: ServerAction<ReviewSuggestion>) -> impl IntoView {
    let i18n = use_i18n();
    let id = d.row.id;
    let fields = match kind {
        ReviewKind::Hide => view! {
            <label class="field">
                <span>{t!(i18n, case_field.reason)}</span>
                <textarea name="reason" rows="2" maxlength="500" required></textarea>
            </label>
            <p class="muted small">{t!(i18n, review.hide_hint)}</p>
        }
        .into_any(),
        ReviewKind::Merge => view! {
            <label class="field">
                <span>{t!(i18n, review.merge_into)}</span>
                <select name="into" required>
                    <option value="">{t!(i18n, case.choose)}</option>
                    {d.similar.iter().map(|s| view! { <option value=s.id>{format!("{} {}", s.code, s.name)}</option> }).collect_view()}
                </select>
            </label>
            <p class="muted small">{t!(i18n, review.merge_hint)}</p>
        }
        .into_any(),
        ReviewKind::Assign => view! {
            <label class="field">
                <span>{t!(i18n, suggest.unit)}</span>
                <select name="unit" required>
                    <option value="">{t!(i18n, case.choose)}</option>
                    {d
                        .units
                        .iter()
                        .map(|u| {
                            let sel = d.state.unit == Some(u.id);
                            view! {
                                <option value=u.id selected=sel>
                                    {u.name.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        }
        .into_any(),
        ReviewKind::Answer => view! {
            <label class="field">
                <span>{t!(i18n, review.verdict)}</span>
                <select name="verdict" required>
                    {Verdict::ALL
                        .iter()
                        .map(|v| {
                            let v = *v;
                            view! { <option value=v.code()>{move || verdict_text(i18n.get_locale(), v)}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t!(i18n, case_field.reason)}</span>
                <textarea name="reason" rows="2" maxlength="1000" required></textarea>
            </label>
            <label class="field">
                <span>{t!(i18n, review.cost)} " (" {t!(i18n, review.wan)} ")"</span>
                <input type="number" name="cost" min="0" step="0.01" inputmode="decimal" />
            </label>
            <label class="field">
                <span>{t!(i18n, review.period)}</span>
                <input type="text" name="period" maxlength="100" />
            </label>
        }
        .into_any(),
        ReviewKind::Vote => view! {
            <div class="vote-grid">
                <label class="field">
                    <span>{t!(i18n, review.yes)}</span>
                    <input type="number" name="yes" min="0" max="10000" required />
                </label>
                <label class="field">
                    <span>{t!(i18n, review.no)}</span>
                    <input type="number" name="no" min="0" max="10000" value="0" />
                </label>
                <label class="field">
                    <span>{t!(i18n, review.abstain)}</span>
                    <input type="number" name="abstain" min="0" max="10000" value="0" />
                </label>
            </div>
            <p class="muted small">{t!(i18n, review.vote_hint)}</p>
        }
        .into_any(),
        ReviewKind::Progress => view! {
            <label class="field">
                <span>{t!(i18n, review.percent)}</span>
                <input type="number" name="percent" min=d.state.progress max="100" required />
            </label>
            <label class="field">
                <span>{t!(i18n, case_field.note)}</span>
                <textarea name="note" rows="2" maxlength="500" required></textarea>
            </label>
        }
        .into_any(),
        ReviewKind::Shortlist | ReviewKind::Publish => ().into_any(),
    };
    view! {
        <ActionForm action=act attr:class="form action-box" attr:data-testid=format!("action-{}", kind.code())>
            <h3>{move || kind_text(i18n.get_locale(), kind)}</h3>
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="kind" value=kind.code() />
            {fields}
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || act.pending().get()>
                    {move || kind_text(i18n.get_locale(), kind)}
                </button>
            </div>
        </ActionForm>
    }
}
