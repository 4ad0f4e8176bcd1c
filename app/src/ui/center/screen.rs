//! `/center/screen`, the wall (一屏掌控): the district map in the middle, the headline
//! counters, the 5-minute promise and the live palm commands around it, and the trends
//! below. Dark, no scroll, never reloaded: it refetches within a second of any change on
//! the `/events` stream (bursts coalesced into one read), once a minute for the clock's
//! sake, and after a reconnect to catch up.
use super::api::{fetch_district_map, fetch_screen};
use super::charts::{BarList, DayColumns};
use super::map::DistrictMapView;
use crate::domain::case::{CaseKind, Channel};
use crate::domain::geo::DistrictMap;
use crate::domain::screen::{Figure, LiveCommand, PROMISE_MS, Promise, Rate, Screen};
use crate::i18n::*;
use crate::ui::cases::texts::{channel_text, kind_text};
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use crate::ui::live::clock::{mmss, use_server_now};
use crate::ui::live::feed::{Live, LiveDot, use_live};
use leptos::prelude::*;

#[component]
pub fn ScreenPage() -> impl IntoView {
    let i18n = use_i18n();
    let live = use_live();
    let version = use_refresh(live);
    let screen = Resource::new(move || version.get(), |_| fetch_screen());
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
                    screen
                        .get()
                        .map(|r| match r {
                            Ok(s) => view! { <WallBody screen=s map=m /> }.into_any(),
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                        })
                }}
            </Transition>
        </div>
    }
}

/// A counter that bumps when the screen should read again: half a second after the first
/// notice of a burst, on every reconnect, and every minute.
fn use_refresh(live: Live) -> ReadSignal<u32> {
    let (version, set_version) = signal(0u32);
    #[cfg(feature = "hydrate")]
    {
        use std::time::Duration;
        let pending = RwSignal::new(false);
        let bump = move || set_version.update(|v| *v = v.wrapping_add(1));
        Effect::new(move |_| {
            if live.notice.with(|n| n.is_some()) && !pending.get_untracked() {
                pending.set(true);
                set_timeout(
                    move || {
                        pending.set(false);
                        bump();
                    },
                    Duration::from_millis(500),
                );
            }
        });
        // Catch up after a reconnect (a restart, a network loss): what was missed may be
        // more than the replayed notices say.
        Effect::new(move |was: Option<bool>| {
            let now = live.connected.get();
            if now && was == Some(false) {
                bump();
            }
            now
        });
        if let Ok(tick) = set_interval_with_handle(bump, Duration::from_secs(60)) {
            on_cleanup(move || tick.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (live, set_version);
    version
}

#[component]
fn WallBody(screen: Screen, map: Option<DistrictMap>) -> impl IntoView {
    let i18n = use_i18n();
    let now = use_server_now(screen.now_ms);
    let c = screen.counters.clone();
    let l = i18n.get_locale_untracked();
    let kinds: Vec<_> = screen
        .by_kind
        .iter()
        .filter_map(|b| Some((kind_text(l, b.key.parse::<CaseKind>().ok()?).to_string(), b.clone())))
        .collect();
    let channels: Vec<_> = screen
        .by_channel
        .iter()
        .filter_map(|b| Some((channel_text(l, b.key.parse::<Channel>().ok()?).to_string(), b.clone())))
        .collect();
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
                    <RateTile label=t_string!(i18n, screen.on_time).to_string() rate=c.on_time href=Some(c.closed_month.href()) id="rate-on-time" />
                    <RateTile label=t_string!(i18n, screen.satisfied).to_string() rate=c.satisfied href=None id="rate-satisfied" />
                </section>
                <PromisePanel today=screen.promise_today month=screen.promise_month />
                <BarList title=t_string!(i18n, screen.by_kind).to_string() bars=kinds testid="screen-kinds" />
                <BarList title=t_string!(i18n, screen.by_channel).to_string() bars=channels testid="screen-channels" />
            </div>
            <div class="wall-col wall-middle">
                <section class="wall-panel wall-map" data-testid="screen-map">
                    <h2>{t!(i18n, screen.map)}</h2>
                    {map.map(|m| view! { <DistrictMapView map=m townships=screen.townships.clone() dots=screen.dots.clone() /> })}
                    <p class="legend" aria-hidden="true">
                        <span class="key open"></span>
                        {t!(i18n, screen.map_legend_open)}
                        <span class="key overdue"></span>
                        {t!(i18n, screen.map_legend_overdue)}
                        <span class="key command"></span>
                        {t!(i18n, screen.map_legend_command)}
                    </p>
                </section>
                <div class="wall-row">
                    <DayColumns title=t_string!(i18n, screen.per_day).to_string() days=screen.per_day.clone() />
                    <BarList title=t_string!(i18n, screen.by_township).to_string() bars=named(&screen.by_township) testid="screen-townships" />
                </div>
            </div>
            <div class="wall-col">
                <section class="wall-panel feed" data-testid="screen-feed" aria-live="polite">
                    <h2>{t!(i18n, screen.feed)}</h2>
                    {screen.commands.is_empty().then(|| view! { <p class="wall-empty">{t!(i18n, screen.no_commands)}</p> })}
                    <ul>{screen.commands.into_iter().map(|cmd| view! { <CommandItem cmd now /> }).collect_view()}</ul>
                </section>
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

#[component]
fn Counter(label: String, figure: Figure, id: &'static str, #[prop(optional)] tone: &'static str) -> impl IntoView {
    let name = format!("{label} {}", figure.value);
    view! {
        <a class=format!("tile {tone}") href=figure.href() data-testid=id data-value=figure.value aria-label=name>
            <span class="tile-num">{figure.value}</span>
            <span class="tile-label">{label}</span>
        </a>
    }
}

#[component]
fn RateTile(label: String, rate: Rate, href: Option<String>, id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let body = view! {
        <span class="tile-num">{rate.percent_text()}</span>
        <span class="tile-label">{label.clone()}</span>
        <span class="tile-sub">{t!(i18n, screen.of_prefix)} " " {rate.whole}</span>
    };
    match href {
        Some(h) => view! { <a class="tile rate" href=h data-testid=id data-part=rate.part data-whole=rate.whole>{body}</a> }.into_any(),
        None => view! { <div class="tile rate" data-testid=id data-part=rate.part data-whole=rate.whole>{body}</div> }.into_any(),
    }
}

#[component]
fn PromisePanel(today: Promise, month: Promise) -> impl IntoView {
    let i18n = use_i18n();
    let median = |ms: Option<i64>| ms.map_or_else(|| "—".to_string(), mmss);
    let column = move |title: String, p: Promise, id: &'static str| {
        view! {
            <div class="promise-col" data-testid=id data-kept=p.kept.part data-decided=p.kept.whole data-launched=p.launched>
                <h3>{title}</h3>
                <p class="promise-rate">{p.kept.percent_text()}</p>
                <p class="promise-sub">{t!(i18n, screen.promise_kept)} " " {p.kept.part} " / " {p.kept.whole}</p>
                <dl>
                    <dt>{t!(i18n, screen.promise_launched)}</dt>
                    <dd>{p.launched}</dd>
                    <dt>{t!(i18n, screen.median_launch)}</dt>
                    <dd class="mono">{median(p.median_launch_ms)}</dd>
                    <dt>{t!(i18n, screen.median_receipt)}</dt>
                    <dd class="mono">{median(p.median_receipt_ms)}</dd>
                </dl>
            </div>
        }
    };
    view! {
        <section class="wall-panel promise" data-testid="screen-promise">
            <h2>{t!(i18n, screen.promise)}</h2>
            <div class="promise-cols">
                {column(t_string!(i18n, screen.promise_today).to_string(), today, "promise-today")}
                {column(t_string!(i18n, screen.promise_month).to_string(), month, "promise-month")}
            </div>
        </section>
    }
}

#[component]
fn CommandItem(cmd: LiveCommand, now: ReadSignal<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let signed_in = cmd.timing.launch_to_signed_ms();
    let kept_class = |d: i64| if d > PROMISE_MS { "late" } else { "kept" };
    view! {
        <li class="feed-item" data-testid="feed-command" data-case=cmd.case_id>
            <a class="feed-title" href=format!("/center/cases/{}", cmd.case_id)>
                <span class="mono">{cmd.code.clone()}</span>
                " "
                {cmd.title.clone()}
            </a>
            <p class="feed-meta">
                {cmd.place.clone().unwrap_or_default()}
                " · "
                {match signed_in {
                    Some(d) => view! { <span class=kept_class(d)>{t!(i18n, screen.all_signed_in)} " " {mmss(d)}</span> }.into_any(),
                    None => view! { <span class="waiting">{t!(i18n, screen.waiting)}</span> }.into_any(),
                }}
            </p>
            <ul class="chips">
                {cmd
                    .units
                    .into_iter()
                    .map(|u| {
                        let due = u.sign_due_ms;
                        let state = move || match u.signed_ms {
                            Some(_) => ("chip signed", format!("✓ {}", t_string!(i18n, screen.signed))),
                            None => {
                                let left = due - now.get();
                                if left >= 0 {
                                    ("chip waiting", format!("{} {}", t_string!(i18n, screen.sign_left), mmss(left)))
                                } else {
                                    ("chip late", format!("{} {}", t_string!(i18n, screen.sign_late), mmss(left)))
                                }
                            }
                        };
                        view! {
                            <li class=move || state().0 data-signed=u.signed_ms.is_some().to_string()>
                                <span class="chip-name">{u.name.clone()} {u.lead.then(|| format!("（{}）", t_string!(i18n, screen.lead)))}</span>
                                <span class="chip-state">{move || state().1}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </li>
    }
}
