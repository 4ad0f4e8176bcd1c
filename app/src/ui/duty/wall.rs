//! The wall's duty panel (在岗值班): the center's people on duty by name, and the townships'
//! shifts' check-ins summed up, any township flagged for a missed check-in named in red.
use super::texts::post_text;
use crate::domain::duty::DutyLine;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn OnDutyPanel(lines: Vec<DutyLine>) -> impl IntoView {
    let i18n = use_i18n();
    let (center, towns): (Vec<DutyLine>, Vec<DutyLine>) = lines.into_iter().partition(|l| l.center);
    let checked = towns.iter().filter(|l| l.checked_in).count();
    let total = towns.len();
    // Red only once flagged: the first 15 minutes of a shift are its time to check in.
    let absent: Vec<String> = towns.iter().filter(|l| l.missed).map(|l| l.unit.clone()).collect();
    let empty = center.is_empty() && towns.is_empty();
    view! {
        <section class="wall-panel wall-duty" data-testid="screen-duty">
            <h2>{t!(i18n, screen.on_duty)}</h2>
            {empty.then(|| view! { <p class="wall-empty">{t!(i18n, duty.nobody_now)}</p> })}
            <ul>
                {center
                    .into_iter()
                    .map(|l| {
                        view! {
                            <li class=("wall-duty-missing", l.missed)>
                                <span class="wall-duty-post">{move || post_text(i18n.get_locale(), l.post)}</span>
                                " "
                                <strong>{l.person.clone()}</strong>
                                " "
                                <span class="wall-duty-state">
                                    {move || match (l.checked_in, l.missed) {
                                        (true, _) => t_string!(i18n, duty.state_on_duty),
                                        (false, true) => t_string!(i18n, duty.state_missed),
                                        (false, false) => t_string!(i18n, duty.state_due),
                                    }}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {(total > 0)
                .then(|| {
                    view! {
                        <p data-testid="screen-duty-towns" data-checked=checked data-total=total>
                            {t!(i18n, screen.towns_checked_in)}
                            " "
                            <strong>{checked} " / " {total}</strong>
                        </p>
                    }
                })}
            {(!absent.is_empty()).then(|| view! { <p class="wall-duty-missing">{t!(i18n, duty.state_missed)} ": " {absent.join("、")}</p> })}
        </section>
    }
}
