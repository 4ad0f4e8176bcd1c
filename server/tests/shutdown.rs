//! Graceful shutdown, in a test process of its own (shutdown is process-wide): the live
//! streams end so phones reconnect elsewhere, a request in flight still gets its answer,
//! and the listener closes.
#[macro_use]
mod common;

use app::domain::org::Role;
use common::TestApp;
use leptos::prelude::LeptosOptions;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shutdown_ends_streams_finishes_requests_and_stops_listening() {
    let app = TestApp::sqlite().await;
    app.user("op.wang", Role::Operator, None).await;
    // This instance serves the way the binary does, through `shutdown::serve`.
    let config = common::config_for(&app.url, &app.files_dir());
    let options = LeptosOptions::builder().output_name("shezhi").site_root("target/site").build();
    let router = server::router::build_with_routes(&config, app.db.clone(), app.effects().clone(), options, common::routes());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let served = tokio::spawn(server::shutdown::serve(server::net::no_delay(listener), router));

    let operator = app.browser_at(&base);
    operator.sign_in("op.wang", common::PASSWORD).await;
    let mut feed = operator.events(None).await;
    // A request sent just before the signal.
    let in_flight = tokio::spawn({
        let b = app.browser_at(&base);
        async move { b.get("/signin").await.status() }
    });
    tokio::time::sleep(Duration::from_millis(5)).await;

    let began = Instant::now();
    server::shutdown::begin();
    assert!(feed.ends_within(Duration::from_secs(3)).await, "the live stream ends at shutdown");
    assert!(in_flight.await.unwrap().is_success(), "the request in flight is answered");
    let result = tokio::time::timeout(Duration::from_secs(10), served).await.expect("the server stops once drained").unwrap();
    assert!(result.is_ok(), "{result:?}");
    assert!(began.elapsed() < server::shutdown::DRAIN, "drained without waiting out the limit");
    let refused = reqwest::Client::new().get(format!("{base}/healthz")).timeout(Duration::from_secs(2)).send().await;
    assert!(refused.is_err(), "no new connections after shutdown");
}
