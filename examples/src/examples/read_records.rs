//! Read records: the first company's id (`search(..., limit=1)`), then `read([id])` with every
//! field, then `read([id], fields=["name", "country_id", "comment"])`.

use odoo_example_bindings::res_partner::ResPartner;
use odoo_runtime::Result;
use odoo_runtime::client::Client;
use odoo_runtime::model::Fields;

/// What the example read.
#[derive(Debug)]
pub struct Output {
    /// The record read with every field (`read([id])`).
    pub all_fields: Vec<ResPartner>,
    /// The same record with three fields only.
    pub three_fields: Vec<ResPartner>,
}

/// Reads the first company twice.
pub async fn run(client: &Client) -> Result<Output> {
    let partners = ResPartner::on(client);
    let ids = partners.search(super::companies()).limit(1).ids().await?;
    let all_fields = partners.read(ids.iter().copied(), Fields::all()).await?;
    let f = ResPartner::F;
    let fields = Fields::none()
        .with(&f.name)
        .with(&f.country_id)
        .with(&f.comment);
    let three_fields = partners.read(ids, fields).await?;
    Ok(Output {
        all_fields,
        three_fields,
    })
}

/// Lines for the program's output.
pub fn describe(output: &Output) -> String {
    let mut lines = Vec::new();
    for p in &output.all_fields {
        let set = format!("{p:?}").matches("Value(").count();
        lines.push(format!(
            "read (all fields): #{} {:?}, {set} fields with a value",
            p.id.get(),
            p.name.value()
        ));
    }
    for p in &output.three_fields {
        let country = p.country_id.value().and_then(|c| c.name.clone());
        lines.push(format!(
            "read (name, country_id, comment): #{} {:?}, country {:?}, comment {:?}",
            p.id.get(),
            p.name.value(),
            country,
            p.comment.value()
        ));
    }
    lines.join("\n")
}
