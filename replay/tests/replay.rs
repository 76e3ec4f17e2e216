//! The replay server answers every recorded request with its recorded response.

use std::time::Duration;

use odoo_replay::{Recordings, ReplayServer, Reply};

fn testdata() -> String {
    testdata_of("18.0")
}

async fn post(url: &str, content_type: &str, body: Vec<u8>) -> (u16, Vec<u8>) {
    let response = reqwest::Client::new()
        .post(url)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn every_recorded_request_gets_its_recorded_response() {
    let recorded = every_exchange_replayed("18.0").await;
    assert_eq!(
        (recorded.xmlrpc, recorded.jsonrpc, recorded.http),
        (75, 10, 0)
    );
}

#[tokio::test]
async fn matching_is_semantic_and_sequences_advance() {
    let server = ReplayServer::from_dir(testdata()).unwrap();
    let url = format!("{}/xmlrpc/2/object", server.url());
    // 08-res.partner.search-paged with its kwargs in the other order, <i8> ids and untyped strings.
    let body = "<?xml version=\"1.0\"?><methodCall><methodName>execute_kw</methodName><params>\
        <param><value>odoo18</value></param><param><value><i8>2</i8></value></param>\
        <param><value>admin</value></param><param><value>res.partner</value></param>\
        <param><value>search</value></param><param><value><array><data><value><array><data>\
        <value><array><data><value>is_company</value><value>=</value><value><boolean>1</boolean></value></data></array></value>\
        </data></array></value></data></array></value></param>\
        <param><value><struct><member><name>limit</name><value><int>5</int></value></member>\
        <member><name>offset</name><value><int>10</int></value></member></struct></value></param>\
        </params></methodCall>";
    let (status, answer) = post(&url, "text/xml", body.as_bytes().to_vec()).await;
    assert_eq!(status, 200);
    let recordings = Recordings::load(testdata()).unwrap();
    assert_eq!(
        answer,
        recordings
            .get("08-res.partner.search-paged")
            .unwrap()
            .response()
            .unwrap()
    );

    // 51 and 55 are the same request, answered before and after the writes in between.
    let read_back = recordings.get("51-x2many-read-back").unwrap();
    let final_read = recordings.get("55-x2many-read-final").unwrap();
    assert_eq!(read_back.request, final_read.request);
    assert_ne!(
        read_back.response().unwrap(),
        final_read.response().unwrap()
    );
    let (_, first) = post(&url, "text/xml", read_back.request.clone()).await;
    let (_, second) = post(&url, "text/xml", read_back.request.clone()).await;
    let (_, third) = post(&url, "text/xml", read_back.request.clone()).await;
    assert_eq!(first, read_back.response().unwrap());
    assert_eq!(second, final_read.response().unwrap());
    assert_eq!(third, second, "the last answer repeats");
    server.rewind();
    let (_, again) = post(&url, "text/xml", read_back.request.clone()).await;
    assert_eq!(again, first);

    // An unknown request gets a 404 that says what was asked.
    let (status, answer) = post(
        &url,
        "text/xml",
        b"<methodCall><methodName>nope</methodName><params/></methodCall>".to_vec(),
    )
    .await;
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&answer).contains("nope"));
    assert_eq!(server.unmatched().len(), 1);
}

#[tokio::test]
async fn handlers_delay_and_cut() {
    let server = ReplayServer::builder()
        .route("/slow", |_| {
            Reply::new(200, "text/plain", "late").with_delay(Duration::from_millis(300))
        })
        .route("/cut", |_| {
            Reply::new(200, "text/plain", vec![b'x'; 10_000]).cut_after(100)
        })
        .route("/reset", |_| Reply::reset())
        .start()
        .unwrap();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let err = client
        .post(format!("{}/slow", server.url()))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout());
    let response = reqwest::Client::new()
        .post(format!("{}/cut", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.bytes().await.is_err(),
        "the body must be cut short"
    );
    assert!(
        reqwest::Client::new()
            .post(format!("{}/reset", server.url()))
            .send()
            .await
            .is_err()
    );
    let url = server.url().to_owned();
    drop(server);
    assert!(
        reqwest::Client::new()
            .post(format!("{url}/slow"))
            .send()
            .await
            .is_err(),
        "stopped on drop"
    );
}

fn testdata_of(version: &str) -> String {
    format!("{}/../testdata/odoo-{version}", env!("CARGO_MANIFEST_DIR"))
}

fn testdata19() -> String {
    testdata_of("19.0")
}

/// Sends a recorded exchange as it was recorded: its method, path, headers and body.
async fn send_recorded(base: &str, exchange: &odoo_replay::Exchange) -> (u16, Vec<u8>) {
    let url = format!("{base}{}", exchange.endpoint);
    let client = reqwest::Client::new();
    let mut request = match exchange.http_method.as_str() {
        "GET" => client.get(url),
        _ => client.post(url),
    };
    if exchange.endpoint.starts_with("/xmlrpc") {
        request = request.header("Content-Type", "text/xml");
    } else if exchange.endpoint == "/jsonrpc" {
        request = request.header("Content-Type", "application/json");
    }
    for (name, value) in &exchange.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    if !exchange.request.is_empty() {
        request = request.body(exchange.request.clone());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

/// Every exchange recorded in `testdata/odoo-<version>` (each transport's directory), and the
/// HTTP statuses of those sent elsewhere than `/xmlrpc` and `/jsonrpc`, each once.
struct Recorded {
    xmlrpc: usize,
    jsonrpc: usize,
    http: usize,
    http_statuses: Vec<u16>,
}

/// Sends every exchange of `testdata/odoo-<version>` to a replay server of them, as it was
/// recorded, and checks that the recorded status and bytes come back.
async fn every_exchange_replayed(version: &str) -> Recorded {
    let recordings = Recordings::load(testdata_of(version)).unwrap();
    let exchanges = recordings.exchanges().to_vec();
    let count =
        |f: &dyn Fn(&odoo_replay::Exchange) -> bool| exchanges.iter().filter(|e| f(e)).count();
    let rpc =
        |e: &odoo_replay::Exchange| e.endpoint.starts_with("/xmlrpc") || e.endpoint == "/jsonrpc";
    let mut http_statuses: Vec<u16> = exchanges
        .iter()
        .filter(|e| !rpc(e))
        .map(|e| e.status)
        .collect();
    http_statuses.sort_unstable();
    http_statuses.dedup();
    let server = ReplayServer::builder()
        .recordings(recordings)
        .start()
        .unwrap();
    for exchange in &exchanges {
        let (status, body) = send_recorded(server.url(), exchange).await;
        assert_eq!(status, exchange.status, "{version} {}", exchange.name);
        assert!(
            body == exchange.response().unwrap(),
            "{version} {}: a different response came back",
            exchange.name
        );
    }
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
    assert_eq!(server.requests().len(), exchanges.len());
    Recorded {
        xmlrpc: count(&|e| e.endpoint.starts_with("/xmlrpc")),
        jsonrpc: count(&|e| e.endpoint == "/jsonrpc"),
        http: count(&|e| !rpc(e)),
        http_statuses,
    }
}

#[tokio::test]
async fn every_recorded_odoo_19_request_gets_its_recorded_response() {
    let recorded = every_exchange_replayed("19.0").await;
    assert!(recorded.xmlrpc >= 30);
    assert!(recorded.jsonrpc >= 30);
    assert!(recorded.http >= 30);
    // Every JSON-2 status the recordings hold (`GET /web/version` included), each from a real
    // answer.
    assert_eq!(
        recorded.http_statuses,
        vec![200, 400, 401, 403, 404, 415, 422, 500]
    );
}

/// 17.0: XML-RPC and JSON-RPC, and the 404 pages answered to a JSON-2 client's first requests.
#[tokio::test]
async fn every_recorded_odoo_17_request_gets_its_recorded_response() {
    let recorded = every_exchange_replayed("17.0").await;
    assert!(recorded.xmlrpc >= 30);
    assert!(recorded.jsonrpc >= 30);
    assert_eq!(recorded.http, 2);
    assert_eq!(recorded.http_statuses, vec![404]);
}

#[tokio::test]
async fn json2_exchanges_match_by_headers_and_body_meaning() {
    let recordings = Recordings::load(testdata19()).unwrap();
    let good = recordings.get("02-res.users.context_get").unwrap().clone();
    let wrong = recordings.get("29-wrong-api-key").unwrap().clone();
    let server = ReplayServer::builder()
        .recordings(recordings)
        .start()
        .unwrap();
    let url = format!("{}/json/2/res.users/context_get", server.url());
    let post = |auth: &str, db: &str, body: &'static str| {
        reqwest::Client::new()
            .post(&url)
            .header("Authorization", auth)
            .header("X-Odoo-Database", db)
            .header("Content-Type", "application/json; charset=utf-8")
            .body(body)
            .send()
    };
    // Same path and body, told apart by the bearer key; the scheme's case and spacing do not count.
    let response = post("Bearer  scrubbed-api-key", "odoo19", " { } ")
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.bytes().await.unwrap().to_vec(),
        good.response().unwrap()
    );
    let response = post(
        "bearer 0000000000000000000000000000000000000000",
        "odoo19",
        "{}",
    )
    .await
    .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(
        response.bytes().await.unwrap().to_vec(),
        wrong.response().unwrap()
    );
    // A key nobody recorded: a 404 that names the request without the key.
    let response = post("bearer not-recorded-key-123", "odoo19", "{}")
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
    let text = response.text().await.unwrap();
    assert!(text.contains("/json/2/res.users/context_get"), "{text}");
    assert!(!text.contains("not-recorded-key-123"), "{text}");
    // Body meaning: keys in another order match the recorded search_read.
    let search = Recordings::load(testdata19()).unwrap();
    let search = search.get("03-res.partner.search_read").unwrap().clone();
    let mut body: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&search.request).unwrap();
    let reversed: serde_json::Map<_, _> = std::mem::take(&mut body).into_iter().rev().collect();
    let response = reqwest::Client::new()
        .post(format!("{}{}", server.url(), search.endpoint))
        .header("Authorization", "bearer scrubbed-api-key")
        .header("X-Odoo-Database", "odoo19")
        .header("Content-Type", "application/json")
        .body(serde_json::to_vec(&reversed).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.bytes().await.unwrap().to_vec(),
        search.response().unwrap()
    );
}
