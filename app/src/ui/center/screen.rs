//! `/center/screen`, the wall (一屏掌控): the district map in the middle, the headline
//! counters, the 5-minute promise and the live palm commands around it, and the trends
//! below. Dark, no scroll, never reloaded: the server renders the screen, and once the page
//! runs, its own stream (`wall_feed`) brings the whole screen and then each change.
use super::api::{fetch_district_map, fetch_screen};
use super::charts::{BarList, DayColumns};
use super::figures::{CommandItem, Counter, PromisePanel, Rates};
use super::map::DistrictMapView;
use super::wall_feed::use_wall_feed;
use crate::domain::case::{CaseKind, Channel};
use crate::domain::geo::DistrictMap;
use crate::domain::screen::Screen;
use crate::i18n::*;
use crate::ui::cases::texts::{channel_text, kind_text};
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use crate::ui::live::clock::use_server_now;
use crate::ui::live::feed::{Live, LiveDot};
use leptos::prelude::*;

#[component]
pub fn ScreenPage() -> impl IntoView {
    let i18n = use_i18n();
    let feed = use_wall_feed();
    let live = Live { notice: signal(None).0, connected: feed.connected };
    // What the server rendered, until the stream has sent the screen.
    let screen = Resource::new(|| (), |_| fetch_screen());
    let map = Resource::new(|| (), |_| fetch_district_map());
    view! {
        <PageTitle key=|l| td_string!(l, screen.title).to_string() />
        <div class="wall" data-testid="wall">
            <header class="wall-head">
                <h1>{t!(i18n, screen.heading)}</h1>
                <div class="wall-head-right">
                    <LiveDot live />
                    <a class="wall-back" href="/center">
                        {t!(i18n, screen.back_to_desk)}
                    </a>
                </div>
            </header>
            <Transition fallback=move || {
                view! { <p class="wall-loading">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    let m = map.get().and_then(|r| r.ok());
                    feed.screen
                        .get()
                        .map(Ok)
                        .or_else(|| screen.get())
                        .map(|r| match r {
                            Ok(s) => view! { <WallBody screen=s map=m /> }.into_any(),
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                        })
                }}
            </Transition>
        </div>
    }
}

#[component]
fn WallBody(screen: Screen, map: Option<DistrictMap>) -> impl IntoView {
    let i18n = use_i18n();
    let now = use_server_now(screen.now_ms);
    let c = screen.counters.clone();
    let l = i18n.get_locale_untracked();
    let kinds: Vec<_> = screen.by_kind.iter().filter_map(|b| Some((kind_text(l, b.key.parse::<CaseKind>().ok()?).to_string(), b.clone()))).collect();
    let channels: Vec<_> = screen.by_channel.iter().filter_map(|b| Some((channel_text(l, b.key.parse::<Channel>().ok()?).to_string(), b.clone()))).collect();
    let named = |bars: &[crate::domain::screen::Bar]| bars.iter().map(|b| (b.label.clone(), b.clone())).collect::<Vec<_>>();
    view! {
        <div class="wall-grid">
            <div class="wall-col">
                <section class="wall-panel counters" data-testid="screen-counters">
                    <Counter label=t_string!(i18n, screen.received_today).to_string() figure=c.received_today.clone() id="count-today" />
                    <Counter label=t_string!(i18n, screen.received_month).to_string() figure=c.received_month.clone() id="count-month" />
                    <Counter label=t_string!(i18n, screen.received_year).to_string() figure=c.received_year.clone() id="count-year" />
                    <Counter label=t_string!(i18n, screen.open).to_string() figure=c.open.clone() id="count-open" />
                    <Counter label=t_string!(i18n, screen.overdue).to_string() figure=c.overdue.clone() id="count-overdue" tone="red" />
                    <Counter label=t_string!(i18n, screen.in_command).to_string() figure=c.in_command.clone() id="count-command" tone="amber" />
                    <Counter label=t_string!(i18n, screen.closed_month).to_string() figure=c.closed_month.clone() id="count-closed" tone="green" />
                    <Rates counters=c.clone() />
                </section>
                <PromisePanel today=screen.promise_today month=screen.promise_month />
                <BarList title=t_string!(i18n, screen.by_kind).to_string() bars=kinds testid="screen-kinds" />
                <BarList title=t_string!(i18n, screen.by_channel).to_string() bars=channels testid="screen-channels" />
            </div>
            <div class="wall-middle">
                <section class="wall-panel wall-map" data-testid="screen-map">
                    <h2>{t!(i18n, screen.map)}</h2>
                    {map
                        .map(|m| {
                            view! { <DistrictMapView map=m townships=screen.townships.clone() dots=screen.dots.clone() hazards=screen.hazards.clone() /> }
                        })}
                    <p class="legend" aria-hidden="true">
                        <span class="key open"></span>
                        {t!(i18n, screen.map_legend_open)}
                        <span class="key overdue"></span>
                        {t!(i18n, screen.map_legend_overdue)}
                        <span class="key command"></span>
                        {t!(i18n, screen.map_legend_command)}
                        <span class="key hazard"></span>
                        {t!(i18n, screen.map_legend_hazard)}
                    </p>
                </section>
                <div class="wall-col">
                    <DayColumns title=t_string!(i18n, screen.per_day).to_string() days=screen.per_day.clone() />
                    <BarList title=t_string!(i18n, screen.by_township).to_string() bars=named(&screen.by_township) testid="screen-townships" />
                    <crate::ui::risk::panel::RiskPanel figures=screen.risk.clone() testid="screen-risk" />
                </div>
            </div>
            <div class="wall-col">
                <section class="wall-panel feed" data-testid="screen-feed" aria-live="polite">
                    <h2>{t!(i18n, screen.feed)}</h2>
                    {screen.commands.is_empty().then(|| view! { <p class="wall-empty">{t!(i18n, screen.no_commands)}</p> })}
                    <ul>{screen.commands.into_iter().map(|cmd| view! { <CommandItem cmd now /> }).collect_view()}</ul>
                </section>
                <crate::ui::duty::wall::OnDutyPanel lines=screen.on_duty.clone() />
                <BarList title=t_string!(i18n, screen.top_categories).to_string() bars=named(&screen.top_categories) testid="screen-categories" />
                <BarList
                    title=t_string!(i18n, screen.overdue_by_unit).to_string()
                    bars=named(&screen.overdue_by_unit)
                    testid="screen-overdue-units"
                    empty=t_string!(i18n, screen.none_overdue).to_string()
                    tone="red"
                />
                <p class="wall-updated">{t!(i18n, screen.updated)} " " {format_instant(screen.now_ms)}</p>
            </div>
        </div>
    }
}
