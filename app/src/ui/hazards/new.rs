//! `/center/hazards/new` and `/field/hazards/new`: recording a hazard found on an inspection —
//! what and where (the desk picks the point on the district map, the phone takes GPS), its
//! domain and level, who must rectify it by when and how, the units on the inspection (several
//! on a joint one) and the photos taken there. Opened from a case (`?case=id`), the form starts
//! from the case's code, title, place and point.
use super::api::{fetch_options, record_hazard};
use super::texts::{domain_text, level_text, source_text};
use crate::domain::hazard::{HazardDomain, HazardLevel, HazardOptions, MAX_SHORT, MAX_TEXT, MAX_TITLE, Source};
use crate::i18n::*;
use crate::ui::cases::place_picker::MapPicker;
use crate::ui::center::CenterLayout;
use crate::ui::components::{LocateButton, PageTitle};
use crate::ui::errors::ErrorAlert;
use crate::ui::field::FieldLayout;
use crate::ui::forms::{Form, form_action};
use leptos::prelude::*;

#[component]
pub fn HazardNewPage() -> impl IntoView {
    view! {
        <PageTitle key=|l| td_string!(l, hazard.new_title).to_string() />
        <CenterLayout>
            <NewHazard base="/center/hazards" phone=false />
        </CenterLayout>
    }
}

#[component]
pub fn FieldHazardNewPage() -> impl IntoView {
    view! {
        <PageTitle key=|l| td_string!(l, hazard.new_title).to_string() />
        <FieldLayout>
            <NewHazard base="/field/hazards" phone=true />
        </FieldLayout>
    }
}

#[component]
fn NewHazard(base: &'static str, phone: bool) -> impl IntoView {
    let i18n = use_i18n();
    let q = leptos_router::hooks::use_query_map();
    let case = Memo::new(move |_| q.with(|q| q.get("case").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0)));
    let options = Resource::new(move || case.get(), fetch_options);
    let record = form_action(|f: &Form| record_hazard(f.to_multipart()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(f) = Form::from_submit(&ev) {
            record.dispatch_local(f);
        }
    };
    Effect::new(move |_| {
        if let Some(Ok(id)) = record.value().get() {
            leptos_router::hooks::use_navigate()(&format!("{base}/{id}"), Default::default());
        }
    });
    view! {
        <p>
            <a href=base>"← " {t!(i18n, hazard.title)}</a>
        </p>
        <h1 class=if phone { "field-h1" } else { "" }>{t!(i18n, hazard.new_title)}</h1>
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
                                <form class="form card hazard-form" on:submit=on_submit data-testid="hazard-form">
                                    <HazardFields o phone />
                                    <div class="form-actions">
                                        <button type="submit" class="btn btn-primary btn-large" disabled=move || record.pending().get()>
                                            {t!(i18n, hazard.record)}
                                        </button>
                                    </div>
                                    {move || record.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
                                </form>
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

#[component]
fn HazardFields(o: HazardOptions, phone: bool) -> impl IntoView {
    let i18n = use_i18n();
    let from = o.from_case.clone();
    let first_area = from.as_ref().and_then(|c| c.area_id).or(o.my_area_id);
    let area = RwSignal::new(first_area.map(|a| a.to_string()).unwrap_or_default());
    let degrees = |e6: i64| format!("{:.6}", e6 as f64 / 1e6);
    let point = from.as_ref().and_then(|c| c.point);
    let lat = RwSignal::new(point.map(|p| degrees(p.lat_e6)).unwrap_or_default());
    let lng = RwSignal::new(point.map(|p| degrees(p.lng_e6)).unwrap_or_default());
    let places = StoredValue::new(o.places.clone());
    let my_unit = o.my_unit;
    let (title, place, code) = from.as_ref().map(|c| (c.title.clone(), c.place.clone(), c.code.clone())).unwrap_or_default();
    view! {
        {from
            .as_ref()
            .map(|c| {
                view! {
                    <p class="alert alert-info" data-testid="hazard-from-case">
                        {t!(i18n, hazard.from_case)}
                        " "
                        <span class="mono">{c.code.clone()}</span>
                        " "
                        {c.title.clone()}
                    </p>
                }
            })}
        <label class="field">
            <span>{t!(i18n, hazard.name)}</span>
            <input type="text" name="title" required maxlength=MAX_TITLE value=title data-testid="hazard-title" />
        </label>
        <div class="form-row">
            <label class="field">
                <span>{t!(i18n, hazard.domain)}</span>
                <select name="domain" required data-testid="hazard-domain">
                    <option value="">{t!(i18n, hazard.choose)}</option>
                    {HazardDomain::ALL
                        .iter()
                        .map(|d| {
                            let d = *d;
                            view! { <option value=d.code()>{move || domain_text(i18n.get_locale(), d)}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t!(i18n, hazard.level)}</span>
                <select name="level" data-testid="hazard-level">
                    {HazardLevel::ALL
                        .iter()
                        .map(|l| {
                            let l = *l;
                            view! { <option value=l.code()>{move || level_text(i18n.get_locale(), l)}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t!(i18n, hazard.source)}</span>
                <select name="source" data-testid="hazard-source">
                    {Source::ALL
                        .iter()
                        .map(|s| {
                            let s = *s;
                            let chosen = from.is_some() && s == Source::Case;
                            view! {
                                <option value=s.code() selected=chosen>
                                    {move || source_text(i18n.get_locale(), s)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        </div>
        <label class="field">
            <span>{t!(i18n, hazard.description)}</span>
            <textarea name="description" rows="3" maxlength=MAX_TEXT></textarea>
        </label>
        <div class="form-row">
            <label class="field">
                <span>{t!(i18n, hazard.area)}</span>
                <select name="area_id" on:change=move |ev| area.set(event_target_value(&ev)) prop:value=move || area.get() data-testid="hazard-area">
                    <option value="">{t!(i18n, hazard.choose)}</option>
                    {o
                        .places
                        .iter()
                        .map(|p| {
                            view! {
                                <option value=p.id selected=first_area == Some(p.id)>
                                    {p.path.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t!(i18n, hazard.place)}</span>
                <input type="text" name="place" required maxlength=MAX_SHORT value=place data-testid="hazard-place" />
            </label>
        </div>
        <div class="form-row geo">
            <input type="hidden" name="lat" prop:value=move || lat.get() />
            <input type="hidden" name="lng" prop:value=move || lng.get() />
            <p class="muted small" aria-live="polite" data-testid="hazard-point">
                {move || {
                    if lat.get().is_empty() {
                        t_string!(i18n, hazard.no_point).to_string()
                    } else {
                        format!("{} {}, {}", t_string!(i18n, hazard.point), lat.get(), lng.get())
                    }
                }}
            </p>
            <LocateButton lat lng />
        </div>
        {(!phone).then(|| view! { <MapPicker lat lng area places /> })}
        <div class="form-row">
            <label class="field">
                <span>{t!(i18n, hazard.unit)}</span>
                <select name="unit" required data-testid="hazard-unit">
                    <option value="">{t!(i18n, hazard.choose)}</option>
                    {o.units.iter().map(|u| view! { <option value=u.id>{u.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t!(i18n, hazard.enterprise)}</span>
                <input type="text" name="enterprise" maxlength=MAX_SHORT data-testid="hazard-enterprise" />
            </label>
        </div>
        <label class="field">
            <span>{t!(i18n, hazard.measures)}</span>
            <textarea name="measures" rows="3" required maxlength=MAX_TEXT data-testid="hazard-measures"></textarea>
        </label>
        <div class="form-row">
            <label class="field">
                <span>{t!(i18n, hazard.deadline)}</span>
                <input type="date" name="deadline" required data-testid="hazard-deadline" />
            </label>
            <label class="field">
                <span>{t!(i18n, hazard.case_code)}</span>
                <input type="text" name="case_code" maxlength="20" autocomplete="off" value=code data-testid="hazard-case-code" />
            </label>
        </div>
        <fieldset class="field hazard-inspectors" data-testid="hazard-inspectors">
            <legend>{t!(i18n, hazard.inspectors)}</legend>
            <p class="muted small">{t!(i18n, hazard.inspectors_help)}</p>
            <div class="hazard-unit-boxes">
                {o
                    .units
                    .iter()
                    .map(|u| {
                        view! {
                            <label class="check">
                                <input type="checkbox" name="inspector" value=u.id checked=my_unit == Some(u.id) />
                                {u.name.clone()}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
        <label class="field">
            <span>{t!(i18n, hazard.photos)}</span>
            <input type="file" name="photo" multiple accept="image/jpeg,image/png,image/webp" capture="environment" data-testid="hazard-photos" />
        </label>
    }
}
