//! Calling a method: `res.partner.check_access_rights("read", raise_exception=False)`.

use odoo_example_bindings::res_partner::ResPartner;
use odoo_runtime::Result;
use odoo_runtime::client::Client;

/// Whether the user may read partners.
pub async fn run(client: &Client) -> Result<bool> {
    ResPartner::on(client)
        .method("check_access_rights")
        .arg("read")
        .kwarg("raise_exception", false)
        .returning()
        .await
}
