// x2many commands are typed by the target model: category_id links res.partner.category records.
#[path = "../typed_support/models.rs"]
#[allow(dead_code)]
mod models;
use models::*;
use odoo_runtime::command::Command;
use odoo_runtime::types::Id;

fn main() {
    let partner = Id::<ResPartner>::new(3);
    let _ = ResPartnerWrite::default().category_id([Command::link(partner)]);
    // CREATE takes the target's values.
    let _ = ResPartnerWrite::default().category_id([Command::create(ResPartnerCreate::default())]);
}
