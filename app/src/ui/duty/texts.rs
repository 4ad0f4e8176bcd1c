//! The roster's words: posts, a shift's state, an import row's problem.
use crate::domain::duty::{LineProblem, Post, ShiftState};
use crate::i18n::*;
use leptos::prelude::*;

pub fn post_text(l: Locale, p: Post) -> String {
    match p {
        Post::Leader => td_string!(l, duty.post_leader),
        Post::Officer => td_string!(l, duty.post_officer),
    }
    .to_string()
}

pub fn state_text(l: Locale, s: ShiftState) -> String {
    match s {
        ShiftState::Planned => td_string!(l, duty.state_planned),
        ShiftState::Due => td_string!(l, duty.state_due),
        ShiftState::Missed => td_string!(l, duty.state_missed),
        ShiftState::OnDuty => td_string!(l, duty.state_on_duty),
        ShiftState::NoteDue => td_string!(l, duty.state_note_due),
        ShiftState::HandedOver => td_string!(l, duty.state_handed_over),
        ShiftState::Absent => td_string!(l, duty.state_absent),
    }
    .to_string()
}

#[component]
pub fn StateBadge(state: ShiftState) -> impl IntoView {
    let i18n = use_i18n();
    let class = match state {
        ShiftState::Planned | ShiftState::Due => "badge",
        ShiftState::OnDuty | ShiftState::HandedOver => "badge badge-green",
        ShiftState::NoteDue => "badge badge-amber",
        ShiftState::Missed | ShiftState::Absent => "badge badge-red",
    };
    view! {
        <span class=class data-testid="duty-state" data-state=format!("{state:?}")>
            {move || state_text(i18n.get_locale(), state)}
        </span>
    }
}

pub fn problem_text(l: Locale, p: &LineProblem) -> String {
    match p {
        LineProblem::MissingColumn(c) => format!("{}{c}", td_string!(l, duty.missing_column)),
        LineProblem::BadDate(v) => format!("{}{v}", td_string!(l, duty.bad_date)),
        LineProblem::BadTime(v) => format!("{}{v}", td_string!(l, duty.bad_time)),
        LineProblem::UnknownUnit(v) => format!("{}{v}", td_string!(l, duty.unknown_unit)),
        LineProblem::UnknownPost(v) => format!("{}{v}", td_string!(l, duty.unknown_post)),
        LineProblem::UnknownPerson(v) => format!("{}{v}", td_string!(l, duty.unknown_person)),
        LineProblem::Shift(e) => crate::ui::errors::duty_error_text(l, e),
    }
}
