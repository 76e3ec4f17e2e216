//! List record fields: `fields_get(attributes=["string", "help", "type"])`.

use odoo_example_bindings::res_partner::ResPartner;
use odoo_runtime::client::Client;
use odoo_runtime::{Result, Value};

/// One field as the server describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldInfo {
    /// Technical name.
    pub name: String,
    /// Odoo type (`char`, `many2one`...).
    pub field_type: String,
    /// Label.
    pub string: String,
}

/// The fields of `res.partner`, in the server's order.
pub async fn run(client: &Client) -> Result<Vec<FieldInfo>> {
    let described = ResPartner::on(client)
        .fields_get(&["string", "help", "type"])
        .await?;
    let text = |attrs: &Value, key: &str| {
        attrs
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    Ok(described
        .as_struct()
        .unwrap_or_default()
        .iter()
        .map(|(name, attrs)| FieldInfo {
            name: name.clone(),
            field_type: text(attrs, "type"),
            string: text(attrs, "string"),
        })
        .collect())
}
