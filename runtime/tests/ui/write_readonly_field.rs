// Readonly fields have no setter on the write values; create values are not write values.
#[path = "../typed_support/models.rs"]
#[allow(dead_code)]
mod models;
use models::*;
use odoo_runtime::query::{Executor, On};
use odoo_runtime::types::Id;

fn write<C: Executor>(client: &C) {
    // `state` may be set when an order is created, never written afterwards.
    let _ = SaleOrder::on(client).write([Id::new(26)], SaleOrderCreate::default().state(SaleOrderState::Sale));
}

fn main() {
    let _ = SaleOrderWrite::default().state(SaleOrderState::Sale);
    // display_name is computed: no setter at all.
    let _ = ResPartnerCreate::default().display_name("x");
}
