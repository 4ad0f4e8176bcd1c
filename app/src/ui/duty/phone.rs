//! `/field/duty` (我的值班): the holder's shifts from yesterday to two weeks ahead; check in
//! with the phone's place, write the handover note, ask a colleague to take a shift.
use super::api::{ActOnShift, fetch_my_duty};
use super::texts::{StateBadge, post_text};
use crate::domain::clock::hour_minute;
use crate::domain::duty::{MyDuty, NOTE_MAX, REASON_MAX, RosterEntry, ShiftState};
use crate::i18n::*;
use crate::ui::components::{LocateButton, PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use crate::ui::field::FieldLayout;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn FieldDutyPage() -> impl IntoView {
    let i18n = use_i18n();
    let act = ServerAction::<ActOnShift>::new();
    let mine = Resource::new(move || act.version().get(), |_| fetch_my_duty());
    view! {
        <PageTitle key=|l| td_string!(l, duty.mine_title).to_string() />
        <FieldLayout>
            <h1 class="field-h1">{t!(i18n, duty.mine_title)}</h1>
            {move || act.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    mine.get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(m) if m.shifts.is_empty() => {
                                view! {
                                    <p class="card muted" data-testid="duty-mine-none">
                                        {t!(i18n, duty.mine_none)}
                                    </p>
                                }
                                    .into_any()
                            }
                            Ok(m) => {
                                let MyDuty { now_ms, shifts, colleagues } = m;
                                shifts.into_iter().map(|e| view! { <ShiftCard e now=now_ms colleagues=colleagues.clone() act /> }).collect_view().into_any()
                            }
                        })
                }}
            </Transition>
        </FieldLayout>
    }
}

#[component]
fn ShiftCard(e: RosterEntry, now: i64, colleagues: Vec<(i64, String)>, act: ServerAction<ActOnShift>) -> impl IntoView {
    let i18n = use_i18n();
    let s = e.shift.clone();
    let state = s.state(now);
    let may_check_in = s.checked_in_ms.is_none() && s.check_in_open(now);
    let may_hand_over = s.checked_in_ms.is_some() && s.handover.is_none() && s.handover_open(now);
    let may_swap = !s.has_begun(now) && e.swap.is_none() && !colleagues.is_empty();
    let (lat, lng) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let id = s.id;
    view! {
        <section class="card duty-card" data-testid="duty-card" data-shift=id>
            <h2 class="card-title">{format_instant(s.starts_ms)[5..16].to_string()} " – " {hour_minute(s.ends_ms)}</h2>
            <p>{e.unit.clone()} " · " {move || post_text(i18n.get_locale(), s.post)} " " <StateBadge state /></p>
            {s.checked_in_ms.map(|t| view! { <p class="muted small">{t!(i18n, duty.checked_in)} " " {hour_minute(t)}</p> })}
            {e.swap.clone().map(|(_, to)| view! { <p class="badge badge-amber">{t!(i18n, duty.swap_waiting)} " " {to}</p> })}
            {s.handover.clone().map(|n| view! { <p class="duty-note">{n}</p> })}
            {may_check_in
                .then(|| {
                    view! {
                        <ActionForm action=act attr:class="form" attr:data-testid="duty-check-in">
                            <input type="hidden" name="shift_id" value=id />
                            <input type="hidden" name="step" value="check_in" />
                            <input type="hidden" name="lat" prop:value=move || lat.get() />
                            <input type="hidden" name="lng" prop:value=move || lng.get() />
                            <p class="muted small" aria-live="polite">
                                {move || {
                                    if lat.with(String::is_empty) {
                                        t_string!(i18n, duty.no_fix).to_string()
                                    } else {
                                        format!("{} {}, {}", t_string!(i18n, duty.fix), lat.get(), lng.get())
                                    }
                                }}
                            </p>
                            <div class="form-actions">
                                <LocateButton lat lng />
                                <button
                                    type="submit"
                                    class=if state == ShiftState::Missed { "btn btn-danger" } else { "btn btn-primary" }
                                    disabled=move || act.pending().get()
                                >
                                    {t!(i18n, duty.check_in)}
                                </button>
                            </div>
                        </ActionForm>
                    }
                })}
            {may_hand_over
                .then(|| {
                    view! {
                        <ActionForm action=act attr:class="form" attr:data-testid="duty-hand-over">
                            <input type="hidden" name="shift_id" value=id />
                            <input type="hidden" name="step" value="hand_over" />
                            <label class="field">
                                <span>{t!(i18n, duty.handover)}</span>
                                <textarea
                                    name="note"
                                    rows="4"
                                    required
                                    maxlength=NOTE_MAX.to_string()
                                    placeholder=move || t_string!(i18n, duty.handover_hint)
                                ></textarea>
                            </label>
                            <div class="form-actions">
                                <button type="submit" class="btn btn-primary" disabled=move || act.pending().get()>
                                    {t!(i18n, duty.hand_over)}
                                </button>
                            </div>
                        </ActionForm>
                    }
                })}
            {may_swap
                .then(|| {
                    view! {
                        <details class="duty-swap">
                            <summary>{t!(i18n, duty.ask_swap)}</summary>
                            <ActionForm action=act attr:class="form" attr:data-testid="duty-swap">
                                <input type="hidden" name="shift_id" value=id />
                                <input type="hidden" name="step" value="swap" />
                                <label class="field">
                                    <span>{t!(i18n, duty.swap_with)}</span>
                                    <select name="to_user" required>
                                        {colleagues.iter().map(|(cid, name)| view! { <option value=cid.to_string()>{name.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                                <label class="field">
                                    <span>{t!(i18n, duty.reason)}</span>
                                    <input type="text" name="reason" required maxlength=REASON_MAX.to_string() />
                                </label>
                                <div class="form-actions">
                                    <button type="submit" class="btn btn-secondary" disabled=move || act.pending().get()>
                                        {t!(i18n, duty.send_swap)}
                                    </button>
                                </div>
                            </ActionForm>
                        </details>
                    }
                })}
        </section>
    }
}
