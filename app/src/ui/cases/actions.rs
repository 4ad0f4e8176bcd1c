//! The actions a viewer may take on a case, each a small form. Which ones appear comes
//! from the server (`CaseDetail::actions`), computed by the same rules that will judge
//! the submission, so the page never offers what would be refused.
use super::api::{act_on_case, fetch_case_options, find_duplicates};
use super::texts::{command_text, status_text};
use crate::domain::case::{CaseDetail, CaseOptions, CommandKind};
use crate::domain::org::UnitKind;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::components::unit_kind_text;
use crate::ui::errors::ErrorAlert;
use crate::ui::forms::{Form, FormStorage, form_action};
use leptos::prelude::*;

/// A form that submits one command for the case and reports back.
#[component]
pub(crate) fn ActForm(
    id: i64,
    #[prop(into)] command: Signal<CommandKind>,
    on_done: Callback<()>,
    #[prop(into)] submit: Signal<String>,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] button_class: &'static str,
    #[prop(optional)] extra: Vec<(&'static str, String)>,
    #[prop(optional)] children: Option<Children>,
    /// Without network, keep the submission in the page's outbox to send later.
    #[prop(optional)]
    keep_offline: bool,
) -> impl IntoView {
    let act = form_action(|f: &Form| act_on_case(f.to_multipart()));
    let form = NodeRef::<leptos::html::Form>::new();
    let last = StoredValue::<_, FormStorage>::new_with_storage(None::<Form>);
    let outbox = keep_offline.then(crate::ui::live::outbox::use_outbox);
    Effect::new(move |_| {
        let kept = match act.value().get() {
            Some(Ok(())) => false,
            Some(Err(crate::error::AppError::Transport(_))) if outbox.is_some() => true,
            _ => return,
        };
        if kept {
            if let Some(f) = last.get_value() {
                crate::ui::live::outbox::keep(&f);
            }
            act.value().set(None);
        }
        // The page is redrawn in place and would keep what was typed and picked: a
        // second tap would send the same report again.
        if let Some(f) = form.get_untracked() {
            f.reset();
        }
        if !kept {
            on_done.run(());
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(f) = Form::from_submit(&ev) {
            // Named once: sent again from the outbox, it is filed once.
            f.set("key", &crate::ui::live::outbox::new_key());
            last.set_value(Some(f.clone()));
            act.dispatch_local(f);
        }
    };
    let button_class = if button_class.is_empty() { "btn btn-primary" } else { button_class };
    view! {
        <form class=format!("form act {class}") node_ref=form on:submit=on_submit data-command=move || command.get().code()>
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="command" prop:value=move || command.get().code() />
            {extra.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v /> }).collect_view()}
            {children.map(|c| c())}
            <div class="form-actions">
                <button type="submit" class=button_class disabled=move || act.pending().get()>
                    {move || submit.get()}
                </button>
            </div>
            {move || act.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
        </form>
    }
}

#[component]
pub(crate) fn Reason(name: &'static str, label: String, #[prop(optional)] required: bool, #[prop(optional)] rows: Option<u32>) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <textarea name=name rows=rows.unwrap_or(3) required=required maxlength="2000"></textarea>
        </label>
    }
}

#[component]
fn Photos() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span>{t!(i18n, case.photos)}</span>
            <input type="file" name="files" accept="image/jpeg,image/png,image/webp,application/pdf" capture="environment" multiple />
        </label>
    }
}

/// Every action the viewer has on this case.
#[component]
pub fn ActionPanel(detail: CaseDetail, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = detail.case.id;
    let has = |k: CommandKind| detail.actions.contains(&k);
    let label = move |k: CommandKind| command_text(i18n.get_locale(), k).to_string();
    let mut forms: Vec<AnyView> = Vec::new();
    // One read of the choices for the dispatch and refiling forms, which are offered together.
    let chooses = [CommandKind::Dispatch, CommandKind::Launch, CommandKind::Recategorise].into_iter().any(has);
    let options = chooses.then(|| Resource::new(|| (), |_| fetch_case_options()));

    if has(CommandKind::Sign) {
        forms.push(
            view! {
                <ActForm
                    id
                    command=CommandKind::Sign
                    on_done
                    submit=label(CommandKind::Sign)
                    class="act-sign"
                    button_class="btn btn-primary btn-huge"
                    keep_offline=true
                />
            }
            .into_any(),
        );
    }
    // A new case is dispatched straight away: the server records the triage with it.
    if has(CommandKind::Dispatch) || has(CommandKind::Launch) {
        let launch = has(CommandKind::Launch);
        forms.push(view! { <DispatchForm id on_done launch options=options.expect("made for dispatch") /> }.into_any());
    }
    if has(CommandKind::SubTask) {
        forms.push(view! { <SubTaskForm id on_done /> }.into_any());
    }
    if has(CommandKind::Progress) {
        // Where the reporter stands, from the phone's GPS, rides along with the report.
        let (lat, lng) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
        forms.push(
            view! {
                <ActForm id command=CommandKind::Progress on_done submit=label(CommandKind::Progress) keep_offline=true>
                    <Reason name="text" label=t_string!(i18n, case_field.progress).to_string() required=true />
                    <Photos />
                    <input type="hidden" name="lat" prop:value=move || lat.get() />
                    <input type="hidden" name="lng" prop:value=move || lng.get() />
                    <div class="form-row geo">
                        <crate::ui::components::LocateButton lat lng />
                        <span class="muted small mono" data-testid="report-place">
                            {move || if lat.get().is_empty() { String::new() } else { format!("{}, {}", lat.get(), lng.get()) }}
                        </span>
                    </div>
                </ActForm>
            }
            .into_any(),
        );
    }
    if has(CommandKind::Resolve) {
        forms.push(
            view! {
                <ActForm id command=CommandKind::Resolve on_done submit=label(CommandKind::Resolve)>
                    <Reason name="result" label=t_string!(i18n, case_field.result).to_string() required=true rows=4 />
                    <Photos />
                </ActForm>
            }
            .into_any(),
        );
    }
    if has(CommandKind::FinishPart) {
        forms.push(view! { <ActForm id command=CommandKind::FinishPart on_done submit=label(CommandKind::FinishPart) /> }.into_any());
    }
    if has(CommandKind::Verify) {
        forms.push(
            view! {
                <ActForm id command=CommandKind::Verify on_done submit=label(CommandKind::Verify)>
                    <p class="muted small">{t!(i18n, case.verify_hint)}</p>
                </ActForm>
            }
            .into_any(),
        );
    }
    if has(CommandKind::RecordFollowUp) {
        forms.push(
            view! {
                <ActForm id command=CommandKind::RecordFollowUp on_done submit=label(CommandKind::RecordFollowUp)>
                    <fieldset class="choices">
                        <legend>{t!(i18n, case.callback_result)}</legend>
                        <label>
                            <input type="radio" name="satisfied" value="yes" required />
                            {t!(i18n, timeline.satisfied)}
                        </label>
                        <label>
                            <input type="radio" name="satisfied" value="no" />
                            {t!(i18n, timeline.unsatisfied)}
                        </label>
                        <label>
                            <input type="radio" name="satisfied" value="none" />
                            {t!(i18n, timeline.no_answer)}
                        </label>
                    </fieldset>
                    <Reason name="comment" label=t_string!(i18n, case_field.comment).to_string() />
                </ActForm>
            }
            .into_any(),
        );
    }
    if has(CommandKind::DecideExtension) {
        for a in detail.assignments.iter().filter(|a| a.assignment.pending_extension.is_some()) {
            let req = a.assignment.pending_extension.clone().expect("filtered on pending");
            let unit = a.assignment.unit;
            let unit_name = a.unit_name.clone();
            forms.push(
                view! {
                    <ActForm id command=CommandKind::DecideExtension on_done submit=label(CommandKind::DecideExtension) extra=vec![("unit", unit.to_string())]>
                        <p>{unit_name} " · " {move || super::texts::duration_text(i18n.get_locale(), req.ms)} "：" {req.reason.clone()}</p>
                        <fieldset class="choices">
                            <label>
                                <input type="radio" name="approve" value="yes" required />
                                {t!(i18n, case.approve)}
                            </label>
                            <label>
                                <input type="radio" name="approve" value="no" />
                                {t!(i18n, case.refuse)}
                            </label>
                        </fieldset>
                        <Reason name="note" label=t_string!(i18n, case_field.note).to_string() />
                    </ActForm>
                }
                .into_any(),
            );
        }
    }
    if has(CommandKind::RequestExtension) {
        forms.push(
            view! {
                <details class="act-more">
                    <summary>{label(CommandKind::RequestExtension)}</summary>
                    <ActForm id command=CommandKind::RequestExtension on_done submit=label(CommandKind::RequestExtension)>
                        <label class="field">
                            <span>{t!(i18n, case.extension_hours)}</span>
                            <input type="number" name="hours" min="1" max="720" required inputmode="numeric" />
                        </label>
                        <Reason name="reason" label=t_string!(i18n, case_field.reason).to_string() required=true />
                    </ActForm>
                </details>
            }
            .into_any(),
        );
    }
    if has(CommandKind::Return) {
        forms.push(
            view! {
                <details class="act-more">
                    <summary>{label(CommandKind::Return)}</summary>
                    <ActForm id command=CommandKind::Return on_done submit=label(CommandKind::Return) button_class="btn btn-danger">
                        <Reason name="reason" label=t_string!(i18n, case.return_reason).to_string() required=true />
                    </ActForm>
                </details>
            }
            .into_any(),
        );
    }
    if has(CommandKind::Merge) {
        forms.push(view! { <MergePanel detail=detail.clone() on_done /> }.into_any());
    }
    if has(CommandKind::Recategorise) {
        forms.push(view! { <RecategoriseForm id current=detail.case.category.clone() on_done options=options.expect("made for refiling") /> }.into_any());
    }
    if has(CommandKind::Reject) {
        forms.push(
            view! {
                <details class="act-more">
                    <summary>{label(CommandKind::Reject)}</summary>
                    <ActForm id command=CommandKind::Reject on_done submit=label(CommandKind::Reject) button_class="btn btn-danger">
                        <Reason name="reason" label=t_string!(i18n, case.reject_reason).to_string() required=true />
                    </ActForm>
                </details>
            }
            .into_any(),
        );
    }
    if has(CommandKind::Reopen) {
        forms.push(
            view! {
                <details class="act-more">
                    <summary>{label(CommandKind::Reopen)}</summary>
                    <ActForm id command=CommandKind::Reopen on_done submit=label(CommandKind::Reopen) button_class="btn btn-danger">
                        <Reason name="reason" label=t_string!(i18n, case_field.reason).to_string() required=true />
                    </ActForm>
                </details>
            }
            .into_any(),
        );
    }
    let status = detail.case.status;
    // A supervisor's steps are on the supervision card: no "nothing to do" above it.
    let supervises = [CommandKind::Remind, CommandKind::Track, CommandKind::List, CommandKind::TickOff].into_iter().any(has);
    if forms.is_empty() && supervises {
        return ().into_any();
    }
    // A unit reading a case of its area that another unit handles.
    if forms.is_empty() && detail.read_only {
        return view! {
            <p class="card muted" data-testid="read-only">
                {t!(i18n, area.read_only)}
            </p>
        }
        .into_any();
    }
    view! {
        <section class="card actions" data-testid="case-actions" aria-labelledby="actions-heading">
            <h2 id="actions-heading">{t!(i18n, case.actions)}</h2>
            {if forms.is_empty() {
                view! { <p class="muted">{t!(i18n, case.no_actions)} " (" {move || status_text(i18n.get_locale(), status)} ")"</p> }.into_any()
            } else {
                forms.into_iter().collect_view().into_any()
            }}
        </section>
    }
    .into_any()
}

/// A township pushes part of its work down to its villages and grids.
#[component]
fn SubTaskForm(id: i64, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let units = Resource::new(|| (), |_| crate::ui::command::api::units_below());
    view! {
        <Transition fallback=|| ()>
            {move || {
                units
                    .get()
                    .and_then(|r| r.ok())
                    .filter(|u| !u.is_empty())
                    .map(|units| {
                        view! {
                            <details class="act-more">
                                <summary>{t!(i18n, command.sub_task)}</summary>
                                <ActForm id command=CommandKind::SubTask on_done submit=t_string!(i18n, command.sub_task).to_string()>
                                    <fieldset class="unit-picker compact">
                                        <legend>{t!(i18n, palm.units_below)}</legend>
                                        {units
                                            .into_iter()
                                            .map(|(u, n)| {
                                                view! {
                                                    <label class="check">
                                                        <input type="checkbox" name="units" value=u />
                                                        {n}
                                                    </label>
                                                }
                                            })
                                            .collect_view()}
                                    </fieldset>
                                    <Reason name="text" label=t_string!(i18n, palm.sub_task_text).to_string() required=true rows=2 />
                                </ActForm>
                            </details>
                        }
                    })
            }}
        </Transition>
    }
}

/// 1 lead unit + X cooperating units, picked from every level; or, as a palm command, the
/// same with a commander and the suggested units ticked.
#[component]
fn DispatchForm(id: i64, on_done: Callback<()>, launch: bool, options: Resource<Result<CaseOptions, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let hint = Resource::new(
        move || (id, launch),
        |(id, launch)| async move { if launch { crate::ui::command::api::fetch_routing_hint(id).await.ok() } else { None } },
    );
    let learned = Resource::new(move || id, super::routing::routing_for_case);
    let as_command = RwSignal::new(false);
    let command = Signal::derive(move || if as_command.get() { CommandKind::Launch } else { CommandKind::Dispatch });
    let filter = RwSignal::new(String::new());
    let lead = RwSignal::new(String::new());
    // Units ticked from the learned suggestions.
    let ticked = RwSignal::new(Vec::<String>::new());
    view! {
        <Transition fallback=move || {
            view! { <p class="muted">{t!(i18n, common.loading)}</p> }
        }>
            {move || {
                options
                    .get()
                    .map(|r| match r {
                        Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                        Ok(o) => {
                            let units = o.units.clone();
                            let hint = hint.get().flatten().unwrap_or_default();
                            let suggested = hint.cooperating.clone();
                            let suggested_lead = hint.lead;
                            if let Some(l) = suggested_lead {
                                lead.set(l.to_string());
                            }
                            let groups = [
                                UnitKind::TownshipGovernment,
                                UnitKind::VillageCommittee,
                                UnitKind::GridTeam,
                                UnitKind::ResidentDepartment,
                                UnitKind::RotatingDepartment,
                            ];
                            let submit = Signal::derive(move || {
                                if as_command.get() { t_string!(i18n, command.launch).to_string() } else { t_string!(i18n, command.dispatch).to_string() }
                            });
                            view! {
                                <ActForm id command on_done submit class="dispatch">
                                    {launch
                                        .then(|| {
                                            let me = hint.me;
                                            let commanders = hint.commanders.clone();
                                            view! {
                                                <label class="check launch-toggle">
                                                    <input
                                                        type="checkbox"
                                                        data-testid="as-command"
                                                        on:change=move |ev| as_command.set(event_target_checked(&ev))
                                                    />
                                                    <strong>{t!(i18n, palm.launch_toggle)}</strong>
                                                </label>
                                                <p class="muted small" class:hidden=move || !as_command.get()>
                                                    {t!(i18n, palm.launch_hint)}
                                                </p>
                                                <label class="field" class:hidden=move || !as_command.get()>
                                                    <span>{t!(i18n, palm.commander_label)}</span>
                                                    <select name="commander" data-testid="commander-select" prop:disabled=move || !as_command.get()>
                                                        {commanders
                                                            .into_iter()
                                                            .map(|(u, n)| {
                                                                view! {
                                                                    <option value=u selected=Some(u) == me>
                                                                        {n}
                                                                    </option>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </select>
                                                </label>
                                            }
                                        })}
                                    <super::routing::DispatchSuggestions found=learned lead ticked />
                                    <label class="field">
                                        <span>{t!(i18n, case.lead_unit)}</span>
                                        <select
                                            name="lead"
                                            required
                                            data-testid="lead-unit"
                                            on:change=move |ev| lead.set(event_target_value(&ev))
                                            prop:value=move || lead.get()
                                        >
                                            <option value="">{t!(i18n, case.choose)}</option>
                                            {groups
                                                .into_iter()
                                                .map(|g| {
                                                    let in_group: Vec<_> = units.iter().filter(|u| u.kind == g).cloned().collect();
                                                    view! {
                                                        <optgroup label=move || unit_kind_text(
                                                            i18n.get_locale(),
                                                            g,
                                                        )>
                                                            {in_group
                                                                .into_iter()
                                                                .map(|u| {
                                                                    view! {
                                                                        <option value=u.id selected=Some(u.id) == suggested_lead>
                                                                            {u.name.clone()}
                                                                        </option>
                                                                    }
                                                                })
                                                                .collect_view()}
                                                        </optgroup>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                        {suggested_lead
                                            .and_then(|l| units.iter().find(|u| u.id == l))
                                            .map(|u| {
                                                view! {
                                                    <span class="muted small" data-testid="suggested-lead">
                                                        {t!(i18n, palm.suggested)}
                                                        "："
                                                        {u.name.clone()}
                                                    </span>
                                                }
                                            })}
                                    </label>
                                    <fieldset class="unit-picker">
                                        <legend>{t!(i18n, case.cooperating_units)}</legend>
                                        <input
                                            type="search"
                                            class="unit-filter"
                                            placeholder=move || t_string!(i18n, common.filter)
                                            on:input=move |ev| filter.set(event_target_value(&ev))
                                            aria-label=move || t_string!(i18n, common.filter)
                                        />
                                        {groups
                                            .into_iter()
                                            .map(|g| {
                                                let in_group: Vec<_> = units.iter().filter(|u| u.kind == g).cloned().collect();
                                                view! {
                                                    <div class="unit-group">
                                                        <p class="unit-group-title">{move || unit_kind_text(i18n.get_locale(), g)}</p>
                                                        {in_group
                                                            .into_iter()
                                                            .map(|u| {
                                                                let name = u.name.clone();
                                                                let id_text = u.id.to_string();
                                                                let hidden = move || {
                                                                    let f = filter.get();
                                                                    !f.is_empty() && !name.contains(f.trim())
                                                                };
                                                                let is_suggested = suggested.contains(&u.id);
                                                                let key = u.id.to_string();
                                                                // A suggested unit is ticked for a palm command only; a plain dispatch starts empty.
                                                                view! {
                                                                    <label class="check" class:hidden=hidden>
                                                                        // The lead cannot also cooperate: its box is greyed out.
                                                                        <input
                                                                            type="checkbox"
                                                                            name="cooperating"
                                                                            value=u.id
                                                                            prop:checked=move || {
                                                                                (as_command.get() && is_suggested) || ticked.with(|t| t.contains(&key))
                                                                            }
                                                                            prop:disabled=move || lead.get() == id_text
                                                                        />
                                                                        {u.name.clone()}
                                                                        {is_suggested
                                                                            .then(|| {
                                                                                view! { <span class="badge badge-outline">{t!(i18n, palm.suggested)}</span> }
                                                                            })}
                                                                    </label>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </div>
                                                }
                                            })
                                            .collect_view()}
                                    </fieldset>
                                </ActForm>
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

/// Possible duplicates of a new case, each with a button to merge into it.
#[component]
fn MergePanel(detail: CaseDetail, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = detail.case.id;
    let category = detail.summary.category.clone();
    let area = detail.summary.area_id;
    let (lat, lng) = detail.summary.location.map(|p| (p.lat().to_string(), p.lng().to_string())).unwrap_or_default();
    let dups = Resource::new(move || (), move |_| find_duplicates(category.clone(), area, lat.clone(), lng.clone(), Some(id)));
    view! {
        <Transition fallback=|| ()>
            {move || {
                dups.get()
                    .map(|r| match r {
                        Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                        Ok(list) => {
                            view! {
                                <div class="duplicates" data-testid="duplicates">
                                    <h3>{t!(i18n, case.possible_duplicates)}</h3>
                                    {if list.is_empty() {
                                        view! { <p class="muted small">{t!(i18n, case.no_duplicates)}</p> }.into_any()
                                    } else {
                                        list.into_iter()
                                            .map(|d| {
                                                view! {
                                                    <div class="duplicate">
                                                        <a href=format!("/center/cases/{}", d.id)>{d.code.clone()} " " {d.title.clone()}</a>
                                                        <ActForm
                                                            id
                                                            command=CommandKind::Merge
                                                            on_done
                                                            submit=t_string!(i18n, case.merge_into_this).to_string()
                                                            button_class="btn btn-small"
                                                            extra=vec![("into", d.code.clone())]
                                                        />
                                                    </div>
                                                }
                                            })
                                            .collect_view()
                                            .into_any()
                                    }}
                                </div>
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

/// Files the case under another category before the units have it, with the learned
/// model's likeliest categories for its words one click away.
#[component]
fn RecategoriseForm(id: i64, current: String, on_done: Callback<()>, options: Resource<Result<CaseOptions, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    // Made with the form, not inside its Transition (see `DispatchSuggestions`).
    let learned = Resource::new(move || id, super::routing::routing_for_case);
    let chosen = RwSignal::new(String::new());
    let current = StoredValue::new(current);
    let label = move || command_text(i18n.get_locale(), CommandKind::Recategorise).to_string();
    view! {
        <details class="act-more" data-testid="recategorise">
            <summary>{label}</summary>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    options
                        .get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(o) => {
                                let others: Vec<_> = o.categories.into_iter().filter(|c| c.active && current.with_value(|k| *k != c.code)).collect();
                                view! {
                                    <ActForm id command=CommandKind::Recategorise on_done submit=Signal::derive(label)>
                                        <p class="muted small">{t!(i18n, case.recategorise_hint)}</p>
                                        <super::routing::CategorySuggestions found=learned except=current.get_value() chosen />
                                        <label class="field">
                                            <span>{t!(i18n, case.recategorise_to)} <em class="req">"*"</em></span>
                                            <select
                                                name="category"
                                                required
                                                data-testid="recategorise-to"
                                                on:change=move |ev| chosen.set(event_target_value(&ev))
                                                prop:value=move || chosen.get()
                                            >
                                                <super::category_options::CategoryOptions categories=others />
                                            </select>
                                        </label>
                                        <Reason name="reason" label=t_string!(i18n, case.recategorise_reason).to_string() required=true />
                                    </ActForm>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </details>
    }
}
