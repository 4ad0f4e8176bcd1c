//! `/center`, the desk's home for operators and leaders: today's work first (what waits
//! for the center), then the same live counters as the wall, the commands still waiting
//! for a signature, and the organisation in numbers. Every figure opens its list.
use super::CenterLayout;
use super::api::fetch_desk;
use super::figures::{CommandItem, Counter, Rates};
use crate::domain::org::OrgCounts;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::components::PageTitle;
use crate::ui::errors::ErrorAlert;
use crate::ui::live::clock::use_server_now;
use crate::ui::live::feed::{LiveDot, use_live};
use crate::ui::live::refresh::use_refresh;
use leptos::prelude::*;

#[server(endpoint = "center/summary")]
pub async fn org_summary() -> Result<OrgCounts, AppError> {
    crate::server_ctx::require(crate::domain::access::CENTER_ROLES).await?;
    crate::service::org::counts(&crate::server_ctx::db()?).await
}

#[component]
pub fn CenterHome() -> impl IntoView {
    let i18n = use_i18n();
    let live = use_live();
    let version = use_refresh(live);
    let desk = Resource::new(move || version.get(), |_| fetch_desk());
    let summary = Resource::new(|| (), |_| org_summary());
    let tile = move |label: String, value: i64, id: &'static str| {
        view! {
            <div class="stat" data-testid=id>
                <span class="stat-value">{value}</span>
                <span class="stat-label">{label}</span>
            </div>
        }
    };
    view! {
        <PageTitle key=|l| td_string!(l, center.title).to_string() />
        <CenterLayout>
            <div class="page-head">
                <h1>{t!(i18n, center.title)}</h1>
                <div class="page-head-actions">
                    <LiveDot live />
                    <a class="btn btn-primary" href="/center/screen" data-testid="open-wall">
                        {t!(i18n, screen.open_wall)}
                    </a>
                </div>
            </div>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    desk.get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(d) => {
                                let now = use_server_now(d.now_ms);
                                let c = d.counters;
                                let rates = c.clone();
                                view! {
                                    <section class="card" aria-labelledby="work-heading">
                                        <h2 id="work-heading">{t!(i18n, center.today_work)}</h2>
                                        <div class="desk-tiles" data-testid="desk-work">
                                            <Counter label=t_string!(i18n, center.to_triage).to_string() figure=d.to_triage id="work-triage" />
                                            <Counter label=t_string!(i18n, center.to_dispatch).to_string() figure=d.to_dispatch id="work-dispatch" />
                                            <Counter label=t_string!(i18n, screen.overdue).to_string() figure=c.overdue.clone() id="work-overdue" tone="red" />
                                            <Counter label=t_string!(i18n, center.to_verify).to_string() figure=d.to_verify id="work-verify" />
                                            <Counter label=t_string!(i18n, center.follow_ups).to_string() figure=d.follow_ups id="work-follow-up" />
                                        </div>
                                        <h3>{t!(i18n, center.unsigned_commands)}</h3>
                                        {d.unsigned_commands.is_empty().then(|| view! { <p class="muted">{t!(i18n, center.none_unsigned)}</p> })}
                                        <ul class="desk-feed" data-testid="desk-unsigned">
                                            {d.unsigned_commands.into_iter().map(|cmd| view! { <CommandItem cmd now /> }).collect_view()}
                                        </ul>
                                    </section>
                                    <section class="card" aria-labelledby="counters-heading">
                                        <h2 id="counters-heading">{t!(i18n, center.counters)}</h2>
                                        <div class="desk-tiles" data-testid="desk-counters">
                                            <Counter label=t_string!(i18n, screen.received_today).to_string() figure=c.received_today id="count-today" />
                                            <Counter label=t_string!(i18n, screen.received_month).to_string() figure=c.received_month id="count-month" />
                                            <Counter label=t_string!(i18n, screen.open).to_string() figure=c.open id="count-open" />
                                            <Counter label=t_string!(i18n, screen.in_command).to_string() figure=c.in_command id="count-command" tone="amber" />
                                            <Counter
                                                label=t_string!(i18n, screen.closed_month).to_string()
                                                figure=c.closed_month.clone()
                                                id="count-closed"
                                                tone="green"
                                            />
                                            <Rates counters=rates />
                                        </div>
                                    </section>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
            <Transition fallback=|| ()>
                {move || {
                    summary
                        .get()
                        .map(|r| match r {
                            Ok(s) => {
                                view! {
                                    <section class="card" aria-labelledby="org-heading">
                                        <h2 id="org-heading">{t!(i18n, center.organisation)}</h2>
                                        <div class="stats">
                                            {tile(t_string!(i18n, center.resident_departments).to_string(), s.resident_departments, "stat-resident")}
                                            {tile(t_string!(i18n, center.rotating_departments).to_string(), s.rotating_departments, "stat-rotating")}
                                            {tile(t_string!(i18n, center.townships).to_string(), s.townships, "stat-townships")}
                                            {tile(t_string!(i18n, center.villages).to_string(), s.villages, "stat-villages")}
                                            {tile(t_string!(i18n, center.grids).to_string(), s.grids, "stat-grids")}
                                            {tile(t_string!(i18n, center.active_staff).to_string(), s.active_staff, "stat-staff")}
                                        </div>
                                    </section>
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                        })
                }}
            </Transition>
        </CenterLayout>
    }
}
