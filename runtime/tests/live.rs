//! The runtime client against a real Odoo (the live tier: `ODOO_LIVE=1` and the `ODOO_*` settings
//! of one server; see `odoo_replay::live`). Every transport the server speaks, with the password and
//! with the API key wherever the transport takes it: reads, the transport `auto` picks, and every
//! error as its typed [`Error`] (`live/errors.rs`). What the error checks write is removed: a
//! partner created to be deleted, and an API key revoked (`live/apikey.rs`).

#[path = "live/apikey.rs"]
mod apikey;
#[path = "live/errors.rs"]
mod errors;

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

/// The JSON-2 transport: from Odoo 19 on it logs in; before 19 its first call fails with an
/// error saying that the server has no JSON-2 (the client asks the version over JSON-RPC). 17.0
/// answers the call with its 404 page, 18.0 with a redirection to its login page (303); both
/// answer `GET /web/version` with the 404 page.
fn json2_works_or_says_the_server_lacks_it(server: &Server) {
    let client = server.client(Transport::Json2, Credential::ApiKey);
    let uid = live::block_on(client.authenticate());
    if server.major() >= 19 {
        assert!(uid.unwrap() > 0);
        return;
    }
    let err = uid.unwrap_err();
    let expected = format!(
        "Odoo {} has no JSON-2 (it exists from Odoo 19 on)",
        server.server_version
    );
    assert!(
        matches!(&err, Error::Http { status: 303 | 404, url, snippet }
            if url.ends_with("/json/2/res.users/context_get") && snippet.starts_with(&expected)),
        "{err:?}"
    );
    let err = live::block_on(client.version()).unwrap_err();
    assert!(
        matches!(&err, Error::Http { status: 404, url, snippet }
            if url.ends_with("/web/version") && snippet.starts_with(&expected)),
        "{err:?}"
    );
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
            errors::wrong_password_is_access_denied,
        ),
        live::test(
            "unknown_api_key_is_access_denied",
            errors::unknown_api_key_is_access_denied,
        ),
        live::test(
            "revoked_api_key_is_access_denied",
            errors::revoked_api_key_is_access_denied,
        ),
        live::test(
            "unknown_database_is_typed",
            errors::unknown_database_is_typed,
        ),
        live::test(
            "portal_user_gets_access_errors",
            errors::portal_user_gets_access_errors,
        ),
        live::test("server_errors_are_typed", errors::server_errors_are_typed),
        live::test(
            "json2_works_or_says_the_server_lacks_it",
            json2_works_or_says_the_server_lacks_it,
        )
        .with_api_key(),
    ]);
    live::main(tests)
}
