pub mod admin;
pub mod auth;
pub mod boot;
pub mod cases;
pub mod center;
pub mod command;
pub mod components;
pub mod contact;
pub mod duty;
pub mod emergency;
pub mod errors;
pub mod evaluation;
pub mod field;
pub mod forms;
pub mod hazards;
pub mod live;
pub mod mediation;
pub mod pkg;
pub mod portal;
pub mod risk;
pub mod routes;
pub mod shell;
pub mod suggest;
pub mod supervision;

/// The paths of the server functions that take a multipart body. The server checks the
/// content type and boundary of a request to them before their decoder runs: server_fn's
/// multipart decoder panics when there is no boundary to read.
#[cfg(feature = "ssr")]
pub fn multipart_paths() -> [&'static str; 8] {
    let [a, b, c, d, e, f] = upload_paths();
    let [g, h] = import_paths();
    [a, b, c, d, e, f, g, h]
}

/// The server functions that take photos (with a report, a signed agreement, a hazard's
/// step), each photo up to the attachment limits.
#[cfg(feature = "ssr")]
pub fn upload_paths() -> [&'static str; 6] {
    use leptos::server_fn::ServerFn;
    [
        cases::api::RegisterCase::PATH,
        cases::api::ReportProblem::PATH,
        cases::api::ActOnCase::PATH,
        mediation::api::ActOnMediation::PATH,
        hazards::api::RecordHazard::PATH,
        hazards::api::ActOnHazard::PATH,
    ]
}

/// The imports of one spreadsheet file: the staff roster and the duty roster.
#[cfg(feature = "ssr")]
pub fn import_paths() -> [&'static str; 2] {
    use leptos::server_fn::ServerFn;
    [admin::ImportRoster::PATH, duty::api::ImportRoster::PATH]
}
