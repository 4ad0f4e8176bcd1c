//! The district map of the screen, drawn offline: the vendored outline, each township as
//! a bubble sized by its open cases (red when some are overdue), open cases with a
//! location as dots, live commands pulsing, and the open safety hazards as diamonds (red when
//! overdue). A bubble opens its township's open cases, a diamond its hazard.
use crate::domain::geo::DistrictMap;
use crate::domain::hazard::HazardPoint;
use crate::domain::screen::{CaseDot, TownshipLoad};
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn DistrictMapView(map: DistrictMap, townships: Vec<TownshipLoad>, dots: Vec<CaseDot>, #[prop(optional)] hazards: Vec<HazardPoint>) -> impl IntoView {
    let i18n = use_i18n();
    let f = map.frame;
    let biggest = townships.iter().map(|t| t.open.value).max().unwrap_or(0).max(1) as f64;
    let dots = dots
        .into_iter()
        .filter_map(|d| {
            let (x, y) = f.project_e6(d.lat_e6, d.lng_e6);
            f.contains((x, y)).then(|| {
                let class = if d.in_command {
                    "dot command"
                } else if d.overdue {
                    "dot overdue"
                } else {
                    "dot"
                };
                view! { <circle cx=format!("{x:.0}") cy=format!("{y:.0}") r="9" class=class /> }
            })
        })
        .collect_view();
    let hazards = hazards
        .into_iter()
        .filter_map(|h| {
            let (x, y) = f.project_e6(h.point.lat_e6, h.point.lng_e6);
            f.contains((x, y)).then(|| {
                let s = if h.major { 16.0 } else { 12.0 };
                let class = if h.overdue { "hazard overdue" } else { "hazard" };
                let points = format!("{x:.0},{:.0} {:.0},{y:.0} {x:.0},{:.0} {:.0},{y:.0}", y - s, x + s, y + s, x - s);
                view! {
                    <g>
                        <a href=format!("/center/hazards/{}", h.id) aria-label=h.title.clone() data-testid="map-hazard">
                            <title>{h.title.clone()}</title>
                            <polygon points=points class=class />
                        </a>
                    </g>
                }
            })
        })
        .collect_view();
    let bubbles = townships
        .into_iter()
        .filter_map(|t| {
            let (x, y) = f.project_e6(t.lat_e6?, t.lng_e6?);
            let r = 22.0 + 58.0 * (t.open.value as f64 / biggest).sqrt();
            let open_word = t_string!(i18n, screen.map_legend_open);
            let overdue_word = t_string!(i18n, screen.map_legend_overdue);
            let shown = format!("{} / {}", t.open.value, t.overdue.value);
            let tip = format!("{}：{open_word} {}，{overdue_word} {}", t.name, t.open.value, t.overdue.value);
            // The name starts with the bubble's own text, as a voice command would say it.
            let name = format!("{} {shown}（{open_word} {}，{overdue_word} {}）", t.name, t.open.value, t.overdue.value);
            let class = if t.overdue.value > 0 { "bubble late" } else { "bubble" };
            // Inside a <g>, so the view macro makes an SVG link (a bare <a> would be HTML).
            Some(view! {
                <g>
                    <a href=t.open.href() aria-label=name data-testid="map-township" data-open=t.open.value>
                        <title>{tip.clone()}</title>
                        <circle cx=format!("{x:.0}") cy=format!("{y:.0}") r=format!("{r:.0}") class=class />
                        {(t.in_command > 0).then(|| view! { <circle cx=format!("{x:.0}") cy=format!("{y:.0}") r=format!("{:.0}", r + 8.0) class="pulse" /> })}
                        <text x=format!("{x:.0}") y=format!("{:.0}", y - 2.0) text-anchor="middle" class="bubble-name">
                            {t.name.clone()}
                        </text>
                        <text x=format!("{x:.0}") y=format!("{:.0}", y + 34.0) text-anchor="middle" class="bubble-num">
                            {shown}
                        </text>
                    </a>
                </g>
            })
        })
        .collect_view();
    view! {
        <svg class="district-map" viewBox=format!("0 0 {:.0} {:.0}", f.width, f.height) role="group" aria-label=move || t_string!(i18n, screen.map).to_string()>
            <path d=map.outline class="outline" />
            <g class="dots" aria-hidden="true">
                {dots}
            </g>
            <g class="bubbles">{bubbles}</g>
            <g class="hazards">{hazards}</g>
        </svg>
    }
}
