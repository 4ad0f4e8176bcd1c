//! The figures the wall, the desk's home and a leader's phone share: counters that open
//! their lists, rates that say of how many, the 5-minute promise and a live command with
//! its units' signatures.
use crate::domain::screen::{Figure, LiveCommand, PROMISE_MS, Promise, Rate};
use crate::i18n::*;
use crate::ui::live::clock::mmss;
use leptos::prelude::*;

#[component]
pub fn Counter(label: String, figure: Figure, id: &'static str, #[prop(optional)] tone: &'static str) -> impl IntoView {
    // Named by what it shows ("12 今日受理"), so a voice command saying the visible text finds it.
    view! {
        <a class=format!("tile {tone}") href=figure.href() data-testid=id data-value=figure.value>
            <span class="tile-num">{figure.value}</span>
            <span class="tile-label">{label}</span>
        </a>
    }
}

#[component]
pub fn RateTile(label: String, rate: Rate, href: Option<String>, id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let body = view! {
        <span class="tile-num">{rate.percent_text()}</span>
        <span class="tile-label">{label.clone()}</span>
        <span class="tile-sub">{t!(i18n, screen.of_prefix)} " " {rate.whole}</span>
    };
    match href {
        Some(h) => view! {
            <a class="tile tile-rate" href=h data-testid=id data-part=rate.part data-whole=rate.whole>
                {body}
            </a>
        }
        .into_any(),
        None => view! {
            <div class="tile tile-rate" data-testid=id data-part=rate.part data-whole=rate.whole>
                {body}
            </div>
        }
        .into_any(),
    }
}

#[component]
pub fn PromisePanel(today: Promise, month: Promise) -> impl IntoView {
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
pub fn CommandItem(cmd: LiveCommand, now: ReadSignal<i64>) -> impl IntoView {
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
                {cmd.place.clone().unwrap_or_default()} " · "
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

/// The two rates every figure board ends with: closed on time (opening the month's closed
/// cases) and residents satisfied.
#[component]
pub fn Rates(counters: crate::domain::screen::Counters) -> impl IntoView {
    let i18n = use_i18n();
    let c = counters;
    view! {
        <RateTile label=t_string!(i18n, screen.on_time).to_string() rate=c.on_time href=Some(c.closed_month.href()) id="rate-on-time" />
        <RateTile label=t_string!(i18n, screen.satisfied).to_string() rate=c.satisfied href=None id="rate-satisfied" />
    }
}
