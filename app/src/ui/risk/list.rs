//! `/center/risk`: the year's figures, then the warnings still open (or finished, or all),
//! newest first and live — a warning raised anywhere appears without a reload — and a form
//! to raise one by hand.
use super::api::{RaiseWarning, fetch_warnings};
use super::panel::RiskPanel;
use super::texts::{level_class, level_text, rule_text, status_text, title_text};
use crate::domain::risk::{Rule, Warning, WarningPage};
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use crate::ui::live::feed::{LiveDot, use_live};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RiskListPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let showing = Memo::new(move |_| q.with(|q| q.get("showing").unwrap_or_else(|| "open".into())));
    let rule = Memo::new(move |_| q.with(|q| q.get("rule").unwrap_or_default()));
    let after = Memo::new(move |_| q.with(|q| q.get("after").unwrap_or_default()));
    let level = Memo::new(move |_| q.with(|q| q.get("level")));
    let township = Memo::new(move |_| q.with(|q| q.get("township")));
    let since = Memo::new(move |_| q.with(|q| q.get("since")));
    let raise = ServerAction::<RaiseWarning>::new();
    let live = use_live();
    let pushed = live.pushed_of(crate::domain::notice::kind::RISK);
    let page = Resource::new(
        move || (showing.get(), rule.get(), after.get(), (level.get(), township.get(), since.get()), raise.version().get(), pushed.get()),
        |(s, r, a, (l, t, y), _, _)| fetch_warnings(s, r, a, l, t, y),
    );
    view! {
        <PageTitle key=|l| td_string!(l, risk.title).to_string() />
        <CenterLayout>
            <div class="page-head">
                <h1>{t!(i18n, risk.title)} " " <LiveDot live /></h1>
                <div class="page-head-actions">
                    <a class="btn btn-secondary" href="/center/mediation">
                        {t!(i18n, mediation.rate_title)}
                    </a>
                </div>
            </div>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    page.get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(p) => view! { <Warnings page=p showing=showing.get_untracked() rule=rule.get_untracked() raise /> }.into_any(),
                        })
                }}
            </Transition>
        </CenterLayout>
    }
}

#[component]
fn Warnings(page: WarningPage, showing: String, rule: String, raise: ServerAction<RaiseWarning>) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let WarningPage { figures, warnings, next, may_raise } = page;
    let tab = |key: &'static str, label: String| {
        let current = showing == key;
        view! {
            <a class=if current { "tab active" } else { "tab" } href=format!("/center/risk?showing={key}") aria-current=current.then_some("page")>
                {label}
            </a>
        }
    };
    let q = use_query_map().get_untracked();
    let level_name = q.get("level").and_then(|v| v.parse::<crate::domain::risk::Level>().ok()).map(|v| level_text(l, v).to_string());
    let town_name = q.get("township").and_then(|t| figures.by_township.iter().find(|x| x.key == t).map(|x| x.label.clone()));
    let rule_name = rule.parse::<Rule>().ok().map(|r| rule_text(l, r).to_string());
    let narrowed: Vec<String> = [rule_name, level_name, town_name].into_iter().flatten().collect();
    let keep = |k: &str| q.get(k).map(|v| format!("&{k}={v}")).unwrap_or_default();
    let more = next.map(|n| format!("/center/risk?showing={showing}{}{}{}{}&after={n}", keep("rule"), keep("level"), keep("township"), keep("since")));
    view! {
        <div class="risk-figures">
            <RiskPanel figures testid="risk-figures" />
        </div>
        <nav class="tabs" aria-label=t_string!(i18n, risk.title).to_string()>
            {tab("open", t_string!(i18n, risk.show_open).to_string())}
            {tab("finished", t_string!(i18n, risk.show_finished).to_string())}
            {tab("all", t_string!(i18n, risk.show_all).to_string())}
        </nav>
        {(!narrowed.is_empty())
            .then(|| {
                view! {
                    <p class="muted" data-testid="risk-narrowed">
                        {t!(i18n, risk.only_rule)}
                        " "
                        <strong>{narrowed.join(" · ")}</strong>
                        " · "
                        <a href=format!("/center/risk?showing={showing}")>{t!(i18n, risk.every_rule)}</a>
                    </p>
                }
            })}
        {warnings
            .is_empty()
            .then(|| {
                view! {
                    <p class="empty" data-testid="risk-empty">
                        {t!(i18n, risk.none)}
                    </p>
                }
            })}
        <ul class="risk-list" data-testid="risk-list">
            {warnings.into_iter().map(|w| view! { <WarningRow w /> }).collect_view()}
        </ul>
        {more
            .map(|h| {
                view! {
                    <a class="btn btn-ghost" href=h>
                        {t!(i18n, risk.more)}
                    </a>
                }
            })}
        {may_raise
            .then(|| {
                view! {
                    <details class="card raise-form" data-testid="risk-raise">
                        <summary>{t!(i18n, risk.raise_by_hand)}</summary>
                        <ActionForm action=raise>
                            <label class="field">
                                <span>{t!(i18n, risk.raise_title)}</span>
                                <input name="title" required maxlength="100" data-testid="raise-title" />
                            </label>
                            <label class="field">
                                <span>{t!(i18n, risk.raise_cases)}</span>
                                <input name="cases" data-testid="raise-cases" />
                                <span class="muted small">{t!(i18n, risk.raise_cases_hint)}</span>
                            </label>
                            <button type="submit" class="btn btn-primary" data-testid="raise-submit">
                                {t!(i18n, risk.raise)}
                            </button>
                            {move || raise.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
                        </ActionForm>
                    </details>
                }
            })}
    }
}

#[component]
fn WarningRow(w: Warning) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let title = title_text(l, &w);
    let level = w.level.map(|v| level_text(l, v).to_string()).unwrap_or_else(|| t_string!(i18n, risk.unassessed).to_string());
    view! {
        <li class="risk-row" data-testid="risk-row" data-rule=w.rule.code() data-status=w.status.code()>
            <a href=format!("/center/risk/{}", w.id)>
                <span class=level_class(w.level)>{level}</span>
                <span class="risk-row-title">{title}</span>
                <span class="muted small">{format_instant(w.raised_ms)} " · " {w.township.clone().unwrap_or_default()} " · " {status_text(l, w.status)}</span>
            </a>
        </li>
    }
}
