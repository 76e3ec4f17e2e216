//! Pagination: `search([["is_company", "=", true]], offset=10, limit=5)`.

use odoo_example_bindings::markers;
use odoo_example_bindings::res_partner::ResPartner;
use odoo_runtime::Result;
use odoo_runtime::client::Client;
use odoo_runtime::types::Id;

/// The 11th to 15th companies.
pub async fn run(client: &Client) -> Result<Vec<Id<markers::ResPartner>>> {
    ResPartner::on(client)
        .search(super::companies())
        .offset(10)
        .limit(5)
        .ids()
        .await
}
