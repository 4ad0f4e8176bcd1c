//! Every page's address, in one table. Staff pages and the residents' forms are lazy: with
//! `cargo leptos build --split` each surface's pages are one wasm chunk (see `lazy_surface!`).
use crate::ui::admin::{AreasPage, AuditPage, CategoriesPage, ImportPage, UnitsPage, UsersPage};
use crate::ui::auth::{ChangePasswordPage, SignInPage};
use crate::ui::cases::detail::{CenterCasePage, FieldCasePage};
use crate::ui::cases::intake::{CenterIntakePage, FieldReportPage};
use crate::ui::cases::list::CaseListPage;
use crate::ui::center::{CenterHome, ScreenPage};
use crate::ui::duty::{DutyPage, FieldDutyPage};
use crate::ui::emergency::{EmergencyBoardPage, EmergencyCenterPage, FieldEmergencyListPage, FieldEmergencyPage};
use crate::ui::evaluation::{EvaluationDrillPage, EvaluationRankingPage, FieldDrillPage, FieldEvaluationPage};
use crate::ui::field::{FieldAreaPage, FieldBulletinPage, FieldBulletinsPage, FieldHome, FieldOverviewPage};
use crate::ui::hazards::{FieldHazardNewPage, FieldHazardPage, FieldHazardsPage, HazardNewPage, HazardPage, HazardRegisterPage};
use crate::ui::mediation::MediationRatePage;
use crate::ui::portal::{self, ReportPage, TrackPage};
use crate::ui::risk::{RiskListPage, RiskSettingsPage, RiskWarningPage};
use crate::ui::suggest::{CampaignQueuePage, CampaignsPage, SuggestListPage, SuggestPage, SuggestTrackPage, SuggestionReviewPage, UnitSuggestionsPage};
use crate::ui::supervision::{BulletinPage, BulletinsListPage, SupervisionListPage};
use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::{SsrMode, path};

#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=|| view! { <portal::NotFound /> }>
            <Route path=path!("/") view=portal::PortalHome ssr=SsrMode::Async />
            <Route path=path!("/signin") view=account::SignInRoute />
            <Route path=path!("/account/password") view=account::ChangePasswordRoute />
            <Route path=path!("/center") view=desk::CenterRoute />
            <Route path=path!("/center/screen") view=wall::ScreenRoute />
            <Route path=path!("/center/supervision") view=desk::SupervisionRoute />
            <Route path=path!("/center/supervision/bulletins") view=desk::BulletinsRoute />
            <Route path=path!("/center/supervision/bulletins/:id") view=desk::BulletinRoute />
            <Route path=path!("/center/evaluation") view=desk::EvaluationRoute />
            <Route path=path!("/center/evaluation/drill") view=desk::EvaluationDrillRoute />
            <Route path=path!("/center/risk") view=desk::RiskListRoute />
            <Route path=path!("/center/risk/:id") view=desk::RiskWarningRoute />
            <Route path=path!("/center/mediation") view=desk::MediationRateRoute />
            <Route path=path!("/center/duty") view=desk::DutyRoute />
            <Route path=path!("/center/emergency") view=desk::EmergencyBoardRoute />
            <Route path=path!("/center/emergency/:id") view=desk::EmergencyCenterRoute />
            <Route path=path!("/center/hazards") view=desk::HazardRegisterRoute />
            <Route path=path!("/center/hazards/new") view=desk::HazardNewRoute />
            <Route path=path!("/center/hazards/:id") view=desk::HazardRoute />
            <Route path=path!("/center/admin/risk") view=admin::RiskSettingsRoute />
            <Route path=path!("/center/admin/areas") view=admin::AreasRoute />
            <Route path=path!("/center/admin/units") view=admin::UnitsRoute />
            <Route path=path!("/center/admin/users") view=admin::UsersRoute />
            <Route path=path!("/center/admin/import") view=admin::ImportRoute />
            <Route path=path!("/center/admin/audit") view=admin::AuditRoute />
            <Route path=path!("/center/admin/categories") view=admin::CategoriesRoute />
            // The phone's pages come whole too: streamed, a page paints its loading lines first and
            // then moves under the reader's thumb as each part arrives (a slow line shows it most).
            <Route path=path!("/field") view=inbox::FieldRoute ssr=SsrMode::Async />
            <Route path=path!("/field/report") view=field::FieldReportRoute ssr=SsrMode::Async />
            <Route path=path!("/field/overview") view=field::FieldOverviewRoute ssr=SsrMode::Async />
            <Route path=path!("/field/area") view=field::FieldAreaRoute ssr=SsrMode::Async />
            <Route path=path!("/field/duty") view=field::FieldDutyRoute ssr=SsrMode::Async />
            <Route path=path!("/field/emergency") view=field::FieldEmergencyListRoute ssr=SsrMode::Async />
            <Route path=path!("/field/emergency/:id") view=field::FieldEmergencyRoute ssr=SsrMode::Async />
            <Route path=path!("/field/hazards") view=field::FieldHazardsRoute ssr=SsrMode::Async />
            <Route path=path!("/field/hazards/new") view=field::FieldHazardNewRoute ssr=SsrMode::Async />
            <Route path=path!("/field/hazards/:id") view=field::FieldHazardRoute ssr=SsrMode::Async />
            <Route path=path!("/field/bulletins") view=field::FieldBulletinsRoute ssr=SsrMode::Async />
            <Route path=path!("/field/bulletins/:id") view=field::FieldBulletinRoute ssr=SsrMode::Async />
            <Route path=path!("/field/evaluation") view=field::FieldEvaluationRoute ssr=SsrMode::Async />
            <Route path=path!("/field/evaluation/drill") view=field::FieldDrillRoute ssr=SsrMode::Async />
            <Route path=path!("/field/cases/:id") view=field::FieldCaseRoute ssr=SsrMode::Async />
            <Route path=path!("/center/cases") view=desk::CaseListRoute />
            <Route path=path!("/center/cases/new") view=desk::CenterIntakeRoute />
            <Route path=path!("/center/cases/:id") view=desk::CenterCaseRoute />
            // The public forms' pages come whole at once (no streamed fragments), so they read
            // the same without JavaScript, also as the answer to a plain POST (see `ui::forms`).
            <Route path=path!("/report") view=public::ReportRoute ssr=SsrMode::Async />
            <Route path=path!("/track") view=public::TrackRoute ssr=SsrMode::Async />
            <Route path=path!("/suggest") view=public::SuggestRoute ssr=SsrMode::Async />
            <Route path=path!("/suggest/track") view=public::SuggestTrackRoute ssr=SsrMode::Async />
            <Route path=path!("/suggest/list") view=public::SuggestListRoute ssr=SsrMode::Async />
            <Route path=path!("/center/campaigns") view=desk::CampaignsRoute />
            <Route path=path!("/center/campaigns/:id") view=desk::CampaignQueueRoute />
            <Route path=path!("/center/suggestions/:id") view=desk::SuggestionReviewRoute />
            <Route path=path!("/field/suggestions") view=field::UnitSuggestionsRoute ssr=SsrMode::Async />
        </Routes>
    }
}

/// The surface (a `lazy_surface!` below) whose code a page needs, by its path, so the page can
/// name that code's files before the app asks for them (`ui::boot`); none for the home page,
/// which is in the main bundle, and for addresses no route has.
pub fn surface_of(path: &str) -> Option<&'static str> {
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next()?, parts.next()) {
        ("report" | "track" | "suggest", _) => Some("public"),
        ("signin" | "account", _) => Some("account"),
        // The inbox, the page a phone opens most, comes alone; every other phone page is "field".
        ("field", None | Some("")) => Some("inbox"),
        ("field", _) => Some("field"),
        ("center", Some("screen")) => Some("wall"),
        ("center", Some("admin")) => Some("admin"),
        ("center", _) => Some("desk"),
        _ => None,
    }
}

/// Once the inbox is shown, the other phone pages' code is fetched in the background, so the
/// case or the report form a grid worker taps next opens at once, also where the signal is
/// lost on the way (the offline worker keeps that code as well). A second later, so the inbox's
/// own first calls go first on a slow line; once in the page's life.
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn fetch_field_pages_later(preload: fn() -> PreloadFuture) {
    #[cfg(feature = "hydrate")]
    {
        use std::sync::atomic::{AtomicBool, Ordering};
        static STARTED: AtomicBool = AtomicBool::new(false);
        if !STARTED.swap(true, Ordering::Relaxed) {
            set_timeout(
                move || {
                    leptos::task::spawn_local(async move {
                        preload().await;
                        crate::ui::live::offline::keep_field_pages();
                    })
                },
                std::time::Duration::from_secs(1),
            );
        }
    }
}

/// Declares a surface's lazily loaded pages: with `cargo leptos build --split` the code of all
/// of them is one wasm chunk (beside the chunks of code it shares with other surfaces), so a
/// phone fetches the field's pages in a few files instead of hundreds of small ones, and
/// residents on the portal never download staff code. `lazy_surface!(field { FieldRoute =>
/// FieldHome, .. })` makes the module `field` with a constant per route, routed as
/// `<Route path=.. view=field::FieldRoute />`. Every route has the same view type (`LazyPage`),
/// so the router's matching code is shared by all of them instead of being generated again for
/// each route in the main bundle. A surface is loaded whole: a new page goes where its readers are.
/// `lazy_surface!(inbox then field { .. })`: once a page of `inbox` is shown, `field`'s code is
/// fetched in the background.
macro_rules! lazy_surface {
    ($surface:ident then $next:ident { $($route:ident => $page:ident),+ $(,)? }) => {
        lazy_surface!(@ $surface, Some(super::$next::preload), { $($route => $page),+ });
    };
    ($surface:ident { $($route:ident => $page:ident),+ $(,)? }) => {
        lazy_surface!(@ $surface, None, { $($route => $page),+ });
    };
    (@ $surface:ident, $then:expr, { $($route:ident => $page:ident),+ }) => {
        pub mod $surface {
            use super::*;

            /// The code fetched in the background once a page of this surface is shown.
            const THEN: Option<fn() -> crate::ui::routes::PreloadFuture> = $then;

            #[derive(Clone, Copy)]
            #[allow(non_camel_case_types, clippy::enum_variant_names)]
            pub enum Page {
                $($route),+
            }

            // One split point per surface: the pages' code is reached only through it.
            #[::leptos::lazy($surface)]
            fn surface(page: Page) -> AnyView {
                match page {
                    $(Page::$route => view! { <$page /> }.into_any()),+
                }
            }

            // Loads the chunk; the router awaits it before hydrating the page, so the page
            // hydrates the server's HTML instead of rendering a second copy.
            pub fn preload() -> crate::ui::routes::PreloadFuture {
                #[cfg(feature = "hydrate")]
                return ::std::boxed::Box::pin(__preload_surface());
                #[cfg(not(feature = "hydrate"))]
                return ::std::boxed::Box::pin(async {});
            }

            $(
                #[allow(non_upper_case_globals)]
                pub const $route: crate::ui::routes::LazyPage = {
                    fn start() -> crate::ui::routes::PageFuture {
                        ::std::boxed::Box::pin(async {
                            let view = surface(Page::$route).await;
                            if let Some(then) = THEN {
                                crate::ui::routes::fetch_field_pages_later(then);
                            }
                            view
                        })
                    }
                    crate::ui::routes::LazyPage { view: start, preload }
                };
            )+
        }
    };
}

// The residents' pages other than the home page.
lazy_surface!(public {
    ReportRoute => ReportPage,
    TrackRoute => TrackPage,
    SuggestRoute => SuggestPage,
    SuggestTrackRoute => SuggestTrackPage,
    SuggestListRoute => SuggestListPage,
});

// Signing in and the password, for staff of every surface.
lazy_surface!(account {
    SignInRoute => SignInPage,
    ChangePasswordRoute => ChangePasswordPage,
});

// The phone's inbox on its own: the page a grid worker opens many times a day, on the
// slowest line, waits only for its own code (the other phone pages' code follows once it is
// shown, see `fetch_field_pages_later`).
lazy_surface!(inbox then field {
    FieldRoute => FieldHome,
});

// The phone's other pages: cadres, department staff and grid workers.
lazy_surface!(field {
    FieldReportRoute => FieldReportPage,
    FieldOverviewRoute => FieldOverviewPage,
    FieldAreaRoute => FieldAreaPage,
    FieldDutyRoute => FieldDutyPage,
    FieldEmergencyListRoute => FieldEmergencyListPage,
    FieldEmergencyRoute => FieldEmergencyPage,
    FieldHazardsRoute => FieldHazardsPage,
    FieldHazardNewRoute => FieldHazardNewPage,
    FieldHazardRoute => FieldHazardPage,
    FieldBulletinsRoute => FieldBulletinsPage,
    FieldBulletinRoute => FieldBulletinPage,
    FieldEvaluationRoute => FieldEvaluationPage,
    FieldDrillRoute => FieldDrillPage,
    FieldCaseRoute => FieldCasePage,
    UnitSuggestionsRoute => UnitSuggestionsPage,
});

// The center's desks.
lazy_surface!(desk {
    CenterRoute => CenterHome,
    SupervisionRoute => SupervisionListPage,
    BulletinsRoute => BulletinsListPage,
    BulletinRoute => BulletinPage,
    EvaluationRoute => EvaluationRankingPage,
    EvaluationDrillRoute => EvaluationDrillPage,
    RiskListRoute => RiskListPage,
    RiskWarningRoute => RiskWarningPage,
    MediationRateRoute => MediationRatePage,
    DutyRoute => DutyPage,
    EmergencyBoardRoute => EmergencyBoardPage,
    EmergencyCenterRoute => EmergencyCenterPage,
    HazardRegisterRoute => HazardRegisterPage,
    HazardNewRoute => HazardNewPage,
    HazardRoute => HazardPage,
    CaseListRoute => CaseListPage,
    CenterIntakeRoute => CenterIntakePage,
    CenterCaseRoute => CenterCasePage,
    CampaignsRoute => CampaignsPage,
    CampaignQueueRoute => CampaignQueuePage,
    SuggestionReviewRoute => SuggestionReviewPage,
});

// The wall: its map and live tiles are code no desk page needs.
lazy_surface!(wall {
    ScreenRoute => ScreenPage,
});

// The administrator's pages.
lazy_surface!(admin {
    RiskSettingsRoute => RiskSettingsPage,
    AreasRoute => AreasPage,
    UnitsRoute => UnitsPage,
    UsersRoute => UsersPage,
    ImportRoute => ImportPage,
    AuditRoute => AuditPage,
    CategoriesRoute => CategoriesPage,
});

/// The future of a lazily loaded page's view.
pub type PageFuture = std::pin::Pin<Box<dyn std::future::Future<Output = AnyView>>>;
/// The future that loads a lazily loaded page's code.
pub type PreloadFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

/// A lazily loaded page (made by `lazy_surface!`): loads its wasm chunk and renders it. One
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

#[cfg(test)]
mod tests {
    use super::surface_of;

    #[test]
    fn a_page_names_the_surface_its_route_is_on() {
        for (path, surface) in [
            ("/", None),
            ("/nowhere", None),
            ("/report", Some("public")),
            ("/suggest/track", Some("public")),
            ("/signin", Some("account")),
            ("/account/password", Some("account")),
            ("/field", Some("inbox")),
            ("/field/", Some("inbox")),
            ("/field/report", Some("field")),
            ("/field/cases/12", Some("field")),
            ("/field/suggestions", Some("field")),
            ("/center", Some("desk")),
            ("/center/cases/new", Some("desk")),
            ("/center/screen", Some("wall")),
            ("/center/admin/risk", Some("admin")),
            ("/center/administrator", Some("desk")),
        ] {
            assert_eq!(surface_of(path), surface, "{path}");
        }
    }
}
