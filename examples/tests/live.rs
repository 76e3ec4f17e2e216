//! The External API tour against a real Odoo (the live tier: `ODOO_LIVE=1` and the `ODOO_*`
//! settings of one server; see `odoo_replay::live`), on every transport the server speaks and with
//! each secret it takes. Writes are checked by reading the records back, and removed after.

use odoo_examples::*;
use odoo_replay::live::{self, Server};
use odoo_runtime::client::Client;

/// Runs `check` with a client for every transport and credential of `server`.
fn on_every_transport(server: &Server, check: impl Fn(&Client, &str)) {
    for transport in server.transports() {
        for credential in server.credentials(transport) {
            let client = server.client(transport, credential);
            check(&client, &format!("{transport} with the {credential}"));
        }
    }
}

fn read_only_examples(server: &Server) {
    on_every_transport(server, |client, how| {
        live::block_on(async {
            let v = version::run(client).await.unwrap();
            assert!(
                v.server_version.starts_with(&server.server_version),
                "{how}"
            );
            assert!(authenticate::run(client).await.unwrap() > 0, "{how}");
            assert!(check_access_rights::run(client).await.unwrap(), "{how}");
            let ids = list_records::run(client).await.unwrap();
            assert!(!ids.is_empty(), "{how}: demo data has companies");
            assert_eq!(
                count_records::run(client).await.unwrap(),
                ids.len() as u64,
                "{how}"
            );
            let page = pagination::run(client).await.unwrap();
            assert_eq!(
                page.as_slice(),
                ids.get(10..(10 + page.len()).min(ids.len()))
                    .unwrap_or_default(),
                "{how}"
            );
            let fields = list_fields::run(client).await.unwrap();
            assert!(
                fields
                    .iter()
                    .any(|f| f.name == "is_company" && f.field_type == "boolean"),
                "{how}"
            );
            let rows = search_read::run(client).await.unwrap();
            assert_eq!(
                rows.iter().map(|r| r.id).collect::<Vec<_>>(),
                ids.iter().copied().take(5).collect::<Vec<_>>(),
                "{how}"
            );
            let read = read_records::run(client).await.unwrap();
            assert_eq!(read.all_fields[0].id, ids[0], "{how}");
        });
    });
}

fn create_update_delete(server: &Server) {
    on_every_transport(server, |client, how| {
        live::block_on(async {
            let id = create_record::run(client).await.unwrap();
            let name = update_record::run(client, Some(id)).await.unwrap();
            assert_eq!(name.as_deref(), Some("Newer partner"), "{how}");
            let left = delete_record::run(client, Some(id)).await.unwrap();
            assert!(left.is_empty(), "{how}: the partner is gone");
        });
    });
}

fn main() -> std::process::ExitCode {
    live::main(vec![
        live::test("read_only_examples", read_only_examples),
        live::test("create_update_delete", create_update_delete),
    ])
}
