//! Typed method calls (`odoo_runtime::method`) and the `/doc-bearer` client through a real client
//! against a loopback server: what each transport puts on the wire, and what comes back.
//!
//! The server answers like Odoo 19: XML-RPC and JSON-RPC take `execute_kw(db, uid, secret, model,
//! method, args, kwargs)`, JSON-2 a body of named arguments with `ids` (odoo-wire.md §1.5);
//! `/doc-bearer` answers are the ones recorded from a real 19.0 (`testdata/odoo-19.0/doc-bearer`).

mod typed_support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use odoo_replay::fixtures::read_dump_tree;
use odoo_replay::{ReplayServer, Reply, Request, json2};
use odoo_runtime::Error;
use odoo_runtime::client::{Client, RetryPolicy, Transport};
use odoo_runtime::method::{Dynamic, TypedCall, kind};
use odoo_runtime::query::Records;
use odoo_runtime::types::Id;
use serde_json::{Value, json};
use typed_support::models::ResPartner;
use typed_support::xml_reply;

const KEY: &str = "0123456789abcdef0123456789abcdef01234567";
const PASSWORD: &str = "pw-s3cret-123456";
const TRANSPORTS: [Transport; 3] = [Transport::XmlRpc, Transport::JsonRpc, Transport::Json2];

/// One `execute_kw` as the server saw it: `(model, method, args, kwargs)`; over JSON-2, `args` is
/// `[ids]` when the body has some and the other members are the kwargs.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    model: String,
    method: String,
    args: Value,
    kwargs: Value,
}

fn seen(req: &Request) -> Option<Seen> {
    if let Some(rest) = req.path.strip_prefix("/json/2/") {
        let (model, method) = rest.split_once('/')?;
        let mut body = req.json()?;
        let members = body.as_object_mut()?;
        let args = match members.shift_remove("ids") {
            Some(ids) => json!([ids]),
            None => json!([]),
        };
        return Some(Seen {
            model: model.to_owned(),
            method: method.to_owned(),
            args,
            kwargs: body,
        });
    }
    let params: Vec<Value> = if req.path == "/xmlrpc/2/object" {
        let (method, params): (_, Vec<Value>) =
            odoo_runtime::xmlrpc::decode_call(&req.body).ok()?;
        (method == "execute_kw").then_some(params)?
    } else if req.path == "/jsonrpc" {
        let body = req.json()?;
        (body["params"]["method"] == "execute_kw").then(|| {
            body["params"]["args"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })?
    } else {
        return None;
    };
    Some(Seen {
        model: params[3].as_str()?.to_owned(),
        method: params[4].as_str()?.to_owned(),
        args: params[5].clone(),
        kwargs: params.get(6).cloned().unwrap_or(json!({})),
    })
}

/// Odoo 19's XML-RPC answer to a method returning `None`: fault 1 with the marshalling traceback.
fn none_fault() -> Reply {
    Reply::xml(
        "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>1</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>Traceback (most recent call last):\n  File \"/odoo/addons/rpc/controllers/xmlrpc.py\", line 135, in _xmlrpc\n    return dumps((result,))\nTypeError: cannot marshal None unless allow_none is enabled\n</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
    )
}

/// `None` stands for Python's `None` (a fault over XML-RPC, `null` elsewhere).
fn server(answer: impl Fn(&Seen) -> Option<Value> + Send + Sync + 'static) -> ReplayServer {
    let answer = Arc::new(answer);
    ReplayServer::builder()
        .handler(move |req| {
            if req.path == "/json/2/res.users/context_get" {
                return Some(json2::ok(&json!({"uid": 2})));
            }
            let call = seen(req)?;
            let result = answer(&call);
            Some(if req.path.starts_with("/json/2/") {
                json2::ok(&result.unwrap_or(Value::Null))
            } else if req.path == "/jsonrpc" {
                let mut body = json!({"jsonrpc": "2.0", "id": 1});
                if let Some(result) = result {
                    body["result"] = result;
                }
                Reply::json(200, &body)
            } else {
                result.map_or_else(none_fault, |r| xml_reply(&r))
            })
        })
        .start()
        .unwrap()
}

fn connect(server: &ReplayServer, transport: Transport) -> Client {
    typed_support::connect(server, transport, KEY, PASSWORD)
}

fn calls(server: &ReplayServer) -> Vec<Seen> {
    server.requests().iter().filter_map(seen).collect()
}

fn partner(id: i64) -> Id<ResPartner> {
    Id::new(id)
}

#[tokio::test]
async fn record_methods_send_ids_first_and_parameters_by_name_on_every_transport() {
    for transport in TRANSPORTS {
        let server = server(|s| {
            Some(if s.method == "message_post" {
                json!([91])
            } else {
                json!(true)
            })
        });
        let client = connect(&server, transport);
        let partners = Records::<_, ResPartner>::new(&client).with_context("lang", "fr_FR");
        // `message_post(*, body, message_type, ...)`: keyword-only parameters, by name.
        let posted: Value =
            TypedCall::on_records(&partners, "message_post", [partner(7), partner(8)])
                .named::<kind::Str>("body", "Hello")
                .named::<kind::Str>("message_type", "comment")
                .named::<kind::List<kind::Int>>("partner_ids", [3, 4])
                .with_context("tz", "Europe/Brussels")
                .await
                .unwrap();
        assert_eq!(posted, json!([91]), "{transport}");
        // `action_confirm() -> bool`: the ids alone.
        let confirmed: bool = TypedCall::on_records(&partners, "action_confirm", [partner(7)])
            .await
            .unwrap();
        assert!(confirmed);
        let got = calls(&server);
        assert_eq!(got.len(), 2, "{transport}: {got:?}");
        assert_eq!(
            got[0],
            Seen {
                model: "res.partner".into(),
                method: "message_post".into(),
                args: json!([[7, 8]]),
                kwargs: json!({
                    "body": "Hello",
                    "message_type": "comment",
                    "partner_ids": [3, 4],
                    "context": {"lang": "fr_FR", "tz": "Europe/Brussels"},
                }),
            },
            "{transport}"
        );
        assert_eq!(got[1].args, json!([[7]]), "{transport}");
        assert_eq!(
            got[1].kwargs,
            json!({"context": {"lang": "fr_FR"}}),
            "{transport}"
        );
    }
}

#[tokio::test]
async fn model_methods_send_no_ids_and_positional_only_parameters_follow_the_ids() {
    for transport in [Transport::XmlRpc, Transport::JsonRpc] {
        let server = server(|_| Some(json!([5, "Acme"])));
        let client = connect(&server, transport);
        let partners = Records::<_, ResPartner>::new(&client);
        let created: Value = TypedCall::on_model(&partners, "name_create")
            .named::<kind::Str>("name", "Acme")
            .send()
            .await
            .unwrap();
        assert_eq!(created, json!([5, "Acme"]));
        let _: Value = TypedCall::on_records(&partners, "positional", [partner(1)])
            .positional::<kind::Int>(10)
            .named::<kind::Bool>("flag", true)
            .await
            .unwrap();
        let got = calls(&server);
        assert_eq!(
            (got[0].args.clone(), got[0].kwargs.clone()),
            (json!([]), json!({"name": "Acme"})),
            "{transport}"
        );
        assert_eq!(
            (got[1].args.clone(), got[1].kwargs.clone()),
            (json!([[1], 10]), json!({"flag": true})),
            "{transport}"
        );
    }
    // JSON-2 takes named arguments only: the body holds the parameters (and no `ids`).
    let server = server(|_| Some(json!([5, "Acme"])));
    let client = connect(&server, Transport::Json2);
    let partners = Records::<_, ResPartner>::new(&client);
    let _: Value = TypedCall::on_model(&partners, "name_create")
        .named::<kind::Str>("name", "Acme")
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.path, "/json/2/res.partner/name_create");
    assert_eq!(request.json().unwrap(), json!({"name": "Acme"}));
    assert_eq!(
        request.header("authorization"),
        Some(format!("bearer {KEY}").as_str())
    );
}

#[tokio::test]
async fn a_none_answer_over_xmlrpc_reads_as_none_when_the_type_takes_it() {
    for transport in TRANSPORTS {
        let server = server(|_| None);
        let client = connect(&server, transport);
        let partners = Records::<_, ResPartner>::new(&client);
        let unit: () = TypedCall::on_records(&partners, "action_archive", [partner(1)])
            .await
            .unwrap_or_else(|e| panic!("{transport}: {e}"));
        let () = unit;
        let dynamic: odoo_runtime::Value =
            TypedCall::on_records(&partners, "action_archive", [partner(1)])
                .await
                .unwrap();
        assert!(dynamic.is_nil(), "{transport}");
        // A type that cannot be `None` keeps the error (the answer was not what it said).
        let err = TypedCall::<_, _, bool>::on_records(&partners, "action_archive", [partner(1)])
            .await
            .unwrap_err();
        match transport {
            Transport::XmlRpc => assert!(
                matches!(&err, Error::Server(e) if e.class == "TypeError"),
                "{err}"
            ),
            _ => assert!(matches!(err, Error::Decode(_)), "{transport}: {err}"),
        }
    }
}

#[tokio::test]
async fn values_that_cannot_be_sent_are_refused_before_sending() {
    let server = server(|_| Some(json!(true)));
    let client = connect(&server, Transport::JsonRpc);
    let partners = Records::<_, ResPartner>::new(&client);
    let err = TypedCall::<_, _, bool>::on_records(&partners, "set_rate", [partner(1)])
        .named::<kind::Float>("rate", f64::NAN)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Encode(_)), "{err}");
    let mut map = std::collections::BTreeMap::new();
    map.insert((1, 2), "a tuple key is not JSON");
    let err = TypedCall::<_, _, bool>::on_records(&partners, "set_rate", [partner(1)])
        .named::<kind::Any>("weird", map)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Encode(m) if m.contains("parameter `weird` of res.partner.set_rate")),
        "{err}"
    );
    assert!(calls(&server).is_empty(), "nothing was sent");
    // `Dynamic` passes what a typed parameter would refuse.
    let _: bool = TypedCall::on_records(&partners, "set_rate", [partner(1)])
        .named::<kind::Float>("rate", Dynamic(false))
        .await
        .unwrap();
    assert_eq!(calls(&server)[0].kwargs, json!({"rate": false}));
}

#[test]
fn typed_call_futures_are_send() {
    fn send<T: Send>(_: &T) {}
    let client = Client::builder()
        .url("http://127.0.0.1:9")
        .password("p")
        .build()
        .unwrap();
    let partners = Records::<_, ResPartner>::new(&client);
    let call = TypedCall::<_, _, bool>::on_records(&partners, "action_confirm", [partner(1)]);
    let future = std::future::IntoFuture::into_future(call);
    send(&future);
}

// ---- /doc-bearer ---------------------------------------------------------------------------------

fn recorded() -> std::collections::BTreeMap<String, Vec<u8>> {
    read_dump_tree(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/odoo-19.0/doc-bearer"),
    )
    .unwrap()
}

/// A server answering `/doc-bearer` from the recordings: 200 to [`KEY`], the recorded 401 to
/// another key or none, the recorded 404 for a model not recorded; each answer `delay` after the
/// request, whose arrival is pushed to `arrivals`.
fn doc_server(delay: Duration, arrivals: Arc<Mutex<Vec<Instant>>>) -> ReplayServer {
    let files = recorded();
    let error = |case: &str| -> Reply {
        let record: Value = serde_json::from_slice(&files[&format!("errors/{case}.json")]).unwrap();
        Reply::json(record["status"].as_u64().unwrap() as u16, &record["body"])
    };
    let (no_auth, bad_key, unknown) = (
        error("no-authorization"),
        error("password-as-key"),
        error("unknown-model"),
    );
    ReplayServer::builder()
        .handler(move |req| {
            let path = req.path.strip_prefix("/doc-bearer/")?;
            match req.header("authorization") {
                None => return Some(no_auth.clone()),
                Some(auth) if auth != format!("bearer {KEY}") => return Some(bad_key.clone()),
                Some(_) => {}
            }
            arrivals.lock().unwrap().push(Instant::now());
            let key = if path == "index.json" {
                "index.json".to_owned()
            } else {
                format!("models/{path}")
            };
            let reply = match files.get(&key) {
                Some(body) => Reply::new(200, "application/json; charset=utf-8", body.clone()),
                None => unknown.clone(),
            };
            Some(reply.with_delay(delay))
        })
        .start()
        .unwrap()
}

fn doc_client(server: &ReplayServer, key: &str) -> Client {
    Client::builder()
        .url(server.url())
        .database("odoo19")
        .api_key(key)
        .build()
        .unwrap()
}

#[tokio::test]
async fn doc_bearer_answers_are_returned_as_sent() {
    let server = doc_server(Duration::ZERO, Arc::default());
    let client = doc_client(&server, KEY);
    let files = recorded();
    let index = client.doc_index().await.unwrap();
    assert_eq!(&index[..], &files["index.json"][..]);
    let order = client.doc_model("sale.order").await.unwrap();
    assert_eq!(&order[..], &files["models/sale.order.json"][..]);
    let request = &server.requests()[1];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/doc-bearer/sale.order.json");
    assert_eq!(request.header("x-odoo-database"), Some("odoo19"));
    // A model that does not exist: the recorded 404 NotFound.
    let err = client.doc_model("no.such.model").await.unwrap_err();
    assert!(
        matches!(&err, Error::Server(e) if e.http_status == Some(404) && e.class == "werkzeug.exceptions.NotFound"),
        "{err}"
    );
    // A name that would change the path is refused before sending.
    let before = server.requests().len();
    let err = client.doc_model("../web/login").await.unwrap_err();
    assert!(matches!(err, Error::Encode(_)), "{err}");
    assert_eq!(server.requests().len(), before);
}

#[tokio::test]
async fn doc_bearer_errors_name_what_to_change_and_never_the_secret() {
    let server = doc_server(Duration::ZERO, Arc::default());
    // A key the server refuses: the recorded 401 "Invalid apikey".
    let wrong = "wrong-key-0123456789abcdef0123456789";
    let err = doc_client(&server, wrong).doc_index().await.unwrap_err();
    assert!(
        matches!(&err, Error::AccessDenied(e) if e.message == "Invalid apikey"),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains(wrong));
    // A password: not sent (the bearer scheme takes API keys only).
    let client = Client::builder()
        .url(server.url())
        .database("odoo19")
        .login("admin")
        .password(PASSWORD)
        .build()
        .unwrap();
    let before = server.requests().len();
    let err = client.doc_model("sale.order").await.unwrap_err();
    assert!(
        matches!(&err, Error::Config(m) if m.contains("API key")),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains(PASSWORD));
    assert_eq!(
        server.requests().len(),
        before,
        "nothing sent with a password"
    );

    // The recorded answers to a user outside `api_doc.group_allow_doc`, and an Odoo 18 page.
    let files = recorded();
    let without_group: Value =
        serde_json::from_slice(&files["errors/user-without-group-index.json"]).unwrap();
    let body = without_group["body"].clone();
    let status = without_group["status"].as_u64().unwrap() as u16;
    let server = ReplayServer::builder()
        .route("/doc-bearer/index.json", move |_| {
            Reply::json(status, &body)
        })
        .route("/doc-bearer/res.partner.json", |_| {
            Reply::html(
                404,
                "<html><head><title>404 | Page not found</title></head><body>Odoo</body></html>",
            )
        })
        .start()
        .unwrap();
    let client = doc_client(&server, KEY);
    let err = client.doc_index().await.unwrap_err();
    assert!(
        matches!(&err, Error::AccessError(e) if e.message.contains("Technical Documentation")),
        "{err}"
    );
    let err = client.doc_model("res.partner").await.unwrap_err();
    assert!(matches!(&err, Error::Http { status: 404, .. }), "{err}");
}

#[tokio::test]
async fn doc_models_keep_the_order_and_the_concurrency_bound() {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let delay = Duration::from_millis(150);
    let server = doc_server(delay, Arc::clone(&arrivals));
    let client = doc_client(&server, KEY);
    let models = [
        "stock.picking",
        "sale.order",
        "no.such.model",
        "res.partner",
        "account.move",
        "stock.move",
    ];
    let done = std::sync::Mutex::new(Vec::new());
    let answers = client
        .doc_models(models, 2, |m| done.lock().unwrap().push(m.to_owned()))
        .await;
    let order: Vec<&str> = answers.iter().map(|(m, _)| *m).collect();
    assert_eq!(order, models);
    assert!(answers[2].1.is_err());
    assert!(answers.iter().filter(|(_, a)| a.is_ok()).count() == 5);
    let mut seen = done.into_inner().unwrap();
    seen.sort();
    let mut want: Vec<String> = models.iter().map(|m| (*m).to_owned()).collect();
    want.sort();
    assert_eq!(seen, want, "`done` is called once per model");
    // Each answer takes `delay`: with 2 in flight, no 3 requests arrive within less than `delay`,
    // and 2 do.
    let arrivals = arrivals.lock().unwrap();
    let most = arrivals
        .iter()
        .map(|start| {
            arrivals
                .iter()
                .filter(|t| **t >= *start && t.duration_since(*start) < delay * 9 / 10)
                .count()
        })
        .max();
    assert_eq!(most, Some(2), "at most 2 in flight, and 2 were");
}

/// The `/doc-bearer` GETs go through the client's one exchange: a 503 (a gateway while workers
/// restart) and a connection lost after sending are retried, as for any read-only call, and
/// requests are paced; with retries off, the 503 is the answer.
#[tokio::test]
async fn doc_bearer_gets_are_retried_and_paced_like_every_read() {
    let files = recorded();
    let index = files["index.json"].clone();
    let tries = Arc::new(Mutex::new(0u32));
    let counted = Arc::clone(&tries);
    let server = ReplayServer::builder()
        .route("/doc-bearer/index.json", move |_| {
            let mut n = counted.lock().unwrap();
            *n += 1;
            match *n {
                1 => Reply::html(503, "<html><body>503 Service Unavailable</body></html>")
                    .with_header("Retry-After", "0"),
                2 => Reply::reset(),
                _ => Reply::new(200, "application/json; charset=utf-8", index.clone()),
            }
        })
        .start()
        .unwrap();
    let policy = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_tries(3);
    let client = Client::builder()
        .url(server.url())
        .database("odoo19")
        .api_key(KEY)
        .retry(policy)
        .max_rate(20.0)
        .build()
        .unwrap();
    let started = Instant::now();
    let body = client.doc_index().await.unwrap();
    assert_eq!(body.as_ref(), files["index.json"].as_slice());
    assert_eq!(*tries.lock().unwrap(), 3, "two retries");
    // Three requests at 20 per second: at least two gaps of 50 ms.
    assert!(started.elapsed() >= Duration::from_millis(100), "paced");
    let sent = server.requests();
    assert!(
        sent.iter()
            .all(|r| r.header("authorization") == Some(&format!("bearer {KEY}"))),
        "every try carries the key"
    );

    // Retries off: the gateway's 503 is the error (not `NotRetried`: the GET only reads).
    *tries.lock().unwrap() = 0;
    let client = Client::builder()
        .url(server.url())
        .database("odoo19")
        .api_key(KEY)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.doc_index().await.unwrap_err();
    assert!(matches!(&err, Error::Http { status: 503, .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains(KEY));
}
