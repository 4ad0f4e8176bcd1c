use crate::i18n::*;
use crate::ui::boot::BootScripts;
use crate::ui::routes::AppRoutes;
use leptos::prelude::*;
use leptos_meta::{Meta, MetaTags, Title, provide_meta_context};
use leptos_router::components::Router;

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
                // Here rather than in the app: the server alone knows the build's stamp.
                <link rel="stylesheet" id="leptos" href=format!("{}/{}.css", crate::ui::pkg::base(&options), options.output_name) />
                <AutoReload options=options.clone() />
                <BootScripts options />
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
            <Meta name="description" content="衢江区社会治理中心" />
            <AppTitle />
            <Router>
                <AppRoutes />
            </Router>
            // Last in the page, so it runs once everything before it is hydrated, including
            // a lazy route whose code arrives after the shell's (--split).
            {mark_hydrated}
        </I18nContextProvider>
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
