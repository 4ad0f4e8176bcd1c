//! The supervision card on a case page: where the case stands on the ladder (reminders,
//! tracking with its feedback date, listing with its deadline and leader, the tick-off) and,
//! for the supervision office, the next steps. Shown only when there is something to show.
use super::texts::{stage_class, stage_text};
use crate::domain::case::{CaseDetail, CommandKind};
use crate::domain::clock::minute_string;
use crate::i18n::*;
use crate::ui::cases::actions::{ActForm, Reason};
use crate::ui::cases::texts::command_text;
use crate::ui::components::format_instant;
use leptos::prelude::*;

#[component]
pub fn SupervisionCard(detail: CaseDetail, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = detail.case.id;
    let sup = detail.case.supervision.clone();
    let has = |k: CommandKind| detail.actions.contains(&k);
    let steps: Vec<CommandKind> = [CommandKind::Remind, CommandKind::Track, CommandKind::List, CommandKind::TickOff].into_iter().filter(|k| has(*k)).collect();
    let stage = sup.stage();
    if stage.is_none() && steps.is_empty() {
        return ().into_any();
    }
    let label = move |k: CommandKind| command_text(i18n.get_locale(), k).to_string();
    // The date fields start an hour and three days ahead, in the center's time.
    let now = detail.now_ms;
    let (soon, later, min) = (minute_string(now + 3_600_000), minute_string(now + 3 * 86_400_000), minute_string(now));
    let facts = stage.map(|stage| {
        let tracking = sup.tracking.clone();
        let listing = sup.listing.clone();
        view! {
            <p>
                <span class=stage_class(stage) data-testid="supervision-stage" data-stage=stage.code()>
                    {move || stage_text(i18n.get_locale(), stage)}
                </span>
            </p>
            <dl class="facts">
                {(sup.reminders > 0)
                    .then(|| {
                        view! {
                            <dt>{t!(i18n, supervision.reminders)}</dt>
                            <dd data-testid="supervision-reminders">{sup.reminders} {sup.last_reminded_ms.map(|t| format!(" · {}", format_instant(t)))}</dd>
                        }
                    })}
                {tracking
                    .map(|t| {
                        view! {
                            <dt>{t!(i18n, supervision.track_due)}</dt>
                            <dd>{format_instant(t.feedback_due_ms)} {t.answered_ms.map(|a| format!(" ✓ {}", format_instant(a)))}</dd>
                        }
                    })}
                {listing
                    .map(|l| {
                        view! {
                            <dt>{t!(i18n, supervision.held_to)}</dt>
                            <dd>{format_instant(l.deadline_ms)}</dd>
                            <dt>{t!(i18n, supervision.leader)}</dt>
                            <dd>{l.leader.clone()}</dd>
                            <dt>{t!(i18n, supervision.list_reason)}</dt>
                            <dd>{l.reason.clone()}</dd>
                            {l
                                .ticked_off_ms
                                .map(|at| {
                                    view! {
                                        <dt>{t!(i18n, supervision.ticked_off_at)}</dt>
                                        <dd>{format_instant(at)} " " {l.tick_note.clone()}</dd>
                                    }
                                })}
                        }
                    })}
            </dl>
        }
    });
    let forms = steps
        .into_iter()
        .map(|k| {
            let fields = match k {
                CommandKind::Remind => {
                    view! { <Reason name="text" label=t_string!(i18n, supervision.remind_text).to_string() required=true rows=2 /> }.into_any()
                }
                CommandKind::Track => view! {
                    <label class="field">
                        <span>{t!(i18n, supervision.track_due)}</span>
                        <input type="datetime-local" name="due" required value=soon.clone() min=min.clone() />
                    </label>
                    <Reason name="text" label=t_string!(i18n, supervision.track_text).to_string() required=true rows=2 />
                }
                .into_any(),
                CommandKind::List => view! {
                    <label class="field">
                        <span>{t!(i18n, supervision.list_deadline)}</span>
                        <input type="datetime-local" name="deadline" required value=later.clone() min=min.clone() />
                    </label>
                    <label class="field">
                        <span>{t!(i18n, supervision.list_leader)}</span>
                        <input type="text" name="leader" required maxlength="60" />
                    </label>
                    <Reason name="reason" label=t_string!(i18n, supervision.list_reason).to_string() required=true rows=2 />
                }
                .into_any(),
                _ => view! { <Reason name="note" label=t_string!(i18n, supervision.tick_note).to_string() required=true rows=2 /> }.into_any(),
            };
            view! {
                <details class="act-more" data-testid=format!("supervise-{}", k.code())>
                    <summary>{label(k)}</summary>
                    <ActForm id command=k on_done submit=label(k)>
                        {fields}
                    </ActForm>
                </details>
            }
        })
        .collect_view();
    view! {
        <section class="card supervision" data-testid="supervision-card" aria-labelledby="supervision-heading">
            <h2 id="supervision-heading">{t!(i18n, supervision.panel)}</h2>
            {facts}
            {forms}
        </section>
    }
    .into_any()
}
