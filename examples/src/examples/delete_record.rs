//! Delete records: `unlink([id])`, then `search([["id", "=", id]])` finds nothing.

use odoo_example_bindings::markers;
use odoo_example_bindings::res_partner::ResPartner;
use odoo_runtime::Result;
use odoo_runtime::client::Client;
use odoo_runtime::types::Id;

/// Deletes the partner `id` (created by the `create_record` example when not given); the ids a
/// search for it still finds (none).
pub async fn run(
    client: &Client,
    id: Option<Id<markers::ResPartner>>,
) -> Result<Vec<Id<markers::ResPartner>>> {
    let id = match id {
        Some(id) => id,
        None => super::create_record::run(client).await?,
    };
    let partners = ResPartner::on(client);
    partners.unlink([id]).await?;
    partners.search(ResPartner::F.id.eq(id)).ids().await
}
