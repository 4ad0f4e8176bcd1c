//! Each unit's record over a period's emergencies — late (迟报), missed (漏报), possibly hidden
//! (瞒报) or false (谎报) — as the center's board, the bulletin and the evaluation show it: a
//! table on a desk, a line per unit where room is short, a sheet in their workbooks.
use crate::domain::emergency::UnitTally;
use crate::i18n::*;
use crate::ui::components::bad_count_class;
use leptos::prelude::*;

#[component]
pub fn UnitTallies(tallies: Vec<UnitTally>, compact: bool, #[prop(into)] none: ViewFn) -> impl IntoView {
    let i18n = use_i18n();
    if tallies.is_empty() {
        return view! { <p class="muted">{none.run()}</p> }.into_any();
    }
    if compact {
        return view! {
            <ol class="bulletin-list" data-testid="emergency-tallies">
                {tallies
                    .into_iter()
                    .map(|t| {
                        view! {
                            <li data-testid="tally-row" data-unit=t.unit.clone()>
                                <strong>{t.unit.clone()}</strong>
                                <span class="muted">
                                    {t!(i18n, emergency.tally_emergencies)} " " {t.emergencies} " · " {t!(i18n, emergency.tally_reports)} " " {t.reports}
                                    " · " {t!(i18n, emergency.due_late)} " " {t.late} " · " {t!(i18n, emergency.due_missed)} " " {t.missed} " · "
                                    {t!(i18n, emergency.hidden)} " " {t.hidden} " · " {t!(i18n, emergency.flagged)} " " {t.flagged}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0">
            <table class="table" data-testid="emergency-tallies">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, emergency.unit)}</th>
                        <th scope="col" class="num">
                            {t!(i18n, emergency.tally_emergencies)}
                        </th>
                        <th scope="col" class="num">
                            {t!(i18n, emergency.tally_reports)}
                        </th>
                        <th scope="col" class="num">
                            {t!(i18n, emergency.due_late)}
                        </th>
                        <th scope="col" class="num">
                            {t!(i18n, emergency.due_missed)}
                        </th>
                        <th scope="col" class="num">
                            {t!(i18n, emergency.hidden)}
                        </th>
                        <th scope="col" class="num">
                            {t!(i18n, emergency.flagged)}
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {tallies
                        .into_iter()
                        .map(|t| {
                            view! {
                                <tr data-testid="tally-row" data-unit=t.unit.clone()>
                                    <th scope="row">{t.unit.clone()}</th>
                                    <td class="num">{t.emergencies}</td>
                                    <td class="num">{t.reports}</td>
                                    <td class=bad_count_class(t.late)>{t.late}</td>
                                    <td class=bad_count_class(t.missed)>{t.missed}</td>
                                    <td class=bad_count_class(t.hidden)>{t.hidden}</td>
                                    <td class=bad_count_class(t.flagged)>{t.flagged}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The same record as a spreadsheet's rows, a heading first: the sheet the bulletin's and the
/// evaluation's workbooks carry.
pub fn sheet_rows(tallies: &[UnitTally], l: Locale) -> Vec<Vec<String>> {
    let head = [
        td_string!(l, emergency.unit),
        td_string!(l, emergency.tally_emergencies),
        td_string!(l, emergency.tally_reports),
        td_string!(l, emergency.due_late),
        td_string!(l, emergency.due_missed),
        td_string!(l, emergency.hidden),
        td_string!(l, emergency.flagged),
    ];
    let mut rows = vec![head.iter().map(|h| h.to_string()).collect()];
    rows.extend(tallies.iter().map(|t| {
        let mut row = vec![t.unit.clone()];
        row.extend([t.emergencies, t.reports, t.late, t.missed, t.hidden, t.flagged].map(|n| n.to_string()));
        row
    }));
    rows
}
