//! What the client tests of each recorded server share (`testdata/odoo-<version>`, written by
//! `testdata/odoo-19.0/record.py`, which records the same tour on every version): the recordings,
//! replay servers and clients of one version, every XML-RPC and JSON-RPC exchange through the
//! client, the typed reads and the writes with their errors. Each version's test file adds what
//! only that version has (JSON-2 on 19.0, its absence on 17.0) and its own facts.
//!
//! The recordings hold no secret: the password and the API key were replaced by placeholders
//! (`scrubbed-password`, `scrubbed-api-key`), which the clients here use as their secrets.
#![allow(dead_code)]

use crate::client_support::*;
use odoo_replay::{Recordings, ReplayServer};
use odoo_runtime::Error;
use odoo_runtime::client::{Client, NameSearchOptions, SearchOptions, Transport};
use odoo_runtime::types::{Many2one, OrFalse, X2many};
use serde::Deserialize;
use serde_json::{Value, json};

pub const PASSWORD: &str = "scrubbed-password";
pub const API_KEY: &str = "scrubbed-api-key";

/// The recordings of one server: `testdata/odoo-<version>`, database `db`.
#[derive(Debug, Clone, Copy)]
pub struct Recorded {
    pub version: &'static str,
    pub db: &'static str,
}

pub const ODOO_17: Recorded = Recorded {
    version: "17.0",
    db: "odoo17",
};

pub const ODOO_19: Recorded = Recorded {
    version: "19.0",
    db: "odoo19",
};

impl Recorded {
    /// `testdata/odoo-<version>/<sub>` (`""`: every transport's recordings).
    pub fn dir(&self, sub: &str) -> String {
        format!(
            "{}/../testdata/odoo-{}/{sub}",
            env!("CARGO_MANIFEST_DIR"),
            self.version
        )
    }

    pub fn recordings(&self, sub: &str) -> Recordings {
        Recordings::load(self.dir(sub)).unwrap()
    }

    pub fn server(&self, sub: &str) -> ReplayServer {
        ReplayServer::from_dir(self.dir(sub)).unwrap()
    }

    /// The admin of the recordings on `transport`, with the password or (JSON-2) the API key.
    pub fn admin(&self, server: &ReplayServer, transport: Transport) -> Client {
        let builder = Client::builder()
            .url(server.url())
            .database(self.db)
            .login("admin")
            .transport(transport);
        match transport {
            Transport::Json2 => builder.api_key(API_KEY),
            _ => builder.password(PASSWORD),
        }
        .build()
        .unwrap()
    }

    /// Runs a recorded `common.version` / `common.authenticate` / `object.execute_kw` through
    /// the client. `Err(AccessDenied)` for an `authenticate` the server answered `false`.
    pub async fn run_rpc(
        &self,
        server: &ReplayServer,
        transport: Transport,
        method: &str,
        params: &[Value],
    ) -> Result<Value, Error> {
        match method {
            "version" => self
                .admin(server, transport)
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

    /// Every recorded XML-RPC exchange through the client: what Python's `xmlrpc.client`
    /// decoded, or the fault's variant, message and traceback.
    pub async fn every_xmlrpc_exchange(&self) {
        let recordings = self.recordings("xmlrpc");
        let server = self.server("xmlrpc");
        for exchange in recordings.exchanges() {
            let name = exchange.name.as_str();
            let expected = exchange.expected().unwrap().unwrap();
            let decoded = exchange.decoded_request().unwrap(); // [method, params]
            let method = decoded[0].as_str().unwrap();
            let outcome = self
                .run_rpc(
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

    /// Every recorded JSON-RPC exchange through the client: the result, or the error of the
    /// class `error.data.name` names with its message and traceback.
    pub async fn every_jsonrpc_exchange(&self) {
        let recordings = self.recordings("jsonrpc");
        let server = self.server("jsonrpc");
        for exchange in recordings.exchanges() {
            let name = exchange.name.as_str();
            let recorded: Value = serde_json::from_slice(&exchange.response().unwrap()).unwrap();
            let decoded = exchange.decoded_request().unwrap(); // [service, method, args]
            let method = decoded[1].as_str().unwrap();
            let outcome = self
                .run_rpc(
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

    /// The `code` of every recorded JSON-RPC error object, each once (the client does not read
    /// it: the tests above decode every error all the same).
    pub fn jsonrpc_error_codes(&self) -> Vec<i64> {
        let mut codes: Vec<i64> = self
            .recordings("jsonrpc")
            .exchanges()
            .iter()
            .filter_map(|e| {
                let answer: Value = serde_json::from_slice(&e.response().unwrap()).unwrap();
                answer.get("error").map(|error| {
                    assert_eq!(error["message"], "Odoo Server Error", "{}", e.name);
                    error["code"].as_i64().unwrap()
                })
            })
            .collect();
        assert!(codes.len() >= 10, "{codes:?}");
        codes.sort_unstable();
        codes.dedup();
        codes
    }

    /// The typed reads on each of `transports` (each on its own recordings): the same values
    /// on every transport, with the shape Odoo gives them.
    pub async fn typed_reads(&self, transports: &[(&str, Transport)]) {
        let mut tours = Vec::new();
        for &(sub, transport) in transports {
            let server = self.server(sub);
            tours.push(typed_tour(&self.admin(&server, transport)).await);
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
        // The transports read the same server and decode to the same values.
        for (other, &(sub, _)) in tours.iter().zip(transports).skip(1) {
            assert_eq!(other, &tours[0], "{sub} vs {}", transports[0].0);
        }
    }

    /// The recorded create, write, read back, a method returning `None`, unlink, and the
    /// failures around them, through the typed helpers on `transport` (recordings `sub`): the
    /// same outcomes on each transport, except where the transport itself differs (XML-RPC's
    /// fault 2 is `UserError` for every `UserError` subclass; it cannot marshal `None`; JSON-2
    /// answers an unknown model with 404 `NotFound`). Returns the private method's error, whose
    /// wording changed in 19.0.
    pub async fn writes_and_errors(&self, sub: &str, transport: Transport) -> Error {
        let server = self.server(sub);
        let client = self.admin(&server, transport);
        let recordings = self.recordings(sub);
        let created = {
            let exchange = recordings
                .exchanges()
                .iter()
                .find(|e| e.name.ends_with("-res.partner.create"))
                .unwrap_or_else(|| panic!("{sub}: no res.partner.create"));
            match transport {
                Transport::XmlRpc => exchange.expected().unwrap().unwrap()["result"].clone(),
                Transport::JsonRpc => serde_json::from_slice::<Value>(
                    &exchange.response().unwrap(),
                )
                .unwrap()["result"]
                    .clone(),
                _ => serde_json::from_slice(&exchange.response().unwrap()).unwrap(),
            }
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
            Transport::XmlRpc => assert!(
                matches!(&err, Error::UserError(e) if e.message.starts_with("Record does not exist or has been deleted.")),
                "{sub}: {err:?}"
            ),
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

        let page = companies_page(&client).await;
        let private = client
            .execute_kw::<Value, _, _>(
                "res.partner",
                "_compute_display_name",
                &json!([&page[..1]]),
                &(),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&private, Error::AccessError(e) if e.message.contains("Private methods")),
            "{sub}: {private:?}"
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
        private
    }
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct Partner {
    pub id: i64,
    pub name: OrFalse<String>,
    pub is_company: Option<bool>,
    pub country_id: OrFalse<Many2one>,
    pub parent_id: OrFalse<Many2one>,
    pub comment: OrFalse<String>,
    pub email: OrFalse<String>,
    pub category_id: Option<X2many>,
}

pub const PARTNER_FIELDS: &[&str] = &[
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
pub struct Tour {
    pub uid: i64,
    pub companies: Vec<Partner>,
    pub page: Vec<i64>,
    pub count: i64,
    pub read: Vec<Partner>,
    pub hits: Vec<(i64, String)>,
}

/// The recorded `search` of companies with offset 1, limit 3, by id.
pub async fn companies_page(client: &Client) -> Vec<i64> {
    client
        .search(
            "res.partner",
            &json!([["is_company", "=", true]]),
            SearchOptions::new().offset(1).limit(3).order("id"),
        )
        .await
        .unwrap()
}

/// The typed helpers through `client`, each matching one recorded request.
pub async fn typed_tour(client: &Client) -> Tour {
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
    let page = companies_page(client).await;
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
