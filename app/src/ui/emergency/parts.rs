//! Pieces shared by the center's and the phone's pages: an emergency's owed reports in a row,
//! every version of its reports, and the filing form.
use super::api::{CheckReport, FileReport};
use super::texts::{DueBadge, flag_text, level_text, stage_text};
use crate::domain::clock::minute_string;
use crate::domain::emergency::{CHECK_NOTE_MAX, Emergency, EmergencyRow, MEASURES_MAX, PLACE_MAX, ReportView, SUMMARY_MAX, Stage};
use crate::i18n::*;
use crate::ui::components::format_instant;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The live feed, and the id of the latest notice of an emergency (of `case` only, when
/// given): filed, checked, missed, hidden. A page reloads on it.
pub fn pushed(case: Option<Memo<i64>>) -> (crate::ui::live::feed::Live, Memo<Option<i64>>) {
    let live = crate::ui::live::feed::use_live();
    let ours = move |n: &crate::domain::notice::Notice| {
        n.kind == crate::domain::notice::kind::EMERGENCY && case.is_none_or(|c| c.try_get_untracked() == Some(n.case_id))
    };
    (live, live.pushed(ours))
}

/// The quick and written reports' states and the final report's, in a line.
#[component]
pub fn Stages(e: Emergency, now: i64) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <dl class="emergency-stages">
            <div>
                <dt>{t!(i18n, emergency.quick)}</dt>
                <dd>
                    <DueBadge due=e.quick now stage=Stage::Quick />
                </dd>
            </div>
            <div>
                <dt>{t!(i18n, emergency.written)}</dt>
                <dd>
                    <DueBadge due=e.written now stage=Stage::Written />
                </dd>
            </div>
            <div>
                <dt>{t!(i18n, emergency.final_report)}</dt>
                <dd data-testid="due-final">
                    <span class="muted small">
                        {match e.final_ms {
                            Some(t) => format!("{} {}", t_string!(i18n, emergency.filed_at), &format_instant(t)[5..16]),
                            None => "—".to_string(),
                        }}
                    </span>
                </dd>
            </div>
        </dl>
    }
}

/// Level, unit and the marks a row carries (hidden, flagged, to check).
#[component]
pub fn Marks(row: EmergencyRow) -> impl IntoView {
    let i18n = use_i18n();
    let level = row.emergency.level;
    view! {
        <span class="emergency-marks">
            <span class=if level <= crate::domain::emergency::Level::Major {
                "badge badge-red"
            } else {
                "badge"
            }>{move || level_text(i18n.get_locale(), level)}</span>
            {row
                .emergency
                .hidden_ms
                .map(|_| {
                    view! {
                        <span class="badge badge-red" data-testid="mark-hidden">
                            {t!(i18n, emergency.hidden)}
                        </span>
                    }
                })}
            {(row.flagged > 0)
                .then(|| {
                    view! {
                        <span class="badge badge-amber" data-testid="mark-flagged">
                            {t!(i18n, emergency.flagged)}
                            " "
                            {row.flagged}
                        </span>
                    }
                })}
            {(row.unchecked > 0).then(|| view! { <span class="badge badge-outline">{t!(i18n, emergency.unchecked)} " " {row.unchecked}</span> })}
        </span>
    }
}

/// Every version, oldest first; with `check`, the leader's check on each one not yet checked.
#[component]
pub fn Versions(reports: Vec<ReportView>, check: Option<ServerAction<CheckReport>>) -> impl IntoView {
    let i18n = use_i18n();
    if reports.is_empty() {
        return view! {
            <p class="muted" data-testid="no-versions">
                {t!(i18n, emergency.no_versions)}
            </p>
        }
        .into_any();
    }
    view! {
        <ol class="emergency-versions" data-testid="versions">
            {reports
                .into_iter()
                .rev()
                .map(|v| {
                    let r = v.report.clone();
                    let stage = r.stage;
                    let f = r.facts.clone();
                    let flags = r.flags.clone();
                    let id = r.id;
                    view! {
                        <li class="card emergency-version" class:flagged=!flags.is_empty() data-testid="version" data-stage=stage.code()>
                            <h3 class="card-title">
                                {move || stage_text(i18n.get_locale(), stage)} " · " {t!(i18n, emergency.version_prefix)} {r.version}
                                {t!(i18n, emergency.version_suffix)} " "
                                {r
                                    .late
                                    .then(|| {
                                        view! {
                                            <span class="badge badge-red" data-testid="late">
                                                {t!(i18n, emergency.due_late)}
                                            </span>
                                        }
                                    })} {r.checked_ms.map(|_| view! { <span class="badge badge-green">{t!(i18n, emergency.checked)}</span> })}
                            </h3>
                            <p class="muted small">
                                {t!(i18n, emergency.filed_at)} " " {format_instant(r.filed_ms)[..16].to_string()} " · " {t!(i18n, emergency.author)} " "
                                {v.author.clone()}
                            </p>
                            {(!flags.is_empty())
                                .then(|| {
                                    view! {
                                        <ul class="emergency-flags" data-testid="flags">
                                            {flags
                                                .iter()
                                                .map(|f| {
                                                    let f = *f;
                                                    view! { <li>"⚠ " {move || flag_text(i18n.get_locale(), f)}</li> }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                })}
                            <dl class="facts">
                                <dt>{t!(i18n, emergency.occurred)}</dt>
                                <dd>{format_instant(f.occurred_ms)[..16].to_string()}</dd>
                                <dt>{t!(i18n, emergency.place)}</dt>
                                <dd>{f.place.clone()}</dd>
                                <dt>{t!(i18n, emergency.summary)}</dt>
                                <dd>{f.summary.clone()}</dd>
                                <dt>{t!(i18n, emergency.deaths)} " / " {t!(i18n, emergency.injured)} " / " {t!(i18n, emergency.missing)}</dt>
                                <dd data-testid="figures">{format!("{} / {} / {}", f.deaths, f.injured, f.missing)}</dd>
                                {(!f.measures.is_empty())
                                    .then(|| {
                                        view! {
                                            <dt>{t!(i18n, emergency.measures)}</dt>
                                            <dd>{f.measures.clone()}</dd>
                                        }
                                    })}
                            </dl>
                            {r
                                .checked_ms
                                .map(|t| {
                                    view! {
                                        <p class="muted small">
                                            {t!(i18n, emergency.checked)} " " {format_instant(t)[..16].to_string()} " · "
                                            {v.checker.clone().unwrap_or_default()} {r.check_note.clone().map(|n| format!(" · {n}"))}
                                        </p>
                                    }
                                })}
                            {check
                                .filter(|_| r.checked_ms.is_none())
                                .map(|act| {
                                    view! {
                                        <ActionForm action=act attr:class="form emergency-check" attr:data-testid="check-form">
                                            <input type="hidden" name="report_id" value=id />
                                            <label class="field">
                                                <span>{t!(i18n, emergency.check_note)}</span>
                                                <input type="text" name="note" maxlength=CHECK_NOTE_MAX.to_string() />
                                            </label>
                                            <button type="submit" class="btn btn-secondary" disabled=move || act.pending().get()>
                                                {t!(i18n, emergency.check)}
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

/// The responsible unit's form: the stages it may file now, the facts pre-filled from the
/// latest version (a correction changes what changed).
#[component]
pub fn FileForm(e: Emergency, latest: Option<ReportView>, file: ServerAction<FileReport>) -> impl IntoView {
    let i18n = use_i18n();
    let stages = e.open_stages();
    if stages.is_empty() {
        return view! {
            <p class="card muted" data-testid="reporting-closed">
                {t!(i18n, emergency.closed)}
            </p>
        }
        .into_any();
    }
    let f = latest.map(|v| v.report.facts);
    let occurred = minute_string(f.as_ref().map(|f| f.occurred_ms).unwrap_or(e.opened_ms));
    let figure = |n: Option<u32>| n.unwrap_or(0).to_string();
    let (summary, place, measures) = match &f {
        Some(f) => (f.summary.clone(), f.place.clone(), f.measures.clone()),
        None => Default::default(),
    };
    let (deaths, injured, missing) = (figure(f.as_ref().map(|f| f.deaths)), figure(f.as_ref().map(|f| f.injured)), figure(f.as_ref().map(|f| f.missing)));
    view! {
        <section class="card" aria-labelledby="file-title">
            <h2 class="card-title" id="file-title">
                {t!(i18n, emergency.file_title)}
            </h2>
            <ActionForm action=file attr:class="form" attr:data-testid="file-form">
                <input type="hidden" name="case_id" value=e.case_id />
                <label class="field">
                    <span>{t!(i18n, emergency.stage)}</span>
                    <select name="stage" data-testid="file-stage">
                        {stages.into_iter().map(|s| view! { <option value=s.code()>{move || stage_text(i18n.get_locale(), s)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, emergency.summary)}</span>
                    <textarea name="summary" rows="4" required maxlength=SUMMARY_MAX.to_string()>
                        {summary}
                    </textarea>
                </label>
                <label class="field">
                    <span>{t!(i18n, emergency.place)}</span>
                    <input type="text" name="place" required maxlength=PLACE_MAX.to_string() value=place />
                </label>
                <label class="field">
                    <span>{t!(i18n, emergency.occurred)}</span>
                    <input type="datetime-local" name="occurred" required value=occurred />
                </label>
                <div class="emergency-figures">
                    <label class="field">
                        <span>{t!(i18n, emergency.deaths)}</span>
                        <input type="number" name="deaths" min="0" inputmode="numeric" value=deaths />
                    </label>
                    <label class="field">
                        <span>{t!(i18n, emergency.injured)}</span>
                        <input type="number" name="injured" min="0" inputmode="numeric" value=injured />
                    </label>
                    <label class="field">
                        <span>{t!(i18n, emergency.missing)}</span>
                        <input type="number" name="missing" min="0" inputmode="numeric" value=missing />
                    </label>
                </div>
                <label class="field">
                    <span>{t!(i18n, emergency.measures)}</span>
                    <textarea name="measures" rows="3" maxlength=MEASURES_MAX.to_string()>
                        {measures}
                    </textarea>
                </label>
                <p class="muted small">{t!(i18n, emergency.correction_hint)}</p>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || file.pending().get()>
                        {t!(i18n, emergency.file)}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}
