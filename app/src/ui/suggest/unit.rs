//! `/field/suggestions`: the suggestions a department is asked to evaluate, each with the
//! form for its answer (evaluating / accepted / rejected, reason, estimated cost, period).
use super::api::{UnitAnswer, UnitSuggestion, unit_suggestions};
use super::texts::{SuggestionBadge, verdict_text};
use crate::domain::campaign::Verdict;
use crate::i18n::*;
use crate::ui::components::PageTitle;
use crate::ui::errors::ErrorAlert;
use crate::ui::field::FieldLayout;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn UnitSuggestionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let answer = ServerAction::<UnitAnswer>::new();
    let data = Resource::new(move || answer.version().get(), |_| unit_suggestions());
    view! {
        <PageTitle key=|l| td_string!(l, unit_answers.title).to_string() />
        <FieldLayout>
            <h1>{t!(i18n, unit_answers.title)}</h1>
            <p class="muted small">{t!(i18n, unit_answers.lead)}</p>
            {move || answer.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    data.get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(rows) if rows.is_empty() => {
                                view! {
                                    <p class="card empty" data-testid="no-unit-suggestions">
                                        {t!(i18n, unit_answers.empty)}
                                    </p>
                                }
                                    .into_any()
                            }
                            Ok(rows) => rows.into_iter().map(|s| view! { <UnitCard s answer /> }).collect_view().into_any(),
                        })
                }}
            </Transition>
        </FieldLayout>
    }
}

#[component]
fn UnitCard(s: UnitSuggestion, answer: ServerAction<UnitAnswer>) -> impl IntoView {
    let i18n = use_i18n();
    let r = s.row;
    view! {
        <section class="card" data-testid="unit-suggestion">
            <h2>{r.name.clone()}</h2>
            <p class="small muted">
                <SuggestionBadge status=s.state.status />
                {format!("{} · {} · {}", r.code, r.category, s.campaign_title)}
            </p>
            <p>{r.content.clone()}</p>
            <details>
                <summary>{t!(i18n, suggestion_field.overview)}</summary>
                <p class="pre">{r.overview.clone()}</p>
            </details>
            <ActionForm action=answer attr:class="form">
                <input type="hidden" name="id" value=r.id />
                <label class="field">
                    <span>{t!(i18n, review.verdict)}</span>
                    <select name="verdict" required>
                        {Verdict::ALL
                            .iter()
                            .map(|v| {
                                let v = *v;
                                view! { <option value=v.code()>{move || verdict_text(i18n.get_locale(), v)}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, case_field.reason)}</span>
                    <textarea name="reason" rows="3" maxlength="1000" required></textarea>
                </label>
                <label class="field">
                    <span>{t!(i18n, review.cost_wan)}</span>
                    <input type="number" name="cost" min="0" step="0.01" inputmode="decimal" />
                </label>
                <label class="field">
                    <span>{t!(i18n, review.period)}</span>
                    <input type="text" name="period" maxlength="100" />
                </label>
                <button type="submit" class="btn btn-primary btn-block" disabled=move || answer.pending().get()>
                    {t!(i18n, review.answer)}
                </button>
            </ActionForm>
        </section>
    }
}
