//! Suggestion statuses, review steps and history entries as text.
use crate::domain::campaign::{CampaignPhase, ReviewEvent, ReviewKind, SuggestionStatus, Verdict};
use crate::i18n::*;
use leptos::prelude::*;

pub fn status_text(l: Locale, s: SuggestionStatus) -> &'static str {
    use SuggestionStatus as S;
    match s {
        S::Submitted => td_string!(l, suggestion_status.submitted),
        S::Hidden => td_string!(l, suggestion_status.hidden),
        S::Merged => td_string!(l, suggestion_status.merged),
        S::Assigned => td_string!(l, suggestion_status.assigned),
        S::Evaluating => td_string!(l, suggestion_status.evaluating),
        S::Accepted => td_string!(l, suggestion_status.accepted),
        S::Rejected => td_string!(l, suggestion_status.rejected),
        S::Shortlisted => td_string!(l, suggestion_status.shortlisted),
        S::Adopted => td_string!(l, suggestion_status.adopted),
        S::NotAdopted => td_string!(l, suggestion_status.not_adopted),
        S::Published => td_string!(l, suggestion_status.published),
        S::Completed => td_string!(l, suggestion_status.completed),
    }
}

fn status_class(s: SuggestionStatus) -> &'static str {
    use SuggestionStatus as S;
    match s {
        S::Submitted | S::Assigned | S::Evaluating => "badge badge-blue",
        S::Accepted | S::Shortlisted | S::Adopted | S::Published | S::Completed => "badge badge-green",
        S::Rejected | S::NotAdopted | S::Hidden => "badge badge-grey",
        S::Merged => "badge badge-outline",
    }
}

#[component]
pub fn SuggestionBadge(status: SuggestionStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=status_class(status) data-testid="suggestion-status" data-status=status.code()>
            {move || status_text(i18n.get_locale(), status)}
        </span>
    }
}

pub fn phase_text(l: Locale, p: CampaignPhase) -> &'static str {
    match p {
        CampaignPhase::Upcoming => td_string!(l, suggest.phase_upcoming),
        CampaignPhase::Open => td_string!(l, suggest.phase_open),
        CampaignPhase::Closed => td_string!(l, suggest.phase_closed),
    }
}

pub fn kind_text(l: Locale, k: ReviewKind) -> &'static str {
    match k {
        ReviewKind::Hide => td_string!(l, review.hide),
        ReviewKind::Merge => td_string!(l, review.merge),
        ReviewKind::Assign => td_string!(l, review.assign),
        ReviewKind::Answer => td_string!(l, review.answer),
        ReviewKind::Shortlist => td_string!(l, review.shortlist),
        ReviewKind::Vote => td_string!(l, review.vote),
        ReviewKind::Publish => td_string!(l, review.publish),
        ReviewKind::Progress => td_string!(l, review.progress),
    }
}

pub fn verdict_text(l: Locale, v: Verdict) -> &'static str {
    match v {
        Verdict::Evaluating => td_string!(l, suggestion_status.evaluating),
        Verdict::Accepted => td_string!(l, suggestion_status.accepted),
        Verdict::Rejected => td_string!(l, suggestion_status.rejected),
    }
}

/// Yuan as 万元 with up to two decimals, as budgets are read.
pub fn wan(yuan: i64) -> String {
    let s = format!("{:.2}", yuan as f64 / 10_000.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// One history entry. `unit` and `merged` name what the ids point at, when known.
pub fn event_text(l: Locale, e: &ReviewEvent, unit: Option<&str>, merged: Option<&str>) -> String {
    match e {
        ReviewEvent::Submitted => td_string!(l, review.ev_submitted).to_string(),
        ReviewEvent::Hidden { reason } => format!("{}：{reason}", td_string!(l, review.ev_hidden)),
        ReviewEvent::Merged { into } => format!("{} {}", td_string!(l, review.ev_merged), merged.map_or_else(|| format!("#{into}"), str::to_string)),
        ReviewEvent::Assigned { unit: u } => format!("{}：{}", td_string!(l, review.ev_assigned), unit.map_or_else(|| format!("#{u}"), str::to_string)),
        ReviewEvent::Answered(a) => {
            let mut s = format!("{}：{}。{}", td_string!(l, review.ev_answered), verdict_text(l, a.verdict), a.reason);
            if let Some(c) = a.cost_yuan {
                s.push_str(&format!("；{} {} {}", td_string!(l, review.cost), wan(c), td_string!(l, review.wan)));
            }
            if let Some(p) = &a.period {
                s.push_str(&format!("；{} {p}", td_string!(l, review.period)));
            }
            s
        }
        ReviewEvent::Shortlisted => td_string!(l, review.ev_shortlisted).to_string(),
        ReviewEvent::Voted { vote, adopted } => format!(
            "{}：{} {}，{} {}，{} {} — {}",
            td_string!(l, review.ev_voted),
            td_string!(l, review.yes),
            vote.yes,
            td_string!(l, review.no),
            vote.no,
            td_string!(l, review.abstain),
            vote.abstain,
            if *adopted { td_string!(l, suggestion_status.adopted) } else { td_string!(l, suggestion_status.not_adopted) }
        ),
        ReviewEvent::Published => td_string!(l, review.ev_published).to_string(),
        ReviewEvent::Progressed { percent, note } => format!("{} {percent}%：{note}", td_string!(l, review.ev_progress)),
    }
}
