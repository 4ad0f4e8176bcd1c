//! The build's files (`/pkg`): pages name them under the stamp of the build
//! (`app::ui::pkg`), and under the current stamp they are sent to be kept for a year. Without
//! a stamp, or under another release's, they get every static file's `no-cache` (`headers`),
//! so no browser keeps one build's code beside another's pages.
use app::server_ctx::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// A year: the stamp changes whenever a file does.
const KEEP: &str = "public, max-age=31536000, immutable";

pub async fn serve(State(state): State<AppState>, mut req: Request) -> Response {
    let options = &state.leptos_options;
    let pkg = format!("/{}", options.site_pkg_dir);
    let (file, stamp) = app::ui::pkg::unstamped(&pkg, req.uri().path());
    let keep = stamp.is_some_and(|s| *app::ui::pkg::current_stamp(&app::ui::pkg::dir(options)) == *s);
    if stamp.is_some() {
        let Ok(uri) = file.parse::<Uri>() else { return axum::http::StatusCode::NOT_FOUND.into_response() };
        *req.uri_mut() = uri;
    }
    let files = ServeDir::new(&*options.site_root).precompressed_br().precompressed_gzip();
    let mut res = match files.oneshot(req).await {
        Ok(res) => res.into_response(),
        Err(never) => match never {},
    };
    if keep && (res.status().is_success() || res.status() == axum::http::StatusCode::NOT_MODIFIED) {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(KEEP));
    }
    res
}
