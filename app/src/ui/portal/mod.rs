use crate::i18n::*;
use crate::ui::components::{LangSwitch, PageTitle};

mod call;
mod report;
mod track;
pub(crate) use call::CrossLink;
use call::PortalCallCard;
use leptos::prelude::*;
pub use report::ReportPage;
pub use track::TrackPage;

/// The residents' front door: what the center is and how to reach it.
#[component]
pub fn PortalHome() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle key=|l| td_string!(l, portal.title).to_string() />
        <div class="portal">
            <PortalHeader />
            <main id="main" class="portal-main">
                <section class="hero card">
                    <h1>{t!(i18n, portal.heading)}</h1>
                    <p class="lead">{t!(i18n, portal.lead)}</p>
                    <p class="hotline">
                        <span class="hotline-label">{t!(i18n, portal.hotline_label)}</span>
                        <a class="hotline-number" href="tel:12345">
                            "12345"
                        </a>
                    </p>
                    <p class="muted small">{t!(i18n, portal.hotline_hint)}</p>
                    <div class="portal-actions">
                        <a class="btn btn-primary btn-large" href="/report" data-testid="go-report">
                            {t!(i18n, report.title)}
                        </a>
                        <a class="btn btn-secondary btn-large" href="/track">
                            {t!(i18n, track.title)}
                        </a>
                    </div>
                </section>
                <PortalCallCard />
                <section class="card" aria-labelledby="functions-heading">
                    <h2 id="functions-heading">{t!(i18n, portal.functions_heading)}</h2>
                    <ul class="function-grid">
                        <li>
                            <strong>{t!(i18n, kind.petition)}</strong>
                            <span>{t!(i18n, portal.fn_petition)}</span>
                        </li>
                        <li>
                            <strong>{t!(i18n, kind.governance)}</strong>
                            <span>{t!(i18n, portal.fn_governance)}</span>
                        </li>
                        <li>
                            <strong>{t!(i18n, kind.risk)}</strong>
                            <span>{t!(i18n, portal.fn_risk)}</span>
                        </li>
                        <li>
                            <strong>{t!(i18n, kind.emergency)}</strong>
                            <span>{t!(i18n, portal.fn_emergency)}</span>
                        </li>
                        <li>
                            <strong>{t!(i18n, kind.enforcement)}</strong>
                            <span>{t!(i18n, portal.fn_enforcement)}</span>
                        </li>
                        <li>
                            <strong>{t!(i18n, kind.guidance)}</strong>
                            <span>{t!(i18n, portal.fn_guidance)}</span>
                        </li>
                    </ul>
                </section>
                <section class="card" aria-labelledby="visit-heading">
                    <h2 id="visit-heading">{t!(i18n, portal.visit_heading)}</h2>
                    <p>{t!(i18n, portal.visit_text)}</p>
                </section>
            </main>
            <footer class="portal-footer">
                <p>{t!(i18n, portal.footer)}</p>
                <p>
                    <a href="/signin">{t!(i18n, portal.staff_entry)}</a>
                </p>
            </footer>
        </div>
    }
}

#[component]
pub fn PortalHeader() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="portal-header">
            <a class="skip-link" href="#main">
                {t!(i18n, common.skip_to_content)}
            </a>
            <a class="portal-brand" href="/">
                <img src="/favicon.svg" alt="" width="32" height="32" />
                <span>{t!(i18n, app_name)}</span>
            </a>
            <LangSwitch />
        </header>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <PageTitle key=|l| td_string!(l, not_found.title).to_string() />
        <div class="portal">
            <PortalHeader />
            <main id="main" class="portal-main">
                <section class="card error-page">
                    <p class="error-code">"404"</p>
                    <h1>{t!(i18n, not_found.title)}</h1>
                    <p>{t!(i18n, not_found.text)}</p>
                    <a class="btn btn-primary" href="/">
                        {t!(i18n, common.back_home)}
                    </a>
                </section>
            </main>
        </div>
    }
}
