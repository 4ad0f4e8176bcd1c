//! `/field/emergency` (突发事件报送): the unit's emergencies with what each still owes, and
//! `/field/emergency/:id`: one emergency's state, the filing form and every version.
use super::api::{FileReport, fetch_detail, fetch_mine};
use super::parts::{FileForm, Marks, Stages, Versions, pushed};
use crate::domain::emergency::Detail;
use crate::i18n::*;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use crate::ui::field::FieldLayout;
use crate::ui::live::feed::LiveDot;
use leptos::prelude::*;

#[component]
pub fn FieldEmergencyListPage() -> impl IntoView {
    let i18n = use_i18n();
    let (live, pushed) = pushed(None);
    let mine = Resource::new(move || pushed.get(), |_| fetch_mine());
    view! {
        <PageTitle key=|l| td_string!(l, emergency.mine_title).to_string() />
        <FieldLayout>
            <h1 class="field-h1">{t!(i18n, emergency.mine_title)} " " <LiveDot live /></h1>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    mine.get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok((_, rows)) if rows.is_empty() => {
                                view! {
                                    <p class="card muted" data-testid="emergency-mine-none">
                                        {t!(i18n, emergency.mine_none)}
                                    </p>
                                }
                                    .into_any()
                            }
                            Ok((now, rows)) => {
                                rows.into_iter()
                                    .map(|row| {
                                        let href = format!("/field/emergency/{}", row.emergency.case_id);
                                        view! {
                                            <a class="card emergency-card" href=href data-testid="emergency-card">
                                                <strong>{row.title.clone()}</strong>
                                                <span class="muted small mono">
                                                    {row.code.clone()} " · " {format_instant(row.emergency.opened_ms)[5..16].to_string()}
                                                </span>
                                                <Marks row=row.clone() />
                                                <Stages e=row.emergency.clone() now />
                                            </a>
                                        }
                                    })
                                    .collect_view()
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </FieldLayout>
    }
}

#[component]
pub fn FieldEmergencyPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = crate::ui::supervision::bulletin::id_param();
    let file = ServerAction::<FileReport>::new();
    let (live, pushed) = pushed(None);
    // Reloaded after a report is filed, not after a refusal: the form keeps what was typed.
    let filed = RwSignal::new(0u32);
    Effect::new(move |_| {
        if let Some(Ok(())) = file.value().get() {
            filed.update(|n| *n += 1);
        }
    });
    let detail = Resource::new(move || (id.get(), filed.get(), pushed.get()), |(id, _, _)| fetch_detail(id));
    view! {
        <PageTitle key=|l| td_string!(l, emergency.detail_title).to_string() />
        <FieldLayout>
            <p>
                <a href="/field/emergency">"← " {t!(i18n, emergency.mine_title)}</a>
            </p>
            {move || file.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    detail
                        .get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(d) => view! { <PhoneDetail d file live /> }.into_any(),
                        })
                }}
            </Transition>
        </FieldLayout>
    }
}

#[component]
fn PhoneDetail(d: Detail, file: ServerAction<FileReport>, live: crate::ui::live::feed::Live) -> impl IntoView {
    let i18n = use_i18n();
    let e = d.row.emergency.clone();
    let latest = d.reports.last().cloned();
    view! {
        <h1 class="field-h1">{d.row.title.clone()} " " <LiveDot live /></h1>
        <section class="card" data-testid="emergency-state">
            <p class="muted small mono">{d.row.code.clone()} " · " {d.row.unit.clone()}</p>
            <Marks row=d.row.clone() />
            <Stages e=e.clone() now=d.now_ms />
        </section>
        {d.may_write.then(|| view! { <FileForm e latest file /> })}
        <h2>{t!(i18n, emergency.versions_title)}</h2>
        <Versions reports=d.reports check=None />
    }
}
