// A record method takes ids of its own model: a partner id is not a sale order's.
use odoo_example_bindings19::markers;
use odoo_example_bindings19::sale_order::SaleOrder;
use odoo_runtime::client::Client;
use odoo_runtime::types::Id;

async fn call(client: &Client, partner: Id<markers::ResPartner>) -> odoo_runtime::Result<()> {
    SaleOrder::on(client).action_confirm([partner]).await?;
    Ok(())
}

fn main() {
    let _ = call;
}
