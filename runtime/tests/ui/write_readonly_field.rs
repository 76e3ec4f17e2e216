// Readonly fields have no setter on the values types.
#[path = "../typed_support/models.rs"]
#[allow(dead_code)]
mod models;
use models::*;

fn main() {
    let _ = SaleOrderValues::default().state(SaleOrderState::Sale);
    let _ = ResPartnerValues::default().display_name("x");
}
