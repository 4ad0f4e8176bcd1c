//! How a page's code starts: only once the server's HTML has painted.
//!
//! Leptos's `HydrationScripts` (and the lazy routes' chunk hints it turns on) ask for the
//! module, the main wasm and the surface's chunks from the page's `<head>`. On a slow phone
//! those downloads share the line with the stylesheet the first paint waits for, and
//! Lighthouse counts every request that began before the largest text was painted as on the
//! way to it: 250 to 900 KiB of wasm in a portal page's "largest contentful paint", which
//! the reader in fact sees from the server's HTML. Here the same hints sit in an inert
//! `<template>` (the service worker still reads their addresses from the page) and a small
//! script moves them into the head and starts the app right after the first frame.
use leptos::prelude::*;

/// The element whose hints the start script moves into the head.
const TEMPLATE_ID: &str = "shezhi-boot";

/// Starts the app after the first paint: in a hidden tab there is no paint to wait for.
/// A first `requestAnimationFrame` runs just before the first frame, a second one before the
/// next, so the first has been drawn by then.
const START: &str = r#"(function (boot, js, wasm) {
	const start = () => {
		const hints = document.getElementById(boot);
		if (hints) document.head.append(hints.content.cloneNode(true));
		import(js).then((mod) => mod.default({ module_or_path: wasm }).then(() => mod.hydrate()));
	};
	if (document.visibilityState === "hidden") start();
	else requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(start, 0)));
})"#;

/// The page's start: in `<head>`, where `HydrationScripts` would be.
#[component]
pub fn BootScripts(options: LeptosOptions) -> impl IntoView {
    let pkg = crate::ui::pkg::base(&options);
    let js = format!("{pkg}/{}.js", options.output_name);
    // cargo-leptos names the wasm after the output, unless it was built without it.
    let wasm_name = if option_env!("LEPTOS_OUTPUT_NAME").is_some() { options.output_name.to_string() } else { format!("{}_bg", options.output_name) };
    let wasm = format!("{pkg}/{wasm_name}.wasm");
    let chunks = page_chunks(&options);
    let nonce = leptos::nonce::use_nonce();
    let script = format!("{START}({TEMPLATE_ID:?}, {js:?}, {wasm:?});");
    let split_js = (!chunks.is_empty()).then(|| format!("{pkg}/__wasm_split.______________________.js"));
    view! {
        <template id=TEMPLATE_ID>
            <link rel="modulepreload" href=js />
            <WasmHint href=wasm />
            {split_js.map(|href| view! { <link rel="modulepreload" href=href /> })}
            {chunks.iter().map(|c| view! { <WasmHint href=format!("{pkg}/{c}.wasm") /> }).collect_view()}
        </template>
        <script type="module" nonce=nonce>
            {script}
        </script>
    }
}

/// A hint for a wasm file, matching the request wasm-bindgen and the chunk loader make
/// (`fetch`, same-origin credentials), so the download it starts is the one they use.
#[component]
fn WasmHint(href: String) -> impl IntoView {
    view! { <link rel="preload" href=href r#as="fetch" r#type="application/wasm" crossorigin="anonymous" /> }
}

/// The wasm chunks of the surface the requested page is on (`cargo leptos build --split`),
/// from the manifest the build writes; none without one (a build without `--split`).
#[cfg(feature = "ssr")]
fn page_chunks(options: &LeptosOptions) -> &'static [String] {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    // By surface: the manifest's keys are the split points' names, the surface's then a hash.
    static BY_SURFACE: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    let by_surface = BY_SURFACE.get_or_init(|| {
        let path = crate::ui::pkg::dir(options).join("__wasm_split_manifest.json");
        let manifest: HashMap<String, Vec<String>> = std::fs::read_to_string(path).ok().and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default();
        manifest.into_iter().filter_map(|(key, chunks)| key.rsplit_once('_').map(|(surface, _)| (surface.to_string(), chunks))).collect()
    });
    with_context::<axum::http::request::Parts, _>(|p| crate::ui::routes::surface_of(p.uri.path()))
        .flatten()
        .and_then(|surface| by_surface.get(surface))
        .map_or(&[], Vec::as_slice)
}

#[cfg(not(feature = "ssr"))]
fn page_chunks(_: &LeptosOptions) -> &'static [String] {
    &[]
}
