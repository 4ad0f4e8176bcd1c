//! `/center/emergency` (突发事件信息报送): the emergencies of the last 90 days with what each
//! owes and its marks, each unit's record (late, missed, hidden, possibly false), and the
//! deadlines per category and level.
use super::api::{RemoveDeadlines, SetDeadlines, fetch_board};
use super::parts::{Marks, Stages, pushed};
use super::tallies::UnitTallies;
use super::texts::level_text;
use crate::domain::emergency::{Board, Level};
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use crate::ui::live::feed::LiveDot;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn EmergencyBoardPage() -> impl IntoView {
    let i18n = use_i18n();
    let set = ServerAction::<SetDeadlines>::new();
    let remove = ServerAction::<RemoveDeadlines>::new();
    let (live, pushed) = pushed(None);
    let board = Resource::new(move || (set.version().get(), remove.version().get(), pushed.get()), |_| fetch_board());
    view! {
        <PageTitle key=|l| td_string!(l, emergency.title).to_string() />
        <CenterLayout>
            <h1>{t!(i18n, emergency.title)} " " <LiveDot live /></h1>
            <p class="muted">{t!(i18n, emergency.rules)}</p>
            {move || set.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
            {move || remove.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    board
                        .get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(b) => {
                                view! {
                                    <EmergencyList b=b.clone() />
                                    <Tallies b=b.clone() />
                                    <DeadlineRules b set remove />
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </CenterLayout>
    }
}

#[component]
fn EmergencyList(b: Board) -> impl IntoView {
    let i18n = use_i18n();
    let now = b.now_ms;
    view! {
        <section class="card" aria-labelledby="emergency-list-title">
            <h2 class="card-title" id="emergency-list-title">
                {t!(i18n, emergency.list_title)}
            </h2>
            {if b.rows.is_empty() {
                view! {
                    <p class="muted" data-testid="emergency-none">
                        {t!(i18n, emergency.none)}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="emergency-rows" data-testid="emergency-list">
                        {b
                            .rows
                            .into_iter()
                            .map(|row| {
                                let href = format!("/center/emergency/{}", row.emergency.case_id);
                                view! {
                                    <li class="emergency-row" data-testid="emergency-row" data-case=row.emergency.case_id>
                                        <div class="emergency-head">
                                            <a href=href>
                                                <strong>{row.title.clone()}</strong>
                                            </a>
                                            <span class="muted small mono">
                                                {row.code.clone()} " · " {format_instant(row.emergency.opened_ms)[..16].to_string()}
                                            </span>
                                            <span>{row.unit.clone()}</span>
                                            <Marks row=row.clone() />
                                        </div>
                                        <Stages e=row.emergency.clone() now />
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn Tallies(b: Board) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="tally-title">
            <h2 class="card-title" id="tally-title">
                {t!(i18n, emergency.tally_title)}
            </h2>
            <UnitTallies tallies=b.tallies compact=false none=move || t!(i18n, emergency.tally_none) />
        </section>
    }
}

#[component]
fn DeadlineRules(b: Board, set: ServerAction<SetDeadlines>, remove: ServerAction<RemoveDeadlines>) -> impl IntoView {
    let i18n = use_i18n();
    let names = b.categories.clone();
    let category_name = move |code: &str| names.iter().find(|(c, _)| c == code).map(|(_, n)| n.clone());
    let may = b.may_set_deadlines;
    view! {
        <section class="card" aria-labelledby="deadlines-title" data-testid="deadline-rules">
            <h2 class="card-title" id="deadlines-title">
                {t!(i18n, emergency.deadlines_title)}
            </h2>
            <p class="muted small">{t!(i18n, emergency.deadlines_default)}</p>
            {(!b.rules.is_empty())
                .then(|| {
                    view! {
                        <div class="table-wrap" tabindex="0">
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, emergency.category)}</th>
                                        <th scope="col">{t!(i18n, emergency.level)}</th>
                                        <th scope="col" class="num">
                                            {t!(i18n, emergency.quick_min)}
                                        </th>
                                        <th scope="col" class="num">
                                            {t!(i18n, emergency.written_min)}
                                        </th>
                                        {may
                                            .then(|| {
                                                view! {
                                                    <th scope="col">
                                                        <span class="sr-only">{t!(i18n, emergency.remove)}</span>
                                                    </th>
                                                }
                                            })}
                                    </tr>
                                </thead>
                                <tbody>
                                    {b
                                        .rules
                                        .iter()
                                        .map(|r| {
                                            let cat = category_name(&r.category);
                                            let level = r.level;
                                            let (code, lcode) = (r.category.clone(), level.map(|l| l.code()).unwrap_or(""));
                                            view! {
                                                <tr>
                                                    <td>{move || cat.clone().unwrap_or_else(|| t_string!(i18n, emergency.any_category).to_string())}</td>
                                                    <td>
                                                        {move || match level {
                                                            Some(l) => level_text(i18n.get_locale(), l),
                                                            None => t_string!(i18n, emergency.any_level).to_string(),
                                                        }}
                                                    </td>
                                                    <td class="num">{r.deadlines.quick_min}</td>
                                                    <td class="num">{r.deadlines.written_min}</td>
                                                    {may
                                                        .then(|| {
                                                            view! {
                                                                <td>
                                                                    <ActionForm action=remove>
                                                                        <input type="hidden" name="category" value=code.clone() />
                                                                        <input type="hidden" name="level" value=lcode />
                                                                        <button type="submit" class="btn btn-small btn-secondary">
                                                                            {t!(i18n, emergency.remove)}
                                                                        </button>
                                                                    </ActionForm>
                                                                </td>
                                                            }
                                                        })}
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })}
            {may
                .then(|| {
                    view! {
                        <ActionForm action=set attr:class="form emergency-deadline-form" attr:data-testid="deadline-form">
                            <label class="field">
                                <span>{t!(i18n, emergency.category)}</span>
                                <select name="category">
                                    <option value="">{t!(i18n, emergency.any_category)}</option>
                                    {b.categories.iter().map(|(c, n)| view! { <option value=c.clone()>{n.clone()}</option> }).collect_view()}
                                </select>
                            </label>
                            <label class="field">
                                <span>{t!(i18n, emergency.level)}</span>
                                <select name="level">
                                    <option value="">{t!(i18n, emergency.any_level)}</option>
                                    {Level::ALL
                                        .iter()
                                        .map(|l| {
                                            let l = *l;
                                            view! { <option value=l.code()>{move || level_text(i18n.get_locale(), l)}</option> }
                                        })
                                        .collect_view()}
                                </select>
                            </label>
                            <label class="field">
                                <span>{t!(i18n, emergency.quick_min)}</span>
                                <input type="number" name="quick" min="1" max="1440" required value="30" />
                            </label>
                            <label class="field">
                                <span>{t!(i18n, emergency.written_min)}</span>
                                <input type="number" name="written" min="1" max="1440" required value="60" />
                            </label>
                            <div class="form-actions">
                                <button type="submit" class="btn btn-primary" disabled=move || set.pending().get()>
                                    {t!(i18n, emergency.save_deadlines)}
                                </button>
                            </div>
                        </ActionForm>
                    }
                })}
        </section>
    }
}
