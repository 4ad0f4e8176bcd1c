//! The screen's charts, drawn from its own data: horizontal bars in HTML (crisp text at
//! any wall size) and the 30-day columns in SVG. Every bar is a link to the list of its
//! cases, named for screen readers with its label and count.
use crate::domain::screen::Bar;
use leptos::prelude::*;

/// A panel of horizontal bars, each `label ███ n`, scaled to the largest.
#[component]
pub fn BarList(
    title: String,
    bars: Vec<(String, Bar)>,
    testid: &'static str,
    #[prop(optional)] empty: Option<String>,
    #[prop(optional)] tone: &'static str,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.1.figure.value).max().unwrap_or(0).max(1);
    let is_empty = bars.iter().all(|b| b.1.figure.value == 0);
    view! {
        <section class="wall-panel" data-testid=testid>
            <h2>{title}</h2>
            {(is_empty && empty.is_some()).then(|| view! { <p class="wall-empty">{empty.clone()}</p> })}
            <ul class="hbars">
                {bars
                    .into_iter()
                    .filter(|_| !is_empty || empty.is_none())
                    .map(|(label, bar)| {
                        let pct = bar.figure.value * 100 / max;
                        let name = format!("{label} {}", bar.figure.value);
                        view! {
                            <li>
                                <a class="hbar" href=bar.figure.href() aria-label=name data-value=bar.figure.value>
                                    <span class="hbar-label">{label}</span>
                                    <span class="hbar-track">
                                        <span class=format!("hbar-fill {tone}") style=format!("width:{pct}%")></span>
                                    </span>
                                    <span class="hbar-num">{bar.figure.value}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// Cases per day as columns, today on the right; each column opens that day's list.
#[component]
pub fn DayColumns(title: String, days: Vec<Bar>) -> impl IntoView {
    const W: f64 = 400.0;
    const H: f64 = 240.0;
    const BASE: f64 = 218.0;
    let max = days.iter().map(|d| d.figure.value).max().unwrap_or(0).max(1);
    let n = days.len().max(1) as f64;
    let step = W / n;
    let last = days.len().saturating_sub(1);
    view! {
        <section class="wall-panel" data-testid="screen-per-day">
            <h2>{title.clone()}</h2>
            <svg class="columns" viewBox=format!("0 0 {W} {H}") role="group" aria-label=title.clone()>
                <line x1="0" y1=BASE x2=W y2=BASE class="axis" />
                {days
                    .into_iter()
                    .enumerate()
                    .map(|(i, d)| {
                        let h = (d.figure.value as f64 / max as f64) * (BASE - 14.0);
                        let x = i as f64 * step;
                        let label = format!("{} {}", d.label, d.figure.value);
                        let show_date = i % 5 == last % 5;
                        // Every fifth day and today carry their date under the axis.
                        // Inside a <g>, so the view macro makes an SVG link (a bare <a> would be HTML).
                        view! {
                            <g>
                                <a href=d.figure.href() aria-label=label.clone()>
                                    <title>{label.clone()}</title>
                                    <rect x=x + step * 0.15 y=BASE - h width=step * 0.7 height=h.max(0.5) class:today=i == last />
                                    <rect x=x y="0" width=step height=H class="hit" />
                                    {show_date
                                        .then(|| {
                                            let (tx, anchor) = if i == last { (W, "end") } else { (x + step / 2.0, "middle") };
                                            // Today's date ends at the right edge rather than past it.
                                            view! {
                                                <text x=tx y=H - 3.0 text-anchor=anchor>
                                                    {d.label.clone()}
                                                </text>
                                            }
                                        })}
                                </a>
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
        </section>
    }
}
