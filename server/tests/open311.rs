//! Open311 GeoReport v2 at `/open311/v2`, called as a resident's app calls it: form-encoded
//! posts with an api_key, public reads, JSON and XML; and by the GeoReport client library from
//! PyPI, unchanged (`fixtures/open311_client.py`, installed by `scripts/setup.sh` into
//! `target/py`).
#[macro_use]
mod common;

use app::domain::case::{CaseCommand as Cmd, Channel};
use app::domain::org::Role;
use app::service::cases;
use common::TestApp;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

on_both_backends!(an_app_files_a_request_and_follows_it_to_its_result, keys_and_bad_input_are_refused_in_the_specs_shape);
on_both_backends!(lists_filter_by_time_status_and_service_and_hold_only_open311_requests, a_georeport_client_from_pypi_files_and_reads);

/// A key for a resident's app, as `server token add NAME --channel open311` makes it.
async fn key(app: &TestApp) -> String {
    app::service::api::create_token(&app.db, "城市随手拍", Channel::Open311, false).await.expect("key made")
}

/// The district's places the requests name: 衢江区 / 莲花镇 / 耿山村.
async fn places(app: &TestApp) -> i64 {
    use app::domain::org::AreaLevel;
    use app::service::{AuditActor, org};
    let district = org::save_area(&app.db, &AuditActor::default(), None, None, Some(AreaLevel::District), "衢江区").await.unwrap();
    let town = org::save_area(&app.db, &AuditActor::default(), None, Some(district), Some(AreaLevel::Township), "莲花镇").await.unwrap();
    org::save_area(&app.db, &AuditActor::default(), None, Some(town), Some(AreaLevel::Village), "耿山村").await.unwrap();
    // The township's seat, which a point on the map is placed by.
    let mut conn = app.db.read().await.unwrap();
    app::store::screen::set_area_point(&mut conn, town, 28_979_000, 118_959_000).await.unwrap();
    town
}

fn client() -> Client {
    Client::builder().timeout(std::time::Duration::from_secs(30)).build().expect("http client")
}

async fn get(app: &TestApp, path: &str) -> Response {
    client().get(format!("{}/open311/v2/{path}", app.base)).send().await.expect("GET answered")
}

/// Posts the form the way the spec's clients do: api_key in the query, the rest in the body.
async fn post(app: &TestApp, key: Option<&str>, fields: &[(&str, &str)]) -> Response {
    let url = match key {
        Some(k) => format!("{}/open311/v2/requests.json?api_key={k}", app.base),
        None => format!("{}/open311/v2/requests.json", app.base),
    };
    client().post(url).form(fields).send().await.expect("POST answered")
}

async fn json(r: Response) -> (StatusCode, Value) {
    let status = r.status();
    let text = r.text().await.expect("a body");
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")))
}

async fn text(r: Response) -> (StatusCode, String) {
    let status = r.status();
    (status, r.text().await.expect("a body"))
}

/// A refusal in the spec's JSON shape: `[{"code": status, "description": …}]`.
async fn refused(r: Response, status: StatusCode) -> String {
    let (got, body) = json(r).await;
    assert_eq!(got, status, "{body}");
    assert_eq!(body[0]["code"], status.as_u16(), "{body}");
    body[0]["description"].as_str().expect("a description").to_string()
}

const REQUEST: &[(&str, &str)] = &[
    ("service_code", "construction-damage"),
    ("description", "高铁施工后墙体开裂，请联系13812345678"),
    ("address_string", "莲花镇耿山村3组"),
    ("first_name", "三"),
    ("last_name", "张"),
    ("phone", "13812345678"),
    ("email", "zhang@example.com"),
    ("media_url", "https://img.example.com/crack.jpg"),
];

async fn an_app_files_a_request_and_follows_it_to_its_result(app: TestApp) {
    let town = places(&app).await;
    let key = key(&app).await;
    // Discovery names this endpoint and both formats.
    let (status, d) = json(get(&app, "discovery.json").await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(d["endpoints"][0]["specification"], "http://wiki.open311.org/GeoReport_v2");
    assert!(d["endpoints"][0]["url"].as_str().unwrap().ends_with("/open311/v2"));
    let (_, xml) = text(get(&app, "discovery.xml").await).await;
    assert!(xml.contains("<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification>"), "{xml}");
    assert!(xml.contains("<formats><format>application/json</format><format>text/xml</format></formats>"), "{xml}");
    // The services are the active categories, each defined with the place attribute.
    let (_, services) = json(get(&app, "services.json").await).await;
    let cracks = services.as_array().unwrap().iter().find(|s| s["service_code"] == "construction-damage").expect("the category is a service");
    // Grouped by the center's function, in words, not a text key.
    assert_eq!((cracks["group"].as_str(), cracks["keywords"].as_str()), (Some("治理事件处置"), Some("治理事件处置")));
    assert_eq!(cracks["description"], "工程施工损害（治理事件处置）");
    assert_eq!((cracks["metadata"].as_bool(), cracks["type"].as_str()), (Some(true), Some("realtime")));
    let (_, def) = json(get(&app, "services/construction-damage.json").await).await;
    let area = &def["attributes"][0];
    assert_eq!((area["code"].as_str(), area["datatype"].as_str(), area["required"].as_bool()), (Some("area"), Some("singlevaluelist"), Some(false)));
    let gengshan =
        area["values"].as_array().unwrap().iter().find(|v| v["name"] == "莲花镇 / 耿山村").unwrap_or_else(|| panic!("the village is a value: {def}"))["key"]
            .clone();
    let (_, def_xml) = text(get(&app, "services/construction-damage.xml").await).await;
    assert!(
        def_xml.contains("<service_definition><service_code>construction-damage</service_code><attributes><attribute><variable>true</variable>"),
        "{def_xml}"
    );
    assert!(def_xml.contains(&format!("<value><key>{}</key><name>莲花镇 / 耿山村</name></value>", gengshan.as_str().unwrap())));

    // Filed: its id and token at once; a case of channel Open311 placed by its address.
    let (status, filed) = json(post(&app, Some(&key), REQUEST).await).await;
    assert_eq!(status, StatusCode::CREATED, "{filed}");
    let code = filed[0]["service_request_id"].as_str().expect("an id").to_string();
    let token = filed[0]["token"].as_str().expect("a token").to_string();
    let (channel, area_id, media): (String, Option<i64>, Option<String>) =
        sqlx::query_as("SELECT c.channel, c.area_id, o.media_url FROM cases c JOIN open311_requests o ON o.case_id = c.id WHERE c.code = $1")
            .bind(&code)
            .fetch_one(&app.db.pool)
            .await
            .expect("the case and its request");
    assert_eq!(
        (channel.as_str(), area_id.map(|a| a.to_string()), media.as_deref()),
        ("open311", gengshan.as_str().map(str::to_string), Some("https://img.example.com/crack.jpg"))
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE kind = 'api_called'").await, 1, "the filing is in the audit trail");
    let reporter: (Option<String>, Option<String>) =
        sqlx::query_as("SELECT r.name, r.phone FROM cases c JOIN reporters r ON r.id = c.reporter_id WHERE c.code = $1")
            .bind(&code)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(reporter.0.as_deref(), Some("张三"), "the requester is kept for the staff, family name first");
    // A point on the map with the place chosen from the definition's values.
    let mut pointed = REQUEST.to_vec();
    let key_value = gengshan.as_str().unwrap().to_string();
    pointed.extend([("lat", "28.9801"), ("long", "118.9601"), ("attribute[area]", key_value.as_str())]);
    pointed.retain(|(k, _)| *k != "address_string");
    let (status, second) = json(post(&app, Some(&key), &pointed).await).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let (_, second) = json(get(&app, &format!("requests/{}.json", second[0]["service_request_id"].as_str().unwrap())).await).await;
    assert_eq!((second[0]["lat"].as_f64(), second[0]["long"].as_f64()), (Some(28.9801), Some(118.9601)));
    // A point alone is placed in its township.
    let point_only = [("service_code", "construction-damage"), ("description", "路面塌陷"), ("lat", "28.9801"), ("long", "118.9601")];
    let (status, third) = json(post(&app, Some(&key), &point_only).await).await;
    assert_eq!(status, StatusCode::CREATED, "{third}");
    let placed: Option<i64> =
        sqlx::query_scalar("SELECT area_id FROM cases WHERE code = $1").bind(third[0]["service_request_id"].as_str()).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(placed, Some(town));
    let (_, by_token) = json(get(&app, &format!("tokens/{token}.json")).await).await;
    assert_eq!(by_token[0]["service_request_id"], code.as_str());

    // Read back: open, masked, nothing of the requester.
    let (status, body) = text(get(&app, &format!("requests/{code}.json")).await).await;
    assert_eq!(status, StatusCode::OK);
    for private in ["张三", "13812345678", "zhang@example.com"] {
        assert!(!body.contains(private), "{private} left the system: {body}");
    }
    let r: Value = serde_json::from_str(&body).unwrap();
    let r = &r[0];
    assert_eq!((r["status"].as_str(), r["service_code"].as_str()), (Some("open"), Some("construction-damage")));
    assert_eq!(r["description"], "高铁施工后墙体开裂，请联系138****5678");
    assert_eq!(r["media_url"], "https://img.example.com/crack.jpg");
    assert!(r["requested_datetime"].as_str().unwrap().ends_with("+08:00"));
    assert!(r["agency_responsible"].is_null(), "no unit before dispatch");

    // Dispatched and resolved: the lead unit answers for it, and the result is the note.
    let lianhua = app.unit("莲花镇").await;
    let operator = app::domain::case::Actor::staff(app.user("op.wang", Role::Operator, None).await, Role::Operator, None);
    let staff = app::domain::case::Actor::staff(app.user("lh.zhao", Role::UnitStaff, Some(lianhua)).await, Role::UnitStaff, Some(lianhua));
    let id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE code = $1").bind(&code).fetch_one(&app.db.pool).await.unwrap();
    let run = |by: app::domain::case::Actor, cmd: Cmd| {
        let app = &app;
        async move { cases::execute(&app.db, app.effects(), &by, id, cmd, vec![]).await.expect("the command is carried out") }
    };
    run(operator.clone(), Cmd::Dispatch { lead: lianhua, cooperating: vec![] }).await;
    let (_, r) = json(get(&app, &format!("requests/{code}.json")).await).await;
    assert_eq!((r[0]["status"].as_str(), r[0]["agency_responsible"].as_str()), (Some("open"), Some("莲花镇")));
    run(staff.clone(), Cmd::Sign { unit: lianhua }).await;
    run(staff, Cmd::Resolve { unit: lianhua, result: "墙体已由施工方修复".into() }).await;
    let (_, xml) = text(get(&app, &format!("requests/{code}.xml")).await).await;
    assert!(xml.contains(&format!("<service_requests><request><service_request_id>{code}</service_request_id><status>closed</status>")), "{xml}");
    assert!(xml.contains("墙体已由施工方修复</status_notes>"), "{xml}");
}

async fn keys_and_bad_input_are_refused_in_the_specs_shape(app: TestApp) {
    let key = key(&app).await;
    let hotline = app::service::api::create_token(&app.db, "12345 热线平台", Channel::Hotline12345, false).await.unwrap();
    let cases_before = app.count("SELECT COUNT(*) FROM cases").await;
    refused(post(&app, None, REQUEST).await, StatusCode::FORBIDDEN).await;
    refused(post(&app, Some("not-a-key"), REQUEST).await, StatusCode::FORBIDDEN).await;
    assert!(refused(post(&app, Some(&hotline), REQUEST).await, StatusCode::FORBIDDEN).await.contains("Open311"));
    let without = |name: &str| REQUEST.iter().copied().filter(|(k, _)| *k != name).collect::<Vec<_>>();
    let with = |name: &'static str, value: &'static str| {
        let mut f = without(name);
        f.push((name, value));
        f
    };
    assert!(refused(post(&app, Some(&key), &without("service_code")).await, StatusCode::BAD_REQUEST).await.contains("service_code"));
    assert!(refused(post(&app, Some(&key), &without("address_string")).await, StatusCode::BAD_REQUEST).await.contains("location"));
    refused(post(&app, Some(&key), &with("service_code", "no-such-service")).await, StatusCode::BAD_REQUEST).await;
    refused(post(&app, Some(&key), &without("description")).await, StatusCode::BAD_REQUEST).await;
    refused(post(&app, Some(&key), &with("lat", "28.97")).await, StatusCode::BAD_REQUEST).await;
    let mut beijing = REQUEST.to_vec();
    beijing.extend([("lat", "39.90"), ("long", "116.40")]);
    refused(post(&app, Some(&key), &beijing).await, StatusCode::BAD_REQUEST).await;
    refused(post(&app, Some(&key), &with("attribute[area]", "999999")).await, StatusCode::BAD_REQUEST).await;
    refused(post(&app, Some(&key), &with("media_url", "javascript:alert(1)")).await, StatusCode::BAD_REQUEST).await;
    refused(post(&app, Some(&key), &with("phone", "12")).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, cases_before, "nothing refused was filed");
    assert_eq!(app.count("SELECT COUNT(*) FROM open311_requests").await, 0);

    // Unknown things are 404 in the format asked for; a path without one answers JSON.
    refused(get(&app, "services/no-such-service.json").await, StatusCode::NOT_FOUND).await;
    refused(get(&app, "tokens/nope.json").await, StatusCode::NOT_FOUND).await;
    refused(get(&app, "services.csv").await, StatusCode::NOT_FOUND).await;
    let (status, xml) = text(get(&app, "requests/NOPE.xml").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(xml.ends_with("<errors><error><code>404</code><description>service_request_id was not found</description></error></errors>"), "{xml}");
}

async fn lists_filter_by_time_status_and_service_and_hold_only_open311_requests(app: TestApp) {
    let key = key(&app).await;
    let (_, filed) = json(post(&app, Some(&key), REQUEST).await).await;
    let code = filed[0]["service_request_id"].as_str().unwrap().to_string();
    let noise = [("service_code", "noise"), ("description", "夜间施工噪音"), ("address_string", "莲花镇")];
    let (_, other) = json(post(&app, Some(&key), &noise).await).await;
    let other = other[0]["service_request_id"].as_str().unwrap().to_string();
    // A case of another channel is never an Open311 request.
    let hotline = cases::register_for_client(
        &app.db,
        app.effects(),
        cases::FiledBy { api_token_id: 1, ip: None, audit: app::domain::audit::AuditEvent::ApiCalled { client: "x".into(), call: "x".into() }, open311: None },
        common::cracks_report(1),
    )
    .await
    .expect("a hotline case");
    let ids = |v: &Value| v.as_array().unwrap().iter().map(|r| r["service_request_id"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    let (_, all) = json(get(&app, "requests.json").await).await;
    assert_eq!(ids(&all), [other.as_str(), code.as_str()], "newest first, Open311 requests only");
    refused(get(&app, &format!("requests/{}.json", hotline.code)).await, StatusCode::NOT_FOUND).await;
    let (_, picked) = json(get(&app, &format!("requests.json?service_request_id={code},{}", hotline.code)).await).await;
    assert_eq!(ids(&picked), [code.as_str()]);
    let (_, by_service) = json(get(&app, "requests.json?service_code=noise").await).await;
    assert_eq!(ids(&by_service), [other.as_str()]);
    let (_, open) = json(get(&app, "requests.json?status=open").await).await;
    assert_eq!(ids(&open).len(), 2);
    let (_, closed) = json(get(&app, "requests.json?status=closed").await).await;
    assert_eq!(ids(&closed).len(), 0);
    let (_, both) = json(get(&app, "requests.json?status=open,closed&page_size=1").await).await;
    assert_eq!(ids(&both), [other.as_str()], "one a page");
    let (_, second) = json(get(&app, "requests.json?page_size=1&page=2").await).await;
    assert_eq!(ids(&second), [code.as_str()]);
    let (_, future) = json(get(&app, "requests.json?start_date=2099-01-01T00:00:00Z").await).await;
    assert_eq!(ids(&future).len(), 0);
    let (_, xml) = text(get(&app, "requests.xml?service_code=noise").await).await;
    assert!(xml.contains(&format!("<service_requests><request><service_request_id>{other}</service_request_id>")), "{xml}");
    assert!(
        refused(get(&app, "requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z").await, StatusCode::BAD_REQUEST)
            .await
            .contains("90 days")
    );
    refused(get(&app, "requests.json?end_date=2026-01-01T00:00:00Z&start_date=2026-02-01T00:00:00Z").await, StatusCode::BAD_REQUEST).await;
    refused(get(&app, "requests.json?start_date=yesterday").await, StatusCode::BAD_REQUEST).await;
    refused(get(&app, "requests.json?status=pending").await, StatusCode::BAD_REQUEST).await;
    refused(get(&app, "requests.json?page_size=1001").await, StatusCode::BAD_REQUEST).await;
}

/// The GeoReport library reads the services, a definition, a request and a filtered list, in
/// JSON and in XML, from this server as it would from any city's.
async fn a_georeport_client_from_pypi_files_and_reads(app: TestApp) {
    places(&app).await;
    let key = key(&app).await;
    let python = std::env::var("SHEZHI_PYTHON").unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target/py/bin/python").to_string());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/open311_client.py");
    let base = app.base.clone();
    let out = tokio::task::spawn_blocking(move || std::process::Command::new(&python).args([script, &base, &key]).output())
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("cannot run the client (scripts/setup.sh test installs it, or set SHEZHI_PYTHON): {e}"));
    assert!(out.status.success(), "the client failed: {}", String::from_utf8_lossy(&out.stderr));
    let read: Value = serde_json::from_slice(&out.stdout).expect("the client's JSON");
    assert_eq!(read["post_status"], 201);
    let filed = read["filed"].as_str().unwrap();
    let services: Vec<String> = app::service::api::categories(&app.db).await.unwrap().into_iter().map(|c| c.code).collect();
    for fmt in ["json", "xml"] {
        let mut listed: Vec<String> = read[format!("services_{fmt}")].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect();
        listed.sort();
        let mut expected = services.clone();
        expected.sort();
        assert_eq!(listed, expected, "{fmt}: every active category is a service");
        let def = &read[format!("definition_{fmt}")];
        assert_eq!((def[0].as_str(), def[1].as_str()), (Some("area"), Some("singlevaluelist")), "{fmt}");
        assert!(def[2].as_array().unwrap().iter().any(|v| v == "莲花镇 / 耿山村"), "{fmt}: {def}");
        assert_eq!(read[format!("request_{fmt}")], serde_json::json!([filed, "open", "construction-damage", "高铁施工后墙体开裂"]), "{fmt}");
        assert_eq!(read[format!("list_{fmt}")], serde_json::json!([filed]), "{fmt}");
    }
}
