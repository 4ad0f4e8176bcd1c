//! One bulletin (通报) as a document: `/center/supervision/bulletins/:id` on the desk, where a
//! supervisor writes its comment, makes its figures again and publishes it, and prints it;
//! `/field/bulletins/:id` on a phone. The same document serves both; on a phone its tables
//! become lists.
use super::bulletin_api::{EditBulletin, PublishBulletin, fetch_bulletin};
use super::bulletins::period_label;
use crate::domain::bulletin::{Bulletin, ListedState};
use crate::i18n::*;
use crate::ui::cases::texts::StatusBadge;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::emergency::UnitTallies;
use crate::ui::errors::ErrorAlert;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

pub fn state_text(l: Locale, s: ListedState) -> &'static str {
    match s {
        ListedState::TickedOff => td_string!(l, bulletin.state_ticked_off),
        ListedState::AwaitingCheck => td_string!(l, bulletin.state_awaiting_check),
        ListedState::Late => td_string!(l, bulletin.state_late),
        ListedState::Open => td_string!(l, bulletin.state_open),
    }
}

fn state_class(s: ListedState) -> &'static str {
    match s {
        ListedState::TickedOff => "badge badge-green",
        ListedState::AwaitingCheck => "badge badge-blue",
        ListedState::Late => "badge badge-red",
        ListedState::Open => "badge badge-amber",
    }
}

/// The id in the path; 0 (never a bulletin) when it is not a number.
pub fn id_param() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0)))
}

#[component]
pub fn BulletinPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let edit = ServerAction::<EditBulletin>::new();
    let publish = ServerAction::<PublishBulletin>::new();
    let view_ = Resource::new(move || (id.get(), edit.version().get(), publish.version().get()), |(id, _, _)| fetch_bulletin(id));
    view! {
        <PageTitle key=|l| td_string!(l, bulletin.title).to_string() />
        <CenterLayout>
            <p class="no-print">
                <a href="/center/supervision/bulletins">{t!(i18n, bulletin.back)}</a>
            </p>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    view_
                        .get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(v) => {
                                let b = v.bulletin.clone();
                                let id = b.id;
                                let comment = b.comment.clone();
                                let export = format!("/center/supervision/bulletins/{id}/export.xlsx");
                                view! {
                                    <div class="page-head no-print">
                                        <div class="page-head-actions">
                                            <button type="button" class="btn btn-secondary" on:click=move |_| print_page()>
                                                {t!(i18n, bulletin.print)}
                                            </button>
                                            <a class="btn btn-secondary" href=export rel="external" download data-testid="bulletin-export">
                                                {t!(i18n, bulletin.export)}
                                            </a>
                                        </div>
                                    </div>
                                    {v
                                        .may_edit
                                        .then(|| {
                                            view! {
                                                <section class="card no-print" data-testid="bulletin-editor">
                                                    <ActionForm action=edit>
                                                        <input type="hidden" name="id" value=id />
                                                        <label class="field">
                                                            <span>{t!(i18n, bulletin.comment)}</span>
                                                            <textarea name="comment" rows="5" maxlength="2000" data-testid="bulletin-comment">
                                                                {comment.clone()}
                                                            </textarea>
                                                            <span class="muted small">{t!(i18n, bulletin.comment_hint)}</span>
                                                        </label>
                                                        <div class="form-actions">
                                                            <button type="submit" class="btn btn-secondary" data-testid="bulletin-save">
                                                                {t!(i18n, bulletin.save_comment)}
                                                            </button>
                                                            <button
                                                                type="submit"
                                                                name="refigure"
                                                                value="1"
                                                                class="btn btn-ghost"
                                                                data-testid="bulletin-refigure"
                                                            >
                                                                {t!(i18n, bulletin.refigure)}
                                                            </button>
                                                        </div>
                                                        {move || edit.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
                                                    </ActionForm>
                                                    <ActionForm action=publish attr:class="publish-form">
                                                        <input type="hidden" name="id" value=id />
                                                        <p class="muted small">{t!(i18n, bulletin.publish_hint)}</p>
                                                        <button type="submit" class="btn btn-primary" data-testid="bulletin-publish">
                                                            {t!(i18n, bulletin.publish)}
                                                        </button>
                                                        {move || publish.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
                                                    </ActionForm>
                                                </section>
                                            }
                                        })}
                                    <BulletinDocument bulletin=b compact=false case_href="/center/cases" />
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </CenterLayout>
    }
}

fn print_page() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// The bulletin itself, as printed and as units read it.
#[component]
pub fn BulletinDocument(bulletin: Bulletin, compact: bool, case_href: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let Bulletin { period, figures: f, comment, published_ms, published_by, .. } = bulletin;
    let f_emergencies = f.emergencies.clone();
    let status = match published_ms {
        Some(at) => view! {
            <span class="badge badge-green" data-testid="bulletin-status" data-published="true">
                {t!(i18n, bulletin.published)}
            </span>
            " "
            <span class="muted small">{format_instant(at)} " " {published_by.unwrap_or_default()}</span>
        }
        .into_any(),
        None => view! {
            <span class="badge badge-amber" data-testid="bulletin-status" data-published="false">
                {t!(i18n, bulletin.draft_status)}
            </span>
        }
        .into_any(),
    };
    let totals = [
        (f.received, td_string!(i18n.get_locale(), bulletin.received)),
        (f.overdue, td_string!(i18n.get_locale(), bulletin.overdue)),
        (f.returned, td_string!(i18n.get_locale(), bulletin.returned)),
        (f.listed, td_string!(i18n.get_locale(), bulletin.listed)),
        (f.ticked_off, td_string!(i18n.get_locale(), bulletin.ticked_off)),
    ];
    let units = if f.units.is_empty() {
        view! { <p class="muted">{t!(i18n, bulletin.no_units)}</p> }.into_any()
    } else if compact {
        view! {
            <ol class="bulletin-list" data-testid="bulletin-units">
                {f
                    .units
                    .into_iter()
                    .map(|u| {
                        let name = u.unit.clone();
                        view! {
                            <li data-testid="bulletin-unit" data-unit=name>
                                <strong>{u.unit}</strong>
                                <span class="muted">
                                    {t!(i18n, bulletin.overdue)} " " {u.overdue} " · " {t!(i18n, bulletin.returned)} " " {u.returned} " · "
                                    {t!(i18n, bulletin.listed)} " " {u.listed}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    } else {
        view! {
            <table class="table" data-testid="bulletin-units">
                <thead>
                    <tr>
                        <th scope="col" class="num">
                            {t!(i18n, bulletin.rank)}
                        </th>
                        <th scope="col">{t!(i18n, bulletin.unit)}</th>
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
                    {f
                        .units
                        .into_iter()
                        .enumerate()
                        .map(|(i, u)| {
                            let name = u.unit.clone();
                            view! {
                                <tr data-testid="bulletin-unit" data-unit=name>
                                    <td class="num">{i + 1}</td>
                                    <td>{u.unit}</td>
                                    <td class="num">{u.overdue}</td>
                                    <td class="num">{u.returned}</td>
                                    <td class="num">{u.listed}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let listed = if f.listed_cases.is_empty() {
        view! { <p class="muted">{t!(i18n, bulletin.no_listed)}</p> }.into_any()
    } else if compact {
        view! {
            <ul class="bulletin-list" data-testid="bulletin-listed">
                {f
                    .listed_cases
                    .into_iter()
                    .map(|c| {
                        let state = c.state;
                        let code = c.code.clone();
                        view! {
                            <li data-testid="bulletin-listed-case" data-code=code data-state=state.code()>
                                <span class=state_class(state)>{move || state_text(i18n.get_locale(), state)}</span>
                                " "
                                <strong>{c.title}</strong>
                                <span class="muted small">
                                    {c.code} " · " {c.unit.unwrap_or_default()} " · " {t!(i18n, bulletin.deadline)} " " {format_instant(c.deadline_ms)}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    } else {
        view! {
            <table class="table" data-testid="bulletin-listed">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, bulletin.case)}</th>
                        <th scope="col">{t!(i18n, bulletin.unit)}</th>
                        <th scope="col">{t!(i18n, bulletin.leader)}</th>
                        <th scope="col">{t!(i18n, bulletin.listed_at)}</th>
                        <th scope="col">{t!(i18n, bulletin.deadline)}</th>
                        <th scope="col">{t!(i18n, bulletin.state)}</th>
                    </tr>
                </thead>
                <tbody>
                    {f
                        .listed_cases
                        .into_iter()
                        .map(|c| {
                            let state = c.state;
                            let href = format!("{case_href}/{}", c.case_id);
                            let code = c.code.clone();
                            view! {
                                <tr data-testid="bulletin-listed-case" data-code=code data-state=state.code()>
                                    <td>
                                        <a class="mono" href=href.clone()>
                                            {c.code}
                                        </a>
                                        <br />
                                        <a href=href>{c.title}</a>
                                    </td>
                                    <td>{c.unit.unwrap_or_else(|| "—".into())}</td>
                                    <td>{c.leader.unwrap_or_else(|| "—".into())}</td>
                                    <td class="nowrap">{format_instant(c.listed_ms)}</td>
                                    <td class="nowrap">{format_instant(c.deadline_ms)}</td>
                                    <td>
                                        <span class=state_class(state)>{move || state_text(i18n.get_locale(), state)}</span>
                                        {(state == ListedState::AwaitingCheck)
                                            .then(|| {
                                                view! {
                                                    " "
                                                    <StatusBadge status=c.status />
                                                }
                                            })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <article class="card bulletin" data-testid="bulletin" data-period=period.code()>
            <header class="bulletin-head">
                <p class="bulletin-org">{t!(i18n, bulletin.heading)}</p>
                <h1>{move || period_label(i18n.get_locale(), period)}</h1>
                <p>{status}</p>
                <p class="muted small">{t!(i18n, bulletin.computed_at)} " " {format_instant(f.computed_ms)}</p>
            </header>
            <dl class="bulletin-totals">
                {totals
                    .into_iter()
                    .map(|(n, label)| {
                        view! {
                            <div>
                                <dt>{label}</dt>
                                <dd>{n}</dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
            <section>
                <h2>{t!(i18n, bulletin.comment)}</h2>
                <p class="bulletin-comment" data-testid="bulletin-comment-text">
                    {if comment.is_empty() { t_string!(i18n, bulletin.no_comment).to_string() } else { comment }}
                </p>
            </section>
            <section>
                <h2>{t!(i18n, bulletin.units_heading)}</h2>
                {units}
            </section>
            <section>
                <h2>{t!(i18n, bulletin.listed_heading)}</h2>
                {listed}
            </section>
            <section>
                <h2>{t!(i18n, emergency.bulletin_heading)}</h2>
                <UnitTallies tallies=f_emergencies compact none=move || t!(i18n, emergency.bulletin_none) />
            </section>
            <p class="muted small">{t!(i18n, bulletin.formula)}</p>
        </article>
    }
}
