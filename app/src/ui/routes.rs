//! Every page's address, in one table. Staff pages are lazy: with `cargo leptos build --split`
//! each one's code is its own wasm chunk, so residents on the portal never download them.
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
            <Route path=path!("/signin") view=SignInRoute />
            <Route path=path!("/account/password") view=ChangePasswordRoute />
            <Route path=path!("/center") view=CenterRoute />
            <Route path=path!("/center/screen") view=ScreenRoute />
            <Route path=path!("/center/supervision") view=SupervisionRoute />
            <Route path=path!("/center/supervision/bulletins") view=BulletinsRoute />
            <Route path=path!("/center/supervision/bulletins/:id") view=BulletinRoute />
            <Route path=path!("/center/evaluation") view=EvaluationRoute />
            <Route path=path!("/center/evaluation/drill") view=EvaluationDrillRoute />
            <Route path=path!("/center/risk") view=RiskListRoute />
            <Route path=path!("/center/risk/:id") view=RiskWarningRoute />
            <Route path=path!("/center/mediation") view=MediationRateRoute />
            <Route path=path!("/center/duty") view=DutyRoute />
            <Route path=path!("/center/emergency") view=EmergencyBoardRoute />
            <Route path=path!("/center/emergency/:id") view=EmergencyCenterRoute />
            <Route path=path!("/center/hazards") view=HazardRegisterRoute />
            <Route path=path!("/center/hazards/new") view=HazardNewRoute />
            <Route path=path!("/center/hazards/:id") view=HazardRoute />
            <Route path=path!("/center/admin/risk") view=RiskSettingsRoute />
            <Route path=path!("/center/admin/areas") view=AreasRoute />
            <Route path=path!("/center/admin/units") view=UnitsRoute />
            <Route path=path!("/center/admin/users") view=UsersRoute />
            <Route path=path!("/center/admin/import") view=ImportRoute />
            <Route path=path!("/center/admin/audit") view=AuditRoute />
            <Route path=path!("/center/admin/categories") view=CategoriesRoute />
            <Route path=path!("/field") view=FieldRoute />
            <Route path=path!("/field/report") view=FieldReportRoute />
            <Route path=path!("/field/overview") view=FieldOverviewRoute />
            <Route path=path!("/field/area") view=FieldAreaRoute />
            <Route path=path!("/field/duty") view=FieldDutyRoute />
            <Route path=path!("/field/emergency") view=FieldEmergencyListRoute />
            <Route path=path!("/field/emergency/:id") view=FieldEmergencyRoute />
            <Route path=path!("/field/hazards") view=FieldHazardsRoute />
            <Route path=path!("/field/hazards/new") view=FieldHazardNewRoute />
            <Route path=path!("/field/hazards/:id") view=FieldHazardRoute />
            <Route path=path!("/field/bulletins") view=FieldBulletinsRoute />
            <Route path=path!("/field/bulletins/:id") view=FieldBulletinRoute />
            <Route path=path!("/field/evaluation") view=FieldEvaluationRoute />
            <Route path=path!("/field/evaluation/drill") view=FieldDrillRoute />
            <Route path=path!("/field/cases/:id") view=FieldCaseRoute />
            <Route path=path!("/center/cases") view=CaseListRoute />
            <Route path=path!("/center/cases/new") view=CenterIntakeRoute />
            <Route path=path!("/center/cases/:id") view=CenterCaseRoute />
            // The public forms' pages come whole at once (no streamed fragments), so they read
            // the same without JavaScript, also as the answer to a plain POST (see `ui::forms`).
            <Route path=path!("/report") view=ReportRoute ssr=SsrMode::Async />
            <Route path=path!("/track") view=TrackRoute ssr=SsrMode::Async />
            <Route path=path!("/suggest") view=SuggestRoute ssr=SsrMode::Async />
            <Route path=path!("/suggest/track") view=SuggestTrackRoute ssr=SsrMode::Async />
            <Route path=path!("/suggest/list") view=SuggestListRoute ssr=SsrMode::Async />
            <Route path=path!("/center/campaigns") view=CampaignsRoute />
            <Route path=path!("/center/campaigns/:id") view=CampaignQueueRoute />
            <Route path=path!("/center/suggestions/:id") view=SuggestionReviewRoute />
            <Route path=path!("/field/suggestions") view=UnitSuggestionsRoute />
        </Routes>
    }
}

/// Declares a lazily loaded page (the center and field homes too): with `cargo leptos build
/// --split` its code lives in its own wasm chunk, so residents on the portal never download
/// it. `lazy_page!(FooRoute => FooPage)` makes the constant `FooRoute`, used as
/// `<Route path=.. view=module::FooRoute />`. Every such route has the same view type
/// (`LazyPage`), so the router's matching code is shared by all of them instead of being
/// generated again for each route in the main bundle.
macro_rules! lazy_page {
    ($route:ident => $page:ident) => {
        #[allow(non_upper_case_globals)]
        pub const $route: crate::ui::routes::LazyPage = {
            #[::leptos::lazy($route)]
            fn page() -> ::leptos::prelude::AnyView {
                use ::leptos::prelude::*;
                view! { <$page /> }.into_any()
            }
            fn start() -> crate::ui::routes::PageFuture {
                ::std::boxed::Box::pin(page())
            }
            // Loads the chunk; the router awaits it before hydrating the page, so the page
            // hydrates the server's HTML instead of rendering a second copy.
            fn preload() -> crate::ui::routes::PreloadFuture {
                #[cfg(feature = "hydrate")]
                return ::std::boxed::Box::pin(__preload_page());
                #[cfg(not(feature = "hydrate"))]
                return ::std::boxed::Box::pin(async {});
            }
            crate::ui::routes::LazyPage { view: start, preload }
        };
    };
}

lazy_page!(CenterRoute => CenterHome);
lazy_page!(ScreenRoute => ScreenPage);
lazy_page!(SupervisionRoute => SupervisionListPage);
lazy_page!(BulletinsRoute => BulletinsListPage);
lazy_page!(BulletinRoute => BulletinPage);
lazy_page!(FieldAreaRoute => FieldAreaPage);
lazy_page!(FieldBulletinsRoute => FieldBulletinsPage);
lazy_page!(FieldBulletinRoute => FieldBulletinPage);
lazy_page!(EvaluationRoute => EvaluationRankingPage);
lazy_page!(EvaluationDrillRoute => EvaluationDrillPage);
lazy_page!(FieldEvaluationRoute => FieldEvaluationPage);
lazy_page!(FieldDrillRoute => FieldDrillPage);
lazy_page!(RiskListRoute => RiskListPage);
lazy_page!(RiskWarningRoute => RiskWarningPage);
lazy_page!(MediationRateRoute => MediationRatePage);
lazy_page!(DutyRoute => DutyPage);
lazy_page!(FieldDutyRoute => FieldDutyPage);
lazy_page!(EmergencyBoardRoute => EmergencyBoardPage);
lazy_page!(EmergencyCenterRoute => EmergencyCenterPage);
lazy_page!(FieldEmergencyListRoute => FieldEmergencyListPage);
lazy_page!(FieldEmergencyRoute => FieldEmergencyPage);
lazy_page!(HazardRegisterRoute => HazardRegisterPage);
lazy_page!(HazardNewRoute => HazardNewPage);
lazy_page!(HazardRoute => HazardPage);
lazy_page!(FieldHazardsRoute => FieldHazardsPage);
lazy_page!(FieldHazardNewRoute => FieldHazardNewPage);
lazy_page!(FieldHazardRoute => FieldHazardPage);
lazy_page!(RiskSettingsRoute => RiskSettingsPage);
lazy_page!(FieldRoute => FieldHome);
lazy_page!(FieldOverviewRoute => FieldOverviewPage);
lazy_page!(AreasRoute => AreasPage);
lazy_page!(UnitsRoute => UnitsPage);
lazy_page!(UsersRoute => UsersPage);
lazy_page!(ImportRoute => ImportPage);
lazy_page!(AuditRoute => AuditPage);
lazy_page!(CategoriesRoute => CategoriesPage);
lazy_page!(CaseListRoute => CaseListPage);
lazy_page!(CenterIntakeRoute => CenterIntakePage);
lazy_page!(CenterCaseRoute => CenterCasePage);
lazy_page!(FieldCaseRoute => FieldCasePage);
lazy_page!(FieldReportRoute => FieldReportPage);
lazy_page!(ReportRoute => ReportPage);
lazy_page!(TrackRoute => TrackPage);
lazy_page!(SignInRoute => SignInPage);
lazy_page!(ChangePasswordRoute => ChangePasswordPage);
lazy_page!(SuggestRoute => SuggestPage);
lazy_page!(SuggestTrackRoute => SuggestTrackPage);
lazy_page!(SuggestListRoute => SuggestListPage);
lazy_page!(CampaignsRoute => CampaignsPage);
lazy_page!(CampaignQueueRoute => CampaignQueuePage);
lazy_page!(SuggestionReviewRoute => SuggestionReviewPage);
lazy_page!(UnitSuggestionsRoute => UnitSuggestionsPage);

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
