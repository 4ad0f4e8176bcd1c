//! The actions a viewer may take on a case, each a small form. Which ones appear comes
//! from the server (`CaseDetail::actions`), computed by the same rules that will judge
//! the submission, so the page never offers what would be refused.
use super::api::{act_on_case, fetch_case_options, find_duplicates};
use super::texts::{command_text, status_text};
use crate::domain::case::{CaseDetail, CommandKind};
use crate::domain::org::UnitKind;
use crate::i18n::*;
use crate::ui::components::unit_kind_text;
use crate::ui::errors::ErrorAlert;
use crate::ui::forms::Form;
use leptos::prelude::*;

/// A form that submits one command for the case and reports back.
#[component]
fn ActForm(
    id: i64,
    command: CommandKind,
    on_done: Callback<()>,
    submit: String,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] button_class: &'static str,
    #[prop(optional)] extra: Vec<(&'static str, String)>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let act = Action::new_local(|f: &Form| act_on_case(f.to_multipart()));
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = act.value().get() {
            // The page is redrawn in place and would keep what was typed and picked: a
            // second tap would send the same report again.
            if let Some(f) = form.get_untracked() {
                f.reset();
            }
            on_done.run(());
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(f) = Form::from_submit(&ev) {
            act.dispatch_local(f);
        }
    };
    let button_class = if button_class.is_empty() { "btn btn-primary" } else { button_class };
    view! {
        <form class=format!("form act {class}") node_ref=form on:submit=on_submit data-command=command.code()>
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="command" value=command.code() />
            {extra.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v /> }).collect_view()}
            {children.map(|c| c())}
            <div class="form-actions">
                <button type="submit" class=button_class disabled=move || act.pending().get()>{submit}</button>
            </div>
            {move || act.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
        </form>
    }
}

#[component]
fn Reason(name: &'static str, label: String, #[prop(optional)] required: bool, #[prop(optional)] rows: Option<u32>) -> impl IntoView {
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

    if has(CommandKind::Sign) {
        forms.push(view! {
            <ActForm id command=CommandKind::Sign on_done submit=label(CommandKind::Sign) class="act-sign" button_class="btn btn-primary btn-huge" />
        }.into_any());
    }
    // A new case is dispatched straight away: the server records the triage with it.
    if has(CommandKind::Triage) || has(CommandKind::Dispatch) {
        forms.push(view! { <DispatchForm id on_done /> }.into_any());
    }
    if has(CommandKind::Progress) {
        forms.push(view! {
            <ActForm id command=CommandKind::Progress on_done submit=label(CommandKind::Progress)>
                <Reason name="text" label=t_string!(i18n, case_field.progress).to_string() required=true />
                <Photos />
            </ActForm>
        }.into_any());
    }
    if has(CommandKind::Resolve) {
        forms.push(view! {
            <ActForm id command=CommandKind::Resolve on_done submit=label(CommandKind::Resolve)>
                <Reason name="result" label=t_string!(i18n, case_field.result).to_string() required=true rows=4 />
                <Photos />
            </ActForm>
        }.into_any());
    }
    if has(CommandKind::FinishPart) {
        forms.push(view! { <ActForm id command=CommandKind::FinishPart on_done submit=label(CommandKind::FinishPart) /> }.into_any());
    }
    if has(CommandKind::Verify) {
        forms.push(view! {
            <ActForm id command=CommandKind::Verify on_done submit=label(CommandKind::Verify)>
                <p class="muted small">{t!(i18n, case.verify_hint)}</p>
            </ActForm>
        }.into_any());
    }
    if has(CommandKind::RecordFollowUp) {
        forms.push(view! {
            <ActForm id command=CommandKind::RecordFollowUp on_done submit=label(CommandKind::RecordFollowUp)>
                <fieldset class="choices">
                    <legend>{t!(i18n, case.callback_result)}</legend>
                    <label><input type="radio" name="satisfied" value="yes" required /> {t!(i18n, timeline.satisfied)}</label>
                    <label><input type="radio" name="satisfied" value="no" /> {t!(i18n, timeline.unsatisfied)}</label>
                    <label><input type="radio" name="satisfied" value="none" /> {t!(i18n, timeline.no_answer)}</label>
                </fieldset>
                <Reason name="comment" label=t_string!(i18n, case_field.comment).to_string() />
            </ActForm>
        }.into_any());
    }
    if has(CommandKind::DecideExtension) {
        for a in detail.assignments.iter().filter(|a| a.assignment.pending_extension.is_some()) {
            let req = a.assignment.pending_extension.clone().expect("filtered on pending");
            let unit = a.assignment.unit;
            let unit_name = a.unit_name.clone();
            forms.push(view! {
                <ActForm id command=CommandKind::DecideExtension on_done submit=label(CommandKind::DecideExtension) extra=vec![("unit", unit.to_string())]>
                    <p>{unit_name} " · " {move || super::texts::duration_text(i18n.get_locale(), req.ms)} "：" {req.reason.clone()}</p>
                    <fieldset class="choices">
                        <label><input type="radio" name="approve" value="yes" required /> {t!(i18n, case.approve)}</label>
                        <label><input type="radio" name="approve" value="no" /> {t!(i18n, case.refuse)}</label>
                    </fieldset>
                    <Reason name="note" label=t_string!(i18n, case_field.note).to_string() />
                </ActForm>
            }.into_any());
        }
    }
    if has(CommandKind::RequestExtension) {
        forms.push(view! {
            <details class="act-more">
                <summary>{label(CommandKind::RequestExtension)}</summary>
                <ActForm id command=CommandKind::RequestExtension on_done submit=label(CommandKind::RequestExtension)>
                    <label class="field"><span>{t!(i18n, case.extension_hours)}</span><input type="number" name="hours" min="1" max="720" required inputmode="numeric" /></label>
                    <Reason name="reason" label=t_string!(i18n, case_field.reason).to_string() required=true />
                </ActForm>
            </details>
        }.into_any());
    }
    if has(CommandKind::Return) {
        forms.push(view! {
            <details class="act-more">
                <summary>{label(CommandKind::Return)}</summary>
                <ActForm id command=CommandKind::Return on_done submit=label(CommandKind::Return) button_class="btn btn-danger">
                    <Reason name="reason" label=t_string!(i18n, case.return_reason).to_string() required=true />
                </ActForm>
            </details>
        }.into_any());
    }
    if has(CommandKind::Merge) {
        forms.push(view! { <MergePanel detail=detail.clone() on_done /> }.into_any());
    }
    if has(CommandKind::Reject) {
        forms.push(view! {
            <details class="act-more">
                <summary>{label(CommandKind::Reject)}</summary>
                <ActForm id command=CommandKind::Reject on_done submit=label(CommandKind::Reject) button_class="btn btn-danger">
                    <Reason name="reason" label=t_string!(i18n, case.reject_reason).to_string() required=true />
                </ActForm>
            </details>
        }.into_any());
    }
    if has(CommandKind::Reopen) {
        forms.push(view! {
            <details class="act-more">
                <summary>{label(CommandKind::Reopen)}</summary>
                <ActForm id command=CommandKind::Reopen on_done submit=label(CommandKind::Reopen) button_class="btn btn-danger">
                    <Reason name="reason" label=t_string!(i18n, case_field.reason).to_string() required=true />
                </ActForm>
            </details>
        }.into_any());
    }
    let status = detail.case.status;
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
}

/// 1 lead unit + X cooperating units, picked from every level.
#[component]
fn DispatchForm(id: i64, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let options = Resource::new(|| (), |_| fetch_case_options());
    let filter = RwSignal::new(String::new());
    let lead = RwSignal::new(String::new());
    view! {
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
            {move || options.get().map(|r| match r {
                Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                Ok(o) => {
                    let units = o.units.clone();
                    let groups = [UnitKind::TownshipGovernment, UnitKind::VillageCommittee, UnitKind::GridTeam, UnitKind::ResidentDepartment, UnitKind::RotatingDepartment];
                    view! {
                        <ActForm id command=CommandKind::Dispatch on_done submit=t_string!(i18n, command.dispatch).to_string() class="dispatch">
                            <label class="field">
                                <span>{t!(i18n, case.lead_unit)}</span>
                                <select name="lead" required data-testid="lead-unit" on:change=move |ev| lead.set(event_target_value(&ev))>
                                    <option value="">{t!(i18n, case.choose)}</option>
                                    {groups.into_iter().map(|g| {
                                        let in_group: Vec<_> = units.iter().filter(|u| u.kind == g).cloned().collect();
                                        view! {
                                            <optgroup label=move || unit_kind_text(i18n.get_locale(), g)>
                                                {in_group.into_iter().map(|u| view! { <option value=u.id>{u.name.clone()}</option> }).collect_view()}
                                            </optgroup>
                                        }
                                    }).collect_view()}
                                </select>
                            </label>
                            <fieldset class="unit-picker">
                                <legend>{t!(i18n, case.cooperating_units)}</legend>
                                <input type="search" class="unit-filter" placeholder=move || t_string!(i18n, common.filter) on:input=move |ev| filter.set(event_target_value(&ev)) aria-label=move || t_string!(i18n, common.filter) />
                                {groups.into_iter().map(|g| {
                                    let in_group: Vec<_> = units.iter().filter(|u| u.kind == g).cloned().collect();
                                    view! {
                                        <div class="unit-group">
                                            <p class="unit-group-title">{move || unit_kind_text(i18n.get_locale(), g)}</p>
                                            {in_group.into_iter().map(|u| {
                                                let name = u.name.clone();
                                                let id_text = u.id.to_string();
                                                let hidden = move || { let f = filter.get(); !f.is_empty() && !name.contains(f.trim()) };
                                                view! {
                                                    <label class="check" class:hidden=hidden>
                                                        // The lead cannot also cooperate: its box is greyed out.
                                                        <input type="checkbox" name="cooperating" value=u.id prop:disabled=move || lead.get() == id_text />
                                                        {u.name.clone()}
                                                    </label>
                                                }
                                            }).collect_view()}
                                        </div>
                                    }
                                }).collect_view()}
                            </fieldset>
                        </ActForm>
                    }.into_any()
                }
            })}
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
            {move || dups.get().map(|r| match r {
                Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                Ok(list) => view! {
                    <div class="duplicates" data-testid="duplicates">
                        <h3>{t!(i18n, case.possible_duplicates)}</h3>
                        {if list.is_empty() {
                            view! { <p class="muted small">{t!(i18n, case.no_duplicates)}</p> }.into_any()
                        } else {
                            list.into_iter().map(|d| view! {
                                <div class="duplicate">
                                    <a href=format!("/center/cases/{}", d.id)>{d.code.clone()} " " {d.title.clone()}</a>
                                    <ActForm id command=CommandKind::Merge on_done submit=t_string!(i18n, case.merge_into_this).to_string() button_class="btn btn-small" extra=vec![("into", d.code.clone())] />
                                </div>
                            }).collect_view().into_any()
                        }}
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}
