// x2many commands are typed by the target model: category_id links res.partner.category records.
use odoo_runtime::command::Command;
use odoo_runtime::types::Id;
use odoo_sale_bindings::markers;
use odoo_sale_bindings::res_partner::{ResPartnerCreate, ResPartnerWrite};

fn main() {
    let partner = Id::<markers::ResPartner>::new(3);
    let _ = ResPartnerWrite::new().category_id([Command::link(partner)]);
    // CREATE takes the target's values.
    let _ = ResPartnerWrite::new().category_id([Command::create(ResPartnerCreate::new())]);
}
