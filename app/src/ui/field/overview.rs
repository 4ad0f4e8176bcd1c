//! `/field/overview`, a leader's phone: the center's headline figures, the 5-minute
//! promise and every live palm command with its units' signatures, live like the wall.
use super::FieldLayout;
use crate::i18n::*;
use crate::ui::center::api::fetch_headline;
use crate::ui::center::figures::{CommandItem, Counter, PromisePanel, Rates};
use crate::ui::components::PageTitle;
use crate::ui::errors::ErrorAlert;
use crate::ui::live::clock::use_server_now;
use crate::ui::live::feed::{LiveDot, use_live};
use crate::ui::live::refresh::use_refresh;
use leptos::prelude::*;

#[component]
pub fn FieldOverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let live = use_live();
    let version = use_refresh(live);
    let headline = Resource::new(move || version.get(), |_| fetch_headline());
    view! {
        <PageTitle key=|l| td_string!(l, field.overview).to_string() />
        <FieldLayout>
            <div class="inbox-head">
                <h1>{t!(i18n, field.overview)}</h1>
                <LiveDot live />
            </div>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    headline
                        .get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(h) => {
                                let now = use_server_now(h.now_ms);
                                let c = h.counters;
                                let rates = c.clone();
                                view! {
                                    <section class="card">
                                        <div class="desk-tiles phone-tiles" data-testid="phone-counters">
                                            <Counter label=t_string!(i18n, screen.received_today).to_string() figure=c.received_today id="count-today" />
                                            <Counter label=t_string!(i18n, screen.open).to_string() figure=c.open id="count-open" />
                                            <Counter label=t_string!(i18n, screen.overdue).to_string() figure=c.overdue id="count-overdue" tone="red" />
                                            <Counter label=t_string!(i18n, screen.in_command).to_string() figure=c.in_command id="count-command" tone="amber" />
                                            <Rates counters=rates />
                                        </div>
                                    </section>
                                    <div class="card phone-promise">
                                        <PromisePanel today=h.promise_today month=h.promise_month />
                                    </div>
                                    <section class="card" aria-labelledby="phone-feed">
                                        <h2 id="phone-feed">{t!(i18n, screen.feed)}</h2>
                                        {h.commands.is_empty().then(|| view! { <p class="muted">{t!(i18n, screen.no_commands)}</p> })}
                                        <ul class="desk-feed" data-testid="phone-commands">
                                            {h.commands.into_iter().map(|cmd| view! { <CommandItem cmd now /> }).collect_view()}
                                        </ul>
                                    </section>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </FieldLayout>
    }
}
