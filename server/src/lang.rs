//! Language switch that works without JavaScript, and localised texts for pages the
//! server answers itself (403), read from the same locale files as the app.
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::sync::OnceLock;

pub const COOKIE: &str = "i18n_pref_locale";

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

pub async fn switch(Path(locale): Path<String>, Query(q): Query<Next>) -> Response {
    if locale != "zh" && locale != "en" {
        return StatusCode::NOT_FOUND.into_response();
    }
    let next = q.next.as_deref().and_then(app::domain::access::same_site_path).unwrap_or("/");
    let cookie = format!("{COOKIE}={locale}; Path=/; Max-Age=31536000; SameSite=Lax");
    let mut resp = Redirect::to(next).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

/// The reader's locale from the cookie; Chinese unless English was chosen.
pub fn locale_of(headers: &HeaderMap) -> &'static str {
    let english = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|c| c.split(';'))
        .any(|c| c.trim().strip_prefix(COOKIE).and_then(|v| v.strip_prefix('=')) == Some("en"));
    if english { "en" } else { "zh" }
}

fn texts(locale: &str) -> &'static serde_json::Value {
    static ZH: OnceLock<serde_json::Value> = OnceLock::new();
    static EN: OnceLock<serde_json::Value> = OnceLock::new();
    if locale == "en" {
        EN.get_or_init(|| serde_json::from_str(include_str!("../../locales/en.json")).expect("en.json is valid"))
    } else {
        ZH.get_or_init(|| serde_json::from_str(include_str!("../../locales/zh.json")).expect("zh.json is valid"))
    }
}

/// A dotted key such as `forbidden.title`.
pub fn text(locale: &str, key: &str) -> String {
    let mut v = texts(locale);
    for part in key.split('.') {
        v = &v[part];
    }
    v.as_str().unwrap_or(key).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::case::{CaseKind, CaseStatus};

    /// `text` gives the key back when a locale lacks it, which a reader would see as is: every
    /// key the server's own pages and Open311 answers look up is in both locales.
    #[test]
    fn every_key_the_server_reads_is_in_both_locales() {
        let mut keys: Vec<String> =
            ["open311.contact", "open311.key_service", "open311.area_hint", "open311.area", "common.back_home"].into_iter().map(String::from).collect();
        keys.extend(["forbidden", "not_found"].iter().flat_map(|k| [format!("{k}.title"), format!("{k}.text")]));
        keys.extend(CaseStatus::ALL.iter().map(|s| format!("case_status.{}", s.code())));
        keys.extend(CaseKind::ALL.iter().map(|k| format!("case_kind.{}", k.code())));
        for locale in ["zh", "en"] {
            for key in &keys {
                assert_ne!(text(locale, key), *key, "{locale} has no text for {key}");
            }
        }
    }
}
