//! The client against every exchange recorded from a real Odoo 19.0 (`testdata/odoo-19.0`, written
//! by its `record.py`), each on its own transport: XML-RPC, JSON-RPC and JSON-2. Results must
//! decode to what the server sent (XML-RPC: what Python's `xmlrpc.client` decoded), errors to the
//! variant, message, traceback and HTTP status of the recorded answer. What the recordings of
//! every version share is in `odoo_recorded` (17.0's are `client_odoo17.rs`).
//!
//! The recordings hold no secret: the password and the API key were replaced by placeholders
//! (`scrubbed-password`, `scrubbed-api-key`), which the clients here use as their secrets.

mod client_support;
mod odoo_recorded;

use client_support::*;
use odoo_recorded::{API_KEY, ODOO_19, PASSWORD};
use odoo_replay::Exchange;
use odoo_runtime::Error;
use odoo_runtime::client::{Client, Transport};
use odoo_runtime::json2::{self, Outcome};
use serde_json::{Value, json};

const DB: &str = ODOO_19.db;

#[tokio::test]
async fn every_xmlrpc_exchange_through_the_client() {
    ODOO_19.every_xmlrpc_exchange().await;
}

#[tokio::test]
async fn every_jsonrpc_exchange_through_the_client() {
    ODOO_19.every_jsonrpc_exchange().await;
}

/// Whether the client can send this request: a POST of a JSON object as `application/json`
/// with a bearer key (or the `GET /web/version` it sends for `version()`).
fn client_can_send(exchange: &Exchange) -> bool {
    if exchange.endpoint == "/web/version" {
        return exchange.http_method == "GET";
    }
    exchange.http_method == "POST"
        && exchange
            .header("authorization")
            .is_some_and(|a| a.starts_with("bearer "))
        && exchange.header("content-type") == Some("application/json")
        && matches!(exchange.decoded_request(), Some(Value::Object(_)))
}

/// Checks a JSON-2 outcome against the recorded status and body: 200 and the bare result, or
/// the error `serialize_exception`'s `name` gives (401 → `AccessDenied`), with the recorded
/// message, traceback and status; a body that is not JSON is `Error::Http` with the status.
fn check_json2(name: &str, outcome: Result<Value, Error>, exchange: &Exchange) {
    let body = exchange.response().unwrap();
    if exchange.status == 200 {
        let expected: Value = serde_json::from_slice(&body).unwrap();
        let value = outcome.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert!(value == expected, "{name}: decoded something else");
        return;
    }
    let err = outcome.expect_err(name);
    let Ok(recorded) = serde_json::from_slice::<Value>(&body) else {
        assert!(
            exchange.content_type.starts_with("text/html"),
            "{name}: {}",
            exchange.content_type
        );
        if String::from_utf8_lossy(&body).contains("No database is selected") {
            // Odoo's page for a database it does not serve: the client tells it apart.
            assert!(
                matches!(&err, Error::UnknownDatabase(e) if e.http_status == Some(exchange.status)),
                "{name}: {err:?}"
            );
        } else {
            assert!(
                matches!(&err, Error::Http { status, snippet, .. } if *status == exchange.status && !snippet.is_empty()),
                "{name}: {err:?}"
            );
        }
        return;
    };
    let class = recorded["name"].as_str().unwrap();
    let server_error = err
        .server_error()
        .unwrap_or_else(|| panic!("{name}: {err:?}"));
    assert_eq!(server_error.http_status, Some(exchange.status), "{name}");
    assert_eq!(
        server_error.message,
        recorded["message"].as_str().unwrap(),
        "{name}"
    );
    assert_eq!(
        server_error.traceback.as_deref(),
        recorded["debug"].as_str(),
        "{name}"
    );
    assert_eq!(
        server_error.class,
        class.strip_prefix("builtins.").unwrap_or(class),
        "{name}"
    );
    let kind_ok = if exchange.status == 401 {
        matches!(err, Error::AccessDenied(_))
    } else {
        error_kind_matches(&err, class)
    };
    assert!(kind_ok, "{name}: {err:?}");
}

#[tokio::test]
async fn every_json2_exchange_through_the_client() {
    let recordings = ODOO_19.recordings("json2");
    let server = ODOO_19.server("json2");
    let mut sent = 0;
    for exchange in recordings.exchanges() {
        let name = exchange.name.as_str();
        if !client_can_send(exchange) {
            // Requests the client never sends (no key, GET, a body that is not a JSON object,
            // another media type): the codec still reads the real answers.
            let outcome = json2::decode_response::<Value>(
                exchange.status,
                &exchange.response().unwrap(),
                name,
            )
            .unwrap();
            let recorded = serde_json::from_slice::<Value>(&exchange.response().unwrap()).ok();
            match (outcome, recorded) {
                (Outcome::Error(err), Some(body)) => {
                    let e = err.server_error().unwrap();
                    assert_eq!(e.http_status, Some(exchange.status), "{name}");
                    assert_eq!(e.message, body["message"].as_str().unwrap(), "{name}");
                    if exchange.status == 401 {
                        assert!(matches!(err, Error::AccessDenied(_)), "{name}: {err:?}");
                    } else {
                        assert!(matches!(err, Error::Server(_)), "{name}: {err:?}");
                    }
                }
                (Outcome::NotJson2, None) => {
                    assert!(exchange.content_type.starts_with("text/html"), "{name}");
                }
                (other, _) => panic!("{name}: {other:?}"),
            }
            continue;
        }
        sent += 1;
        let outcome = if exchange.endpoint == "/web/version" {
            let version = ODOO_19.admin(&server, Transport::Json2).version().await;
            version.map(
                |v| json!({"version_info": v.server_version_info, "version": v.server_version}),
            )
        } else {
            let (model, method) = exchange
                .endpoint
                .strip_prefix("/json/2/")
                .and_then(|rest| rest.split_once('/'))
                .unwrap();
            let key = exchange
                .header("authorization")
                .and_then(|a| a.strip_prefix("bearer "))
                .unwrap();
            let mut builder = Client::builder()
                .url(server.url())
                .api_key(key)
                .transport(Transport::Json2);
            if let Some(db) = exchange.header("x-odoo-database") {
                builder = builder.database(db);
            }
            let client = builder.build().unwrap();
            // The recorded body holds every argument by name (`ids` too): sent as kwargs.
            let body = exchange.decoded_request().unwrap();
            client
                .execute_kw::<Value, _, _>(model, method, &json!([]), &body)
                .await
        };
        check_json2(name, outcome, exchange);
    }
    assert!(sent >= 25, "{sent}");
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
}

const TRANSPORTS: [(&str, Transport); 3] = [
    ("xmlrpc", Transport::XmlRpc),
    ("jsonrpc", Transport::JsonRpc),
    ("json2", Transport::Json2),
];

#[tokio::test]
async fn typed_reads_decode_the_same_on_every_transport() {
    ODOO_19.typed_reads(&TRANSPORTS).await;
}

#[tokio::test]
async fn writes_and_their_errors_on_every_transport() {
    for (sub, transport) in TRANSPORTS {
        let err = ODOO_19.writes_and_errors(sub, transport).await;
        assert!(
            matches!(&err, Error::AccessError(e) if e.message
                == "Private methods (such as 'res.partner._compute_display_name') cannot be called remotely."),
            "{sub}: {err:?}"
        );
    }
}

/// `auto` on the recorded Odoo 19.0: JSON-2 with the API key (after asking the version over
/// JSON-RPC), JSON-RPC with the password.
#[tokio::test]
async fn auto_picks_json2_on_the_recorded_odoo_19_with_an_api_key() {
    let server = ODOO_19.server("");
    let with_key = Client::builder()
        .url(server.url())
        .database(DB)
        .login("admin")
        .api_key(API_KEY)
        .build()
        .unwrap();
    assert_eq!(with_key.transport().await.unwrap(), Transport::Json2);
    assert_eq!(with_key.authenticate().await.unwrap(), 2);
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/jsonrpc", "/json/2/res.users/context_get"]);
    let with_password = Client::builder()
        .url(server.url())
        .database(DB)
        .login("admin")
        .password(PASSWORD)
        .build()
        .unwrap();
    assert_eq!(with_password.transport().await.unwrap(), Transport::JsonRpc);
    assert_eq!(with_password.authenticate().await.unwrap(), 2);
    assert_eq!(with_password.version().await.unwrap().major(), Some(19));
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
}

/// The JSON-RPC error object's `code` is 0 on 19.0 (200 on 17.0 and 18.0).
#[test]
fn jsonrpc_error_code_of_19() {
    assert_eq!(ODOO_19.jsonrpc_error_codes(), [0]);
}
