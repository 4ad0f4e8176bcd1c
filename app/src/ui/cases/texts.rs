//! The case register's words in the reader's language, and its status colours.
use crate::domain::case::{AssignmentStatus, CaseKind, CaseStatus, Channel, CommandKind, SlaLevel, Urgency};
use crate::i18n::*;
use leptos::prelude::*;

pub fn status_text(l: Locale, s: CaseStatus) -> &'static str {
    match s {
        CaseStatus::Received => td_string!(l, case_status.received),
        CaseStatus::Triage => td_string!(l, case_status.triage),
        CaseStatus::Dispatched => td_string!(l, case_status.dispatched),
        CaseStatus::InProgress => td_string!(l, case_status.in_progress),
        CaseStatus::Resolved => td_string!(l, case_status.resolved),
        CaseStatus::Verified => td_string!(l, case_status.verified),
        CaseStatus::FollowUp => td_string!(l, case_status.follow_up),
        CaseStatus::Closed => td_string!(l, case_status.closed),
        CaseStatus::Rejected => td_string!(l, case_status.rejected),
        CaseStatus::Merged => td_string!(l, case_status.merged),
        CaseStatus::Reopened => td_string!(l, case_status.reopened),
    }
}

/// Status colours mean the same everywhere (DESIGN.md): blue in progress, green done,
/// grey closed; amber and red are for clocks.
pub fn status_class(s: CaseStatus) -> &'static str {
    match s {
        CaseStatus::Received | CaseStatus::Triage | CaseStatus::Reopened => "badge badge-amber",
        CaseStatus::Dispatched | CaseStatus::InProgress => "badge badge-blue",
        CaseStatus::Resolved | CaseStatus::Verified | CaseStatus::FollowUp => "badge badge-green",
        CaseStatus::Closed | CaseStatus::Rejected | CaseStatus::Merged => "badge badge-grey",
    }
}

pub fn kind_text(l: Locale, k: CaseKind) -> &'static str {
    match k {
        CaseKind::PetitionMediation => td_string!(l, case_kind.petition_mediation),
        CaseKind::GovernanceIncident => td_string!(l, case_kind.governance_incident),
        CaseKind::SocialRisk => td_string!(l, case_kind.social_risk),
        CaseKind::MajorEmergency => td_string!(l, case_kind.major_emergency),
        CaseKind::EnforcementCoordination => td_string!(l, case_kind.enforcement_coordination),
        CaseKind::GrassrootsGuidance => td_string!(l, case_kind.grassroots_guidance),
    }
}

pub fn channel_text(l: Locale, c: Channel) -> &'static str {
    match c {
        Channel::Hotline12345 => td_string!(l, channel.hotline12345),
        Channel::WalkIn => td_string!(l, channel.walk_in),
        Channel::Field => td_string!(l, channel.field),
        Channel::Online => td_string!(l, channel.online),
        Channel::Petition => td_string!(l, channel.petition),
        Channel::Open311 => td_string!(l, channel.open311),
    }
}

pub fn urgency_text(l: Locale, u: Urgency) -> &'static str {
    match u {
        Urgency::Normal => td_string!(l, urgency.normal),
        Urgency::Urgent => td_string!(l, urgency.urgent),
        Urgency::Emergency => td_string!(l, urgency.emergency),
    }
}

pub fn assignment_text(l: Locale, s: AssignmentStatus) -> &'static str {
    match s {
        AssignmentStatus::Assigned => td_string!(l, assignment.assigned),
        AssignmentStatus::Signed => td_string!(l, assignment.signed),
        AssignmentStatus::Working => td_string!(l, assignment.working),
        AssignmentStatus::Done => td_string!(l, assignment.done),
        AssignmentStatus::Returned => td_string!(l, assignment.returned),
        AssignmentStatus::Withdrawn => td_string!(l, assignment.withdrawn),
    }
}

pub fn assignment_class(s: AssignmentStatus) -> &'static str {
    match s {
        AssignmentStatus::Assigned => "badge badge-amber",
        AssignmentStatus::Signed | AssignmentStatus::Working => "badge badge-blue",
        AssignmentStatus::Done => "badge badge-green",
        AssignmentStatus::Returned | AssignmentStatus::Withdrawn => "badge badge-grey",
    }
}

/// The clock's colour and words; never colour alone (an icon goes with it).
pub fn sla_badge(l: Locale, level: SlaLevel) -> (&'static str, String) {
    match level {
        SlaLevel::Normal => ("badge badge-blue", format!("◷ {}", td_string!(l, sla.normal))),
        SlaLevel::Warn70 => ("badge badge-amber", format!("⚠ {}", td_string!(l, sla.warn70))),
        SlaLevel::Warn90 => ("badge badge-amber", format!("⚠ {}", td_string!(l, sla.warn90))),
        SlaLevel::Overdue => ("badge badge-red", format!("■ {}", td_string!(l, sla.overdue))),
    }
}

pub fn command_text(l: Locale, c: CommandKind) -> &'static str {
    match c {
        CommandKind::Triage => td_string!(l, command.triage),
        CommandKind::Reject => td_string!(l, command.reject),
        CommandKind::Merge => td_string!(l, command.merge),
        CommandKind::Recategorise => td_string!(l, command.recategorise),
        CommandKind::Dispatch => td_string!(l, command.dispatch),
        CommandKind::Sign => td_string!(l, command.sign),
        CommandKind::Progress => td_string!(l, command.progress),
        CommandKind::RequestExtension => td_string!(l, command.request_extension),
        CommandKind::DecideExtension => td_string!(l, command.decide_extension),
        CommandKind::Return => td_string!(l, command.return_case),
        CommandKind::FinishPart => td_string!(l, command.finish_part),
        CommandKind::Resolve => td_string!(l, command.resolve),
        CommandKind::Verify => td_string!(l, command.verify),
        CommandKind::StartFollowUp => td_string!(l, command.start_follow_up),
        CommandKind::RecordFollowUp => td_string!(l, command.record_follow_up),
        CommandKind::Close => td_string!(l, command.close),
        CommandKind::Reopen => td_string!(l, command.reopen),
        CommandKind::Launch => td_string!(l, command.launch),
        CommandKind::Direct => td_string!(l, command.direct),
        CommandKind::Escalate => td_string!(l, command.escalate),
        CommandKind::HandOver => td_string!(l, command.hand_over),
        CommandKind::CloseCommand => td_string!(l, command.close_command),
        CommandKind::SubTask => td_string!(l, command.sub_task),
        CommandKind::EscalateFurther => td_string!(l, command.escalate_further),
        CommandKind::Watch => td_string!(l, command.watch),
        CommandKind::Remind => td_string!(l, command.remind),
        CommandKind::Track => td_string!(l, command.track),
        CommandKind::List => td_string!(l, command.list),
        CommandKind::TickOff => td_string!(l, command.tick_off),
    }
}

/// A duration in days and hours, or hours and minutes when short.
pub fn duration_text(l: Locale, ms: i64) -> String {
    let minutes = ms.abs() / 60_000;
    let (d, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    if d > 0 {
        format!("{d}{}{h}{}", td_string!(l, time.days), td_string!(l, time.hours))
    } else if h > 0 {
        format!("{h}{}{m}{}", td_string!(l, time.hours), td_string!(l, time.minutes))
    } else {
        format!("{m}{}", td_string!(l, time.minutes))
    }
}

#[component]
pub fn StatusBadge(status: CaseStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=status_class(status) data-testid="case-status" data-status=status.code()>
            {move || status_text(i18n.get_locale(), status)}
        </span>
    }
}
