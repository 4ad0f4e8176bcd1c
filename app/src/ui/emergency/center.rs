//! `/center/emergency/:id`: one emergency's owed reports, its level and responsible unit (to
//! change), and every version, each checked by the leader on duty.
use super::api::{CheckReport, Declare, fetch_detail, fetch_of_case};
use super::parts::{Marks, Stages, Versions, pushed};
use super::texts::level_text;
use crate::domain::emergency::{Detail, EmergencyError, Level};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::PageTitle;
use crate::ui::errors::ErrorAlert;
use crate::ui::live::feed::LiveDot;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn EmergencyCenterPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = crate::ui::supervision::bulletin::id_param();
    let check = ServerAction::<CheckReport>::new();
    let declare = ServerAction::<Declare>::new();
    let (live, pushed) = pushed(Some(id));
    let detail = Resource::new(move || (id.get(), check.version().get(), declare.version().get(), pushed.get()), |(id, ..)| fetch_detail(id));
    view! {
        <PageTitle key=|l| td_string!(l, emergency.detail_title).to_string() />
        <CenterLayout>
            <p>
                <a href="/center/emergency">"← " {t!(i18n, emergency.title)}</a>
            </p>
            {move || check.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
            {move || declare.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    detail
                        .get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(d) => view! { <CenterDetail d check declare live /> }.into_any(),
                        })
                }}
            </Transition>
        </CenterLayout>
    }
}

#[component]
fn CenterDetail(d: Detail, check: ServerAction<CheckReport>, declare: ServerAction<Declare>, live: crate::ui::live::feed::Live) -> impl IntoView {
    let i18n = use_i18n();
    let e = d.row.emergency.clone();
    let case_href = format!("/center/cases/{}", e.case_id);
    view! {
        <h1>{d.row.title.clone()} " " <LiveDot live /></h1>
        <div class="case-grid">
            <div class="case-main">
                <section class="card" data-testid="emergency-state">
                    <p class="muted small">
                        <span class="mono">{d.row.code.clone()}</span>
                        " · "
                        {d.row.unit.clone()}
                        " · "
                        <a href=case_href>{t!(i18n, emergency.open_case)}</a>
                    </p>
                    <Marks row=d.row.clone() />
                    <Stages e=e.clone() now=d.now_ms />
                </section>
                <h2>{t!(i18n, emergency.versions_title)}</h2>
                <Versions reports=d.reports.clone() check=d.may_check.then_some(check) />
            </div>
            <aside class="case-side">
                {d.may_regrade.then(|| view! { <LevelForm case_id=e.case_id level=Some(e.level) unit=Some(e.unit_id) units=d.units.clone() declare /> })}
            </aside>
        </div>
    }
}

/// Marks a case as an emergency, or changes the level and responsible unit of one.
#[component]
fn LevelForm(case_id: i64, level: Option<Level>, unit: Option<i64>, units: Vec<(i64, String)>, declare: ServerAction<Declare>) -> impl IntoView {
    let i18n = use_i18n();
    let marked = level.is_some();
    view! {
        <section class="card" aria-labelledby="level-title">
            <h2 class="card-title" id="level-title">
                {move || if marked { t_string!(i18n, emergency.regrade_title) } else { t_string!(i18n, emergency.declare_title) }}
            </h2>
            {(!marked).then(|| view! { <p class="muted small">{t!(i18n, emergency.declare_hint)}</p> })}
            <ActionForm action=declare attr:class="form" attr:data-testid="declare-form">
                <input type="hidden" name="case_id" value=case_id />
                <label class="field">
                    <span>{t!(i18n, emergency.level)}</span>
                    <select name="level">
                        {Level::ALL
                            .iter()
                            .rev()
                            .map(|l| {
                                let l = *l;
                                view! {
                                    <option value=l.code() selected=level == Some(l)>
                                        {move || level_text(i18n.get_locale(), l)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, emergency.unit)}</span>
                    <select name="unit_id">
                        <option value="0">{t!(i18n, emergency.township_default)}</option>
                        {units
                            .into_iter()
                            .map(|(id, name)| {
                                view! {
                                    <option value=id selected=unit == Some(id)>
                                        {name}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <div class="form-actions">
                    <button type="submit" class=if marked { "btn btn-secondary" } else { "btn btn-danger" } disabled=move || declare.pending().get()>
                        {move || if marked { t_string!(i18n, emergency.regrade) } else { t_string!(i18n, emergency.declare) }}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

/// The case page's card: the emergency's reports in a line with a link to them, or, for the
/// desk, the form to mark the case as an emergency.
#[component]
pub fn CaseEmergencyCard(case_id: i64, field: bool) -> impl IntoView {
    let i18n = use_i18n();
    let declare = ServerAction::<Declare>::new();
    let card = Resource::new(move || declare.version().get(), move |_| fetch_of_case(case_id));
    view! {
        <Transition fallback=|| ()>
            {move || {
                card.get()
                    .map(|r| match r {
                        Ok(c) => {
                            match c.row {
                                Some(row) => {
                                    let href = if field { format!("/field/emergency/{case_id}") } else { format!("/center/emergency/{case_id}") };
                                    view! {
                                        <section class="card" aria-labelledby="case-emergency-title" data-testid="case-emergency">
                                            <h2 class="card-title" id="case-emergency-title">
                                                {t!(i18n, emergency.declare_title)}
                                            </h2>
                                            <Marks row=row.clone() />
                                            <Stages e=row.emergency.clone() now=c.now_ms />
                                            <a class="btn btn-secondary" href=href data-testid="open-emergency-reports">
                                                {t!(i18n, emergency.open_reports)}
                                            </a>
                                        </section>
                                    }
                                        .into_any()
                                }
                                None if c.may_declare && !field => {
                                    view! {
                                        <div data-testid="case-emergency">
                                            {move || declare.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
                                            <LevelForm case_id level=None unit=None units=c.units.clone() declare />
                                        </div>
                                    }
                                        .into_any()
                                }
                                None => ().into_any(),
                            }
                        }
                        Err(AppError::Emergency(EmergencyError::NotEmergency)) => ().into_any(),
                        Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                    })
            }}
        </Transition>
    }
}
