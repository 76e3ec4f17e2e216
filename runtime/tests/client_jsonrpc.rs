//! The client over JSON-RPC against the replay of every recorded `/jsonrpc` exchange.

mod client_support;

use client_support::*;
use odoo_runtime::Error;
use odoo_runtime::client::{Client, SearchOptions, Transport};
use odoo_runtime::types::{Many2one, OrFalse};
use serde::Deserialize;
use serde_json::{Value, json};

#[tokio::test]
async fn every_recorded_exchange_through_the_client() {
    let recordings = recordings("jsonrpc");
    let server = server("jsonrpc");
    for exchange in recordings.exchanges() {
        let name = exchange.name.as_str();
        let decoded = exchange.decoded_request().unwrap(); // [service, method, args]
        let recorded: Value = serde_json::from_slice(&exchange.response().unwrap()).unwrap();
        let args = decoded[2].as_array().unwrap();
        let outcome: Result<Value, Error> = match decoded[1].as_str().unwrap() {
            "version" => admin(&server, Transport::JsonRpc)
                .version()
                .await
                .map(|v| serde_json::to_value(v).unwrap()),
            "authenticate" => Client::builder()
                .url(server.url())
                .database(args[0].as_str().unwrap())
                .login(args[1].as_str().unwrap())
                .password(args[2].as_str().unwrap())
                .transport(Transport::JsonRpc)
                .build()
                .unwrap()
                .authenticate()
                .await
                .map(Value::from),
            "execute_kw" => run_call(&server, Transport::JsonRpc, &execute_kw_params(args)).await,
            other => panic!("{name}: {other}"),
        };
        check_jsonrpc(name, outcome, &recorded);
    }
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
}

#[tokio::test]
async fn typed_calls_and_error_kinds() {
    let server = server("jsonrpc");
    let client = admin(&server, Transport::JsonRpc);
    assert_eq!(client.version().await.unwrap().major(), Some(18));
    assert_eq!(client.authenticate().await.unwrap(), 2);
    assert_eq!(client.transport().await.unwrap(), Transport::JsonRpc);

    #[derive(Debug, Deserialize)]
    struct Partner {
        id: i64,
        name: String,
        country_id: OrFalse<Many2one>,
        comment: OrFalse<String>,
    }
    let rows: Vec<Partner> = client
        .search_read(
            "res.partner",
            &json!([["is_company", "=", true]]),
            &["name", "country_id", "comment"],
            SearchOptions::new().limit(3),
        )
        .await
        .unwrap();
    assert_eq!(
        rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![15, 79, 74]
    );
    assert_eq!(rows[0].name, "Azure Interior");
    assert!(matches!(&rows[0].country_id, OrFalse::Value(m) if m.id.get() == 233));
    assert!(matches!(rows[1].country_id, OrFalse::Empty));
    assert!(matches!(rows[2].comment, OrFalse::Empty));

    // The precise classes JSON-RPC gives.
    let err = client
        .write("res.partner", &[80], &json!({"parent_id": 80}))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::ValidationError(e) if e.class == "odoo.exceptions.ValidationError"),
        "{err:?}"
    );
    assert!(err.is_user_error());
    let err = client.unlink("sale.order", &[26]).await.unwrap_err();
    assert!(
        matches!(&err, Error::UserError(e) if e.message.contains("You must first cancel it")),
        "{err:?}"
    );
    let err = client
        .search("no.such.model", &json!([]), SearchOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::UserError(e) if e.message == "Object no.such.model doesn't exist"),
        "{err:?}"
    );
    // A deleted record simply reads as nothing.
    let rows: Vec<Value> = client
        .execute_kw("res.partner", "read", &json!([[77], ["name"]]), &())
        .await
        .unwrap();
    assert!(rows.is_empty());
    // fields_get with null attributes works over JSON-RPC (it faults over XML-RPC).
    let fields: serde_json::Map<String, Value> =
        client.fields_get("product.pricelist", &[]).await.unwrap();
    assert!(fields.contains_key("item_ids"));
    // The attribute XML-RPC cannot marshal: a domain holding None.
    assert_eq!(
        fields["item_ids"]["domain"][2],
        json!(["product_tmpl_id", "=", null])
    );

    let wrong = Client::builder()
        .url(server.url())
        .database("odoo18")
        .uid(2)
        .password("wrong")
        .transport(Transport::JsonRpc)
        .build()
        .unwrap();
    let err = wrong
        .search("res.partner", &json!([]), SearchOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::AccessDenied(e) if e.message == "Access Denied" && e.traceback.is_some()),
        "{err:?}"
    );

    let portal = Client::builder()
        .url(server.url())
        .database("odoo18")
        .uid(7)
        .password("portal")
        .transport(Transport::JsonRpc)
        .build()
        .unwrap();
    let err = portal
        .search_read::<Value, _>(
            "ir.config_parameter",
            &json!([]),
            &[],
            SearchOptions::new().limit(1),
        )
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::AccessError(_)), "{err:?}");
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
}

#[tokio::test]
async fn auto_transport_without_api_key_is_jsonrpc() {
    let server = server("jsonrpc");
    let client = Client::builder()
        .url(server.url())
        .database("odoo18")
        .login("admin")
        .password("admin")
        .build()
        .unwrap();
    assert_eq!(client.transport().await.unwrap(), Transport::JsonRpc);
    assert_eq!(client.authenticate().await.unwrap(), 2);
    // No request was needed to choose: only authenticate went out.
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_missing_result_reads_as_null() {
    // Odoo omits `result` when the method returned None (odoo/http.py `_response`).
    let server = odoo_replay::ReplayServer::builder()
        .route("/jsonrpc", |_| {
            odoo_replay::Reply::json(200, &json!({"jsonrpc": "2.0", "id": 1}))
        })
        .start()
        .unwrap();
    let client = Client::builder()
        .url(server.url())
        .database("odoo18")
        .uid(2)
        .password("admin")
        .transport(Transport::JsonRpc)
        .build()
        .unwrap();
    let nothing: Option<Value> = client
        .execute_kw("res.partner", "action_archive", &json!([[1]]), &())
        .await
        .unwrap();
    assert!(nothing.is_none());
    let value: Value = client
        .execute_kw("res.partner", "action_archive", &json!([[1]]), &())
        .await
        .unwrap();
    assert_eq!(value, Value::Null);
    client
        .execute_kw::<(), _, _>("res.partner", "action_archive", &json!([[1]]), &())
        .await
        .unwrap();
    let err = client
        .execute_kw::<bool, _, _>("res.partner", "action_archive", &json!([[1]]), &())
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.call.as_deref(), Some("res.partner.action_archive"));
    assert!(d.message.contains("null or missing"), "{d}");
    // What was sent: Odoo's envelope, execute_kw without kwargs.
    let sent = server.requests()[0].json().unwrap();
    assert_eq!(sent["method"], "call");
    assert_eq!(sent["params"]["service"], "object");
    assert_eq!(
        sent["params"]["args"],
        json!(["odoo18", 2, "admin", "res.partner", "action_archive", [[1]]])
    );
}

#[tokio::test]
async fn auto_transport_with_an_api_key_on_odoo_18_stays_jsonrpc() {
    let server = server("jsonrpc");
    let client = Client::builder()
        .url(server.url())
        .database("odoo18")
        .login("admin")
        .api_key("e4effb8e3cdf654dd48e6864a9f39cd3735d3da3")
        .build()
        .unwrap();
    assert_eq!(client.transport().await.unwrap(), Transport::JsonRpc);
    let asked = server.requests();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].json().unwrap()["params"]["method"], "version");
    // Resolved once.
    assert_eq!(client.transport().await.unwrap(), Transport::JsonRpc);
    assert_eq!(server.requests().len(), 1);
}

/// An unknown database over JSON-RPC, as the testbed's 18.0 answers it: Odoo
/// cannot open it and reports PostgreSQL's error (code 200 on 17.0/18.0, 0 on 19.0).
#[tokio::test]
async fn an_unknown_database_is_told_apart() {
    let server = odoo_replay::ReplayServer::builder()
        .route("/jsonrpc", |_| {
            let message = "connection to server at \"127.0.0.1\", port 54329 failed: FATAL:  database \"no_such_db\" does not exist\n";
            odoo_replay::Reply::json(
                200,
                &json!({"jsonrpc": "2.0", "id": 1, "error": {"code": 200, "message": "Odoo Server Error", "data": {
                    "name": "psycopg2.OperationalError", "debug": "Traceback (most recent call last):\n...",
                    "message": message, "arguments": [message], "context": {}}}}),
            )
        })
        .start()
        .unwrap();
    let client = |db: &str| {
        Client::builder()
            .url(server.url())
            .database(db)
            .login("admin")
            .password("admin")
            .transport(Transport::JsonRpc)
            .build()
            .unwrap()
    };
    let err = client("no_such_db").authenticate().await.unwrap_err();
    assert!(
        matches!(&err, Error::UnknownDatabase(e) if e.class == "psycopg2.OperationalError" && e.call.as_deref() == Some("common.authenticate")),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("unknown database: common.authenticate: "),
        "{err}"
    );
    // The same answer about another database than the client's is only a server error.
    let err = client("odoo18").authenticate().await.unwrap_err();
    assert!(matches!(&err, Error::Server(_)), "{err:?}");
}
