//! `/center/risk/:id`: one warning — what raised it and the cases behind it, its
//! assessment, the case it is handled through (a palm command launched from here), its
//! result — and the next step for a commander or supervisor.
use super::api::{ActOnWarning, fetch_warning};
use super::texts::{level_class, level_text, rule_text, status_text, title_text};
use crate::domain::risk::{Level, Status, WarningDetail};
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use crate::ui::live::feed::use_live;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn RiskWarningPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = leptos_router::hooks::use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0)));
    let act = ServerAction::<ActOnWarning>::new();
    let live = use_live();
    let pushed = live.pushed(move |n| n.kind == crate::domain::notice::kind::RISK && n.title == id.get().to_string());
    let detail = Resource::new(move || (id.get(), act.version().get(), pushed.get()), |(id, _, _)| fetch_warning(id));
    view! {
        <PageTitle key=|l| td_string!(l, risk.title).to_string() />
        <CenterLayout>
            <p>
                <a href="/center/risk">{t!(i18n, risk.back)}</a>
            </p>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    detail
                        .get()
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
fn Detail(d: WarningDetail, act: ServerAction<ActOnWarning>) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let WarningDetail { warning: w, evidence, handled, may_assess, may_decide } = d;
    let id = w.id;
    let first_code = evidence.first().map(|e| e.code.clone()).unwrap_or_default();
    let status = w.status;
    let error = move || act.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> });
    let level = w.level.map(|v| level_text(l, v).to_string()).unwrap_or_else(|| t_string!(i18n, risk.unassessed).to_string());
    let facts = view! {
        <dl class="facts">
            <dt>{t!(i18n, risk.rule)}</dt>
            <dd>{rule_text(l, w.rule)}</dd>
            <dt>{t!(i18n, risk.raised_at)}</dt>
            <dd>{format_instant(w.raised_ms)}</dd>
            <dt>{t!(i18n, risk.township)}</dt>
            <dd>{w.township.clone().unwrap_or_else(|| "—".into())}</dd>
            {w
                .note
                .clone()
                .map(|n| {
                    view! {
                        <dt>{t!(i18n, risk.note)}</dt>
                        <dd data-testid="risk-note">{n}</dd>
                    }
                })}
            {handled
                .clone()
                .map(|(code, command)| {
                    view! {
                        <dt>{t!(i18n, risk.handled_by)}</dt>
                        <dd data-testid="risk-handled">
                            <a href=format!("/center/cases/{}", w.handled_case.unwrap_or(0))>{code}</a>
                            {command
                                .then(|| {
                                    view! {
                                        " "
                                        <span class="badge badge-amber">{t!(i18n, risk.in_command)}</span>
                                    }
                                })}
                        </dd>
                    }
                })}
            {w
                .result
                .clone()
                .map(|r| {
                    view! {
                        <dt>{t!(i18n, risk.result)}</dt>
                        <dd data-testid="risk-result">{r}</dd>
                    }
                })}
            {w
                .dismiss_reason
                .clone()
                .map(|r| {
                    view! {
                        <dt>{t!(i18n, risk.dismiss_reason)}</dt>
                        <dd>{r}</dd>
                    }
                })}
        </dl>
    };
    let assess = (may_assess && matches!(status, Status::Raised | Status::Assessed)).then(|| {
        view! {
            <ActionForm action=act attr:class="card" attr:data-testid="risk-assess">
                <h2>{t!(i18n, risk.assess)}</h2>
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="step" value="assess" />
                <fieldset class="levels">
                    <legend>{t!(i18n, risk.level)}</legend>
                    {Level::ALL
                        .iter()
                        .map(|v| {
                            view! {
                                <label class="check">
                                    <input type="radio" name="level" value=v.code() required checked=w.level == Some(*v) />
                                    <span class=level_class(Some(*v))>{level_text(l, *v)}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <label class="field">
                    <span>{t!(i18n, risk.note)}</span>
                    <textarea name="text" rows="3" maxlength="2000" required data-testid="assess-note"></textarea>
                </label>
                <button type="submit" class="btn btn-primary" data-testid="assess-submit">
                    {t!(i18n, risk.assess)}
                </button>
            </ActionForm>
        }
    });
    let handle = (may_decide && matches!(status, Status::Assessed | Status::Handled)).then(|| {
        view! {
            <ActionForm action=act attr:class="card" attr:data-testid="risk-handle">
                <h2>{t!(i18n, risk.handle)}</h2>
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="step" value="handle" />
                <label class="field">
                    <span>{t!(i18n, risk.handle_case)}</span>
                    <input name="code" required value=first_code.clone() data-testid="handle-code" autocapitalize="characters" />
                </label>
                <label class="check">
                    <input type="checkbox" name="launch" value="1" checked data-testid="handle-launch" />
                    <span>{t!(i18n, risk.handle_launch)}</span>
                </label>
                <button type="submit" class="btn btn-primary" data-testid="handle-submit">
                    {t!(i18n, risk.handle)}
                </button>
            </ActionForm>
        }
    });
    let close = (may_decide && status == Status::Handled).then(|| {
        view! {
            <ActionForm action=act attr:class="card" attr:data-testid="risk-close">
                <h2>{t!(i18n, risk.close)}</h2>
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="step" value="close" />
                <label class="field">
                    <span>{t!(i18n, risk.result)}</span>
                    <textarea name="text" rows="3" maxlength="2000" required data-testid="close-result"></textarea>
                </label>
                <button type="submit" class="btn btn-primary" data-testid="close-submit">
                    {t!(i18n, risk.close)}
                </button>
            </ActionForm>
        }
    });
    let dismiss = (may_decide && matches!(status, Status::Raised | Status::Assessed)).then(|| {
        view! {
            <details class="card">
                <summary>{t!(i18n, risk.dismiss)}</summary>
                <ActionForm action=act attr:data-testid="risk-dismiss">
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="step" value="dismiss" />
                    <label class="field">
                        <span>{t!(i18n, risk.dismiss_reason)}</span>
                        <textarea name="text" rows="2" maxlength="2000" required></textarea>
                    </label>
                    <span class="muted small">{t!(i18n, risk.dismiss_hint)}</span>
                    <button type="submit" class="btn btn-secondary" data-testid="dismiss-submit">
                        {t!(i18n, risk.dismiss)}
                    </button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <div class="risk-head">
            <h1 data-testid="risk-title">{title_text(l, &w)}</h1>
            <p>
                <span class=level_class(w.level) data-testid="risk-level">
                    {level}
                </span>
                <span class="badge badge-grey" data-testid="risk-status" data-status=status.code()>
                    {status_text(l, status)}
                </span>
            </p>
        </div>
        <div class="case-grid">
            <div class="case-main">
                <section class="card">{facts}</section>
                <section class="card">
                    <h2>{t!(i18n, risk.evidence)} " (" {evidence.len()} ")"</h2>
                    <ul class="evidence" data-testid="risk-evidence">
                        {evidence
                            .into_iter()
                            .map(|e| {
                                view! {
                                    <li>
                                        <a href=format!("/center/cases/{}", e.case_id)>{e.code.clone()}</a>
                                        " "
                                        {e.title.clone()}
                                        " "
                                        <span class="muted small">{format_instant(e.received_ms)}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            </div>
            <aside class="case-side">{error}{assess}{handle}{close}{dismiss}</aside>
        </div>
    }
}
