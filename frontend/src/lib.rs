//! The browser entry point: hydrate the server-rendered app. `hydrate_lazy`, because a
//! page opened directly on a lazy route (--split) must wait for its chunk to hydrate.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
