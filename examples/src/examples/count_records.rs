//! Count records: `search_count([["is_company", "=", true]])`.

use odoo_example_bindings::res_partner::ResPartner;
use odoo_runtime::Result;
use odoo_runtime::client::Client;

/// How many companies there are.
pub async fn run(client: &Client) -> Result<u64> {
    ResPartner::on(client)
        .search(super::companies())
        .count()
        .await
}
