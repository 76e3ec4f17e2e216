// A domain value must have the field's Rust type: `is_company` is a boolean.
use odoo_sale_bindings::res_partner::ResPartner;

fn main() {
    let _ = ResPartner::F.is_company.eq("yes");
    // A many2one takes an id of its target model, not a bare integer.
    let _ = ResPartner::F.country_id.eq(233);
}
