//! The whole HTTP surface in one place: routes, then the middleware stack.
use crate::config::Config;
use crate::guard::{GuardConfig, guard};
use crate::headers::{HeaderConfig, security_headers};
use crate::lang;
use app::auth::Backend;
use app::server_ctx::AppState;
use app::service::Effects;
use app::store::Db;
use app::store::sessions::DbSessionStore;
use app::{App, shell};
use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodRouter, get, post};
use axum_login::AuthManagerLayerBuilder;
use leptos::prelude::*;
use leptos_axum::LeptosRoutes;
use tower_http::compression::CompressionLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// Every route written by hand rather than as a page or server function, with its handler.
/// The router is built from this list, and the access test walks it, so none escapes the
/// access table.
pub fn hand_written(config: &Config) -> Vec<(&'static str, MethodRouter<AppState>)> {
    let mut routes: Vec<(&'static str, MethodRouter<AppState>)> = vec![
        ("/healthz", get(|| async { "ok" })),
        ("/readyz", get(crate::observe::ready)),
        ("/metrics", get(crate::observe::scrape).layer(axum::Extension(config.metrics_from.clone()))),
        ("/lang/{locale}", get(lang::switch)),
        // The build's code and style, kept for a year under the build's stamp.
        ("/pkg/{*path}", get(crate::pkg::serve)),
        ("/files/{id}", get(crate::files::serve)),
        ("/files/hazard/{id}", get(crate::files::serve_hazard_photo)),
        ("/events", get(crate::events::stream).layer(axum::Extension(crate::events::OpenStreams::new(config.streams_per_user, config.session_absolute)))),
        // The command screen's own stream: the whole screen, then what changes.
        ("/center/screen/events", get(crate::wall::stream).layer(axum::Extension(crate::wall::Wall::new(config.session_absolute)))),
        ("/center/cases/export.csv", get(crate::export::csv)),
        ("/center/cases/export.xlsx", get(crate::export::xlsx)),
        ("/center/campaigns/{id}/export.xlsx", get(crate::suggest::export)),
        ("/center/supervision/export.xlsx", get(crate::export::supervision_xlsx)),
        ("/center/supervision/bulletins/{id}/export.xlsx", get(crate::export::bulletin_xlsx)),
        ("/center/evaluation/export.xlsx", get(crate::export::evaluation_xlsx)),
        ("/center/duty/export.xlsx", get(crate::export::duty_xlsx)),
        ("/center/hazards/export.xlsx", get(crate::export::hazards_xlsx)),
        // Public forms posted without JavaScript.
        ("/report", post(crate::posted::posted)),
        ("/track", post(crate::posted::posted)),
        ("/suggest", post(crate::posted::posted)),
        ("/suggest/track", post(crate::posted::posted)),
        ("/suggest/list", post(crate::posted::posted)),
    ];
    routes.extend(crate::api::routes());
    routes.extend(crate::open311::routes());
    routes
}

/// The site's options from the `LEPTOS_*` variables (cargo-leptos sets them in development;
/// the release's `run` script in production). A value that does not parse stops the start.
pub fn leptos_options() -> Result<LeptosOptions, String> {
    get_configuration(None).map(|c| c.leptos_options).map_err(|e| format!("a LEPTOS_* variable cannot be used (LEPTOS_SITE_ADDR is HOST:PORT): {e}"))
}

pub fn build(config: &Config, db: Db, effects: Effects, leptos_options: LeptosOptions) -> Router {
    build_with_routes(config, db, effects, leptos_options, route_list())
}

/// The app's routes. Listing them renders the app, so it gets a page gate like any page
/// (its effects ran after the listing was dropped, and panicked), on our executor.
pub fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    crate::executor::install();
    leptos_axum::generate_route_list_with_exclusions_and_ssg_and_context(App, None, crate::executor::open_page_gate).0
}

/// `build` with the app's routes listed beforehand. Listing runs the whole app with resource
/// loading switched off by a process-wide flag, so an async render whose resource first polls
/// meanwhile waits forever (leptos-rs/leptos#4773): a process that builds several routers
/// while serving (the tests) lists the routes once and passes them here.
pub fn build_with_routes(config: &Config, db: Db, effects: Effects, leptos_options: LeptosOptions, routes: Vec<leptos_axum::AxumRouteListing>) -> Router {
    crate::executor::install();
    let limiter = std::sync::Arc::new(app::service::limiter::Limiter::new(config.suggest_limits));
    effects.live.start_listening(&db);
    let state = AppState { db: db.clone(), leptos_options: leptos_options.clone(), effects, limiter };

    let sessions = SessionManagerLayer::new(DbSessionStore::new(db.clone()))
        .with_name("shezhi_sid")
        .with_same_site(SameSite::Lax)
        .with_http_only(true)
        .with_secure(config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(config.session_idle.as_secs() as i64)));
    let auth = AuthManagerLayerBuilder::new(Backend { db }, sessions).build();
    let guard_cfg = GuardConfig { session_absolute: config.session_absolute, session_idle: config.session_idle };

    // What every page's render starts with: its gate (see `executor`), then the app's state.
    let ctx_state = state.clone();
    let page_context = move || {
        crate::executor::open_page_gate();
        provide_context(ctx_state.clone());
        // The nonce `headers::security_headers` put in the page's policy, in place of the one
        // Leptos made for this render.
        if let Some(nonce) = with_context::<axum::http::request::Parts, _>(|p| p.extensions.get::<leptos::nonce::Nonce>().cloned()).flatten() {
            provide_context(nonce);
        }
    };
    let mut router = Router::new();
    for (path, handler) in hand_written(config) {
        router = router.route(path, handler);
    }
    router
        .leptos_routes_with_context(&state, routes, page_context.clone(), {
            let o = leptos_options.clone();
            move || shell(o.clone())
        })
        // After every route: it applies to the routes registered before it.
        .method_not_allowed_fallback(crate::errors::wrong_method)
        // The site's files, precompressed where the release build left `.br`/`.gz` copies; any
        // other address gets the app's 404 page. Not Leptos's file handler: it serves a file
        // inside a reactive owner made under whatever owner this worker thread last entered,
        // and hands that file the nearest response options it finds, a page's still rendering
        // on another task among them: the page's headers (its policy, its status) went out
        // with the file, and the page was sent without them.
        .fallback_service(
            tower_http::services::ServeDir::new(&*leptos_options.site_root)
                .precompressed_br()
                .precompressed_gzip()
                .call_fallback_on_method_not_allowed(true)
                .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(page_context, shell).with_state(state.clone())),
        )
        .layer(axum::middleware::from_fn(crate::render::render_to_the_end))
        .layer(axum::middleware::from_fn(crate::errors::error_status))
        .layer(axum::middleware::from_fn_with_state(crate::malformed::ServerFnBodies::of_app(), crate::malformed::refuse_malformed))
        .layer(axum::middleware::from_fn_with_state(crate::limits::BodyCaps::of_app(), crate::limits::cap_body))
        .layer(axum::middleware::from_fn_with_state(guard_cfg, guard))
        .layer(auth)
        .layer(axum::middleware::from_fn_with_state(crate::limits::InFlight::default(), crate::limits::public_in_flight))
        .layer(axum::middleware::from_fn_with_state(config.trusted_proxies.clone(), crate::client::client_address))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, crate::limits::REQUEST_TIMEOUT))
        .layer(axum::middleware::from_fn_with_state(HeaderConfig { https: config.secure_cookies }, security_headers))
        .layer(CompressionLayer::new())
        // Outermost, so the count, the time and the request id cover everything below.
        .layer(axum::middleware::from_fn(crate::observe::observe))
        .with_state(state)
}
