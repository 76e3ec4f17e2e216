//! List records: `search([["is_company", "=", true]])`.

use odoo_example_bindings::markers;
use odoo_example_bindings::res_partner::ResPartner;
use odoo_runtime::Result;
use odoo_runtime::client::Client;
use odoo_runtime::types::Id;

/// The ids of every company.
pub async fn run(client: &Client) -> Result<Vec<Id<markers::ResPartner>>> {
    ResPartner::on(client)
        .search(super::companies())
        .ids()
        .await
}
