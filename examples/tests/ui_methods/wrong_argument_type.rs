// A parameter takes the type its annotation names: `name_create(name: str)`, `message_post(*,
// body: str|Markup)`, `search(domain: DomainType)` a domain of the model itself.
use odoo_example_bindings19::res_partner::ResPartner;
use odoo_example_bindings19::sale_order::SaleOrder;
use odoo_runtime::client::Client;
use odoo_runtime::types::Id;

async fn calls(client: &Client) -> odoo_runtime::Result<()> {
    ResPartner::on(client).name_create(42).await?;
    ResPartner::on(client).message_post([Id::new(7)]).body(true).await?;
    SaleOrder::on(client).call_search(ResPartner::F.name.eq("Acme")).await?;
    Ok(())
}

fn main() {
    let _ = calls;
}
