//! Administration of the organisation: areas, units, staff, roster import, audit trail.
mod areas;
mod audit;
mod import;
mod units;
mod users;

pub use areas::AreasPage;
pub use audit::AuditPage;
pub use import::ImportPage;
#[cfg(feature = "ssr")]
pub(crate) use import::ImportRoster;
pub use units::UnitsPage;
pub use users::UsersPage;

use crate::ui::cases::detail::{CenterCasePage, FieldCasePage};
use crate::ui::cases::intake::{CenterIntakePage, FieldReportPage};
use crate::ui::cases::list::CaseListPage;
use crate::ui::center::CenterHome;
use crate::ui::portal::{ReportPage, TrackPage};
use crate::ui::field::FieldHome;

/// Declares a lazily loaded page (the center and field homes too): with `cargo leptos build
/// --split` its code lives in its own wasm chunk, so residents on the portal never download
/// it. `lazy_page!(FooRoute => FooPage)` makes the constant `FooRoute`, used as
/// `<Route path=.. view=module::FooRoute />`. Every such route has the same view type
/// (`LazyPage`), so the router's matching code is shared by all of them instead of being
/// generated again for each route in the main bundle.
macro_rules! lazy_page {
    ($route:ident => $page:ident) => {
        #[allow(non_upper_case_globals)]
        pub const $route: crate::ui::shell::LazyPage = {
            #[::leptos::lazy($route)]
            fn page() -> ::leptos::prelude::AnyView {
                use ::leptos::prelude::*;
                view! { <$page /> }.into_any()
            }
            fn start() -> crate::ui::shell::PageFuture {
                ::std::boxed::Box::pin(page())
            }
            // Loads the chunk; the router awaits it before hydrating the page, so the page
            // hydrates the server's HTML instead of rendering a second copy.
            fn preload() -> crate::ui::shell::PreloadFuture {
                #[cfg(feature = "hydrate")]
                return ::std::boxed::Box::pin(__preload_page());
                #[cfg(not(feature = "hydrate"))]
                return ::std::boxed::Box::pin(async {});
            }
            crate::ui::shell::LazyPage { view: start, preload }
        };
    };
}

lazy_page!(CenterRoute => CenterHome);
lazy_page!(FieldRoute => FieldHome);
lazy_page!(AreasRoute => AreasPage);
lazy_page!(UnitsRoute => UnitsPage);
lazy_page!(UsersRoute => UsersPage);
lazy_page!(ImportRoute => ImportPage);
lazy_page!(AuditRoute => AuditPage);
lazy_page!(CaseListRoute => CaseListPage);
lazy_page!(CenterIntakeRoute => CenterIntakePage);
lazy_page!(CenterCaseRoute => CenterCasePage);
lazy_page!(FieldCaseRoute => FieldCasePage);
lazy_page!(FieldReportRoute => FieldReportPage);
lazy_page!(ReportRoute => ReportPage);
lazy_page!(TrackRoute => TrackPage);

#[cfg(feature = "ssr")]
use crate::error::AppError;

/// A select's value: empty means none, anything else must be an id.
#[cfg(feature = "ssr")]
pub(crate) fn parse_optional_id(raw: &str) -> Result<Option<i64>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() { Ok(None) } else { raw.parse().map(Some).map_err(|_| AppError::NotFound) }
}
