//! The client against every exchange recorded from a real Odoo 19.0 (`testdata/odoo-19.0`, written
//! by its `record.py`), each on its own transport: XML-RPC, JSON-RPC and JSON-2. Results must
//! decode to what the server sent (XML-RPC: what Python's `xmlrpc.client` decoded), errors to the
//! variant, message, traceback and HTTP status of the recorded answer.
//!
//! The recordings hold no secret: the password and the API key were replaced by placeholders
//! (`scrubbed-password`, `scrubbed-api-key`), which the clients here use as their secrets.

mod client_support;

use client_support::*;
use odoo_replay::{Exchange, Recordings, ReplayServer};
use odoo_runtime::Error;
use odoo_runtime::client::{Client, NameSearchOptions, SearchOptions, Transport};
use odoo_runtime::json2::{self, Outcome};
use odoo_runtime::types::{Many2one, OrFalse, X2many};
use serde::Deserialize;
use serde_json::{Value, json};

const PASSWORD: &str = "scrubbed-password";
const API_KEY: &str = "scrubbed-api-key";
const DB: &str = "odoo19";

fn dir(sub: &str) -> String {
    format!("{}/../testdata/odoo-19.0/{sub}", env!("CARGO_MANIFEST_DIR"))
}

fn recordings(sub: &str) -> Recordings {
    Recordings::load(dir(sub)).unwrap()
}

fn server(sub: &str) -> ReplayServer {
    ReplayServer::from_dir(dir(sub)).unwrap()
}

/// The admin of the recordings on `transport`, with the password or (JSON-2) the API key.
fn admin(server: &ReplayServer, transport: Transport) -> Client {
    let builder = Client::builder()
        .url(server.url())
        .database(DB)
        .login("admin")
        .transport(transport);
    match transport {
        Transport::Json2 => builder.api_key(API_KEY),
        _ => builder.password(PASSWORD),
    }
    .build()
    .unwrap()
}

/// Runs a recorded `common.version` / `common.authenticate` / `object.execute_kw` through the
/// client. `Err(AccessDenied)` for an `authenticate` the server answered `false`.
async fn run_rpc(
    server: &ReplayServer,
    transport: Transport,
    method: &str,
    params: &[Value],
) -> Result<Value, Error> {
    match method {
        "version" => admin(server, transport)
            .version()
            .await
            .map(|v| serde_json::to_value(v).unwrap()),
        "authenticate" => {
            let builder = Client::builder()
                .url(server.url())
                .database(params[0].as_str().unwrap())
                .login(params[1].as_str().unwrap())
                .transport(transport);
            let secret = params[2].as_str().unwrap();
            let builder = if secret == API_KEY {
                builder.api_key(secret)
            } else {
                builder.password(secret)
            };
            builder
                .build()
                .unwrap()
                .authenticate()
                .await
                .map(Value::from)
        }
        "execute_kw" => run_call(server, transport, &execute_kw_params(params)).await,
        other => panic!("unexpected method {other}"),
    }
}

#[tokio::test]
async fn every_xmlrpc_exchange_through_the_client() {
    let recordings = recordings("xmlrpc");
    let server = server("xmlrpc");
    for exchange in recordings.exchanges() {
        let name = exchange.name.as_str();
        let expected = exchange.expected().unwrap().unwrap();
        let decoded = exchange.decoded_request().unwrap(); // [method, params]
        let method = decoded[0].as_str().unwrap();
        let outcome = run_rpc(
            &server,
            Transport::XmlRpc,
            method,
            decoded[1].as_array().unwrap(),
        )
        .await;
        if method == "authenticate" && expected["result"] == json!(false) {
            let err = outcome.unwrap_err();
            assert!(matches!(err, Error::AccessDenied(_)), "{name}: {err:?}");
            continue;
        }
        check_xmlrpc(name, outcome, &expected);
    }
    assert!(recordings.exchanges().len() >= 30);
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
}

#[tokio::test]
async fn every_jsonrpc_exchange_through_the_client() {
    let recordings = recordings("jsonrpc");
    let server = server("jsonrpc");
    for exchange in recordings.exchanges() {
        let name = exchange.name.as_str();
        let recorded: Value = serde_json::from_slice(&exchange.response().unwrap()).unwrap();
        let decoded = exchange.decoded_request().unwrap(); // [service, method, args]
        let method = decoded[1].as_str().unwrap();
        let outcome = run_rpc(
            &server,
            Transport::JsonRpc,
            method,
            decoded[2].as_array().unwrap(),
        )
        .await;
        if method == "authenticate" && recorded["result"] == json!(false) {
            let err = outcome.unwrap_err();
            assert!(matches!(err, Error::AccessDenied(_)), "{name}: {err:?}");
            continue;
        }
        check_jsonrpc(name, outcome, &recorded);
    }
    assert!(recordings.exchanges().len() >= 30);
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
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
    let recordings = recordings("json2");
    let server = server("json2");
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
            let version = admin(&server, Transport::Json2).version().await;
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

#[derive(Debug, Deserialize, PartialEq)]
struct Partner {
    id: i64,
    name: OrFalse<String>,
    is_company: Option<bool>,
    country_id: OrFalse<Many2one>,
    parent_id: OrFalse<Many2one>,
    comment: OrFalse<String>,
    email: OrFalse<String>,
    category_id: Option<X2many>,
}

const PARTNER_FIELDS: &[&str] = &[
    "name",
    "is_company",
    "country_id",
    "parent_id",
    "comment",
    "email",
    "category_id",
];

/// What the typed helpers read on one transport.
#[derive(Debug, PartialEq)]
struct Tour {
    uid: i64,
    companies: Vec<Partner>,
    page: Vec<i64>,
    count: i64,
    read: Vec<Partner>,
    hits: Vec<(i64, String)>,
}

/// The typed helpers on `transport`, each matching one recorded request.
async fn typed_tour(server: &ReplayServer, transport: Transport) -> Tour {
    let client = admin(server, transport);
    let companies = json!([["is_company", "=", true]]);
    let uid = client.authenticate().await.unwrap();
    let rows: Vec<Partner> = client
        .search_read(
            "res.partner",
            &companies,
            PARTNER_FIELDS,
            SearchOptions::new().limit(3).order("id"),
        )
        .await
        .unwrap();
    let page = client
        .search(
            "res.partner",
            &companies,
            SearchOptions::new().offset(1).limit(3).order("id"),
        )
        .await
        .unwrap();
    let count = client
        .search_count("res.partner", &companies)
        .await
        .unwrap();
    let read: Vec<Partner> = client
        .read("res.partner", &page[..2], PARTNER_FIELDS)
        .await
        .unwrap();
    let hits = client
        .name_search(
            "res.partner",
            "a",
            NameSearchOptions {
                limit: Some(3),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    Tour {
        uid,
        companies: rows,
        page,
        count,
        read,
        hits,
    }
}

#[tokio::test]
async fn typed_reads_decode_the_same_on_every_transport() {
    let mut tours = Vec::new();
    for (sub, transport) in [
        ("xmlrpc", Transport::XmlRpc),
        ("jsonrpc", Transport::JsonRpc),
        ("json2", Transport::Json2),
    ] {
        let server = server(sub);
        tours.push(typed_tour(&server, transport).await);
        assert!(
            server.unmatched().is_empty(),
            "{sub}: {:?}",
            server.unmatched()
        );
    }
    let tour = &tours[0];
    assert_eq!(tour.uid, 2);
    assert_eq!(tour.companies.len(), 3);
    assert!(tour.companies.windows(2).all(|w| w[0].id < w[1].id));
    for row in tour.companies.iter().chain(&tour.read) {
        assert_eq!(row.is_company, Some(true), "{row:?}");
        assert!(
            matches!(&row.name, OrFalse::Value(n) if !n.is_empty()),
            "{row:?}"
        );
        // Every field asked for came back (false is Empty, not NotFetched).
        assert!(!format!("{row:?}").contains("NotFetched"), "{row:?}");
        assert!(row.category_id.is_some(), "{row:?}");
    }
    // Odoo's `false` for an empty many2one, `[id, name]` otherwise.
    assert!(
        tour.companies
            .iter()
            .any(|r| matches!(r.parent_id, OrFalse::Empty))
    );
    assert!(
        tour.companies
            .iter()
            .any(|r| matches!(&r.country_id, OrFalse::Value(c) if c.id.get() > 0 && c.name.as_deref().is_some_and(|n| !n.is_empty())))
    );
    assert_eq!(tour.page.len(), 3);
    assert_eq!(
        tour.read.iter().map(|r| r.id).collect::<Vec<_>>(),
        tour.page[..2]
    );
    assert!(tour.count >= 4);
    assert_eq!(tour.hits.len(), 3);
    // The three transports read the same server and decode to the same values.
    assert_eq!(tours[1], tours[0], "JSON-RPC vs XML-RPC");
    assert_eq!(tours[2], tours[0], "JSON-2 vs XML-RPC");
}

/// The recorded create, write, read back, a method returning `None`, unlink, and the failures
/// around them, through the typed helpers: the same outcomes on each transport, except where
/// the transport itself differs (XML-RPC's fault 2 is `UserError` for every `UserError`
/// subclass; it cannot marshal `None`; JSON-2 answers an unknown model with 404 `NotFound`).
#[tokio::test]
async fn writes_and_their_errors_on_every_transport() {
    for (sub, transport) in [
        ("xmlrpc", Transport::XmlRpc),
        ("jsonrpc", Transport::JsonRpc),
        ("json2", Transport::Json2),
    ] {
        let server = server(sub);
        let client = admin(&server, transport);
        let recorded_ids = |name: &str| -> Value {
            let rec = recordings(sub);
            let exchange = rec
                .exchanges()
                .iter()
                .find(|e| e.name.ends_with(name))
                .unwrap_or_else(|| panic!("{sub}: no {name}"));
            let body: Value = match transport {
                Transport::XmlRpc => exchange.expected().unwrap().unwrap()["result"].clone(),
                Transport::JsonRpc => serde_json::from_slice::<Value>(
                    &exchange.response().unwrap(),
                )
                .unwrap()["result"]
                    .clone(),
                _ => serde_json::from_slice(&exchange.response().unwrap()).unwrap(),
            };
            body
        };
        let label = format!("odoo-codegen recorder ({sub})");
        let id = client
            .create(
                "res.partner",
                &json!({"name": label, "comment": "<p>recorded</p>"}),
            )
            .await
            .unwrap();
        // One id whether the server answered `id` (XML-RPC, JSON-RPC) or `[id]` (JSON-2).
        let created = recorded_ids("-res.partner.create");
        assert_eq!(
            Some(id),
            created.as_i64().or_else(|| created[0].as_i64()),
            "{sub}"
        );
        let batch = client
            .create_many(
                "res.partner",
                &[
                    json!({"name": format!("{label} A")}),
                    json!({"name": format!("{label} B")}),
                ],
            )
            .await
            .unwrap();
        assert_eq!(batch.len(), 2, "{sub}");
        assert!(batch.iter().all(|b| *b > id), "{sub}: {batch:?}");
        assert!(
            client
                .write(
                    "res.partner",
                    &[id],
                    &json!({"name": format!("{label} renamed"), "is_company": true})
                )
                .await
                .unwrap(),
            "{sub}"
        );
        let back: Vec<Partner> = client
            .read("res.partner", &[id], PARTNER_FIELDS)
            .await
            .unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].id, id);
        assert_eq!(back[0].name, OrFalse::Value(format!("{label} renamed")));
        assert_eq!(back[0].is_company, Some(true));
        assert_eq!(
            back[0].comment,
            OrFalse::Value("<p>recorded</p>".to_owned())
        );
        assert!(matches!(back[0].parent_id, OrFalse::Empty));
        assert_eq!(back[0].category_id.as_ref().map(|c| c.0.len()), Some(0));

        let err = client
            .write("res.partner", &[id], &json!({"parent_id": id}))
            .await
            .unwrap_err();
        match transport {
            Transport::XmlRpc => assert!(
                matches!(&err, Error::UserError(e) if e.fault_code == Some(2)),
                "{sub}: {err:?}"
            ),
            _ => assert!(
                matches!(&err, Error::ValidationError(e) if e.message.contains("recursive")),
                "{sub}: {err:?}"
            ),
        }
        assert!(err.is_user_error(), "{sub}: {err:?}");

        // action_archive returns None: null over JSON, unmarshallable over XML-RPC.
        let archived = client
            .execute_kw::<Option<Value>, _, _>("res.partner", "action_archive", &json!([[id]]), &())
            .await;
        match transport {
            Transport::XmlRpc => {
                let err = archived.unwrap_err();
                assert!(
                    matches!(&err, Error::Server(e) if e.class == "TypeError" && e.message.contains("cannot marshal None")),
                    "{sub}: {err:?}"
                );
            }
            _ => assert_eq!(archived.unwrap(), None, "{sub}"),
        }
        let mut all = vec![id];
        all.extend(&batch);
        assert!(client.unlink("res.partner", &all).await.unwrap(), "{sub}");
        let gone: Vec<Partner> = client.read("res.partner", &[id], &["name"]).await.unwrap();
        assert!(
            gone.is_empty(),
            "{sub}: a deleted record is left out of read"
        );
        let err = client
            .write("res.partner", &[id], &json!({"name": "x"}))
            .await
            .unwrap_err();
        match transport {
            Transport::XmlRpc => assert!(matches!(err, Error::UserError(_)), "{sub}: {err:?}"),
            Transport::Json2 => assert!(
                matches!(&err, Error::MissingError(e) if e.http_status == Some(404)),
                "{sub}: {err:?}"
            ),
            _ => assert!(matches!(err, Error::MissingError(_)), "{sub}: {err:?}"),
        }

        let orders = client
            .search(
                "sale.order",
                &json!([["state", "=", "sale"]]),
                SearchOptions::new().limit(1).order("id"),
            )
            .await
            .unwrap();
        let err = client.unlink("sale.order", &orders).await.unwrap_err();
        assert!(
            matches!(&err, Error::UserError(e) if e.message.contains("confirmed sales order")),
            "{sub}: {err:?}"
        );

        let page = client
            .search(
                "res.partner",
                &json!([["is_company", "=", true]]),
                SearchOptions::new().offset(1).limit(3).order("id"),
            )
            .await
            .unwrap();
        let err = client
            .execute_kw::<Value, _, _>(
                "res.partner",
                "_compute_display_name",
                &json!([&page[..1]]),
                &(),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::AccessError(e) if e.message.contains("Private methods")),
            "{sub}: {err:?}"
        );
        let err = client
            .search("no.such.model", &json!([]), SearchOptions::new())
            .await
            .unwrap_err();
        match transport {
            Transport::Json2 => assert!(
                matches!(&err, Error::Server(e) if e.http_status == Some(404) && e.class == "werkzeug.exceptions.NotFound"),
                "{sub}: {err:?}"
            ),
            _ => assert!(
                matches!(&err, Error::UserError(e) if e.message.contains("no.such.model")),
                "{sub}: {err:?}"
            ),
        }
        assert!(
            server.unmatched().is_empty(),
            "{sub}: {:?}",
            server.unmatched()
        );
    }
}

/// `auto` on the recorded Odoo 19.0: JSON-2 with the API key (after asking the version over
/// JSON-RPC), JSON-RPC with the password.
#[tokio::test]
async fn auto_picks_json2_on_the_recorded_odoo_19_with_an_api_key() {
    let server = ReplayServer::from_dir(dir("")).unwrap();
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
