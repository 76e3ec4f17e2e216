//! Update records: `write([id], {"name": "Newer partner"})`, then read it back:
//! `read([id], ["display_name"])`.

use odoo_example_bindings::markers;
use odoo_example_bindings::res_partner::{ResPartner, ResPartnerWrite};
use odoo_runtime::Result;
use odoo_runtime::client::Client;
use odoo_runtime::model::Fields;
use odoo_runtime::types::Id;

/// Renames the partner `id` (created by the `create_record` example when not given); its new
/// display name.
pub async fn run(client: &Client, id: Option<Id<markers::ResPartner>>) -> Result<Option<String>> {
    let id = match id {
        Some(id) => id,
        None => super::create_record::run(client).await?,
    };
    let partners = ResPartner::on(client);
    partners
        .write([id], ResPartnerWrite::new().name("Newer partner"))
        .await?;
    // The documentation passes the field list positionally here.
    let fields = Fields::from(&ResPartner::F.display_name);
    let rows: Vec<ResPartner> = partners
        .method_on([id], "read")
        .arg(fields.names())
        .returning()
        .await?;
    Ok(rows
        .into_iter()
        .next()
        .and_then(|p| p.display_name.into_value()))
}
