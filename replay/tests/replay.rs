//! The replay server answers every recorded request with its recorded response.

use std::time::Duration;

use odoo_replay::{Recordings, ReplayServer, Reply};

fn testdata() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/odoo-18.0").to_owned()
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
    let recordings = Recordings::load(testdata()).unwrap();
    let exchanges = recordings.exchanges().to_vec();
    assert_eq!(
        exchanges
            .iter()
            .filter(|e| e.endpoint.starts_with("/xmlrpc"))
            .count(),
        75
    );
    assert_eq!(
        exchanges
            .iter()
            .filter(|e| e.endpoint == "/jsonrpc")
            .count(),
        10
    );
    let server = ReplayServer::builder()
        .recordings(recordings)
        .start()
        .unwrap();
    for exchange in &exchanges {
        let content_type = if exchange.endpoint == "/jsonrpc" {
            "application/json"
        } else {
            "text/xml"
        };
        let url = format!("{}{}", server.url(), exchange.endpoint);
        let (status, body) = post(&url, content_type, exchange.request.clone()).await;
        assert_eq!(status, exchange.status, "{}", exchange.name);
        assert!(
            body == exchange.response().unwrap(),
            "{}: a different response came back",
            exchange.name
        );
    }
    assert!(server.unmatched().is_empty());
    assert_eq!(server.requests().len(), exchanges.len());
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
