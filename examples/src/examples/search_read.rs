//! Search and read: `search_read([["is_company", "=", true]], fields=["name", "country_id",
//! "comment"], limit=5)`.

use odoo_example_bindings::res_partner::ResPartner;
use odoo_runtime::Result;
use odoo_runtime::client::Client;
use odoo_runtime::model::Fields;

/// The first five companies, three fields each.
pub async fn run(client: &Client) -> Result<Vec<ResPartner>> {
    let f = ResPartner::F;
    ResPartner::on(client)
        .search(super::companies())
        .fields(
            Fields::none()
                .with(&f.name)
                .with(&f.country_id)
                .with(&f.comment),
        )
        .limit(5)
        .rows()
        .await
}
