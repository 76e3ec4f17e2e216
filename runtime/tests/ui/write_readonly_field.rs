// Readonly fields have no setter on the write values; create values are not write values.
use odoo_runtime::query::Executor;
use odoo_runtime::types::Id;
use odoo_sale_bindings::res_partner::ResPartnerCreate;
use odoo_sale_bindings::sale_order::{SaleOrder, SaleOrderCreate, SaleOrderWrite, State};

fn write<C: Executor>(client: &C) {
    // `state` may be set when an order is created, never written afterwards.
    let _ = SaleOrder::on(client).write([Id::new(26)], SaleOrderCreate::new().state(State::Sale));
}

fn main() {
    let _ = SaleOrderWrite::new().state(State::Sale);
    // display_name is computed: no setter at all.
    let _ = ResPartnerCreate::new().display_name("x");
}
