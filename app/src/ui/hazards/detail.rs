//! `/center/hazards/:id` and `/field/hazards/:id`: one hazard — its facts, the units on the
//! inspection, every step with its photos, and the forms of the steps the caller's unit may
//! take (rectify, progress, the check on site, 销号 with photos, supervision).
use super::api::{act_on_hazard, fetch_detail};
use super::register::pushed;
use super::texts::{domain_text, level_text, source_text, status_class, status_text, step_text, watch_text};
use crate::domain::hazard::{HazardDetail, HazardEvent, MAX_TEXT, StepKind, Watch};
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use crate::ui::field::FieldLayout;
use crate::ui::forms::{self, Form, form_action};
use crate::ui::live::feed::LiveDot;
use leptos::prelude::*;

#[component]
pub fn HazardPage() -> impl IntoView {
    view! {
        <PageTitle key=|l| td_string!(l, hazard.detail_title).to_string() />
        <CenterLayout>
            <HazardView base="/center/hazards" />
        </CenterLayout>
    }
}

#[component]
pub fn FieldHazardPage() -> impl IntoView {
    view! {
        <PageTitle key=|l| td_string!(l, hazard.detail_title).to_string() />
        <FieldLayout>
            <HazardView base="/field/hazards" />
        </FieldLayout>
    }
}

#[component]
fn HazardView(base: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let id = crate::ui::supervision::bulletin::id_param();
    let (live, pushed) = pushed();
    let done = RwSignal::new(0u32);
    let detail = Resource::new(move || (id.get(), done.get(), pushed.get()), |(id, _, _)| fetch_detail(id));
    let on_done = Callback::new(move |_| done.update(|n| *n += 1));
    view! {
        <p>
            <a href=base>"← " {t!(i18n, hazard.title)}</a>
        </p>
        <Transition fallback=move || {
            view! { <p class="muted">{t!(i18n, common.loading)}</p> }
        }>
            {move || {
                detail
                    .get()
                    .map(|r| match r {
                        Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                        Ok(d) => {
                            view! {
                                <Facts d=d.clone() live />
                                <Steps d=d.clone() done=on_done />
                                <History events=d.events />
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

#[component]
fn Facts(d: HazardDetail, live: crate::ui::live::feed::Live) -> impl IntoView {
    let i18n = use_i18n();
    let h = d.row.hazard.clone();
    let f = h.facts.clone();
    let (status, level, domain, source, watch) = (h.status, f.level, f.domain, f.source, h.watch);
    let overdue = h.is_overdue(d.now_ms);
    view! {
        <section class="card" data-testid="hazard-facts">
            <h1 class="hazard-title">{f.title.clone()} " " <LiveDot live /></h1>
            <p class="hazard-marks">
                <span class=status_class(status) data-testid="hazard-status">
                    {move || status_text(i18n.get_locale(), status)}
                </span>
                " "
                <span class=if level == crate::domain::hazard::HazardLevel::Major {
                    "badge badge-red"
                } else {
                    "badge badge-grey"
                }>{move || level_text(i18n.get_locale(), level)}</span>
                {watch
                    .map(|w| {
                        view! {
                            " "
                            <span class="badge badge-amber" data-testid="hazard-watch">
                                {move || watch_text(i18n.get_locale(), w)}
                            </span>
                        }
                    })}
                {overdue
                    .then(|| {
                        view! {
                            " "
                            <span class="badge badge-red" data-testid="hazard-overdue">
                                {t!(i18n, hazard.overdue)}
                            </span>
                        }
                    })}
            </p>
            <dl class="facts">
                <dt>{t!(i18n, hazard.domain)}</dt>
                <dd>{move || domain_text(i18n.get_locale(), domain)}</dd>
                <dt>{t!(i18n, hazard.source)}</dt>
                <dd>{move || source_text(i18n.get_locale(), source)}</dd>
                <dt>{t!(i18n, hazard.place)}</dt>
                <dd>{format!("{} {}", d.row.township, f.place)}</dd>
                <dt>{t!(i18n, hazard.unit)}</dt>
                <dd data-testid="hazard-unit-name">{d.row.unit.clone()}</dd>
                {(!f.enterprise.is_empty())
                    .then(|| {
                        view! {
                            <dt>{t!(i18n, hazard.enterprise)}</dt>
                            <dd>{f.enterprise.clone()}</dd>
                        }
                    })}
                <dt>{t!(i18n, hazard.inspectors)}</dt>
                <dd data-testid="hazard-inspector-names">{d.inspectors.join("、")}</dd>
                <dt>{t!(i18n, hazard.deadline)}</dt>
                <dd>{format_instant(f.deadline_ms)[..10].to_string()}</dd>
                <dt>{t!(i18n, hazard.found_at)}</dt>
                <dd>{format_instant(h.found_ms)[..16].to_string()}</dd>
                {d
                    .case_code
                    .clone()
                    .map(|c| {
                        view! {
                            <dt>{t!(i18n, hazard.case_code)}</dt>
                            <dd class="mono">{c}</dd>
                        }
                    })}
            </dl>
            {(!f.description.is_empty()).then(|| view! { <p class="pre-wrap">{f.description.clone()}</p> })}
            <h2 class="card-title">{t!(i18n, hazard.measures)}</h2>
            <p class="pre-wrap">{f.measures.clone()}</p>
        </section>
    }
}

/// The forms of the steps the caller may take, each sent with its photos.
#[component]
fn Steps(d: HazardDetail, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = d.row.hazard.id;
    let steps = d.steps.clone();
    if steps.is_empty() {
        return ().into_any();
    }
    let has = move |k: StepKind| steps.contains(&k);
    view! {
        <section class="card" data-testid="hazard-steps">
            <h2 class="card-title">{t!(i18n, hazard.steps_title)}</h2>
            {has(StepKind::Rectify)
                .then(|| {
                    view! {
                        <StepForm id step="rectify" submit=t_string!(i18n, hazard.do_rectify).to_string() testid="step-rectify" done photos=true>
                            <TextField label=t_string!(i18n, hazard.rectify_text).to_string() required=true />
                        </StepForm>
                    }
                })}
            {has(StepKind::CheckPassed)
                .then(|| {
                    view! {
                        <StepForm id step="check_passed" submit=t_string!(i18n, hazard.do_check_passed).to_string() testid="step-check-passed" done photos=true>
                            <TextField label=t_string!(i18n, hazard.check_text).to_string() required=false />
                        </StepForm>
                        <StepForm id step="check_failed" submit=t_string!(i18n, hazard.do_check_failed).to_string() testid="step-check-failed" done photos=true>
                            <TextField label=t_string!(i18n, hazard.failed_text).to_string() required=true />
                        </StepForm>
                    }
                })}
            {has(StepKind::TickOff)
                .then(|| {
                    view! {
                        <StepForm id step="tick_off" submit=t_string!(i18n, hazard.do_tick_off).to_string() testid="step-tick-off" done photos=true>
                            <p class="muted small">{t!(i18n, hazard.tick_off_help)}</p>
                            <TextField label=t_string!(i18n, hazard.tick_off_text).to_string() required=false />
                        </StepForm>
                    }
                })}
            {has(StepKind::Watch)
                .then(|| {
                    let listed_only = d.row.hazard.watch == Some(Watch::Tracking);
                    view! {
                        <StepForm id step="" submit=t_string!(i18n, hazard.do_watch).to_string() testid="step-watch" done photos=false>
                            <label class="field">
                                <span>{t!(i18n, hazard.watch)}</span>
                                <select name="step" data-testid="watch-kind">
                                    {(!listed_only).then(|| view! { <option value="tracking">{t!(i18n, hazard.watch_tracking)}</option> })}
                                    <option value="listed">{t!(i18n, hazard.watch_listed)}</option>
                                </select>
                            </label>
                            <TextField label=t_string!(i18n, hazard.watch_text).to_string() required=false />
                        </StepForm>
                    }
                })}
            {has(StepKind::Progress)
                .then(|| {
                    view! {
                        <StepForm id step="progress" submit=t_string!(i18n, hazard.do_progress).to_string() testid="step-progress" done photos=true>
                            <TextField label=t_string!(i18n, hazard.progress_text).to_string() required=false />
                        </StepForm>
                    }
                })}
        </section>
    }
    .into_any()
}

#[component]
fn TextField(label: String, required: bool) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <textarea name="text" rows="2" maxlength=MAX_TEXT required=required data-testid="step-text"></textarea>
        </label>
    }
}

/// A step on this hazard, with photos unless `photos` is false.
#[component]
fn StepForm(id: i64, step: &'static str, submit: String, testid: &'static str, done: Callback<()>, photos: bool, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let act = form_action(|f: &Form| act_on_hazard(f.to_multipart()));
    view! {
        <forms::StepForm act class="form hazard-step" submit testid done>
            <input type="hidden" name="id" value=id />
            {(!step.is_empty()).then(|| view! { <input type="hidden" name="step" value=step /> })}
            {children()}
            {photos
                .then(|| {
                    view! {
                        <label class="field">
                            <span>{t!(i18n, hazard.photos)}</span>
                            <input type="file" name="photo" multiple accept="image/jpeg,image/png,image/webp" capture="environment" data-testid="step-photos" />
                        </label>
                    }
                })}
        </forms::StepForm>
    }
}

#[component]
fn History(events: Vec<HazardEvent>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2 class="card-title">{t!(i18n, hazard.history)}</h2>
            <ol class="timeline" data-testid="hazard-history">
                {events
                    .into_iter()
                    .map(|e| {
                        let kind = e.kind;
                        let (watch, words) = match (kind, e.text.split_once(':')) {
                            (StepKind::Watch, Some((w, rest))) => (w.parse::<Watch>().ok(), rest.to_string()),
                            _ => (None, e.text.clone()),
                        };
                        // A supervision step is stored as `tracking:words`.
                        view! {
                            <li data-kind=kind.code() data-testid="hazard-event">
                                <strong>{move || step_text(i18n.get_locale(), kind)}</strong>
                                {watch
                                    .map(|w| {
                                        view! {
                                            " "
                                            <span class="badge badge-amber">{move || watch_text(i18n.get_locale(), w)}</span>
                                        }
                                    })}
                                <span class="muted small">" " {format_instant(e.at_ms)[..16].to_string()} " " {e.unit.clone()} " " {e.by.clone()}</span>
                                {(!words.is_empty()).then(|| view! { <p class="pre-wrap">{words}</p> })}
                                {(!e.photos.is_empty())
                                    .then(|| {
                                        view! {
                                            <div class="hazard-photos" data-testid="hazard-photos">
                                                {e
                                                    .photos
                                                    .iter()
                                                    .map(|p| {
                                                        let href = format!("/files/hazard/{p}");
                                                        let src = href.clone();
                                                        view! {
                                                            <a href=href rel="external" target="_blank">
                                                                <img
                                                                    src=src
                                                                    alt=move || t_string!(i18n, hazard.photo_alt)
                                                                    loading="lazy"
                                                                    width="96"
                                                                    height="96"
                                                                />
                                                            </a>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </div>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
