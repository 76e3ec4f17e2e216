// `ilike` exists for text fields, not for integers; `child_of` not for booleans.
use odoo_sale_bindings::res_partner::ResPartner;

fn main() {
    let _ = ResPartner::F.color.ilike("3");
    let _ = ResPartner::F.is_company.child_of([odoo_runtime::types::Id::new(1)]);
}
