//! One module per example of the documentation.

pub mod authenticate;
pub mod check_access_rights;
pub mod count_records;
pub mod create_record;
pub mod custom_model;
pub mod delete_record;
pub mod list_fields;
pub mod list_records;
pub mod pagination;
pub mod read_records;
pub mod search_read;
pub mod update_record;
pub mod version;

use odoo_example_bindings::markers;
use odoo_runtime::domain::Domain;
use odoo_runtime::types::Id;

/// The domain of the documentation's examples: `[["is_company", "=", true]]`.
pub fn companies() -> Domain<markers::ResPartner> {
    odoo_example_bindings::res_partner::ResPartner::F
        .is_company
        .eq(true)
}

/// Formats ids as `[1, 2, 3]`.
pub fn show_ids<M>(ids: &[Id<M>]) -> String {
    let inner: Vec<String> = ids.iter().map(|id| id.get().to_string()).collect();
    format!("[{}]", inner.join(", "))
}
