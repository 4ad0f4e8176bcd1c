//! `/center/admin/risk`: the administrator switches each rule on or off and sets its
//! thresholds and words; "replay" runs the typed settings over a period of the stored
//! history and says how many warnings each rule would have raised, before anything is saved.
use super::api::{SettingsOutcome, SubmitRiskSettings, fetch_risk_settings};
use super::texts::rule_text;
use crate::domain::clock::day_string;
use crate::domain::risk::Settings;
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn RiskSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let submit = ServerAction::<SubmitRiskSettings>::new();
    let saved = Memo::new(move |_| submit.value().get().and_then(|r| r.ok()).filter(|o| matches!(o, SettingsOutcome::Saved(_))).is_some());
    let settings = Resource::new(move || saved.get(), |_| fetch_risk_settings());
    view! {
        <PageTitle key=|l| td_string!(l, risk_admin.title).to_string() />
        <CenterLayout>
            <h1>{t!(i18n, risk_admin.title)}</h1>
            <p class="muted">{t!(i18n, risk_admin.intro)}</p>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    settings
                        .get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok((s, now)) => view! { <SettingsForm s now submit /> }.into_any(),
                        })
                }}
            </Transition>
        </CenterLayout>
    }
}

#[component]
fn SettingsForm(s: Settings, now: i64, submit: ServerAction<SubmitRiskSettings>) -> impl IntoView {
    let i18n = use_i18n();
    let (from, to) = (day_string(now - 365 * 24 * 3600 * 1000), day_string(now));
    let num = move |name: &'static str, label: String, value: u32, testid: &'static str| {
        view! {
            <label class="field field-inline">
                <span>{label}</span>
                <input type="number" inputmode="numeric" name=name value=value required data-testid=testid />
            </label>
        }
    };
    let switch = move |name: &'static str, on: bool, testid: &'static str| {
        view! {
            <label class="check">
                <input type="checkbox" name=name value="1" checked=on data-testid=testid />
                <span>{t!(i18n, risk_admin.on)}</span>
            </label>
        }
    };
    let outcome = move || {
        submit.value().get().map(|r| match r {
            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
            Ok(SettingsOutcome::Saved(_)) => view! {
                <p class="notice ok" role="status" data-testid="risk-saved">
                    {t!(i18n, risk_admin.saved)}
                </p>
            }
            .into_any(),
            Ok(SettingsOutcome::Replayed(r)) => {
                let l = i18n.get_locale_untracked();
                view! {
                    <section class="card" role="status" data-testid="risk-replay">
                        <h2>{t!(i18n, risk_admin.replay_result)}</h2>
                        <p class="muted">
                            {format_instant(r.from_ms)} " — " {format_instant(r.to_ms)} " · " {t!(i18n, risk_admin.cases_read)} " " {r.cases} " · "
                            {r.elapsed_ms} " ms"
                        </p>
                        <table class="table">
                            <tbody>
                                {r
                                    .counts
                                    .into_iter()
                                    .map(|(rule, n)| {
                                        view! {
                                            <tr data-rule=rule.code()>
                                                <th scope="row">{rule_text(l, rule)}</th>
                                                <td class="num" data-testid=format!("replay-{}", rule.code())>
                                                    {n}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </section>
                }
                .into_any()
            }
        })
    };
    view! {
        <ActionForm action=submit attr:class="risk-settings" attr:data-testid="risk-settings">
            <fieldset class="card">
                <legend>{t!(i18n, risk.rule_cluster)}</legend>
                {switch("form[cluster_on]", s.cluster.on, "cluster-on")}
                {num("form[cluster_cases]", t_string!(i18n, risk_admin.cluster_cases).to_string(), s.cluster.min_cases, "cluster-cases")}
                {num("form[cluster_radius]", t_string!(i18n, risk_admin.cluster_radius).to_string(), s.cluster.radius_m, "cluster-radius")}
                {num("form[cluster_hours]", t_string!(i18n, risk_admin.cluster_hours).to_string(), s.cluster.window_hours, "cluster-hours")}
            </fieldset>
            <fieldset class="card">
                <legend>{t!(i18n, risk.rule_repeat)}</legend>
                {switch("form[repeat_on]", s.repeat.on, "repeat-on")}
                {num("form[repeat_cases]", t_string!(i18n, risk_admin.repeat_cases).to_string(), s.repeat.min_cases, "repeat-cases")}
                {num("form[repeat_days]", t_string!(i18n, risk_admin.repeat_days).to_string(), s.repeat.window_days, "repeat-days")}
            </fieldset>
            <fieldset class="card">
                <legend>{t!(i18n, risk.rule_mass)}</legend>
                {switch("form[mass_on]", s.mass.on, "mass-on")}
                <label class="field">
                    <span>{t!(i18n, risk_admin.mass_words)}</span>
                    <textarea name="form[mass_words]" rows="2" data-testid="mass-words">
                        {s.mass.words.join("，")}
                    </textarea>
                </label>
                <label class="field">
                    <span>{t!(i18n, risk_admin.mass_count_words)}</span>
                    <textarea name="form[mass_count_words]" rows="2">
                        {s.mass.count_words.join("，")}
                    </textarea>
                </label>
                {num("form[mass_people]", t_string!(i18n, risk_admin.mass_people).to_string(), s.mass.min_people, "mass-people")}
            </fieldset>
            <fieldset class="card">
                <legend>{t!(i18n, risk_admin.case_rules)}</legend>
                <label class="check">
                    <input type="checkbox" name="form[emergency_on]" value="1" checked=s.emergency_overdue />
                    <span>{t!(i18n, risk.rule_emergency_overdue)}</span>
                </label>
                <label class="check">
                    <input type="checkbox" name="form[unsigned_on]" value="1" checked=s.unsigned />
                    <span>{t!(i18n, risk.rule_unsigned)}</span>
                </label>
            </fieldset>
            <fieldset class="card">
                <legend>{t!(i18n, risk_admin.replay)}</legend>
                <p class="muted small">{t!(i18n, risk_admin.replay_hint)}</p>
                <label class="field field-inline">
                    <span>{t!(i18n, risk_admin.from)}</span>
                    <input type="date" name="from" value=from data-testid="replay-from" />
                </label>
                <label class="field field-inline">
                    <span>{t!(i18n, risk_admin.to)}</span>
                    <input type="date" name="to" value=to data-testid="replay-to" />
                </label>
                <button type="submit" name="intent" value="replay" class="btn btn-secondary" data-testid="replay-submit">
                    {t!(i18n, risk_admin.replay)}
                </button>
            </fieldset>
            <div class="form-actions">
                <button type="submit" name="intent" value="save" class="btn btn-primary" data-testid="risk-save">
                    {t!(i18n, risk_admin.save)}
                </button>
            </div>
            {outcome}
        </ActionForm>
    }
}
