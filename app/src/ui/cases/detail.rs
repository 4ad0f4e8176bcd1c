//! The case page: what the problem is, where, who holds it with which clock, what
//! happened so far, and what the viewer can do now. Shared by the center and the field.
use super::actions::ActionPanel;
use super::api::{fetch_case, reveal_case_contact};
use super::texts::{StatusBadge, assignment_class, assignment_text, channel_text, kind_text, sla_badge, urgency_text};
use super::timeline::{Attachments, Names, Timeline};
use crate::domain::case::CaseDetail;
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::command::board::CommandBoard;
use crate::ui::components::format_instant;
use crate::ui::contact::ContactReveal;
use crate::ui::errors::ErrorAlert;
use crate::ui::field::FieldLayout;
use crate::ui::live::feed::{Live, LiveDot, use_live};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn case_id() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse().ok())))
}

#[component]
pub fn CenterCasePage() -> impl IntoView {
    view! {
        <CenterLayout>
            <CaseScreen field=false />
        </CenterLayout>
    }
}

#[component]
pub fn FieldCasePage() -> impl IntoView {
    view! {
        <FieldLayout>
            <CaseScreen field=true />
        </FieldLayout>
    }
}

#[component]
fn CaseScreen(field: bool) -> impl IntoView {
    let i18n = use_i18n();
    let id = case_id();
    let version = RwSignal::new(0u32);
    let detail = Resource::new(
        move || (id.get(), version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => fetch_case(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    let on_done = Callback::new(move |_| version.update(|v| *v += 1));
    // Whatever happens to this case anywhere redraws it here.
    let live = use_live();
    Effect::new(move |_| {
        if let Some(n) = live.notice.get()
            && Some(n.case_id) == id.get_untracked()
        {
            version.update(|v| *v += 1);
        }
    });
    provide_context(live);
    view! {
        <Transition fallback=move || {
            view! { <p class="muted">{t!(i18n, common.loading)}</p> }
        }>
            {move || {
                detail
                    .get()
                    .map(|r| match r {
                        Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                        Ok(d) => view! { <CaseView detail=d field on_done /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn CaseView(detail: CaseDetail, field: bool, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let s = detail.summary.clone();
    let now = detail.now_ms;
    let level = detail.case.sla_level(now);
    let deadline = detail.case.sla.deadline_ms();
    let running = detail.case.sla.stopped_ms.is_none() && !detail.case.status.is_finished();
    let title = s.title.clone();
    let case_id = detail.case.id;
    let reveal_contact = Action::new(move |_: &()| reveal_case_contact(case_id));
    let facts = view! {
        <section class="card case-facts" data-testid="case-facts">
            <dl class="facts">
                <dt>{t!(i18n, case.kind)}</dt>
                <dd>{move || kind_text(i18n.get_locale(), s.kind)}</dd>
                <dt>{t!(i18n, case.category)}</dt>
                <dd>{s.category_name.clone()}</dd>
                <dt>{t!(i18n, case.channel)}</dt>
                <dd>{move || channel_text(i18n.get_locale(), s.channel)}</dd>
                <dt>{t!(i18n, case.urgency)}</dt>
                <dd>{move || urgency_text(i18n.get_locale(), s.urgency)}</dd>
                <dt>{t!(i18n, case.place)}</dt>
                <dd>{s.area_name.clone().unwrap_or_else(|| "—".into())} {detail.address.clone().map(|a| format!(" · {a}"))}</dd>
                {s
                    .location
                    .map(|p| {
                        view! {
                            <dt>{t!(i18n, case.map_point)}</dt>
                            <dd class="mono">{format!("{:.5}, {:.5}", p.lat(), p.lng())}</dd>
                        }
                    })}
                <dt>{t!(i18n, case.received_at)}</dt>
                <dd>{format_instant(s.received_ms)}</dd>
                <dt>{t!(i18n, case.deadline)}</dt>
                <dd>
                    {format_instant(deadline)} " "
                    {running
                        .then(|| {
                            view! {
                                <span class=move || sla_badge(i18n.get_locale(), level).0 data-testid="sla">
                                    {move || sla_badge(i18n.get_locale(), level).1}
                                </span>
                            }
                        })}
                </dd>
                <dt>{t!(i18n, case.reporter)}</dt>
                <dd>
                    <ContactReveal view=detail.reporter.clone() reveal=reveal_contact />
                </dd>
                {detail
                    .case
                    .status_reason
                    .clone()
                    .map(|r| {
                        view! {
                            <dt>{t!(i18n, case.status_reason)}</dt>
                            <dd data-testid="status-reason">{r}</dd>
                        }
                    })}
                {detail
                    .case
                    .result
                    .clone()
                    .map(|r| {
                        view! {
                            <dt>{t!(i18n, case_field.result)}</dt>
                            <dd>{r}</dd>
                        }
                    })}
                {detail
                    .merged_into_code
                    .clone()
                    .map(|c| {
                        view! {
                            <dt>{t!(i18n, case.merged_into)}</dt>
                            <dd class="mono">{c}</dd>
                        }
                    })}
            </dl>
            <h2>{t!(i18n, case_field.description)}</h2>
            <p class="description">{detail.description.clone()}</p>
            <Attachments files=detail.attachments.clone() />
        </section>
    };
    // A palm command shows its units on the board instead.
    let assignments = (!detail.assignments.is_empty() && detail.case.task_force.is_none()).then(|| {
        let rows = detail.assignments.clone();
        view! {
            <section class="card" aria-labelledby="assign-heading">
                <h2 id="assign-heading">{t!(i18n, case.assignments)}</h2>
                <ul class="assignments" data-testid="assignments">
                    {rows
                        .into_iter()
                        .map(|a| {
                            let st = a.assignment.status;
                            let ack_late = a.assignment.ack_overdue(now);
                            let signed = a.assignment.signed_ms;
                            let due = a.assignment.ack.deadline_ms();
                            view! {
                                <li class:late=ack_late data-unit=a.unit_name.clone()>
                                    <span class="unit-name">{a.unit_name.clone()}</span>
                                    <span class="badge badge-outline">
                                        {move || if a.assignment.lead { t_string!(i18n, case.lead) } else { t_string!(i18n, case.cooperating) }}
                                    </span>
                                    <span class=assignment_class(st) data-testid="assignment-status">
                                        {move || assignment_text(i18n.get_locale(), st)}
                                    </span>
                                    <span class="muted small">
                                        // (None, false): returned or withdrawn before signing, no clock runs any more.
                                        {match (signed, st.is_active()) {
                                            (Some(t), _) => format!("{} {}", t_string!(i18n, case.signed_at), format_instant(t)),
                                            (None, true) => format!("{} {}", t_string!(i18n, case.sign_by), format_instant(due)),
                                            (None, false) => String::new(),
                                        }}
                                    </span>
                                    {ack_late.then(|| view! { <span class="badge badge-red">"■ " {t!(i18n, case.ack_overdue)}</span> })}
                                    {a
                                        .assignment
                                        .pending_extension
                                        .as_ref()
                                        .map(|_| view! { <span class="badge badge-amber">"◔ " {t!(i18n, case.extension_waiting)}</span> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    let timeline = view! {
        <section class="card" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{t!(i18n, case.timeline)}</h2>
            <Timeline
                entries=detail.timeline.clone()
                names=Names {
                    units: detail.unit_names.clone(),
                    people: detail.people.clone(),
                    categories: detail.category_names.clone(),
                }
            />
        </section>
    };
    let back = if field { "/field" } else { "/center/cases" };
    let header = view! {
        // The tab and the screen reader name the case (the code as a clerk quotes it).
        <leptos_meta::Title text=format!("{} {}", s.code, title) />
        <header class="case-head">
            <a class="back" href=back>
                "← "
                {t!(i18n, case.back)}
            </a>
            <h1>{title.clone()}</h1>
            <p>
                <span class="mono case-code" data-testid="case-code">
                    {s.code.clone()}
                </span>
                " "
                <StatusBadge status=detail.case.status />
                {use_context::<Live>()
                    .map(|live| {
                        view! {
                            " "
                            <LiveDot live />
                        }
                    })}
            </p>
        </header>
    };
    let board = detail.case.task_force.is_some().then(|| view! { <CommandBoard detail=detail.clone() on_done /> });
    let panel = view! { <ActionPanel detail=detail.clone() on_done /> };
    let supervision = view! { <crate::ui::supervision::SupervisionCard detail=detail.clone() on_done /> };
    let mediation = (detail.case.kind == crate::domain::case::CaseKind::PetitionMediation).then(|| {
        view! { <crate::ui::mediation::MediationCard case_id=detail.case.id received_ms=detail.case.received_ms now_ms=detail.now_ms /> }
    });
    let emergency = view! { <crate::ui::emergency::CaseEmergencyCard case_id=detail.case.id field /> };
    let hazards = view! { <crate::ui::hazards::CaseHazardsCard case_id=detail.case.id field /> };
    if field {
        view! { <div class="case-page field-case">{header}{supervision}{emergency}{panel}{mediation}{board}{assignments}{facts}{hazards}{timeline}</div> }
            .into_any()
    } else {
        view! {
            <div class="case-page">
                {header} <div class="case-grid">
                    <div class="case-main">{board}{facts}{assignments}{timeline}</div>
                    <aside class="case-side">{panel}{emergency}{supervision}{mediation}{hazards}</aside>
                </div>
            </div>
        }
        .into_any()
    }
}
