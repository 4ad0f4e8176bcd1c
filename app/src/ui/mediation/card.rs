//! The mediation card of a dispute case, on the desk's case page and on the phone: the
//! parties, the mediator, each session, the agreement with its signed photo or the referral,
//! and — for the center and the units on the case — the next step's form.
use super::api::{act_on_mediation, fetch_mediation};
use crate::domain::clock::minute_string;
use crate::domain::mediation::{Mediation, Outcome, Referral, SessionOutcome};
use crate::i18n::*;
use crate::ui::components::format_instant;
use crate::ui::errors::ErrorAlert;
use crate::ui::forms::{self, Form, form_action};
use leptos::prelude::*;

pub fn session_outcome_text(l: Locale, o: SessionOutcome) -> &'static str {
    match o {
        SessionOutcome::Agreed => td_string!(l, mediation.session_agreed),
        SessionOutcome::Continued => td_string!(l, mediation.session_continued),
        SessionOutcome::Failed => td_string!(l, mediation.session_failed),
    }
}

pub fn outcome_text(l: Locale, o: Outcome) -> &'static str {
    match o {
        Outcome::FirstTime => td_string!(l, mediation.outcome_first_time),
        Outcome::Later => td_string!(l, mediation.outcome_later),
        Outcome::Referred => td_string!(l, mediation.outcome_referred),
    }
}

pub fn referral_text(l: Locale, r: Referral) -> &'static str {
    match r {
        Referral::Court => td_string!(l, mediation.to_court),
        Referral::Arbitration => td_string!(l, mediation.to_arbitration),
        Referral::PetitionOffice => td_string!(l, mediation.to_petition_office),
    }
}

#[component]
pub fn MediationCard(case_id: i64, received_ms: i64, now_ms: i64) -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let record = Resource::new(move || version.get(), move |_| fetch_mediation(case_id));
    let done = Callback::new(move |_| version.update(|v| *v += 1));
    view! {
        <section class="card mediation" data-testid="mediation-card">
            <h2>{t!(i18n, mediation.title)}</h2>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    record
                        .get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok((m, may)) => view! { <Record m may case_id received_ms now_ms done /> }.into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn Record(m: Option<Mediation>, may: bool, case_id: i64, received_ms: i64, now_ms: i64, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let _ = received_ms;
    let Some(m) = m else {
        return view! {
            <p class="muted">{t!(i18n, mediation.none_yet)}</p>
            {may.then(|| view! { <OpenForm case_id done /> })}
        }
        .into_any();
    };
    let last = m.sessions.last().map(|s| s.outcome);
    let open = m.closed_ms.is_none();
    let parties = m
        .parties
        .iter()
        .map(|p| format!("{}{}", p.name, p.phone_masked.as_ref().map(|ph| format!("（{ph}）")).unwrap_or_default()))
        .collect::<Vec<_>>()
        .join("、");
    let outcome = m.outcome.map(|o| {
        let class = if o == Outcome::Referred { "badge badge-amber" } else { "badge badge-green" };
        view! {
            <span class=class data-testid="mediation-outcome" data-outcome=o.code()>
                {outcome_text(l, o)}
            </span>
        }
    });
    view! {
        <dl class="facts">
            <dt>{t!(i18n, mediation.parties)}</dt>
            <dd>{parties}</dd>
            <dt>{t!(i18n, mediation.mediator)}</dt>
            <dd>{m.mediator.clone()} " · " {m.mediator_org.clone()}</dd>
            {outcome
                .map(|o| {
                    view! {
                        <dt>{t!(i18n, mediation.outcome)}</dt>
                        <dd>{o}</dd>
                    }
                })}
            {m
                .referred_to
                .map(|r| {
                    view! {
                        <dt>{t!(i18n, mediation.referred_to)}</dt>
                        <dd>{referral_text(l, r)}</dd>
                    }
                })}
            {m
                .rereported_by
                .map(|c| {
                    view! {
                        <dt>{t!(i18n, mediation.rereported)}</dt>
                        <dd data-testid="mediation-rereported">{t!(i18n, mediation.rereported_by)} " #" {c}</dd>
                    }
                })}
        </dl>
        <ol class="sessions" data-testid="mediation-sessions">
            {m
                .sessions
                .iter()
                .map(|s| {
                    view! {
                        <li data-outcome=s.outcome.code()>
                            <strong>{t!(i18n, mediation.session)} " " {s.number}</strong>
                            " · "
                            {format_instant(s.at_ms)}
                            " · "
                            {s.place.clone()}
                            " · "
                            <span class="badge badge-grey">{session_outcome_text(l, s.outcome)}</span>
                            <p>{s.minutes.clone()}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        {m
            .agreement
            .clone()
            .map(|a| {
                view! {
                    <div class="agreement" data-testid="mediation-agreement">
                        <h3>{t!(i18n, mediation.agreement)}</h3>
                        <p>{a}</p>
                        {m
                            .agreement_photo
                            .map(|p| {
                                view! {
                                    <a href=format!("/files/{p}") rel="external" target="_blank">
                                        {t!(i18n, mediation.signed_photo)}
                                    </a>
                                }
                            })}
                    </div>
                }
            })}
        {(may && open)
            .then(|| {
                view! {
                    <SessionForm case_id now_ms done />
                    {(last == Some(SessionOutcome::Agreed)).then(|| view! { <AgreeForm case_id done /> })}
                    {(last == Some(SessionOutcome::Failed)).then(|| view! { <ReferForm case_id done /> })}
                }
            })}
    }
    .into_any()
}

/// A form of one step, sent as multipart; redraws the card when it is done.
#[component]
fn StepForm(case_id: i64, step: &'static str, submit: String, testid: &'static str, done: Callback<()>, children: Children) -> impl IntoView {
    let act = form_action(|f: &Form| act_on_mediation(f.to_multipart()));
    view! {
        <forms::StepForm act class="form mediation-step" submit testid done>
            <input type="hidden" name="case_id" value=case_id />
            <input type="hidden" name="step" value=step />
            {children()}
        </forms::StepForm>
    }
}

#[component]
fn OpenForm(case_id: i64, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let party = move |n: u32, required: bool| {
        view! {
            <div class="party-row">
                <label class="field">
                    <span>{t!(i18n, mediation.party)} " " {n}</span>
                    <input name="party_name" required=required maxlength="60" data-testid=format!("party-name-{n}") />
                </label>
                <label class="field">
                    <span>{t!(i18n, mediation.party_phone)}</span>
                    <input name="party_phone" type="tel" inputmode="tel" maxlength="20" data-testid=format!("party-phone-{n}") />
                </label>
            </div>
        }
    };
    view! {
        <StepForm case_id step="open" submit=t_string!(i18n, mediation.open).to_string() testid="mediation-open" done>
            {party(1, true)}
            {party(2, true)}
            {party(3, false)}
            <label class="field">
                <span>{t!(i18n, mediation.mediator)}</span>
                <input name="mediator" required maxlength="60" data-testid="mediator" />
            </label>
            <label class="field">
                <span>{t!(i18n, mediation.mediator_org)}</span>
                <input name="mediator_org" required maxlength="60" data-testid="mediator-org" />
            </label>
        </StepForm>
    }
}

#[component]
fn SessionForm(case_id: i64, now_ms: i64, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    view! {
        <StepForm case_id step="session" submit=t_string!(i18n, mediation.record_session).to_string() testid="mediation-session" done>
            <label class="field">
                <span>{t!(i18n, mediation.session_at)}</span>
                <input name="at" type="datetime-local" required value=minute_string(now_ms) data-testid="session-at" />
            </label>
            <label class="field">
                <span>{t!(i18n, mediation.place)}</span>
                <input name="place" required maxlength="120" data-testid="session-place" />
            </label>
            <label class="field">
                <span>{t!(i18n, mediation.session_outcome)}</span>
                <select name="outcome" required data-testid="session-outcome">
                    {SessionOutcome::ALL.iter().map(|o| view! { <option value=o.code()>{session_outcome_text(l, *o)}</option> }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t!(i18n, mediation.minutes)}</span>
                <textarea name="minutes" rows="3" required maxlength="4000" data-testid="session-minutes"></textarea>
            </label>
        </StepForm>
    }
}

#[component]
fn AgreeForm(case_id: i64, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <StepForm case_id step="agree" submit=t_string!(i18n, mediation.record_agreement).to_string() testid="mediation-agree" done>
            <label class="field">
                <span>{t!(i18n, mediation.agreement)}</span>
                <textarea name="agreement" rows="3" required maxlength="4000" data-testid="agreement-text"></textarea>
            </label>
            <label class="field">
                <span>{t!(i18n, mediation.signed_photo)}</span>
                <input
                    type="file"
                    name="photo"
                    accept="image/jpeg,image/png,image/webp,application/pdf"
                    capture="environment"
                    required
                    data-testid="agreement-photo"
                />
            </label>
        </StepForm>
    }
}

#[component]
fn ReferForm(case_id: i64, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    view! {
        <StepForm case_id step="refer" submit=t_string!(i18n, mediation.refer).to_string() testid="mediation-refer" done>
            <label class="field">
                <span>{t!(i18n, mediation.referred_to)}</span>
                <select name="to" required>
                    {Referral::ALL.iter().map(|r| view! { <option value=r.code()>{referral_text(l, *r)}</option> }).collect_view()}
                </select>
            </label>
        </StepForm>
    }
}
