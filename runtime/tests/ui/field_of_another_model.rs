// A search on res.partner only takes a domain built from res.partner fields.
use odoo_runtime::query::Executor;
use odoo_sale_bindings::res_partner::ResPartner;
use odoo_sale_bindings::sale_order::SaleOrder;

fn search<C: Executor>(client: &C) {
    let _ = ResPartner::on(client).search(SaleOrder::F.name.eq("S00026"));
}

fn main() {
    // Nor can domains of two models be combined, or a path continue on the wrong model.
    let _ = ResPartner::F.name.eq("a") & SaleOrder::F.name.eq("b");
    let _ = ResPartner::F.country_id.then(ResPartner::F.name);
}
