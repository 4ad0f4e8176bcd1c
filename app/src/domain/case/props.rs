//! Property tests: random command sequences, mostly from the right person so they get
//! deep into the lifecycle, sometimes from the wrong one, with texts sometimes blank and
//! clocks jumping by days. Whatever happens, the invariants below must hold.
use super::*;
use crate::domain::org::Role;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use std::collections::HashSet;

use CaseCommand as C;

const T0: i64 = 1_700_000_000_000;
const MIN: i64 = 60_000;
const DAY: i64 = 24 * 60 * MIN;
const UNITS: [UnitId; 3] = [1, 2, 3];

fn desk() -> Actor {
    Actor::staff(1, Role::Operator, Some(100))
}

fn unit() -> impl Strategy<Value = UnitId> {
    prop::sample::select(UNITS.to_vec())
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![8 => Just("理由与结果".to_string()), 1 => Just(" ".to_string()), 1 => Just("长".repeat(2001))]
}

fn command() -> impl Strategy<Value = CaseCommand> {
    let ms = prop::sample::select(vec![0, MIN_EXTENSION_MS, DAY, MAX_EXTENSION_MS + 1]);
    let answer = prop::option::of(any::<bool>());
    prop_oneof![
        6 => Just(C::Triage),
        1 => text().prop_map(|reason| C::Reject { reason }),
        1 => prop::sample::select(vec![1, 2]).prop_map(|into| C::Merge { into }),
        8 => (unit(), prop::collection::vec(unit(), 0..3)).prop_map(|(lead, cooperating)| C::Dispatch { lead, cooperating }),
        20 => unit().prop_map(|unit| C::Sign { unit }),
        4 => (unit(), text()).prop_map(|(unit, text)| C::Progress { unit, text, place: None }),
        2 => (unit(), ms, text()).prop_map(|(unit, ms, reason)| C::RequestExtension { unit, ms, reason }),
        2 => (unit(), any::<bool>()).prop_map(|(unit, approve)| C::DecideExtension { unit, approve, note: None }),
        1 => (unit(), text()).prop_map(|(unit, reason)| C::Return { unit, reason }),
        4 => unit().prop_map(|unit| C::FinishPart { unit }),
        12 => (unit(), text()).prop_map(|(unit, result)| C::Resolve { unit, result }),
        6 => Just(C::Verify),
        6 => Just(C::StartFollowUp),
        6 => answer.prop_map(|satisfied| C::RecordFollowUp { satisfied, comment: None }),
        4 => Just(C::Close),
        1 => text().prop_map(|reason| C::Reopen { reason }),
    ]
}

/// Who issues the command: usually whoever is supposed to, sometimes someone else.
fn actor_for(cmd: &CaseCommand, pick: u8, other_unit: UnitId) -> Actor {
    let proper = match (cmd.acting_unit(), cmd) {
        (Some(u), _) => Actor::staff(1000 + u, Role::UnitStaff, Some(u)),
        (None, C::DecideExtension { .. }) => Actor::staff(2, Role::Supervisor, None),
        (None, C::RecordFollowUp { satisfied: Some(_), .. }) => Actor::Resident,
        (None, C::Close) => Actor::System,
        (None, _) => desk(),
    };
    match pick {
        0..=8 => proper,
        9 => Actor::staff(1000 + other_unit, Role::UnitStaff, Some(other_unit)),
        10 => Actor::Resident,
        11 => Actor::System,
        _ => Actor::staff(3, Role::Leader, None),
    }
}

/// Points a unit command at one of the case's current units (its number picks which),
/// so walks spend their steps on units that hold the case rather than on strangers.
fn aim(cmd: CaseCommand, case: &Case) -> CaseCommand {
    let units: Vec<UnitId> = case.current_assignments().map(|a| a.unit).collect();
    let pick = |u: UnitId| if units.is_empty() { u } else { units[u as usize % units.len()] };
    match cmd {
        C::Sign { unit } => C::Sign { unit: pick(unit) },
        C::Progress { unit, text, place } => C::Progress { unit: pick(unit), text, place },
        C::RequestExtension { unit, ms, reason } => C::RequestExtension { unit: pick(unit), ms, reason },
        C::DecideExtension { unit, approve, note } => C::DecideExtension { unit: pick(unit), approve, note },
        C::Return { unit, reason } => C::Return { unit: pick(unit), reason },
        C::FinishPart { unit } => C::FinishPart { unit: pick(unit) },
        C::Resolve { unit, result } => C::Resolve { unit: pick(unit), result },
        other => other,
    }
}

#[derive(Debug, Clone)]
struct Step {
    cmd: CaseCommand,
    aimed: bool,
    pick: u8,
    other_unit: UnitId,
    dt: i64,
}

fn step() -> impl Strategy<Value = Step> {
    let dt = prop_oneof![4 => 0..10 * MIN, 1 => 0..5 * DAY];
    (command(), prop::bool::weighted(0.75), 0u8..13, unit(), dt).prop_map(|(cmd, aimed, pick, other_unit, dt)| Step { cmd, aimed, pick, other_unit, dt })
}

fn fresh() -> (Case, CaseEvent) {
    let category = Category::preset("noise", "噪声扰民", CaseKind::GovernanceIncident, SlaClass::Utilities).unwrap();
    let intake = Intake::new(&category, Channel::Online, Urgency::Normal).unwrap();
    Case::receive(7, intake, &Actor::Resident, T0).unwrap()
}

/// What must be true of any case, whatever brought it there.
fn check_state(c: &Case) -> Result<(), TestCaseError> {
    let current: Vec<&Assignment> = c.current_assignments().collect();
    if c.status == CaseStatus::InProgress {
        prop_assert!(!current.is_empty() && current.iter().all(|a| a.status.is_signed()), "in progress with an unsigned unit");
    }
    if c.status == CaseStatus::Dispatched {
        prop_assert!(current.iter().any(|a| !a.status.is_signed()), "dispatched although all have signed");
    }
    if c.status.is_with_units() {
        prop_assert_eq!(current.iter().filter(|a| a.lead).count(), 1);
        let units: HashSet<UnitId> = current.iter().map(|a| a.unit).collect();
        prop_assert_eq!(units.len(), current.len());
    }
    if matches!(c.status, CaseStatus::Resolved | CaseStatus::Verified | CaseStatus::FollowUp) {
        prop_assert!(c.result.is_some() && !c.sla.is_running());
        prop_assert!(current.iter().all(|a| a.status == AssignmentStatus::Done));
    }
    if c.status.is_finished() {
        prop_assert!(!c.sla.is_running());
        prop_assert!(c.current_assignments().all(|a| !a.status.is_open()));
    }
    prop_assert_eq!(c.merged_into.is_some(), c.status == CaseStatus::Merged);
    Ok(())
}

/// Runs one walk, checking every step; returns the statuses it went through.
fn walk(steps: Vec<Step>) -> Result<HashSet<CaseStatus>, TestCaseError> {
    let (mut case, first) = fresh();
    let mut history = vec![first];
    let mut seen = HashSet::from([case.status]);
    let mut now = T0;
    for Step { cmd, aimed, pick, other_unit, dt } in steps {
        now += dt;
        let cmd = if aimed { aim(cmd, &case) } else { cmd };
        let by = actor_for(&cmd, pick, other_unit);
        let before = case.clone();
        match case.execute(&by, now, &cmd) {
            Err(e) => {
                prop_assert_eq!(&case, &before, "a refused command changed the case");
                if before.status.is_finished() && !matches!(cmd, C::Reopen { .. }) {
                    prop_assert_eq!(e, CaseError::Finished(before.status));
                }
            }
            Ok(events) => {
                prop_assert!(!events.is_empty(), "accepted without an event");
                prop_assert!(events.iter().all(|e| e.at_ms == now && e.by == by));
                prop_assert!(!matches!(before.status, CaseStatus::Rejected | CaseStatus::Merged));
                if before.status == CaseStatus::Closed {
                    prop_assert!(matches!(cmd, C::Reopen { .. }), "a closed case accepted {:?}", cmd);
                }
                if case.status == CaseStatus::Resolved && before.status != CaseStatus::Resolved {
                    let lead = before.lead().map(|a| a.unit);
                    let via_lead = matches!(cmd, C::Resolve { unit, .. } if Some(unit) == lead && by.unit_id() == lead);
                    prop_assert!(via_lead, "resolved other than by the lead: {:?}", cmd);
                }
                // Compound steps: the implied step comes first, in the same command.
                if matches!(cmd, C::Dispatch { .. }) && before.status == CaseStatus::Received {
                    prop_assert_eq!(events.first().map(|e| &e.change), Some(&Change::Triaged));
                }
                if cmd == C::Verify {
                    prop_assert_eq!(case.status, CaseStatus::FollowUp, "verified without starting the follow-up");
                }
                // Statuses a compound step passes through count as reached.
                let mut passing = before.clone();
                for e in &events {
                    passing.apply(e);
                    seen.insert(passing.status);
                }
                history.extend(events);
            }
        }
        check_state(&case)?;
        seen.insert(case.status);
    }
    let replayed = Case::replay(case.id, &history);
    prop_assert_eq!(replayed, Some(case), "the history does not replay to the case");
    Ok(seen)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Random sequences keep every invariant, and the history always rebuilds the case.
    #[test]
    fn random_command_sequences_keep_the_invariants(steps in prop::collection::vec(step(), 0..120)) {
        walk(steps)?;
    }
}

/// Guards the property test against passing vacuously: its walks must reach every status.
#[test]
fn random_walks_reach_every_status() {
    let mut runner = TestRunner::deterministic();
    let strategy = prop::collection::vec(step(), 60..80);
    let mut seen = HashSet::new();
    for _ in 0..300 {
        let steps = strategy.new_tree(&mut runner).unwrap().current();
        seen.extend(walk(steps).unwrap());
    }
    let missing: Vec<_> = CaseStatus::ALL.iter().filter(|s| !seen.contains(s)).collect();
    assert!(missing.is_empty(), "never reached: {missing:?}");
}
