//! `/center/campaigns`: the calls, each with its review queue; admins create and edit
//! them (window as local dates in the center's time zone, the 13 areas of the published
//! call as default categories).
use super::api::{CampaignSummary, SaveCampaign, campaign_list};
use super::texts::phase_text;
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::PageTitle;
use crate::ui::errors::ErrorAlert;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveCampaign>::new();
    let data = Resource::new(move || save.version().get(), |_| campaign_list());
    let editing = RwSignal::new(None::<CampaignSummary>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            editing.set(None);
        }
    });
    view! {
        <PageTitle key=|l| td_string!(l, campaigns.title).to_string() />
        <CenterLayout>
            <div class="page-head">
                <h1>{t!(i18n, campaigns.title)}</h1>
            </div>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    data.get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(d) => {
                                let defaults = d.default_categories.join("\n");
                                let can_edit = d.can_edit;
                                view! {
                                    <div tabindex="0" class="table-wrap card">
                                        <table class="table" data-testid="campaign-table">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{t!(i18n, campaigns.year)}</th>
                                                    <th scope="col">{t!(i18n, campaigns.name)}</th>
                                                    <th scope="col">{t!(i18n, campaigns.window)}</th>
                                                    <th scope="col">{t!(i18n, common.status)}</th>
                                                    <th scope="col">{t!(i18n, campaigns.total)}</th>
                                                    <th scope="col">{t!(i18n, campaigns.waiting)}</th>
                                                    <th scope="col">{t!(i18n, common.actions)}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {d
                                                    .campaigns
                                                    .into_iter()
                                                    .map(|s| {
                                                        let phase = s.view.phase;
                                                        let id = s.view.campaign.id;
                                                        let edit = s.clone();
                                                        view! {
                                                            <tr>
                                                                <td>{s.view.campaign.year}</td>
                                                                <td>
                                                                    <a href=format!("/center/campaigns/{id}")>{s.view.campaign.title.clone()}</a>
                                                                </td>
                                                                <td class="nowrap">{format!("{} — {}", s.view.opens_day, s.view.closes_day)}</td>
                                                                <td>{move || phase_text(i18n.get_locale(), phase)}</td>
                                                                <td>{s.total}</td>
                                                                <td>{s.waiting}</td>
                                                                <td class="nowrap">
                                                                    <a class="btn btn-secondary" href=format!("/center/campaigns/{id}")>
                                                                        {t!(i18n, campaigns.review)}
                                                                    </a>
                                                                    {can_edit
                                                                        .then(|| {
                                                                            view! {
                                                                                <button
                                                                                    type="button"
                                                                                    class="btn btn-ghost"
                                                                                    on:click=move |_| editing.set(Some(edit.clone()))
                                                                                >
                                                                                    {t!(i18n, common.edit)}
                                                                                </button>
                                                                            }
                                                                        })}
                                                                </td>
                                                            </tr>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    {can_edit.then(|| view! { <CampaignForm save editing defaults=defaults.clone() /> })}
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </CenterLayout>
    }
}

#[component]
fn CampaignForm(save: ServerAction<SaveCampaign>, editing: RwSignal<Option<CampaignSummary>>, defaults: String) -> impl IntoView {
    let i18n = use_i18n();
    let field = move |f: fn(&CampaignSummary) -> String, default: String| move || editing.with(|e| e.as_ref().map(f).unwrap_or_else(|| default.clone()));
    view! {
        <section class="card">
            <h2>
                {move || {
                    if editing.with(Option::is_some) { t_string!(i18n, campaigns.edit).to_string() } else { t_string!(i18n, campaigns.create).to_string() }
                }}
            </h2>
            <ActionForm action=save attr:class="form grid-form" attr:data-testid="campaign-form">
                <input type="hidden" name="id" prop:value=field(|s| s.view.campaign.id.to_string(), "0".into()) />
                <label class="field">
                    <span>{t!(i18n, campaigns.year)}</span>
                    <input type="number" name="year" min="2000" max="2100" required prop:value=field(|s| s.view.campaign.year.to_string(), String::new()) />
                </label>
                <label class="field grow">
                    <span>{t!(i18n, campaigns.name)}</span>
                    <input type="text" name="title" required maxlength="100" prop:value=field(|s| s.view.campaign.title.clone(), String::new()) />
                </label>
                <label class="field">
                    <span>{t!(i18n, campaigns.opens)}</span>
                    <input type="date" name="opens" required prop:value=field(|s| s.view.opens_day.clone(), String::new()) />
                </label>
                <label class="field">
                    <span>{t!(i18n, campaigns.closes)}</span>
                    <input type="date" name="closes" required prop:value=field(|s| s.view.closes_day.clone(), String::new()) />
                </label>
                <p class="muted small">{t!(i18n, campaigns.window_hint)}</p>
                <label class="field wide">
                    <span>{t!(i18n, campaigns.rules)}</span>
                    <textarea name="rules" rows="4" prop:value=field(|s| s.view.campaign.rules.clone(), String::new())></textarea>
                </label>
                <label class="field wide">
                    <span>{t!(i18n, campaigns.categories)}</span>
                    <textarea name="categories" rows="6" prop:value=field(|s| s.view.campaign.categories.join("\n"), defaults)></textarea>
                </label>
                <p class="muted small">{t!(i18n, campaigns.categories_hint)}</p>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary">
                        {t!(i18n, common.save)}
                    </button>
                    <Show when=move || editing.with(Option::is_some)>
                        <button type="button" class="btn" on:click=move |_| editing.set(None)>
                            {t!(i18n, common.cancel)}
                        </button>
                    </Show>
                </div>
                {move || save.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
            </ActionForm>
        </section>
    }
}
