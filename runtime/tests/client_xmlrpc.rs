//! The client over XML-RPC against the replay of every recorded Odoo 18.0 exchange.

mod client_support;

use std::collections::BTreeMap;

use client_support::*;
use odoo_runtime::Error;
use odoo_runtime::client::{Client, NameSearchOptions, ReadGroupOptions, SearchOptions, Transport};
use odoo_runtime::types::{Many2one, OrFalse};
use serde::Deserialize;
use serde_json::{Value, json};

#[tokio::test]
async fn every_recorded_exchange_through_the_client() {
    let recordings = recordings("xmlrpc");
    let server = server("xmlrpc");
    let mut driven = 0;
    for exchange in recordings.exchanges() {
        let name = exchange.name.as_str();
        let expected = exchange.expected().unwrap().unwrap();
        let Some(decoded) = exchange.decoded_request() else {
            // 73-request-malformed: not something the client can send (the replay test covers it).
            assert!(name.starts_with("73-"), "{name} does not decode");
            continue;
        };
        let method = decoded[0].as_str().unwrap();
        let params = decoded[1].as_array().unwrap();
        let outcome: Result<Value, Error> = match method {
            "version" => admin(&server, Transport::XmlRpc)
                .version()
                .await
                .map(|v| serde_json::to_value(v).unwrap()),
            "authenticate" => {
                let mut builder = Client::builder()
                    .url(server.url())
                    .database(params[0].as_str().unwrap())
                    .login(params[1].as_str().unwrap())
                    .transport(Transport::XmlRpc);
                let secret = params[2].as_str().unwrap();
                builder = if secret.len() == 40 {
                    builder.api_key(secret)
                } else {
                    builder.password(secret)
                };
                let outcome = builder.build().unwrap().authenticate().await;
                if expected["result"] == json!(false) {
                    // Odoo answers false for bad credentials: the client makes it AccessDenied.
                    let err = outcome.unwrap_err();
                    assert!(matches!(err, Error::AccessDenied(_)), "{name}: {err:?}");
                    driven += 1;
                    continue;
                }
                outcome.map(Value::from)
            }
            "execute_kw" => run_call(&server, Transport::XmlRpc, &execute_kw_params(params)).await,
            other => panic!("{name}: unexpected method {other}"),
        };
        check_xmlrpc(name, outcome, &expected);
        driven += 1;
    }
    assert_eq!(driven, 74);
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
}

#[derive(Debug, Deserialize)]
struct Partner {
    id: i64,
    name: String,
    country_id: OrFalse<Many2one>,
    comment: OrFalse<String>,
}

#[tokio::test]
async fn typed_helpers_match_the_recorded_requests() {
    let server = server("xmlrpc");
    let client = admin(&server, Transport::XmlRpc);
    assert_eq!(client.authenticate().await.unwrap(), 2);
    let companies = json!([["is_company", "=", true]]);

    assert!(
        client
            .check_access_rights("res.partner", "read", false)
            .await
            .unwrap()
    );
    let ids = client
        .search("res.partner", &companies, SearchOptions::new())
        .await
        .unwrap();
    assert_eq!(ids, vec![15, 74, 69, 64, 10, 11, 16, 60, 1, 13, 12, 14, 9]);
    let page = client
        .search(
            "res.partner",
            &companies,
            SearchOptions::new().offset(10).limit(5),
        )
        .await
        .unwrap();
    assert_eq!(page, vec![12, 14, 9]);
    assert_eq!(
        client
            .search_count("res.partner", &companies)
            .await
            .unwrap(),
        13
    );

    let partners: Vec<Partner> = client
        .read("res.partner", &[15], &["name", "country_id", "comment"])
        .await
        .unwrap();
    assert_eq!(partners.len(), 1);
    assert_eq!(partners[0].id, 15);
    assert_eq!(partners[0].name, "Azure Interior");
    match &partners[0].country_id {
        OrFalse::Value(m2o) => {
            assert_eq!(m2o.id.get(), 233);
            assert_eq!(m2o.name.as_deref(), Some("United States"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(partners[0].comment, OrFalse::Empty));

    #[derive(Debug, Deserialize)]
    struct Attrs {
        string: String,
        #[serde(rename = "type")]
        kind: String,
    }
    let fields: BTreeMap<String, Attrs> = client
        .fields_get("res.partner", &["string", "help", "type"])
        .await
        .unwrap();
    assert_eq!(fields["name"].kind, "char");
    assert_eq!(fields["country_id"].string, "Country");

    let rows: Vec<Partner> = client
        .search_read(
            "res.partner",
            &companies,
            &["name", "country_id", "comment"],
            SearchOptions::new().limit(5),
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 5);

    let id = client
        .create("res.partner", &json!({"name": "New Partner"}))
        .await
        .unwrap();
    assert_eq!(id, 77);
    let ids = client
        .create_many(
            "res.partner",
            &[
                json!({"name": "Batch A"}),
                json!({"name": "Batch B", "is_company": true}),
            ],
        )
        .await
        .unwrap();
    assert_eq!(ids, vec![78, 79]);
    assert!(
        client
            .write("res.partner", &[77], &json!({"name": "Newer partner"}))
            .await
            .unwrap()
    );
    let hits = client
        .name_search(
            "res.partner",
            "Newer",
            NameSearchOptions {
                limit: Some(10),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(hits, vec![(77, "Newer partner".to_owned())]);

    // write-recursive: a ValidationError, which fault 2 reports as a UserError.
    let err = client
        .write("res.partner", &[77], &json!({"parent_id": 77}))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::UserError(e) if e.message == "You cannot create recursive Partner hierarchies."),
        "{err:?}"
    );
    assert!(err.is_user_error());
    assert!(client.unlink("res.partner", &[77]).await.unwrap());
    let none = client
        .search(
            "res.partner",
            &json!([["id", "=", 77]]),
            SearchOptions::new(),
        )
        .await
        .unwrap();
    assert!(none.is_empty());

    #[derive(Debug, Deserialize)]
    struct Group {
        state: String,
        amount_total: f64,
        __count: i64,
    }
    let groups: Vec<Group> = client
        .read_group(
            "sale.order",
            &json!([]),
            &["amount_total:sum"],
            &["state"],
            ReadGroupOptions {
                lazy: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let got: Vec<(&str, f64, i64)> = groups
        .iter()
        .map(|g| (g.state.as_str(), g.amount_total, g.__count))
        .collect();
    assert_eq!(
        got,
        vec![
            ("draft", 5470.0, 4),
            ("sale", 97910.5, 21),
            ("sent", 1740.0, 1)
        ]
    );
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
}

#[tokio::test]
async fn errors_map_to_their_kinds() {
    let server = server("xmlrpc");
    let client = admin(&server, Transport::XmlRpc);
    // Missing record on write (a MissingError, fault 2).
    let err = client
        .write("res.partner", &[77], &json!({"name": "x"}))
        .await
        .unwrap_err();
    let Error::UserError(e) = &err else {
        panic!("{err:?}")
    };
    assert!(
        e.message
            .starts_with("Record does not exist or has been deleted.")
    );
    assert_eq!(e.call.as_deref(), Some("res.partner.write"));
    // Unknown field: fault 1 with the traceback's class and message.
    let err = client
        .execute_kw::<Value, _, _>("res.partner", "read", &json!([[1], ["no_such_field"]]), &())
        .await
        .unwrap_err();
    let Error::Server(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.class, "ValueError");
    assert_eq!(
        e.message,
        "Invalid field 'no_such_field' on model 'res.partner'"
    );
    assert!(
        e.traceback
            .as_deref()
            .unwrap()
            .starts_with("Traceback (most recent call last):")
    );
    assert_eq!(
        err.to_string(),
        "server error: res.partner.read: ValueError: Invalid field 'no_such_field' on model 'res.partner'"
    );
    // A private method: AccessError, sent anyway.
    let err = client
        .execute_kw::<Value, _, _>("res.partner", "_compute_display_name", &json!([[1]]), &())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::AccessError(e) if e.message.contains("cannot be called remotely")),
        "{err:?}"
    );
    // An unknown method: AttributeError.
    let err = client
        .execute_kw::<Value, _, _>("res.partner", "no_such_method", &json!([[1]]), &())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Server(e) if e.class == "AttributeError"),
        "{err:?}"
    );
    // A result the server cannot marshal (None inside fields_get).
    let err = client
        .fields_get::<Value>("product.pricelist", &[])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Server(e) if e.class == "TypeError" && e.message.contains("cannot marshal None")),
        "{err:?}"
    );
    // A decode error names the call and the path.
    let err = client
        .search_read::<Partner, _>(
            "res.partner",
            &json!([["is_company", "=", true]]),
            &["name", "country_id", "comment"],
            SearchOptions::new().limit(5),
        )
        .await;
    assert!(err.is_ok());
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Wrong {
        comment: String,
    }
    let err = client
        .search_read::<Wrong, _>(
            "res.partner",
            &json!([["is_company", "=", true]]),
            &["name", "country_id", "comment"],
            SearchOptions::new().limit(5),
        )
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.call.as_deref(), Some("res.partner.search_read"));
    assert_eq!(d.path, "[0].comment");
}

#[tokio::test]
async fn wrong_password_and_api_key() {
    let server = server("xmlrpc");
    // authenticate answers false → AccessDenied.
    let client = Client::builder()
        .url(server.url())
        .database("odoo18")
        .login("admin")
        .password("wrong")
        .transport(Transport::XmlRpc)
        .build()
        .unwrap();
    let err = client.authenticate().await.unwrap_err();
    assert!(
        matches!(&err, Error::AccessDenied(e) if e.call.as_deref() == Some("common.authenticate")),
        "{err:?}"
    );
    // execute_kw with a wrong password → fault 3 → AccessDenied.
    let client = Client::builder()
        .url(server.url())
        .database("odoo18")
        .uid(2)
        .password("wrong")
        .transport(Transport::XmlRpc)
        .build()
        .unwrap();
    let err = client
        .search("res.partner", &json!([]), SearchOptions::new().limit(1))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::AccessDenied(e) if e.fault_code == Some(3)),
        "{err:?}"
    );
    // An API key in place of the password, uid from authenticate.
    let key = "e4effb8e3cdf654dd48e6864a9f39cd3735d3da3";
    let client = Client::builder()
        .url(server.url())
        .database("odoo18")
        .login("admin")
        .api_key(key)
        .transport(Transport::XmlRpc)
        .build()
        .unwrap();
    assert_eq!(client.authenticate().await.unwrap(), 2);
    let ids = client
        .search("res.partner", &json!([]), SearchOptions::new().limit(1))
        .await
        .unwrap();
    assert_eq!(ids.len(), 1);
    assert!(!format!("{client:?}").contains(key));
    // Portal user: AccessError.
    let client = Client::builder()
        .url(server.url())
        .database("odoo18")
        .uid(7)
        .password("portal")
        .transport(Transport::XmlRpc)
        .build()
        .unwrap();
    let err = client
        .search_read::<Value, _>(
            "ir.config_parameter",
            &json!([]),
            &[],
            SearchOptions::new().limit(1),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::AccessError(e) if e.message.contains("System Parameter")),
        "{err:?}"
    );
}

#[tokio::test]
async fn context_goes_into_kwargs() {
    let server = server("xmlrpc");
    let client = admin(&server, Transport::XmlRpc).with_context(serde_json::Map::from_iter([(
        "lang".to_owned(),
        json!("en_US"),
    )]));
    #[derive(Debug, Deserialize)]
    struct P {
        name: String,
        lang: OrFalse<String>,
    }
    let rows: Vec<P> = client
        .search_read(
            "res.partner",
            &json!([["id", "=", 80]]),
            &["name", "lang", "tz"],
            SearchOptions::new(),
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(!rows[0].name.is_empty());
    assert!(matches!(rows[0].lang, OrFalse::Value(ref l) if l == "en_US"));
    let sent = server.requests().last().unwrap().text();
    assert!(
        sent.contains("<name>context</name>") && sent.contains("en_US"),
        "{sent}"
    );
}

#[test]
fn blocking_facade() {
    let server = server("xmlrpc");
    let client = Client::builder()
        .url(server.url())
        .database("odoo18")
        .login("admin")
        .password("admin")
        .transport(Transport::XmlRpc)
        .build_blocking()
        .unwrap();
    assert_eq!(client.version().unwrap().major(), Some(18));
    assert_eq!(client.authenticate().unwrap(), 2);
    assert_eq!(
        client
            .search_count("res.partner", &json!([["is_company", "=", true]]))
            .unwrap(),
        13
    );
}

#[tokio::test]
async fn blocking_facade_refuses_to_run_inside_a_runtime() {
    let server = server("xmlrpc");
    let client = admin(&server, Transport::XmlRpc);
    let blocking = Client::builder()
        .url(client.url())
        .transport(Transport::XmlRpc)
        .build_blocking()
        .unwrap();
    let err = blocking.version().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

#[tokio::test]
async fn x2many_commands_typed() {
    use odoo_runtime::command::Command;
    use odoo_runtime::types::{AnyModel, Id, X2many};
    use std::collections::BTreeMap;

    let server = server("xmlrpc");
    let client = admin(&server, Transport::XmlRpc);
    let tag = client
        .create("res.partner.category", &json!({"name": "Fixture tag"}))
        .await
        .unwrap();
    assert_eq!(tag, 14);
    let set: BTreeMap<&str, Value> = BTreeMap::from([
        ("name", json!("Commands")),
        (
            "category_id",
            serde_json::to_value(vec![Command::<AnyModel>::set([Id::new(tag)])]).unwrap(),
        ),
    ]);
    let partner = client.create("res.partner", &set).await.unwrap();
    assert_eq!(partner, 80);
    // (0, 0, vals) and (1, id, vals) take model values; literal triples here, typed ones below.
    assert!(
        client
            .write(
                "res.partner",
                &[partner],
                &json!({"category_id": [[0, 0, {"name": "Created inline"}]]})
            )
            .await
            .unwrap()
    );
    let unlink = BTreeMap::from([(
        "category_id",
        vec![Command::<AnyModel>::unlink(Id::new(tag))],
    )]);
    assert!(
        client
            .write("res.partner", &[partner], &unlink)
            .await
            .unwrap()
    );
    let link = BTreeMap::from([("category_id", vec![Command::<AnyModel>::link(Id::new(tag))])]);
    assert!(
        client
            .write("res.partner", &[partner], &link)
            .await
            .unwrap()
    );
    assert!(
        client
            .write(
                "res.partner",
                &[partner],
                &json!({"child_ids": [[0, 0, {"name": "Child contact"}]]})
            )
            .await
            .unwrap()
    );

    #[derive(Debug, Deserialize)]
    struct Links {
        category_id: X2many,
        child_ids: X2many,
    }
    let back: Vec<Links> = client
        .execute_kw(
            "res.partner",
            "read",
            &json!([[partner], ["category_id", "child_ids"]]),
            &(),
        )
        .await
        .unwrap();
    let ids = |x: &X2many| x.0.iter().map(|i| i.get()).collect::<Vec<_>>();
    let categories = ids(&back[0].category_id);
    assert!(categories.contains(&tag), "{categories:?}");
    let children = ids(&back[0].child_ids);
    assert_eq!(children, vec![81]);

    assert!(
        client
            .write(
                "res.partner",
                &[partner],
                &json!({"child_ids": [[1, 81, {"name": "Renamed child"}]]})
            )
            .await
            .unwrap()
    );
    let clear = BTreeMap::from([("category_id", vec![Command::<AnyModel>::clear()])]);
    assert!(
        client
            .write("res.partner", &[partner], &clear)
            .await
            .unwrap()
    );
    let delete = BTreeMap::from([("child_ids", vec![Command::<AnyModel>::delete(Id::new(81))])]);
    assert!(
        client
            .write("res.partner", &[partner], &delete)
            .await
            .unwrap()
    );
    let last: Vec<Links> = client
        .execute_kw(
            "res.partner",
            "read",
            &json!([[partner], ["category_id", "child_ids"]]),
            &(),
        )
        .await
        .unwrap();
    assert!(
        last[0].category_id.0.is_empty() && last[0].child_ids.0.is_empty(),
        "{last:?}"
    );
    // Every write matched its recorded request exactly (member order aside).
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
}
