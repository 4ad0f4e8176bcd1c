//! The livelihood call on the portal's home: open, its window and the way in; about to
//! open, when; closed, what it adopted. A resident who does not know `/suggest` finds it here.
use crate::domain::campaign::{CampaignPhase, PortalCall};
use crate::i18n::*;
use crate::ui::errors::ErrorAlert;
use crate::ui::suggest::CampaignWindow;
use crate::ui::suggest::api::portal_call;
use leptos::prelude::*;

#[component]
pub fn PortalCallCard() -> impl IntoView {
    let call = Resource::new(|| (), |_| portal_call());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match call.await {
                    Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                    Ok(None) => ().into_any(),
                    Ok(Some(c)) => view! { <CallCard c /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CallCard(c: PortalCall) -> impl IntoView {
    let i18n = use_i18n();
    let id = c.call.campaign.id;
    let phase = c.call.phase;
    let (received, adopted, adopted_total) = (c.received, c.adopted.clone(), c.adopted_total);
    let body = match phase {
        CampaignPhase::Open => view! {
            <p data-testid="call-received">{t!(i18n, portal.call_received, n = move || received)}</p>
            <div class="portal-actions">
                <a class="btn btn-primary btn-large" href=format!("/suggest?c={id}") data-testid="go-suggest">
                    {t!(i18n, portal.call_go)}
                </a>
                <a class="btn btn-secondary" href=format!("/suggest/list?c={id}")>
                    {t!(i18n, suggest.see_list)}
                </a>
            </div>
        }
        .into_any(),
        CampaignPhase::Upcoming => view! {
            <p>{t!(i18n, portal.call_upcoming)}</p>
            <div class="portal-actions">
                <a class="btn btn-secondary" href=format!("/suggest?c={id}")>
                    {t!(i18n, portal.call_rules)}
                </a>
            </div>
        }
        .into_any(),
        CampaignPhase::Closed => view! {
            <h3 class="call-sub">{t!(i18n, suggest.adopted_heading)}</h3>
            {if adopted.is_empty() {
                view! { <p class="muted">{t!(i18n, suggest.adopted_none)}</p> }.into_any()
            } else {
                view! {
                    <ol class="call-adopted" data-testid="call-adopted">
                        {adopted
                            .into_iter()
                            .map(|p| {
                                view! {
                                    <li>
                                        <span class="call-adopted-name">{p.row.name.clone()}</span>
                                        <span class="muted small">{t!(i18n, portal.call_progress, n = move || p.progress)}</span>
                                        <progress max="100" value=p.progress aria-label=p.row.name.clone()></progress>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
            <div class="portal-actions">
                <a class="btn btn-secondary" href=format!("/suggest?c={id}") data-testid="call-results">
                    {t!(i18n, portal.call_all_results, n = move || adopted_total)}
                </a>
            </div>
        }
        .into_any(),
    };
    view! {
        <section class="card portal-call" aria-labelledby="call-heading" data-testid="portal-call" data-phase=format!("{phase:?}").to_lowercase()>
            <p class="call-kicker">{t!(i18n, portal.call_kicker)}</p>
            <h2 id="call-heading">{c.call.campaign.title.clone()}</h2>
            <CampaignWindow c=c.call.clone() />
            {body}
        </section>
    }
}

/// The report and track pages point at each other: a resident on the wrong one is one tap
/// from the right one.
#[component]
pub fn CrossLink(href: &'static str, lead: fn(Locale) -> &'static str, go: fn(Locale) -> &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="card cross-link" data-testid="cross-link">
            <span>{move || lead(i18n.get_locale())}</span>
            <a href=href>{move || go(i18n.get_locale())}</a>
        </p>
    }
}
