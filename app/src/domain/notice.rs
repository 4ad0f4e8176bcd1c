//! What the real-time hub pushes (DESIGN.md "Real-time"): a small typed notice that a case
//! changed, addressed to units. Browsers refetch what they show when one arrives; the notice
//! itself carries just enough for a phone to ring and say what came in.
use super::case::{CaseEvent, CaseId, Change, UnitId};
use serde::{Deserialize, Serialize};

/// What a notice announces, from the most significant event of the change.
pub mod kind {
    /// A new case at the center's desk.
    pub const RECEIVED: &str = "received";
    /// A unit was given a task to sign: a dispatch, a palm command, a sub-task.
    pub const TASK: &str = "task";
    pub const DIRECTIVE: &str = "directive";
    pub const ESCALATED: &str = "escalated";
    /// Supervision (督办) reached the unit: a reminder, tracking or listing.
    pub const SUPERVISED: &str = "supervised";
    /// The case has used 70 % or 90 % of its time.
    pub const WARNED: &str = "warned";
    /// A bulletin (通报) was published to every unit; `case_id` is 0 and `title` the period's code.
    pub const BULLETIN: &str = "bulletin";
    /// A risk warning was raised, grew or took a step; `title` is the warning's id and the
    /// notice goes to the center only.
    pub const RISK: &str = "risk";
    /// A duty shift was not checked in in time; `case_id` is 0, `title` the unit and person,
    /// `text` the shift's id. To the center and the shift's unit.
    pub const DUTY: &str = "duty";
    /// An emergency's reporting changed: declared, a report filed or checked, a deadline
    /// missed, the emergency found hidden. To the center and the responsible unit.
    pub const EMERGENCY: &str = "emergency";
    /// A hazard on the register was found, took a step or passed its deadline. To the center
    /// and the responsible and inspecting units; `case_id` is 0 (the text names the hazard).
    pub const HAZARD: &str = "hazard";
    /// A dispute's mediation record changed.
    pub const MEDIATION: &str = "mediation";
    /// Anything else on the case: a signature, a report, a close.
    pub const CHANGED: &str = "changed";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Increasing; the `id:` of the Server-Sent Event, so a reconnecting browser says
    /// where it stopped (`Last-Event-ID`).
    pub id: i64,
    pub at_ms: i64,
    pub case_id: CaseId,
    pub kind: String,
    /// The units it is addressed to; the center's staff see every notice.
    pub units: Vec<UnitId>,
    /// The case's title, for a phone's notification.
    pub title: String,
    /// A directive's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Notice {
    /// `unit` is the subscriber's unit for unit staff, `None` for the center's staff.
    pub fn visible_to(&self, unit: Option<UnitId>) -> bool {
        unit.is_none_or(|u| self.units.contains(&u))
    }

    /// Whether this notice asks `unit` to act now: ring the phone.
    pub fn rings(&self, unit: Option<UnitId>) -> bool {
        matches!(self.kind.as_str(), kind::TASK | kind::DIRECTIVE | kind::ESCALATED | kind::SUPERVISED | kind::WARNED)
            && unit.is_some_and(|u| self.units.contains(&u))
    }
}

/// The notice a change of a case gives, before it has its id: (kind, units, text). `units_of_round`
/// are the units of the case's current round (every unit with a part), who hear of any change.
pub fn describe(events: &[CaseEvent], units_of_round: &[UnitId]) -> (&'static str, Vec<UnitId>, Option<String>) {
    let rank = |c: &Change| match c {
        Change::Escalated { .. } | Change::EscalatedFurther { .. } => 5,
        Change::Reminded { .. } | Change::TrackingStarted { .. } | Change::Listed { .. } => 4,
        Change::Warned { .. } => 4,
        Change::Directed { .. } => 3,
        Change::Dispatched { .. } | Change::SubTasked { .. } => 2,
        Change::Received { .. } => 1,
        _ => 0,
    };
    let Some(top) = events.iter().map(|e| &e.change).max_by_key(|c| rank(c)) else {
        return (kind::CHANGED, units_of_round.to_vec(), None);
    };
    let mut units = top.addressed_to().unwrap_or_else(|| units_of_round.to_vec());
    if let Change::Dispatched { lead, cooperating, .. } = top {
        units = std::iter::once(*lead).chain(cooperating.iter().copied()).collect();
    }
    let (k, text) = match top {
        Change::Escalated { .. } | Change::EscalatedFurther { .. } => (kind::ESCALATED, None),
        Change::Reminded { text, .. } => (kind::SUPERVISED, text.clone()),
        Change::TrackingStarted { text, .. } => (kind::SUPERVISED, Some(text.clone())),
        Change::Listed { reason, .. } => (kind::SUPERVISED, Some(reason.clone())),
        Change::Warned { .. } => (kind::WARNED, None),
        Change::Directed { text, .. } => (kind::DIRECTIVE, Some(text.clone())),
        Change::Dispatched { .. } | Change::SubTasked { .. } => (kind::TASK, None),
        Change::Received { .. } => (kind::RECEIVED, None),
        _ => (kind::CHANGED, None),
    };
    // Whoever leaves the round (a return withdraws the others) hears of it too.
    for e in events {
        if let Change::Returned { unit, withdrawn, .. } = &e.change {
            units.extend(std::iter::once(*unit).chain(withdrawn.iter().copied()));
        }
    }
    units.sort_unstable();
    units.dedup();
    (k, units, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::Actor;

    fn ev(change: Change) -> CaseEvent {
        CaseEvent { at_ms: 0, by: Actor::System, change }
    }

    #[test]
    fn a_launch_is_a_task_for_every_unit_of_the_force() {
        let events = [
            ev(Change::Triaged),
            ev(Change::CommandLaunched { commander: 1, round: 1 }),
            ev(Change::Dispatched { round: 1, lead: 5, cooperating: vec![7, 6], ack_due_ms: 0 }),
        ];
        assert_eq!(describe(&events, &[]), (kind::TASK, vec![5, 6, 7], None));
    }

    #[test]
    fn a_directive_to_chosen_units_reaches_only_them_and_rings() {
        let events = [ev(Change::Directed { to: vec![6], text: "鉴定".into() })];
        let (k, units, text) = describe(&events, &[5, 6, 7]);
        assert_eq!((k, units.clone(), text.as_deref()), (kind::DIRECTIVE, vec![6], Some("鉴定")));
        let n = Notice { id: 1, at_ms: 0, case_id: 1, kind: k.into(), units, title: "t".into(), text };
        assert!(n.rings(Some(6)) && !n.rings(Some(5)) && !n.rings(None));
        assert!(n.visible_to(None) && n.visible_to(Some(6)) && !n.visible_to(Some(5)));
        let all = describe(&[ev(Change::Directed { to: vec![], text: "x".into() })], &[5, 6, 7]);
        assert_eq!(all.1, vec![5, 6, 7]);
    }

    #[test]
    fn a_signature_is_news_for_the_whole_force_without_ringing() {
        let events = [ev(Change::Signed { unit: 6, late: false }), ev(Change::AllSigned { round: 1 })];
        assert_eq!(describe(&events, &[5, 6]), (kind::CHANGED, vec![5, 6], None));
    }

    #[test]
    fn a_reminder_rings_the_holding_units_with_the_supervisors_words() {
        let events = [ev(Change::Reminded { units: vec![5], text: Some("请今日办结".into()), trigger: None })];
        let (k, units, text) = describe(&events, &[5, 6]);
        assert_eq!((k, units.clone(), text.as_deref()), (kind::SUPERVISED, vec![5], Some("请今日办结")));
        let n = Notice { id: 1, at_ms: 0, case_id: 1, kind: k.into(), units, title: "t".into(), text };
        assert!(n.rings(Some(5)) && !n.rings(Some(6)));
        let listed = describe(&[ev(Change::Listed { deadline_ms: 9, leader: "王".into(), reason: "反复投诉".into() })], &[5, 6]);
        assert_eq!((listed.0, listed.1), (kind::SUPERVISED, vec![5, 6]));
        let warned = describe(&[ev(Change::Warned { level: crate::domain::case::SlaLevel::Warn90, units: vec![6] })], &[5, 6]);
        assert_eq!((warned.0, warned.1), (kind::WARNED, vec![6]));
    }

    #[test]
    fn a_return_tells_the_withdrawn_units() {
        let events = [ev(Change::Returned { unit: 6, reason: "r".into(), withdrawn: vec![5] })];
        assert_eq!(describe(&events, &[]).1, vec![5, 6]);
    }
}
