//! Create records: `create({"name": "New Partner"})`.

use odoo_example_bindings::markers;
use odoo_example_bindings::res_partner::{ResPartner, ResPartnerCreate};
use odoo_runtime::Result;
use odoo_runtime::client::Client;
use odoo_runtime::types::Id;

/// Creates a partner; its id.
pub async fn run(client: &Client) -> Result<Id<markers::ResPartner>> {
    ResPartner::on(client)
        .create(ResPartnerCreate::new().name("New Partner"))
        .await
}
