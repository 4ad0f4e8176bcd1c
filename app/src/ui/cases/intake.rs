//! Registering a case: the operator's desk form (hotline caller, channel, kind…) and the
//! field worker's phone form (photo, GPS, area prefilled). Both post to `register_case`.
use super::api::{fetch_case_options, find_duplicates, lookup_caller, register_case};
use super::category_options::CategoryOptions;
use super::place_picker::{AddressMatches, MapPicker};
use super::texts::{StatusBadge, channel_text, urgency_text};
use crate::domain::case::CaseOptions;
use crate::domain::case::{Channel, Urgency};
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::PageTitle;
use crate::ui::errors::ErrorAlert;
use crate::ui::field::FieldLayout;
use crate::ui::forms::{Form, form_action};
use leptos::prelude::*;

#[component]
pub fn CenterIntakePage() -> impl IntoView {
    view! {
        <PageTitle key=|l| td_string!(l, intake.title).to_string() />
        <CenterLayout>
            <IntakeScreen field=false />
        </CenterLayout>
    }
}

#[component]
pub fn FieldReportPage() -> impl IntoView {
    view! {
        <PageTitle key=|l| td_string!(l, intake.field_title).to_string() />
        <FieldLayout>
            <IntakeScreen field=true />
        </FieldLayout>
    }
}

#[component]
fn IntakeScreen(field: bool) -> impl IntoView {
    let i18n = use_i18n();
    let options = Resource::new(|| (), |_| fetch_case_options());
    let register = form_action(|f: &Form| register_case(f.to_multipart()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(f) = Form::from_submit(&ev) {
            register.dispatch_local(f);
        }
    };
    // Once registered, go to the new case's page, where it is dispatched.
    Effect::new(move |_| {
        if let Some(Ok(r)) = register.value().get() {
            let to = if field { format!("/field/cases/{}", r.id) } else { format!("/center/cases/{}", r.id) };
            leptos_router::hooks::use_navigate()(&to, Default::default());
        }
    });
    view! {
        <h1>{move || if field { t_string!(i18n, intake.field_title) } else { t_string!(i18n, intake.title) }}</h1>
        <Transition fallback=move || {
            view! { <p class="muted">{t!(i18n, common.loading)}</p> }
        }>
            {move || {
                options
                    .get()
                    .map(|r| match r {
                        Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                        Ok(o) => {
                            view! {
                                <form class="form card intake" on:submit=on_submit data-testid="intake-form">
                                    <IntakeFields options=o field />
                                    <div class="form-actions">
                                        <button type="submit" class="btn btn-primary btn-large" disabled=move || register.pending().get()>
                                            {t!(i18n, intake.submit)}
                                        </button>
                                    </div>
                                    {move || register.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
                                </form>
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

/// The fields every intake form shares; `field` trims them to what a phone needs.
#[component]
fn IntakeFields(options: CaseOptions, field: bool) -> impl IntoView {
    let i18n = use_i18n();
    let category = RwSignal::new(String::new());
    let area = RwSignal::new(options.my_area_id.map(|a| a.to_string()).unwrap_or_default());
    let lat = RwSignal::new(String::new());
    let lng = RwSignal::new(String::new());
    let places = StoredValue::new(options.places.clone());
    let address = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let dups = Resource::new(
        move || (category.get(), area.get(), lat.get(), lng.get()),
        move |(c, a, la, ln)| async move {
            if c.is_empty() || field {
                return Ok(vec![]);
            }
            find_duplicates(c, a.parse().ok(), la, ln, None).await
        },
    );
    let can_launch = field && options.can_launch;
    // The caller's earlier cases, looked up once the number typed is a whole phone number.
    let phone = RwSignal::new(String::new());
    let history = Resource::new(
        move || crate::domain::case::clean_reporter_phone(&phone.get()).ok().flatten(),
        move |p| async move {
            match p {
                Some(p) if !field => lookup_caller(p).await.map(Some),
                _ => Ok(None),
            }
        },
    );
    view! {
        {field.then(|| view! { <input type="hidden" name="channel" value="field" /> })}
        {(!field)
            .then(|| {
                view! {
                    <div class="form-row">
                        <label class="field">
                            <span>{t!(i18n, case.channel)}</span>
                            <select name="channel" required>
                                {Channel::ALL
                                    .iter()
                                    .filter(|c| **c != Channel::Open311)
                                    .map(|c| {
                                        let c = *c;
                                        view! {
                                            <option value=c.code() selected=c == Channel::Hotline12345>
                                                {move || channel_text(i18n.get_locale(), c)}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                        <label class="field">
                            <span>{t!(i18n, case.urgency)}</span>
                            <select name="urgency">
                                {Urgency::ALL
                                    .iter()
                                    .map(|u| {
                                        let u = *u;
                                        view! { <option value=u.code()>{move || urgency_text(i18n.get_locale(), u)}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                    </div>
                }
            })}
        <label class="field">
            <span>{t!(i18n, case.category)} <em class="req">"*"</em></span>
            <select name="category" required on:change=move |ev| category.set(event_target_value(&ev)) prop:value=move || category.get() data-testid="category">
                <CategoryOptions categories=options.categories.clone() />
            </select>
        </label>
        <label class="field">
            <span>{t!(i18n, case_field.title)}</span>
            <input
                type="text"
                name="title"
                maxlength="80"
                placeholder=move || t_string!(i18n, intake.title_hint)
                on:change=move |ev| title.set(event_target_value(&ev))
            />
        </label>
        <label class="field">
            <span>{t!(i18n, case_field.description)} <em class="req">"*"</em></span>
            <textarea name="description" rows="5" required maxlength="4000" on:change=move |ev| description.set(event_target_value(&ev))></textarea>
        </label>
        {(!field).then(|| view! { <super::routing::IntakeSuggestions title description area category /> })}
        <div class="form-row">
            <label class="field">
                <span>{t!(i18n, case.place)}</span>
                <select name="area_id" on:change=move |ev| area.set(event_target_value(&ev)) prop:value=move || area.get() data-testid="area">
                    <option value="">{t!(i18n, case.choose)}</option>
                    {options
                        .places
                        .iter()
                        .map(|p| {
                            let selected = options.my_area_id == Some(p.id);
                            view! {
                                <option value=p.id selected=selected>
                                    {p.path.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t!(i18n, case_field.address)}</span>
                <input type="text" name="address" maxlength="200" on:input=move |ev| address.set(event_target_value(&ev)) />
            </label>
        </div>
        <AddressMatches words=address places area />
        <div class="form-row geo">
            <label class="field">
                <span>{t!(i18n, intake.lat)}</span>
                <input type="text" name="lat" inputmode="decimal" prop:value=move || lat.get() on:input=move |ev| lat.set(event_target_value(&ev)) />
            </label>
            <label class="field">
                <span>{t!(i18n, intake.lng)}</span>
                <input type="text" name="lng" inputmode="decimal" prop:value=move || lng.get() on:input=move |ev| lng.set(event_target_value(&ev)) />
            </label>
            <crate::ui::components::LocateButton lat lng />
        </div>
        {(!field).then(|| view! { <MapPicker lat lng area places /> })}
        {(!field)
            .then(|| {
                view! {
                    <div class="form-row">
                        <label class="field">
                            <span>{t!(i18n, case_field.reporter_name)}</span>
                            <input type="text" name="reporter_name" maxlength="60" autocomplete="off" />
                        </label>
                        <label class="field">
                            <span>{t!(i18n, intake.reporter_phone)}</span>
                            <input
                                type="tel"
                                name="reporter_phone"
                                maxlength="20"
                                autocomplete="off"
                                aria-describedby="caller-history"
                                on:input=move |ev| phone.set(event_target_value(&ev))
                            />
                        </label>
                    </div>
                    <div id="caller-history" class="caller-history" aria-live="polite" data-testid="caller-history">
                        <Transition fallback=|| ()>
                            {move || history.get().and_then(|r| r.ok()).flatten().map(|h| view! { <CallerHistoryList history=h /> })}
                        </Transition>
                    </div>
                }
            })}
        <label class="field">
            <span>{move || if field { t_string!(i18n, intake.photo) } else { t_string!(i18n, case.photos) }}</span>
            <input type="file" name="files" accept="image/jpeg,image/png,image/webp,application/pdf" capture="environment" multiple />
        </label>
        {can_launch
            .then(|| {
                view! {
                    <label class="check launch-toggle">
                        <input type="checkbox" name="launch" value="yes" data-testid="launch-on-report" />
                        <span>
                            <strong>{t!(i18n, palm.launch_toggle)}</strong>
                            <br />
                            <span class="small">{t!(i18n, palm.launch_from_report)}</span>
                        </span>
                    </label>
                }
            })}
        <Transition fallback=|| ()>
            {move || {
                dups.get()
                    .and_then(|r| r.ok())
                    .filter(|l| !l.is_empty())
                    .map(|list| {
                        view! {
                            <aside class="alert alert-warn" data-testid="intake-duplicates" role="status">
                                <p>
                                    <strong>{t!(i18n, case.possible_duplicates)}</strong>
                                    " "
                                    {t!(i18n, intake.duplicates_hint)}
                                </p>
                                <ul>
                                    {list
                                        .into_iter()
                                        .map(|d| {
                                            view! {
                                                <li>
                                                    <a href=format!("/center/cases/{}", d.id) target="_blank">
                                                        {d.code.clone()}
                                                    </a>
                                                    " "
                                                    {d.title.clone()}
                                                    " "
                                                    <StatusBadge status=d.status />
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </aside>
                        }
                    })
            }}
        </Transition>
    }
}

/// A caller's earlier cases under the phone field: the operator sees at once whether this is
/// the third call about the same problem (each opens in a new tab; the form stays).
#[component]
fn CallerHistoryList(history: crate::domain::case::CallerHistory) -> impl IntoView {
    let i18n = use_i18n();
    let total = history.total;
    if total == 0 {
        return view! { <p class="muted small">{t!(i18n, intake.caller_first)}</p> }.into_any();
    }
    let shown = history.recent.len();
    view! {
        <p class="small">
            <strong>{t!(i18n, intake.caller_before, n = move || total)}</strong>
            {(total as usize > shown)
                .then(|| {
                    view! {
                        " "
                        <span class="muted">{t!(i18n, intake.caller_newest, n = move || shown)}</span>
                    }
                })}
        </p>
        <ul class="caller-cases">
            {history
                .recent
                .into_iter()
                .map(|c| {
                    view! {
                        <li>
                            <a href=format!("/center/cases/{}", c.case.id) target="_blank" class="mono">
                                {c.case.code.clone()}
                            </a>
                            " "
                            {c.case.title.clone()}
                            " "
                            <StatusBadge status=c.case.status />
                            " "
                            <span class="muted small">
                                {crate::ui::components::format_instant(c.case.received_ms)} {c.reporter_name.map(|n| format!(" · {n}"))}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
