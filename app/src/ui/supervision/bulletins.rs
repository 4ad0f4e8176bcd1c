//! `/center/supervision/bulletins`: the bulletins (通报), newest period first, and the form
//! that drafts a new one from the records for a week or a month.
use super::bulletin_api::{DraftBulletin, fetch_bulletins};
use crate::domain::bulletin::BulletinSummary;
use crate::domain::period::{Period, PeriodKind};
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// "Week 2026-11-30 – 12-06" or "Month 2026-11", in the reader's language.
pub fn period_label(l: Locale, p: Period) -> String {
    let ((y, m, d), (_, m2, d2)) = p.first_and_last_day();
    match p.kind {
        PeriodKind::Week => format!("{} {y}-{m:02}-{d:02} – {m2:02}-{d2:02}", td_string!(l, bulletin.week)),
        PeriodKind::Month => format!("{} {y}-{m:02}", td_string!(l, bulletin.month)),
        PeriodKind::Quarter => format!("{y} Q{}", (m - 1) / 3 + 1),
        PeriodKind::Year => format!("{y}"),
    }
}

#[component]
pub fn BulletinsListPage() -> impl IntoView {
    let i18n = use_i18n();
    let draft = ServerAction::<DraftBulletin>::new();
    let page = Resource::new(|| (), |_| fetch_bulletins());
    Effect::new(move |_| {
        if let Some(Ok(id)) = draft.value().get() {
            leptos_router::hooks::use_navigate()(&format!("/center/supervision/bulletins/{id}"), Default::default());
        }
    });
    view! {
        <PageTitle key=|l| td_string!(l, bulletin.title).to_string() />
        <CenterLayout>
            <div class="page-head">
                <h1>{t!(i18n, bulletin.title)}</h1>
                <div class="page-head-actions">
                    <a class="btn btn-secondary" href="/center/supervision">
                        {t!(i18n, supervision.list_title)}
                    </a>
                </div>
            </div>
            <p class="muted">{t!(i18n, bulletin.intro)}</p>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    page.get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(p) => {
                                view! {
                                    {p
                                        .may_draft
                                        .then(|| {
                                            view! {
                                                <ActionForm action=draft attr:class="card filters" attr:data-testid="bulletin-draft">
                                                    <h2 class="card-title">{t!(i18n, bulletin.draft_heading)}</h2>
                                                    <label class="field">
                                                        <span>{t!(i18n, bulletin.period)}</span>
                                                        <select name="period" data-testid="bulletin-period">
                                                            {p
                                                                .offered
                                                                .iter()
                                                                .map(|o| {
                                                                    let o = *o;
                                                                    view! { <option value=o.code()>{move || period_label(i18n.get_locale(), o)}</option> }
                                                                })
                                                                .collect_view()}
                                                        </select>
                                                    </label>
                                                    <div class="form-actions">
                                                        <button type="submit" class="btn btn-primary" disabled=move || draft.pending().get()>
                                                            {t!(i18n, bulletin.draft)}
                                                        </button>
                                                    </div>
                                                    {move || { draft.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> }) }}
                                                </ActionForm>
                                            }
                                        })}
                                    <BulletinTable rows=p.rows href_base="/center/supervision/bulletins" />
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </CenterLayout>
    }
}

/// The bulletins as a table (desk) with a link to each.
#[component]
pub fn BulletinTable(rows: Vec<BulletinSummary>, href_base: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! {
            <p class="card empty" data-testid="no-bulletins">
                {t!(i18n, bulletin.empty)}
            </p>
        }
        .into_any();
    }
    view! {
        <div tabindex="0" class="table-wrap card">
            <table class="table" data-testid="bulletins-table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, bulletin.period)}</th>
                        <th scope="col">{t!(i18n, bulletin.status)}</th>
                        <th scope="col" class="num">
                            {t!(i18n, bulletin.overdue)}
                        </th>
                        <th scope="col" class="num">
                            {t!(i18n, bulletin.returned)}
                        </th>
                        <th scope="col" class="num">
                            {t!(i18n, bulletin.listed)}
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|b| {
                            let period = b.period;
                            view! {
                                <tr data-testid="bulletin-row" data-period=period.code()>
                                    <td>
                                        <a href=format!("{href_base}/{}", b.id)>{move || period_label(i18n.get_locale(), period)}</a>
                                    </td>
                                    <td>
                                        {match b.published_ms {
                                            Some(at) => {
                                                view! {
                                                    <span class="badge badge-green">{t!(i18n, bulletin.published)}</span>
                                                    " "
                                                    <span class="muted small">{format_instant(at)}</span>
                                                }
                                                    .into_any()
                                            }
                                            None => view! { <span class="badge badge-amber">{t!(i18n, bulletin.draft_status)}</span> }.into_any(),
                                        }}
                                    </td>
                                    <td class="num">{b.overdue}</td>
                                    <td class="num">{b.returned}</td>
                                    <td class="num">{b.listed}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
