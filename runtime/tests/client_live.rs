//! Against a live Odoo, when `ODOO_URL`, `ODOO_DB`, `ODOO_USER` and `ODOO_PASSWORD` are set
//! (`ODOO_API_KEY` too for JSON-2 on Odoo ≥ 19). Read-only: nothing is written. Skipped with a
//! printed note otherwise.

use odoo_runtime::Error;
use odoo_runtime::client::{Client, SearchOptions, Transport};
use odoo_runtime::types::{Many2one, OrFalse};
use serde::Deserialize;
use serde_json::{Value, json};

struct Live {
    url: String,
    db: String,
    user: String,
    password: String,
}

fn live() -> Option<Live> {
    let get = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    match (
        get("ODOO_URL"),
        get("ODOO_DB"),
        get("ODOO_USER"),
        get("ODOO_PASSWORD"),
    ) {
        (Some(url), Some(db), Some(user), Some(password)) => Some(Live {
            url,
            db,
            user,
            password,
        }),
        _ => {
            eprintln!(
                "skipped: set ODOO_URL, ODOO_DB, ODOO_USER and ODOO_PASSWORD to run the live client tests"
            );
            None
        }
    }
}

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

#[tokio::test]
async fn live_instance() {
    let Some(live) = live() else { return };
    for transport in [Transport::XmlRpc, Transport::JsonRpc] {
        let client = Client::builder()
            .url(&live.url)
            .database(&live.db)
            .login(&live.user)
            .password(live.password.as_str())
            .transport(transport)
            .build()
            .unwrap();
        exercise(&client, transport).await;
    }
    let wrong = Client::builder()
        .url(&live.url)
        .database(&live.db)
        .login(&live.user)
        .password("certainly-not-the-password")
        .transport(Transport::JsonRpc)
        .build()
        .unwrap();
    assert!(matches!(
        wrong.authenticate().await,
        Err(Error::AccessDenied(_))
    ));
    if let Ok(key) = std::env::var("ODOO_API_KEY") {
        let client = Client::builder()
            .url(&live.url)
            .database(&live.db)
            .login(&live.user)
            .api_key(key)
            .build()
            .unwrap();
        let transport = client.transport().await.unwrap();
        exercise(&client, transport).await;
    }
}
