//! Forms, one idiom for all: every public form is a plain POST to its own page (`method=post`,
//! never GET: a tracking secret must not end up in an address), answered by the server with
//! the page rendered around the outcome, so it works without JavaScript; once the page is
//! hydrated, the same submit goes to the same server function and the page updates in place.
//! Forms with files send the browser's `FormData` to a multipart server function.
use leptos::prelude::*;
use leptos::server_fn::codec::MultipartData;

/// Browser form data is not `Send`; actions built on it run only in the browser.
#[derive(Clone)]
pub struct Form(#[cfg(feature = "hydrate")] leptos::web_sys::FormData);

/// Where a page keeps values that hold browser form data: bound to the browser's one
/// thread there, ordinary shared storage on the server. A thread-bound value made while
/// the server renders lives in the page's owner, and the owner is dropped by whichever
/// runtime worker sends the last byte of the streamed page: a different thread panics
/// ("Dropped SendWrapper<T> variable from a thread different…") and cuts the page off.
#[cfg(feature = "hydrate")]
pub type FormStorage = LocalStorage;
#[cfg(not(feature = "hydrate"))]
pub type FormStorage = SyncStorage;

/// An action that sends a browser form. In the browser it may hold `FormData` and the
/// browser's non-`Send` request; on the server, where it is rendered but never
/// dispatched, it is an ordinary action (see `FormStorage` for why it must be).
#[cfg(feature = "hydrate")]
pub fn form_action<O, Fu>(send: impl Fn(&Form) -> Fu + 'static) -> Action<Form, O>
where
    O: 'static,
    Fu: std::future::Future<Output = O> + 'static,
{
    Action::new_local(send)
}

#[cfg(not(feature = "hydrate"))]
pub fn form_action<O, Fu>(send: impl Fn(&Form) -> Fu + Send + Sync + 'static) -> Action<Form, O>
where
    O: Send + Sync + 'static,
    Fu: std::future::Future<Output = O> + Send + 'static,
{
    Action::new(send)
}

impl Form {
    #[cfg(feature = "hydrate")]
    pub fn new(form: &leptos::web_sys::HtmlFormElement) -> Self {
        Form(leptos::web_sys::FormData::new_with_form(form).expect("a form element always yields form data"))
    }

    /// The form behind a submit event, or None when the event has no form target.
    pub fn from_submit(ev: &leptos::ev::SubmitEvent) -> Option<Self> {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok()).map(|f| Form::new(&f))
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = ev;
            None
        }
    }

    /// A text field's value ("" when missing).
    pub fn text(&self, name: &str) -> String {
        #[cfg(feature = "hydrate")]
        {
            self.0.get(name).as_string().unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = name;
            String::new()
        }
    }

    /// Sets a field (one value), as a hidden input would.
    pub fn set(&self, name: &str, value: &str) {
        #[cfg(feature = "hydrate")]
        {
            let _ = self.0.set_with_str(name, value);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (name, value);
    }

    /// The browser's form data itself.
    #[cfg(feature = "hydrate")]
    pub fn raw(&self) -> &leptos::web_sys::FormData {
        &self.0
    }

    pub fn to_multipart(&self) -> MultipartData {
        #[cfg(feature = "hydrate")]
        {
            self.0.clone().into()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            unreachable!("file forms are dispatched only in the browser")
        }
    }
}

/// A form of one step on a record, sent by `act` (a multipart server function) once hydrated;
/// `done` runs when the step was taken, and a refusal shows under the button.
#[component]
pub fn StepForm(
    act: Action<Form, Result<(), crate::error::AppError>>,
    class: &'static str,
    submit: String,
    testid: &'static str,
    done: Callback<()>,
    children: Children,
) -> impl IntoView {
    Effect::new(move |_| {
        if let Some(Ok(())) = act.value().get() {
            done.run(());
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(f) = Form::from_submit(&ev) {
            act.dispatch_local(f);
        }
    };
    view! {
        <form class=class on:submit=on_submit data-testid=testid>
            {children()}
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || act.pending().get()>
                    {submit}
                </button>
            </div>
            {move || act.value().get().and_then(|r| r.err()).map(|e| view! { <crate::ui::errors::ErrorAlert error=e /> })}
        </form>
    }
}

/// The text fields and files of a multipart request.
#[cfg(feature = "ssr")]
pub struct FormParts {
    pub fields: Vec<(String, String)>,
    pub files: Vec<crate::service::attachments::Upload>,
}

#[cfg(feature = "ssr")]
impl FormParts {
    pub fn get(&self, name: &str) -> &str {
        field(&self.fields, name)
    }

    pub fn all(&self, name: &str) -> impl Iterator<Item = &str> + '_ {
        let name = name.to_string();
        self.fields.iter().filter(move |(k, _)| *k == name).map(|(_, v)| v.as_str())
    }
}

/// Fields of one multipart form, files included: ours have about a dozen.
pub const MAX_FORM_FIELDS: usize = 64;

/// Reads a multipart body. Parts with a file name are uploads (an empty one, which a
/// browser sends for a file input left blank, is skipped); the rest are text fields. Each
/// part is measured as it arrives, so an oversized one is refused at its limit, not after
/// it has been read whole.
#[cfg(feature = "ssr")]
pub async fn read_form(data: MultipartData) -> Result<FormParts, crate::error::AppError> {
    let mut data = data.into_inner().ok_or(crate::error::AppError::BadFile("no_data".into()))?;
    let read = read_parts(&mut data).await;
    if read.is_err() {
        // Read what is left of a refused form (the route's body cap bounds it) before
        // answering: a server that answers and closes while the sender is still writing makes
        // the browser report a broken connection instead of the refusal's reason.
        while let Ok(Some(mut field)) = data.next_field().await {
            while let Ok(Some(_)) = field.chunk().await {}
        }
    }
    read
}

#[cfg(feature = "ssr")]
async fn read_parts(data: &mut multer::Multipart<'static>) -> Result<FormParts, crate::error::AppError> {
    use crate::domain::case::{CaseError, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENT_MB, MAX_ATTACHMENTS};
    use crate::error::{AppError, RequestProblem};
    const MAX_FIELD_BYTES: usize = 64 * 1024;
    let mut parts = FormParts { fields: Vec::new(), files: Vec::new() };
    while let Some(mut field) = data.next_field().await.map_err(unreadable)? {
        if parts.fields.len() + parts.files.len() >= MAX_FORM_FIELDS {
            return Err(AppError::Malformed(RequestProblem::TooLarge));
        }
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let (limit, too_large) = match file_name {
            Some(_) => (MAX_ATTACHMENT_BYTES, AppError::from(CaseError::FileTooLarge(MAX_ATTACHMENT_MB))),
            None => (MAX_FIELD_BYTES, AppError::BadFile("field_too_large".into())),
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            if bytes.len() + chunk.len() > limit {
                return Err(too_large);
            }
            bytes.extend_from_slice(&chunk);
        }
        match file_name {
            Some(file_name) if bytes.is_empty() && file_name.is_empty() => {}
            Some(_) if parts.files.len() == MAX_ATTACHMENTS => return Err(CaseError::TooManyFiles(MAX_ATTACHMENTS).into()),
            Some(file_name) => parts.files.push(crate::service::attachments::Upload { file_name, bytes }),
            None => parts.fields.push((name, String::from_utf8_lossy(&bytes).into_owned())),
        }
    }
    Ok(parts)
}

/// A body that stopped at the server's cap (see `server/src/limits.rs`) is too large; any
/// other failure to read it is a broken upload.
#[cfg(feature = "ssr")]
fn unreadable(e: impl std::error::Error + 'static) -> crate::error::AppError {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(c) = cause {
        if c.to_string().contains("length limit exceeded") {
            return crate::error::AppError::Malformed(crate::error::RequestProblem::TooLarge);
        }
        cause = c.source();
    }
    crate::error::AppError::BadFile("read".into())
}

/// A select's value: empty means none, anything else must be an id.
#[cfg(feature = "ssr")]
pub(crate) fn parse_optional_id(raw: &str) -> Result<Option<i64>, crate::error::AppError> {
    let raw = raw.trim();
    if raw.is_empty() { Ok(None) } else { raw.parse().map(Some).map_err(|_| crate::error::AppError::NotFound) }
}

/// The fields and files of a form posted without JavaScript, put into the page's context by
/// the server's POST handler (`server/src/posted.rs`); pages read them while rendering.
#[derive(Debug, Clone, Default)]
pub struct PostedForm {
    pub fields: Vec<(String, String)>,
    /// (file name, bytes) of each file field.
    pub files: Vec<(String, Vec<u8>)>,
}

impl PostedForm {
    /// A field's value ("" when missing).
    pub fn get(&self, name: &str) -> String {
        field(&self.fields, name).to_string()
    }

    /// As a multipart server function's body reads, for the functions that take files.
    #[cfg(feature = "ssr")]
    pub fn into_parts(self) -> FormParts {
        let files = self.files.into_iter().map(|(file_name, bytes)| crate::service::attachments::Upload { file_name, bytes }).collect();
        FormParts { fields: self.fields, files }
    }
}

/// On the server, during a no-JavaScript POST: the posted form; otherwise nothing.
pub fn posted_form() -> Option<PostedForm> {
    use_context::<PostedForm>()
}

/// A form posted without JavaScript and what became of it, rendered into the answer page:
/// its text fields (to fill the form in again, or to show what was asked) and the outcome.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Posted<T> {
    pub fields: Vec<(String, String)>,
    pub result: Result<T, crate::error::AppError>,
}

impl<T> Posted<T> {
    /// A posted field's value ("" when missing).
    pub fn get(&self, name: &str) -> String {
        field(&self.fields, name).to_string()
    }
}

/// The answer to a form posted without JavaScript: `act` run on it while the server renders
/// the page, a refusal's HTTP status set on the response. `None` in the browser and on a GET.
pub async fn answer_posted<T, Fut>(act: impl FnOnce(PostedForm) -> Fut) -> Option<Posted<T>>
where
    Fut: std::future::Future<Output = Result<T, crate::error::AppError>>,
{
    #[cfg(feature = "ssr")]
    {
        let form = posted_form()?;
        let fields = form.fields.clone();
        let result = act(form).await;
        if let Err(e) = &result {
            set_status(e);
        }
        Some(Posted { fields, result })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = act;
        None
    }
}

/// A refusal rendered into a page gets its HTTP status too.
#[cfg(feature = "ssr")]
pub fn set_status(e: &crate::error::AppError) {
    use axum::http::{HeaderValue, StatusCode, header};
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.set_status(StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY));
        use crate::{domain::signin::SignInRefusal, error::AppError};
        if let AppError::TooManyRequests(secs) | AppError::SignIn(SignInRefusal::Throttled(secs)) = e {
            r.insert_header(header::RETRY_AFTER, HeaderValue::from(*secs));
        }
    }
}

/// A named field's value among a form's fields ("" when missing).
fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}
