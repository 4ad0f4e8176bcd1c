//! The case history as a timeline: who, when, what, why — and the photos that came with it.
use super::texts::duration_text;
use crate::domain::case::{AttachmentInfo, Change, CloseCause, ReopenCause, SlaLevel, TimelineEntry, Trigger, UnitId, UserId};
use crate::i18n::*;
use crate::ui::components::format_instant;
use leptos::prelude::*;

/// What a history's ids and codes are shown by: the units that held the case, the staff
/// it names as commanders, the categories it was filed under.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub units: Vec<(UnitId, String)>,
    pub people: Vec<(UserId, String)>,
    pub categories: Vec<(String, String)>,
}

impl Names {
    fn unit(&self, id: UnitId) -> String {
        self.units.iter().find(|(u, _)| *u == id).map_or_else(|| format!("#{id}"), |(_, s)| s.clone())
    }

    fn person(&self, id: UserId) -> String {
        self.people.iter().find(|(u, _)| *u == id).map_or_else(|| format!("#{id}"), |(_, s)| s.clone())
    }

    fn category(&self, code: &str) -> String {
        self.categories.iter().find(|(c, _)| c == code).map_or_else(|| code.to_string(), |(_, s)| s.clone())
    }
}

/// One history entry in words.
pub fn change_text(l: Locale, change: &Change, names: &Names) -> String {
    let unit = |id: UnitId| names.unit(id);
    let person = |id: UserId| names.person(id);
    let units = |us: &[UnitId]| us.iter().map(|u| unit(*u)).collect::<Vec<_>>().join("、");
    match change {
        Change::Received { .. } => td_string!(l, timeline.received).to_string(),
        Change::Triaged => td_string!(l, timeline.triaged).to_string(),
        Change::Rejected { reason } => format!("{}：{reason}", td_string!(l, timeline.rejected)),
        Change::Merged { .. } => td_string!(l, timeline.merged).to_string(),
        Change::Recategorised { from, to, reason, .. } => {
            format!("{}：{} → {}（{reason}）", td_string!(l, timeline.recategorised), names.category(from), names.category(to))
        }
        Change::Dispatched { round, lead, cooperating, .. } => {
            let coop: Vec<String> = cooperating.iter().map(|u| unit(*u)).collect();
            let coop = if coop.is_empty() { String::new() } else { format!("；{}：{}", td_string!(l, timeline.cooperating), coop.join("、")) };
            format!(
                "{}（{}{round}{}）— {}：{}{coop}",
                td_string!(l, timeline.dispatched),
                td_string!(l, timeline.round),
                td_string!(l, timeline.round_suffix),
                td_string!(l, timeline.lead),
                unit(*lead)
            )
        }
        Change::Signed { unit: u, late } => {
            let late = if *late { format!("（{}）", td_string!(l, timeline.late)) } else { String::new() };
            format!("{} {}{late}", unit(*u), td_string!(l, timeline.signed))
        }
        Change::AllSigned { .. } => td_string!(l, timeline.all_signed).to_string(),
        Change::Progressed { unit: u, text, .. } => format!("{} {}：{text}", unit(*u), td_string!(l, timeline.progressed)),
        Change::ExtensionRequested { unit: u, ms, reason } => {
            format!("{} {} {}：{reason}", unit(*u), td_string!(l, timeline.extension_requested), duration_text(l, *ms))
        }
        Change::ExtensionDecided { unit: u, ms, approved, note, .. } => {
            let verdict = if *approved { td_string!(l, timeline.extension_approved) } else { td_string!(l, timeline.extension_refused) };
            let note = note.as_deref().map(|n| format!("：{n}")).unwrap_or_default();
            format!("{verdict}（{}，{}）{note}", unit(*u), duration_text(l, *ms))
        }
        Change::Returned { unit: u, reason, .. } => format!("{} {}：{reason}", unit(*u), td_string!(l, timeline.returned)),
        Change::PartFinished { unit: u } => format!("{} {}", unit(*u), td_string!(l, timeline.part_finished)),
        Change::Resolved { unit: u, result, on_time, .. } => {
            let late = if *on_time { String::new() } else { format!("（{}）", td_string!(l, timeline.overdue)) };
            format!("{} {}{late}：{result}", unit(*u), td_string!(l, timeline.resolved))
        }
        Change::Verified => td_string!(l, timeline.verified).to_string(),
        Change::FollowUpStarted { .. } => td_string!(l, timeline.follow_up_started).to_string(),
        Change::FollowUpRecorded { satisfied, comment } => {
            let verdict = match satisfied {
                Some(true) => td_string!(l, timeline.satisfied),
                Some(false) => td_string!(l, timeline.unsatisfied),
                None => td_string!(l, timeline.no_answer),
            };
            let comment = comment.as_deref().map(|c| format!("：{c}")).unwrap_or_default();
            format!("{}：{verdict}{comment}", td_string!(l, timeline.follow_up_recorded))
        }
        Change::Closed { cause } => match cause {
            CloseCause::Satisfied => td_string!(l, timeline.closed_satisfied).to_string(),
            CloseCause::NoAnswer => td_string!(l, timeline.closed_no_answer).to_string(),
        },
        Change::Reopened { cause } => match cause {
            ReopenCause::Unsatisfied => td_string!(l, timeline.reopened_unsatisfied).to_string(),
            ReopenCause::Requested { reason } => format!("{}：{reason}", td_string!(l, timeline.reopened)),
        },
        Change::CommandLaunched { commander, .. } => {
            format!("{}：{}", td_string!(l, timeline.command_launched), person(*commander))
        }
        Change::Directed { to, text } => {
            let to = if to.is_empty() { td_string!(l, timeline.all_units).to_string() } else { units(to) };
            format!("{}（{to}）：{text}", td_string!(l, timeline.directed))
        }
        Change::Escalated { units: us } => format!("{}：{}", td_string!(l, timeline.escalated), units(us)),
        Change::CommanderHandedOver { from, to } => {
            format!("{}：{} → {}", td_string!(l, timeline.handed_over), person(*from), person(*to))
        }
        Change::CommandClosed { summary } => format!("{}：{summary}", td_string!(l, timeline.command_closed)),
        Change::SubTasked { parent, units: us, text, .. } => {
            format!("{} {}（{}）：{text}", unit(*parent), td_string!(l, timeline.sub_tasked), units(us))
        }
        Change::EscalatedFurther { units: us, to } => {
            let people: Vec<String> = to.iter().map(|p| person(*p)).collect();
            format!("{}（{}）：{}", td_string!(l, timeline.escalated_further), units(us), people.join("、"))
        }
        Change::Warned { level, units: us } => {
            let what = if *level == SlaLevel::Warn90 { td_string!(l, timeline.warned90) } else { td_string!(l, timeline.warned70) };
            format!("{what}：{}", units(us))
        }
        Change::Reminded { units: us, text, trigger } => {
            let what = match trigger {
                None => td_string!(l, timeline.reminded),
                Some(Trigger::Overdue) => td_string!(l, timeline.reminded_overdue),
                Some(Trigger::FeedbackMissed) => td_string!(l, timeline.reminded_feedback),
            };
            let text = text.as_deref().map(|t| format!("：{t}")).unwrap_or_default();
            format!("{what}（{}）{text}", units(us))
        }
        Change::TrackingStarted { units: us, feedback_due_ms, text } => {
            format!("{} {}（{}）：{text}", td_string!(l, timeline.tracking_started), format_instant(*feedback_due_ms), units(us))
        }
        Change::ListingProposed { overdue_ms } => format!("{}（{}）", td_string!(l, timeline.listing_proposed), duration_text(l, *overdue_ms)),
        Change::Listed { deadline_ms, leader, reason } => format!(
            "{}：{reason}；{} {}；{} {leader}",
            td_string!(l, timeline.listed),
            td_string!(l, timeline.list_deadline),
            format_instant(*deadline_ms),
            td_string!(l, timeline.responsible_leader)
        ),
        Change::TickedOff { note } => format!("{}：{note}", td_string!(l, timeline.ticked_off)),
    }
}

/// Photos as thumbnails that open full size; other files as links.
#[component]
pub fn Attachments(files: Vec<AttachmentInfo>) -> impl IntoView {
    (!files.is_empty()).then(|| {
        view! {
            <ul class="attachments">
                {files
                    .into_iter()
                    .map(|f| {
                        let href = format!("/files/{}", f.id);
                        if f.is_image() {
                            let src = href.clone();
                            view! {
                                <li>
                                    <a href=href target="_blank" rel="external">
                                        <img src=src alt=f.file_name.clone() loading="lazy" />
                                    </a>
                                </li>
                            }
                                .into_any()
                        } else {
                            view! {
                                <li>
                                    <a href=href rel="external" target="_blank">
                                        {f.file_name.clone()}
                                    </a>
                                </li>
                            }
                                .into_any()
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

#[component]
pub fn Timeline(entries: Vec<TimelineEntry>, names: Names) -> impl IntoView {
    let i18n = use_i18n();
    let names = StoredValue::new(names);
    view! {
        <ol class="timeline" data-testid="timeline">
            {entries
                .into_iter()
                .rev()
                .map(|e| {
                    let change = e.change.clone();
                    let who = match (e.actor_name.clone(), e.resident) {
                        (Some(n), _) => n,
                        (None, true) => t_string!(i18n, timeline.resident).to_string(),
                        (None, false) => t_string!(i18n, timeline.system).to_string(),
                    };
                    let text = move || names.with_value(|n| change_text(i18n.get_locale(), &change, n));
                    view! {
                        <li data-kind=e.change.kind()>
                            <div class="timeline-meta">
                                <time>{format_instant(e.at_ms)}</time>
                                " · "
                                <span>{who}</span>
                            </div>
                            <div class="timeline-text">{text}</div>
                            <Attachments files=e.attachments.clone() />
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
