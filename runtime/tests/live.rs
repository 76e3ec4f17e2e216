//! The runtime client against a real Odoo (the live tier: `ODOO_LIVE=1` and the `ODOO_*` settings
//! of one server; see `odoo_replay::live`). Every transport the server speaks, with the password and
//! with the API key wherever the transport takes it. Read-only: nothing is written.

#[path = "live/network.rs"]
mod network;

use odoo_replay::live::{self, Credential, Server};
use odoo_runtime::Error;
use odoo_runtime::client::{Client, SearchOptions, Transport};
use odoo_runtime::types::{Many2one, OrFalse};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
struct Partner {
    id: i64,
    name: OrFalse<String>,
    parent_id: OrFalse<Many2one>,
}

async fn exercise(client: &Client, transport: Transport) {
    let version = client.version().await.unwrap();
    assert!(version.major().is_some(), "{version:?}");
    let uid = client.authenticate().await.unwrap();
    assert!(uid > 0);
    let count = client
        .search_count("res.partner", &json!([]))
        .await
        .unwrap();
    let rows: Vec<Partner> = client
        .search_read(
            "res.partner",
            &json!([]),
            &["name", "parent_id"],
            SearchOptions::new().limit(5).order("id"),
        )
        .await
        .unwrap();
    assert!(rows.len() as i64 <= count.min(5));
    assert!(
        rows.windows(2).all(|w| w[0].id < w[1].id),
        "{transport}: order"
    );
    assert!(
        rows.iter().all(|r| !matches!(r.name, OrFalse::NotFetched)
            && !matches!(r.parent_id, OrFalse::NotFetched)),
        "{transport}: fields asked for must be there"
    );
    let fields: serde_json::Map<String, Value> = client
        .fields_get("res.partner", &["type", "string"])
        .await
        .unwrap();
    assert_eq!(fields["name"]["type"], "char", "{transport}");
    let err = client
        .search("no.such.model.x", &json!([]), SearchOptions::new())
        .await
        .unwrap_err();
    assert!(err.is_server_error(), "{transport}: {err:?}");
    let err = client
        .execute_kw::<Value, _, _>("res.partner", "_compute_display_name", &json!([[1]]), &())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::AccessError(_) | Error::Server(_)),
        "{transport}: {err:?}"
    );
}

/// Reads, `fields_get` and two failures on every transport, with each secret it takes.
fn every_transport_reads(server: &Server) {
    for transport in server.transports() {
        for credential in server.credentials(transport) {
            let client = server.client(transport, credential);
            live::block_on(async {
                assert_eq!(client.transport().await.unwrap(), transport);
                exercise(&client, transport).await;
            });
        }
    }
}

/// `auto` picks JSON-2 on Odoo 19 and later with an API key, JSON-RPC otherwise.
fn auto_picks_the_transport_by_asking(server: &Server) {
    let expected = |credential| {
        if server.major() >= 19 && credential == Credential::ApiKey {
            Transport::Json2
        } else {
            Transport::JsonRpc
        }
    };
    for credential in server.credentials(Transport::JsonRpc) {
        let client = server.client(Transport::Auto, credential);
        let picked = live::block_on(client.transport()).unwrap();
        assert_eq!(picked, expected(credential), "auto with the {credential}");
        live::block_on(exercise(&client, picked));
    }
}

/// A wrong password is `AccessDenied` on every transport that takes one.
fn wrong_password_is_access_denied(server: &Server) {
    for transport in server.transports() {
        if transport == Transport::Json2 {
            continue;
        }
        let wrong = Client::builder()
            .url(&server.url)
            .database(&server.db)
            .login(&server.user)
            .password("certainly-not-the-password")
            .transport(transport)
            .build()
            .unwrap();
        let err = live::block_on(wrong.authenticate()).unwrap_err();
        assert!(
            matches!(err, Error::AccessDenied(_)),
            "{transport}: {err:?}"
        );
        assert!(!format!("{err:?}").contains("certainly-not"), "{err:?}");
    }
}

fn main() -> std::process::ExitCode {
    let mut tests = network::tests();
    tests.extend(vec![
        live::test("every_transport_reads", every_transport_reads),
        live::test(
            "auto_picks_the_transport_by_asking",
            auto_picks_the_transport_by_asking,
        ),
        live::test(
            "wrong_password_is_access_denied",
            wrong_password_is_access_denied,
        ),
    ]);
    live::main(tests)
}
