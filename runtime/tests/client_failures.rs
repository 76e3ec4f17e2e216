//! Transport failures, timeouts, non-RPC bodies and secrets that must never leak.

mod client_support;

use std::time::{Duration, Instant};

use client_support::*;
use odoo_replay::{ReplayServer, Reply};
use odoo_runtime::Error;
use odoo_runtime::client::{Client, RetryPolicy, SearchOptions, Transport};
use serde_json::{Value, json};

const SECRET: &str = "S3cr3t-pa55w0rd-never-shown";

fn client(url: &str, transport: Transport) -> Client {
    Client::builder()
        .url(url)
        .database("odoo18")
        .login("admin")
        .password(SECRET)
        .uid(2)
        .transport(transport)
        .timeout(Duration::from_secs(5))
        // The default policy, with waits short enough for a test.
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(5)))
        .build()
        .unwrap()
}

fn assert_no_secret(err: &Error) {
    let text = format!("{err} / {err:?}");
    assert!(!text.contains(SECRET), "the secret leaked: {text}");
}

#[tokio::test]
async fn server_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    for transport in [Transport::XmlRpc, Transport::JsonRpc] {
        let err = client(&url, transport).version().await.unwrap_err();
        let Error::Transport {
            url: shown,
            message,
        } = &err
        else {
            panic!("{err:?}")
        };
        assert!(shown.starts_with(&url), "{shown}");
        assert!(message.starts_with("cannot connect"), "{message}");
        assert_no_secret(&err);
    }
}

#[tokio::test]
async fn connection_reset_mid_body() {
    let recorded = recordings("xmlrpc")
        .get("14-res.partner.search_read")
        .unwrap()
        .response()
        .unwrap();
    let json_recorded = recordings("jsonrpc")
        .get("03-search_read")
        .unwrap()
        .response()
        .unwrap();
    let server = ReplayServer::builder()
        .route("/xmlrpc/2/object", move |_| {
            Reply::xml(recorded.clone()).cut_after(120)
        })
        .route("/jsonrpc", move |_| {
            Reply::json(200, &serde_json::from_slice(&json_recorded).unwrap()).cut_after(40)
        })
        .start()
        .unwrap();
    for (transport, path) in [
        (Transport::XmlRpc, "/xmlrpc/2/object"),
        (Transport::JsonRpc, "/jsonrpc"),
    ] {
        let err = client(server.url(), transport)
            .search_read::<Value, _>("res.partner", &json!([]), &["name"], SearchOptions::new())
            .await
            .unwrap_err();
        let Error::Transport { message, .. } = &err else {
            panic!("{transport}: {err:?}")
        };
        assert!(
            message.starts_with("connection lost while reading the response body"),
            "{message}"
        );
        assert_no_secret(&err);
        // A read: tried five times (the default policy) before the last failure came back.
        let tries = server.requests().iter().filter(|r| r.path == path).count();
        assert_eq!(tries, 5, "{transport}");
    }
}

#[tokio::test]
async fn html_instead_of_rpc() {
    let page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.24.0</center></body></html>";
    let login_page = "<!DOCTYPE html><html><head><title>Odoo</title><script>var odoo = {};</script></head><body><form>Log in</form></body></html>";
    let server = ReplayServer::builder()
        .route("/xmlrpc/2/object", move |_| Reply::html(502, page))
        .route("/jsonrpc", move |_| Reply::html(200, login_page))
        .route("/xmlrpc/2/common", move |_| Reply::html(200, login_page))
        .start()
        .unwrap();
    let err = client(server.url(), Transport::XmlRpc)
        .search_count("res.partner", &json!([]))
        .await
        .unwrap_err();
    let Error::Http {
        status,
        snippet,
        url,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 502);
    assert!(url.ends_with("/xmlrpc/2/object"), "{url}");
    assert_eq!(snippet, "502 Bad Gateway 502 Bad Gateway nginx/1.24.0");
    assert_eq!(
        err.to_string(),
        format!("HTTP 502 from {url}: 502 Bad Gateway 502 Bad Gateway nginx/1.24.0")
    );
    // search_count only reads: the 502 was retried, up to the policy's five tries.
    let tries = server
        .requests()
        .iter()
        .filter(|r| r.path == "/xmlrpc/2/object")
        .count();
    assert_eq!(tries, 5);

    for transport in [Transport::XmlRpc, Transport::JsonRpc] {
        let err = client(server.url(), transport).version().await.unwrap_err();
        let Error::Protocol { message, .. } = &err else {
            panic!("{transport}: {err:?}")
        };
        assert!(message.contains("Odoo Log in"), "{message}");
        assert!(
            !message.contains("var odoo"),
            "scripts are dropped: {message}"
        );
    }
}

#[tokio::test]
async fn jsonrpc_plain_text_400() {
    let server = ReplayServer::builder()
        .route("/jsonrpc", |_| {
            Reply::new(400, "text/plain", "Invalid JSON data")
        })
        .start()
        .unwrap();
    let err = client(server.url(), Transport::JsonRpc)
        .version()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Http { status: 400, snippet, .. } if snippet == "Invalid JSON data"),
        "{err:?}"
    );
}

#[tokio::test]
async fn slow_server_times_out() {
    let server = ReplayServer::builder()
        .route("/jsonrpc", |_| {
            Reply::json(200, &json!({"jsonrpc": "2.0", "id": 1, "result": 1}))
                .with_delay(Duration::from_secs(3))
        })
        .start()
        .unwrap();
    let client = Client::builder()
        .url(server.url())
        .database("odoo18")
        .uid(2)
        .password(SECRET)
        .transport(Transport::JsonRpc)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .search_count("res.partner", &json!([]))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let Error::Timeout { after, url } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*after, Duration::from_millis(300));
    assert!(url.ends_with("/jsonrpc"));
    assert_eq!(
        err.to_string(),
        format!("timed out after 0.3s waiting for {url}")
    );
}

#[tokio::test]
async fn secret_never_in_debug_or_errors() {
    // A proxy that echoes the request body (with the password) in its error page.
    let server = ReplayServer::builder()
        .route("/jsonrpc", |req| Reply::html(500, format!("<pre>bad request: {}</pre>", req.text())))
        .route("/xmlrpc/2/object", |req| {
            let echoed = req.text().replace('<', "&lt;");
            Reply::xml(format!(
                "<?xml version=\"1.0\"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>2</int></value></member><member><name>faultString</name><value><string>rejected {echoed}</string></value></member></struct></value></fault></methodResponse>"
            ))
        })
        .start()
        .unwrap();
    let client = client(server.url(), Transport::JsonRpc);
    assert!(!format!("{client:?}").contains(SECRET));
    let err = client
        .search_count("res.partner", &json!([]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 500, .. }), "{err:?}");
    assert!(
        server.requests()[0].text().contains(SECRET),
        "the secret was sent"
    );
    assert!(err.to_string().contains("***"), "{err}");
    assert_no_secret(&err);

    let err = self::client(server.url(), Transport::XmlRpc)
        .search_count("res.partner", &json!([]))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::UserError(e) if e.message.starts_with("rejected")),
        "{err:?}"
    );
    assert_no_secret(&err);

    // Builder, credential and blocking client Debug.
    let builder = Client::builder().url("http://h").password(SECRET);
    assert!(!format!("{builder:?}").contains(SECRET));
    let blocking = Client::builder()
        .url("http://h")
        .api_key(SECRET)
        .build_blocking()
        .unwrap();
    assert!(!format!("{blocking:?}").contains(SECRET));
    // A password in the URL is not shown either.
    let err = Client::builder()
        .url(format!("http://bob:{SECRET}@[::1"))
        .build()
        .unwrap_err();
    assert_no_secret(&err);
    let c = Client::builder()
        .url(format!("http://bob:{SECRET}@127.0.0.1:9"))
        .build()
        .unwrap();
    assert!(!format!("{c:?} {}", c.url()).contains(SECRET));
    let err = c.version().await.unwrap_err();
    assert_no_secret(&err);
}

#[tokio::test]
async fn decode_errors_name_call_and_path_over_jsonrpc() {
    let server = server("jsonrpc");
    let client = admin(&server, Transport::JsonRpc);
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Wrong {
        id: i64,
        country_id: String,
    }
    let err = client
        .search_read::<Wrong, _>(
            "res.partner",
            &json!([["is_company", "=", true]]),
            &["name", "country_id", "comment"],
            SearchOptions::new().limit(3),
        )
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.call.as_deref(), Some("res.partner.search_read"));
    assert_eq!(d.path, "[0].country_id");
    assert!(d.offset.is_some());
    assert!(
        err.to_string()
            .starts_with("cannot decode the response of res.partner.search_read at [0].country_id"),
        "{err}"
    );
}

#[tokio::test]
async fn redirects_are_reported_not_followed() {
    let server = ReplayServer::builder()
        .route("/jsonrpc", |_| {
            Reply::html(301, "<h1>Moved</h1>")
                .with_header("Location", "https://odoo.example.com/jsonrpc")
        })
        .start()
        .unwrap();
    let err = client(server.url(), Transport::JsonRpc)
        .version()
        .await
        .unwrap_err();
    let Error::Http {
        status, snippet, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 301);
    assert_eq!(
        snippet,
        "redirected to https://odoo.example.com/jsonrpc: use that server URL instead"
    );
    assert_eq!(server.requests().len(), 1, "not followed");
}
