use crate::i18n::*;
use crate::ui::{admin, auth, portal, suggest};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use leptos_router::SsrMode;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1a56db" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        // Chinese unless the reader picked English: the browser's language is not consulted.
        <I18nContextProvider ssr_lang_header_getter=leptos_use::UseLocalesOptions::default().ssr_lang_header_getter(|| None)>
            <Stylesheet id="leptos" href="/pkg/shezhi.css" />
            <Meta name="description" content="衢江区社会治理中心" />
            <Link rel="preload" href="/pkg/shezhi.css" as_="style" />
            <AppTitle />
            <Router>
                <Routes fallback=|| view! { <portal::NotFound /> }>
                    <Route path=path!("/") view=portal::PortalHome />
                    <Route path=path!("/signin") view=auth::SignInRoute />
                    <Route path=path!("/center") view=admin::CenterRoute />
                    <Route path=path!("/center/admin/areas") view=admin::AreasRoute />
                    <Route path=path!("/center/admin/units") view=admin::UnitsRoute />
                    <Route path=path!("/center/admin/users") view=admin::UsersRoute />
                    <Route path=path!("/center/admin/import") view=admin::ImportRoute />
                    <Route path=path!("/center/admin/audit") view=admin::AuditRoute />
                    <Route path=path!("/field") view=admin::FieldRoute />
                    <Route path=path!("/field/report") view=admin::FieldReportRoute />
                    <Route path=path!("/field/cases/:id") view=admin::FieldCaseRoute />
                    <Route path=path!("/center/cases") view=admin::CaseListRoute />
                    <Route path=path!("/center/cases/new") view=admin::CenterIntakeRoute />
                    <Route path=path!("/center/cases/:id") view=admin::CenterCaseRoute />
                    <Route path=path!("/report") view=admin::ReportRoute />
                    <Route path=path!("/track") view=admin::TrackRoute />
                    // Whole pages at once (no streamed fragments), so they read the same without JavaScript.
                    <Route path=path!("/suggest") view=suggest::SuggestRoute ssr=SsrMode::Async />
                    <Route path=path!("/suggest/track") view=suggest::SuggestTrackRoute ssr=SsrMode::Async />
                    <Route path=path!("/suggest/list") view=suggest::SuggestListRoute ssr=SsrMode::Async />
                    <Route path=path!("/center/campaigns") view=suggest::CampaignsRoute />
                    <Route path=path!("/center/campaigns/:id") view=suggest::CampaignQueueRoute />
                    <Route path=path!("/center/suggestions/:id") view=suggest::SuggestionReviewRoute />
                    <Route path=path!("/field/suggestions") view=suggest::UnitSuggestionsRoute />
                </Routes>
            </Router>
            // Last in the page, so it runs once everything before it is hydrated, including
            // a lazy route whose code arrives after the shell's (--split).
            {mark_hydrated}
        </I18nContextProvider>
    }
}

/// The future of a lazily loaded page's view.
pub type PageFuture = std::pin::Pin<Box<dyn std::future::Future<Output = AnyView>>>;
/// The future that loads a lazily loaded page's code.
pub type PreloadFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

/// A lazily loaded page (made by `lazy_page!`): loads its wasm chunk and renders it. One
/// type for every lazy route, so the router's code is generated once for all of them.
#[derive(Clone, Copy)]
pub struct LazyPage {
    pub view: fn() -> PageFuture,
    pub preload: fn() -> PreloadFuture,
}

impl leptos_router::ChooseView for LazyPage {
    fn choose(self) -> impl std::future::Future<Output = AnyView> {
        (self.view)()
    }

    fn preload(&self) -> impl std::future::Future<Output = ()> {
        (self.preload)()
    }
}

/// Tests wait for `html[data-hydrated]` so they never click before the page is interactive.
fn mark_hydrated() {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = el.set_attribute("data-hydrated", "true");
        }
    });
}

/// The app's name after every page title. Read once, like `PageTitle`'s text: the
/// formatter also runs after the page's reactive owner is gone on async renders.
#[component]
fn AppTitle() -> impl IntoView {
    let i18n = use_i18n();
    let app = t_string!(i18n, app_name).to_string();
    view! { <Title formatter=move |page: String| if page.is_empty() { app.clone() } else { format!("{page} · {app}") } /> }
}
