//! Bulletins on the phone: `/field/bulletins` lists the published ones (the center sees
//! drafts too), `/field/bulletins/:id` shows one as a document sized for the screen; the
//! phone home shows the latest.
use crate::domain::bulletin::BulletinSummary;
use crate::i18n::*;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use crate::ui::field::FieldLayout;
use crate::ui::supervision::bulletin::{BulletinDocument, id_param};
use crate::ui::supervision::bulletin_api::{fetch_bulletin, fetch_bulletins};
use crate::ui::supervision::bulletins::period_label;
use leptos::prelude::*;

fn item(b: BulletinSummary) -> impl IntoView {
    let i18n = use_i18n();
    let period = b.period;
    view! {
        <a class="inbox-item" href=format!("/field/bulletins/{}", b.id) data-testid="field-bulletin" data-period=period.code()>
            <strong>{move || period_label(i18n.get_locale(), period)}</strong>
            <span class="muted small">
                {t!(i18n, bulletin.overdue)} " " {b.overdue} " · " {t!(i18n, bulletin.returned)} " " {b.returned} " · " {t!(i18n, bulletin.listed)} " "
                {b.listed}
            </span>
            {match b.published_ms {
                Some(at) => view! { <span class="muted small">{t!(i18n, bulletin.published)} " " {format_instant(at)}</span> }.into_any(),
                None => view! { <span class="badge badge-amber">{t!(i18n, bulletin.draft_status)}</span> }.into_any(),
            }}
        </a>
    }
}

#[component]
pub fn FieldBulletinsPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = Resource::new(|| (), |_| fetch_bulletins());
    view! {
        <PageTitle key=|l| td_string!(l, bulletin.title).to_string() />
        <FieldLayout>
            <section class="card">
                <h1 class="card-title">{t!(i18n, bulletin.title)}</h1>
                <Transition fallback=move || {
                    view! { <p class="muted">{t!(i18n, common.loading)}</p> }
                }>
                    {move || {
                        page.get()
                            .map(|r| match r {
                                Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                                Ok(p) if p.rows.is_empty() => {
                                    view! {
                                        <p class="muted" data-testid="no-bulletins">
                                            {t!(i18n, bulletin.empty)}
                                        </p>
                                    }
                                        .into_any()
                                }
                                Ok(p) => view! { <div class="inbox-list">{p.rows.into_iter().map(item).collect_view()}</div> }.into_any(),
                            })
                    }}
                </Transition>
            </section>
        </FieldLayout>
    }
}

#[component]
pub fn FieldBulletinPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let view_ = Resource::new(move || id.get(), fetch_bulletin);
    view! {
        <PageTitle key=|l| td_string!(l, bulletin.title).to_string() />
        <FieldLayout>
            <p>
                <a href="/field/bulletins">{t!(i18n, bulletin.back)}</a>
            </p>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    view_
                        .get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(v) => view! { <BulletinDocument bulletin=v.bulletin compact=true case_href="/field/cases" /> }.into_any(),
                        })
                }}
            </Transition>
        </FieldLayout>
    }
}

/// The newest bulletin the reader may see, on the phone home; nothing before the first.
#[component]
pub fn LatestBulletin() -> impl IntoView {
    let i18n = use_i18n();
    let page = Resource::new(|| (), |_| fetch_bulletins());
    view! {
        <Transition fallback=|| ()>
            {move || {
                page.get()
                    .and_then(|r| r.ok())
                    .and_then(|p| p.rows.into_iter().find(|b| b.published_ms.is_some()))
                    .map(|b| {
                        view! {
                            <section class="card" data-testid="latest-bulletin">
                                <h2 class="card-title">{t!(i18n, bulletin.latest)}</h2>
                                {item(b)}
                                <p class="small">
                                    <a href="/field/bulletins">{t!(i18n, bulletin.all)}</a>
                                </p>
                            </section>
                        }
                    })
            }}
        </Transition>
    }
}
