//! The words of emergency reports: levels, stages, how an owed report stands, flags.
use crate::domain::emergency::{Due, DueState, FactFlag, Level, Stage};
use crate::i18n::*;
use crate::ui::components::format_instant;
use leptos::prelude::*;

pub fn level_text(l: Locale, v: Level) -> String {
    match v {
        Level::Particular => td_string!(l, emergency.level_i),
        Level::Major => td_string!(l, emergency.level_ii),
        Level::Large => td_string!(l, emergency.level_iii),
        Level::General => td_string!(l, emergency.level_iv),
    }
    .to_string()
}

pub fn stage_text(l: Locale, s: Stage) -> String {
    match s {
        Stage::Quick => td_string!(l, emergency.quick),
        Stage::Written => td_string!(l, emergency.written),
        Stage::FollowUp => td_string!(l, emergency.follow_up),
        Stage::Final => td_string!(l, emergency.final_report),
    }
    .to_string()
}

pub fn flag_text(l: Locale, f: FactFlag) -> String {
    match f {
        FactFlag::DeathsLowered => td_string!(l, emergency.flag_deaths_lowered),
        FactFlag::DownThenUp => td_string!(l, emergency.flag_down_then_up),
        FactFlag::TimeMoved => td_string!(l, emergency.flag_time_moved),
    }
    .to_string()
}

fn due_text(l: Locale, s: DueState) -> String {
    match s {
        DueState::Waiting => td_string!(l, emergency.due_waiting),
        DueState::OnTime => td_string!(l, emergency.due_on_time),
        DueState::Late => td_string!(l, emergency.due_late),
        DueState::Missed => td_string!(l, emergency.due_missed),
    }
    .to_string()
}

/// An owed report's state, with its deadline or its filing time.
#[component]
pub fn DueBadge(due: Due, now: i64, stage: Stage) -> impl IntoView {
    let i18n = use_i18n();
    let state = due.state(now);
    let class = match state {
        DueState::Waiting => "badge badge-amber",
        DueState::OnTime => "badge badge-green",
        DueState::Late | DueState::Missed => "badge badge-red",
    };
    let when = match (due.filed_ms, state) {
        (Some(t), _) => format!("{} {}", t_string!(i18n, emergency.filed_at), &format_instant(t)[5..16]),
        (None, DueState::Waiting) => {
            let left = (due.due_ms - now).max(0) / 60_000;
            format!(
                "{} {} · {} {left} {}",
                t_string!(i18n, emergency.due_by),
                &format_instant(due.due_ms)[11..16],
                t_string!(i18n, emergency.left),
                t_string!(i18n, emergency.minutes)
            )
        }
        (None, _) => format!("{} {}", t_string!(i18n, emergency.due_by), &format_instant(due.due_ms)[5..16]),
    };
    view! {
        <span class="emergency-due" data-testid=format!("due-{}", stage.code()) data-state=format!("{state:?}")>
            <span class=class>{move || due_text(i18n.get_locale(), state)}</span>
            " "
            <span class="muted small">{when}</span>
        </span>
    }
}
