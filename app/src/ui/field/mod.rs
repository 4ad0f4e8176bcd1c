mod area;
mod bulletins;
mod overview;

use crate::domain::org::{Role, UnitKind};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::auth::SignOut;
use crate::ui::components::{LangSwitch, PageTitle, role_text, unit_kind_text};
use crate::ui::errors::ErrorAlert;
pub use area::FieldAreaPage;
pub use bulletins::{FieldBulletinPage, FieldBulletinsPage};
use leptos::form::ActionForm;
use leptos::prelude::*;
pub use overview::FieldOverviewPage;
use serde::{Deserialize, Serialize};

/// The field worker's own card: who they are and which unit they answer for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldCard {
    pub display_name: String,
    pub role: Role,
    pub unit_name: Option<String>,
    pub unit_kind: Option<UnitKind>,
    pub area_name: Option<String>,
}

#[server(endpoint = "field/profile")]
pub async fn field_profile() -> Result<FieldCard, AppError> {
    use crate::domain::org::Role;
    let user = crate::server_ctx::require(Role::ALL).await?;
    let db = crate::server_ctx::db()?;
    let unit = match user.unit_id {
        Some(id) => crate::service::org::unit(&db, id).await?,
        None => None,
    };
    Ok(FieldCard {
        display_name: user.display_name,
        role: user.role,
        unit_name: unit.as_ref().map(|u| u.name.clone()),
        unit_kind: unit.as_ref().map(|u| u.kind),
        area_name: unit.and_then(|u| u.area_name),
    })
}

/// The phone frame: a title bar, the page, and the bottom navigation within thumb reach.
#[component]
pub fn FieldLayout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let sign_out = ServerAction::<SignOut>::new();
    // Reports written offline wait here for the network, whichever field page is open.
    let waiting = RwSignal::from(crate::ui::live::outbox::use_outbox().waiting);
    Effect::new(|_| crate::ui::live::offline::keep_field_pages());
    let path = leptos_router::hooks::use_location().pathname;
    let current = move |href: &'static str| move || (path.get() == href).then_some("page");
    view! {
        <div class="field-shell">
            <header class="field-top">
                <span class="field-title">{t!(i18n, field.title)}</span>
                <LangSwitch />
            </header>
            <main id="main" class="field-main">
                <crate::ui::live::outbox::OutboxStatus />
                {children()}
            </main>
            <nav class="field-bottom" aria-label=move || t_string!(i18n, nav.label).to_string()>
                <a href="/field" aria-current=current("/field")>
                    {t!(i18n, field.nav_inbox)}
                </a>
                <a href="/field/report" aria-current=current("/field/report")>
                    {t!(i18n, field.nav_report)}
                </a>
                <a href="/field/suggestions" aria-current=current("/field/suggestions")>
                    {t!(i18n, field.nav_suggestions)}
                </a>
                <ActionForm action=sign_out attr:class="inline">
                    // What waits would be lost, or sent in the next person's name.
                    <button
                        type="submit"
                        class="btn-nav"
                        disabled=move || waiting.with(|w| !w.is_empty())
                        title=move || waiting.with(|w| !w.is_empty()).then(|| t_string!(i18n, palm.sign_out_waiting).to_string())
                        on:click=|_| crate::ui::live::offline::forget_field_pages()
                    >
                        {t!(i18n, nav.sign_out)}
                    </button>
                </ActionForm>
            </nav>
        </div>
    }
}

/// The phone home: the inbox first, most urgent on top; the profile card says whose it is.
#[component]
pub fn FieldHome() -> impl IntoView {
    let i18n = use_i18n();
    let profile = Resource::new(|| (), |_| field_profile());
    view! {
        <PageTitle key=|l| td_string!(l, field.title).to_string() />
        <FieldLayout>
            <Inbox />
            <bulletins::LatestBulletin />
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    profile
                        .get()
                        .map(|r| match r {
                            Ok(p) => {
                                view! {
                                    <section class="card profile" data-testid="field-profile">
                                        <p class="profile-name">{p.display_name.clone()}</p>
                                        <p class="muted">{move || role_text(i18n.get_locale(), p.role)}</p>
                                        <p class="profile-unit">
                                            {p.unit_name.clone().unwrap_or_default()}
                                            {p
                                                .unit_kind
                                                .map(|k| view! { <span class="badge badge-blue">{move || unit_kind_text(i18n.get_locale(), k)}</span> })}
                                        </p>
                                        {p.area_name.clone().map(|a| view! { <p class="muted small">{a}</p> })}
                                        {p
                                            .role
                                            .is_center()
                                            .then(|| {
                                                view! {
                                                    <p>
                                                        <a class="btn btn-secondary" href="/field/overview" data-testid="open-overview">
                                                            {t!(i18n, field.overview)}
                                                        </a>
                                                    </p>
                                                }
                                            })}
                                        <p class="profile-links">
                                            {p
                                                .unit_kind
                                                .and_then(|k| k.area_level())
                                                .map(|_| {
                                                    view! {
                                                        <a class="btn btn-secondary" href="/field/area" data-testid="open-area">
                                                            {t!(i18n, area.title)}
                                                        </a>
                                                    }
                                                })} <a class="btn btn-secondary" href="/field/evaluation" data-testid="open-evaluation">
                                                {t!(i18n, evaluation.own_title)}
                                            </a> <a class="btn btn-secondary" href="/field/bulletins" data-testid="open-bulletins">
                                                {t!(i18n, bulletin.title)}
                                            </a>
                                            {p
                                                .unit_kind
                                                .filter(|k| crate::domain::duty::keeps_roster(*k))
                                                .map(|_| {
                                                    view! {
                                                        <a class="btn btn-secondary" href="/field/duty" data-testid="open-duty">
                                                            {t!(i18n, duty.mine_title)}
                                                        </a>
                                                    }
                                                })}
                                            {p
                                                .unit_kind
                                                .filter(|k| crate::domain::emergency::reports_emergencies(*k))
                                                .map(|_| {
                                                    view! {
                                                        <a class="btn btn-secondary" href="/field/emergency" data-testid="open-emergency">
                                                            {t!(i18n, emergency.mine_title)}
                                                        </a>
                                                    }
                                                })}
                                            {p
                                                .unit_kind
                                                .map(|_| {
                                                    view! {
                                                        <a class="btn btn-secondary" href="/field/hazards" data-testid="open-hazards">
                                                            {t!(i18n, hazard.mine_title)}
                                                        </a>
                                                    }
                                                })}
                                        </p>
                                        <p class="small">
                                            <a href="/account/password">{t!(i18n, nav.change_password)}</a>
                                        </p>
                                    </section>
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                        })
                }}
            </Transition>
        </FieldLayout>
    }
}

/// The unit's cases still in its hands, live: what waits for our signature on top with its
/// countdown and a sign button, then commands, then the nearest deadline. A new task or a
/// directive rings the phone.
#[component]
fn Inbox() -> impl IntoView {
    use crate::domain::case::AssignmentStatus;
    use crate::domain::notice::kind;
    use crate::ui::cases::actions::ActForm;
    use crate::ui::cases::texts::{StatusBadge, assignment_class, assignment_text, sla_badge};
    use crate::ui::command::api::field_inbox;
    use crate::ui::live::clock::{mmss, use_server_now};
    use crate::ui::live::feed::{LiveDot, ask_notification_permission, notifications_allowed, ring, use_live};
    let i18n = use_i18n();
    let live = use_live();
    let refresh = RwSignal::new(0u32);
    let inbox = Resource::new(move || (live.notice.with(|n| n.as_ref().map(|n| n.id)), refresh.get()), |_| field_inbox());
    // Without network, the inbox last seen stays (from the kept page, or the newest answer the
    // phone remembers) and says how old it is; the network back, it is read again.
    let data_at = RwSignal::new(None::<i64>);
    // A newer inbox than the kept page's, read on an earlier visit: shown after hydration.
    let newer = RwSignal::new(None::<crate::domain::case::Inbox>);
    Effect::new(move |_| {
        if let Some(Ok(i)) = inbox.get() {
            let kept = crate::ui::live::offline::remembered_inbox().filter(|k| k.now_ms > i.now_ms);
            if kept.is_none() {
                crate::ui::live::offline::remember_inbox(&i);
            }
            data_at.set(Some(kept.as_ref().map_or(i.now_ms, |k| k.now_ms)));
            newer.set(kept);
        }
    });
    let online = crate::ui::live::offline::use_online();
    let stale = move || data_at.get().filter(|at| !online.get() || crate::ui::live::clock::is_stale(*at));
    Effect::new(move |was: Option<bool>| {
        let now = online.get();
        if was == Some(false) && now {
            refresh.update(|v| *v += 1);
        }
        now
    });
    let waiting = RwSignal::from(crate::ui::live::outbox::use_outbox().waiting);
    let sign_queued = move |case_id: i64| waiting.with(|w| w.iter().any(|x| x.case_id == case_id && x.command == crate::domain::case::CommandKind::Sign));
    let bulletin_arrived = RwSignal::new(false);
    // An emergency the unit must report on, or a report of it past its deadline.
    let emergency_due = RwSignal::new(None::<i64>);
    // What rang, for screen readers too: a phone's sound and vibration say nothing to them.
    let announced = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(n) = live.notice.get() {
            bulletin_arrived.update(|b| *b |= n.kind == kind::BULLETIN);
            let emergency = n.kind == kind::EMERGENCY && matches!(n.text.as_deref(), Some("declared" | "regrade" | "missed:quick" | "missed:written"));
            if emergency {
                emergency_due.set(Some(n.case_id));
            }
            let heading = match n.kind.as_str() {
                _ if emergency => Some(t_string!(i18n, emergency.ring)),
                kind::TASK => Some(t_string!(i18n, palm.new_task)),
                kind::DIRECTIVE => Some(t_string!(i18n, palm.new_directive)),
                kind::ESCALATED => Some(t_string!(i18n, palm.escalated_ring)),
                kind::SUPERVISED => Some(t_string!(i18n, supervision.ring_reminded)),
                kind::WARNED => Some(t_string!(i18n, supervision.ring_warned)),
                _ => None,
            };
            if let Some(h) = heading {
                announced.set(format!("{h}：{}", n.title));
                ring(&n, h);
            }
        }
    });
    let alerts = RwSignal::new(false);
    Effect::new(move |_| alerts.set(notifications_allowed()));
    let on_done = Callback::new(move |_| refresh.update(|v| *v += 1));
    view! {
        <section class="card inbox" aria-labelledby="inbox-heading">
            <div class="inbox-head">
                <h2 id="inbox-heading">{t!(i18n, field.inbox)}</h2>
                <LiveDot live />
            </div>
            <p class="sr-only" role="status" aria-live="polite" data-testid="inbox-announce">
                {move || announced.get()}
            </p>
            {move || {
                emergency_due
                    .get()
                    .map(|id| {
                        view! {
                            <p class="alert alert-error" role="status" data-testid="emergency-arrived">
                                <a href=format!("/field/emergency/{id}")>{t!(i18n, emergency.arrived)}</a>
                            </p>
                        }
                    })
            }}
            {move || {
                bulletin_arrived
                    .get()
                    .then(|| {
                        view! {
                            <p class="alert alert-info" role="status" data-testid="bulletin-arrived">
                                <a href="/field/bulletins">{t!(i18n, bulletin.arrived)}</a>
                            </p>
                        }
                    })
            }}
            <button
                type="button"
                class="btn btn-small"
                class:hidden=move || alerts.get()
                data-testid="enable-alerts"
                on:click=move |_| {
                    ask_notification_permission();
                    alerts.set(true);
                }
            >
                {t!(i18n, palm.enable_alerts)}
            </button>
            {move || {
                stale()
                    .map(|at| {
                        view! {
                            <p class="alert alert-warn" role="status" data-testid="inbox-stale">
                                {t!(i18n, palm.stale)}
                                {crate::ui::components::format_instant(at)}
                                " · "
                                {crate::ui::live::clock::age_of(at).max(0) / 60_000}
                                {t!(i18n, palm.stale_ago)}
                            </p>
                        }
                    })
            }}
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    inbox
                        .get()
                        .map(|r| match (r, newer.get()) {
                            (Ok(_), Some(kept)) => Ok(kept),
                            (Err(e @ crate::error::AppError::Transport(_)), kept) => kept.or_else(crate::ui::live::offline::remembered_inbox).ok_or(e),
                            (other, _) => other,
                        })
                        .map(|r| match r {
                            Err(crate::error::AppError::Forbidden) => view! { <p class="muted">{t!(i18n, palm.inbox_for_units)}</p> }.into_any(),
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(inbox) if inbox.items.is_empty() => view! { <p class="empty">{t!(i18n, field.inbox_empty)}</p> }.into_any(),
                            Ok(inbox) => {
                                let now = use_server_now(inbox.now_ms);
                                let server_now = inbox.now_ms;
                                view! {
                                    <ul class="inbox-list" data-testid="inbox">
                                        {inbox
                                            .items
                                            .into_iter()
                                            .map(|item| {
                                                let c = item.summary.clone();
                                                let level = c.sla_level(server_now);
                                                let st = item.part.status;
                                                let to_sign = st == AssignmentStatus::Assigned;
                                                let due = item.part.ack.deadline_ms();
                                                let late = move || now.get() > due;
                                                let clock = move || {
                                                    let left = due - now.get();
                                                    if left >= 0 {
                                                        format!("{} {}", t_string!(i18n, palm.remaining), mmss(left))
                                                    } else {
                                                        format!("{} {}", t_string!(i18n, palm.overdue_by), mmss(left))
                                                    }
                                                };
                                                view! {
                                                    <li
                                                        class="inbox-entry"
                                                        class:to-sign=to_sign
                                                        class:late=move || to_sign && late()
                                                        data-testid="inbox-item"
                                                        data-case=c.id
                                                    >
                                                        <a class="inbox-item" href=format!("/field/cases/{}", c.id)>
                                                            <span class="inbox-title">
                                                                {item
                                                                    .command
                                                                    .then(|| {
                                                                        view! {
                                                                            <span class="badge badge-red">{t!(i18n, palm.command_badge)}</span>
                                                                            " "
                                                                        }
                                                                    })}
                                                                {item
                                                                    .supervision
                                                                    .map(|st| {
                                                                        view! {
                                                                            <span
                                                                                class=crate::ui::supervision::texts::stage_class(st)
                                                                                data-testid="inbox-supervision"
                                                                            >
                                                                                {move || crate::ui::supervision::texts::stage_text(i18n.get_locale(), st)}
                                                                            </span>
                                                                            " "
                                                                        }
                                                                    })} {c.title.clone()}
                                                            </span>
                                                            <span class="inbox-meta">
                                                                <span class=assignment_class(st)>{move || assignment_text(i18n.get_locale(), st)}</span>
                                                                " "
                                                                <StatusBadge status=c.status />
                                                                " "
                                                                <span class=move || {
                                                                    sla_badge(i18n.get_locale(), level).0
                                                                }>{move || sla_badge(i18n.get_locale(), level).1}</span>
                                                            </span>
                                                            <span class="muted small">
                                                                {c.area_name.clone().unwrap_or_default()} " · " {c.category_name.clone()}
                                                            </span>
                                                            {item
                                                                .supervision_words
                                                                .clone()
                                                                .map(|w| {
                                                                    view! {
                                                                        <span class="inbox-directive" data-testid="inbox-supervision-words">
                                                                            {t!(i18n, supervision.badge)}
                                                                            "："
                                                                            {w}
                                                                        </span>
                                                                    }
                                                                })}
                                                            {item
                                                                .last_directive
                                                                .clone()
                                                                .map(|d| {
                                                                    view! {
                                                                        <span class="inbox-directive" data-testid="inbox-directive">
                                                                            {t!(i18n, palm.latest_directive)}
                                                                            "："
                                                                            {d}
                                                                        </span>
                                                                    }
                                                                })}
                                                        </a>
                                                        {to_sign
                                                            .then(|| {
                                                                view! {
                                                                    <div class="inbox-sign">
                                                                        <span class="countdown mono" class:red=late data-testid="sign-countdown">
                                                                            {clock}
                                                                        </span>
                                                                        // Both drawn once and shown by turns: a list redrawn by a live push keeps its
                                                                        // elements, so a tap on the button as another unit signs is not lost.
                                                                        <span
                                                                            class="badge badge-amber"
                                                                            class:hidden=move || !sign_queued(c.id)
                                                                            data-testid="sign-queued"
                                                                        >
                                                                            {t!(i18n, palm.sign_queued)}
                                                                        </span>
                                                                        <div class="sign-now" class:hidden=move || sign_queued(c.id)>
                                                                            <ActForm
                                                                                id=c.id
                                                                                command=crate::domain::case::CommandKind::Sign
                                                                                on_done
                                                                                submit=t_string!(i18n, palm.sign_now).to_string()
                                                                                class="act-sign"
                                                                                button_class="btn btn-primary btn-huge"
                                                                                keep_offline=true
                                                                            />
                                                                        </div>
                                                                    </div>
                                                                }
                                                            })}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </section>
    }
}
