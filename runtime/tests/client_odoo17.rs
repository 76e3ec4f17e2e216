//! The client against every exchange recorded from a real Odoo 17.0 (`testdata/odoo-17.0`, written
//! by `testdata/odoo-19.0/record.py`), on XML-RPC and JSON-RPC: results decode to what the server
//! sent, errors to the variant, message and traceback of the recorded answer. 17.0 has no JSON-2:
//! `auto` picks JSON-RPC after asking the server its version, and the JSON-2 transport fails with
//! an error saying that the server lacks it (the 404 pages 17.0 answered are recorded in `json2/`).
//! What the recordings of every version share is in `odoo_recorded`.

mod client_support;
mod odoo_recorded;

use odoo_recorded::{API_KEY, ODOO_17, PASSWORD};
use odoo_runtime::Error;
use odoo_runtime::client::{Client, SearchOptions, Transport};
use serde_json::{Value, json};

const TRANSPORTS: [(&str, Transport); 2] = [
    ("xmlrpc", Transport::XmlRpc),
    ("jsonrpc", Transport::JsonRpc),
];

#[tokio::test]
async fn every_xmlrpc_exchange_through_the_client() {
    ODOO_17.every_xmlrpc_exchange().await;
}

#[tokio::test]
async fn every_jsonrpc_exchange_through_the_client() {
    ODOO_17.every_jsonrpc_exchange().await;
}

#[tokio::test]
async fn typed_reads_decode_the_same_on_every_transport() {
    ODOO_17.typed_reads(&TRANSPORTS).await;
}

#[tokio::test]
async fn writes_and_their_errors_on_every_transport() {
    for (sub, transport) in TRANSPORTS {
        // A private method: worded as on 18.0 (19.0 names it `'res.partner.<method>'`).
        let err = ODOO_17.writes_and_errors(sub, transport).await;
        assert!(
            matches!(&err, Error::AccessError(e) if e.message
                == "Private methods (such as _compute_display_name) cannot be called remotely."),
            "{sub}: {err:?}"
        );
        if transport == Transport::XmlRpc {
            assert_eq!(err.server_error().unwrap().fault_code, Some(4), "{sub}");
        }
    }
}

/// A client of the recordings' server on `transport` with `login`, `secret` (a password) and,
/// when given, a known `uid` (no `authenticate` first).
fn client(
    server: &odoo_replay::ReplayServer,
    transport: Transport,
    db: &str,
    login: &str,
    secret: &str,
    uid: Option<i64>,
) -> Client {
    let builder = Client::builder()
        .url(server.url())
        .database(db)
        .login(login)
        .password(secret)
        .transport(transport);
    match uid {
        Some(uid) => builder.uid(uid),
        None => builder,
    }
    .build()
    .unwrap()
}

/// Each failure the recordings hold, asked through the client on both transports: the typed
/// variant and Odoo 17.0's message.
#[tokio::test]
async fn every_error_is_typed_on_both_transports() {
    const UNKNOWN_DB: &str = "no_such_database_odoo_codegen";
    for (sub, transport) in TRANSPORTS {
        let server = ODOO_17.server(sub);
        let db = ODOO_17.db;

        // A wrong password: `authenticate` answers false; a call with the uid, AccessDenied.
        let wrong = client(&server, transport, db, "admin", "wrong-password", None);
        let err = wrong.authenticate().await.unwrap_err();
        assert!(matches!(err, Error::AccessDenied(_)), "{sub}: {err:?}");
        let wrong = client(&server, transport, db, "admin", "wrong-password", Some(2));
        let err = wrong
            .search("res.partner", &json!([]), SearchOptions::new().limit(1))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::AccessDenied(e) if e.message == "Access Denied"),
            "{sub}: {err:?}"
        );
        if transport == Transport::XmlRpc {
            assert_eq!(err.server_error().unwrap().fault_code, Some(3), "{sub}");
        }

        // An unknown database: PostgreSQL's message, told apart by the client.
        for uid in [None, Some(2)] {
            let nowhere = client(&server, transport, UNKNOWN_DB, "admin", PASSWORD, uid);
            let err = match uid {
                None => nowhere.authenticate().await.unwrap_err(),
                Some(_) => nowhere
                    .search("res.partner", &json!([]), SearchOptions::new().limit(1))
                    .await
                    .unwrap_err(),
            };
            assert!(
                matches!(&err, Error::UnknownDatabase(e) if e.class == "psycopg2.OperationalError"
                    && e.message.contains(&format!("database \"{UNKNOWN_DB}\" does not exist"))),
                "{sub} {uid:?}: {err:?}"
            );
        }

        // The portal user reading the system parameters: AccessError naming 17.0's group.
        let portal = client(
            &server,
            transport,
            db,
            "portal",
            "scrubbed-portal-password",
            None,
        );
        assert_eq!(portal.authenticate().await.unwrap(), 7, "{sub}");
        let err = portal
            .search_read::<Value, _>(
                "ir.config_parameter",
                &json!([]),
                &["key"],
                SearchOptions::new().limit(1),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::AccessError(e) if e.message.starts_with(
                "You are not allowed to access 'System Parameter' (ir.config_parameter) records."
            ) && e.message.contains("\t- Administration/Settings\n")),
            "{sub}: {err:?}"
        );

        // An unknown method and an unknown field: server errors with Python's class, worded as on
        // 18.0 (19.0 words them otherwise).
        let admin = ODOO_17.admin(&server, transport);
        let err = admin
            .execute_kw::<Value, _, _>("res.partner", "no_such_method", &json!([[]]), &())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Server(e) if e.class.ends_with("AttributeError")
                && e.message.contains("The method 'no_such_method' does not exist on the model 'res.partner'")),
            "{sub}: {err:?}"
        );
        let ids = odoo_recorded::companies_page(&admin).await;
        let err = admin
            .read::<Value>("res.partner", &ids[..1], &["no_such_field"])
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Server(e) if e.class.ends_with("ValueError")
                && e.message.contains("Invalid field 'no_such_field' on model 'res.partner'")),
            "{sub}: {err:?}"
        );

        // product.pricelist's fields_get holds a None: XML-RPC cannot send it, JSON-RPC can.
        let fields = admin
            .execute_kw::<serde_json::Map<String, Value>, _, _>(
                "product.pricelist",
                "fields_get",
                &json!([]),
                &json!({"attributes": ["type", "domain"]}),
            )
            .await;
        match transport {
            Transport::XmlRpc => {
                let err = fields.unwrap_err();
                assert!(
                    matches!(&err, Error::Server(e) if e.class == "TypeError"
                        && e.message.contains("cannot marshal None")),
                    "{sub}: {err:?}"
                );
            }
            _ => {
                let fields = fields.unwrap();
                assert_eq!(fields["name"]["type"], "char", "{sub}");
                // The None XML-RPC cannot marshal: an operand in item_ids' domain.
                let domain = fields["item_ids"]["domain"].as_array().unwrap();
                assert!(
                    domain.contains(&json!(["product_tmpl_id", "=", null])),
                    "{sub}: {domain:?}"
                );
            }
        }
        assert!(
            server.unmatched().is_empty(),
            "{sub}: {:?}",
            server.unmatched()
        );
    }
}

/// The version on both transports, and the JSON-RPC error object's `code`: 200 on 17.0 (as on
/// 18.0; 0 on 19.0).
#[tokio::test]
async fn version_and_jsonrpc_error_code_of_17() {
    for (sub, transport) in TRANSPORTS {
        let server = ODOO_17.server(sub);
        let version = ODOO_17.admin(&server, transport).version().await.unwrap();
        assert_eq!(version.server_version, "17.0", "{sub}");
        assert_eq!(version.server_serie, "17.0", "{sub}");
        assert_eq!(version.major(), Some(17), "{sub}");
        assert_eq!(version.protocol_version, 1, "{sub}");
    }
    assert_eq!(ODOO_17.jsonrpc_error_codes(), [200]);
}

/// `auto` on the recorded Odoo 17.0: with the API key it asks the server its version over
/// JSON-RPC and stays on JSON-RPC (17.0 has no JSON-2), logging in with the key in place of the
/// password; with the password it needs no question.
#[tokio::test]
async fn auto_picks_jsonrpc_on_the_recorded_odoo_17_by_asking_its_version() {
    let server = ODOO_17.server("");
    let with_key = Client::builder()
        .url(server.url())
        .database(ODOO_17.db)
        .login("admin")
        .api_key(API_KEY)
        .build()
        .unwrap();
    assert_eq!(with_key.transport().await.unwrap(), Transport::JsonRpc);
    let asked: Vec<(String, Option<Value>)> = server
        .requests()
        .iter()
        .map(|r| (r.path.clone(), r.json().map(|j| j["params"].clone())))
        .collect();
    assert_eq!(
        asked,
        [(
            "/jsonrpc".to_owned(),
            Some(json!({"service": "common", "method": "version", "args": []}))
        )]
    );
    assert_eq!(with_key.authenticate().await.unwrap(), 2);
    let rows: Vec<Value> = with_key
        .search_read(
            "res.partner",
            &json!([]),
            &["name"],
            SearchOptions::new().limit(2).order("id"),
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(
        server.requests().iter().all(|r| r.path == "/jsonrpc"),
        "{:?}",
        server.requests()
    );
    let with_password = Client::builder()
        .url(server.url())
        .database(ODOO_17.db)
        .login("admin")
        .password(PASSWORD)
        .build()
        .unwrap();
    let before = server.requests().len();
    assert_eq!(with_password.transport().await.unwrap(), Transport::JsonRpc);
    assert_eq!(server.requests().len(), before, "no question asked");
    assert_eq!(with_password.authenticate().await.unwrap(), 2);
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
}

/// The JSON-2 transport on the recorded Odoo 17.0: its first requests (`context_get` for the uid,
/// `GET /web/version`) were answered by the website's HTML 404 page; the client asks the version
/// over JSON-RPC and says that 17.0 has no JSON-2.
#[tokio::test]
async fn json2_on_odoo_17_fails_saying_that_it_has_none() {
    let server = ODOO_17.server("");
    let json2 = ODOO_17.admin(&server, Transport::Json2);
    let err = json2.authenticate().await.unwrap_err();
    let Error::Http {
        url,
        status,
        snippet,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (url.as_str(), *status),
        (
            format!("{}/json/2/res.users/context_get", server.url()).as_str(),
            404
        )
    );
    assert!(
        snippet.starts_with(
            "Odoo 17.0 has no JSON-2 (it exists from Odoo 19 on): use the transport jsonrpc or \
             xmlrpc, or auto, which picks JSON-RPC there"
        ),
        "{snippet}"
    );
    // The page's own words are kept after it.
    assert!(
        snippet.contains("We couldn't find the page you're looking for!"),
        "{snippet}"
    );
    assert!(!err.to_string().contains(API_KEY), "{err}");
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/json/2/res.users/context_get", "/jsonrpc"]);

    let err = json2.version().await.unwrap_err();
    assert!(
        matches!(&err, Error::Http { url, status: 404, snippet }
            if url.ends_with("/web/version") && snippet.starts_with("Odoo 17.0 has no JSON-2")),
        "{err:?}"
    );
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
}

/// Without an answer to the version question, the 404 page is left as the server sent it.
#[tokio::test]
async fn json2_404_page_stays_as_it_was_when_the_version_is_not_known() {
    let server = ODOO_17.server("json2");
    let err = ODOO_17
        .admin(&server, Transport::Json2)
        .authenticate()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Http { status: 404, snippet, .. }
            if snippet.contains("Error 404 We couldn't find the page you're looking for!")
                && !snippet.contains("JSON-2")),
        "{err:?}"
    );
    // The version was asked, and this server has no answer to it.
    let unmatched: Vec<String> = server.unmatched().iter().map(|r| r.path.clone()).collect();
    assert_eq!(unmatched, ["/jsonrpc"]);
}
