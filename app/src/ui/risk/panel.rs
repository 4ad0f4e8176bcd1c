//! The two headline figures together — the year's risk warnings by level, rule and township,
//! and the disputes' first-time resolution rate — as the wall and `/center/risk` show them.
//! Every count opens the warnings (or the mediations) behind it.
use super::texts::{level_text, rule_text};
use crate::domain::risk::figures::{RiskFigures, Tally};
use crate::domain::risk::{Level, Rule};
use crate::i18n::*;
use crate::ui::center::figures::RateTile;
use leptos::prelude::*;

#[component]
pub fn RiskPanel(figures: RiskFigures, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let f = figures;
    let since = f.from_ms;
    let levels: Vec<(String, String, i64, &'static str)> = f
        .by_level
        .iter()
        .filter_map(|t| {
            let v = t.key.parse::<Level>().ok()?;
            Some((level_text(l, v).to_string(), format!("/center/risk?showing=all&since={since}&level={}", v.code()), t.n, level_tone(v)))
        })
        .collect();
    let rules: Vec<(String, String, i64, &'static str)> = f
        .by_rule
        .iter()
        .filter_map(|t| {
            let r = t.key.parse::<Rule>().ok()?;
            Some((rule_text(l, r).to_string(), format!("/center/risk?showing=all&since={since}&rule={}", r.code()), t.n, "amber"))
        })
        .collect();
    let towns: Vec<(String, String, i64, &'static str)> = f
        .by_township
        .iter()
        .take(6)
        .map(|t: &Tally| (t.label.clone(), format!("/center/risk?showing=all&since={since}&township={}", t.key), t.n, "blue"))
        .collect();
    view! {
        <section class="wall-panel risk-panel" data-testid=testid aria-live="polite">
            <h2>{t!(i18n, risk.panel_title)}</h2>
            <div class="counters">
                <a class="tile red" href=format!("/center/risk?showing=all&since={since}") data-testid="risk-raised" data-value=f.raised>
                    <span class="tile-num">{f.raised}</span>
                    <span class="tile-label">{t!(i18n, risk.raised_year)}</span>
                </a>
                <a class="tile amber" href=format!("/center/risk?since={since}") data-testid="risk-open" data-value=f.open>
                    <span class="tile-num">{f.open}</span>
                    <span class="tile-label">{t!(i18n, risk.open_now)}</span>
                </a>
                <RateTile
                    label=t_string!(i18n, risk.first_time_rate).to_string()
                    rate=f.first_time
                    href=Some("/center/mediation".to_string())
                    id="risk-first-time"
                />
            </div>
            <Bars title=t_string!(i18n, risk.by_level).to_string() bars=levels testid="risk-levels" />
            <Bars title=t_string!(i18n, risk.by_rule).to_string() bars=rules testid="risk-rules" />
            <Bars title=t_string!(i18n, risk.by_township).to_string() bars=towns testid="risk-townships" />
        </section>
    }
}

fn level_tone(v: Level) -> &'static str {
    match v {
        Level::Red => "red",
        Level::Orange => "orange",
        Level::Yellow => "yellow",
        Level::Blue => "blue",
    }
}

#[component]
fn Bars(title: String, bars: Vec<(String, String, i64, &'static str)>, testid: &'static str) -> impl IntoView {
    let max = bars.iter().map(|b| b.2).max().unwrap_or(0).max(1);
    view! {
        <div class="risk-bars" data-testid=testid>
            <h3>{title}</h3>
            <ul class="hbars">
                {bars
                    .into_iter()
                    .map(|(label, href, n, tone)| {
                        let name = format!("{label} {n}");
                        view! {
                            <li>
                                <a class="hbar" href=href aria-label=name data-value=n>
                                    <span class="hbar-label">{label}</span>
                                    <span class="hbar-track">
                                        <span class=format!("hbar-fill {tone}") style=format!("width:{}%", n * 100 / max)></span>
                                    </span>
                                    <span class="hbar-num">{n}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}
