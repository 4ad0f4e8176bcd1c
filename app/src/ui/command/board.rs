//! The command board (指挥看板) of a case launched as a palm command: who commands, how
//! long since launch, which units signed and who is still missing (red past the deadline),
//! each unit's part with sub-tasks under the unit that pushed them down, the commander's
//! directives, and the commander's own forms. Redrawn live by the case page.
use crate::domain::case::{Assignment, AssignmentStatus, CaseDetail, Change, CommandKind, UnitId};
use crate::i18n::*;
use crate::ui::cases::actions::{ActForm, Reason};
use crate::ui::cases::texts::{assignment_class, assignment_text, duration_text};
use crate::ui::components::format_instant;
use crate::ui::live::clock::{mmss, use_server_now};
use leptos::prelude::*;

/// The parts in board order: lead, cooperating, each followed by the sub-tasks it pushed down.
fn board_order(parts: &[Assignment]) -> Vec<(Assignment, usize)> {
    let mut out = Vec::new();
    let mut top: Vec<&Assignment> = parts.iter().filter(|a| a.parent.is_none()).collect();
    top.sort_by_key(|a| !a.lead);
    fn push<'a>(a: &'a Assignment, depth: usize, parts: &'a [Assignment], out: &mut Vec<(Assignment, usize)>) {
        out.push((a.clone(), depth));
        for child in parts.iter().filter(|c| c.parent == Some(a.unit)) {
            if depth < 3 {
                push(child, depth + 1, parts, out);
            }
        }
    }
    for a in top {
        push(a, 0, parts, &mut out);
    }
    out
}

/// How many of the sub-tasks a unit pushed down are done: (done, all).
fn rollup(parts: &[Assignment], unit: UnitId) -> Option<(usize, usize)> {
    let children: Vec<_> = parts.iter().filter(|c| c.parent == Some(unit)).collect();
    (!children.is_empty()).then(|| (children.iter().filter(|c| c.status == AssignmentStatus::Done).count(), children.len()))
}

#[component]
pub fn CommandBoard(detail: CaseDetail, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let Some(tf) = detail.case.task_force.clone() else { return ().into_any() };
    let id = detail.case.id;
    let now = use_server_now(detail.now_ms);
    let parts: Vec<Assignment> = detail.case.assignments.iter().filter(|a| a.round == tf.round && a.status.is_active()).cloned().collect();
    let name = {
        let d = detail.clone();
        move |u: UnitId| d.unit_name(u)
    };
    let person = |u: i64| detail.people.iter().find(|(p, _)| *p == u).map(|(_, n)| n.clone()).unwrap_or_else(|| format!("#{u}"));
    let commander = person(tf.commander);
    let waiting: Vec<String> = parts.iter().filter(|a| !a.status.is_signed()).map(|a| name(a.unit)).collect();
    let launched = tf.launched_ms;
    let open = tf.is_open();
    let summary = match tf.dispatch_ms() {
        Some(ms) => view! {
            <p class="board-summary done" data-testid="all-dispatched">
                <span class="badge badge-green">"✔ " {t!(i18n, palm.all_dispatched)}</span>
                " "
                {t!(i18n, palm.dispatch_time)}
                " "
                <strong class="mono" data-testid="dispatch-time">
                    {mmss(ms)}
                </strong>
            </p>
        }
        .into_any(),
        None => view! {
            <p class="board-summary" data-testid="waiting">
                <span class="badge badge-amber">"◔ " {t!(i18n, palm.waiting_sign)} " " {waiting.len()}</span>
                " "
                {waiting.join("、")}
                <span class="board-elapsed">
                    {t!(i18n, palm.elapsed)} " " <strong class="mono" data-testid="elapsed">
                        {move || mmss(now.get() - launched)}
                    </strong>
                </span>
            </p>
        }
        .into_any(),
    };
    let rows = board_order(&parts)
        .into_iter()
        .map(|(a, depth)| {
            let unit_name = name(a.unit);
            let parent = a.parent.map(&name);
            let st = a.status;
            let due = a.ack.deadline_ms();
            let assigned = a.ack.started_ms;
            let signed = a.signed_ms;
            let escalated = a.escalated_ms.is_some();
            let late_signed = a.ack.on_time() == Some(false);
            let roll = rollup(&parts, a.unit);
            let late = move || signed.is_none() && now.get() > due;
            let clock = move || match signed {
                Some(t) => format!("{} {}", t_string!(i18n, palm.signed_after), mmss(t - assigned)),
                None if now.get() > due => format!("{} {}", t_string!(i18n, palm.overdue_by), mmss(now.get() - due)),
                None => format!("{} {}", t_string!(i18n, palm.remaining), mmss(due - now.get())),
            };
            let role = move || match (&parent, a.lead) {
                (Some(p), _) => format!("{} {p}", t_string!(i18n, palm.pushed_by)),
                (None, true) => t_string!(i18n, case.lead).to_string(),
                (None, false) => t_string!(i18n, case.cooperating).to_string(),
            };
            view! {
                <li class=format!("board-unit depth-{depth}") class:late=late data-unit=unit_name.clone() data-status=st.code() data-testid="board-unit">
                    <span class="unit-name">{unit_name.clone()}</span>
                    <span class="badge badge-outline">{role}</span>
                    <span class=assignment_class(st) data-testid="board-status">
                        {move || assignment_text(i18n.get_locale(), st)}
                    </span>
                    <span class="board-clock mono" class:red=late data-testid="board-clock">
                        {clock}
                    </span>
                    {late_signed.then(|| view! { <span class="badge badge-red">"■ " {t!(i18n, palm.late)}</span> })}
                    {(escalated && signed.is_none())
                        .then(|| {
                            view! {
                                <span class="badge badge-red" data-testid="escalated">
                                    "▲ "
                                    {t!(i18n, palm.escalated)}
                                </span>
                            }
                        })}
                    {roll.map(|(d, n)| view! { <span class="muted small">{t!(i18n, palm.parent_rollup)} " " {d} "/" {n}</span> })}
                </li>
            }
        })
        .collect_view();
    let directives: Vec<(i64, Vec<UnitId>, String)> = detail
        .timeline
        .iter()
        .rev()
        .filter_map(|e| match &e.change {
            Change::Directed { to, text } => Some((e.at_ms, to.clone(), text.clone())),
            _ => None,
        })
        .collect();
    let directive_list = if directives.is_empty() {
        view! { <p class="muted small">{t!(i18n, palm.no_directives)}</p> }.into_any()
    } else {
        directives
            .into_iter()
            .map(|(at, to, text)| {
                let to =
                    if to.is_empty() { t_string!(i18n, timeline.all_units).to_string() } else { to.iter().map(|u| name(*u)).collect::<Vec<_>>().join("、") };
                view! {
                    <li class="directive" data-testid="directive">
                        <span class="muted small">{format_instant(at)} " → " {to}</span>
                        <p>{text}</p>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    let has = |k: CommandKind| detail.actions.contains(&k);
    let direct_form = has(CommandKind::Direct).then(|| {
        let units: Vec<(UnitId, String)> = parts.iter().map(|a| (a.unit, name(a.unit))).collect();
        view! {
            <ActForm id command=CommandKind::Direct on_done submit=t_string!(i18n, palm.send_directive).to_string() class="directive-form">
                <fieldset class="unit-picker compact">
                    <legend>{t!(i18n, palm.to_units)}</legend>
                    {units
                        .into_iter()
                        .map(|(u, n)| {
                            view! {
                                <label class="check">
                                    <input type="checkbox" name="to" value=u />
                                    {n}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <Reason name="text" label=t_string!(i18n, case_field.directive).to_string() required=true rows=2 />
            </ActForm>
        }
    });
    let close_form = has(CommandKind::CloseCommand).then(|| {
        view! {
            <details class="act-more">
                <summary>{t!(i18n, command.close_command)}</summary>
                <ActForm id command=CommandKind::CloseCommand on_done submit=t_string!(i18n, command.close_command).to_string()>
                    <Reason name="summary" label=t_string!(i18n, palm.summary).to_string() required=true rows=4 />
                </ActForm>
            </details>
        }
    });
    let hand_over = has(CommandKind::HandOver).then(|| view! { <HandOverForm id on_done current=tf.commander /> });
    view! {
        <section class="card board" class:closed=!open data-testid="command-board" aria-labelledby="board-heading">
            <header class="board-head">
                <h2 id="board-heading">{t!(i18n, palm.title)} " · 1+1+" {parts.iter().filter(|a| !a.lead).count()}</h2>
                <p class="muted">
                    {t!(i18n, palm.commander)} "：" <strong data-testid="commander">{commander}</strong> " · " {t!(i18n, palm.launched_at)} " "
                    {format_instant(launched)}
                </p>
            </header>
            {summary}
            <ul class="board-units" aria-label=move || t_string!(i18n, palm.units_part)>
                {rows}
            </ul>
            {tf.summary.clone().map(|s| view! { <p class="board-closed">{t!(i18n, timeline.command_closed)} "：" {s}</p> })}
            <h3>{t!(i18n, palm.directives)}</h3>
            <ul class="directives">{directive_list}</ul>
            {direct_form}
            {hand_over}
            {close_form}
            <p class="muted small">{move || duration_text(i18n.get_locale(), detail.case.terms.ack_ms)} " · " {t!(i18n, palm.launch_hint)}</p>
        </section>
    }
    .into_any()
}

/// Hand the command over to a deputy: anyone who may command, except the current commander.
#[component]
fn HandOverForm(id: i64, on_done: Callback<()>, current: i64) -> impl IntoView {
    let i18n = use_i18n();
    let hint = Resource::new(move || id, super::api::fetch_routing_hint);
    view! {
        <details class="act-more">
            <summary>{t!(i18n, command.hand_over)}</summary>
            <Transition fallback=|| ()>
                {move || {
                    hint.get()
                        .and_then(|r| r.ok())
                        .map(|h| {
                            view! {
                                <ActForm id command=CommandKind::HandOver on_done submit=t_string!(i18n, command.hand_over).to_string()>
                                    <label class="field">
                                        <span>{t!(i18n, palm.hand_over_to)}</span>
                                        <select name="to" required>
                                            <option value="">{t!(i18n, case.choose)}</option>
                                            {h
                                                .commanders
                                                .into_iter()
                                                .filter(|(u, _)| *u != current)
                                                .map(|(u, n)| view! { <option value=u>{n}</option> })
                                                .collect_view()}
                                        </select>
                                    </label>
                                </ActForm>
                            }
                        })
                }}
            </Transition>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(unit: UnitId, lead: bool, parent: Option<UnitId>) -> Assignment {
        let mut a = Assignment::new(unit, lead, 1, 0, 300_000);
        a.parent = parent;
        a
    }

    #[test]
    fn the_lead_comes_first_and_sub_tasks_sit_under_their_unit() {
        let parts = vec![part(2, false, None), part(4, false, Some(1)), part(1, true, None), part(5, false, Some(4))];
        let order: Vec<(UnitId, usize)> = board_order(&parts).into_iter().map(|(a, d)| (a.unit, d)).collect();
        assert_eq!(order, vec![(1, 0), (4, 1), (5, 2), (2, 0)]);
    }

    #[test]
    fn a_unit_sees_how_many_of_its_sub_tasks_are_done() {
        let mut done = part(4, false, Some(1));
        done.status = AssignmentStatus::Done;
        let parts = vec![part(1, true, None), done, part(5, false, Some(1))];
        assert_eq!(rollup(&parts, 1), Some((1, 2)));
        assert_eq!(rollup(&parts, 5), None);
    }
}
