//! The typed query API (`odoo_runtime::query`) through a real client against a loopback server:
//! what each call puts on the wire (the captured request body, over JSON-2 and XML-RPC) and what
//! the typed call returns. The server answers like Odoo: JSON-2 bodies are named arguments with
//! bare results (odoo-wire.md §1.5), XML-RPC is `execute_kw(db, uid, secret, model, method, args,
//! kwargs)`.

mod typed_support;

use std::sync::Arc;

use futures::StreamExt;
use odoo_replay::{ReplayServer, Reply, Request, json2};
use odoo_runtime::Error;
use odoo_runtime::client::{Client, NameSearchOptions, Transport};
use odoo_runtime::query::On;
use odoo_runtime::types::Id;
use serde_json::{Value, json};
use typed_support::models::*;
use typed_support::xml_reply;

const KEY: &str = "0123456789abcdef0123456789abcdef01234567";

/// One `execute_kw` as the server saw it.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    model: String,
    method: String,
    /// JSON-2: the request body (named arguments). XML-RPC: `[args, kwargs]`.
    body: Value,
}

/// Answers `execute_kw` calls with `answer(method, seen)`, over JSON-2 and XML-RPC.
type Answer = Arc<dyn Fn(&Seen) -> Value + Send + Sync>;

/// The `execute_kw` a request carries (none for the version and login exchanges).
fn seen(req: &Request) -> Option<Seen> {
    if let Some(rest) = req.path.strip_prefix("/json/2/") {
        let (model, method) = rest.split_once('/')?;
        return Some(Seen {
            model: model.to_owned(),
            method: method.to_owned(),
            body: req.json()?,
        });
    }
    if req.path == "/xmlrpc/2/object" {
        let (method, params): (_, Vec<Value>) =
            odoo_runtime::xmlrpc::decode_call(&req.body).ok()?;
        if method != "execute_kw" {
            return None;
        }
        return Some(Seen {
            model: params[3].as_str()?.to_owned(),
            method: params[4].as_str()?.to_owned(),
            body: json!([params[5], params.get(6).cloned().unwrap_or(json!({}))]),
        });
    }
    None
}

fn server(answer: impl Fn(&Seen) -> Value + Send + Sync + 'static) -> ReplayServer {
    let answer: Answer = Arc::new(answer);
    ReplayServer::builder()
        .handler(move |req| {
            if req.path == "/web/version" {
                return Some(Reply::json(
                    200,
                    &json!({"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}),
                ));
            }
            if req.path == "/json/2/res.users/context_get" {
                return Some(json2::ok(&json!({"lang": "en_US", "uid": 2})));
            }
            let call = seen(req)?;
            let result = answer(&call);
            Some(if req.path.starts_with("/json/2/") {
                json2::ok(&result)
            } else {
                xml_reply(&result)
            })
        })
        .start()
        .unwrap()
}

fn connect(server: &ReplayServer, transport: Transport) -> Client {
    typed_support::connect(server, transport, KEY, "admin")
}

/// The `execute_kw` calls the server received, in order.
fn calls(server: &ReplayServer) -> Vec<Seen> {
    server.requests().iter().filter_map(seen).collect()
}

const BOTH: [Transport; 2] = [Transport::Json2, Transport::XmlRpc];

// 1. `create` answered with a one-element list (JSON-2) or a bare id (XML-RPC).

#[tokio::test]
async fn create_decodes_the_id_over_json2_and_xmlrpc() {
    for transport in BOTH {
        // Odoo 19 answers `create` over JSON-2 with the recordset's ids.
        let server = server(move |s| match (s.method.as_str(), transport) {
            ("create", Transport::Json2) => json!([42]),
            ("create", _) => json!(42),
            _ => json!(false),
        });
        let client = connect(&server, transport);
        let partners = ResPartner::on(&client);
        let id = partners
            .create(ResPartnerCreate::new().name("New"))
            .await
            .unwrap_or_else(|e| panic!("{transport:?}: {e}"));
        assert_eq!(id, Id::<ResPartner>::new(42), "{transport:?}");
        // Same as the untyped client.
        let raw = client
            .create("res.partner", &json!({"name": "New"}))
            .await
            .unwrap();
        assert_eq!(raw, 42);

        let seen = calls(&server);
        assert_eq!(seen.len(), 2, "{transport:?}: {seen:?}");
        assert_eq!(seen[0].model, "res.partner");
        assert_eq!(seen[0].method, "create");
        let expected = match transport {
            Transport::Json2 => json!({"vals_list": {"name": "New"}}),
            _ => json!([[{"name": "New"}], {}]),
        };
        assert_eq!(seen[0].body, expected, "{transport:?}");
        assert_eq!(seen[1].body, expected, "{transport:?}");
    }
}

#[tokio::test]
async fn create_refuses_a_list_of_several_ids() {
    let server = server(|_| json!([42, 43]));
    let client = connect(&server, Transport::Json2);
    let err = ResPartner::on(&client)
        .create(ResPartnerCreate::new().name("New"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert!(err.to_string().contains("one id"), "{err}");
}

#[tokio::test]
async fn create_many_still_reads_a_list() {
    let server = server(|_| json!([7, 8]));
    let client = connect(&server, Transport::Json2);
    let ids = ResPartner::on(&client)
        .create_many([
            ResPartnerCreate::new().name("A"),
            ResPartnerCreate::new().name("B"),
        ])
        .await
        .unwrap();
    assert_eq!(ids, vec![Id::new(7), Id::new(8)]);
    assert_eq!(
        calls(&server)[0].body,
        json!({"vals_list": [{"name": "A"}, {"name": "B"}]})
    );
}

// 2. A per-call context is merged over the `with_context` one.

#[tokio::test]
async fn a_per_call_context_is_merged_over_with_context() {
    for transport in BOTH {
        let server = server(|_| json!(true));
        let client = connect(&server, transport);
        let partners = ResPartner::on(&client).with_context("lang", "fr_FR");
        let done: bool = partners
            .method_on([Id::new(5)], "x")
            .kwarg("context", json!({"active_test": false}))
            .returning()
            .await
            .unwrap();
        assert!(done);
        // A per-call key wins over the same key of `with_context`.
        partners
            .method_on([Id::new(5)], "x")
            .kwarg("context", json!({"lang": "nl_BE", "tz": "UTC"}))
            .value()
            .await
            .unwrap();
        // Without a per-call context, the `with_context` one alone.
        partners.method_on([Id::new(5)], "x").value().await.unwrap();

        let seen = calls(&server);
        let expected = match transport {
            Transport::Json2 => vec![
                json!({"ids": [5], "context": {"lang": "fr_FR", "active_test": false}}),
                json!({"ids": [5], "context": {"lang": "nl_BE", "tz": "UTC"}}),
                json!({"ids": [5], "context": {"lang": "fr_FR"}}),
            ],
            _ => vec![
                json!([[[5]], {"context": {"lang": "fr_FR", "active_test": false}}]),
                json!([[[5]], {"context": {"lang": "nl_BE", "tz": "UTC"}}]),
                json!([[[5]], {"context": {"lang": "fr_FR"}}]),
            ],
        };
        let bodies: Vec<Value> = seen.iter().map(|s| s.body.clone()).collect();
        assert_eq!(bodies, expected, "{transport:?}");
        // Key order: `with_context` keys first, then new per-call keys.
        let keys: Vec<&String> = match transport {
            Transport::Json2 => bodies[0]["context"].as_object().unwrap().keys().collect(),
            _ => bodies[0][1]["context"]
                .as_object()
                .unwrap()
                .keys()
                .collect(),
        };
        assert_eq!(keys, ["lang", "active_test"]);
    }
}

#[tokio::test]
async fn the_client_default_context_stays_under_both() {
    let server = server(|_| json!(true));
    let client = Client::builder()
        .url(server.url())
        .database("odoo19")
        .api_key(KEY)
        .transport(Transport::Json2)
        .context("tz", "Europe/Brussels")
        .context("lang", "en_US")
        .build()
        .unwrap();
    ResPartner::on(&client)
        .with_context("lang", "fr_FR")
        .method_on([Id::new(5)], "x")
        .kwarg("context", json!({"active_test": false}))
        .value()
        .await
        .unwrap();
    assert_eq!(
        calls(&server)[0].body["context"],
        json!({"tz": "Europe/Brussels", "lang": "fr_FR", "active_test": false})
    );
}

#[tokio::test]
async fn a_per_call_context_that_is_not_a_map_is_refused() {
    let server = server(|_| json!(true));
    let client = connect(&server, Transport::Json2);
    let err = ResPartner::on(&client)
        .with_context("lang", "fr_FR")
        .method_on([Id::new(5)], "x")
        .kwarg("context", 3)
        .value()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Encode(_)), "{err:?}");
    assert!(
        err.to_string().contains("the context must be a map"),
        "{err}"
    );
    assert!(calls(&server).is_empty());
}

// 3. `pages` keeps the search's offset and limit.

/// Ids 1..=20, answered by `search_read` with the `offset` and `limit` it was sent.
fn table(s: &Seen) -> Value {
    let kwargs = match s.body.get(1) {
        Some(kwargs) => kwargs.clone(),
        None => s.body.clone(),
    };
    let offset = kwargs["offset"].as_u64().unwrap_or(0);
    let limit = kwargs["limit"].as_u64().unwrap_or(u64::MAX);
    let rows: Vec<Value> = (1..=20u64)
        .skip(usize::try_from(offset).unwrap())
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|id| json!({"id": id, "name": format!("P{id}")}))
        .collect();
    Value::Array(rows)
}

/// `(offset, limit)` of each `search_read` sent.
fn paging(server: &ReplayServer) -> Vec<(Option<u64>, Option<u64>)> {
    calls(server)
        .iter()
        .filter(|s| s.method == "search_read")
        .map(|s| {
            let kwargs = s.body.get(1).unwrap_or(&s.body);
            (kwargs["offset"].as_u64(), kwargs["limit"].as_u64())
        })
        .collect()
}

async fn page_ids<S>(pages: S) -> Vec<Vec<i64>>
where
    S: futures::Stream<Item = odoo_runtime::Result<Vec<ResPartner>>>,
{
    pages
        .map(|page| {
            page.unwrap()
                .iter()
                .map(|row| row.id.unwrap().get())
                .collect()
        })
        .collect()
        .await
}

#[tokio::test]
async fn pages_stop_at_the_limit() {
    for transport in BOTH {
        let server = server(table);
        let client = connect(&server, transport);
        let partners = ResPartner::on(&client);
        let f = ResPartner::F;
        let search = partners.search(f.is_company.eq(true)).limit(3);
        assert_eq!(
            page_ids(search.pages(2)).await,
            vec![vec![1, 2], vec![3]],
            "{transport:?}"
        );
        assert_eq!(
            paging(&server),
            vec![(Some(0), Some(2)), (Some(2), Some(1))],
            "{transport:?}"
        );
        let seen = calls(&server);
        let expected = match transport {
            Transport::Json2 => {
                json!({"domain": [["is_company", "=", true]], "limit": 2, "order": "id", "offset": 0})
            }
            _ => json!([[[["is_company", "=", true]]], {"limit": 2, "order": "id", "offset": 0}]),
        };
        assert_eq!(seen[0].body, expected, "{transport:?}");
    }
}

#[tokio::test]
async fn pages_start_at_the_offset() {
    let server = server(table);
    let client = connect(&server, Transport::Json2);
    let partners = ResPartner::on(&client);
    let all = || partners.search(odoo_runtime::domain::Domain::all());

    // Offset and limit: from record 6, five records.
    let got = page_ids(all().offset(5).limit(5).pages(2)).await;
    assert_eq!(got, vec![vec![6, 7], vec![8, 9], vec![10]]);
    assert_eq!(
        paging(&server),
        vec![(Some(5), Some(2)), (Some(7), Some(2)), (Some(9), Some(1))]
    );

    // Offset alone: to the end of the table.
    let server = server_again();
    let client = connect(&server, Transport::Json2);
    let partners = ResPartner::on(&client);
    let got = page_ids(
        partners
            .search(odoo_runtime::domain::Domain::all())
            .offset(15)
            .pages(4),
    )
    .await;
    assert_eq!(got, vec![vec![16, 17, 18, 19], vec![20]]);
    assert_eq!(
        paging(&server),
        vec![(Some(15), Some(4)), (Some(19), Some(4))]
    );

    // A limit past the end: stops at the short page.
    let server = server_again();
    let client = connect(&server, Transport::Json2);
    let partners = ResPartner::on(&client);
    let got = page_ids(
        partners
            .search(odoo_runtime::domain::Domain::all())
            .offset(16)
            .limit(100)
            .pages(3),
    )
    .await;
    assert_eq!(got, vec![vec![17, 18, 19], vec![20]]);
    assert_eq!(
        paging(&server),
        vec![(Some(16), Some(3)), (Some(19), Some(3))]
    );

    // A limit that is a multiple of the page size: no extra request.
    let server = server_again();
    let client = connect(&server, Transport::Json2);
    let partners = ResPartner::on(&client);
    let got = page_ids(
        partners
            .search(odoo_runtime::domain::Domain::all())
            .limit(4)
            .pages(2),
    )
    .await;
    assert_eq!(got, vec![vec![1, 2], vec![3, 4]]);
    assert_eq!(
        paging(&server),
        vec![(Some(0), Some(2)), (Some(2), Some(2))]
    );

    // `limit(0)`: nothing asked.
    let server = server_again();
    let client = connect(&server, Transport::Json2);
    let partners = ResPartner::on(&client);
    let got = page_ids(
        partners
            .search(odoo_runtime::domain::Domain::all())
            .limit(0)
            .pages(2),
    )
    .await;
    assert!(got.is_empty());
    assert!(calls(&server).is_empty());
}

fn server_again() -> ReplayServer {
    server(table)
}

// 4. `name_search` accepts a `false` display name.

#[tokio::test]
async fn name_search_reads_a_false_display_name() {
    for transport in BOTH {
        let server = server(|_| json!([[7, false], [8, "Azure"]]));
        let client = connect(&server, transport);
        let hits = ResPartner::on(&client)
            .name_search("Az", 5)
            .await
            .unwrap_or_else(|e| panic!("{transport:?}: {e}"));
        assert_eq!(
            hits,
            vec![
                (Id::<ResPartner>::new(7), String::new()),
                (Id::new(8), "Azure".to_owned())
            ],
            "{transport:?}"
        );
        // The untyped client reads the same answer the same way.
        let raw = client
            .name_search(
                "res.partner",
                "Az",
                NameSearchOptions {
                    limit: Some(5),
                    ..NameSearchOptions::default()
                },
            )
            .await
            .unwrap();
        let typed: Vec<(i64, String)> = hits.into_iter().map(|(i, n)| (i.get(), n)).collect();
        assert_eq!(raw, typed, "{transport:?}");

        let seen = calls(&server);
        let expected = match transport {
            Transport::Json2 => json!({"name": "Az", "limit": 5}),
            _ => json!([["Az"], {"limit": 5}]),
        };
        assert_eq!(seen[0].method, "name_search");
        assert_eq!(seen[0].body, expected, "{transport:?}");
    }
}

/// `name_search_in` sends the domain as the second argument (`domain` over JSON-2).
#[tokio::test]
async fn name_search_in_sends_the_domain() {
    for transport in BOTH {
        let server = server(|_| json!([[8, "Azure"]]));
        let client = connect(&server, transport);
        let f = ResPartner::F;
        let hits = ResPartner::on(&client)
            .name_search_in(f.is_company.eq(true), "Az", 5)
            .await
            .unwrap_or_else(|e| panic!("{transport:?}: {e}"));
        assert_eq!(hits, vec![(Id::<ResPartner>::new(8), "Azure".to_owned())]);
        let seen = calls(&server);
        let domain = json!([["is_company", "=", true]]);
        let expected = match transport {
            Transport::Json2 => json!({"name": "Az", "domain": domain, "limit": 5}),
            _ => json!([["Az", domain], {"limit": 5}]),
        };
        assert_eq!(seen[0].body, expected, "{transport:?}");
    }
}

#[tokio::test]
async fn name_search_refuses_true_as_a_display_name() {
    let server = server(|_| json!([[7, true]]));
    let client = connect(&server, Transport::Json2);
    let err = ResPartner::on(&client)
        .name_search("Az", 5)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

// 5. `count` counts every match: no offset, no limit.

#[tokio::test]
async fn count_ignores_offset_and_limit() {
    for transport in BOTH {
        let server = server(|_| json!(13));
        let client = connect(&server, transport);
        let partners = ResPartner::on(&client);
        let f = ResPartner::F;
        let n = partners
            .search(f.is_company.eq(true))
            .offset(10)
            .limit(5)
            .order("name")
            .count()
            .await
            .unwrap();
        assert_eq!(n, 13, "{transport:?}");
        let seen = calls(&server);
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].method, "search_count");
        let expected = match transport {
            Transport::Json2 => json!({"domain": [["is_company", "=", true]]}),
            _ => json!([[[["is_company", "=", true]]], {}]),
        };
        assert_eq!(seen[0].body, expected, "{transport:?}");
    }
}

/// The paging of `ids`/`rows` is untouched by the above.
#[tokio::test]
async fn ids_and_rows_keep_offset_and_limit() {
    let server = server(|s| match s.method.as_str() {
        "search" => json!([11, 12]),
        _ => json!([{"id": 11}, {"id": 12}]),
    });
    let client = connect(&server, Transport::Json2);
    let partners = ResPartner::on(&client).with_context("lang", "fr_FR");
    let search = partners
        .search(odoo_runtime::domain::Domain::all())
        .offset(10)
        .limit(2);
    assert_eq!(search.ids().await.unwrap(), vec![Id::new(11), Id::new(12)]);
    assert_eq!(search.rows().await.unwrap().len(), 2);
    let bodies: Vec<Value> = calls(&server).into_iter().map(|s| s.body).collect();
    assert_eq!(
        bodies,
        vec![
            json!({"domain": [], "offset": 10, "limit": 2, "context": {"lang": "fr_FR"}}),
            json!({"domain": [], "offset": 10, "limit": 2, "context": {"lang": "fr_FR"}}),
        ]
    );
}
