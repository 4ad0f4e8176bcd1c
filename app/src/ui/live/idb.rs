//! The phone's outbox on disk: one IndexedDB store of submissions keyed by their command key.
//! Written by hand on web-sys: the four calls needed here (open, put, read all, delete) do not
//! justify a wrapper crate and its async runtime in the phone's bundle.
use leptos::wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::{Function, Promise};
use web_sys::{IdbDatabase, IdbObjectStoreParameters, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB: &str = "shezhi-field";
const STORE: &str = "outbox";

/// Resolves with the request's result once it succeeds. The handlers are set at once (not
/// when first polled), so no event can pass before they listen.
fn request(req: &IdbRequest) -> JsFuture {
    let req2 = req.clone();
    let p = Promise::new(&mut |resolve: Function, reject: Function| {
        let r = req2.clone();
        let ok = leptos::wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let err = leptos::wasm_bindgen::closure::Closure::once_into_js(move |e: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        req2.set_onsuccess(Some(ok.unchecked_ref()));
        req2.set_onerror(Some(err.unchecked_ref()));
    });
    JsFuture::from(p)
}

/// Resolves when the transaction is committed: only then is a kept report on disk.
fn committed(tx: &IdbTransaction) -> JsFuture {
    let tx2 = tx.clone();
    let p = Promise::new(&mut |resolve: Function, reject: Function| {
        let ok = leptos::wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let err = leptos::wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        tx2.set_oncomplete(Some(ok.unchecked_ref()));
        tx2.set_onerror(Some(err.unchecked_ref()));
        tx2.set_onabort(Some(err.unchecked_ref()));
    });
    JsFuture::from(p)
}

async fn open() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window().ok_or(JsValue::NULL)?.indexed_db()?.ok_or(JsValue::NULL)?;
    let req = factory.open_with_u32(DB, 1)?;
    let upgrading = req.clone();
    let on_upgrade = leptos::wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Ok(db) = upgrading.result().and_then(|d| d.dyn_into::<IdbDatabase>().map_err(JsValue::from)) {
            let params = IdbObjectStoreParameters::new();
            params.set_key_path(&JsValue::from_str("key"));
            let _ = db.create_object_store_with_optional_parameters(STORE, &params);
        }
    });
    req.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    Ok(request(&req).await?.unchecked_into())
}

async fn in_store(mode: IdbTransactionMode, work: impl FnOnce(&web_sys::IdbObjectStore) -> Result<IdbRequest, JsValue>) -> Result<JsValue, JsValue> {
    let db = open().await?;
    let tx = db.transaction_with_str_and_mode(STORE, mode)?;
    let done = committed(&tx);
    let value = request(&work(&tx.object_store(STORE)?)?).await?;
    done.await?;
    db.close();
    Ok(value)
}

/// Stores (or replaces) one entry, an object with a `key` field.
pub async fn put(entry: &JsValue) -> Result<(), JsValue> {
    in_store(IdbTransactionMode::Readwrite, |s| s.put(entry)).await.map(|_| ())
}

/// Every entry, in key order.
pub async fn all() -> Result<Vec<JsValue>, JsValue> {
    let v = in_store(IdbTransactionMode::Readonly, |s| s.get_all()).await?;
    Ok(v.dyn_into::<web_sys::js_sys::Array>().map(|a| a.to_vec()).unwrap_or_default())
}

pub async fn delete(key: &str) -> Result<(), JsValue> {
    in_store(IdbTransactionMode::Readwrite, |s| s.delete(&JsValue::from_str(key))).await.map(|_| ())
}
