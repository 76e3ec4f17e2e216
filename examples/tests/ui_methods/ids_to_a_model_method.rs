// `name_create` is `@api.model`: called on the model, it takes no ids (JSON-2 would answer 422
// "cannot call res.partner.name_create with ids").
use odoo_example_bindings19::res_partner::ResPartner;
use odoo_runtime::client::Client;
use odoo_runtime::types::Id;

async fn call(client: &Client) -> odoo_runtime::Result<()> {
    ResPartner::on(client).name_create([Id::new(7)], "Acme").await?;
    Ok(())
}

fn main() {
    let _ = call;
}
