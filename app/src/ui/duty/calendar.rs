//! `/center/duty` (值班排班): the month's roster as a calendar and as a list, who is on duty
//! now, and for planners the new-shift form, the swaps waiting for approval, the spreadsheet
//! import and export.
use super::api::{DecideSwap, PlanShift, RemoveShift, fetch_month, fetch_on_duty, import_roster};
use super::texts::{StateBadge, post_text, problem_text};
use crate::domain::clock::{DAY_MS, civil_from_days, hour_minute, minute_string};
use crate::domain::duty::{Month, MonthRoster, RosterEntry, RosterImport, by_day};
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use crate::ui::forms::{Form, form_action};
use crate::ui::live::feed::{LiveDot, use_live};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DutyPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let args = Memo::new(move |_| q.with(|q| (q.get("month").unwrap_or_default(), q.get("unit").and_then(|u| u.parse::<i64>().ok()).unwrap_or(0))));
    let plan = ServerAction::<PlanShift>::new();
    let remove = ServerAction::<RemoveShift>::new();
    let decide = ServerAction::<DecideSwap>::new();
    let import = form_action(|data: &Form| import_roster(data.to_multipart()));
    // A missed check-in flagged by the scheduler arrives live.
    let live = use_live();
    let pushed = live.pushed_of(crate::domain::notice::kind::DUTY);
    let changes = move || (plan.version().get(), remove.version().get(), decide.version().get(), import.version().get(), pushed.get());
    let roster = Resource::new(move || (args.get(), changes()), |((m, u), _)| fetch_month(m, u));
    let now = Resource::new(changes, |_| fetch_on_duty());
    view! {
        <PageTitle key=|l| td_string!(l, duty.title).to_string() />
        <CenterLayout>
            <h1>{t!(i18n, duty.title)} " " <LiveDot live /></h1>
            <p class="muted">{t!(i18n, duty.rules)}</p>
            <OnDutyNow now />
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    roster
                        .get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(r) => {
                                let unit = args.get().1;
                                view! {
                                    <MonthNav r=r.clone() unit />
                                    {r.may_plan.then(|| view! { <Swaps r=r.clone() decide /> })}
                                    <Calendar r=r.clone() />
                                    <ShiftList r=r.clone() remove />
                                    {r.may_plan.then(|| view! { <PlanForm r=r.clone() plan /> })}
                                    {r.may_plan.then(|| view! { <ImportCard import /> })}
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
            {move || plan.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
            {move || remove.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
            {move || decide.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
        </CenterLayout>
    }
}

/// Who is on duty at this moment, and whether each has checked in.
#[component]
pub fn OnDutyNow(now: Resource<Result<(i64, Vec<RosterEntry>), crate::error::AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="duty-now-title" data-testid="duty-now">
            <h2 class="card-title" id="duty-now-title">
                {t!(i18n, duty.now_title)}
            </h2>
            <Transition fallback=|| ()>
                {move || {
                    now.get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok((_, list)) if list.is_empty() => view! { <p class="muted">{t!(i18n, duty.nobody_now)}</p> }.into_any(),
                            Ok((at, list)) => {
                                view! {
                                    <ul class="duty-now">
                                        {list
                                            .into_iter()
                                            .map(|e| {
                                                view! {
                                                    <li>
                                                        <span class="duty-unit">{e.unit.clone()}</span>
                                                        <span class="muted">{move || post_text(i18n.get_locale(), e.shift.post)}</span>
                                                        <strong>{e.person.clone()}</strong>
                                                        {e.phone.clone().map(|p| view! { <a href=format!("tel:{p}")>{p.clone()}</a> })}
                                                        <StateBadge state=e.shift.state(at) />
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn MonthNav(r: MonthRoster, unit: i64) -> impl IntoView {
    let i18n = use_i18n();
    let m = r.month;
    let href = move |to: Month| format!("/center/duty?month={}&unit={unit}", to.code());
    view! {
        <div class="duty-bar">
            <a class="btn btn-secondary" href=href(m.previous()) data-testid="duty-prev">
                "‹ "
                {t!(i18n, duty.previous)}
            </a>
            <h2 class="duty-month" data-testid="duty-month">
                {m.code()}
            </h2>
            <a class="btn btn-secondary" href=href(m.next()) data-testid="duty-next">
                {t!(i18n, duty.next)}
                " ›"
            </a>
            <form method="get" action="/center/duty" class="filters">
                <input type="hidden" name="month" value=m.code() />
                <label class="field field-inline">
                    <span>{t!(i18n, duty.unit)}</span>
                    <select name="unit" data-testid="duty-unit-filter">
                        <option value="0">{t!(i18n, duty.all_units)}</option>
                        {r
                            .units
                            .iter()
                            .map(|u| {
                                view! {
                                    <option value=u.id.to_string() selected=u.id == unit>
                                        {u.name.clone()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <button type="submit" class="btn btn-secondary">
                    {t!(i18n, duty.show)}
                </button>
            </form>
            <a class="btn btn-secondary" href=format!("/center/duty/export.xlsx?month={}", m.code()) data-testid="duty-export" download>
                {t!(i18n, duty.export)}
            </a>
        </div>
    }
}

/// Monday-first weeks; each day lists its shifts (a night shift on both days it touches).
#[component]
fn Calendar(r: MonthRoster) -> impl IntoView {
    let i18n = use_i18n();
    let days = by_day(&r.entries.iter().map(|e| e.shift.clone()).collect::<Vec<_>>());
    let today = crate::domain::clock::local_day(r.now_ms);
    let weekdays = move |l: Locale| -> [String; 7] {
        [
            td_string!(l, duty.mon).into(),
            td_string!(l, duty.tue).into(),
            td_string!(l, duty.wed).into(),
            td_string!(l, duty.thu).into(),
            td_string!(l, duty.fri).into(),
            td_string!(l, duty.sat).into(),
            td_string!(l, duty.sun).into(),
        ]
    };
    let entries = r.entries.clone();
    view! {
        <section class="card duty-calendar-card">
            <table class="duty-calendar" data-testid="duty-calendar">
                <caption class="sr-only">{t!(i18n, duty.calendar)} " " {r.month.code()}</caption>
                <thead>
                    <tr>{move || weekdays(i18n.get_locale()).into_iter().map(|d| view! { <th scope="col">{d}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {r
                        .month
                        .weeks()
                        .into_iter()
                        .map(|w| {
                            view! {
                                <tr>
                                    {w
                                        .into_iter()
                                        .map(|cell| match cell {
                                            None => view! { <td class="duty-out"></td> }.into_any(),
                                            Some(day) => {
                                                let (_, _, d) = civil_from_days(day);
                                                let list: Vec<RosterEntry> = days
                                                    .get(&day)
                                                    .map(|ix| ix.iter().map(|i| entries[*i].clone()).collect())
                                                    .unwrap_or_default();
                                                let empty = list.is_empty();
                                                view! {
                                                    <td class=("duty-today", day == today) class=("duty-empty", empty) data-day=d>
                                                        <span class="duty-day">{d}</span>
                                                        <ul>
                                                            {list
                                                                .into_iter()
                                                                .map(|e| {
                                                                    let state = e.shift.state(r.now_ms);
                                                                    view! {
                                                                        <li class=format!("duty-chip duty-{}", state_class(state))>
                                                                            <span class="duty-time">{hour_minute(e.shift.starts_ms)}</span>
                                                                            " "
                                                                            <span>{e.person.clone()}</span>
                                                                            <span class="sr-only">
                                                                                " · " {e.unit.clone()} " · "
                                                                                {move || post_text(i18n.get_locale(), e.shift.post)}
                                                                            </span>
                                                                        </li>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </ul>
                                                    </td>
                                                }
                                                    .into_any()
                                            }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}

pub fn state_class(s: crate::domain::duty::ShiftState) -> &'static str {
    use crate::domain::duty::ShiftState as S;
    match s {
        S::Planned | S::Due => "planned",
        S::OnDuty | S::HandedOver => "ok",
        S::NoteDue => "note",
        S::Missed | S::Absent => "missed",
    }
}

/// Every shift of the month with its record: check-in time and place, the handover note.
#[component]
fn ShiftList(r: MonthRoster, remove: ServerAction<RemoveShift>) -> impl IntoView {
    let i18n = use_i18n();
    let may_plan = r.may_plan;
    let now = r.now_ms;
    view! {
        <section class="card">
            <h2 class="card-title">{t!(i18n, duty.list_title)}</h2>
            {if r.entries.is_empty() {
                view! {
                    <p class="muted" data-testid="duty-none">
                        {t!(i18n, duty.none)}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0">
                        <table class="table" data-testid="duty-list">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, duty.when)}</th>
                                    <th scope="col">{t!(i18n, duty.unit)}</th>
                                    <th scope="col">{t!(i18n, duty.post)}</th>
                                    <th scope="col">{t!(i18n, duty.person)}</th>
                                    <th scope="col">{t!(i18n, duty.state)}</th>
                                    <th scope="col">{t!(i18n, duty.checked_in)}</th>
                                    <th scope="col">{t!(i18n, duty.handover)}</th>
                                    {may_plan
                                        .then(|| {
                                            view! {
                                                <th scope="col">
                                                    <span class="sr-only">{t!(i18n, duty.actions)}</span>
                                                </th>
                                            }
                                        })}
                                </tr>
                            </thead>
                            <tbody>
                                {r
                                    .entries
                                    .into_iter()
                                    .map(|e| {
                                        let s = e.shift.clone();
                                        let begun = s.has_begun(now);
                                        let ends_next_day = crate::domain::clock::local_day(s.ends_ms - 1) != crate::domain::clock::local_day(s.starts_ms);
                                        view! {
                                            <tr data-testid="duty-row" data-shift=s.id>
                                                <td class="nowrap">
                                                    {format_instant(s.starts_ms)[..16].to_string()} " – " {hour_minute(s.ends_ms)}
                                                    {ends_next_day.then(|| view! { <span class="muted">{t!(i18n, duty.next_day)}</span> })}
                                                </td>
                                                <td>{e.unit.clone()}</td>
                                                <td>{move || post_text(i18n.get_locale(), s.post)}</td>
                                                <td>
                                                    {e.person.clone()}
                                                    {e
                                                        .swap
                                                        .clone()
                                                        .map(|(_, to)| view! { <span class="badge badge-amber">{t!(i18n, duty.swap_to)} " " {to}</span> })}
                                                </td>
                                                <td>
                                                    <StateBadge state=s.state(now) />
                                                </td>
                                                <td class="nowrap">
                                                    {s.checked_in_ms.map(hour_minute)}
                                                    {s
                                                        .check_in_at
                                                        .map(|p| view! { <span class="muted small">" " {format!("{:.4}, {:.4}", p.lat, p.lng)}</span> })}
                                                    {s.missed_ms.map(|_| view! { <span class="badge badge-red">{t!(i18n, duty.flagged)}</span> })}
                                                </td>
                                                <td class="duty-note">{s.handover.clone().unwrap_or_default()}</td>
                                                {may_plan
                                                    .then(|| {
                                                        view! {
                                                            <td>
                                                                {(!begun)
                                                                    .then(|| {
                                                                        view! {
                                                                            <ActionForm action=remove attr:class="inline">
                                                                                <input type="hidden" name="shift_id" value=s.id />
                                                                                <button type="submit" class="btn btn-ghost btn-small" data-testid="duty-remove">
                                                                                    {t!(i18n, duty.remove)}
                                                                                </button>
                                                                            </ActionForm>
                                                                        }
                                                                    })}
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
                    .into_any()
            }}
        </section>
    }
}

/// A new shift: the person list follows the chosen unit.
#[component]
fn PlanForm(r: MonthRoster, plan: ServerAction<PlanShift>) -> impl IntoView {
    let i18n = use_i18n();
    let units = r.units.clone();
    let unit = RwSignal::new(units.first().map(|u| u.id).unwrap_or(0));
    // Tomorrow 08:00 to the day after 08:00: the usual 24-hour shift.
    let start = crate::domain::clock::local_day(r.now_ms) + 1;
    let at8 = |day: i64| minute_string(day * DAY_MS - crate::domain::clock::CENTER_OFFSET_MS + 8 * 3_600_000);
    let staff = {
        let units = units.clone();
        move || units.iter().find(|u| u.id == unit.get()).map(|u| u.staff.clone()).unwrap_or_default()
    };
    view! {
        <section class="card" aria-labelledby="duty-plan-title">
            <h2 class="card-title" id="duty-plan-title">
                {t!(i18n, duty.plan_title)}
            </h2>
            <ActionForm action=plan attr:class="form form-row" attr:data-testid="duty-plan">
                <label class="field">
                    <span>{t!(i18n, duty.unit)}</span>
                    <select name="unit_id" on:change=move |ev| unit.set(event_target_value(&ev).parse().unwrap_or(0)) data-testid="plan-unit">
                        {units.iter().map(|u| view! { <option value=u.id.to_string()>{u.name.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, duty.post)}</span>
                    <select name="post" data-testid="plan-post">
                        {crate::domain::duty::Post::ALL
                            .iter()
                            .map(|p| {
                                let p = *p;
                                view! { <option value=p.code()>{move || post_text(i18n.get_locale(), p)}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, duty.person)}</span>
                    <select name="user_id" required data-testid="plan-person">
                        {move || staff().into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, duty.starts)}</span>
                    <input type="datetime-local" name="starts" required value=at8(start) data-testid="plan-starts" />
                </label>
                <label class="field">
                    <span>{t!(i18n, duty.ends)}</span>
                    <input type="datetime-local" name="ends" required value=at8(start + 1) data-testid="plan-ends" />
                </label>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || plan.pending().get()>
                        {t!(i18n, duty.plan_submit)}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

/// Swaps asked for by holders, waiting for a planner.
#[component]
fn Swaps(r: MonthRoster, decide: ServerAction<DecideSwap>) -> impl IntoView {
    let i18n = use_i18n();
    (!r.swaps.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="duty-swaps-title" data-testid="duty-swaps">
                <h2 class="card-title" id="duty-swaps-title">
                    {t!(i18n, duty.swaps_title)}
                </h2>
                <ul class="duty-swaps">
                    {r
                        .swaps
                        .into_iter()
                        .map(|w| {
                            let id = w.swap.id;
                            view! {
                                <li>
                                    <span>
                                        {format_instant(w.shift.starts_ms)[..16].to_string()} " " {w.unit.clone()} " · " {w.from.clone()} " → "
                                        <strong>{w.to.clone()}</strong>
                                    </span>
                                    <span class="muted">{w.swap.reason.clone()}</span>
                                    <ActionForm action=decide attr:class="inline">
                                        <input type="hidden" name="swap_id" value=id />
                                        <input type="hidden" name="approve" value="1" />
                                        <button type="submit" class="btn btn-primary btn-small" data-testid="swap-approve">
                                            {t!(i18n, duty.approve)}
                                        </button>
                                    </ActionForm>
                                    <ActionForm action=decide attr:class="inline">
                                        <input type="hidden" name="swap_id" value=id />
                                        <input type="hidden" name="approve" value="0" />
                                        <button type="submit" class="btn btn-secondary btn-small" data-testid="swap-refuse">
                                            {t!(i18n, duty.refuse)}
                                        </button>
                                    </ActionForm>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn ImportCard(import: Action<Form, Result<RosterImport, crate::error::AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(f) = Form::from_submit(&ev) {
            import.dispatch_local(f);
        }
    };
    view! {
        <section class="card" aria-labelledby="duty-import-title">
            <h2 class="card-title" id="duty-import-title">
                {t!(i18n, duty.import_title)}
            </h2>
            <p class="muted">{t!(i18n, duty.import_help)}</p>
            <pre class="sample" tabindex="0">
                {crate::domain::duty::COLUMNS.join(",")}
                "\n2026-12-08,08:00,08:00,莲花镇人民政府,带班领导,town01"
            </pre>
            <form class="form form-row" on:submit=on_submit data-testid="duty-import">
                <label class="field">
                    <span>{t!(i18n, import.file)}</span>
                    <input type="file" name="roster" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
                </label>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || import.pending().get()>
                        {t!(i18n, import.submit)}
                    </button>
                </div>
            </form>
            {move || {
                import
                    .value()
                    .get()
                    .map(|r| match r {
                        Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                        Ok(r) => {
                            view! {
                                <div role="status" data-testid="duty-import-result">
                                    <p>{t!(i18n, duty.import_added)} " " {r.added}</p>
                                    <ul class="errors">
                                        {r
                                            .refused
                                            .into_iter()
                                            .map(|e| {
                                                view! { <li>{t!(i18n, duty.row)} " " {e.row} ": " {move || problem_text(i18n.get_locale(), &e.problem)}</li> }
                                            })
                                            .collect_view()}
                                    </ul>
                                </div>
                            }
                                .into_any()
                        }
                    })
            }}
        </section>
    }
}
